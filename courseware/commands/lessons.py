"""``course lessons [--source DIR] [--out DIR] [--backend NAME]``: execute every lesson into a
notebook with outputs, on one Keras backend, and print the summary (each lesson's time and key
numbers)."""

from __future__ import annotations

import argparse
from pathlib import Path

from course.backends import BACKENDS, DEFAULT_BACKEND
from course.cli import Command
from courseware.commands import EXECUTED_LESSONS

__all__ = ["COMMAND", "execute_lessons"]


def execute_lessons(source: Path | None, out: Path, backend: str = DEFAULT_BACKEND) -> None:
    """Execute the lessons of ``source`` (default: the course's) into ``out`` on the Keras
    ``backend``; print and write the summary to ``out/summary.txt``."""
    from courseware.executed_lessons import build_lessons, format_summary

    summary = format_summary(build_lessons(source, out, backend))
    (out / "summary.txt").write_text(summary + "\n", encoding="utf-8")
    print(f"lessons executed into {out}/ (times and key numbers also in {out / 'summary.txt'}):")
    print(summary)


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--source", type=Path, default=None, help="lesson sources (default: the course's)"
    )
    parser.add_argument("--out", type=Path, default=EXECUTED_LESSONS, help="notebooks")
    parser.add_argument(
        "--backend",
        choices=BACKENDS,
        default=DEFAULT_BACKEND,
        help=f"Keras backend of the lesson kernels (default: {DEFAULT_BACKEND})",
    )


def _run(args: argparse.Namespace) -> int:
    execute_lessons(args.source, args.out, args.backend)
    return 0


COMMAND = Command("execute the lessons into notebooks", _arguments, _run)
