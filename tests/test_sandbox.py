"""The sandbox on its own: runners forked from a zygote, one submission after another.

With namespaces, a judge process keeps one sandboxed *zygote* per setup cell that has
imported the setup's modules once and forks a fresh runner per submission
(:mod:`autograder.runner.zygote`). These tests judge submissions one after another in this
process, as a batch worker does, and check that nothing one submission did reaches the
next: processes it left running, modules it monkeypatched, files it wrote, attempts on
the zygote's memory or life. The ``"rlimits"`` level (no namespaces, one process per
submission) is checked to still answer calls.
"""

from __future__ import annotations

import os
import signal
import socket
import textwrap

import pytest

from autograder.isolation import Limits, _works, isolation_level
from autograder.runner import zygote as zygote_module
from autograder.sandbox import Sandbox

SETUP = "import os\nimport numpy as np"
LIMITS = Limits(call_seconds=10, setup_seconds=10)
LEVEL = isolation_level()
pytestmark = pytest.mark.skipif(
    LEVEL == "rlimits", reason="the zygote needs Linux namespaces (isolation 'rlimits' here)"
)


def _sandbox(code: str, level: str = LEVEL) -> Sandbox:
    sandbox = Sandbox(SETUP, [textwrap.dedent(code)], hidden=[], limits=LIMITS)
    sandbox.level = level
    sandbox.start()
    return sandbox


def _zygote_pid(sandbox: Sandbox) -> int:
    assert sandbox._zygote is not None, "the runner was not forked from a zygote"
    return sandbox._zygote.process.pid


def test_runners_are_forked_from_one_zygote_in_its_pid_namespace() -> None:
    code = "def parent():\n    return os.getppid()\n"
    first = _sandbox(code)
    try:
        zygote = _zygote_pid(first)
        assert first.call("parent") == 1  # the zygote is the namespace's first process
    finally:
        first.close()
    second = _sandbox(code)
    try:
        assert _zygote_pid(second) == zygote
        assert second.call("parent") == 1
    finally:
        second.close()


def test_processes_a_submission_left_running_are_killed_before_the_next() -> None:
    first = _sandbox(
        """
        import subprocess
        def detach():
            return subprocess.Popen(["sleep", "600"], start_new_session=True).pid
        """
    )
    try:
        survivor = first.call("detach")
        assert isinstance(survivor, int)
    finally:
        first.close()
    second = _sandbox(
        """
        def alive(pid):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return False
            return True
        def processes():
            return sorted(int(p) for p in os.listdir("/proc") if p.isdigit())
        """
    )
    try:
        assert second.call("alive", survivor) is False
        # /proc is the namespace's own: the zygote (1) and this runner, nothing else
        assert len(second.call("processes")) == 2
    finally:
        second.close()


def test_monkeypatching_and_files_do_not_reach_the_next_submission() -> None:
    first = _sandbox(
        """
        import pathlib
        np.sum = lambda *args, **kwargs: 42
        pathlib.Path(os.environ["HOME"], "note").write_text("left behind")
        def home():
            return os.environ["HOME"]
        """
    )
    try:
        first_home = first.call("home")
    finally:
        first.close()
    second = _sandbox(
        """
        def total():
            return int(np.sum([1, 2]))
        def home():
            return os.environ["HOME"]
        def exists(path):
            return os.path.exists(path)
        """
    )
    try:
        assert second.call("total") == 3
        assert second.call("home") != first_home
        assert second.call("exists", f"{first_home}/note") is False
        assert second.call("exists", f"{second.call('home')}/note") is False
    finally:
        second.close()


def test_a_runner_cannot_write_the_zygotes_memory_nor_kill_it() -> None:
    attacker = _sandbox(
        """
        import signal
        def write_memory():
            with open("/proc/1/mem", "r+b"):
                return "opened"
        def kill_zygote():
            for sig in (signal.SIGTERM, signal.SIGKILL, signal.SIGINT):
                os.kill(1, sig)
            return "sent"
        """
    )
    try:
        zygote = _zygote_pid(attacker)
        with pytest.raises(PermissionError):
            attacker.call("write_memory")
        assert attacker.call("kill_zygote") == "sent"
    finally:
        attacker.close()
    victim = _sandbox("def parent():\n    return os.getppid()\n")
    try:
        assert _zygote_pid(victim) == zygote  # still the same zygote, still answering
        assert victim.call("parent") == 1
    finally:
        victim.close()


def test_a_dead_zygote_costs_nothing_and_is_replaced() -> None:
    first = _sandbox("def one():\n    return 1\n")
    zygote = first._zygote
    first.close()
    os.killpg(zygote.process.pid, signal.SIGKILL)  # e.g. the machine's OOM killer
    zygote.process.wait()
    second = _sandbox("def one():\n    return 1\n")
    try:
        assert second._zygote is None  # a process of its own this time
        assert second.call("one") == 1
    finally:
        second.close()
    third = _sandbox("def one():\n    return 1\n")
    try:
        assert _zygote_pid(third) != zygote.process.pid
        assert third.call("one") == 1
    finally:
        third.close()


def test_a_zygote_is_replaced_after_its_quota_of_forks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(zygote_module, "ZYGOTE_FORKS", 1)
    pids = []
    for _ in range(2):
        sandbox = _sandbox("def one():\n    return 1\n")
        try:
            pids.append(_zygote_pid(sandbox))
            assert sandbox.call("one") == 1
        finally:
            sandbox.close()
    assert pids[0] != pids[1]


def test_a_runners_exit_status_is_reported() -> None:
    sandbox = _sandbox("def leave():\n    os._exit(3)\n")
    try:
        with pytest.raises(Exception, match=r"kernel died in leave \(exit status 3\)"):
            sandbox.call("leave")
    finally:
        sandbox.close()


def test_a_zygote_refuses_to_run_outside_its_own_pid_namespace() -> None:
    """Its cleanup kills every process it may signal: only safe as pid 1 of a namespace."""
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    with ours, theirs, pytest.raises(SystemExit, match="first process of its own PID"):
        zygote_module.serve_forks(theirs.fileno())


@pytest.mark.parametrize(
    "level",
    [
        "rlimits",
        pytest.param(
            "namespaces",
            marks=pytest.mark.skipif(
                not _works(["unshare", "--user", "--map-root-user", "--pid", "--fork", "true"]),
                reason="no unprivileged user namespaces here",
            ),
        ),
    ],
)
def test_other_isolation_levels_answer_calls(level: str) -> None:
    sandbox = _sandbox("def double(x):\n    return 2 * x\n", level=level)
    try:
        assert sandbox.call("double", 21) == 42
        assert (sandbox._zygote is None) == (level == "rlimits")
    finally:
        sandbox.close()


def test_a_hanging_call_times_out_and_the_next_call_gets_a_fresh_runner() -> None:
    sandbox = Sandbox(
        SETUP,
        ["def hang():\n    while True:\n        pass\n", "def one():\n    return 1\n"],
        hidden=[],
        limits=Limits(call_seconds=1, setup_seconds=10),
    )
    try:
        sandbox.start()
        with pytest.raises(Exception, match=r"timeout in hang \(over 1 s\)"):
            sandbox.call("hang")
        assert sandbox.call("one") == 1
    finally:
        sandbox.close()
