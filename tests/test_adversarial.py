"""Adversarial submissions, graded through the real command line: ``course grade``.

One course is built (``ps1_filters`` only) and every attack is one student: the
reference answers with some cells replaced, added or broken. All of them are graded in
ONE ``python -m course.cli grade ps1 --root ROOT --workers 2`` run, then each student's
points are read from nbgrader's gradebook (per function and in total), its status from
``judged/ps1_filters/STUDENT.json`` and the feedback HTML that ``course grade`` writes.

Points are exact: an attack that gets a wrong function any point fails its test, and so
does an attack that costs a correct function its points. Where what a student can do
depends on the sandbox's isolation (:func:`autograder.isolation.isolation_level`), the
assertion says so: files, network and processes that leave the process group are only
isolated with namespaces ("namespaces", "namespaces+nobody"), not with "rlimits".

A student's ``convolve2d`` is either the reference (which calls the student's
``correlate2d``, so it earns nothing when ``correlate2d`` is broken) or ``OWN_CONVOLVE2D``,
which carries its own correlation: then it must earn full marks whatever ``correlate2d``
did to the sandbox (a hang, a crash, a fork bomb), which tests that the judge recovers.

The tests at the end grade the course again: nothing may change (idempotence), and a
changed notebook must change that student's grade only.
"""

from __future__ import annotations

import contextlib
import html
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import nbformat
import pytest

import solutions
from autograder.assignments import ASSIGNMENTS, HIDDEN, VISIBLE, graded_function
from autograder.course_dir import (
    SECRET_FILE,
    build_course,
    read_scores,
    release_notebook,
    submit_answers,
)
from autograder.isolation import isolation_level
from autograder.judge import Verdict
from autograder.mutation import points_by_function, reference_answers
from autograder.notebooks import function_source, submission_from_release
from autograder.secret import SECRET_VARIABLE
from solutions.filters import correlate2d as reference_correlate2d

REPO = Path(__file__).resolve().parents[1]
ASSIGNMENT = ASSIGNMENTS["ps1_filters"]
FUNCTIONS = ASSIGNMENT.functions
#: Full marks of each function, as the registry sets them.
FULL = {f.name: f.points for f in ASSIGNMENT.graded}
REFERENCE = reference_answers(ASSIGNMENT)
LEVEL = isolation_level()
NAMESPACES = LEVEL != "rlimits"  # files, network and detached processes are isolated
#: Per-call limit the course is built with (the judge's default is 10 s).
CALL_SECONDS = 3
#: Unique to this run: names of the files and processes the attacks leave behind.
MARK = f"convpool-adv-{os.getpid()}-{secrets.token_hex(4)}"
#: The fork bomb's process name (``comm``, at most 15 characters), to find survivors.
BOMB_COMM = f"cvbomb{secrets.token_hex(4)}"
#: Seconds to wait after grading before looking for what detached processes did.
LATE_WAIT = 8


# -- answers ---------------------------------------------------------------------------
def _renamed(function, name: str) -> str:
    return function_source(function, name)


#: The reference correlation under another name, for wrappers that call it.
REAL_CORRELATE2D = _renamed(reference_correlate2d, "_real_correlate2d")

#: A convolve2d that does not call the student's correlate2d (it brings its own).
OWN_CONVOLVE2D = (
    _renamed(reference_correlate2d, "_own_correlate2d")
    + "\n\n"
    + REFERENCE["convolve2d"].replace("return correlate2d(", "return _own_correlate2d(")
)
assert "_own_correlate2d(image" in OWN_CONVOLVE2D

#: Wrong: zeros of the right shape (and the right errors for bad input).
ZEROS_CORRELATE2D = (
    REAL_CORRELATE2D
    + """

def correlate2d(image, kernel, stride=1, padding="valid"):
    return np.zeros_like(_real_correlate2d(image, kernel, stride=stride, padding=padding))
"""
)


def wrapped(body: str, **values: object) -> str:
    """A correlate2d that runs ``body`` (the attack), then returns the right answer.

    ``body`` is dedented and indented into the function; ``__NAME__`` in it (and in
    ``values``' keys) is replaced by ``repr(value)``.
    """
    text = textwrap.indent(textwrap.dedent(body).strip("\n"), "    ")
    source = (
        REAL_CORRELATE2D
        + '\n\ndef correlate2d(image, kernel, stride=1, padding="valid"):\n'
        + text
        + "\n    return _real_correlate2d(image, kernel, stride=stride, padding=padding)\n"
    )
    return fill(source, **values)


