"""An nbgrader course directory: its configuration, source notebooks and releases.

:func:`build_course` writes a complete course that real ``nbgrader`` commands run in —
``nbgrader_config.py``, the grading secret, ``source/<assignment>/<assignment>.ipynb``
— then releases every assignment with ``nbgrader generate_assignment``.
:func:`run_nbgrader` runs any nbgrader command in it; :func:`read_scores` reads the
gradebook.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder.assignments import ASSIGNMENTS, Assignment
from autograder.notebooks import build_source_notebook, submission_from_release
from autograder.secret import SECRET_VARIABLE
from course.check import CELL_TIMEOUT

__all__ = [
    "COURSE_ID",
    "NbgraderError",
    "Score",
    "build_course",
    "finish_nbgrader",
    "read_scores",
    "release_notebook",
    "run_nbgrader",
    "start_nbgrader",
    "submit_answers",
]

COURSE_ID = "convpool"
SECRET_FILE = ".grading_secret"

#: stderr that must not cost points: Python warnings, and TensorFlow/absl log lines.
IGNORED_STDERR = (
    r"(?m)^(\S.*:\d+: \w*Warning: |WARNING: All log messages|[IWE]\d{4} \d\d:\d\d:\d\d"
    r"|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+: [IWE] )"
)

CONFIG = '''\
"""nbgrader configuration of the convpool course, written by `course build`."""

import os
from pathlib import Path

c = get_config()  # noqa: F821 (nbgrader provides it)

c.CourseDirectory.course_id = "{course_id}"
c.CourseDirectory.root = str(Path(__file__).resolve().parent)

# The hidden tests draw their inputs from the instructor's secret (autograder.secret).
os.environ.setdefault(
    "{secret_variable}", Path(__file__).with_name("{secret_file}").read_text().strip()
)

# Grades come from the judge (autograder.judge), which runs the students' code in a
# sandbox and checks it from outside: JudgeCells replaces nbgrader's Execute step.
c.JudgeCells.course_root = c.CourseDirectory.root
c.JudgeCells.call_seconds = {call_seconds}
c.Autograde.autograde_preprocessors = [
    "autograder.nbgrader_judge.JudgeCells",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]

# Should Execute be put back in that list: the timeout through c.Execute (nbgrader
# ignores the ExecutePreprocessor spelling), kernels with encrypted channels.
c.Execute.timeout = {timeout}
c.Execute.kernel_manager_class = "course.jupyter_kernels.AsyncEncryptedKernelManager"

# Stock nbgrader gives 0 to a test cell with any stderr: Keras/TensorFlow warnings from a
# correct answer must not.
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = {ignored!r}

# Feedback never shows the hidden tests (stock nbgrader would).
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "autograder.feedback.StripHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
'''


class NbgraderError(RuntimeError):
    """An nbgrader command failed; the message holds its output."""


@dataclass(frozen=True)
class Score:
    """Points of one graded cell of one submission."""

    student: str
    grade_id: str
    score: float
    max_score: float


def start_nbgrader(root: Path, *arguments: str) -> subprocess.Popen[str]:
    """Start ``nbgrader ARGUMENTS`` in the course directory ``root``, its output piped.

    Several can run at once (one per assignment): each autograde has its own kernels.
    """
    # nbgrader calls the `alembic` script of its environment by name: put it on PATH.
    scripts = str(Path(sys.executable).parent)
    path = os.pathsep.join([scripts, os.environ.get("PATH", "")])
    return subprocess.Popen(
        [sys.executable, "-m", "nbgrader", *arguments],
        cwd=root,
        env={**os.environ, "PATH": path},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def finish_nbgrader(process: subprocess.Popen[str]) -> str:
    """Wait for a started nbgrader command; return its log.

    Raises
    ------
    NbgraderError
        If the command exits with an error status. (A submission that fails or times
        out is logged by nbgrader and graded 0 for the cells it broke; the batch goes on.)
    """
    log, _ = process.communicate()
    if process.returncode != 0:
        raise NbgraderError(f"{' '.join(process.args[1:])} failed:\n{log[-4000:]}")
    return log


def run_nbgrader(root: Path, *arguments: str) -> str:
    """Run ``nbgrader ARGUMENTS`` in the course directory ``root``; return its log.

    Raises
    ------
    NbgraderError
        As :func:`finish_nbgrader`.
    """
    return finish_nbgrader(start_nbgrader(root, *arguments))


def _secret(root: Path) -> str:
    path = root / SECRET_FILE
    if path.exists():
        return path.read_text().strip()
    return os.environ.get(SECRET_VARIABLE) or secrets.token_hex(16)


def build_course(
    root: Path,
    assignments: tuple[str, ...] = tuple(ASSIGNMENTS),
    cell_timeout: int = CELL_TIMEOUT,
    call_seconds: float = 0.0,
) -> Path:
    """Write the course into ``root`` and release the assignments.

    A course built before keeps its grading secret (and its gradebook); the source
    notebooks and releases are rewritten.

    Parameters
    ----------
    root : path
        The course directory, created if needed.
    assignments : tuple of str
        Which assignments to build.
    cell_timeout : int
        Seconds one cell may run in a kernel (``c.Execute.timeout``).
    call_seconds : float
        Seconds the judge lets one call of a student's function run (0: the registry's
        :attr:`~autograder.assignments.Assignment.call_seconds`).

    Returns
    -------
    Path
        ``root``, resolved.
    """
    root = Path(root).resolve()
    root.mkdir(parents=True, exist_ok=True)
    secret = _secret(root)
    secret_path = root / SECRET_FILE
    secret_path.write_text(secret + "\n")
    secret_path.chmod(0o600)
    (root / "nbgrader_config.py").write_text(
        CONFIG.format(
            course_id=COURSE_ID,
            secret_variable=SECRET_VARIABLE,
            secret_file=SECRET_FILE,
            timeout=cell_timeout,
            call_seconds=call_seconds,
            ignored=IGNORED_STDERR,
        )
    )
    for name in assignments:
        assignment = ASSIGNMENTS[name]
        folder = root / "source" / name
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(build_source_notebook(assignment), folder / assignment.notebook)
        run_nbgrader(root, "generate_assignment", name, "--force")
    return root


def release_notebook(root: Path, assignment: Assignment) -> nbformat.NotebookNode:
    """The released (student) notebook of ``assignment``."""
    return nbformat.read(root / "release" / assignment.name / assignment.notebook, as_version=4)


def submit_answers(
    root: Path, assignment: Assignment, submissions: Mapping[str, Mapping[str, str]]
) -> None:
    """Write submissions as students hand them in: ``submitted/STUDENT/NAME/NAME.ipynb``.

    Parameters
    ----------
    submissions : mapping
        Student id → graded function name → the source of their solution cell (cells
        not given stay as released).
    """
    release = release_notebook(root, assignment)
    for student, answers in submissions.items():
        folder = Path(root) / "submitted" / student / assignment.name
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(submission_from_release(release, answers), folder / assignment.notebook)


def read_scores(root: Path, assignment: str) -> list[Score]:
    """Every graded cell's score of every autograded submission of ``assignment``."""
    from nbgrader.api import Gradebook

    scores = []
    with Gradebook(f"sqlite:///{Path(root).resolve() / 'gradebook.db'}") as gradebook:
        for submission in gradebook.assignment_submissions(assignment):
            for notebook in submission.notebooks:
                scores += [
                    Score(submission.student_id, grade.name, grade.score, grade.max_score)
                    for grade in notebook.grades
                ]
    return scores
