"""The zygote, both halves: a sandboxed process that runs the setup cell once and forks a
fresh runner per submission, and the judge's client that starts and drives it.

Starting a runner then takes milliseconds instead of an import of Keras, in the same
namespaces, uid and limits as a runner of its own; between submissions the zygote kills
every other process of its namespace and empties its directory, so nothing a submission
started or wrote outlives it. It makes itself undumpable, so that runners (the same uid,
no capabilities) cannot ptrace it or write its memory.

The server half (:func:`serve_forks`) runs inside the sandbox and, like all of this
package, imports nothing of the instructor's side; the client half (:class:`Zygote`) is
given how to start and stop the process (:mod:`autograder.isolation` does that).
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import json
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Hashable
from pathlib import Path

from .serve import main, silence_descriptors

__all__ = [
    "CONTROL_MESSAGE",
    "EXIT_GRACE_SECONDS",
    "Zygote",
    "ZygoteFailure",
    "serve_forks",
    "zygote_for",
]


# -- the server half: runs in the sandbox --------------------------------------------------
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
    silence_descriptors()
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


# -- the client half: runs in the judge ----------------------------------------------------

#: Seconds a zygote may take to run the setup cell (trusted imports: Keras takes seconds,
#: more on a loaded machine).
ZYGOTE_START_SECONDS = 120.0
#: Seconds a zygote may take to answer a request to fork or end a runner.
ZYGOTE_ANSWER_SECONDS = 30.0
#: Runners a zygote forks before it is replaced by a fresh one: its own CPU time (each
#: fork of a process holding TensorFlow costs some) stays far below its CPU limit.
ZYGOTE_FORKS = 200


class ZygoteFailure(Exception):
    """The zygote did not start, answer or fork; it is closed."""


class Zygote:
    """The judge's handle on a zygote: started with ``setup``, it forks a runner per
    submission (:func:`serve_forks`).

    Parameters
    ----------
    setup : str
        The assignment's setup cell, run once in the zygote.
    start : callable
        ``start(runner_args, fds)`` starts the sandboxed process of ``python -m RUNNER
        *runner_args`` with the descriptors ``fds`` passed on (in ``workdir``).
    stop : callable
        ``stop(process)`` kills it and all it holds.
    workdir : Path
        The zygote's working directory, removed when it is closed.

    Raises
    ------
    ZygoteFailure
        If it does not run the setup cell in time.
    """

    def __init__(
        self,
        setup: str,
        start: Callable[[list[str], tuple[int, ...]], subprocess.Popen[bytes]],
        stop: Callable[[subprocess.Popen[bytes]], None],
        workdir: Path,
    ) -> None:
        self.owner = os.getpid()
        self.busy = False
        self.closed = False
        self.forks = 0
        self.workdir, self._stop = workdir, stop
        self.control, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            self.process = start(["zygote", str(theirs.fileno())], (theirs.fileno(),))
        finally:
            theirs.close()
        self._request({"setup": setup}, seconds=ZYGOTE_START_SECONDS)

    def _request(self, message: dict, fds: tuple[int, ...] = (), seconds: float = 0) -> dict:
        try:
            socket.send_fds(self.control, [json.dumps(message).encode()], list(fds))
            self.control.settimeout(seconds or ZYGOTE_ANSWER_SECONDS)
            reply = self.control.recv(CONTROL_MESSAGE)
            if not reply:
                raise EOFError("the zygote closed its socket")
            answer = json.loads(reply)
            if type(answer) is not dict or type(answer.get("status", 0)) not in (int, type(None)):
                raise ValueError("an answer the zygote does not give")
            return answer
        except (OSError, EOFError, ValueError) as error:  # socket timeouts are OSErrors
            self.close()
            raise ZygoteFailure(f"sandbox failed ({type(error).__name__}: {error})") from None

    def fork(self, workdir: Path, pipes: tuple[int, int]) -> None:
        """Start a runner in ``workdir`` talking on ``pipes`` (the runner's ends)."""
        self._request({"fork": str(workdir)}, pipes)
        self.busy = True
        self.forks += 1

    def end(self, wait: float) -> int | None:
        """Kill the runner and all it started; its exit status if it ended within ``wait``."""
        self.busy = False
        return self._request({"end": wait}, seconds=ZYGOTE_ANSWER_SECONDS + wait)["status"]

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.control.close()
            self._stop(self.process)
            shutil.rmtree(self.workdir, ignore_errors=True)


_zygotes: dict[tuple[int, Hashable], Zygote] = {}
_failed_zygotes: set[tuple[int, Hashable]] = set()


@atexit.register
def _close_zygotes() -> None:
    for zygote in _zygotes.values():
        if zygote.owner == os.getpid():
            zygote.close()


def zygote_for(key: Hashable, start: Callable[[], Zygote]) -> Zygote | None:
    """This process's zygote for ``key`` (what its runners share: level, setup, hidden
    paths, limits), started by ``start`` on first use and replaced after
    :data:`ZYGOTE_FORKS` forks; None when it is serving another sandbox or could not start
    (not tried again in this process)."""
    key = (os.getpid(), key)
    if key in _failed_zygotes:
        return None
    zygote = _zygotes.get(key)
    if zygote is not None and not zygote.busy and zygote.forks >= ZYGOTE_FORKS:
        zygote.close()
    if zygote is None or zygote.closed:
        try:
            zygote = start()
        except ZygoteFailure:  # not again in this process: its submissions get processes
            _failed_zygotes.add(key)
            return None
        _zygotes[key] = zygote
    return None if zygote.busy else zygote
