"""``course report ASSIGNMENT [--root DIR]``: write ``reports/ASSIGNMENT/grades.csv``
(per-function points and a status column) and ``report.html`` (histogram, pass rate per
function, faulty submissions)."""

from __future__ import annotations

import argparse
import sys

from course.cli import Command
from courseware.commands import assignment_arguments

__all__ = ["COMMAND"]


def _run(args: argparse.Namespace) -> int:
    from autograder import assignments, report

    try:
        for path in report.write_report(args.root, assignments.find_assignment(args.assignment)):
            print(f"wrote {path}")
    except (FileNotFoundError, ValueError) as error:
        print(f"course report: {error}", file=sys.stderr)
        return 2
    return 0


COMMAND = Command("grades.csv and an HTML report", assignment_arguments, _run)
