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
import importlib.util
import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

import autograder.runner
from autograder.runner.protocol import (
    Decoder,
    ProtocolError,
    Refused,
    ResultMemory,
    encode,
    read_message,
    write_message,
)
from autograder.runner.serve import CONTROL_MESSAGE, EXIT_GRACE_SECONDS

__all__ = [
    "MAX_HUNG_CELLS",
    "Limits",
    "RefusedResult",
    "Sandbox",
    "SandboxFailure",
    "isolation_level",
    "runner_package",
]

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
    #: Seconds to run the setup and all the student's cells, and to answer one call.
    setup_seconds: float = 60.0
    call_seconds: float = 10.0

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
        result = subprocess.run(command, capture_output=True, timeout=20, check=False, cwd="/")
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0


@functools.cache
def isolation_level() -> str:
    """The strongest isolation this machine allows (see the module docstring).

    As root, student code runs as an unprivileged uid only where that uid can read Python
    and the course's packages: an install inside a private folder (a home directory of mode
    0700, pytest's temporary folders) cannot be read by it, and the sandbox then runs as
    the instructor's uid in a user namespace ("namespaces") instead.
    """
    namespaces = ["unshare", "--pid", "--fork", "--kill-child", "--net", "--mount", "--mount-proc"]
    if sys.platform == "linux" and shutil.which("unshare") and shutil.which("setpriv"):
        unprivileged = [
            "setpriv", f"--reuid={FIRST_UID}", f"--regid={FIRST_UID}", "--clear-groups",
            sys.executable, "-P", "-c", "import numpy, course",
        ]  # fmt: skip
        if os.geteuid() == 0 and _works([*namespaces, *unprivileged]):
            return "namespaces+nobody"
        if _works(["unshare", "--user", "--map-root-user", *namespaces[1:], "true"]):
            return "namespaces"
    return "rlimits"


#: The name the runner package is started under, from its copy (:func:`runner_package`).
RUNNER_PACKAGE = "convpool_runner"


@functools.cache
def runner_package() -> Path:
    """A folder holding a copy of :mod:`autograder.runner` named :data:`RUNNER_PACKAGE`,
    readable by every sandbox: the sandbox runs the runner from there, so that the whole
    ``autograder`` package can be hidden from it. Removed when this process exits."""
    stage = Path(tempfile.mkdtemp(prefix="runner-", dir=_runner_parent()))
    stage.chmod(0o755)
    atexit.register(shutil.rmtree, stage, True)
    package = stage / RUNNER_PACKAGE
    package.mkdir(mode=0o755)
    for source in Path(autograder.runner.__file__).parent.glob("*.py"):
        target = package / source.name
        target.write_bytes(source.read_bytes())
        target.chmod(0o644)
    return stage


def _runner_parent() -> Path:
    """The folder holding every judge process's copy of the runner: read-only in every
    sandbox, so that no sandbox can change the runner another one starts."""
    parent = Path(tempfile.gettempdir()) / f"convpool-runners-{os.getuid()}"
    parent.mkdir(mode=0o755, exist_ok=True)
    if parent.is_symlink() or parent.stat().st_uid != os.getuid():
        raise RuntimeError(f"{parent} belongs to someone else")
    return parent


#: Every package of the course's two distributions (convpool-course, convpool-instructor).
COURSE_PACKAGES = ("course", "solutions", "autograder", "courseware", "lessons")


def package_folder(name: str) -> Path | None:
    """Where the top-level package ``name`` is installed (None if it is not), found
    without importing it."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))).resolve()


def _read_only_paths() -> list[Path]:
    """What the sandbox sees read-only: Python, its packages, the course's own packages
    wherever they are installed (a source checkout for an editable install), the runner's
    copy. Student code running as the instructor's uid ("namespaces") could otherwise
    change the code that the judge, or another student's sandbox, runs next."""
    import sysconfig

    paths = {Path(sys.prefix), Path(sys.base_prefix), runner_package().parent}
    paths |= {folder.parent for name in COURSE_PACKAGES if (folder := package_folder(name))}
    paths |= {Path(sysconfig.get_paths()[k]) for k in ("purelib", "platlib", "stdlib")}
    paths |= {Path(p).resolve() for p in sys.path if p and Path(p).is_dir()}
    temporary = Path(tempfile.gettempdir()).resolve()  # where the working directories are
    return sorted(p for p in paths if p.exists() and p not in (temporary, *temporary.parents))


