"""``course grade``: judge a class's submissions in parallel, then record them with nbgrader.

1. **Collect.** Each ``submitted/STUDENT/ASSIGNMENT/`` folder yields one notebook. A
   missing, renamed, unreadable or structurally damaged notebook (test cells deleted,
   duplicated or stripped of their metadata) is rewritten into the release's structure
   with the student's code cells kept, so nbgrader can record it; the original is kept
   in ``judged/ASSIGNMENT/originals/``. The problem becomes the submission's status (and
   stays it on a regrade, until the student hands in something else).
2. **Judge** every submission in a pool of worker processes (one per core by default):
   :func:`judge_submission` is a pure function of (notebook, assignment, secret), its
   :class:`~autograder.judge.Verdict` written to ``judged/ASSIGNMENT/STUDENT.json``, with
   a progress bar on stderr and a timing line per notebook in ``judged/ASSIGNMENT/timing.log``.
3. **Record** with one ``nbgrader autograde`` (whose judge step reads those verdicts) and
   ``nbgrader generate_feedback``: the gradebook is written from one place only.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import shutil
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder.assignments import Assignment
from autograder.course_dir import SECRET_FILE, release_notebook, run_nbgrader
from autograder.judge import (
    Verdict,
    judge_notebook,
    read_submission,
    student_cells,
    submission_digest,
)
from autograder.nbgrader_judge import verdict_path
from autograder.sandbox import Limits
from autograder.secret import SECRET_VARIABLE

__all__ = ["Submission", "collect_submissions", "grade_assignment", "judge_submission"]


@dataclass(frozen=True)
class Submission:
    """One student's notebook, ready for the judge, and what was wrong with it."""

    student: str
    path: Path
    status: str


def _grade_ids(notebook: nbformat.NotebookNode) -> list[str]:
    return [c.get("metadata", {}).get("nbgrader", {}).get("grade_id", "") for c in notebook.cells]


def _structure_problem(notebook: nbformat.NotebookNode, release: nbformat.NotebookNode) -> str:
    """'' when every cell of the release is there exactly once, else what is wrong."""
    expected = [g for g in _grade_ids(release) if g]
    found = _grade_ids(notebook)
    missing = [g for g in expected if g not in found]
    doubled = sorted({g for g in found if g and found.count(g) > 1})
    problems = []
    if missing:
        problems.append(f"cells missing or stripped of metadata: {', '.join(missing)}")
    if doubled:
        problems.append(f"cells duplicated: {', '.join(doubled)}")
    return "; ".join(problems)


def _rebuilt(
    notebook: nbformat.NotebookNode | None, release: nbformat.NotebookNode
) -> nbformat.NotebookNode:
    """The release's cells, each solution cell holding the student's answer with that id;
    the student's other code cells after them (they run last, as in their notebook)."""
    answers: dict[str, str] = {}
    extra: list[str] = []
    locked = {g for g in _grade_ids(release) if g}
    for cell in notebook.cells if notebook is not None else []:
        if cell.get("cell_type") != "code":
            continue
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")
        if grade_id in locked and cell.metadata["nbgrader"].get("solution"):
            answers[grade_id] = cell.source  # a duplicate: the last one counts, as in a kernel
        elif grade_id not in locked:
            extra.append(cell.source)
    rebuilt = nbformat.from_dict(release)
    for cell in rebuilt.cells:
        info = cell.metadata.get("nbgrader", {})
        if info.get("solution") and notebook is not None:
            cell.source = answers.get(info["grade_id"], "")
    rebuilt.cells += [nbformat.v4.new_code_cell(source) for source in extra]
    return rebuilt


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def collect_submissions(root: Path, assignment: Assignment) -> list[Submission]:
    """Every student's submission of ``assignment``, repaired where nbgrader could not
    grade it as handed in (see the module docstring)."""
    release = release_notebook(root, assignment)
    originals = Path(root) / "judged" / assignment.name / "originals"
    submissions = []
    for folder in sorted((Path(root) / "submitted").glob(f"*/{assignment.name}")):
        student = folder.parent.name
        path = folder / assignment.notebook
        notebooks = sorted(folder.glob("*.ipynb"))
        status = "ok"
        if not path.exists() and len(notebooks) == 1:
            status = f"renamed notebook ({notebooks[0].name})"
            source_path = notebooks[0]
        else:
            source_path = path
        repair = originals / f"{student}.json"
        if path.exists() and repair.exists():  # repaired by an earlier run: same status
            record = json.loads(repair.read_text())
            if record["sha256"] == _sha256(path):
                submissions.append(Submission(student, path, record["status"]))
                continue
        notebook, read_status = read_submission(source_path)
        if read_status != "ok":
            status = read_status
        elif problem := _structure_problem(notebook, release):
            status = problem
        if status != "ok":
            originals.mkdir(parents=True, exist_ok=True)
            if source_path.exists():
                shutil.move(source_path, originals / f"{student}{source_path.suffix}")
            nbformat.write(_rebuilt(notebook, release), path)
            repair.write_text(json.dumps({"status": status, "sha256": _sha256(path)}))
        submissions.append(Submission(student, path, status))
    return submissions


