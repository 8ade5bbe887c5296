"""``course demo [--out DIR]``: the main job. Find the four edges of the course's "7" by
hand (``DIR/seven_edges.png``), print the verification table, execute the lessons into
``DIR/lessons/`` with each one's time and key numbers, then build the nbgrader course in
``DIR/course/``, grade sample submissions (correct, partly wrong, blank) and print the
grades."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from course.cli import Command
from courseware.commands.build import build_course
from courseware.commands.lessons import execute_lessons
from courseware.commands.verify import print_verification_table

__all__ = ["COMMAND"]


def _grade_samples(root: Path, executed_lessons: Path) -> None:
    from autograder import course_dir, grade, report, samples
    from autograder.assignments import ASSIGNMENTS

    start = time.perf_counter()
    build_course(root, (), executed_lessons)
    for assignment in ASSIGNMENTS.values():
        samples.submit_samples(root, assignment)
        grade.grade_assignment(root, assignment, progress=None)
        report.write_report(root, assignment)
    course_dir.run_nbgrader(root, "export")
    print(
        "sample submissions judged and recorded with nbgrader in "
        f"{time.perf_counter() - start:.0f} s (feedback in {root / 'feedback'}, reports in "
        f"{root / 'reports'}, grades in {root / 'grades.csv'}):"
    )
    for student, handed_in in samples.SAMPLE_STUDENTS.items():
        print(f"  {student}: {handed_in}")
    print(samples.format_grade_table(root, list(ASSIGNMENTS.values())))


def _seven_edges(out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from course.data import SEVEN_INDEX, available_sources, load_digits, the_seven
    from course.edges import EDGE_DIRECTIONS
    from course.plotting import plot_feature_maps
    from solutions import filters

    (x_train, _), (x_test, _) = load_digits()
    print(
        f"digits: {len(x_train):,} training and {len(x_test):,} test images, 28×28 "
        f"(sources here: {', '.join(available_sources())}; 'auto' picks the first)"
    )
    seven = the_seven()
    maps = {
        f"{direction} edges": filters.correlate2d(seven, filters.edge_kernel(direction))
        for direction in EDGE_DIRECTIONS
    }
    out.mkdir(parents=True, exist_ok=True)
    figure = plot_feature_maps(
        seven,
        maps,
        title="One handwritten 7 as four edge maps (3×3 Sobel kernels, hand-written correlate2d)",
        image_title=f"the 7 (row {SEVEN_INDEX})",
    )
    figure.savefig(out / "seven_edges.png", dpi=100)
    plt.close(figure)
    print(f"wrote {out / 'seven_edges.png'}: the 7 (28×28) and its four 26×26 edge maps")


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out", type=Path, default=Path("build"), help="output folder (default: build)"
    )


def _run(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    _seven_edges(args.out)
    print()
    agreed = print_verification_table()
    print()
    execute_lessons(None, args.out / "lessons")
    print()
    _grade_samples(args.out / "course", args.out / "lessons")
    print(f"\ndemo finished in {time.perf_counter() - start:.1f} s")
    return 0 if agreed else 1


COMMAND = Command(
    "edge maps of the 7, the verification table, lessons, sample grading", _arguments, _run
)
