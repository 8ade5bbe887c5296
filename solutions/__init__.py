"""Reference implementations of every graded function of the course.

The single source of solution code: assignments and solution notebooks are built
from these functions. The Keras builders are imported on first use, so that the
numpy exercises never load TensorFlow.

Examples
--------
>>> import solutions
>>> solutions.correlate2d([[1.0, 2.0], [3.0, 4.0]], [[1.0]])
array([[1., 2.],
       [3., 4.]])
"""

from __future__ import annotations

import importlib

from solutions.filters import conv2d, convolve2d, correlate2d, edge_kernel
from solutions.pooling import (
    avg_pool2d,
    count_distinct_after_pooling,
    max_pool2d,
    max_pool2d_backward,
)

#: Every graded function, by assignment, with the module that defines it.
GRADED = {
    "ps1_filters": ("correlate2d", "convolve2d", "edge_kernel", "conv2d"),
    "ps2_pooling": (
        "max_pool2d",
        "avg_pool2d",
        "max_pool2d_backward",
        "count_distinct_after_pooling",
    ),
    "ps3_keras": ("edge_conv_layer", "build_pool_only_model", "build_conv_pool_model"),
}

_KERAS_FUNCTIONS = GRADED["ps3_keras"]

__all__ = [
    "GRADED",
    "avg_pool2d",
    "conv2d",
    "convolve2d",
    "correlate2d",
    "count_distinct_after_pooling",
    "edge_kernel",
    "max_pool2d",
    "max_pool2d_backward",
    *_KERAS_FUNCTIONS,
]


def __getattr__(name: str) -> object:
    if name in _KERAS_FUNCTIONS:
        return getattr(importlib.import_module("solutions.models"), name)
    raise AttributeError(f"module 'solutions' has no attribute {name!r}")
