"""The instructor's subcommands of ``course``: one module per command, named after it.

``convpool-instructor`` names each module's :data:`COMMAND` (a :class:`course.cli.Command`)
in the entry-point group ``convpool_course.commands`` (its ``pyproject.toml``), so that
``course`` — a command of the student package — shows them only where this package is
installed. Each module imports what its command needs when the command runs, so that
``course check`` and ``course --help`` stay fast.
"""

from __future__ import annotations

import argparse
from pathlib import Path

__all__ = ["COURSE_ROOT", "EXECUTED_LESSONS", "assignment_arguments", "root_argument"]

#: Where ``course build``, ``grade`` and ``report`` find the course by default.
COURSE_ROOT = Path("build/course")
#: Where ``course lessons`` writes the executed lessons, and the others read them.
EXECUTED_LESSONS = Path("build/lessons")


def root_argument(parser: argparse.ArgumentParser) -> None:
    """``--root DIR``: the nbgrader course directory."""
    parser.add_argument("--root", type=Path, default=COURSE_ROOT, help="course directory")


def assignment_arguments(parser: argparse.ArgumentParser) -> None:
    """``ASSIGNMENT [--root DIR]``."""
    parser.add_argument("assignment", help="e.g. ps1 or ps1_filters")
    root_argument(parser)
