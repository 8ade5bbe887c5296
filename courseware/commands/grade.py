"""``course grade ASSIGNMENT [--root DIR] [--workers N] [--rejudge]``: judge every
submission in parallel (sandboxed, outside the students' kernels), record the grades with
nbgrader and write the feedback. A submission judged before from the same code keeps its
verdict unless ``--rejudge``."""

from __future__ import annotations

import argparse
import time

from course.cli import Command
from courseware.commands import assignment_arguments

__all__ = ["COMMAND"]


def _arguments(parser: argparse.ArgumentParser) -> None:
    assignment_arguments(parser)
    parser.add_argument("--workers", type=int, default=None, help="default: one per core")
    parser.add_argument(
        "--rejudge", action="store_true", help="judge again submissions judged before"
    )


def _run(args: argparse.Namespace) -> int:
    from autograder import assignments, grade

    assignment = assignments.find_assignment(args.assignment)
    start = time.perf_counter()
    verdicts = grade.grade_assignment(args.root, assignment, args.workers, rejudge=args.rejudge)
    faulty = {s: v.status for s, v in sorted(verdicts.items()) if v.status != "ok"}
    print(
        f"{assignment.name}: {len(verdicts)} submissions graded in "
        f"{time.perf_counter() - start:.1f} s; {len(faulty)} with problems"
    )
    for student, status in faulty.items():
        print(f"  {student}: {status}")
    return 0


COMMAND = Command("judge and record every submission", _arguments, _run)
