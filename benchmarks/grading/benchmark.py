"""One run of the grading benchmark: build the two courses, generate the classes, time both
graders on each assignment (resumably) and gather the results."""

from __future__ import annotations

import os
import shutil
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from autograder.assignments import ASSIGNMENTS
from autograder.course_dir import build_course
from autograder.secret import SECRET_VARIABLE

from .classes import SHARES, generate_classes, write_class
from .load_monitor import LoadMonitor
from .report import Result
from .resume import ResumeState
from .runs import build_stock_course, cell_scores, run_course_grade, run_stock, training_seconds

__all__ = ["Settings", "run_benchmark", "say"]

#: The grading secret of both course directories (a benchmark's, not a course's).
SECRET = "bench-grading-secret"
#: In the work directory: the course graded by (A), by (B), and the resume state.
COURSE_GRADE_DIR, STOCK_DIR, STATE_FILE = "course_grade", "stock_nbgrader", "state.json"


@dataclass(frozen=True)
class Settings:
    """What a run measures; a resumed run must have the same."""

    #: Submissions per assignment.
    students: int
    #: ``course grade``'s worker processes.
    workers: int
    assignments: list[str]
    skip_stock: bool
    #: Assignment name → how many of its submissions (the first) stock nbgrader grades.
    stock_students: dict[str, int]


def say(message: str) -> None:
    """Write a progress line to stderr."""
    sys.stderr.write(f"[bench_grading {time.strftime('%H:%M:%S')}] {message}\n")
    sys.stderr.flush()


def _start(settings: Settings, workdir: Path, resume: bool) -> ResumeState:
    """The state to resume when asked and saved, else a new one, the courses built afresh.

    Raises
    ------
    OtherSettingsError
        If the state to resume has other settings.
    """
    path = workdir / STATE_FILE
    if resume and path.exists():
        state = ResumeState.load(path, asdict(settings))
        say(f"resuming the run in {workdir}: done {', '.join(state.finished())}")
        return state
    say(f"building the two courses in {workdir}")
    shutil.rmtree(workdir / COURSE_GRADE_DIR, ignore_errors=True)
    build_course(workdir / COURSE_GRADE_DIR, tuple(settings.assignments))
    if not settings.skip_stock:
        shutil.rmtree(workdir / STOCK_DIR, ignore_errors=True)
        build_stock_course(workdir / STOCK_DIR, tuple(settings.assignments))
    state = ResumeState(asdict(settings))
    state.save(path)
    return state


def run_benchmark(settings: Settings, workdir: Path, resume: bool = False) -> list[Result]:
    """Time ``course grade`` (A) and stock nbgrader (B) on each assignment's class.

    Each finished run is saved in ``workdir``'s resume state; the one a stop interrupted
    is redone from clean.

    Parameters
    ----------
    settings
        What to measure.
    workdir
        Where the two course directories (``course_grade/``, ``stock_nbgrader/``) and the
        resume state go.
    resume
        Continue the run saved in ``workdir`` rather than start anew.

    Returns
    -------
    list of Result
        What was measured, per assignment of ``settings``.

    Raises
    ------
    OtherSettingsError
        If ``resume`` and the saved run has other settings.
    """
    os.environ[SECRET_VARIABLE] = SECRET  # both courses: the same hidden inputs
    monitor = LoadMonitor()
    monitor.start()
    state = _start(settings, workdir, resume)
    ours, stock = workdir / COURSE_GRADE_DIR, workdir / STOCK_DIR
    assignments = [ASSIGNMENTS[name] for name in settings.assignments]
    classes = generate_classes(assignments, settings.students)
    for name, students in classes.items():
        kinds = {k: sum(s.kind == k for s in students) for k in SHARES}
        say(f"{name}: {len(students)} submissions {kinds}")

    for assignment in assignments:
        if assignment.name in state.course_grade:
            continue
        write_class(ours, assignment, classes[assignment.name])
        say(f"(A) course grade {assignment.name}, {settings.workers} workers")
        run = run_course_grade(ours, assignment, settings.workers, monitor)
        say(f"(A) {assignment.name}: {run.seconds:.1f} s (pool {run.pool_seconds:.1f} s)")
        state.course_grade[assignment.name] = run
        state.save(workdir / STATE_FILE)

    for assignment in [] if settings.skip_stock else assignments:
        if assignment.name in state.stock:
            continue
        count = settings.stock_students[assignment.name]
        write_class(stock, assignment, classes[assignment.name][:count])
        say(f"(B) stock nbgrader autograde {assignment.name}, {count} notebooks")
        run = run_stock(stock, assignment, monitor)
        say(f"(B) {assignment.name}: {run.seconds:.1f} s, exit status {run.returncode}")
        state.stock[assignment.name] = run
        state.save(workdir / STATE_FILE)

    return [
        Result(
            assignment,
            classes[assignment.name],
            state.course_grade[assignment.name],
            state.stock.get(assignment.name),
            settings.stock_students[assignment.name],
            cell_scores(ours, assignment.name),
            {} if settings.skip_stock else cell_scores(stock, assignment.name),
            training_seconds(ours) if assignment.uses_keras else 0.0,
        )
        for assignment in assignments
    ]
