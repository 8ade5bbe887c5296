"""The two graders the grading benchmark times, (A) ``course grade`` and (B) stock nbgrader,
the records of their runs, and the grades and training times read back from a course."""

from __future__ import annotations

import json
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from autograder.assignments import Assignment
from autograder.course_dir import build_course, read_scores, run_nbgrader, start_nbgrader
from autograder.grade import grade_assignment
from autograder.judge import Verdict

from .load_monitor import LoadMonitor

__all__ = [
    "STOCK_TIMEOUT",
    "CourseGradeRun",
    "StockRun",
    "build_stock_course",
    "cell_scores",
    "run_course_grade",
    "run_stock",
    "training_seconds",
]

#: Stock nbgrader's cell timeout, so that infinite loops end.
STOCK_TIMEOUT = 30
#: Appended to the stock course's config: the course's autograde steps with nbgrader's
#: Execute back in the judge's place.
STOCK_CONFIG = f"""

# --- bench_grading.py: stock nbgrader, the notebook executed in a kernel -------------
c.Autograde.autograde_preprocessors = [
    "nbgrader.preprocessors.Execute" if step == "autograder.nbgrader_judge.JudgeCells" else step
    for step in c.Autograde.autograde_preprocessors
]
c.Execute.timeout = {STOCK_TIMEOUT}
"""
#: The graded function whose hidden check trains the submitted model.
TRAINED_FUNCTION = "build_conv_pool_model"


@dataclass
class CourseGradeRun:
    """(A): ``grade_assignment`` on one assignment."""

    seconds: float = 0.0
    #: Seconds until the last verdict came in.
    pool_seconds: float = 0.0
    #: One entry per submission, from :func:`parse_timing_log`.
    log: list[dict[str, object]] = field(default_factory=list)
    #: Distinct models trained (files in the training cache).
    trainings_run: int = 0
    #: Submissions whose training check was reached.
    training_calls: int = 0
    #: Seconds of each nbgrader command of the record step (autograde, generate_feedback).
    record: dict[str, float] = field(default_factory=dict)
    #: Share of the machine's CPU that other processes used meanwhile.
    others: float = 0.0


@dataclass
class StockRun:
    """(B): one stock ``nbgrader autograde`` on one assignment."""

    seconds: float = 0.0
    returncode: int = 0
    #: Student → seconds spent on the student's notebook.
    per_notebook: dict[str, float] = field(default_factory=dict)
    #: nbgrader's lines about assignments it failed to process.
    errors: list[str] = field(default_factory=list)
    #: Share of the machine's CPU that other processes used meanwhile.
    others: float = 0.0


def build_stock_course(root: Path, assignments: tuple[str, ...]) -> None:
    """Build the course into ``root`` as ``course build`` does, then configure stock nbgrader's
    autograde (:data:`STOCK_CONFIG`)."""
    build_course(root, assignments)
    with (root / "nbgrader_config.py").open("a", encoding="utf-8") as config:
        config.write(STOCK_CONFIG)


def parse_timing_log(path: Path) -> list[dict[str, object]]:
    """The judge's lines: ``TIME ASSIGNMENT STUDENT points=N start=…s total=…s F=…s status=…``.

    Returns
    -------
    list of dict
        Per line: ``student``, ``status``, ``functions`` (function → seconds) and, when
        the line has them, ``points``, ``start`` and ``total``.
    """
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        head, _, status = line.partition(" status=")
        tokens = head.split()
        if len(tokens) < 3:
            continue
        entry: dict[str, object] = {"student": tokens[2], "status": status, "functions": {}}
        for token in tokens[3:]:
            key, _, value = token.partition("=")
            if key == "points":
                entry["points"] = int(value)
            elif key in ("start", "total"):
                entry[key] = float(value.rstrip("s"))
            elif value.endswith("s"):
                entry["functions"][key] = float(value.rstrip("s"))
        entries.append(entry)
    return entries


def _reached_training(verdict: Verdict) -> bool:
    """Whether judging ``verdict``'s submission got as far as training its model."""
    return any(
        function.hidden_passed
        or "train_and_evaluate" in function.hidden_message
        or "trained for" in function.hidden_message
        for function in verdict.functions
        if function.name == TRAINED_FUNCTION
    )


