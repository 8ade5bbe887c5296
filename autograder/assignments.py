"""The registry: every assignment and every graded function, and the facts about them.

Each graded function has one :class:`GradedFunction` entry here — its assignment, its
lesson, its reference module, where its visible and hidden tests and mutants are, its
points per cell, the time its tests may take and the libraries it may use. The grade ids
of its nbgrader cells are derived here too. The notebook builder, the judge, the report,
the website, the README tables and the tests all read these entries; nothing else states
them. Adding a graded function is adding one entry (``CONTRIBUTING.md`` walks through it).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from course.check import HIDDEN, VISIBLE

__all__ = [
    "ASSIGNMENTS",
    "GRADED_FUNCTIONS",
    "HIDDEN",
    "VISIBLE",
    "Assignment",
    "GradedFunction",
    "find_assignment",
    "graded_function",
    "parse_grade_id",
]

#: Libraries of a function written by hand with numpy (and the course's argument and
#: geometry helpers); the standard library is always allowed.
BY_HAND = ("numpy", "course")
#: Libraries of a function that builds Keras layers and models.
WITH_KERAS = ("numpy", "course", "keras")

#: The prefix of a graded cell's nbgrader grade id, by kind: a function's visible tests
#: (in the student's notebook) and its hidden tests (added at grading).
GRADE_ID_PREFIXES = {VISIBLE: "test_", HIDDEN: "hidden_"}

#: What the hidden tests of a numpy assignment try.
HIDDEN_BY_HAND = (
    "the same functions on random inputs (sizes, strides, paddings, negative values, "
    "non-square shapes) compared with independent implementations, and bad input, which "
    "must raise the `TypeError` or `ValueError` the docstring names for that case, with a "
    "message naming the argument"
)
#: Test accuracy that ps3's convnet must reach on the bundled digits when the hidden tests
#: train it (the reference reaches 0.956 to 0.963 over seeds 0-3).
MIN_CONVNET_ACCURACY = 0.95
#: What the hidden tests of the Keras assignment try.
HIDDEN_WITH_KERAS = (
    "your layer and models on other kernels (odd and even sizes, negative values), pool "
    "sizes, image shapes and class counts, compared with independent computations (SciPy's "
    "correlation, Keras' own pooling and a softmax); bad arguments, which must raise the "
    "error the docstring names; and `build_conv_pool_model`'s model trained briefly on the "
    f"bundled digits, which must reach a test accuracy of at least {MIN_CONVNET_ACCURACY}"
)


def _load(module: str, name: str) -> Callable[..., Any]:
    return getattr(importlib.import_module(module), name)


@dataclass(frozen=True)
class GradedFunction:
    """One graded function: what grading it needs to know.

    Its reference is ``REFERENCE_MODULE.NAME``; its visible test ``check_NAME`` of
    ``course.visible_tests.ASSIGNMENT``, its hidden test ``check_NAME`` of
    ``autograder.hidden_tests.ASSIGNMENT``, its mutants those of
    ``autograder.mutants.ASSIGNMENT`` (see :mod:`autograder.mutation`); its task text is
    the lesson ``lesson``'s exercise on it (:func:`lessons.task_text`).
    """

    name: str
    assignment: str
    #: Stem of the lesson whose exercise introduces it, e.g. ``"01_hand_convolution"``.
    lesson: str
    reference_module: str
    #: Top-level modules it may use besides the standard library (enforced by the judge,
    #: :mod:`autograder.library_rules`).
    libraries: tuple[str, ...]
    #: Seconds that all the calls its tests make may take together (one timeout per
    #: function, not one per test).
    seconds: float
    visible_points: int = 1
    hidden_points: int = 2

    @property
    def points(self) -> int:
        return self.visible_points + self.hidden_points

    def grade_id(self, kind: str) -> str:
        """The nbgrader grade id of its ``kind`` (:data:`VISIBLE` or :data:`HIDDEN`) cell.

        >>> graded_function("conv2d").grade_id(HIDDEN)
        'hidden_conv2d'
        """
        return GRADE_ID_PREFIXES[kind] + self.name

    def cell_points(self, kind: str) -> int:
        return self.visible_points if kind == VISIBLE else self.hidden_points

    @property
    def visible_tests_module(self) -> str:
        return f"course.visible_tests.{self.assignment}"

    @property
    def hidden_tests_module(self) -> str:
        return f"autograder.hidden_tests.{self.assignment}"

    @property
    def test_name(self) -> str:
        """The name of its test function in both test modules."""
        return f"check_{self.name}"

    def reference(self) -> Callable[..., Any]:
        return _load(self.reference_module, self.name)

    def visible_test(self) -> Callable[..., Any]:
        return _load(self.visible_tests_module, self.test_name)

    def hidden_test(self) -> Callable[..., Any]:
        return _load(self.hidden_tests_module, self.test_name)


def _by_hand(name: str, assignment: str, lesson: str, module: str) -> GradedFunction:
    return GradedFunction(name, assignment, lesson, module, BY_HAND, seconds=60.0)


def _with_keras(name: str, lesson: str) -> GradedFunction:
    return GradedFunction(name, "ps3_keras", lesson, "solutions.models", WITH_KERAS, 120.0)


#: Every graded function, in the order of its assignment's notebook.
GRADED_FUNCTIONS: tuple[GradedFunction, ...] = (
    *(
        _by_hand(name, "ps1_filters", "01_hand_convolution", "solutions.filters")
        for name in ("correlate2d", "convolve2d", "edge_kernel", "conv2d")
    ),
    *(
        _by_hand(name, "ps2_pooling", "02_hand_pooling", "solutions.pooling")
        for name in (
            "max_pool2d",
            "avg_pool2d",
            "max_pool2d_backward",
            "count_distinct_after_pooling",
        )
    ),
    _with_keras("edge_conv_layer", "04_into_keras"),
    _with_keras("build_pool_only_model", "05_why_not_pool_first"),
    _with_keras("build_conv_pool_model", "04_into_keras"),
)


@dataclass(frozen=True)
class Assignment:
    """One nbgrader assignment, ``name`` being its folder and notebook name."""

    name: str
    title: str
    #: The module of :mod:`solutions` whose names its notebook's setup cell imports.
    solution_module: str
    uses_keras: bool
    #: What the hidden tests try, for the notebook's header (a clause, no final stop).
    hidden_tests: str
    #: Seconds one call of a student's function may take.
    call_seconds: float
    #: Seconds the setup cell and all the student's cells may take together.
    setup_seconds: float = 60.0

    @property
    def graded(self) -> tuple[GradedFunction, ...]:
        """Its graded functions, in notebook order."""
        return tuple(f for f in GRADED_FUNCTIONS if f.assignment == self.name)

    @property
    def functions(self) -> tuple[str, ...]:
        """The names of its graded functions, in notebook order."""
        return tuple(f.name for f in self.graded)

    @property
    def libraries(self) -> dict[str, tuple[str, ...]]:
        """Function name → the libraries it may use."""
        return {f.name: f.libraries for f in self.graded}

    @property
    def mutants_module(self) -> str:
        return f"autograder.mutants.{self.name}"

    @property
    def notebook(self) -> str:
        return f"{self.name}.ipynb"

    @property
    def all_libraries(self) -> tuple[str, ...]:
        """Every library some function of the assignment may use."""
        return tuple(sorted({name for names in self.libraries.values() for name in names}))

    @property
    def max_points(self) -> int:
        return sum(f.points for f in self.graded)


ASSIGNMENTS = {
    a.name: a
    for a in (
        Assignment(
            "ps1_filters",
            "Filters: cross-correlation, convolution and edge kernels by hand",
            "solutions.filters",
            uses_keras=False,
            hidden_tests=HIDDEN_BY_HAND,
            call_seconds=10.0,
        ),
        Assignment(
            "ps2_pooling",
            "Pooling by hand: max, average, its gradient, and what survives it",
            "solutions.pooling",
            uses_keras=False,
            hidden_tests=HIDDEN_BY_HAND,
            call_seconds=10.0,
        ),
        Assignment(
            "ps3_keras",
            "Into Keras: hand filters in a Conv2D, the pool-only baseline, a small convnet",
            "solutions.models",
            uses_keras=True,
            hidden_tests=HIDDEN_WITH_KERAS,
            call_seconds=30.0,
        ),
    )
}


def graded_function(name: str) -> GradedFunction:
    """The registry entry of the graded function ``name``.

    >>> graded_function("max_pool2d").assignment
    'ps2_pooling'
    """
    for function in GRADED_FUNCTIONS:
        if function.name == name:
            return function
    raise KeyError(f"{name!r} is not a graded function")


def parse_grade_id(grade_id: str) -> tuple[str, GradedFunction] | None:
    """(kind, function) of a graded cell's grade id; None for any other id.

    >>> kind, function = parse_grade_id("test_correlate2d")
    >>> kind, function.name
    ('visible', 'correlate2d')
    >>> parse_grade_id("hidden_bonus") is None
    True
    """
    for function in GRADED_FUNCTIONS:
        for kind in GRADE_ID_PREFIXES:
            if grade_id == function.grade_id(kind):
                return kind, function
    return None


def find_assignment(name: str) -> Assignment:
    """The assignment called ``name``, or the only one whose name starts with it.

    Examples
    --------
    >>> find_assignment("ps2").name
    'ps2_pooling'
    >>> find_assignment("ps9")
    Traceback (most recent call last):
    ...
    ValueError: unknown assignment 'ps9'; choose one of ps1_filters, ps2_pooling, ps3_keras
    """
    matches = [a for a in ASSIGNMENTS.values() if a.name == name or a.name.startswith(f"{name}_")]
    if len(matches) != 1:
        raise ValueError(f"unknown assignment {name!r}; choose one of {', '.join(ASSIGNMENTS)}")
    return matches[0]
