"""The one place where the course silences TensorFlow's log noise.

TensorFlow reads its C++ logging level from the environment when it is first
imported, so these settings must be in place before anything imports it. Importing
:mod:`course` (which every lesson, test and grading run does first) calls
:func:`silence_tensorflow`; values already set by the user are kept.

Two kinds of noise need two remedies:

* log lines written after TensorFlow has set up its logging obey
  ``TF_CPP_MIN_LOG_LEVEL``;
* lines written *while* ``import tensorflow`` runs, before its logging is set up
  (absl's "All log messages before absl::InitializeLog() ..." and oneDNN's notice),
  obey nothing: the first import of TensorFlow therefore runs with the process's
  standard error (file descriptor 2) pointed at ``/dev/null``. Python exceptions
  raised by that import are unaffected (they are printed after it returns).
"""

from __future__ import annotations

import contextlib
import importlib.abc
import importlib.machinery
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from types import ModuleType

__all__ = ["TENSORFLOW_ENVIRONMENT", "silence_tensorflow"]

#: Environment read by TensorFlow at import time: ``TF_CPP_MIN_LOG_LEVEL=3`` hides its C++
#: INFO, WARNING and ERROR lines (such as "This TensorFlow binary is optimized ...").
TENSORFLOW_ENVIRONMENT = {"TF_CPP_MIN_LOG_LEVEL": "3"}


@contextlib.contextmanager
def _stderr_to_devnull() -> Iterator[None]:
    """Point file descriptor 2 at /dev/null (C-level writes included), then restore it."""
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(devnull)
        os.close(saved)


class _QuietLoader(importlib.abc.Loader):
    """Runs another loader's ``exec_module`` with standard error silenced."""

    def __init__(self, loader: importlib.abc.Loader) -> None:
        self._loader = loader

    def __getattr__(self, name: str) -> object:  # get_resource_reader, is_package, ...
        return getattr(self._loader, name)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self._loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        for finder in [f for f in sys.meta_path if isinstance(f, _QuietTensorFlowFinder)]:
            sys.meta_path.remove(finder)  # one import only
        with _stderr_to_devnull():
            self._loader.exec_module(module)


class _QuietTensorFlowFinder(importlib.abc.MetaPathFinder):
    """Finds ``tensorflow`` like the other finders, but loads it with :class:`_QuietLoader`.

    It stays in place until TensorFlow is actually imported: a mere look-up
    (``importlib.util.find_spec("tensorflow")``, as PyTorch's ``torch._dynamo`` does at
    import) must not use it up.
    """

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != "tensorflow":
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is not None and spec.loader is not None:
            spec.loader = _QuietLoader(spec.loader)
        return spec


def silence_tensorflow() -> None:
    """Keep TensorFlow and Keras quiet for everything the course runs.

    Sets :data:`TENSORFLOW_ENVIRONMENT` (without overriding a user's own values),
    lowers the Python ``tensorflow``/``absl``/``h5py`` loggers to ERROR and, if
    TensorFlow is not imported yet, arranges for its first import to run with
    standard error silenced.

    Examples
    --------
    >>> import os
    >>> silence_tensorflow()
    >>> os.environ["TF_CPP_MIN_LOG_LEVEL"] in {"1", "2", "3"}
    True
    """
    for name, value in TENSORFLOW_ENVIRONMENT.items():
        os.environ.setdefault(name, value)
    for logger in ("tensorflow", "absl", "h5py"):
        logging.getLogger(logger).setLevel(logging.ERROR)
    already = any(isinstance(finder, _QuietTensorFlowFinder) for finder in sys.meta_path)
    if "tensorflow" not in sys.modules and not already:
        sys.meta_path.insert(0, _QuietTensorFlowFinder())
