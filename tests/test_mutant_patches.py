"""Mutants as patches: do the catalogues' edits fit the references, and fail loudly if not?

The records of :mod:`autograder.mutants` are applied to the reference sources of
:mod:`solutions` by :func:`autograder.mutation.build_mutant`; these tests check the
mechanics (anchors, no-op patches, names, sources, tracebacks), not the kills.
"""

from __future__ import annotations

import importlib
import inspect
import traceback

import pytest

import solutions.filters
from autograder.assignments import ASSIGNMENTS
from autograder.mutants import Edit, Mutant, PatchError
from autograder.mutation import build_mutant, catalogue, mutant_submissions, reference_answers
from autograder.notebooks import function_source


def records(assignment: str) -> tuple[Mutant, ...]:
    return importlib.import_module(ASSIGNMENTS[assignment].mutants_module).MUTANTS


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (Edit("kernel[::1]", "kernel"), "anchor 'kernel[::1]' occurs 0 times"),
        (Edit("kernel", "weights"), "anchor 'kernel' occurs 6 times"),
        (
            Edit("kernel[::-1, ::-1]", "kernel", times=2),
            "anchor 'kernel[::-1, ::-1]' occurs 1 times",
        ),
    ],
    ids=["missing", "ambiguous", "fewer than said"],
)
def test_an_anchor_that_does_not_fit_names_the_mutant_and_the_anchor(edit, problem):
    broken = Mutant("convolve2d", "broken", "Does not fit.", (edit,))
    with pytest.raises(PatchError) as caught:
        build_mutant(broken, solutions.filters)
    assert str(caught.value) == (
        f"mutant convolve2d__broken: {problem} in the body of convolve2d, not {edit.times}"
    )


@pytest.mark.parametrize(
    "edits",
    [
        (Edit("kernel[::-1, ::-1]", "kernel[::-1, ::-1]"),),
        (Edit("kernel[::-1, ::-1]", "kernel.T"), Edit("kernel.T", "kernel[::-1, ::-1]")),
    ],
    ids=["same text", "undone"],
)
def test_a_patch_that_changes_nothing_is_refused(edits):
    idle = Mutant("convolve2d", "idle", "Changes nothing.", edits)
    with pytest.raises(PatchError, match="convolve2d__idle: its edits leave convolve2d unchanged"):
        build_mutant(idle, solutions.filters)


def test_edits_apply_in_order_each_to_the_body_the_last_left():
    """The second anchor exists only once the first edit has been made."""
    twice = Mutant(
        "convolve2d",
        "twice",
        "Transposes the kernel, then flips it.",
        (Edit("kernel[::-1, ::-1]", "kernel.T"), Edit("kernel.T", "kernel.T[::-1, ::-1]")),
    )
    assert "correlate2d(image, kernel.T[::-1, ::-1]," in inspect.getsource(
        build_mutant(twice, solutions.filters)
    )


def test_a_built_mutant_is_the_edited_reference_under_its_own_name():
    mutant = build_mutant(
        Mutant(
            "convolve2d", "not_flipped", "Does not flip.", (Edit("kernel[::-1, ::-1]", "kernel"),)
        ),
        solutions.filters,
    )
    assert mutant.__name__ == "convolve2d__not_flipped"
    assert mutant.__doc__ == "Does not flip."
    assert inspect.signature(mutant) == inspect.signature(solutions.filters.convolve2d)
    reference = function_source(solutions.filters.convolve2d).splitlines()
    source = function_source(mutant, "convolve2d").splitlines()
    assert source[0] == reference[0] == "def convolve2d("
    changed = [line for line in source if line not in reference]
    assert changed == [
        '    """Does not flip."""',
        "    return correlate2d(image, kernel, stride=stride, padding=padding)",
    ]
    assert not hasattr(solutions.filters, "convolve2d__not_flipped")


def test_a_mutants_traceback_shows_its_own_source_line():
    (mutant,) = [
        m
        for m in catalogue(ASSIGNMENTS["ps1_filters"])["convolve2d"]
        if m.__name__ == "convolve2d__flips_before_checking"
    ]
    with pytest.raises(IndexError) as caught:
        mutant([[1.0, 2.0]], [1.0, 2.0])
    frame = traceback.extract_tb(caught.tb)[-1]
    assert frame.filename == "<mutant convolve2d__flips_before_checking>"
    assert frame.line == "kernel = np.asarray(kernel)[::-1, ::-1]"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_catalogue_is_one_built_mutant_per_record(assignment):
    """Unique names of graded functions, one-sentence reasons; each record builds."""
    mutants = records(assignment)
    names = [m.name for m in mutants]
    assert len(set(names)) == len(names)
    assert {m.function for m in mutants} <= set(ASSIGNMENTS[assignment].functions)
    for mutant in mutants:
        assert mutant.mistake.isidentifier(), mutant.name
        assert "__" not in mutant.mistake, mutant.name
        assert mutant.reason.endswith("."), mutant.name
        assert "\n" not in mutant.reason, mutant.name
    built = catalogue(ASSIGNMENTS[assignment])
    assert sorted(m.__name__ for ms in built.values() for m in ms) == sorted(names)


def test_a_mutant_submission_holds_the_edited_source_under_the_graded_name():
    assignment = ASSIGNMENTS["ps1_filters"]
    answer = mutant_submissions(assignment)["correlate2d--flipped-kernel"]
    assert answer.keys() == {"correlate2d"}
    assert answer["correlate2d"].startswith("def correlate2d(\n")
    assert (
        '    """Slides the kernel flipped on both axes: that is convolution."""\n'
        in answer["correlate2d"]
    )
    assert "weights = kernel[::-1, ::-1].astype(dtype).tolist()" in answer["correlate2d"]
    assert "weights = kernel.astype(dtype).tolist()" in reference_answers(assignment)["correlate2d"]
