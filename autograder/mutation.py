"""Mutation testing of the assignments' tests: wrong answers that must lose points.

Each assignment has a catalogue of plausible mistakes in ``autograder.mutants.<assignment>``:
:class:`~autograder.mutants.Mutant` records, each a few edits of a reference function's
source. Built, a mutant is that edited source, defined as ``NAME__mistake`` among the
solution module's names. A mutant submission is the reference submission with one function
replaced by one mutant; the tests "kill" the mutant when that function then earns less
than full marks.
"""

from __future__ import annotations

import importlib
import linecache
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import ModuleType

from autograder.assignments import Assignment, parse_grade_id
from autograder.mutants import Mutant
from autograder.notebooks import function_source

__all__ = [
    "KillCount",
    "build_mutant",
    "catalogue",
    "kill_counts",
    "mutant_student",
    "mutant_submissions",
    "points_by_function",
    "reference_answers",
]

REFERENCE_STUDENT = "reference"


@dataclass(frozen=True)
class KillCount:
    """How many of a function's mutants its tests caught."""

    function: str
    mutants: int
    killed: int
    survivors: tuple[str, ...]

    @property
    def rate(self) -> float:
        return self.killed / self.mutants if self.mutants else 0.0


def build_mutant(mutant: Mutant, module: ModuleType) -> Callable[..., object]:
    """The mutant as a function named ``NAME__mistake``, defined among ``module``'s names.

    Parameters
    ----------
    mutant : Mutant
        The record: which function of ``module`` it edits, and how.
    module : module
        The solution module that defines the reference function.

    Returns
    -------
    callable
        Its source is in :mod:`linecache`, so that tracebacks show it and
        :func:`inspect.getsource` (hence :func:`~autograder.notebooks.function_source`)
        finds it.

    Raises
    ------
    PatchError
        If the edits do not fit the reference (:meth:`Mutant.apply`).
    """
    source = mutant.apply(function_source(getattr(module, mutant.function)))
    source = source.replace(f"def {mutant.function}(", f"def {mutant.name}(", 1)
    filename = f"<mutant {mutant.name}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
    namespace = dict(vars(module))
    exec(compile(source, filename, "exec"), namespace)
    return namespace[mutant.name]


def catalogue(assignment: Assignment) -> dict[str, list[Callable[..., object]]]:
    """Graded function name → its mutants, built (:func:`build_mutant`), in name order."""
    module = importlib.import_module(assignment.solution_module)
    mutants = sorted(
        importlib.import_module(assignment.mutants_module).MUTANTS, key=lambda m: m.name
    )
    return {
        name: [build_mutant(m, module) for m in mutants if m.function == name]
        for name in assignment.functions
    }


def reference_answers(assignment: Assignment) -> dict[str, str]:
    """Graded function name → the reference implementation's source, as a student's answer."""
    module = importlib.import_module(assignment.solution_module)
    return {name: function_source(getattr(module, name)) for name in assignment.functions}


def mutant_student(mutant: Callable[..., object]) -> str:
    """The student id of a mutant's submission, e.g. ``correlate2d--flipped-kernel``."""
    return mutant.__name__.replace("__", "--").replace("_", "-")


def mutant_submissions(assignment: Assignment) -> dict[str, dict[str, str]]:
    """Student id → answers: the reference, and one submission per mutant.

    A mutant of the k-th function is submitted with the reference for the functions
    before it (which it may call) and nothing after it, which keeps grading quick: the
    kill is judged on the mutated function's points only.
    """
    reference = reference_answers(assignment)
    submissions = {REFERENCE_STUDENT: reference}
    for position, (name, mutants) in enumerate(catalogue(assignment).items()):
        before = dict(list(reference.items())[:position])
        for mutant in mutants:
            submissions[mutant_student(mutant)] = {**before, name: function_source(mutant, name)}
    return submissions


def kill_counts(
    assignment: Assignment, earned: dict[str, dict[str, float]], full: dict[str, float]
) -> list[KillCount]:
    """Count, per function, the mutants whose function earned less than ``full`` marks.

    Parameters
    ----------
    earned : mapping
        Student id → graded function name → points earned.
    full : mapping
        Graded function name → its maximum points.
    """
    counts = []
    for name, mutants in catalogue(assignment).items():
        students = [mutant_student(m) for m in mutants]
        survivors = tuple(s for s in students if earned[s][name] >= full[name])
        counts.append(KillCount(name, len(students), len(students) - len(survivors), survivors))
    return counts


def points_by_function(
    scores: Iterable[object], assignment: Assignment
) -> tuple[dict[str, dict[str, float]], dict[str, float]]:
    """Sum graded-cell scores per student and function (its visible- and hidden-test cells).

    Returns
    -------
    earned : dict
        Student id → function → points.
    full : dict
        Function → maximum points.
    """
    earned: dict[str, dict[str, float]] = {}
    full: dict[tuple[str, str], float] = {}
    for score in scores:
        parsed = parse_grade_id(score.grade_id)
        if parsed is None or parsed[1].assignment != assignment.name:
            continue
        function = parsed[1].name
        student = earned.setdefault(score.student, {})
        student[function] = student.get(function, 0.0) + score.score
        full[score.student, function] = full.get((score.student, function), 0.0) + score.max_score
    return earned, {function: points for (_, function), points in full.items()}