def run_course_grade(
    root: Path, assignment: Assignment, workers: int, monitor: LoadMonitor
) -> CourseGradeRun:
    """Grade with ``grade_assignment``, timing the whole, its pool and each record command.

    Parameters
    ----------
    root
        The course directory, its class submitted.
    assignment
        The assignment graded.
    workers
        ``grade_assignment``'s worker processes.
    monitor
        Measures the other processes' load meanwhile (started).

    Returns
    -------
    CourseGradeRun
        What the run measured.
    """
    run = CourseGradeRun()
    mark = monitor.mark()
    start = last_verdict = time.perf_counter()

    def progress(done: int, total: int, label: str) -> None:
        nonlocal last_verdict
        last_verdict = time.perf_counter()
        sys.stderr.write(f"\r  (A) {assignment.name}: judged {done}/{total} {label[:50]:<50}")
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    def timed_nbgrader(course: Path, *arguments: str) -> str:
        began = time.perf_counter()
        try:
            return run_nbgrader(course, *arguments)
        finally:
            run.record[arguments[0]] = time.perf_counter() - began

    verdicts = grade_assignment(
        root, assignment, workers, progress=progress, nbgrader=timed_nbgrader
    )
    run.seconds = time.perf_counter() - start
    run.others = monitor.others_share(mark)
    run.pool_seconds = last_verdict - start
    run.log = parse_timing_log(root / "judged" / assignment.name / "timing.log")
    if assignment.uses_keras:
        run.trainings_run = len(list((root / "judged" / "training").glob("*.json")))
        run.training_calls = sum(map(_reached_training, verdicts.values()))
    return run


def run_stock(root: Path, assignment: Assignment, monitor: LoadMonitor) -> StockRun:
    """One ``nbgrader autograde`` with stock nbgrader's Execute.

    A notebook's time runs from its first ``Converting notebook`` log line (nbgrader
    converts each one twice: sanitized, then executed) to the next notebook's; the log goes
    to ``ROOT/stock-ASSIGNMENT.log``.

    Parameters
    ----------
    root
        The stock course directory (:func:`build_stock_course`), its class submitted.
    assignment
        The assignment graded.
    monitor
        Measures the other processes' load meanwhile (started).

    Returns
    -------
    StockRun
        What the run measured.
    """
    run = StockRun()
    mark = monitor.mark()
    start = time.perf_counter()
    process = start_nbgrader(root, "autograde", assignment.name)
    current, since = None, start
    total = len(list((root / "submitted").glob(f"*/{assignment.name}")))
    with (root / f"stock-{assignment.name}.log").open("w", encoding="utf-8") as log:
        for line in process.stdout:
            log.write(line)
            if "There was an error processing assignment '" in line:
                run.errors.append(line.strip())
            found = re.search(r"Converting notebook (\S+)", line)
            if not found:
                continue
            now = time.perf_counter()
            if current is not None:
                run.per_notebook[current] = run.per_notebook.get(current, 0.0) + now - since
            current, since = Path(found.group(1)).parts[-3], now
            done = len(run.per_notebook) + (current not in run.per_notebook)
            sys.stderr.write(f"\r  (B) {assignment.name}: notebook {done}/{total} {current:<30}")
            sys.stderr.flush()
    run.returncode = process.wait()
    run.seconds = time.perf_counter() - start
    run.others = monitor.others_share(mark)
    if current is not None:
        run.per_notebook[current] = run.per_notebook.get(current, 0.0) + start + run.seconds - since
    sys.stderr.write("\n")
    return run


def training_seconds(root: Path) -> float:
    """Seconds the judge spent training, from the training cache (one file per model)."""
    files = (root / "judged" / "training").glob("*.json")
    return sum(json.loads(path.read_text())["train_seconds"] or 0.0 for path in files)


def cell_scores(root: Path, assignment: str) -> dict[str, dict[str, float]]:
    """Student → graded cell → points, from the gradebook of the course ``root``."""
    scores: dict[str, dict[str, float]] = {}
    for score in read_scores(root, assignment):
        scores.setdefault(score.student, {})[score.grade_id] = score.score or 0.0
    return scores