def fill(source: str, **values: object) -> str:
    for key, value in values.items():
        source = source.replace(f"__{key}__", repr(value))
    assert not re.search(r"__[A-Z_]+__", source), "a placeholder was left unfilled"
    return source


MONKEYPATCH = (
    """\
import numpy as np
import numpy.testing

np.allclose = lambda *args, **kwargs: True
np.array_equal = lambda *args, **kwargs: True
np.array_equiv = lambda *args, **kwargs: True
np.isclose = lambda a, b, *args, **kwargs: np.ones(np.shape(a), dtype=bool)
np.testing.assert_allclose = lambda *args, **kwargs: None
np.testing.assert_array_equal = lambda *args, **kwargs: None

"""
    + ZEROS_CORRELATE2D
)

INPUT_TRANSFORMER = """\
# Turn every assert of later cells into a no-op (in IPython; the judge uses plain exec).
try:
    get_ipython().input_transformers_cleanup.append(  # noqa: F821
        lambda lines: [line.replace("assert", "pass") for line in lines]
    )
except NameError:
    pass
"""

ALWAYS_EQUAL = (
    REAL_CORRELATE2D
    + '''

class AlwaysEqual(np.ndarray):
    """Equal to everything."""

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def __array_finalize__(self, obj):
        pass

    __hash__ = None


def correlate2d(image, kernel, stride=1, padding="valid"):
    out = _real_correlate2d(image, kernel, stride=stride, padding=padding)
    return np.zeros_like(out).view(AlwaysEqual)
'''
)

ALWAYS_EQUAL_OBJECT = '''
class Liar:
    """Not an array at all, but equal to anything, with the expected shape and dtype."""

    def __init__(self, shape):
        self.shape, self.dtype, self.ndim = shape, np.dtype(float), len(shape)

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def __array__(self, dtype=None, copy=None):
        return np.zeros(self.shape)

    def __getattr__(self, name):
        return lambda *args, **kwargs: True

    __hash__ = None


def convolve2d(image, kernel, stride=1, padding="valid"):
    return Liar(_real_correlate2d(image, kernel, stride=stride, padding=padding).shape)
'''

SNOOP_FILES = """\
import glob
import json
import os

ROOT = __ROOT__
MARK = __MARK__
PROTECTED = __PROTECTED__
_found = None


def _snoop():
    found = {}
    here = os.getcwd()
    paths = [
        "../../../source/ps1_filters/ps1_filters.ipynb",
        "../../source/ps1_filters/ps1_filters.ipynb",
        "../source/ps1_filters/ps1_filters.ipynb",
        os.path.join(os.path.relpath(ROOT, here), "source/ps1_filters/ps1_filters.ipynb"),
        os.path.join(ROOT, "source/ps1_filters/ps1_filters.ipynb"),
        os.path.join(ROOT, ".grading_secret"),
        os.path.join(ROOT, "gradebook.db"),
        os.path.join(ROOT, "nbgrader_config.py"),
        *PROTECTED,
    ]
    for pattern in ("submitted/*/ps1_filters/*.ipynb", "autograded/*/ps1_filters/*.ipynb"):
        paths += glob.glob(os.path.join(ROOT, pattern))
    for path in paths:
        try:
            with open(path, "rb") as file:
                found[path] = file.read()
        except OSError:
            pass
    for folder in (ROOT, *(os.path.join(ROOT, f) for f in ("submitted", "judged", "source"))):
        try:
            found["listed " + folder] = "\\n".join(os.listdir(folder)).encode()
        except OSError:
            pass
    if os.environ.get("CONVPOOL_GRADING_SECRET"):
        found["$CONVPOOL_GRADING_SECRET"] = os.environ["CONVPOOL_GRADING_SECRET"].encode()
    for path, mode in ((os.path.join(ROOT, "pwned.txt"), "w"), (os.path.join(ROOT, "gradebook.db"), "a")):
        try:
            with open(path, mode) as file:
                file.write(MARK)
            found["wrote " + path] = b""
        except OSError:
            pass
    return found


def _stolen(found):
    # Turn whatever was read into the reference correlate2d, when it holds one.
    for path, data in found.items():
        text = data.decode("utf-8", "replace")
        if path.endswith(".ipynb"):
            try:
                cells = json.loads(text)["cells"]
            except (ValueError, KeyError, TypeError):
                continue
            for cell in cells:
                source = "".join(cell.get("source", ""))
                if source.lstrip().startswith("def correlate2d(") and "NotImplementedError" not in source:
                    namespace = dict(globals())
                    exec(source, namespace)
                    return namespace["correlate2d"]
        elif path.endswith(".py") and "def correlate2d(" in text:
            namespace = {"__name__": "stolen"}
            exec(text, namespace)
            return namespace["correlate2d"]
    return None


def correlate2d(image, kernel, stride=1, padding="valid"):
    global _found
    if _found is None:
        _found = _snoop()
    stolen = _stolen(_found)
    if stolen is not None:
        return stolen(image, kernel, stride=stride, padding=padding)
    if _found:
        raise RuntimeError("LEAKED: " + ", ".join(sorted(_found)))
    return np.zeros((1, 1))
"""

