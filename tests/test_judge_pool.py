"""The judge pool: a worker that dies, hangs or runs out of memory costs only its task.

Real worker processes (spawned, as ``course grade`` starts them) run small tasks; the
pool must return every task's result, a :class:`~autograder.judge_pool.Lost` naming what
happened for the broken ones, and go on with fresh workers.
"""

from __future__ import annotations

import os
import time

from autograder.judge_pool import JudgePool, Lost


def task(kind: str) -> str:
    """What a worker runs: a normal answer, or a way for a worker to break."""
    if kind == "exit":
        os._exit(3)
    if kind == "hang":
        time.sleep(600)
    if kind == "memory":
        hog = bytearray(4 * 2**30)  # over the pool's 1 GiB address space
        return str(len(hog))
    if kind == "bug":
        raise ValueError("the grader's own bug")
    if kind == "kill":
        os.kill(os.getpid(), 9)
    return f"done {kind}"


def test_broken_workers_cost_only_their_task() -> None:
    kinds = ["a", "exit", "b", "hang", "c", "memory", "d", "bug", "e", "kill", "f"]
    pool = JudgePool(workers=2, memory_bytes=2**30)
    started = time.monotonic()
    results = dict(
        pool.run(
            kinds, task, arguments=lambda k: (k,), seconds=lambda k: 3.0 if k == "hang" else 60
        )
    )
    assert time.monotonic() - started < 60
    assert set(results) == set(kinds)
    for kind in "abcdef":
        assert results[kind] == f"done {kind}"
    assert results["exit"] == Lost("judge worker died (exit status 3)")
    assert results["hang"] == Lost("timeout judging the submission (over 3 s)")
    assert results["memory"] == Lost("judge error (MemoryError)")
    assert results["bug"] == Lost("judge error (ValueError: the grader's own bug)")
    assert results["kill"] == Lost("judge worker killed (SIGKILL: memory limit?)")


def test_an_empty_batch_starts_no_worker() -> None:
    assert list(JudgePool(workers=2).run([], task, lambda k: (k,), lambda k: 1.0)) == []
