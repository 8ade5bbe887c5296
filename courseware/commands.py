"""The instructor's subcommands of ``course``, registered through entry points.

``convpool-instructor`` names each :class:`course.cli.Command` below in the entry-point
group ``convpool_course.commands`` (its ``pyproject.toml``), so that ``course`` — a
command of the student package — shows them only where this package is installed.

``course demo [--out DIR]``
    The main job: find the four edges of the course's "7" by hand (``DIR/seven_edges.png``),
    print the verification table, build the lessons into ``DIR/lessons/`` and print each
    lesson's time and key numbers, then build the nbgrader course in ``DIR/course/``,
    autograde sample submissions (correct, partly wrong, blank) and print the grades.
``course verify``
    Print the verification table only: every hand-written operator against SciPy,
    Keras or TensorFlow; exits with status 1 if any row disagrees.
``course lessons [--source DIR] [--out DIR]``
    Execute every lesson into a notebook with outputs and print the summary.
``course build [--root DIR] [--lessons DIR] [ASSIGNMENT ...]``
    Write the nbgrader course (``nbgrader_config.py``, ``source/``) into DIR (default
    ``build/course``), release the assignments with ``nbgrader generate_assignment``, and
    write the class edition of the lessons into ``DIR/release/lessons/`` (from the executed
    lessons in ``--lessons``, default ``build/lessons``; missing ones are executed first).
``course grade ASSIGNMENT [--root DIR] [--workers N] [--rejudge]``
    Judge every submission in parallel (sandboxed, outside the students' kernels), record
    the grades with nbgrader and write the feedback. A submission judged before from the
    same code keeps its verdict unless ``--rejudge``.
``course report ASSIGNMENT [--root DIR]``
    Write ``reports/ASSIGNMENT/grades.csv`` (per-function points and a status column) and
    ``report.html`` (histogram, pass rate per function, faulty submissions).
``course site [--out DIR] [--lessons DIR] [--source DIR] [--edition self-study|class]``
    Build the website (default ``build/site``) from the executed lessons (``build/lessons``;
    missing or out-of-date ones are executed first) and print its path and the build time.
    The self-study edition folds the reference solutions under each exercise; the class
    edition has none.

Every module this one needs is imported when its command runs, so that ``course check``
and ``course --help`` stay fast.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from course.cli import Command
from courseware import EDITIONS

__all__ = ["BUILD", "DEMO", "GRADE", "LESSONS", "REPORT", "SITE", "VERIFY"]

COURSE_ROOT = Path("build/course")
EXECUTED_LESSONS = Path("build/lessons")


def _root_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--root", type=Path, default=COURSE_ROOT, help="course directory")


def _assignment_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("assignment", help="e.g. ps1 or ps1_filters")
    _root_argument(parser)


def _verify_table() -> bool:
    from autograder import verify

    checks = verify.verification_checks()
    print(verify.format_table(checks))
    return all(check.passed for check in checks)


def _run_verify(args: argparse.Namespace) -> int:
    return 0 if _verify_table() else 1


VERIFY = Command(
    "hand-written operators against SciPy/Keras/TensorFlow", lambda parser: None, _run_verify
)


def _execute_lessons(source: Path | None, out: Path) -> None:
    from courseware.executed_lessons import build_lessons, format_summary

    summary = format_summary(build_lessons(source, out))
    (out / "summary.txt").write_text(summary + "\n", encoding="utf-8")
    print(f"lessons executed into {out}/ (times and key numbers also in {out / 'summary.txt'}):")
    print(summary)


def _lessons_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--source", type=Path, default=None, help="lesson sources (default: the course's)"
    )
    parser.add_argument("--out", type=Path, default=EXECUTED_LESSONS, help="notebooks")


def _run_lessons(args: argparse.Namespace) -> int:
    _execute_lessons(args.source, args.out)
    return 0


LESSONS = Command("execute the lessons into notebooks", _lessons_arguments, _run_lessons)


def _build_course(root: Path, names: Sequence[str], executed_lessons: Path) -> Path:
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


def _build_arguments(parser: argparse.ArgumentParser) -> None:
    _root_argument(parser)
    parser.add_argument(
        "--lessons",
        type=Path,
        default=EXECUTED_LESSONS,
        help="executed lessons for the class edition (default: build/lessons)",
    )
    parser.add_argument("assignments", nargs="*", help="e.g. ps1 (default: all)")


def _run_build(args: argparse.Namespace) -> int:
    _build_course(args.root, args.assignments, args.lessons)
    return 0


BUILD = Command("write the nbgrader course and release it", _build_arguments, _run_build)


def _grade_arguments(parser: argparse.ArgumentParser) -> None:
    _assignment_arguments(parser)
    parser.add_argument("--workers", type=int, default=None, help="default: one per core")
    parser.add_argument(
        "--rejudge", action="store_true", help="judge again submissions judged before"
    )


def _run_grade(args: argparse.Namespace) -> int:
    from autograder import assignments, batch

    assignment = assignments.find_assignment(args.assignment)
    start = time.perf_counter()
    verdicts = batch.grade_assignment(args.root, assignment, args.workers, rejudge=args.rejudge)
    faulty = {s: v.status for s, v in sorted(verdicts.items()) if v.status != "ok"}
    print(
        f"{assignment.name}: {len(verdicts)} submissions graded in "
        f"{time.perf_counter() - start:.1f} s; {len(faulty)} with problems"
    )
    for student, status in faulty.items():
        print(f"  {student}: {status}")
    return 0


GRADE = Command("judge and record every submission", _grade_arguments, _run_grade)


def _run_report(args: argparse.Namespace) -> int:
    from autograder import assignments, report

    try:
        for path in report.write_report(args.root, assignments.find_assignment(args.assignment)):
            print(f"wrote {path}")
    except (FileNotFoundError, ValueError) as error:
        print(f"course report: {error}", file=sys.stderr)
        return 2
    return 0


REPORT = Command("grades.csv and an HTML report", _assignment_arguments, _run_report)


def _site_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=Path("build/site"), help="website folder")
    parser.add_argument("--lessons", type=Path, default=EXECUTED_LESSONS, help="notebooks")
    parser.add_argument(
        "--source", type=Path, default=None, help="lesson sources (default: the course's)"
    )
    parser.add_argument(
        "--edition",
        choices=EDITIONS,
        default=EDITIONS[0],
        help="self-study: solutions folded under each exercise; class: no solutions",
    )


def _run_site(args: argparse.Namespace) -> int:
    from courseware.site import SiteError, build_site

    try:
        site = build_site(
            args.out, lessons_dir=args.lessons, source_dir=args.source, edition=args.edition
        )
    except SiteError as error:
        print(f"course site: {error}", file=sys.stderr)
        return 1
    if site.executed:
        print(f"executed out-of-date lessons into {args.lessons}/: {', '.join(site.executed)}")
    index = site.path / "index.html"
    print(f"website built in {site.seconds:.1f} s: {index} ({args.edition} edition)")
    return 0


SITE = Command("build the website", _site_arguments, _run_site)


def _grade_samples(root: Path, executed_lessons: Path) -> None:
    from autograder import batch, course_dir, report, samples
    from autograder.assignments import ASSIGNMENTS

    start = time.perf_counter()
    _build_course(root, (), executed_lessons)
    for assignment in ASSIGNMENTS.values():
        samples.submit_samples(root, assignment)
        batch.grade_assignment(root, assignment, progress=None)
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
        for direction in filters.EDGE_DIRECTIONS
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


def _demo_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out", type=Path, default=Path("build"), help="output folder (default: build)"
    )


def _run_demo(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    _seven_edges(args.out)
    print()
    agreed = _verify_table()
    print()
    _execute_lessons(None, args.out / "lessons")
    print()
    _grade_samples(args.out / "course", args.out / "lessons")
    print(f"\ndemo finished in {time.perf_counter() - start:.1f} s")
    return 0 if agreed else 1


DEMO = Command("edge maps of the 7, the verification table, lessons, sample grading",
               _demo_arguments, _run_demo)  # fmt: skip
