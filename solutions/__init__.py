"""Reference implementations of every graded function of the course.

The single source of solution code: assignments and solution notebooks are built
from these functions (which are graded, and where, the registry says:
:mod:`autograder.assignments`). Each is imported on first use, from the numpy modules
first, so that the numpy exercises never load TensorFlow.

Examples
--------
>>> import solutions
>>> solutions.correlate2d([[1.0, 2.0], [3.0, 4.0]], [[1.0]])
array([[1., 2.],
       [3., 4.]])
"""

from __future__ import annotations

import importlib

#: The modules of reference code, numpy first: a name is looked up in that order, so the
#: numpy functions never load Keras.
MODULES = ("solutions.filters", "solutions.pooling", "solutions.models")


def __getattr__(name: str) -> object:
    """Every public function of :data:`MODULES` (their ``__all__``), imported on first use."""
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        if name in module.__all__:
            return getattr(module, name)
    raise AttributeError(f"module 'solutions' has no attribute {name!r}")