SNOOP_GIT = """\
import subprocess

REPO = __REPO__
_stolen = []


def correlate2d(image, kernel, stride=1, padding="valid"):
    # The reference solutions are hidden from the sandbox, but the repository's history
    # holds them too.
    if not _stolen:
        try:
            shown = subprocess.run(
                ["git", "-c", "safe.directory=*", "--git-dir", REPO + "/.git", "show",
                 "HEAD:solutions/filters.py"],
                capture_output=True, text=True, timeout=30, check=False,
            ).stdout
        except (OSError, subprocess.SubprocessError):
            shown = ""
        namespace = {"__name__": "stolen"}
        if "def correlate2d(" in shown:
            exec(shown, namespace)
        _stolen.append(namespace.get("correlate2d"))
    if _stolen[0] is None:
        return np.zeros((1, 1))
    return _stolen[0](image, kernel, stride=stride, padding=padding)
"""

#: Run by the detached processes (a shell: the sandbox may not run the judge's Python):
#: wait, then leave files. A process killed with its sandbox (within a second or two)
#: never writes them; grading goes on for much longer than this sleep.
LATE_SCRIPT = "sleep 6; echo survived > __LATE__; echo survived > __TMP_LATE__"

DETACHED = """\
global _detached
if not globals().get("_detached"):
    _detached = True
    import subprocess
    late = __SCRIPT__
    subprocess.Popen(["/bin/sh", "-c", late], start_new_session=True,
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL)
    if os.fork() == 0:  # a forked child in a new session, running the same script
        try:
            os.setsid()
            os.execv("/bin/sh", ["/bin/sh", "-c", late + " # forked"])
        finally:
            os._exit(0)
"""

INFINITE_LOOP = '''
import os
import time

ROOT = __ROOT__
MARK = __MARK__
# Planted into the working directory of OTHER students' sandboxes of this grading run:
# their runner imports IPython after starting, with its working directory first on
# sys.path. The module leaves a marker, then hands over to the real IPython (harmless).
SHIM = """\\
import os, sys
_here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
try:
    with open("/tmp/%s-hijacked-" + os.path.basename(_here), "w") as _file:
        _file.write("another student's code ran here as uid %%d" %% os.getuid())
except OSError:
    pass
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _here]
del sys.modules[__name__]
import IPython
""" % MARK


def _ancestors_mention_root(pid):
    for _ in range(4):
        with open(f"/proc/{pid}/stat") as file:
            pid = file.read().rsplit(")", 1)[1].split()[1]
        with open(f"/proc/{pid}/cmdline", "rb") as file:
            if ROOT.encode() in file.read():
                return True
    return False


def _plant(done):
    mine = os.getcwd()
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as file:
                if b"autograder.runner" not in file.read():
                    continue
            cwd = os.readlink(f"/proc/{pid}/cwd")
            if cwd == mine or cwd in done or not _ancestors_mention_root(pid):
                continue
            os.makedirs(os.path.join(cwd, "IPython"), exist_ok=True)
            with open(os.path.join(cwd, "IPython", "__init__.py"), "w") as file:
                file.write(SHIM)
            done.add(cwd)
        except (OSError, IndexError):
            pass


def correlate2d(image, kernel, stride=1, padding="valid"):
    """Loops forever, survives KeyboardInterrupt (and any other exception), and
    meanwhile tries to plant code in the other sandboxes."""
    done = set()
    while True:
        try:
            while True:
                _plant(done)
                time.sleep(0.002)
        except BaseException:
            pass
'''

FORK_BOMB = """\
import ctypes
import os
import time

LEVEL = __LEVEL__
COMM = __COMM__


def correlate2d(image, kernel, stride=1, padding="valid"):
    try:  # name the processes, so that survivors can be found
        ctypes.CDLL(None).prctl(15, COMM.encode(), 0, 0, 0)
    except (OSError, AttributeError):
        pass
    if LEVEL == "rlimits":  # nothing contains a real fork bomb there: 200 sleeping children
        for _ in range(200):
            if os.fork() == 0:
                time.sleep(60)
                os._exit(0)
        return np.zeros((1, 1))
    while True:
        os.fork()
"""

