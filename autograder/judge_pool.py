"""A pool of judge processes that no submission can stop.

``concurrent.futures.ProcessPoolExecutor`` gives up on every pending submission when
one worker dies (``BrokenProcessPool``) and cannot stop a worker that hangs. Here each
worker is a process of its own session with a memory limit; each task has a deadline.
A worker that dies, or passes its task's deadline, is killed with everything it started
(its sandboxes die with it, :func:`autograder.isolation.start_process`), its task gets a
:class:`Lost` result naming what happened, and a fresh worker takes its place: the batch
always completes.

A worker sends its result back as text (JSON, by the task's own function), never as a
pickle, so the pool's process never unpickles what a worker sent.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import resource
import signal
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

__all__ = ["WORKER_MEMORY_BYTES", "JudgePool", "Lost"]

#: Address space a judge worker may use (it imports Keras; the student's code and the
#: training run in sandboxes with limits of their own).
WORKER_MEMORY_BYTES = 8 * 2**30
#: Largest result a worker may send (one verdict is a few kilobytes).
MAX_RESULT_BYTES = 16 * 2**20


@dataclass(frozen=True)
class Lost:
    """A task whose worker died or passed its deadline; ``status`` says which."""

    status: str


def _serve(connection: Connection, memory_bytes: int) -> None:
    """A worker: run ``function(*args)`` for each task received, send back its text."""
    os.setsid()  # its own process group: killed as one, never by the terminal's Ctrl-C
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, hard))
    while True:
        try:
            task = connection.recv()
        except EOFError:
            return
        function, args = task
        try:
            text = "ok\n" + function(*args)
        except Exception:  # the grader's own bug: the task fails, the worker goes on
            text = "error\n" + traceback.format_exc()[-2000:]
        connection.send_bytes(text.encode())


class _Worker:
    def __init__(self, memory_bytes: int) -> None:
        context = multiprocessing.get_context("spawn")  # a fork of TensorFlow can deadlock
        self.connection, theirs = context.Pipe()
        self.process = context.Process(target=_serve, args=(theirs, memory_bytes), daemon=True)
        self.process.start()
        theirs.close()
        self.task: Any = None
        self.seconds = 0.0
        self.deadline = 0.0

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.join()
        self.connection.close()


def _death(worker: _Worker) -> str:
    code = worker.process.exitcode
    if code is not None and code < 0:
        name = signal.Signals(-code).name
        return f"judge worker killed ({name}{': memory limit?' if name == 'SIGKILL' else ''})"
    return f"judge worker died (exit status {code})"


class JudgePool:
    """Run tasks in ``workers`` processes (module docstring).

    Parameters
    ----------
    workers : int
    memory_bytes : int
        Address-space limit of each worker.
    """

    def __init__(self, workers: int, memory_bytes: int = WORKER_MEMORY_BYTES) -> None:
        self.size, self.memory_bytes = max(workers, 1), memory_bytes

    def run(
        self,
        tasks: Sequence[Any],
        function: Callable[..., str],
        arguments: Callable[[Any], tuple],
        seconds: Callable[[Any], float],
    ) -> Iterator[tuple[Any, str | Lost]]:
        """Yield ``(task, function(*arguments(task)))`` as tasks finish, in any order, or
        ``(task, Lost(status))``; a task may take ``seconds(task)``.

        A result that is not text the function returned (the grader's own error)
        comes back as a :class:`Lost` too.
        """
        pending = deque(tasks)
        idle = [_Worker(self.memory_bytes) for _ in range(min(self.size, len(pending)))]
        busy: list[_Worker] = []
        try:
            while pending or busy:
                while pending and idle:
                    worker = idle.pop()
                    worker.task = pending.popleft()
                    worker.seconds = seconds(worker.task)
                    worker.deadline = time.monotonic() + worker.seconds
                    worker.connection.send((function, arguments(worker.task)))
                    busy.append(worker)
                timeout = max(min(w.deadline for w in busy) - time.monotonic(), 0.0)
                wait([w.connection for w in busy] + [w.process.sentinel for w in busy], timeout)
                for worker in list(busy):
                    result = self._result(worker)
                    if result is None:
                        continue
                    busy.remove(worker)
                    yield worker.task, result
                    if isinstance(result, Lost) and not worker.process.is_alive():
                        worker = _Worker(self.memory_bytes) if pending else None
                    if worker is not None:
                        idle.append(worker)
        finally:
            for worker in idle + busy:
                worker.kill()

    def _result(self, worker: _Worker) -> str | Lost | None:
        """The worker's result, a Lost if it died or is late (then killed), None if busy."""
        if worker.connection.poll():
            try:
                text = worker.connection.recv_bytes(MAX_RESULT_BYTES).decode()
            except (EOFError, OSError, UnicodeDecodeError):
                worker.process.join(5)
                status = _death(worker)
                worker.kill()
                return Lost(status)
            kind, _, body = text.partition("\n")
            last = (body.strip().splitlines() or ["?"])[-1]
            return body if kind == "ok" else Lost(f"judge error ({last[:200]})")
        if not worker.process.is_alive():
            status = _death(worker)
            worker.kill()
            return Lost(status)
        if time.monotonic() > worker.deadline:
            worker.kill()
            return Lost(f"timeout judging the submission (over {worker.seconds:g} s)")
        return None
