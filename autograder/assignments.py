"""The three assignments: which graded functions, their points, the libraries they may use.

Everything else about an assignment is derived: the solution code from :mod:`solutions`,
the task text from the lesson exercise that introduces each function, the visible tests
from :mod:`course.visible_tests`, the hidden tests from :mod:`autograder.hidden_tests`.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from types import ModuleType

from solutions import GRADED

__all__ = ["ASSIGNMENTS", "Assignment", "find_assignment"]

#: Points of a graded function's visible-test cell and of its hidden-test cell.
VISIBLE_POINTS = 1
HIDDEN_POINTS = 2

#: Libraries of a function written by hand with numpy (and the course's argument and
#: geometry helpers); the standard library is always allowed.
BY_HAND = ("numpy", "course")
#: Libraries of a function that builds Keras layers and models.
WITH_KERAS = ("numpy", "course", "keras")

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


@dataclass(frozen=True)
class Assignment:
    """One nbgrader assignment, ``name`` being its folder and notebook name."""

    name: str
    title: str
    solution_module: str
    functions: tuple[str, ...]
    uses_keras: bool
    #: Function → the libraries (top-level modules) it may use besides the standard
    #: library; enforced by the judge (:mod:`autograder.library_rules`).
    libraries: dict[str, tuple[str, ...]] = field(hash=False)
    #: What the hidden tests try, for the notebook's header (a clause, no final stop).
    hidden_tests: str = ""

    @property
    def visible_checks(self) -> ModuleType:
        return importlib.import_module(f"course.visible_tests.{self.name}")

    @property
    def hidden_checks_module(self) -> str:
        return f"autograder.hidden_tests.{self.name}"

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
        return len(self.functions) * (VISIBLE_POINTS + HIDDEN_POINTS)


ASSIGNMENTS = {
    a.name: a
    for a in (
        Assignment(
            "ps1_filters",
            "Filters: cross-correlation, convolution and edge kernels by hand",
            "solutions.filters",
            GRADED["ps1_filters"],
            uses_keras=False,
            libraries=dict.fromkeys(GRADED["ps1_filters"], BY_HAND),
            hidden_tests=HIDDEN_BY_HAND,
        ),
        Assignment(
            "ps2_pooling",
            "Pooling by hand: max, average, its gradient, and what survives it",
            "solutions.pooling",
            GRADED["ps2_pooling"],
            uses_keras=False,
            libraries=dict.fromkeys(GRADED["ps2_pooling"], BY_HAND),
            hidden_tests=HIDDEN_BY_HAND,
        ),
        Assignment(
            "ps3_keras",
            "Into Keras: hand filters in a Conv2D, the pool-only baseline, a small convnet",
            "solutions.models",
            GRADED["ps3_keras"],
            uses_keras=True,
            libraries=dict.fromkeys(GRADED["ps3_keras"], WITH_KERAS),
            hidden_tests=HIDDEN_WITH_KERAS,
        ),
    )
}


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