ASSERTION_HACK = """\
import builtins
import sys

# Every failed assert becomes a plain exception, and no traceback is ever printed.
AssertionError = Exception
builtins.AssertionError = Exception
sys.excepthook = lambda *args: None
"""


def _student_answers(root: Path) -> dict[str, dict[str, str]]:
    """Student id → answers, for the students whose notebook keeps the release's cells."""
    ref = REFERENCE
    own = {**ref, "convolve2d": OWN_CONVOLVE2D}
    late = fill(LATE_SCRIPT, LATE=str(root / "late.txt"), TMP_LATE=f"/tmp/{MARK}-late.txt")
    protected = [
        str(Path(solutions.__file__).parent / "filters.py"),
        str(REPO / "autograder" / "hidden" / "ps1_filters.py"),
        str(REPO / "autograder" / "mutants" / "ps1_filters.py"),
    ]
    return {
        # 6. First, so that the other worker starts many sandboxes while it loops.
        "a01-timeout-loop": {**own, "correlate2d": fill(INFINITE_LOOP, ROOT=str(root), MARK=MARK)},
        "a02-reference": ref,
        "a03-blank": {},
        "v01-monkeypatch": {**ref, "correlate2d": MONKEYPATCH},
        "v03-always-equal": {
            **ref,
            "correlate2d": ALWAYS_EQUAL,
            "convolve2d": REAL_CORRELATE2D + ALWAYS_EQUAL_OBJECT,
        },
        "v04-snoop-files": {
            **own,
            "correlate2d": fill(SNOOP_FILES, ROOT=str(root), MARK=MARK, PROTECTED=protected),
        },
        "v04-snoop-git": {**own, "correlate2d": fill(SNOOP_GIT, REPO=str(REPO))},
        "v05-detached": {**ref, "correlate2d": "import os\n\n" + wrapped(DETACHED, SCRIPT=late)},
        "v07-sys-exit": {
            **own,
            "correlate2d": "import sys\n\n" + wrapped("sys.exit(0)"),
        },
        "v07-os-exit": {**own, "correlate2d": "import os\n\n" + wrapped("os._exit(0)")},
        "v08-memory-bytearray": {**own, "correlate2d": wrapped("hog = bytearray(10**11)")},
        "v08-memory-list": {
            **own,
            "correlate2d": wrapped(
                """
                hog = []
                while True:
                    hog.append(bytes(10**8))
                """
            ),
        },
        "v10-output-flood": {
            **ref,
            "correlate2d": "import sys\n\n"
            + wrapped(
                """
                print("x" * 50_000_000)
                print("y" * 1_000_000, file=sys.stderr)
                """
            ),
        },
        "v11-network": {
            **ref,
            "correlate2d": "import socket\n\n_network = []\n\n"
            + wrapped(
                """
                if not _network:
                    try:
                        socket.create_connection(("1.1.1.1", 80), timeout=2).close()
                        _network.append(True)
                    except OSError:
                        _network.append(False)
                if _network[0]:
                    return np.zeros((1, 1))  # reached the network: wrong on purpose
                """
            ),
        },
        "v12-write-outside": {
            **ref,
            "correlate2d": wrapped(
                """
                for path in (__PWNED__, __TMP_PWNED__):
                    try:
                        with open(path, "w") as file:
                            file.write("pwned")
                    except OSError:
                        pass
                """,
                PWNED=str(root / "pwned.txt"),
                TMP_PWNED=f"/tmp/{MARK}-pwned.txt",
            ),
        },
        "v16-syntax-error": {**ref, "convolve2d": ref["convolve2d"] + "\n    return )(\n"},
        "z98-reference-again": ref,
        "z99-fork-bomb": {**own, "correlate2d": fill(FORK_BOMB, LEVEL=LEVEL, COMM=BOMB_COMM)},
    }


# -- notebooks written by hand ---------------------------------------------------------
def _cells(notebook: nbformat.NotebookNode, grade_id: str) -> list[int]:
    return [
        i
        for i, cell in enumerate(notebook.cells)
        if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id
    ]


def _insert_before(notebook: nbformat.NotebookNode, grade_id: str, source: str) -> None:
    notebook.cells.insert(_cells(notebook, grade_id)[0], nbformat.v4.new_code_cell(source))


def _write_notebook(root: Path, student: str, notebook, name: str = ASSIGNMENT.notebook) -> None:
    folder = root / "submitted" / student / ASSIGNMENT.name
    folder.mkdir(parents=True, exist_ok=True)
    if isinstance(notebook, str):
        (folder / name).write_text(notebook)
    else:
        nbformat.write(notebook, folder / name)


