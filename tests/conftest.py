"""Shared fixtures. ``course`` is imported first so that TensorFlow starts quietly."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import settings

import course  # noqa: F401
from course.data import the_seven


@pytest.fixture
def rng() -> np.random.Generator:
    """A fixed-seed generator: every test sees the same 'random' arrays."""
    return np.random.default_rng(20261128)


@pytest.fixture(scope="session")
def seven() -> np.ndarray:
    """The course's handwritten 7 as float64 (28, 28)."""
    return the_seven().astype(np.float64)


# Property tests draw the same examples on every run (the suite is deterministic).
settings.register_profile("course", derandomize=True, deadline=None, max_examples=60)
settings.load_profile("course")
