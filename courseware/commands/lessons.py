"""``course lessons [--source DIR] [--out DIR]``: execute every lesson into a notebook
with outputs and print the summary (each lesson's time and key numbers)."""

from __future__ import annotations

import argparse
from pathlib import Path

from course.cli import Command
from courseware.commands import EXECUTED_LESSONS

__all__ = ["COMMAND", "execute_lessons"]


def execute_lessons(source: Path | None, out: Path) -> None:
    """Execute the lessons of ``source`` (default: the course's) into ``out``; print and
    write the summary to ``out/summary.txt``."""
    from courseware.executed_lessons import build_lessons, format_summary

    summary = format_summary(build_lessons(source, out))
    (out / "summary.txt").write_text(summary + "\n", encoding="utf-8")
    print(f"lessons executed into {out}/ (times and key numbers also in {out / 'summary.txt'}):")
    print(summary)


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--source", type=Path, default=None, help="lesson sources (default: the course's)"
    )
    parser.add_argument("--out", type=Path, default=EXECUTED_LESSONS, help="notebooks")


def _run(args: argparse.Namespace) -> int:
    execute_lessons(args.source, args.out)
    return 0


COMMAND = Command("execute the lessons into notebooks", _arguments, _run)
