"""Random inputs for the hidden tests, seeded from the instructor's secret.

The hidden tests draw their inputs from a generator seeded by the grading secret and
the test's name, so reading the test code tells a student which *kinds* of input are
tried but not which values: there is nothing to hard-code. The secret comes from the
environment variable :data:`SECRET_VARIABLE`; the course build writes one into the
course's ``nbgrader_config.py`` folder and the config exports it to the grading kernels.
"""

from __future__ import annotations

import hashlib
import os

import numpy as np

__all__ = ["SECRET_VARIABLE", "MissingSecretError", "hidden_rng"]

#: Environment variable holding the instructor's grading secret.
SECRET_VARIABLE = "CONVPOOL_GRADING_SECRET"


class MissingSecretError(RuntimeError):
    """The hidden tests ran without a grading secret."""


def hidden_rng(test_name: str) -> np.random.Generator:
    """A generator seeded from the grading secret and ``test_name``.

    Parameters
    ----------
    test_name : str
        Different tests get independent streams.

    Raises
    ------
    MissingSecretError
        If :data:`SECRET_VARIABLE` is unset or empty: hidden tests never fall back to a
        seed a student could know.

    Examples
    --------
    >>> os.environ[SECRET_VARIABLE] = "example secret"
    >>> a, b = hidden_rng("correlate2d").random(2), hidden_rng("correlate2d").random(2)
    >>> bool((a == b).all()), bool((a == hidden_rng("conv2d").random(2)).any())
    (True, False)
    >>> del os.environ[SECRET_VARIABLE]
    """
    secret = os.environ.get(SECRET_VARIABLE, "")
    if not secret:
        raise MissingSecretError(
            f"the hidden tests need a grading secret in ${SECRET_VARIABLE}; grade inside a "
            "course built by `course build` (its nbgrader_config.py exports it)"
        )
    digest = hashlib.sha256(f"{secret}\0{test_name}".encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:16], "little"))
