"""``course grade``: judge a class's submissions in parallel, then record them with nbgrader.

1. **Collect.** Each ``submitted/STUDENT/ASSIGNMENT/`` folder yields one notebook. A
   missing, renamed, unreadable, oversized or structurally damaged notebook (test cells
   deleted, duplicated or stripped of their metadata; metadata of the wrong type; cells
   with grade ids that were never released, which are dropped; more than
   :data:`~autograder.notebook_cells.MAX_CELLS` cells, when only its answer cells are
   kept) is rewritten into the release's structure with the student's code kept, so
   nbgrader sees only notebooks it can record; the original is kept in
   ``judged/ASSIGNMENT/originals/``. The problem becomes the submission's status (and
   stays it on a regrade, until the student hands in something else).
2. **Judge** every submission in a :class:`~autograder.judge_pool.JudgePool` (one worker
   per core by default; a worker that dies or hangs costs only its submission):
   :func:`judge_submission` is a pure function of (notebook, assignment, secret, limits,
   grading code), its :class:`~autograder.judge.Verdict` written to
   ``judged/ASSIGNMENT/STUDENT.json`` and reused as long as that digest holds (a judging
   lost to a dead or stuck worker is not: it is tried again next time), with a
   progress bar on stderr and a timing line per notebook in ``judged/ASSIGNMENT/timing.log``.
3. **Record** with one ``nbgrader autograde`` (whose judge step reads those verdicts) and
   ``nbgrader generate_feedback``: the gradebook is written from one place only.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder.assignments import Assignment
from autograder.course_dir import SECRET_FILE, NbgraderError, release_notebook, run_nbgrader
from autograder.isolation import Limits
from autograder.judge import (
    FunctionVerdict,
    Verdict,
    cleaned,
    judge_limits,
    judge_notebook,
    submission_digest,
)
from autograder.judge_pool import JudgePool, Lost
from autograder.nbgrader_judge import reusable_verdict, verdict_path
from autograder.notebook_cells import (
    MAX_CELLS,
    code_source,
    grade_id,
    is_solution,
    read_submission,
    student_cells,
)
from autograder.sandbox import MAX_HUNG_CELLS
from autograder.sandboxed_training import TRAINING_LIMITS
from autograder.secret import SECRET_VARIABLE

__all__ = [
    "Submission",
    "collect_submissions",
    "grade_assignment",
    "judge_submission",
    "submission_seconds",
]


@dataclass(frozen=True)
class Submission:
    """One student's notebook, ready for the judge, and what was wrong with it."""

    student: str
    path: Path
    status: str


def _has_valid_metadata(cell: object) -> bool:
    """Whether a cell is a dict whose metadata, if any, has the types nbgrader writes."""
    if not isinstance(cell, dict) or cell.get("cell_type") not in ("code", "markdown", "raw"):
        return False
    metadata = cell.get("metadata", {})
    if not isinstance(metadata, dict):
        return False
    info = metadata.get("nbgrader")
    if info is None:
        return True
    return (
        isinstance(info, dict)
        and isinstance(info.get("grade_id"), str)
        and all(isinstance(info.get(k, False), bool) for k in ("solution", "grade", "locked"))
        and isinstance(info.get("points", 0), int | float)
    )


def _structure_problem(notebook: nbformat.NotebookNode, release: nbformat.NotebookNode) -> str:
    """'' when the notebook can go to nbgrader as it is, else what is wrong with it."""
    cells = notebook.cells
    if len(cells) > MAX_CELLS:
        return f"{len(cells):,} cells (at most {MAX_CELLS:,}): graded from its answer cells only"
    if not isinstance(notebook.get("metadata", {}), dict):
        return "invalid notebook metadata (ignored)"
    expected = [grade_id(c) for c in release.cells if grade_id(c)]
    found = Counter(grade_id(c) for c in cells if _has_valid_metadata(c) and grade_id(c))
    kinds = {grade_id(c): c.get("cell_type") for c in release.cells if grade_id(c)}
    problems = []
    if changed := sorted(
        {grade_id(c) for c in cells if grade_id(c) in kinds}
        - {grade_id(c) for c in cells if kinds.get(grade_id(c)) == c.get("cell_type")}
    ):  # nbgrader would turn them back, past the judge: rebuilt instead
        problems.append(f"cells of another type than released: {', '.join(changed)}")
    if invalid := sum(not _has_valid_metadata(c) for c in cells):
        problems.append(f"cells with invalid metadata: {invalid} (read as plain cells)")
    if missing := [g for g in expected if g not in found]:
        problems.append(f"cells missing or stripped of metadata: {', '.join(missing)}")
    if doubled := sorted(g for g, n in found.items() if n > 1 and g in expected):
        problems.append(f"cells duplicated: {', '.join(doubled)}")
    if unknown := sorted(g[:40] for g in set(found) - set(expected)):
        shown = ", ".join(unknown[:5]) + (
            f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        )
        problems.append(f"cells with grade ids never released (dropped): {shown}")
    return "; ".join(problems)