def _command(level: str, workdir: Path, hidden: list[Path], runner_args: list[str]) -> list[str]:
    # -P: the working directory is not on sys.path (no module planted there is imported)
    runner = [sys.executable, "-P", "-m", RUNNER_PACKAGE, *runner_args]
    if level == "rlimits":
        return runner
    read_only = [
        f'mount --bind "{p}" "{p}" && mount -o remount,bind,ro "{p}"' for p in _read_only_paths()
    ]
    hiding = [f'mount -t tmpfs -o size=4k,mode=000 none "{p}"' for p in hidden]
    # A shared-memory folder of its own, small: files there would outlive the sandbox.
    shm = (
        ["mount -t tmpfs -o size=64m,mode=1777 none /dev/shm"] if Path("/dev/shm").is_dir() else []
    )
    mounts = " && ".join(read_only + hiding + shm)
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
        "PYTHONPATH": str(runner_package()),
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
    """Runs in the child before exec: its own session, the resource limits, and death
    with the judge process (a judge worker killed by ``course grade`` leaves nothing)."""
    os.setsid()
    if sys.platform == "linux":
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
    for name, value in (
        (resource.RLIMIT_CPU, limits.cpu_seconds),
        (resource.RLIMIT_AS, limits.memory_bytes),
        (resource.RLIMIT_FSIZE, limits.file_bytes),
        (resource.RLIMIT_NOFILE, limits.open_files),
        (resource.RLIMIT_NPROC, limits.processes),
        (resource.RLIMIT_CORE, 0),
    ):
        resource.setrlimit(name, (value, value))


#: What the runner is told when any library may be imported: a name every import matches.
_ANY_LIBRARY = ["*"]

