"""Judge a submission outside the student's kernel.

The points of each graded function are decided here, in the grader's own process,
which student code cannot reach. The student's code cells are taken from the submitted
notebook (never its outputs, never its test cells) and run in a :class:`Sandbox`; the
visible checks of :mod:`course.checks` and the hidden checks of
:mod:`autograder.hidden` then call the student's functions through the sandbox and get
back plain data (arrays rebuilt from ``.npy`` bytes, Keras models loaded in safe mode),
which they compare with independent oracles on inputs drawn from the grading secret.
Monkeypatching, input transformers, always-equal objects, edited test cells or a
caught ``AssertionError`` happen in the sandbox, where they change nothing here.

:func:`judge_notebook` is a pure function of (submission, assignment, secret): its
:class:`Verdict` can be computed anywhere and cached.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import io
import json
import os
import time
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import nbformat

from autograder.assignments import HIDDEN_POINTS, VISIBLE_POINTS, Assignment
from autograder.notebooks import setup_source
from autograder.sandbox import Limits, Sandbox, SandboxFailure
from autograder.secret import SECRET_VARIABLE

__all__ = [
    "FunctionVerdict",
    "Verdict",
    "hidden_paths",
    "judge_notebook",
    "read_submission",
    "student_cells",
    "submission_digest",
]

#: Errors in a student's cell worth a status line: the functions it defines are missing.
_LOADING_ERRORS = ("SyntaxError", "IndentationError", "TabError", "ModuleNotFoundError")

#: Cells of the source notebook that student code never comes from.
LOCKED_PREFIXES = ("setup", "header", "task_", "test_", "hidden_")


@dataclass
class FunctionVerdict:
    """The judged result of one graded function."""

    name: str
    visible_passed: bool = False
    visible_message: str = ""
    hidden_passed: bool = False
    hidden_message: str = ""
    status: str = ""
    seconds: float = 0.0

    @property
    def points(self) -> int:
        return VISIBLE_POINTS * self.visible_passed + HIDDEN_POINTS * self.hidden_passed


@dataclass
class Verdict:
    """The judged result of one submission: one :class:`FunctionVerdict` per function."""

    assignment: str
    digest: str
    status: str = "ok"
    functions: list[FunctionVerdict] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def points(self) -> int:
        return sum(f.points for f in self.functions)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=1)

    @classmethod
    def from_json(cls, text: str) -> Verdict:
        data = json.loads(text)
        data["functions"] = [FunctionVerdict(**f) for f in data["functions"]]
        return cls(**data)


def read_submission(path: Path) -> tuple[nbformat.NotebookNode | None, str]:
    """Read a submitted notebook; ``(None, status)`` when it cannot be read."""
    try:
        notebook = nbformat.read(path, as_version=4)
    except FileNotFoundError:
        return None, "missing notebook"
    except Exception as error:  # any unreadable file: JSON, schema, encoding
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return None, f"invalid notebook ({first[:120]})"
    return notebook, "ok"


def student_cells(notebook: nbformat.NotebookNode) -> list[str]:
    """The student's code: every code cell but the course's locked ones (setup, tests)."""
    cells = []
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        grade_id = str(cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", ""))
        if grade_id.startswith(LOCKED_PREFIXES):
            continue
        source = cell.get("source", "")
        cells.append("".join(source) if isinstance(source, list) else str(source))
    return cells


def submission_digest(assignment: Assignment, cells: list[str]) -> str:
    """Identifies what a verdict was computed from: the code, the assignment, the secret."""
    secret = os.environ.get(SECRET_VARIABLE, "")
    material = json.dumps([assignment.name, hashlib.sha256(secret.encode()).hexdigest(), cells])
    return hashlib.sha256(material.encode()).hexdigest()


def hidden_paths(course_root: Path) -> list[Path]:
    """What sandboxed code must not see: the course directory, the reference solutions,
    the whole instructor package (hidden tests, mutants, oracles, registry; the runner
    runs from a copy of its own), and in a source checkout its git history, tests and
    build folder (which holds built courses)."""
    import solutions

    package = Path(importlib.import_module("autograder").__file__).parent
    checkout = package.parent
    paths = [
        Path(course_root).resolve(),
        Path(solutions.__file__).parent,
        package,
        *(checkout / name for name in (".git", "tests", "build")),
    ]
    return [p for p in paths if p.exists()]


def _message(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text if isinstance(error, AssertionError) else f"{type(error).__name__}: {text}"


def _run_check(check: Any, function: Any) -> tuple[bool, str]:
    with contextlib.redirect_stdout(io.StringIO()):
        try:
            check(function)
        except Exception as error:  # a failed check, or a check broken by odd results
            return False, _message(error)
    return True, ""


def _proxy(sandbox: Sandbox, name: str) -> Any:
    """The student's ``name``, called in the sandbox. After one hang or crash, later calls
    fail at once with the same status: one timeout per function, not one per test."""
    broken: list[SandboxFailure] = []

    def call(*args: Any, **kwargs: Any) -> Any:
        if broken:
            raise broken[0]
        try:
            return sandbox.call(name, *args, **kwargs)
        except SandboxFailure as failure:
            broken.append(failure)
            raise

    call.__name__ = call.__qualname__ = name
    return call


def _unnamed(config: Any) -> Any:
    """A Keras config without its layer names (which count the layers made before)."""
    if isinstance(config, dict):
        return {
            k: _unnamed(v)
            for k, v in config.items()
            if k not in {"name", "inbound_nodes", "input_layers", "output_layers"}
        }
    if isinstance(config, list):
        return [_unnamed(v) for v in config]
    return config


def _cached_training(cache: Path) -> Any:
    """``train_and_evaluate`` remembering its result per (model, initial weights, budget).

    Training is a pure function of the architecture, the initial weights, the data and
    the seed (bit-identical on one machine, see tests/test_training.py), so the many
    submissions of a class that build the very same model are trained once.
    """
    from course.training import TrainingResult, train_and_evaluate

    def train(build_model: Any, data: Any, **budget: Any) -> TrainingResult:
        model = build_model()
        digest = hashlib.sha256(json.dumps(_unnamed(model.get_config()), default=str).encode())
        for weights in model.get_weights():
            digest.update(weights.tobytes())
        digest.update(json.dumps(budget, sort_keys=True).encode())
        path = cache / f"{digest.hexdigest()}.json"
        if path.exists():
            return TrainingResult(model=model, **json.loads(path.read_text()))
        result = train_and_evaluate(lambda: model, data, **budget)
        cache.mkdir(parents=True, exist_ok=True)
        saved = {f.name: getattr(result, f.name) for f in fields(result) if f.name != "model"}
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(saved))
        temporary.replace(path)  # atomic: parallel workers never read half a file
        return result

    return train


def judge_notebook(
    notebook: nbformat.NotebookNode | None,
    assignment: Assignment,
    course_root: Path,
    status: str = "ok",
    limits: Limits | None = None,
) -> Verdict:
    """Judge a submission; an unreadable one (``notebook`` None) earns 0 with ``status``.

    Parameters
    ----------
    notebook : NotebookNode or None
        The submitted notebook, as :func:`read_submission` returns it.
    assignment : Assignment
    course_root : path
        Hidden from the student's code, with the solutions and hidden tests.
    status : str
        The submission's status so far (e.g. from :func:`read_submission`).
    limits : Limits, optional
        Sandbox limits; ps3 gets more time per call (building Keras models).
    """
    cells = student_cells(notebook) if notebook is not None else []
    verdict = Verdict(assignment.name, submission_digest(assignment, cells), status)
    if notebook is None:
        verdict.functions = [
            FunctionVerdict(n, visible_message=status, hidden_message=status, status=status)
            for n in assignment.functions
        ]
        return verdict
    limits = limits or Limits(call_seconds=30.0 if assignment.uses_keras else 10.0)
    visible = assignment.visible_checks
    hidden = importlib.import_module(assignment.hidden_checks_module)
    if assignment.uses_keras and hasattr(hidden, "train_and_evaluate"):
        hidden.train_and_evaluate = _cached_training(Path(course_root) / "judged" / "training")
    start = time.perf_counter()
    sandbox = Sandbox(setup_source(assignment), cells, hidden_paths(course_root), limits)
    problems = []
    try:
        sandbox.start()
        verdict.timings["start"] = time.perf_counter() - start
        problems += [f"timeout in cell {i + 1} (skipped)" for i in sandbox.hung_cells]
        problems += [
            f"cell {i + 1} failed: {error.strip().splitlines()[-1]}"
            for i, error in sorted(sandbox.cell_errors.items())
            if error.strip().splitlines()[-1].startswith(_LOADING_ERRORS)
        ]
        for name in assignment.functions:
            began, failures = time.perf_counter(), len(sandbox.failures)
            function = _proxy(sandbox, name)
            result = FunctionVerdict(name)
            result.visible_passed, result.visible_message = _run_check(
                getattr(visible, f"check_{name}"), function
            )
            result.hidden_passed, result.hidden_message = _run_check(
                getattr(hidden, f"check_{name}"), function
            )
            if len(sandbox.failures) > failures:
                result.status = sandbox.failures[failures]
                problems.append(result.status)
            result.seconds = time.perf_counter() - began
            verdict.functions.append(result)
    except SandboxFailure as failure:  # the code could not even be loaded
        problems.append(failure.status)
        done = {f.name for f in verdict.functions}
        verdict.functions += [
            FunctionVerdict(n, visible_message=failure.status, hidden_message=failure.status,
                            status=failure.status)
            for n in assignment.functions if n not in done
        ]  # fmt: skip
    finally:
        sandbox.close()
    verdict.timings["total"] = time.perf_counter() - start
    if problems and verdict.status == "ok":
        verdict.status = "; ".join(dict.fromkeys(problems))
    return verdict
