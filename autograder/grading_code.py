"""A digest of the grading code, so that what it computed is recomputed when it changes.

Verdicts (:func:`autograder.judge.submission_digest`) and training results
(:func:`autograder.sandboxed_training.training_key`) are kept and reused; both keys
include this digest of the judge, its checks, the runner and the student package they
use, so a new version of any of them never reuses what an old one decided.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
from pathlib import Path

__all__ = ["grading_code_digest"]


@functools.cache
def grading_code_digest() -> str:
    """SHA-256 of every module of ``autograder`` and ``course``, by path and content."""
    digest = hashlib.sha256()
    for package in ("autograder", "course"):
        folder = Path(importlib.import_module(package).__file__).parent
        for path in sorted(folder.rglob("*.py")):
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
