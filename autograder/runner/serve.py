"""The student's side of the judge: runs inside the sandbox, answers calls with plain data.

A runner has two pipe descriptors to the judge. It first receives the assignment's
setup code and the student's code cells, runs them one by one (announcing each, so that
the judge knows which one hangs), then answers each call ``NAME(*args, **kwargs)`` with
the result or the exception, both encoded by :mod:`.protocol`. What the student's
code prints goes nowhere.

Runners are started by :mod:`autograder.sandbox` in one of two ways:

``python -m RUNNER IN OUT``
    One process per submission (the ``"rlimits"`` isolation level).
``python -m RUNNER zygote CONTROL``
    A *zygote* (:func:`serve_forks`): the first process of its own PID namespace runs the
    trusted setup cell once (importing Keras takes seconds), then forks a fresh runner
    for each submission on request, receiving the runner's pipes over the control
    socket. Between submissions it kills every other process of its namespace and
    empties its directory, so nothing a submission started or wrote outlives it; it
    makes itself undumpable, so that runners (the same uid, no capabilities) cannot
    ptrace it or write its memory.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib.abc
import json
import os
import shutil
import signal
import socket
import sys
import sysconfig
import time
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


def _silence_descriptors() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)


def main(read_fd: int, write_fd: int) -> None:
    """Serve the judge on the two descriptors until it closes the channel."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # file too large: an error, not death
    _silence_descriptors()
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


#: Largest control message (the setup cell, a working directory, a status).
CONTROL_MESSAGE = 2**20
#: Seconds a zygote waits for a runner to exit on its own before killing it.
EXIT_GRACE_SECONDS = 2.0


def _set_dumpable(dumpable: bool) -> None:
    """``prctl(PR_SET_DUMPABLE)``: an undumpable process cannot be ptraced, nor its
    memory read or written through /proc, by processes without CAP_SYS_PTRACE."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(4, int(dumpable), 0, 0, 0) != 0:  # 4 = PR_SET_DUMPABLE
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_DUMPABLE) failed")


def _become_runner(control: socket.socket, workdir: str, pipes: list[int]) -> None:
    """In a forked child of the zygote: serve one submission from ``workdir``, then exit."""
    status = 1
    try:
        control.close()  # the student's code must not talk to the zygote
        signal.signal(signal.SIGINT, signal.default_int_handler)  # ignored by the zygote
        _set_dumpable(True)  # like any process; only the zygote is protected
        os.chdir(workdir)
        for variable in ("HOME", "TMPDIR", "MPLCONFIGDIR", "KERAS_HOME"):
            os.environ[variable] = workdir
        import tempfile

        tempfile.tempdir = None  # picks up the new TMPDIR
        main(*pipes)
        status = 0
    finally:
        os._exit(status)


def _end_runner(runner: int | None, wait: float) -> int | None:
    """Kill the runner and everything in the namespace but the zygote; empty the zygote's
    directory. Returns the runner's exit status (negative: killed by that signal) if it
    ended on its own within ``wait`` seconds, else None."""
    status = None
    deadline = time.monotonic() + wait
    while runner is not None:
        pid, code = os.waitpid(runner, os.WNOHANG)
        if pid:
            status = os.waitstatus_to_exitcode(code)
            break
        if time.monotonic() >= deadline:
            break
        time.sleep(0.01)
    with contextlib.suppress(ProcessLookupError):
        os.kill(-1, signal.SIGKILL)  # pid 1 of its namespace: every other process in it
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            break
    for entry in Path.cwd().iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
    return status


def serve_forks(control_fd: int) -> None:
    """Zygote: run the setup cell once, then fork one runner per request (module docstring).

    Requests on the control socket (JSON, one per packet): ``{"setup": SOURCE}`` first;
    then ``{"fork": WORKDIR}`` with the runner's two pipe descriptors attached, and
    ``{"end": SECONDS}``, answered with ``{"status": EXIT_STATUS_OR_NULL}``. The zygote
    exits when the judge closes the socket.
    """
    if os.getpid() != 1:
        raise SystemExit("a zygote must be the first process of its own PID namespace")
    _silence_descriptors()
    _set_dumpable(False)
    # Only signals with a handler reach the first process of a namespace from inside it:
    # Python's own SIGINT handler must go, or a runner could interrupt the zygote.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    control = socket.socket(fileno=control_fd)
    setup = json.loads(control.recv(CONTROL_MESSAGE))["setup"]
    exec(compile(setup, "<setup>", "exec"), {"__name__": "__main__"})  # imports, once
    control.send(json.dumps({"ready": True}).encode())
    runner = None
    while True:
        message, fds, _, _ = socket.recv_fds(control, CONTROL_MESSAGE, 2)
        if not message:
            _end_runner(runner, 0.0)
            return
        request = json.loads(message)
        if "fork" in request:
            runner = os.fork()
            if runner == 0:
                _become_runner(control, request["fork"], fds)
            for fd in fds:
                os.close(fd)
            control.send(json.dumps({"forked": True}).encode())
        else:
            status = _end_runner(runner, float(request["end"]))
            runner = None
            control.send(json.dumps({"status": status}).encode())
