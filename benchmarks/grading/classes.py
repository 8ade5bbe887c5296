"""The synthetic class of the grading benchmark: correct, buggy, blank and faulty students,
the same every run (seeded), and writing them into a course's ``submitted/``."""

from __future__ import annotations

import ast
import multiprocessing
import random
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder.assignments import ASSIGNMENTS, Assignment
from autograder.course_dir import release_notebook, submit_answers
from autograder.notebooks import submission_from_release

__all__ = [
    "FAULTS",
    "HONEST",
    "PRINTED_LINES",
    "SEED",
    "SHARES",
    "Student",
    "generate_classes",
    "write_class",
]

SEED = 0
#: Share of each kind of submission in a class; faulty ones cycle through FAULTS.
SHARES = {"correct": 0.40, "buggy": 0.35, "blank": 0.15, "faulty": 0.10}
#: The kinds whose grades must not differ between the two graders.
HONEST = ("correct", "buggy", "blank")
FAULTS = ("infinite loop", "os._exit", "invalid JSON", "prints a lot")
#: Lines the noisy function prints on every call.
PRINTED_LINES = 2_000

#: Graded function → (name, source renamed to the graded function) of each of its mutants.
MutantSources = dict[str, list[tuple[str, str]]]


@dataclass(frozen=True)
class Student:
    """One synthetic submission: its kind, what is in it, its answers (None: invalid JSON)."""

    id: str
    kind: str
    detail: str
    answers: dict[str, str] | None


def answer_sources(name: str) -> tuple[dict[str, str], MutantSources]:
    """The reference answers and every mutant's source, per graded function.

    Runs in a spawned process: the Keras mutants import TensorFlow, which the process that
    times the graders does not need. The one place the benchmark reads the mutants.

    Parameters
    ----------
    name
        The assignment's name.

    Returns
    -------
    tuple
        Graded function → reference source, and the mutants' sources.
    """
    from autograder.mutation import catalogue, reference_answers
    from autograder.notebooks import function_source

    assignment = ASSIGNMENTS[name]
    mutants = {
        function: [(m.__name__, function_source(m, function)) for m in found]
        for function, found in catalogue(assignment).items()
    }
    return reference_answers(assignment), mutants


def with_first_statements(source: str, statements: list[str]) -> str:
    """``source`` (one function) with ``statements`` run first in its body.

    Parameters
    ----------
    source
        The function's source.
    statements
        Lines of code, indented relative to the body ("": an empty line).

    Returns
    -------
    str
        The source with the statements after the docstring, if any, else first.
    """
    function = ast.parse(source).body[0]
    assert isinstance(function, ast.FunctionDef)
    first = function.body[0]
    docstring = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
    lines = source.splitlines()
    indent = " " * first.col_offset
    at = first.end_lineno if docstring else first.lineno - 1
    lines[at:at] = [indent + statement if statement else "" for statement in statements]
    return "\n".join(lines) + "\n"


def faulty_answers(fault: str, function: str, reference: dict[str, str]) -> dict[str, str] | None:
    """The reference answers with ``fault`` (one of :data:`FAULTS`) in ``function``.

    Returns
    -------
    dict or None
        Graded function → source; None for an invalid JSON notebook.
    """
    if fault == "invalid JSON":
        return None
    statements = {
        "infinite loop": ["while True:  # forgot to update the loop variable", "    pass"],
        "os._exit": ["import os", "", "os._exit(3)"],
        "prints a lot": [
            f"for line in range({PRINTED_LINES}):",
            f"    print('debugging {function}: line', line, '-' * 60)",
        ],
    }[fault]
    return {**reference, function: with_first_statements(reference[function], statements)}


def make_class(
    assignment: Assignment,
    students: int,
    reference: dict[str, str],
    mutants: MutantSources,
) -> list[Student]:
    """``students`` submissions of ``assignment`` in the shares of :data:`SHARES` (seeded).

    Parameters
    ----------
    assignment
        The assignment submitted.
    students
        How many submissions.
    reference
        Graded function → the reference answer.
    mutants
        The mutants' sources, from :func:`answer_sources`.

    Returns
    -------
    list of Student
        The class, in a seeded random order of kinds.
    """
    rng = random.Random(f"{SEED}:{assignment.name}")
    counts = {kind: round(share * students) for kind, share in SHARES.items() if kind != "correct"}
    counts["correct"] = students - sum(counts.values())
    kinds = [kind for kind in SHARES for _ in range(counts[kind])]
    rng.shuffle(kinds)
    made, faults = [], 0
    for number, kind in enumerate(kinds, 1):
        student = f"s{number:03d}-{kind}"
        if kind == "correct":
            made.append(Student(student, kind, "reference", dict(reference)))
        elif kind == "blank":
            made.append(Student(student, kind, "as released", {}))
        elif kind == "buggy":
            functions = rng.sample(assignment.functions, rng.choice((1, 2)))
            chosen = {function: rng.choice(mutants[function]) for function in functions}
            answers = {**reference, **{f: source for f, (_, source) in chosen.items()}}
            detail = ", ".join(name for name, _ in chosen.values())
            made.append(Student(student, kind, detail, answers))
        else:
            fault = FAULTS[faults % len(FAULTS)]
            faults += 1
            function = rng.choice(assignment.functions)
            detail = fault if fault == "invalid JSON" else f"{fault} in {function}"
            made.append(Student(student, kind, detail, faulty_answers(fault, function, reference)))
    return made


def generate_classes(assignments: list[Assignment], students: int) -> dict[str, list[Student]]:
    """The class of each assignment (the mutants read in one spawned process).

    Parameters
    ----------
    assignments
        The assignments.
    students
        Submissions per assignment.

    Returns
    -------
    dict
        Assignment name → its class, from :func:`make_class`.
    """
    classes = {}
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as helper:
        for assignment in assignments:
            reference, mutants = helper.submit(answer_sources, assignment.name).result()
            classes[assignment.name] = make_class(assignment, students, reference, mutants)
    return classes


def write_class(root: Path, assignment: Assignment, students: list[Student]) -> None:
    """Write the class's submissions into the course ``root`` afresh.

    Whatever an earlier (interrupted) grading of the assignment left in the course goes
    first: its verdicts, training cache, graded notebooks, feedback, repaired submissions.
    The invalid notebooks are written by hand (half of a released notebook).
    """
    for pattern in ("submitted", "autograded", "feedback"):
        for folder in root.glob(f"{pattern}/*/{assignment.name}"):
            shutil.rmtree(folder)
    shutil.rmtree(root / "judged" / assignment.name, ignore_errors=True)
    if assignment.uses_keras:
        shutil.rmtree(root / "judged" / "training", ignore_errors=True)
    submit_answers(root, assignment, {s.id: s.answers for s in students if s.answers is not None})
    release = release_notebook(root, assignment)
    for student in students:
        if student.answers is None:
            folder = root / "submitted" / student.id / assignment.name
            folder.mkdir(parents=True, exist_ok=True)
            text = nbformat.writes(submission_from_release(release, {}))
            (folder / assignment.notebook).write_text(text[: len(text) // 2], encoding="utf-8")
