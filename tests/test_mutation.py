"""Mutation strength: every wrong implementation in the catalogue loses points.

Each assignment's mutant submissions (one per mutant, plus the reference) are graded
by the real ``nbgrader autograde`` in a course built by ``course build``; the three
assignments are graded at once, in three processes. The kill rates are the README's.
"""

import re
from pathlib import Path

import pytest

from autograder.assignments import ASSIGNMENTS
from autograder.course_dir import (
    build_course,
    finish_nbgrader,
    read_scores,
    start_nbgrader,
    submit_answers,
)
from autograder.mutation import (
    REFERENCE_STUDENT,
    catalogue,
    kill_counts,
    mutant_submissions,
    points_by_function,
)

README = Path(__file__).resolve().parents[1] / "README.md"
MIN_MUTANTS = 8


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Course root per assignment, every mutant submission autograded."""
    roots = {}
    for name, assignment in ASSIGNMENTS.items():
        root = build_course(tmp_path_factory.mktemp(name), (name,))
        submit_answers(root, assignment, mutant_submissions(assignment))
        roots[name] = root
    processes = [start_nbgrader(root, "autograde", name) for name, root in roots.items()]
    for process in processes:
        finish_nbgrader(process)
    return roots


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_every_function_has_a_catalogue_of_mutants(name):
    for function, mutants in catalogue(ASSIGNMENTS[name]).items():
        assert len(mutants) >= MIN_MUTANTS, function


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_every_mutant_loses_points_and_the_reference_none(graded, name):
    assignment = ASSIGNMENTS[name]
    earned, full = points_by_function(read_scores(graded[name], name), assignment)
    assert earned[REFERENCE_STUDENT] == full
    counts = kill_counts(assignment, earned, full)
    assert {c.function: c.survivors for c in counts} == {f: () for f in assignment.functions}


def test_the_readme_reports_the_catalogue():
    text = README.read_text()
    for assignment in ASSIGNMENTS.values():
        for function, mutants in catalogue(assignment).items():
            row = re.search(
                rf"^\| `{function}` \| {len(mutants)} \| {len(mutants)} \| 100 % \|", text, re.M
            )
            assert row, f"README's kill-rate row for {function} is missing or out of date"