def _rebuilt(
    notebook: nbformat.NotebookNode | None, release: nbformat.NotebookNode
) -> nbformat.NotebookNode:
    """The release's cells, each answer cell holding the student's answer with that id;
    the student's other code cells after them (they run last, as in their notebook).
    Cells with ids that were never released are dropped; so are all the other cells of a
    notebook with more than :data:`MAX_CELLS` cells."""
    answers: dict[str, str] = {}
    extra: list[str] = []
    released = {grade_id(c) for c in release.cells if grade_id(c)}
    cells = notebook.cells if notebook is not None else []
    for cell in cells:
        source = code_source(cell)
        if source is None:
            continue
        identity = grade_id(cell) if _has_valid_metadata(cell) else ""
        if identity in released and is_solution(cell):
            answers[identity] = source  # a duplicate: the last one counts, as in a kernel
        elif not identity and len(cells) <= MAX_CELLS:
            extra.append(source)
    rebuilt = nbformat.from_dict(release)
    for cell in rebuilt.cells:
        if is_solution(cell) and notebook is not None:
            cell.source = answers.get(grade_id(cell), "")
    rebuilt.cells += [nbformat.v4.new_code_cell(source) for source in extra]
    return rebuilt


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _repair_record(path: Path) -> dict[str, str]:
    try:
        record = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


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
            status = f"renamed notebook ({notebooks[0].name[:100]})"
            source_path = notebooks[0]
        else:
            source_path = path
        repair = originals / f"{student}.json"
        record = _repair_record(repair) if path.exists() else {}
        if (
            record
            and record.get("sha256") == _sha256(path)
            and isinstance(record.get("status"), str)
        ):
            submissions.append(Submission(student, path, record["status"]))  # as repaired
            continue
        notebook, read_status = read_submission(source_path)
        if read_status != "ok":
            status = read_status
        elif problem := _structure_problem(notebook, release):
            status = problem if status == "ok" else f"{status}; {problem}"
        if status != "ok":
            try:
                text = nbformat.writes(_rebuilt(notebook, release))
            except Exception as error:  # what even the rebuild cannot hold: graded blank
                status = f"invalid notebook ({type(error).__name__})"
                text = nbformat.writes(_rebuilt(None, release))
            originals.mkdir(parents=True, exist_ok=True)
            if source_path.exists():
                shutil.move(source_path, originals / f"{student}{source_path.suffix}")
            path.write_text(text)
            repair.write_text(json.dumps({"status": status, "sha256": _sha256(path)}))
        submissions.append(Submission(student, path, status))
    return submissions


def course_limits(root: Path, assignment: Assignment) -> Limits:
    """The judge's limits as the course's ``nbgrader_config.py`` sets them
    (``c.JudgeCells.call_seconds``), so ``course grade`` and ``nbgrader autograde`` agree."""
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    return judge_limits(assignment, float(config.JudgeCells.get("call_seconds", 0.0)))


def submission_seconds(assignment: Assignment, limits: Limits) -> float:
    """The longest judging one submission may take before its worker is killed: the
    setup (again after each hung cell, and after each function that broke its sandbox),
    every function's calls and the training, with a minute to spare. A submission only
    gets there if the grader itself is stuck: every part has a limit of its own."""
    setups = (1 + MAX_HUNG_CELLS + len(assignment.functions)) * limits.setup_seconds
    calls = sum(function.seconds + limits.call_seconds for function in assignment.graded)
    training = (
        TRAINING_LIMITS.setup_seconds + TRAINING_LIMITS.call_seconds if assignment.uses_keras else 0
    )
    return setups + calls + training + 60.0


def _digest(submission: Submission, assignment: Assignment, limits: Limits) -> str:
    """The digest the judge gives this submission (computed from the notebook on disk,
    which nbgrader will see)."""
    notebook, _ = read_submission(submission.path)
    return submission_digest(assignment, student_cells(notebook or {}), limits)


