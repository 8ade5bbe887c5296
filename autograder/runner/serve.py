"""The student's side of the judge: runs inside the sandbox, answers calls with plain data.

A runner has two pipe descriptors to the judge. It first receives the assignment's
setup code and the student's code cells, runs them one by one (announcing each, so that
the judge knows which one hangs), then answers each call ``NAME(*args, **kwargs)`` with
the result or the exception, both encoded by :mod:`.protocol`. What the student's
code prints goes nowhere.

Runners are started by :mod:`autograder.sandbox` in one of two ways: ``python -m RUNNER
IN OUT``, one process per submission (the ``"rlimits"`` isolation level), or forked by a
zygote (:mod:`.zygote`) that has run the trusted setup cell once.
"""

from __future__ import annotations

import importlib.abc
import os
import signal
import sys
import sysconfig
import traceback
from pathlib import Path
from typing import Any

import numpy as np

from .protocol import Decoder, ResultTracker, encode, read_message, write_message


def _error(error: BaseException) -> dict[str, Any]:
    builtin = type(error).__module__ == "builtins"
    return {
        "type": type(error).__name__,
        "builtin": builtin,
        "message": str(error)[:2000],
        "where": "".join(traceback.format_exception_only(type(error), error))[-2000:],
    }


class ImportGuard(importlib.abc.MetaPathFinder):
    """Refuses, and remembers, imports that student code makes of libraries other than
    ``allowed`` and the standard library. An import made by a library (Keras importing
    its backend) is the library's business: only imports whose first caller outside
    importlib is not installed code count. ``["*"]`` allows every library."""

    def __init__(self, allowed: list[str]) -> None:
        self.any = "*" in allowed
        self.allowed = frozenset(allowed) | frozenset(sys.stdlib_module_names)
        self.refused: list[str] = []
        paths = sysconfig.get_paths()
        #: Installed libraries; the standard library is not among them, because its helpers
        #: (``pkgutil.resolve_name``, ``runpy``…) import on behalf of whoever calls them.
        self.trusted = tuple(
            str(Path(p).resolve()) + os.sep for p in {paths["purelib"], paths["platlib"]}
        )
        self.stdlib = str(Path(paths["stdlib"]).resolve()) + os.sep

    def _passes_on(self, filename: str) -> bool:
        """Code that imports for its caller: importlib, the standard library."""
        return filename.startswith("<frozen") or (
            filename.startswith(self.stdlib) and not filename.startswith(self.trusted)
        )

    def _by_student(self) -> bool:
        """Whether the first frame that asked for the import, past importlib and the
        standard library, is not installed code (nor the runner's own)."""
        frame = sys._getframe(2)  # the caller of find_spec
        while frame is not None and self._passes_on(frame.f_code.co_filename):
            frame = frame.f_back
        if frame is None:
            return False
        return not (
            frame.f_code.co_filename == __file__
            or frame.f_code.co_filename.startswith(self.trusted)
        )

    def find_spec(self, fullname: str, path: object = None, target: object = None) -> None:
        if self.any or fullname.partition(".")[0] in self.allowed or not self._by_student():
            return None
        if len(self.refused) < 20:
            self.refused.append(fullname[:100])
        raise ImportError(f"{fullname} is not allowed in this assignment")


def _run_cells(
    namespace: dict[str, Any],
    setup: str,
    cells: list[str],
    skip: set[int],
    out: int,
    guard: ImportGuard,
) -> dict:
    runner_pid = os.getpid()
    exec(compile(setup, "<setup>", "exec"), namespace)  # the course's trusted setup cell
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        to_python = TransformerManager().transform_cell
    except ImportError:  # pragma: no cover - IPython comes with ipykernel
        to_python = str
    sys.meta_path.insert(0, guard)
    errors = {}
    for index, cell in enumerate(cells):
        if index in skip:
            continue
        write_message(out, {"running": index})
        try:
            exec(compile(to_python(cell), f"<cell {index + 1}>", "exec"), namespace)
        except BaseException as error:  # a broken cell must not stop the others
            errors[str(index)] = _error(error)
        if os.getpid() != runner_pid:  # a process a cell forked: it must not go on
            os._exit(0)
    return errors


def _answer(
    namespace: dict[str, Any], header: dict, blobs: list[bytes], tracker: ResultTracker
) -> tuple[dict, list[bytes]]:
    name = header["call"]
    function = namespace.get(name)
    if not callable(function):
        return {
            "error": {
                "type": "NameError",
                "builtin": True,
                "message": f"name {name!r} is not defined",
                "where": "",
            },
            "changed": {},
        }, []
    if "keras" in sys.modules:  # the same initial weights (and seeds) on every call, in every run
        sys.modules["keras"].utils.set_random_seed(0)
    decoder = Decoder(blobs)
    args, kwargs = decoder.value(header["args"]), decoder.value(header["kwargs"])
    given = {**dict(enumerate(args)), **kwargs}
    before = {k: v.copy() for k, v in given.items() if isinstance(v, np.ndarray)}
    out_blobs: list[bytes] = []
    try:
        reply = {"result": encode(function(*args, **kwargs), out_blobs, tracker)}
    except BaseException as error:  # SystemExit and KeyboardInterrupt included
        reply = {"error": _error(error)}
    # Arrays the function changed in place travel back, so that the judge sees the
    # caller's arrays change as they would in a notebook.
    changed = {
        str(k): encode(given[k], out_blobs)
        for k, old in before.items()
        if not np.array_equal(given[k], old, equal_nan=True)
    }
    return {**reply, "changed": changed}, out_blobs


def silence_descriptors() -> None:
    """Send this process's stdout and stderr to /dev/null."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)


def main(read_fd: int, write_fd: int) -> None:
    """Serve the judge on the two descriptors until it closes the channel."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # file too large: an error, not death
    silence_descriptors()
    sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115 (for the process's life)
    runner_pid = os.getpid()
    header, _ = read_message(read_fd)
    namespace: dict[str, Any] = {"__name__": "__main__"}
    guard = ImportGuard(header["libraries"])
    cells, skip = header["cells"], set(header["skip"])
    errors = _run_cells(namespace, header["setup"], cells, skip, write_fd, guard)
    write_message(
        write_fd, {"ready": True, "cell_errors": errors, "refused_imports": guard.refused}
    )
    tracker = ResultTracker()
    while True:
        try:
            header, blobs = read_message(read_fd)
        except EOFError:
            return
        guard.refused = []
        reply, out_blobs = _answer(namespace, header, blobs, tracker)
        if os.getpid() != runner_pid:  # a process the student forked: it must not answer
            os._exit(0)
        reply["refused_imports"] = guard.refused
        write_message(write_fd, {**reply, "id": header.get("id")}, out_blobs)
