"""Time ``course grade`` against stock nbgrader on a synthetic class, and compare the grades.

For each assignment a class of N submissions is generated, the same every run (seeded):
about 40% correct (the reference answers), 35% buggy (the reference with one or two
functions replaced by random mutants of the catalogue), 15% blank (the notebook as
released) and 10% faulty (an infinite loop in one function, ``os._exit`` in one function,
invalid notebook JSON, one function that prints a lot). Two course directories are built
with the same grading secret and receive the same submissions:

(A) the course as ``course build`` writes it, graded by
    :func:`autograder.grade.grade_assignment` (what ``course grade`` runs): every
    submission judged in parallel in sandboxes, then one ``nbgrader autograde`` and one
    ``nbgrader generate_feedback`` record the grades;
(B) "stock nbgrader": the same course with nbgrader's own ``Execute`` step put back in
    ``c.Autograde.autograde_preprocessors`` (``c.Execute.timeout = 30`` so that infinite
    loops end), graded by one sequential ``nbgrader autograde ASSIGNMENT``.

Reported: the wall time of each, their ratio, the per-student totals of the honest
submissions (correct, buggy, blank) that differ between the two gradebooks, and where
(A)'s time goes (from ``judged/ASSIGNMENT/timing.log`` and the training cache). Progress
goes to stderr. The script reports targets and never fails on a missed one.

Usage::

    python benchmarks/bench_grading.py --out benchmarks/results.md
    python benchmarks/bench_grading.py --students 6 --skip-stock   # a quick look
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from grading.benchmark import Settings, run_benchmark, say
from grading.report import render
from grading.resume import OtherSettingsError
from results_file import write_section

from autograder.assignments import ASSIGNMENTS

#: This benchmark's section of the results file, which other benchmarks share.
SECTION = "bench_grading"


def parse_arguments(argv: list[str] | None) -> tuple[argparse.Namespace, Settings]:
    """The command line's options, and the settings of the run they ask for."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, help="write the Markdown section here (default: stdout)"
    )
    parser.add_argument("--students", type=int, default=100, help="submissions per assignment")
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="course grade's worker processes"
    )
    parser.add_argument(
        "--assignments", nargs="+", default=list(ASSIGNMENTS), choices=list(ASSIGNMENTS)
    )
    parser.add_argument("--skip-stock", action="store_true", help="do not run stock nbgrader")
    parser.add_argument(
        "--stock-students",
        nargs="+",
        default=[],
        metavar="[ASSIGNMENT=]N",
        help="grade only the first N submissions (of every assignment, or of ASSIGNMENT) with"
        " stock nbgrader; its time for the whole class is then an estimate, so labelled",
    )
    parser.add_argument("--workdir", type=Path, help="keep the two course directories here")
    parser.add_argument(
        "--resume",
        action="store_true",
        help="continue a run (same settings, same --workdir) that was stopped part-way: the"
        " timings it finished are kept, the one it was in is redone from clean",
    )
    args = parser.parse_args(argv)
    if args.resume and not args.workdir:
        parser.error("--resume needs --workdir")
    stock_students = {name: args.students for name in ASSIGNMENTS}
    for item in args.stock_students:
        name, _, count = item.rpartition("=")
        for key in [name] if name else list(stock_students):
            stock_students[key] = min(int(count), args.students)
    settings = Settings(
        args.students, args.workers, args.assignments, args.skip_stock, stock_students
    )
    return args, settings


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and write its section (to ``--out``, else to stdout).

    Raises
    ------
    SystemExit
        If ``--resume`` finds a run with other settings in ``--workdir``.
    """
    args, settings = parse_arguments(argv)
    # The work directory when there is no --workdir, removed at the end.
    with tempfile.TemporaryDirectory(prefix="bench-grading-") as temporary:
        try:
            results = run_benchmark(settings, args.workdir or Path(temporary), args.resume)
        except OtherSettingsError as error:
            raise SystemExit(f"bench_grading.py: error: {error}") from None
    report = render(results, settings.students, settings.workers)
    if args.out is None:
        print(report, end="")
    else:
        write_section(args.out, SECTION, report)
        say(f"wrote {args.out}")


if __name__ == "__main__":
    main()
