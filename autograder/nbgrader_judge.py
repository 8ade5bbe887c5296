"""The judge inside ``nbgrader autograde``: grades come from the judge, not the kernel.

:class:`JudgeCells` takes the place of nbgrader's ``Execute`` step (see the generated
``nbgrader_config.py``): the notebook is never executed in a kernel the student's code
controls. Each graded cell's outputs are replaced by the judge's verdict — a line of
text when the function passed, an ``AssertionError`` with the judge's message when it
did not — so nbgrader's own ``SaveAutoGrades``, the gradebook, ``generate_feedback``
and ``export`` all carry the judged points. A verdict computed ahead by ``course
grade`` (``judged/ASSIGNMENT/STUDENT.json``) is used when it was computed from the same
code; otherwise the notebook is judged here.
"""

from __future__ import annotations

from pathlib import Path

from nbformat import NotebookNode
from nbformat.v4 import new_output
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Float, Unicode

from autograder.assignments import ASSIGNMENTS, VISIBLE, parse_grade_id
from autograder.judge import Verdict, judge_limits, judge_notebook, submission_digest
from autograder.notebook_cells import grade_id, student_cells

__all__ = ["JudgeCells", "apply_verdict", "reusable_verdict", "verdict_path"]


def verdict_path(root: Path, assignment: str, student: str) -> Path:
    """Where ``course grade`` keeps a submission's verdict."""
    return Path(root) / "judged" / assignment / f"{student}.json"


def reusable_verdict(path: Path, digest: str) -> Verdict | None:
    """The verdict kept at ``path`` if it was computed from what ``digest`` identifies."""
    try:
        verdict = Verdict.from_json(path.read_text())
    except (OSError, ValueError, TypeError, KeyError):  # none, or not one the judge wrote
        return None
    return verdict if verdict.digest == digest else None


def _output(passed: bool, message: str, status: str) -> NotebookNode:
    if passed:
        return new_output("stream", name="stdout", text=message + "\n")
    evalue = f"{message}\n[{status}]" if status and status not in message else message
    return new_output("error", ename="AssertionError", evalue=evalue, traceback=[evalue])


def apply_verdict(notebook: NotebookNode, verdict: Verdict) -> None:
    """Write the verdict into the graded cells' outputs (each function's visible-test and
    hidden-test cells, as the registry names them)."""
    by_name = {f.name: f for f in verdict.functions}
    noted = verdict.status == "ok"
    for cell in notebook.cells:
        parsed = parse_grade_id(grade_id(cell))
        if cell.cell_type != "code" or parsed is None or parsed[1].name not in by_name:
            continue
        kind, name = parsed[0], parsed[1].name
        result = by_name[name]
        if kind == VISIBLE:
            passed, message = result.visible_passed, result.visible_message
            done = f"{name}: visible tests passed (judged outside your notebook)"
        else:
            passed, message = result.hidden_passed, result.hidden_message
            done = f"{name}: hidden tests passed"
        cell.outputs = [_output(passed, done if passed else message, result.status)]
        if not noted:  # the submission's status, once, where the student reads first
            note = f"grading note for this submission: {verdict.status}\n"
            cell.outputs.insert(0, new_output("stream", name="stdout", text=note))
            noted = True
        cell.execution_count = None


class JudgeCells(NbGraderPreprocessor):
    """nbgrader preprocessor: grade a submission with :func:`judge_notebook`."""

    course_root = Unicode(".", help="The course directory (hidden from student code).").tag(
        config=True
    )
    call_seconds = Float(
        0.0, help="Seconds one call of a student's function may take (0: the default)."
    ).tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        info = resources["nbgrader"]
        assignment = ASSIGNMENTS[info["assignment"]]
        root = Path(self.course_root).resolve()
        limits = judge_limits(assignment, self.call_seconds)
        verdict = reusable_verdict(
            verdict_path(root, assignment.name, info["student"]),
            submission_digest(assignment, student_cells(nb), limits),
        )
        if verdict is None:  # not judged yet, or the submission changed since
            verdict = judge_notebook(nb, assignment, root, limits=limits)
        if verdict.status != "ok":
            self.log.warning("%s: %s", info["student"], verdict.status)
        apply_verdict(nb, verdict)
        return nb, resources
