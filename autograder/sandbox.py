"""Run student code in a sandboxed process, and talk to it with plain data.

Isolation, strongest available first (probed once per process):

``"namespaces+nobody"`` (Linux, grader running as root)
    New PID, network and mount namespaces (``unshare``): no network, a ``/proc`` showing
    only the sandbox's processes, the course directory hidden under an empty tmpfs,
    every process the student starts killed with the sandbox; student code runs without
    capabilities as an unprivileged uid of its own that owns no file (``setpriv``; see
    :func:`sandbox_uid`).
``"namespaces"`` (Linux, unprivileged user namespaces)
    The same namespaces inside a user namespace, capabilities dropped; student code keeps
    the instructor's uid outside it, so files outside the course directory that the
    instructor can read stay readable.
``"rlimits"`` (macOS, or Linux without namespaces)
    Resource limits and a process group only: network, files and a process that leaves
    its group are not isolated.

All levels: a fresh temporary working directory holding nothing but what the judge
puts there, a minimal environment (no grading secret), and limits on CPU time, memory,
file size, open files and processes; the judge adds wall-clock limits per call.

With namespaces, the sandboxes of one judge process are forked from a *zygote* started
once per setup cell (:class:`_Zygote`, :func:`autograder.runner.serve_forks`): same
namespaces, uid and limits, a fresh working directory per submission, and nothing a
submission started or wrote left for the next one, but no Keras import per submission.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import json
import os
import resource
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from autograder.protocol import decode, encode, read_message, write_message
from autograder.runner import CONTROL_MESSAGE, EXIT_GRACE_SECONDS

__all__ = ["Limits", "Sandbox", "SandboxFailure", "isolation_level"]

#: Sandboxes started as root run as ``FIRST_UID + judge pid``: a uid of their own (no two
#: judge processes alive at once share a pid), owning no file, so that per-user limits
#: are not shared between the sandboxes a parallel batch runs at once: a fork bomb starves
#: only itself, and no sandbox can write into another's working directory.
FIRST_UID = 200_000


def sandbox_uid() -> int:
    """The unprivileged uid this judge process's sandboxes run as (when root)."""
    return FIRST_UID + os.getpid()


@dataclass(frozen=True)
class Limits:
    """Resource limits of one sandboxed process."""

    cpu_seconds: int = 120
    memory_bytes: int = 4 * 2**30
    file_bytes: int = 64 * 2**20
    open_files: int = 256
    processes: int = 1024
    #: Seconds to run the student's cells, and to answer one call.
    setup_seconds: float = 60.0
    call_seconds: float = 20.0

    @classmethod
    def per_call(cls, seconds: float) -> Limits | None:
        """Limits allowing ``seconds`` per call and for the setup; None (the judge's
        defaults) when ``seconds`` is 0, as in an unset ``c.JudgeCells.call_seconds``."""
        return cls(call_seconds=seconds, setup_seconds=seconds) if seconds else None


class SandboxFailure(Exception):
    """The sandboxed process hung, died or broke the protocol; ``status`` says which."""

    def __init__(self, status: str) -> None:
        super().__init__(status)
        self.status = status


def _works(command: list[str]) -> bool:
    try:
        return subprocess.run(command, capture_output=True, timeout=20, check=False).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@functools.cache
def isolation_level() -> str:
    """The strongest isolation this machine allows (see the module docstring)."""
    namespaces = ["unshare", "--pid", "--fork", "--kill-child", "--net", "--mount", "--mount-proc"]
    if sys.platform == "linux" and shutil.which("unshare") and shutil.which("setpriv"):
        if os.geteuid() == 0 and _works([*namespaces, "true"]):
            return "namespaces+nobody"
        if _works(["unshare", "--user", "--map-root-user", *namespaces[1:], "true"]):
            return "namespaces"
    return "rlimits"