#: Cells that hang and are skipped before the submission is given up: each costs a restart.
MAX_HUNG_CELLS = 3

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
            answer = json.loads(reply)
            if type(answer) is not dict or type(answer.get("status", 0)) not in (int, type(None)):
                raise ValueError("an answer the zygote does not give")
            return answer
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
    libraries : tuple of str, optional
        The libraries (top-level modules) student code may import besides the standard
        library; None for any.
    """

    def __init__(
        self,
        setup: str,
        cells: list[str],
        hidden: list[Path],
        limits: Limits = Limits(),
        libraries: tuple[str, ...] | None = None,
    ) -> None:
        self.setup, self.cells, self.hidden, self.limits = setup, cells, hidden, limits
        self.libraries = libraries
        #: Imports the runner refused (libraries the assignment does not allow), in order.
        self.refused_imports: list[str] = []
        self.level = isolation_level()
        self.cell_errors: dict[int, str] = {}
        self.hung_cells: list[int] = []
        #: Status of every failure so far ("timeout in conv2d", "kernel died in …").
        self.failures: list[str] = []
        self.process: subprocess.Popen[bytes] | None = None
        self._zygote: _Zygote | None = None
        self._running = False
        self._calls = 0
        #: The arrays returned so far, by the runner's token (a result returned twice
        #: comes back as the same object).
        self._results = ResultMemory()
        self.workdir: Path | None = None

    # -- life cycle ---------------------------------------------------------------------
    def start(self) -> None:
        """Start the runner and run the cells; a hanging cell is dropped and noted.

        The setup and all the cells share one deadline (``limits.setup_seconds``), and
        the runner may announce each cell once, in order: nothing it sends can keep the
        judge waiting longer or make it read more.
        """
        while True:
            self._spawn()
            running = None
            deadline = time.monotonic() + self.limits.setup_seconds
            try:
                while True:
                    doing = "setup" if running is None else f"cell {running + 1}"
                    left = deadline - time.monotonic()
                    header, blobs = self._receive(left, doing, self.limits.setup_seconds)
                    if set(header) == {"running"} and not blobs:
                        running = self._next_cell(header["running"], running, doing)
                        continue
                    self.cell_errors = _cell_errors(header, blobs, len(self.cells))
                    self.refused_imports += _refused_imports(header["refused_imports"])
                    return
            except ProtocolError as error:
                self.close()
                raise SandboxFailure(f"invalid reply in {doing} ({error})") from None
            except SandboxFailure:
                self.close()
                if running is None or len(self.hung_cells) >= MAX_HUNG_CELLS:
                    raise
                self.hung_cells.append(running)

    def _next_cell(self, index: Any, running: int | None, doing: str) -> int:
        """The cell the runner announces next: one it was asked to run, after the last."""
        if (
            type(index) is not int
            or not (running if running is not None else -1) < index < len(self.cells)
            or index in self.hung_cells
        ):
            raise ProtocolError(f"{doing} was followed by an announcement out of order")
        return index

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
        libraries = sorted(self.libraries) if self.libraries is not None else _ANY_LIBRARY
        message = {"setup": self.setup, "cells": self.cells, "skip": sorted(self.hung_cells),
                   "libraries": libraries}  # fmt: skip
        # A runner that died or stopped reading at once: start() times out on its answer.
        with contextlib.suppress(TimeoutError, BrokenPipeError):
            write_message(self._out, message, deadline=time.monotonic() + self.limits.setup_seconds)

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

    # -- calls ----------------------------------------------------------------------------
    def _receive(self, seconds: float, doing: str, limit: float) -> tuple[dict, list[bytes]]:
        """The whole next message, within ``seconds`` (the ``limit`` a timeout names)."""
        try:
            return read_message(self._in, deadline=time.monotonic() + max(seconds, 0.0))
        except TimeoutError:
            raise SandboxFailure(f"timeout in {doing} (over {limit:g} s)") from None
        except (EOFError, OSError) as error:
            code = self._stop(EXIT_GRACE_SECONDS)
            raise SandboxFailure(f"kernel died in {doing} ({_death(code, error)})") from None

    def call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        """Call the student's ``name`` in the sandbox; return its result, rebuilt.

        Raises
        ------
        Exception
            The student's exception, as a built-in type of the same name (other types
            become :class:`StudentError`), with its message; :class:`RefusedResult` for
            a result the grader will not rebuild (a Keras object it does not allow).
        SandboxFailure
            If the runner hangs, dies or breaks the protocol; the sandbox is then
            restarted for later calls.
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
            limit = self.limits.call_seconds
            try:
                write_message(self._out, header, blobs, deadline=time.monotonic() + limit)
            except TimeoutError:
                raise SandboxFailure(f"timeout in {name} (over {limit:g} s)") from None
            reply, reply_blobs = self._receive(limit, name, limit)
            result, error = self._read_reply(reply, reply_blobs, args, kwargs)
        except ProtocolError as problem:
            self._fail(f"invalid reply in {name} ({problem})")
        except (SandboxFailure, BrokenPipeError) as failure:
            self._fail(
                failure.status if isinstance(failure, SandboxFailure) else f"kernel died in {name}"
            )
        except Refused as refusal:
            status = f"refused what {name} returned: {refusal}"
            self.failures.append(status)
            raise RefusedResult(status) from None
        if error is not None:
            raise error
        return result

    def _fail(self, status: str) -> None:
        self.close()
        self.failures.append(status)
        raise SandboxFailure(status)

    def _read_reply(
        self, reply: dict, blobs: list[bytes], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> tuple[Any, BaseException | None]:
        """(result, the student's exception or None) from a reply checked field by field."""
        if reply.get("id") != self._calls:
            raise ProtocolError("a reply to another call")
        common = {"id", "changed", "refused_imports"}
        if set(reply) not in (common | {"result"}, common | {"error"}):
            raise ProtocolError(f"unexpected fields {sorted(reply)[:6]}")
        self.refused_imports += _refused_imports(reply["refused_imports"])
        changed = reply["changed"]
        if type(changed) is not dict or not set(changed) <= {
            *map(str, range(len(args))),
            *kwargs,
        }:
            raise ProtocolError("changed: not the call's arguments")
        decoder = Decoder(blobs, self._results)
        _write_back(args, kwargs, {k: decoder.value(v) for k, v in changed.items()})
        if "error" in reply:
            return None, _student_error(_checked_error(reply["error"]))
        return decoder.value(reply["result"]), None


class RefusedResult(Exception):
    """What a student's function returned was refused by the grader (a disallowed Keras
    object, one too large to rebuild); the message says why."""


def _checked_error(error: Any) -> dict[str, Any]:
    """An exception as the runner describes it, or a ProtocolError."""
    fields = {"type": str, "builtin": bool, "message": str, "where": str}
    if type(error) is not dict or set(error) != set(fields):
        raise ProtocolError("error: unexpected fields")
    if any(type(error[k]) is not t for k, t in fields.items()):
        raise ProtocolError("error: bad field types")
    if len(error["type"]) > 100 or len(error["message"]) > 2000 or len(error["where"]) > 2000:
        raise ProtocolError("error: too long")
    return error


def _refused_imports(value: Any) -> list[str]:
    if (
        type(value) is not list
        or len(value) > 20
        or not all(type(v) is str and len(v) <= 100 for v in value)
    ):
        raise ProtocolError("refused_imports: not a short list of module names")
    return value


def _cell_errors(header: dict, blobs: list[bytes], cells: int) -> dict[int, str]:
    """The runner's report that the cells ran: cell index → the error it raised."""
    errors = header.get("cell_errors")
    fields = {"ready", "cell_errors", "refused_imports"}
    if set(header) != fields or header["ready"] is not True or blobs:
        raise ProtocolError("expected the report that the cells ran")
    if type(errors) is not dict or not all(
        k.isdigit() and int(k) < cells for k in errors
    ):  # fmt: skip
        raise ProtocolError("cell_errors: not the cells' numbers")
    return {int(i): _checked_error(e)["where"].strip() for i, e in errors.items()}


def _write_back(args: tuple[Any, ...], kwargs: dict[str, Any], changed: dict[str, Any]) -> None:
    """Apply, to the judge's arguments, the in-place changes the student's function made."""
    for key, value in changed.items():
        target = args[int(key)] if key.isdigit() else kwargs[key]
        if isinstance(target, np.ndarray) and isinstance(value, np.ndarray):
            with contextlib.suppress(ValueError, TypeError):
                target[...] = value


class StudentError(Exception):
    """An exception of a type the student's code defined, carried by name and message."""


def _student_error(error: dict[str, Any]) -> BaseException:
    import builtins

    cls = getattr(builtins, error["type"], None) if error["builtin"] else None
    if (
        isinstance(cls, type)
        and issubclass(cls, Exception)
        and not issubclass(cls, StopIteration | StopAsyncIteration)
    ):  # (these would end a loop over the student's results in silence)
        with contextlib.suppress(Exception):  # some take other arguments (UnicodeError…)
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