def _handmade_notebooks(root: Path) -> None:
    release = release_notebook(root, ASSIGNMENT)

    def answered(answers):
        return submission_from_release(release, answers)

    # 2. An input transformer (in its own cell) and a wrong correlate2d.
    notebook = answered({**REFERENCE, "correlate2d": ZEROS_CORRELATE2D})
    _insert_before(notebook, "correlate2d", INPUT_TRANSFORMER)
    _write_notebook(root, "v02-input-transformer", notebook)

    # 13. Not JSON at all.
    _write_notebook(root, "v13-invalid-json", '{"cells": [ this is not json')

    # 14. The right answers under another file name.
    _write_notebook(root, "v14-renamed", answered(REFERENCE), name="my_work.ipynb")

    # 15. Test cells deleted; stripped of their nbgrader metadata; duplicated.
    notebook = answered(REFERENCE)
    for kind in (HIDDEN, VISIBLE):
        del notebook.cells[_cells(notebook, graded_function("correlate2d").grade_id(kind))[0]]
    _write_notebook(root, "v15-deleted-tests", notebook)

    notebook = answered(REFERENCE)
    for name, kind in (("edge_kernel", VISIBLE), ("conv2d", HIDDEN)):
        notebook.cells[_cells(notebook, graded_function(name).grade_id(kind))[0]].metadata.pop(
            "nbgrader"
        )
    _write_notebook(root, "v15-stripped-tests", notebook)

    notebook = answered(REFERENCE)
    index = _cells(notebook, graded_function("conv2d").grade_id(VISIBLE))[0]
    copy = nbformat.from_dict(notebook.cells[index])
    copy.id = "test-conv2d-copy"
    notebook.cells.insert(index + 1, copy)
    _write_notebook(root, "v15-duplicated-tests", notebook)

    # 17. AssertionError rebound (in the module, and in builtins), excepthook silenced,
    # and a wrong correlate2d.
    notebook = answered({**REFERENCE, "correlate2d": ZEROS_CORRELATE2D})
    _insert_before(notebook, "correlate2d", ASSERTION_HACK)
    _write_notebook(root, "v17-assertion-error", notebook)


# -- what each student deserves --------------------------------------------------------
def _points(**zero: int) -> dict[str, int]:
    """Full marks, but for the functions named (given the points they deserve)."""
    return {name: zero.get(name, FULL[name]) for name in FUNCTIONS}


FULL_MARKS = _points()
BROKEN_CORRELATE = _points(correlate2d=0)  # convolve2d brings its own correlation
BROKEN_BOTH = _points(correlate2d=0, convolve2d=0)  # convolve2d calls correlate2d
NOTHING = {name: 0 for name in FUNCTIONS}
OK = r"ok"

#: Student → (points per function, regular expression the status must match).
EXPECTED: dict[str, tuple[dict[str, int], str]] = {
    "a01-timeout-loop": (BROKEN_CORRELATE, r"timeout in correlate2d \(over \d+ s\)"),
    "a02-reference": (FULL_MARKS, OK),
    "a03-blank": (NOTHING, OK),
    "v01-monkeypatch": (BROKEN_BOTH, OK),
    "v02-input-transformer": (BROKEN_BOTH, OK),
    "v03-always-equal": (BROKEN_BOTH, OK),
    "v04-snoop-files": (BROKEN_CORRELATE, OK),
    "v04-snoop-git": (BROKEN_CORRELATE, OK),
    "v05-detached": (FULL_MARKS, OK),
    "v07-sys-exit": (BROKEN_CORRELATE, OK),
    "v07-os-exit": (BROKEN_CORRELATE, r"kernel died in correlate2d \(exit status 0\)"),
    "v08-memory-bytearray": (BROKEN_CORRELATE, OK),
    # A MemoryError, or the kernel killed for its memory: either way only correlate2d.
    "v08-memory-list": (BROKEN_CORRELATE, r"ok|kernel died in correlate2d \(.*\)"),
    "v10-output-flood": (FULL_MARKS, OK),
    # Wrong on purpose if it reaches the network: full marks prove it did not.
    "v11-network": (FULL_MARKS, OK),
    "v12-write-outside": (FULL_MARKS, OK),
    "v13-invalid-json": (NOTHING, r"invalid notebook \(.+\)"),
    "v14-renamed": (FULL_MARKS, r"renamed notebook \(my_work\.ipynb\)"),
    "v15-deleted-tests": (
        FULL_MARKS,
        "cells missing or stripped of metadata: "
        + ", ".join(graded_function("correlate2d").grade_id(kind) for kind in (VISIBLE, HIDDEN)),
    ),
    "v15-stripped-tests": (
        FULL_MARKS,
        "cells missing or stripped of metadata: "
        + ", ".join(
            graded_function(name).grade_id(kind)
            for name, kind in (("edge_kernel", VISIBLE), ("conv2d", HIDDEN))
        ),
    ),
    "v15-duplicated-tests": (
        FULL_MARKS,
        "cells duplicated: " + graded_function("conv2d").grade_id(VISIBLE),
    ),
    "v16-syntax-error": (_points(convolve2d=0), r"cell \d+ failed: SyntaxError: .*"),
    "v17-assertion-error": (BROKEN_BOTH, OK),
    "z98-reference-again": (FULL_MARKS, OK),
    # A fork bomb: only correlate2d (whatever else happens in its sandbox).
    "z99-fork-bomb": (BROKEN_CORRELATE, r"ok|(kernel died|timeout) in correlate2d( \(.*\))?"),
}
if not NAMESPACES:
    # Without namespaces the course directory, the repository and the network are
    # reachable: nothing is asserted about the points of these attacks.
    for _student in ("v04-snoop-files", "v04-snoop-git", "v11-network"):
        del EXPECTED[_student]


