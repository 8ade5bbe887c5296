"""Sample submissions for the demo: a correct one, a partly wrong one, a blank one.

Built from the release notebooks, the reference solutions and the mutant catalogue, so
they always match the current assignments.
"""

from __future__ import annotations

from pathlib import Path

from autograder.assignments import Assignment
from autograder.course_dir import read_scores, submit_answers
from autograder.mutation import catalogue, reference_answers
from autograder.notebooks import function_source

__all__ = ["SAMPLE_STUDENTS", "format_grade_table", "sample_submissions", "submit_samples"]

#: The sample students and what they hand in.
SAMPLE_STUDENTS = {
    "ada": "every function right",
    "ben": "every other function wrong (a mutant from the catalogue)",
    "cyd": "the notebook as released, nothing written",
}


def sample_submissions(assignment: Assignment) -> dict[str, dict[str, str]]:
    """Student id → answers for :data:`SAMPLE_STUDENTS`."""
    correct = reference_answers(assignment)
    mutants = catalogue(assignment)
    partly_wrong = {
        name: function_source(mutants[name][0], name) if index % 2 else source
        for index, (name, source) in enumerate(correct.items())
    }
    return {"ada": correct, "ben": partly_wrong, "cyd": {}}


def submit_samples(root: Path, assignment: Assignment) -> None:
    """Write the sample submissions of ``assignment`` into the course's ``submitted/``."""
    submit_answers(root, assignment, sample_submissions(assignment))


def format_grade_table(root: Path, assignments: list[Assignment]) -> str:
    """Points per student and assignment, from the gradebook.

    Returns
    -------
    str
        One row per student: ``earned/max`` per assignment and in total.
    """
    totals: dict[str, dict[str, tuple[float, float]]] = {}
    for assignment in assignments:
        for score in read_scores(root, assignment.name):
            earned, full = totals.setdefault(score.student, {}).get(assignment.name, (0.0, 0.0))
            totals[score.student][assignment.name] = (
                earned + score.score,
                full + score.max_score,
            )
    header = ["student", *(a.name for a in assignments), "total"]
    rows = []
    for student, by_assignment in sorted(totals.items()):
        cells = [by_assignment.get(a.name, (0.0, 0.0)) for a in assignments]
        total = (sum(c[0] for c in cells), sum(c[1] for c in cells))
        rows.append([student, *(f"{e:g}/{m:g}" for e, m in [*cells, total])])
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    )
