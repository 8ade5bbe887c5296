"""Judge a submission outside the student's kernel.

The points of each graded function are decided here, in the grader's own process,
which student code cannot reach. The student's code cells are taken from the submitted
notebook (never its outputs, never its test cells) and run in a :class:`Sandbox`; the
visible checks of :mod:`course.visible_tests` and the hidden checks of
:mod:`autograder.hidden_tests` then call the student's functions through the sandbox and get
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
import inspect
import io
import json
import os
import re
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from autograder.assignments import Assignment, graded_function
from autograder.grading_code import grading_code_digest
from autograder.isolation import Limits, SandboxFailure, package_folder
from autograder.library_rules import ALWAYS_ALLOWED, hidden_libraries, libraries_used
from autograder.notebook_cells import student_cells
from autograder.notebooks import setup_source
from autograder.sandbox import Sandbox
from autograder.sandboxed_training import SandboxTrainer
from autograder.secret import SECRET_VARIABLE

__all__ = [
    "FunctionVerdict",
    "Verdict",
    "cleaned",
    "hidden_paths",
    "judge_limits",
    "judge_notebook",
    "submission_digest",
]

#: Errors in a student's cell worth a status line: the functions it defines are missing.
_LOADING_ERRORS = ("SyntaxError", "IndentationError", "TabError", "ModuleNotFoundError")


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
        function = graded_function(self.name)
        return (
            function.visible_points * self.visible_passed
            + function.hidden_points * self.hidden_passed
        )


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


def judge_limits(assignment: Assignment, call_seconds: float = 0.0) -> Limits:
    """The sandbox limits a submission of ``assignment`` is judged with: ``call_seconds``
    per call and for the setup when the course sets it (``c.JudgeCells.call_seconds``),
    else the registry's :attr:`~Assignment.call_seconds` and
    :attr:`~Assignment.setup_seconds` (the reference answers take milliseconds)."""
    if call_seconds:
        return Limits(call_seconds=call_seconds, setup_seconds=call_seconds)
    return Limits(call_seconds=assignment.call_seconds, setup_seconds=assignment.setup_seconds)


def submission_digest(assignment: Assignment, cells: list[str], limits: Limits) -> str:
    """Identifies what a verdict was computed from: the code, the assignment, the secret,
    the limits and the grading code. The same digest, the same verdict: it is reused,
    never computed again (a verdict that a time limit decided is not re-rolled)."""
    secret = os.environ.get(SECRET_VARIABLE, "")
    material = json.dumps(
        [
            assignment.name,
            hashlib.sha256(secret.encode()).hexdigest(),
            repr(limits),
            grading_code_digest(),
            cells,
        ]
    )
    return hashlib.sha256(material.encode()).hexdigest()


#: The packages of convpool-instructor that hold code (the lesson sources hold none).
INSTRUCTOR_PACKAGES = ("solutions", "autograder", "courseware")


def hidden_paths(course_root: Path) -> list[Path]:
    """What sandboxed code must not see: the course directory, the reference solutions,
    the whole instructor side (hidden tests, mutants, oracles, registry, builders; the
    runner runs from a copy of its own), and in a source checkout its git history, tests,
    build folder (which holds built courses) and dist folder (which holds the wheels)."""
    checkout = package_folder("autograder").parent
    paths = [
        Path(course_root).resolve(),
        *filter(None, map(package_folder, INSTRUCTOR_PACKAGES)),
        *(checkout / name for name in (".git", "tests", "build", "dist")),
    ]
    return [p for p in paths if p.exists()]


def _message(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text if isinstance(error, AssertionError) else f"{type(error).__name__}: {text}"


def _run_check(check: Any, function: Any, **extras: Any) -> tuple[bool, str]:
    with contextlib.redirect_stdout(io.StringIO()):
        try:
            check(function, **extras)
        except Exception as error:  # a failed check, or a check broken by odd results
            return False, _message(error)
    return True, ""


def _proxy(sandbox: Sandbox, name: str, seconds_in_all: float) -> Any:
    """The student's ``name``, called in the sandbox. After one hang or crash, or once its
    calls have taken ``seconds_in_all``, later calls fail at once with the same status:
    one timeout per function, not one per test."""
    broken: list[SandboxFailure] = []
    spent = [0.0]

    def call(*args: Any, **kwargs: Any) -> Any:
        if not broken and spent[0] > seconds_in_all:
            status = f"timeout in {name} (over {seconds_in_all:g} s in all)"
            sandbox.failures.append(status)
            broken.append(SandboxFailure(status))
        if broken:
            raise broken[0]
        began = time.perf_counter()
        try:
            return sandbox.call(name, *args, **kwargs)
        except SandboxFailure as failure:
            broken.append(failure)
            raise
        finally:
            spent[0] += time.perf_counter() - began

    call.__name__ = call.__qualname__ = name
    return call


def _last_line(text: str) -> str:
    lines = text.strip().splitlines()
    return lines[-1] if lines else ""


def _forbidden(assignment: Assignment, name: str, modules: set[str]) -> list[str]:
    """The modules among ``modules`` that ``name`` may not use."""
    allowed = set(assignment.libraries[name]) | ALWAYS_ALLOWED
    return sorted(m for m in modules if m.split(".")[0] not in allowed)


def _uses_forbidden(assignment: Assignment, name: str, modules: list[str]) -> FunctionVerdict:
    """The verdict of a function that uses libraries its assignment does not allow."""
    allowed = ", ".join(assignment.libraries[name])
    status = (
        f"{name} uses {', '.join(dict.fromkeys(modules))}, which {assignment.name} does not"
        f" allow (allowed: {allowed} and the standard library)"
    )
    return FunctionVerdict(name, visible_message=status, hidden_message=status, status=status)


def _tests(name: str, trainer: SandboxTrainer) -> list[tuple[Any, dict]]:
    """The visible and the hidden test of ``name``, with what each is given besides the
    function: a hidden test that trains gets the sandboxed ``trainer``."""
    function = graded_function(name)
    hidden = function.hidden_test()
    extras = {"train": trainer} if "train" in inspect.signature(hidden).parameters else {}
    return [(function.visible_test(), {}), (hidden, extras)]


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
        Sandbox limits (default :func:`judge_limits`).
    """
    limits = limits or judge_limits(assignment)
    cells = student_cells(notebook) if notebook is not None else []
    verdict = Verdict(assignment.name, submission_digest(assignment, cells, limits), status)
    if notebook is None:
        verdict.functions = [
            FunctionVerdict(n, visible_message=status, hidden_message=status, status=status)
            for n in assignment.functions
        ]
        return verdict
    start = time.perf_counter()
    hidden = hidden_paths(course_root)
    libraries = libraries_used(cells, assignment.functions)
    if not assignment.uses_keras:  # what would do the work for a numpy function: hidden
        hidden += hidden_libraries(assignment.all_libraries)
    sandbox = Sandbox(
        setup_source(assignment), cells, hidden, limits, libraries=assignment.all_libraries
    )
    trainer = SandboxTrainer(hidden, cache=Path(course_root) / "judged" / "training")
    problems = []
    try:
        sandbox.start()
        verdict.timings["start"] = time.perf_counter() - start
        problems += [f"timeout in cell {i + 1} (skipped)" for i in sandbox.hung_cells]
        problems += [
            f"cell {i + 1} failed: {_last_line(error)}"
            for i, error in sorted(sandbox.cell_errors.items())
            if _last_line(error).startswith(_LOADING_ERRORS)
        ]
        if sandbox.refused_imports:
            problems.append(f"imports refused: {', '.join(sandbox.refused_imports)}")
        for name in assignment.functions:
            if forbidden := _forbidden(assignment, name, libraries[name]):
                verdict.functions.append(_uses_forbidden(assignment, name, forbidden))
                problems.append(verdict.functions[-1].status)
                continue
            began = time.perf_counter()
            failures, refusals = len(sandbox.failures), len(trainer.failures)
            imported = len(sandbox.refused_imports)
            function = _proxy(sandbox, name, graded_function(name).seconds)
            result = FunctionVerdict(name)
            (visible, _), (hidden_test, extras) = _tests(name, trainer)
            result.visible_passed, result.visible_message = _run_check(visible, function)
            result.hidden_passed, result.hidden_message = _run_check(
                hidden_test, function, **extras
            )
            statuses = sandbox.failures[failures:] + trainer.failures[refusals:]
            if forbidden := sandbox.refused_imports[imported:]:
                result = _uses_forbidden(assignment, name, forbidden)
                statuses = [result.status]
            if statuses:
                result.status = statuses[0]
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
    return cleaned(verdict)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _clean(text: str, secret: str) -> str:
    """Text that may carry the student's bytes, fit for a terminal, a log and feedback:
    no control characters (terminal escapes), never the grading secret, bounded."""
    if len(secret) >= 8:  # a shorter one would blank ordinary words
        text = text.replace(secret, "[grading secret]")
    text = text.encode("utf-8", "replace").decode("utf-8")  # lone surrogates cannot be written
    return _CONTROL.sub("?", text)[:4000]


def cleaned(verdict: Verdict) -> Verdict:
    """The verdict with every text :func:`_clean`: safe to print, log and show."""
    secret = os.environ.get(SECRET_VARIABLE, "")
    verdict.status = _clean(verdict.status, secret).replace("\n", " ")
    for result in verdict.functions:
        for name in ("visible_message", "hidden_message", "status"):
            setattr(result, name, _clean(getattr(result, name), secret))
    return verdict