def _command(level: str, workdir: Path, hidden: list[Path], runner_args: list[str]) -> list[str]:
    # -P: the working directory is not on sys.path (no module planted there is imported)
    runner = [sys.executable, "-P", "-m", "autograder.runner", *runner_args]
    if level == "rlimits":
        return runner
    mounts = " && ".join(f'mount -t tmpfs -o size=4k,mode=000 none "{p}"' for p in hidden)
    # No capabilities after exec (root of a user namespace keeps none either): nothing in
    # the sandbox may ptrace the zygote or mount over what is hidden.
    drop = "setpriv --inh-caps=-all --bounding-set=-all" + (
        f" --reuid={sandbox_uid()} --regid={sandbox_uid()} --clear-groups"
        if level == "namespaces+nobody"
        else ""
    )
    script = f'{mounts + " && " if mounts else ""}cd "{workdir}" && exec {drop} "$@"'
    user = ["--user", "--map-root-user"] if level == "namespaces" else []
    return [
        "unshare", *user, "--pid", "--fork", "--kill-child", "--net", "--mount",
        "--propagation", "private", "--mount-proc", "sh", "-c", script, "sandbox", *runner,
    ]  # fmt: skip


def _environment(workdir: Path) -> dict[str, str]:
    """The sandbox's whole environment: no grading secret, every cache in ``workdir``."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(workdir),
        "TMPDIR": str(workdir),
        "MPLCONFIGDIR": str(workdir),
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "KERAS_HOME": str(workdir),
        **({"KERAS_BACKEND": os.environ["KERAS_BACKEND"]} if "KERAS_BACKEND" in os.environ else {}),
    }


def _workdir(prefix: str, level: str) -> Path:
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    if level == "namespaces+nobody":
        os.chown(workdir, sandbox_uid(), sandbox_uid())
    return workdir


def _popen(level: str, workdir: Path, hidden: list[Path], limits: Limits,
           runner_args: list[str], fds: tuple[int, ...]) -> subprocess.Popen[bytes]:  # fmt: skip
    return subprocess.Popen(
        _command(level, workdir, hidden, runner_args),
        cwd=workdir,
        env=_environment(workdir),
        pass_fds=fds,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=functools.partial(_limit, limits),
    )


def _kill(process: subprocess.Popen[bytes]) -> None:
    """Kill ``process`` and its process group (and, in a PID namespace, all it holds)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def _limit(limits: Limits) -> None:
    """Runs in the child before exec: its own session, and the resource limits."""
    os.setsid()
    for name, value in (
        (resource.RLIMIT_CPU, limits.cpu_seconds),
        (resource.RLIMIT_AS, limits.memory_bytes),
        (resource.RLIMIT_FSIZE, limits.file_bytes),
        (resource.RLIMIT_NOFILE, limits.open_files),
        (resource.RLIMIT_NPROC, limits.processes),
        (resource.RLIMIT_CORE, 0),
    ):
        resource.setrlimit(name, (value, value))


#: Seconds a zygote may take to run the setup cell (trusted imports: Keras takes seconds,
#: more on a loaded machine).
ZYGOTE_START_SECONDS = 120.0
#: Seconds a zygote may take to answer a request to fork or end a runner.
ZYGOTE_ANSWER_SECONDS = 30.0
#: Runners a zygote forks before it is replaced by a fresh one: its own CPU time (each
#: fork of a process holding TensorFlow costs some) stays far below its CPU limit.
ZYGOTE_FORKS = 200


class _Zygote:
    """A sandboxed process that has run a setup cell once and forks a runner per
    submission (:func:`autograder.runner.serve_forks`): a runner then starts in
    milliseconds instead of importing Keras again, in the same namespaces, uid and limits
    as a runner of its own; nothing a runner starts or writes survives its end."""

    def __init__(self, setup: str, hidden: list[Path], limits: Limits, level: str) -> None:
        self.owner = os.getpid()
        self.busy = False
        self.closed = False
        self.forks = 0
        self.workdir = _workdir("convpool-zygote-", level)
        self.control, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            self.process = _popen(level, self.workdir, hidden, limits,
                                  ["zygote", str(theirs.fileno())], (theirs.fileno(),))  # fmt: skip
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
            return json.loads(reply)
        except (OSError, EOFError, ValueError) as error:  # socket timeouts are OSErrors
            self.close()
            raise SandboxFailure(f"sandbox failed ({type(error).__name__}: {error})") from None

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
            _kill(self.process)
            shutil.rmtree(self.workdir, ignore_errors=True)


