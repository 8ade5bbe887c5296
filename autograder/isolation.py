"""How a sandboxed process is isolated and started: isolation levels, limits, the runner's
read-only copy, and the process itself.

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
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import importlib.util
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import autograder.runner

__all__ = [
    "COURSE_PACKAGES",
    "RUNNER_PACKAGE",
    "Limits",
    "SandboxFailure",
    "isolation_level",
    "kill_process",
    "make_workdir",
    "package_folder",
    "runner_package",
    "sandbox_uid",
    "start_process",
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

    #: Seconds to run the setup and all the student's cells, and to answer one call: no
    #: default, the judge sets both from the registry (:func:`autograder.judge.judge_limits`).
    setup_seconds: float
    call_seconds: float
    cpu_seconds: int = 120
    memory_bytes: int = 4 * 2**30
    file_bytes: int = 64 * 2**20
    open_files: int = 256
    processes: int = 1024


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


def make_workdir(prefix: str, level: str) -> Path:
    """A fresh working directory for a sandboxed process, owned by its uid."""
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    if level == "namespaces+nobody":
        os.chown(workdir, sandbox_uid(), sandbox_uid())
    return workdir


def start_process(
    level: str,
    workdir: Path,
    hidden: list[Path],
    limits: Limits,
    runner_args: list[str],
    fds: tuple[int, ...],
) -> subprocess.Popen[bytes]:
    """Start the runner with ``runner_args`` in ``workdir``, isolated at ``level``,
    hiding ``hidden``, under ``limits``, with the descriptors ``fds`` passed on."""
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


def kill_process(process: subprocess.Popen[bytes]) -> None:
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
