"""Shared fixtures. ``course`` is imported first so that TensorFlow starts quietly."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from hypothesis import settings

import course  # noqa: F401
from course.data import the_seven

ROOT = Path(__file__).resolve().parents[1]

# Property tests draw the same examples on every run (the suite is deterministic).
settings.register_profile("course", derandomize=True, deadline=None, max_examples=60)
settings.load_profile("course")


@pytest.fixture
def rng() -> np.random.Generator:
    """A fixed-seed generator: every test sees the same 'random' arrays."""
    return np.random.default_rng(20261128)


@pytest.fixture(scope="session")
def seven() -> np.ndarray:
    """The course's handwritten 7 as float64 (28, 28)."""
    return the_seven().astype(np.float64)


@dataclass(frozen=True)
class DemoRun:
    """One run of `course demo` (what `make demo` runs): its process and output folder."""

    result: subprocess.CompletedProcess
    out: Path


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory) -> DemoRun:
    """Run `course demo` once, from the repository root, in a real subprocess.

    It draws the 7's edges, prints the verification table and executes every lesson in a
    real Jupyter kernel; the CLI and lesson tests all read this one run.
    """
    out = tmp_path_factory.mktemp("build")
    result = subprocess.run(
        [sys.executable, "-m", "course.cli", "demo", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    return DemoRun(result, out)
