"""The ``course`` command.

Subcommands:

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
``course build [--root DIR] [ASSIGNMENT ...]``
    Write the nbgrader course (``nbgrader_config.py``, ``source/``) into DIR (default
    ``build/course``) and release the assignments with ``nbgrader generate_assignment``.
``course grade ASSIGNMENT [--root DIR] [--workers N] [--rejudge]``
    For instructors: judge every submission in parallel (sandboxed, outside the
    students' kernels), record the grades with nbgrader and write the feedback. A
    submission judged before from the same code keeps its verdict unless ``--rejudge``.
``course report ASSIGNMENT [--root DIR]``
    Write ``reports/ASSIGNMENT/grades.csv`` (per-function points and a status column) and
    ``report.html`` (histogram, pass rate per function, faulty submissions).
``course check ASSIGNMENT [NOTEBOOK]``
    For students: execute an assignment notebook and print its visible tests per
    function; exits with status 1 unless they all pass.
``course site [--out DIR] [--lessons DIR] [--source DIR]``
    Build the self-study website (default ``build/site``) from the executed lessons
    (``build/lessons``; missing or out-of-date ones are executed first) and print its
    path and the build time.

``demo``, ``verify`` and ``build`` need the instructor packages ``solutions`` and ``autograder``,
which a student's installation does not have; so do the lessons' exercise cells.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import course

__all__ = ["main"]


def _instructor_module(name: str) -> ModuleType:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as error:
        if error.name not in {"solutions", "autograder"}:
            raise
        raise SystemExit(
            f"course: this command needs the instructor package {error.name!r}, which is not "
            "installed; run it from a clone of the course repository (make demo)."
        ) from error


def _verify() -> bool:
    verify = _instructor_module("autograder.verify")
    checks = verify.verification_checks()
    print(verify.format_table(checks))
    return all(check.passed for check in checks)


def _demo(out: Path) -> bool:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from course.data import SEVEN_INDEX, available_sources, load_digits, the_seven
    from course.plotting import plot_feature_maps

    filters = _instructor_module("solutions.filters")
    start = time.perf_counter()
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
    print()
    agreed = _verify()
    print()
    _lessons(Path("lessons"), out / "lessons")
    print()
    _grade_samples(out / "course")
    print(f"\ndemo finished in {time.perf_counter() - start:.1f} s")
    return agreed


def _lessons(source: Path, out: Path) -> None:
    from course.lessons import build_lessons, format_summary

    lessons = build_lessons(source, out)
    summary = format_summary(lessons)
    (out / "summary.txt").write_text(summary + "\n", encoding="utf-8")
    print(f"lessons executed into {out}/ (times and key numbers also in {out / 'summary.txt'}):")
    print(summary)


def _build(root: Path, names: Sequence[str]) -> Path:
    assignments = _instructor_module("autograder.assignments")
    course_dir = _instructor_module("autograder.course_dir")
    chosen = tuple(assignments.find_assignment(n).name for n in names) or tuple(
        assignments.ASSIGNMENTS
    )
    root = course_dir.build_course(root, chosen)
    for name in chosen:
        print(f"released {name}: {root / 'release' / name / (name + '.ipynb')}")
    print(f"nbgrader course in {root} (run nbgrader commands there)")
    return root


def _grade_samples(root: Path) -> None:
    course_dir = _instructor_module("autograder.course_dir")
    samples = _instructor_module("autograder.samples")
    batch = _instructor_module("autograder.batch")
    report = _instructor_module("autograder.report")
    from autograder.assignments import ASSIGNMENTS

    start = time.perf_counter()
    _build(root, ())
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


def _grade(name: str, root: Path, workers: int | None, rejudge: bool) -> None:
    assignments = _instructor_module("autograder.assignments")
    batch = _instructor_module("autograder.batch")
    assignment = assignments.find_assignment(name)
    start = time.perf_counter()
    verdicts = batch.grade_assignment(root, assignment, workers, rejudge=rejudge)
    faulty = {s: v.status for s, v in sorted(verdicts.items()) if v.status != "ok"}
    print(
        f"{assignment.name}: {len(verdicts)} submissions graded in "
        f"{time.perf_counter() - start:.1f} s; {len(faulty)} with problems"
    )
    for student, status in faulty.items():
        print(f"  {student}: {status}")


def _report(name: str, root: Path) -> None:
    assignments = _instructor_module("autograder.assignments")
    report = _instructor_module("autograder.report")
    assignment = assignments.find_assignment(name)
    for path in report.write_report(root, assignment):
        print(f"wrote {path}")


def _check(assignment: str, notebook: Path | None) -> bool:
    from course.selfcheck import check_notebook, find_notebook, format_report

    path = notebook or find_notebook(assignment)
    results = check_notebook(path)
    print(format_report(path, results))
    return all(r.passed for r in results)


def _site(out: Path, lessons: Path, source: Path) -> int:
    _instructor_module("autograder.assignments")  # the exercise pages show the solutions
    from course.site import SiteError, build_site

    try:
        site = build_site(out, lessons_dir=lessons, source_dir=source)
    except SiteError as error:
        print(f"course site: {error}", file=sys.stderr)
        return 1
    if site.executed:
        print(f"executed out-of-date lessons into {lessons}/: {', '.join(site.executed)}")
    print(f"website built in {site.seconds:.1f} s: {site.path / 'index.html'}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``course`` command; returns the exit status."""
    parser = argparse.ArgumentParser(prog="course", description=__doc__.split("\n\n")[0])
    parser.add_argument("--version", action="version", version=f"course {course.__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="edge maps of the 7 and the verification table")
    demo.add_argument(
        "--out", type=Path, default=Path("build"), help="output folder (default: build)"
    )
    commands.add_parser("verify", help="hand-written operators against SciPy/Keras/TensorFlow")
    lessons = commands.add_parser("lessons", help="execute the lessons into notebooks")
    lessons.add_argument("--source", type=Path, default=Path("lessons"), help="lesson sources")
    lessons.add_argument("--out", type=Path, default=Path("build/lessons"), help="notebooks")
    build = commands.add_parser("build", help="write the nbgrader course and release it")
    build.add_argument("--root", type=Path, default=Path("build/course"), help="course directory")
    build.add_argument("assignments", nargs="*", help="e.g. ps1 (default: all)")
    grade = commands.add_parser("grade", help="judge and record every submission")
    grade.add_argument("assignment", help="e.g. ps1 or ps1_filters")
    grade.add_argument("--root", type=Path, default=Path("build/course"), help="course directory")
    grade.add_argument("--workers", type=int, default=None, help="default: one per core")
    grade.add_argument(
        "--rejudge", action="store_true", help="judge again submissions judged before"
    )
    report = commands.add_parser("report", help="grades.csv and an HTML report")
    report.add_argument("assignment", help="e.g. ps1 or ps1_filters")
    report.add_argument("--root", type=Path, default=Path("build/course"), help="course directory")
    check = commands.add_parser("check", help="run an assignment notebook's visible tests")
    check.add_argument("assignment", help="e.g. ps1 or ps1_filters")
    check.add_argument("notebook", type=Path, nargs="?", help="default: ASSIGNMENT*.ipynb here")
    site = commands.add_parser("site", help="build the self-study website")
    site.add_argument("--out", type=Path, default=Path("build/site"), help="website folder")
    site.add_argument("--lessons", type=Path, default=Path("build/lessons"), help="notebooks")
    site.add_argument("--source", type=Path, default=Path("lessons"), help="lesson sources")
    args = parser.parse_args(argv)
    if args.command == "site":
        return _site(args.out, args.lessons, args.source)
    if args.command == "build":
        _build(args.root, args.assignments)
        return 0
    if args.command == "grade":
        _grade(args.assignment, args.root, args.workers, args.rejudge)
        return 0
    if args.command == "report":
        try:
            _report(args.assignment, args.root)
        except (FileNotFoundError, ValueError) as error:
            print(f"course report: {error}", file=sys.stderr)
            return 2
        return 0
    if args.command == "check":
        try:
            return 0 if _check(args.assignment, args.notebook) else 1
        except (FileNotFoundError, ValueError) as error:
            print(f"course check: {error}", file=sys.stderr)
            return 2
    if args.command == "lessons":
        _lessons(args.source, args.out)
        return 0
    agreed = _demo(args.out) if args.command == "demo" else _verify()
    return 0 if agreed else 1


if __name__ == "__main__":
    sys.exit(main())
