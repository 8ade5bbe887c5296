"""The visible tests of the assignments, and the assertions they are written with.

``course.visible_tests.ps1_filters`` and friends hold one ``check_NAME(NAME)`` function per
graded function; the assignment build copies each one's body into the notebook's locked
visible-test cell, so students read plain test code, and ``course check`` runs it.
"""

from course.visible_tests.expect import (
    expect_array,
    expect_error,
    expect_model,
    expect_probabilities,
    expect_true,
)

__all__ = [
    "expect_array",
    "expect_error",
    "expect_model",
    "expect_probabilities",
    "expect_true",
]
