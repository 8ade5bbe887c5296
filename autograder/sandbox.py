"""Run a submission's code in a sandboxed runner, and talk to it with plain data.

A :class:`Sandbox` starts a runner (:mod:`autograder.runner.serve`) isolated as
:mod:`autograder.isolation` allows — forked from a zygote where namespaces exist
(:mod:`autograder.runner.zygote`), a process of its own otherwise — runs the setup cell
and the student's cells in it, and calls the student's functions there. Every message
back is checked by :mod:`autograder.runner.protocol`; what a call returns is rebuilt from
plain data only, and an error is only ever re-raised as a :class:`StudentError`.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import numpy as np

from autograder.isolation import (
    Limits,
    SandboxFailure,
    isolation_level,
    kill_process,
    make_workdir,
    start_process,
)
from autograder.runner.protocol import (
    Decoder,
    ProtocolError,
    Refused,
    ResultMemory,
    encode,
    read_message,
    write_message,
)
from autograder.runner.zygote import EXIT_GRACE_SECONDS, Zygote, ZygoteFailure, zygote_for

__all__ = ["MAX_HUNG_CELLS", "RefusedResult", "Sandbox", "StudentError"]

#: What the runner is told when any library may be imported: a name every import matches.
_ANY_LIBRARY = ["*"]

#: Cells that hang and are skipped before the submission is given up: each costs a restart.
MAX_HUNG_CELLS = 3


def _zygote(sandbox: Sandbox) -> Zygote | None:
    """This process's zygote for the sandbox's setup, hidden paths and limits (started on
    first use), or None: the sandbox then gets a process of its own."""

    def start() -> Zygote:
        workdir = make_workdir("convpool-zygote-", sandbox.level)
        launch = functools.partial(
            start_process, sandbox.level, workdir, sandbox.hidden, sandbox.limits
        )
        return Zygote(sandbox.setup, launch, kill_process, workdir)

    key = (sandbox.level, sandbox.setup, tuple(sandbox.hidden), sandbox.limits)
    return zygote_for(key, start)


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
        limits: Limits,
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
        self._zygote: Zygote | None = None
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
        self.workdir = make_workdir("convpool-sandbox-", self.level)
        to_child, from_judge = os.pipe()
        to_judge, from_child = os.pipe()
        self._in, self._out = to_judge, from_judge
        self._running = True
        try:
            zygote = None if self.level == "rlimits" else _zygote(self)
            if zygote is not None:
                with contextlib.suppress(ZygoteFailure):  # a broken zygote: a process then
                    zygote.fork(self.workdir, (to_child, from_child))
                    self._zygote = zygote
            if self._zygote is None:
                runner_args = [str(to_child), str(from_child)]
                self.process = start_process(self.level, self.workdir, self.hidden, self.limits,
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
            with contextlib.suppress(ZygoteFailure):
                status = self._zygote.end(wait)
            self._zygote = None
        elif self.process is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                status = self.process.wait(timeout=wait) if wait else self.process.poll()
            kill_process(self.process)
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