def judge_submission(
    submission: Submission, assignment: Assignment, root: Path, limits: Limits
) -> str:
    """Judge one submission (in a worker process); its verdict as JSON."""
    notebook, status = read_submission(submission.path)
    if submission.status.startswith(("invalid notebook", "missing notebook", "notebook too")):
        notebook, status = None, submission.status
    verdict = judge_notebook(notebook, assignment, root, status=status, limits=limits)
    if submission.status != "ok" and verdict.status == "ok":
        verdict.status = submission.status
    elif submission.status not in ("ok", verdict.status):
        verdict.status = f"{submission.status}; {verdict.status}"
    verdict.digest = _digest(submission, assignment, limits)  # of the notebook nbgrader sees
    return cleaned(verdict).to_json()


def _lost_verdict(lost: Lost, assignment: Assignment) -> Verdict:
    """A submission whose judging was lost: no points, and the status says why. It has no
    digest: the grader failed, not the code, so the next ``course grade`` judges it again."""
    functions = [
        FunctionVerdict(n, visible_message=lost.status, hidden_message=lost.status,
                        status=lost.status)
        for n in assignment.functions
    ]  # fmt: skip
    return Verdict(assignment.name, "", lost.status, functions)


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
    rejudge: bool = False,
    *,
    nbgrader: Callable[..., str] = run_nbgrader,
) -> dict[str, Verdict]:
    """Judge every submission of ``assignment`` in parallel and record the grades.

    A submission whose verdict was computed from the very same code, secret, limits and
    grading code keeps it (``rejudge`` judges every submission again).

    Parameters
    ----------
    root
        The course directory.
    assignment
        The assignment whose ``submitted/`` notebooks are graded.
    workers
        Judge processes run at once (default: one per CPU).
    progress
        Called as ``progress(done, total, label)`` after each verdict; None: silent.
    rejudge
        Judge every submission again, even those with a reusable verdict.
    nbgrader
        Runs one nbgrader command of the record step, called as
        ``nbgrader(root, COMMAND, assignment_name, "--force")``, and returns its log, as
        :func:`autograder.course_dir.run_nbgrader` (the default) does; for instance a
        wrapper of it that times each command.

    Returns
    -------
    dict
        Student id → verdict.

    Raises
    ------
    NbgraderError
        If nbgrader failed to record or to write feedback (after both were tried).
    """
    root = Path(root).resolve()
    secret_file = root / SECRET_FILE
    if not os.environ.get(SECRET_VARIABLE) and secret_file.exists():
        os.environ[SECRET_VARIABLE] = secret_file.read_text().strip()
    submissions = collect_submissions(root, assignment)
    folder = root / "judged" / assignment.name
    folder.mkdir(parents=True, exist_ok=True)
    limits = course_limits(root, assignment)
    digests = {s.student: _digest(s, assignment, limits) for s in submissions}
    verdicts: dict[str, Verdict] = {}
    todo = []
    for submission in submissions:
        kept = None if rejudge else reusable_verdict(
            verdict_path(root, assignment.name, submission.student), digests[submission.student]
        )  # fmt: skip
        if kept is None:
            todo.append(submission)
        else:
            verdicts[submission.student] = kept
    start = time.perf_counter()
    pool = JudgePool(workers or os.cpu_count() or 1)
    results = pool.run(
        todo,
        judge_submission,
        arguments=lambda s: (s, assignment, root, limits),
        seconds=lambda s: submission_seconds(assignment, limits),
    )
    with (folder / "timing.log").open("a") as log:
        for done, (submission, result) in enumerate(results, 1):
            student = submission.student
            if isinstance(result, Lost):
                verdict = _lost_verdict(result, assignment)
            else:
                verdict = Verdict.from_json(result)
            verdicts[student] = verdict
            verdict_path(root, assignment.name, student).write_text(verdict.to_json())
            timings = " ".join(f"{k}={v:.2f}s" for k, v in verdict.timings.items())
            functions = " ".join(f"{f.name}={f.seconds:.2f}s" for f in verdict.functions)
            log.write(
                f"{time.strftime('%Y-%m-%dT%H:%M:%S')} {assignment.name} {student} "
                f"points={verdict.points} {timings} {functions} status={verdict.status}\n"
            )
            if progress:
                progress(done, len(todo), f"{student} ({time.perf_counter() - start:.0f} s)")
    if submissions:
        _record(root, assignment, nbgrader)
    return verdicts


def _record(root: Path, assignment: Assignment, nbgrader: Callable[..., str]) -> None:
    """nbgrader autograde, then generate_feedback even if autograde failed for some."""
    failures = []
    for command in ("autograde", "generate_feedback"):
        try:
            nbgrader(root, command, assignment.name, "--force")
        except NbgraderError as error:
            failures.append(str(error))
    if failures:
        raise NbgraderError("\n".join(failures))