def course_limits(root: Path, assignment: Assignment) -> Limits | None:
    """The judge's limits as the course's ``nbgrader_config.py`` sets them
    (``c.JudgeCells.call_seconds``), so ``course grade`` and ``nbgrader autograde`` agree."""
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    return Limits.per_call(float(config.JudgeCells.get("call_seconds", 0.0)))


def judge_submission(
    submission: Submission, assignment: Assignment, root: Path, limits: Limits | None = None
) -> Verdict:
    """Judge one submission (runs in a worker process)."""
    notebook, status = read_submission(submission.path)
    if submission.status.startswith(("invalid notebook", "missing notebook")):
        notebook, status = None, submission.status
    verdict = judge_notebook(notebook, assignment, root, status=status, limits=limits)
    if submission.status != "ok" and verdict.status == "ok":
        verdict.status = submission.status
    elif submission.status not in ("ok", verdict.status):
        verdict.status = f"{submission.status}; {verdict.status}"
    if notebook is None:  # graded as its rebuilt (blank) notebook: same digest as nbgrader's
        rebuilt, _ = read_submission(submission.path)
        verdict.digest = submission_digest(assignment, student_cells(rebuilt))
    return verdict


def _progress(done: int, total: int, label: str) -> None:
    width = 30
    filled = width * done // max(total, 1)
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {label[:40]:<40}")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def grade_assignment(
    root: Path,
    assignment: Assignment,
    workers: int | None = None,
    progress: Callable[[int, int, str], None] | None = _progress,
) -> dict[str, Verdict]:
    """Judge every submission of ``assignment`` in parallel and record the grades.

    Returns
    -------
    dict
        Student id → verdict.
    """
    root = Path(root).resolve()
    secret_file = root / SECRET_FILE
    if not os.environ.get(SECRET_VARIABLE) and secret_file.exists():
        os.environ[SECRET_VARIABLE] = secret_file.read_text().strip()
    submissions = collect_submissions(root, assignment)
    folder = root / "judged" / assignment.name
    folder.mkdir(parents=True, exist_ok=True)
    verdicts: dict[str, Verdict] = {}
    start = time.perf_counter()
    with (
        # spawn, not fork: a forked copy of a process that runs TensorFlow's threads can
        # deadlock on a lock some thread held at the fork.
        ProcessPoolExecutor(
            max_workers=workers or os.cpu_count() or 1,
            mp_context=multiprocessing.get_context("spawn"),
        ) as pool,
        (folder / "timing.log").open("a") as log,
    ):
        limits = course_limits(root, assignment)
        futures = {
            pool.submit(judge_submission, s, assignment, root, limits): s for s in submissions
        }
        for done, future in enumerate(as_completed(futures), 1):
            student = futures[future].student
            verdict = future.result()
            verdicts[student] = verdict
            verdict_path(root, assignment.name, student).write_text(verdict.to_json())
            timings = " ".join(f"{k}={v:.2f}s" for k, v in verdict.timings.items())
            functions = " ".join(f"{f.name}={f.seconds:.2f}s" for f in verdict.functions)
            log.write(
                f"{time.strftime('%Y-%m-%dT%H:%M:%S')} {assignment.name} {student} "
                f"points={verdict.points} {timings} {functions} status={verdict.status}\n"
            )
            if progress:
                progress(done, len(futures), f"{student} ({time.perf_counter() - start:.0f} s)")
    if submissions:
        run_nbgrader(root, "autograde", assignment.name, "--force")
        run_nbgrader(root, "generate_feedback", assignment.name, "--force")
    return verdicts
