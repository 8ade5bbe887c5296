"""``course build [--root DIR] [--lessons DIR] [ASSIGNMENT ...]``: write the nbgrader
course (``nbgrader_config.py``, ``source/``), release the assignments with ``nbgrader
generate_assignment``, and write the class edition of the lessons into
``DIR/release/lessons/`` (from the executed lessons, executing missing ones first)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from course.cli import Command
from courseware.commands import EXECUTED_LESSONS, root_argument

__all__ = ["COMMAND", "build_course"]


def build_course(root: Path, names: Sequence[str], executed_lessons: Path) -> Path:
    """Build and release the assignments ``names`` (default: all) in ``root``, with the
    class edition of the lessons; print what was written and return the course root."""
    from autograder import assignments, course_dir
    from courseware.class_edition import write_class_edition

    chosen = tuple(assignments.find_assignment(n).name for n in names) or tuple(
        assignments.ASSIGNMENTS
    )
    root = course_dir.build_course(root, chosen)
    for name in chosen:
        print(f"released {name}: {root / 'release' / name / (name + '.ipynb')}")
    edition = write_class_edition(executed_lessons, root / "release" / "lessons")
    if edition.executed:
        print(
            f"executed out-of-date lessons into {executed_lessons}/: {', '.join(edition.executed)}"
        )
    print(f"class edition of the lessons: {edition.folder}/ ({len(edition.lessons)} notebooks)")
    print(f"nbgrader course in {root} (run nbgrader commands there)")
    return root


def _arguments(parser: argparse.ArgumentParser) -> None:
    root_argument(parser)
    parser.add_argument(
        "--lessons",
        type=Path,
        default=EXECUTED_LESSONS,
        help="executed lessons for the class edition (default: build/lessons)",
    )
    parser.add_argument("assignments", nargs="*", help="e.g. ps1 (default: all)")


def _run(args: argparse.Namespace) -> int:
    build_course(args.root, args.assignments, args.lessons)
    return 0


COMMAND = Command("write the nbgrader course and release it", _arguments, _run)
