"""The Keras 3 backends the course runs on, and the one switch that chooses one.

Keras reads ``KERAS_BACKEND`` once, when it is first imported, so a backend is chosen
for a whole process: the Jupyter kernel of a lesson, a grading sandbox's zygote. The
commands that start those processes (``course lessons --backend``, ``course verify
--backend``, the grading config) pass :func:`backend_environment` to them; nothing in the
course imports a backend's own library to run a model, only ``keras``.

TensorFlow is the default and comes with the course; JAX and PyTorch are the extras
``convpool-course[jax]`` and ``convpool-course[torch]`` (CPU builds).
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Mapping

__all__ = [
    "BACKENDS",
    "DEFAULT_BACKEND",
    "active_backend",
    "backend_environment",
    "check_backend",
    "use_backend",
]

#: The Keras backends, in the order of the course's tables.
BACKENDS = ("tensorflow", "jax", "torch")
#: The backend of every command unless told otherwise.
DEFAULT_BACKEND = "tensorflow"

#: How to install each backend's library beside Keras.
_INSTALL = {
    "tensorflow": "pip install tensorflow-cpu",
    "jax": "pip install 'convpool-course[jax]'",
    "torch": "pip install 'convpool-course[torch]' (the CPU build: see pytorch.org)",
}


def check_backend(backend: str) -> str:
    """``backend`` if it is one of :data:`BACKENDS` and its library is installed.

    Raises
    ------
    ValueError
        If ``backend`` is not a name of :data:`BACKENDS`.
    ModuleNotFoundError
        If its library is not installed; the message says how to install it.

    Examples
    --------
    >>> check_backend("jax")
    'jax'
    >>> check_backend("pytorch")
    Traceback (most recent call last):
        ...
    ValueError: backend must be one of 'tensorflow', 'jax', 'torch'; got 'pytorch'
    """
    if backend not in BACKENDS:
        choices = ", ".join(repr(name) for name in BACKENDS)
        raise ValueError(f"backend must be one of {choices}; got {backend!r}")
    if importlib.util.find_spec(backend) is None:
        raise ModuleNotFoundError(
            f"the Keras backend {backend!r} is not installed: {_INSTALL[backend]}"
        )
    return backend


def backend_environment(
    backend: str = DEFAULT_BACKEND, base: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The environment of a process that should run Keras on ``backend`` (CPU only).

    Parameters
    ----------
    backend : {"tensorflow", "jax", "torch"}
        The Keras backend.
    base : mapping, optional
        The environment to start from (default: this process's).

    Returns
    -------
    dict
        ``base`` with ``KERAS_BACKEND`` set, and JAX kept to the CPU (``JAX_PLATFORMS=cpu``:
        no probing for accelerators, which warns on stderr).

    Raises
    ------
    ValueError
        If ``backend`` is not one of :data:`BACKENDS`.

    Examples
    --------
    >>> backend_environment("torch", base={})["KERAS_BACKEND"]
    'torch'
    """
    environment = dict(os.environ if base is None else base)
    environment["KERAS_BACKEND"] = check_backend(backend)
    environment.setdefault("JAX_PLATFORMS", "cpu")
    return environment


def active_backend() -> str:
    """The backend of this process's Keras, without importing Keras if it is not loaded yet.

    Examples
    --------
    >>> active_backend() in BACKENDS
    True
    """
    if "keras" in sys.modules:
        return sys.modules["keras"].backend.backend()
    return os.environ.get("KERAS_BACKEND", DEFAULT_BACKEND)


def use_backend(backend: str) -> None:
    """Make this process run Keras on ``backend`` (before Keras is imported).

    Raises
    ------
    ValueError, ModuleNotFoundError
        As :func:`check_backend`.
    RuntimeError
        If Keras is already loaded on another backend (it cannot switch).

    Examples
    --------
    >>> use_backend(active_backend())
    """
    check_backend(backend)
    if "keras" in sys.modules and active_backend() != backend:
        raise RuntimeError(
            f"Keras is already loaded on {active_backend()!r}; start a new process for {backend!r}"
        )
    os.environ["KERAS_BACKEND"] = backend
    os.environ.setdefault("JAX_PLATFORMS", "cpu")