_zygotes: dict[tuple, _Zygote] = {}
_failed_zygotes: set[tuple] = set()


@atexit.register
def _close_zygotes() -> None:
    for zygote in _zygotes.values():
        if zygote.owner == os.getpid():
            zygote.close()


def _zygote(sandbox: Sandbox) -> _Zygote | None:
    """This process's zygote for the sandbox's setup, hidden paths and limits, started on
    first use; None when it is serving another sandbox or could not start (the sandbox
    then gets a process of its own)."""
    key = (os.getpid(), sandbox.level, sandbox.setup, tuple(sandbox.hidden), sandbox.limits)
    if key in _failed_zygotes:
        return None
    zygote = _zygotes.get(key)
    if zygote is not None and not zygote.busy and zygote.forks >= ZYGOTE_FORKS:
        zygote.close()
    if zygote is None or zygote.closed:
        try:
            zygote = _Zygote(sandbox.setup, sandbox.hidden, sandbox.limits, sandbox.level)
        except SandboxFailure:  # not again in this process: its submissions get processes
            _failed_zygotes.add(key)
            return None
        _zygotes[key] = zygote
    return None if zygote.busy else zygote


class Sandbox:
    """One sandboxed runner holding a submission's code, ready to answer calls.

    Parameters
    ----------
    setup : str
        The assignment's setup cell (trusted).
    cells : list of str
        The student's code cells, run in order; one that raises is recorded and skipped,
        one that hangs is dropped and the sandbox restarted without it.
    hidden : list of path
        Folders the student's code must not see (the course directory).
    limits : Limits
    """

    def __init__(
        self, setup: str, cells: list[str], hidden: list[Path], limits: Limits = Limits()
    ) -> None:
        self.setup, self.cells, self.hidden, self.limits = setup, cells, hidden, limits
        self.level = isolation_level()
        self.cell_errors: dict[int, str] = {}
        self.hung_cells: list[int] = []
        #: Status of every failure so far ("timeout in conv2d", "kernel died in …").
        self.failures: list[str] = []
        self.process: subprocess.Popen[bytes] | None = None
        self._zygote: _Zygote | None = None
        self._running = False
        self._calls = 0
        self.workdir: Path | None = None

    # -- life cycle ---------------------------------------------------------------
    def start(self) -> None:
        """Start the runner and run the cells; a hanging cell is dropped and noted."""
        while True:
            self._spawn()
            running = None
            try:
                while True:
                    doing = "setup" if running is None else f"cell {running + 1}"
                    header, _ = self._receive(self.limits.setup_seconds, doing)
                    if "running" in header:
                        running = int(header["running"])
                        continue
                    self.cell_errors = {
                        int(i): e["where"].strip() for i, e in header["cell_errors"].items()
                    }
                    return
            except SandboxFailure:
                self.close()
                if running is None or running in self.hung_cells:
                    raise
                self.hung_cells.append(running)

    def _spawn(self) -> None:
        self.workdir = _workdir("convpool-sandbox-", self.level)
        to_child, from_judge = os.pipe()
        to_judge, from_child = os.pipe()
        self._in, self._out = to_judge, from_judge
        self._running = True
        try:
            zygote = None if self.level == "rlimits" else _zygote(self)
            if zygote is not None:
                with contextlib.suppress(SandboxFailure):  # a broken zygote: a process then
                    zygote.fork(self.workdir, (to_child, from_child))
                    self._zygote = zygote
            if self._zygote is None:
                runner_args = [str(to_child), str(from_child)]
                self.process = _popen(self.level, self.workdir, self.hidden, self.limits,
                                      runner_args, (to_child, from_child))  # fmt: skip
        finally:
            os.close(to_child)
            os.close(from_child)
        skip = set(self.hung_cells)
        write_message(self._out, {"setup": self.setup, "cells": self.cells, "skip": sorted(skip)})

    def _stop(self, wait: float) -> int | None:
        """End the runner and everything it started; its exit status if it ended on its
        own within ``wait`` seconds (negative: the signal that killed it), else None."""
        status = None
        if self._zygote is not None:
            with contextlib.suppress(SandboxFailure):
                status = self._zygote.end(wait)
            self._zygote = None
        elif self.process is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                status = self.process.wait(timeout=wait) if wait else self.process.poll()
            _kill(self.process)
            self.process = None
        return status

    def close(self) -> None:
        """Kill the runner and everything it started; remove its working directory."""
        if self._running:
            for fd in (self._in, self._out):
                os.close(fd)
            self._stop(0.0)
            self._running = False
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None

    def __enter__(self) -> Sandbox:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- calls --------------------------------------------------------------------
    def _receive(self, seconds: float, doing: str) -> tuple[Any, list[bytes]]:
        ready, _, _ = select.select([self._in], [], [], seconds)
        if not ready:
            raise SandboxFailure(f"timeout in {doing} (over {seconds:g} s)")
        try:
            return read_message(self._in)
        except (EOFError, ValueError, OSError) as error:
            code = self._stop(EXIT_GRACE_SECONDS)
            raise SandboxFailure(f"kernel died in {doing} ({_death(code, error)})") from None

    def call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        """Call the student's ``name`` in the sandbox; return its result, rebuilt.

        Raises
        ------
        Exception
            The student's exception, as a built-in type of the same name (other types
            become :class:`StudentError`), with its message.
        SandboxFailure
            If the runner hangs or dies; the sandbox is then restarted for later calls.
        """
        if not self._running:
            self.start()
        blobs: list[bytes] = []
        self._calls += 1
        header = {
            "id": self._calls,
            "call": name,
            "args": encode(list(args), blobs),
            "kwargs": encode(kwargs, blobs),
        }
        try:
            write_message(self._out, header, blobs)
            reply, reply_blobs = self._receive(self.limits.call_seconds, name)
            if reply.get("id") != self._calls:
                raise SandboxFailure(f"kernel confused in {name} (a reply to another call)")
        except (SandboxFailure, BrokenPipeError) as failure:
            self.close()
            status = (
                failure.status if isinstance(failure, SandboxFailure) else f"kernel died in {name}"
            )
            self.failures.append(status)
            raise SandboxFailure(status) from None
        _write_back(args, kwargs, reply.get("changed", {}), reply_blobs)
        if "error" in reply:
            raise _student_error(reply["error"])
        return decode(reply["result"], reply_blobs)


def _write_back(
    args: tuple[Any, ...], kwargs: dict[str, Any], changed: dict[str, Any], blobs: list[bytes]
) -> None:
    """Apply, to the judge's arguments, the in-place changes the student's function made."""
    for key, description in changed.items():
        target = args[int(key)] if key.isdigit() and int(key) < len(args) else kwargs.get(key)
        value = decode(description, blobs)
        if isinstance(target, np.ndarray) and isinstance(value, np.ndarray):
            with contextlib.suppress(ValueError, TypeError):
                target[...] = value


class StudentError(Exception):
    """An exception of a type the student's code defined, carried by name and message."""


def _student_error(error: dict[str, str]) -> BaseException:
    import builtins

    cls = getattr(builtins, error["type"], None) if error.get("builtin") else None
    if isinstance(cls, type) and issubclass(cls, Exception):
        return cls(error["message"])
    return StudentError(f"{error['type']}: {error['message']}")


def _death(code: int | None, error: BaseException) -> str:
    if code is None:
        return str(error)
    if code < 0:
        name = signal.Signals(-code).name
        return {"SIGKILL": "killed: memory or CPU limit?", "SIGXCPU": "CPU time limit"}.get(
            name, name
        )
    return f"exit status {code}"