# -- the graded course -----------------------------------------------------------------
def _grade(root: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != SECRET_VARIABLE}  # the course's own
    return subprocess.run(
        [sys.executable, "-m", "course.cli", "grade", "ps1", "--root", str(root), "--workers", "2"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def _totals(root: Path) -> dict[str, dict[str, float]]:
    earned, _ = points_by_function(read_scores(root, ASSIGNMENT.name), ASSIGNMENT)
    return earned


def _verdict(root: Path, student: str) -> Verdict:
    return Verdict.from_json((root / "judged" / ASSIGNMENT.name / f"{student}.json").read_text())


def _feedback(root: Path, student: str) -> str:
    path = root / "feedback" / student / ASSIGNMENT.name / f"{ASSIGNMENT.name}.html"
    return html.unescape(re.sub(r"<[^>]+>", "", path.read_text()))


def _processes(pattern: str, *, full: bool = False) -> list[int]:
    """Processes whose name (or, if ``full``, command line) contains ``pattern``."""
    if not Path("/proc/self").exists():  # macOS
        options = ["-f"] if full else []
        found = subprocess.run(["pgrep", *options, pattern], capture_output=True, check=False)
        return [int(pid) for pid in found.stdout.split()]
    pids = []
    for folder in Path("/proc").iterdir():
        if not folder.name.isdigit() or int(folder.name) == os.getpid():
            continue
        with contextlib.suppress(OSError):
            text = (folder / ("cmdline" if full else "comm")).read_bytes()
            if pattern.encode() in text:
                pids.append(int(folder.name))
    return pids


class Graded:
    """The course after one `course grade` run, and what was seen around it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.secret_before = (root / SECRET_FILE).read_bytes()
        started = time.perf_counter()
        self.run = _grade(root)
        self.seconds = time.perf_counter() - started
        self.finished = time.monotonic()
        self.earned = _totals(root)
        self.verdicts = {s: _verdict(root, s) for s in EXPECTED}
        self.feedback = {s: _feedback(root, s) for s in EXPECTED}

    def after_late_wait(self) -> None:
        """Sleep until LATE_WAIT seconds after grading (detached processes act by then)."""
        time.sleep(max(0.0, self.finished + LATE_WAIT - time.monotonic()))


def _tmp_leftovers() -> list[Path]:
    return sorted(Path("/tmp").glob(f"{MARK}*"))


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> Graded:
    """One course, one submission per attack, graded once by `course grade`."""
    root = build_course(
        tmp_path_factory.mktemp("adversarial") / "course",
        ("ps1_filters",),
        call_seconds=CALL_SECONDS,
    )
    submit_answers(root, ASSIGNMENT, _student_answers(root))
    _handmade_notebooks(root)
    try:
        graded = Graded(root)
        assert graded.run.returncode == 0, graded.run.stdout + graded.run.stderr
        yield graded
    finally:
        for path in _tmp_leftovers():  # written by the sandbox's user: removed here
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        for pid in _processes(BOMB_COMM) + _processes(MARK, full=True):  # if a test failed
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


# -- per student: points, status, feedback ---------------------------------------------
@pytest.mark.parametrize("student", EXPECTED)
def test_each_function_earns_exactly_what_it_deserves(graded, student):
    deserved, _ = EXPECTED[student]
    earned = {name: graded.earned[student].get(name, 0.0) for name in FUNCTIONS}
    verdict = graded.verdicts[student]
    messages = {f.name: f.visible_message or f.hidden_message for f in verdict.functions}
    assert earned == {k: float(v) for k, v in deserved.items()}, (verdict.status, messages)
    assert sum(earned.values()) == sum(deserved.values())
    assert verdict.points == sum(deserved.values())  # the verdict and the gradebook agree


@pytest.mark.parametrize("student", EXPECTED)
def test_status_says_what_happened(graded, student):
    _, status = EXPECTED[student]
    assert re.fullmatch(status, graded.verdicts[student].status)


@pytest.mark.parametrize(
    "student", [s for s, (_, status) in EXPECTED.items() if not re.fullmatch(status, "ok")]
)
def test_status_is_shown_in_the_feedback(graded, student):
    status = graded.verdicts[student].status
    missing = [part for part in status.split("; ") if part not in graded.feedback[student]]
    assert not missing, f"{student}: status {status!r}; not in the feedback: {missing}"


def test_grading_took_reasonable_time(graded):
    # One timeout (the loop), the rest quick: no attack makes grading hang.
    assert graded.seconds < 240, graded.run.stdout


def test_the_course_per_call_limit_applies_to_course_grade(graded):
    # The course is built with call_seconds=3 (written to nbgrader_config.py for the
    # JudgeCells step); `course grade` judges the submissions itself and must use it.
    status = graded.verdicts["a01-timeout-loop"].status
    assert status == f"timeout in correlate2d (over {CALL_SECONDS} s)"


# -- vector by vector ------------------------------------------------------------------
def test_monkeypatched_numpy_changes_nothing_in_the_judge(graded):
    message = graded.verdicts["v01-monkeypatch"].functions[0].visible_message
    assert "wrong value" in message


def test_always_equal_objects_arrive_as_what_they_are(graded):
    correlate, convolve = graded.verdicts["v03-always-equal"].functions[:2]
    assert "must return a numpy.ndarray; got AlwaysEqual" in correlate.visible_message
    assert "must return a numpy.ndarray; got Liar" in convolve.visible_message


@pytest.mark.parametrize("student", ["v04-snoop-files", "v04-snoop-git"])
def test_snooping_reads_nothing(graded, student):
    if not NAMESPACES:  # rlimits: the files are readable; nothing to assert
        return
    function = graded.verdicts[student].functions[0]
    messages = function.visible_message + function.hidden_message
    assert "LEAKED" not in messages, messages
    assert function.points == 0, "the reference solution was read from the sandbox"


def test_course_files_are_untouched_by_student_code(graded):
    root = graded.root
    assert (root / SECRET_FILE).read_bytes() == graded.secret_before
    assert MARK.encode() not in (root / "gradebook.db").read_bytes()
    if NAMESPACES:  # rlimits: the course directory is writable by student code
        assert not (root / "pwned.txt").exists()


def test_detached_processes_die_with_the_sandbox(graded):
    graded.after_late_wait()
    assert _processes(MARK, full=True) == []
    if NAMESPACES:  # rlimits: a process in its own session outlives the sandbox
        assert not (graded.root / "late.txt").exists()
        assert not Path(f"/tmp/{MARK}-late.txt").exists()


def test_timeout_is_reported_and_the_sandbox_recovers(graded):
    verdict = graded.verdicts["a01-timeout-loop"]
    assert verdict.functions[0].status.startswith("timeout in correlate2d")
    assert [f.points for f in verdict.functions[1:]] == [FULL[n] for n in FUNCTIONS[1:]]


def test_exits_are_reported(graded):
    sys_exit = graded.verdicts["v07-sys-exit"].functions[0]
    assert "SystemExit" in sys_exit.visible_message
    os_exit = graded.verdicts["v07-os-exit"].functions[0]
    assert os_exit.status.startswith("kernel died in correlate2d")


def test_fork_bomb_leaves_no_survivors(graded):
    assert _processes(BOMB_COMM) == []


def test_fork_bomb_harms_no_other_student(graded):
    # RLIMIT_NPROC counts the processes of a user: sandboxes that share a uid share the
    # limit. A fork bomb must not stop another student's sandbox from starting.
    died = {
        s: v.status
        for s, v in graded.verdicts.items()
        if s not in ("z99-fork-bomb", "v07-os-exit") and "kernel died" in v.status
    }
    assert not died


def test_a_forking_function_costs_no_other_function(graded):
    # The children of a fork bomb share the runner's channel to the judge, and answer
    # calls too: the next calls must not get their replies (or anyone else's).
    verdict = graded.verdicts["z99-fork-bomb"]
    others = {f.name: (f.points, f.visible_message, f.hidden_message) for f in verdict.functions}
    del others["correlate2d"]
    assert all(points == FULL[name] for name, (points, _, _) in others.items()), others


def test_output_flood_costs_nothing(graded):
    assert graded.verdicts["v10-output-flood"].points == ASSIGNMENT.max_points


def test_no_network_in_the_sandbox(graded):
    if not NAMESPACES:  # rlimits: the network is not isolated; nothing to assert
        return
    # Full marks prove the connection failed (a connection returns a wrong answer).
    assert graded.verdicts["v11-network"].functions[0].points == FULL["correlate2d"]


def test_writes_outside_the_working_directory(graded):
    if NAMESPACES:  # the course directory is hidden under an empty, locked tmpfs
        assert not (graded.root / "pwned.txt").exists()
    written = Path(f"/tmp/{MARK}-pwned.txt")  # /tmp is world-writable: allowed
    if written.exists():
        assert graded.root not in written.resolve().parents
        if LEVEL == "namespaces+nobody":
            assert written.stat().st_uid != 0  # written by an unprivileged user, never root


def test_no_student_code_runs_in_another_students_sandbox(graded):
    # While it loops, a01-timeout-loop looks for the other sandboxes of this grading run
    # (through /proc) and writes a module IPython into their working directory, which is
    # first on their runner's sys.path; the module would leave a marker file in /tmp.
    # Sandboxes that share a uid can do this to each other: only "namespaces+nobody" gives
    # the sandboxes of parallel workers uids of their own ("namespaces" and "rlimits" run
    # them all as the instructor), so this is asserted there only.
    if LEVEL != "namespaces+nobody":
        return
    hijacked = sorted(p.name for p in Path("/tmp").glob(f"{MARK}-hijacked-*"))
    assert not hijacked, f"{len(hijacked)} sandboxes ran another student's code"


def test_syntax_error_is_explained(graded):
    verdict = graded.verdicts["v16-syntax-error"]
    assert "is not defined" in verdict.functions[1].visible_message
    assert "SyntaxError" in verdict.status  # the submission's status line says why


def test_originals_of_repaired_notebooks_are_kept(graded):
    originals = graded.root / "judged" / ASSIGNMENT.name / "originals"
    assert (originals / "v13-invalid-json.ipynb").read_text().startswith('{"cells": [ this')
    assert (originals / "v14-renamed.ipynb").exists()


# -- grading again ---------------------------------------------------------------------
def _sums(earned: dict[str, dict[str, float]]) -> dict[str, float]:
    return {student: sum(points.values()) for student, points in earned.items()}


@contextlib.contextmanager
def _cpu_load(processes: int = 2):
    """Busy processes, one per core, while the block runs: a loaded machine."""
    spinners = [
        subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(processes)
    ]
    try:
        yield
    finally:
        for spinner in spinners:
            spinner.kill()
            spinner.wait()


@pytest.fixture(scope="module")
def regraded(graded) -> Graded:
    """The same course, graded a second time with nothing changed, on a loaded machine: a
    verdict (a timeout included) is reused for the same code, never re-rolled."""
    with _cpu_load():
        again = Graded(graded.root)
    assert again.run.returncode == 0, again.run.stdout + again.run.stderr
    return again


def test_regrading_changes_nothing(graded, regraded):
    assert _sums(regraded.earned) == _sums(graded.earned)
    assert regraded.earned == graded.earned


def test_regrading_keeps_each_submissions_status(graded, regraded):
    # A repaired notebook (renamed, invalid, cells deleted) is still reported as such on a
    # regrade, not as a clean "ok" submission.
    first = {s: v.status for s, v in graded.verdicts.items()}
    again = {s: v.status for s, v in regraded.verdicts.items()}
    assert again == first


def test_a_changed_notebook_changes_that_grade_only(regraded):
    root = regraded.root
    submit_answers(root, ASSIGNMENT, {"a03-blank": REFERENCE})  # the blank one, now right
    run = _grade(root)
    assert run.returncode == 0, run.stdout + run.stderr
    assert _sums(_totals(root)) == {**_sums(regraded.earned), "a03-blank": ASSIGNMENT.max_points}
    assert _verdict(root, "a03-blank").points == ASSIGNMENT.max_points
    feedback = _feedback(root, "a03-blank")
    assert "NotImplementedError" not in feedback
    assert all(f"{name}: hidden tests passed" in feedback for name in FUNCTIONS)
