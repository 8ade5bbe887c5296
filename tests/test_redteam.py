"""Red team: submissions that attack the grader's own process, graded by ``course grade``.

:mod:`tests.test_adversarial` attacks the sandbox; these attack what the judge does with
what comes *out* of it — forged and oversized replies on the runner's channel, Keras
objects whose configs make Keras touch files or compute in other dtypes, models that
change between the check and the training, instructor modules and forbidden libraries,
and notebook metadata of every wrong type. One course (ps1 and ps3) is built; every
attack is one student beside honest ones; each assignment is graded in ONE real
``python -m course.cli grade`` run, as an instructor would.

Asserted: ``course grade`` exits 0 within a stated bound; every honest student gets
exactly their points and their feedback; no attacker earns more than the honest part of
their code deserves (exact points); the grading secret and the content of an instructor
file appear in no feedback, report, log or gradebook; no sandbox or worker is left.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import nbformat
import pytest
from test_adversarial import OWN_CONVOLVE2D, REAL_CORRELATE2D, _processes

from autograder.assignments import ASSIGNMENTS
from autograder.course_dir import SECRET_FILE, build_course, read_scores, release_notebook
from autograder.isolation import isolation_level
from autograder.judge import Verdict
from autograder.mutation import points_by_function, reference_answers
from autograder.notebooks import submission_from_release
from autograder.secret import SECRET_VARIABLE

REPO = Path(__file__).resolve().parents[1]
PS1, PS3 = ASSIGNMENTS["ps1_filters"], ASSIGNMENTS["ps3_keras"]
NAMESPACES = isolation_level() != "rlimits"
#: Content of an instructor's file beside the course, which attackers try to read.
NOTES = f"instructor notes {secrets.token_hex(8)}"
#: Bounds on one `course grade` run of this class (2 workers, 2 cores; measured: ps1 about
#: 60 s, ps3 about 90 s).
PS1_SECONDS, PS3_SECONDS = 400, 600

# -- attacks on the runner's channel (ps1: correlate2d forges, convolve2d is honest) -----
FORGE = '''
import json
import os
import struct
import sys

import numpy as np


def _channel():
    """The runner's descriptor to the judge and the current call's id, from its frames."""
    frame = sys._getframe()
    while frame is not None:
        if "write_fd" in frame.f_locals:
            return frame.f_locals["write_fd"], frame.f_locals["header"].get("id")
        frame = frame.f_back
    raise RuntimeError("no channel")


def _npy(array):
    import io
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def _npy_header(shape, descr="<f8"):
    import io
    buffer = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        buffer, {"descr": descr, "fortran_order": False, "shape": shape}
    )
    return buffer.getvalue()


def _send(fd, parts):
    data = struct.pack("<Q", len(parts)) + b"".join(struct.pack("<Q", len(p)) + p for p in parts)
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _forge(header, blobs=(), call=True):
    fd, call_id = _channel()
    if call:
        header = {"id": call_id, "changed": {}, "refused_imports": [], **header}
    _send(fd, [json.dumps(header).encode(), *blobs])


def _deep(levels):
    fd, call_id = _channel()
    prefix = b'{"id": %d, "changed": {}, "refused_imports": [], "result": ' % call_id
    _send(fd, [prefix + b"[" * levels + b"]" * levels + b"}"])
'''

#: Forged replies: name → the lines correlate2d runs before returning the right answer.
FORGED_REPLIES = {
    "one-blob-many-times": '_forge({"result": {"list": [{"npy": 0}] * 100_000}}, [_npy(np.zeros(5_000_000))])',
    "npy-header-lies": '_forge({"result": {"npy": 0}}, [_npy_header((1000,)) + bytes(8)])',
    "huge-claimed-shape": '_forge({"result": {"npy": 0}}, [_npy_header((10**6, 10**6)) + bytes(64)])',
    "object-array": '_forge({"result": {"npy": 0}}, [_npy_header((1,), "|O") + bytes(8)])',
    "deep-nesting": "_deep(100_000)",
    "nested-descriptions": 'd = 1\nfor _ in range(300):\n    d = {"list": [d]}\n_forge({"result": d})',
    "bad-scalar": '_forge({"result": {"scalar": [1], "dtype": "O"}})',
    "changed-other-argument": '_forge({"result": 1, "changed": {"999": 1}})',
    "unknown-fields": '_forge({"result": 1, "admin": True})',
    "error-wrong-types": '_forge({"error": {"type": 5, "builtin": "yes", "message": None, "where": []}})',
    "huge-header": '_forge({"result": "x" * 20_000_000})',
}
#: Half a message, then silence: the judge must not wait past the call's limit.
PARTIAL_MESSAGE = "import time\nos.write(_channel()[0], bytes([1]))\ntime.sleep(10**6)"


def _forging_correlate2d(lines: str) -> str:
    body = textwrap.indent(lines, "    ")
    return (
        FORGE
        + REAL_CORRELATE2D
        + '\n\ndef correlate2d(image, kernel, stride=1, padding="valid"):\n'
        + body
        + "\n    return _real_correlate2d(image, kernel, stride=stride, padding=padding)\n"
    )


#: Forged messages while the cells run: the whole submission fails to load (0 points).
FORGED_SETUP = {
    "ready-without-errors": '_forge({"ready": True}, call=False)',
    "running-flood": 'for _ in range(100_000):\n    _forge({"running": 0}, call=False)',
    "ready-wrong-types": '_forge({"ready": True, "cell_errors": {"x": 1}, "refused_imports": 5}, call=False)',
}

# -- instructor modules and forbidden libraries (ps1) -----------------------------------
ORACLE = """
from autograder import oracles


def correlate2d(image, kernel, stride=1, padding="valid"):
    return oracles.scipy_correlate2d_padded(image, kernel, stride, padding)
"""
ORACLE_DYNAMIC = """
import importlib


def correlate2d(image, kernel, stride=1, padding="valid"):
    oracles = importlib.import_module("auto" + "grader.oracles")
    return oracles.scipy_correlate2d_padded(image, kernel, stride, padding)
"""
SOLUTIONS = "from solutions.filters import correlate2d\n"
SCIPY = """
import scipy.signal


def correlate2d(image, kernel, stride=1, padding="valid"):
    return scipy.signal.correlate2d(image, kernel, mode="valid")
"""
SCIPY_DYNAMIC = """
def correlate2d(image, kernel, stride=1, padding="valid"):
    signal = __import__("sci" + "py.signal", fromlist=["correlate2d"])
    return signal.correlate2d(image, kernel, mode="valid")
"""
SCIPY_GUARD_REMOVED = """
import sys


def correlate2d(image, kernel, stride=1, padding="valid"):
    sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != "ImportGuard"]
    signal = __import__("sci" + "py.signal", fromlist=["correlate2d"])
    return signal.correlate2d(image, kernel, mode="valid")
"""

# -- results that only the sandbox can judge (ps1) --------------------------------------
SCIPY_PKGUTIL = """
import pkgutil


def correlate2d(image, kernel, stride=1, padding="valid"):
    function = pkgutil.resolve_name("sci" + "py.signal:correlate2d")
    return function(image, kernel, mode="valid")
"""
#: A cell whose failure carries a lone surrogate, which no file can hold.
SURROGATE = 'raise SyntaxError("\\ud800")'

SHARED_KERNELS = """
import numpy as np

_SOBEL = {
    "left": np.array([[-1.0, 0, 1], [-2, 0, 2], [-1, 0, 1]]),
    "right": np.array([[1.0, 0, -1], [2, 0, -2], [1, 0, -1]]),
    "top": np.array([[-1.0, -2, -1], [0, 0, 0], [1, 2, 1]]),
    "bottom": np.array([[1.0, 2, 1], [0, 0, 0], [-1, -2, -1]]),
}
for _kernel in _SOBEL.values():
    _kernel.flags.writeable = __WRITEABLE__


def edge_kernel(direction):
    if direction not in _SOBEL:
        raise ValueError(f"direction must be one of {sorted(_SOBEL)}; got {direction!r}")
    return _SOBEL[direction]
"""

# -- Keras objects (ps3) ----------------------------------------------------------------
LOOKUP_LAYER = """
def edge_conv_layer(kernels):
    layer = keras.layers.IntegerLookup(vocabulary=[1])
    config = {**layer.get_config(), "vocabulary": __PATH__}
    layer.get_config = lambda: config
    return layer
"""
LOOKUP_IN_MODEL = """
def build_pool_only_model(pool_size=2, input_shape=(28, 28, 1), num_classes=10):
    inputs = keras.Input(shape=input_shape)
    x = keras.layers.MaxPooling2D(pool_size)(inputs)
    x = keras.layers.Flatten()(x)
    model = keras.Model(inputs, keras.layers.Dense(num_classes, activation="softmax")(x))
    config = model.get_config()
    lookup = keras.layers.StringLookup(vocabulary=["a"])
    entry = keras.saving.serialize_keras_object(lookup)
    entry["config"]["vocabulary"] = __PATH__
    entry["name"], entry["inbound_nodes"] = "lookup", []
    config["layers"].insert(1, entry)
    model.get_config = lambda: config
    return model
"""
LAMBDA_MODEL = """
def build_pool_only_model(pool_size=2, input_shape=(28, 28, 1), num_classes=10):
    inputs = keras.Input(shape=input_shape)
    x = keras.layers.Lambda(lambda t: t * 1.0)(inputs)
    x = keras.layers.Flatten()(keras.layers.MaxPooling2D(pool_size)(x))
    return keras.Model(inputs, keras.layers.Dense(num_classes, activation="softmax")(x))
"""
CONV_POOL = """
def _conv_pool(input_shape, num_classes, filters=(32, 64), dtype="float32", extra=()):
    inputs = keras.Input(shape=input_shape)
    x = inputs
    for layer in extra:
        x = layer(x)
    for count in filters:
        x = keras.layers.Conv2D(count, 3, activation="relu", dtype=dtype)(x)
        x = keras.layers.MaxPooling2D(2, dtype=dtype)(x)
    x = keras.layers.Dropout(0.5)(keras.layers.Flatten()(x))
    return keras.Model(inputs, keras.layers.Dense(num_classes, activation="softmax")(x))
"""
MIXED_FLOAT16 = (
    CONV_POOL
    + """
def build_conv_pool_model(input_shape=(28, 28, 1), num_classes=10):
    return _conv_pool(input_shape, num_classes, dtype="mixed_float16")
"""
)
HEAVY = (
    CONV_POOL
    + """
def build_conv_pool_model(input_shape=(28, 28, 1), num_classes=10):
    return _conv_pool(input_shape, num_classes, filters=(1024, 1024))
"""
)
#: Honest on the first two calls (the visible check, the hidden check's first model),
#: then an up-sampling model: the model that is trained is the one that was checked.
CHANGES_BETWEEN_CALLS = (
    CONV_POOL
    + """
_calls = []


def build_conv_pool_model(input_shape=(28, 28, 1), num_classes=10):
    _calls.append(1)
    if len(_calls) <= 2:
        return _conv_pool(input_shape, num_classes)
    return _conv_pool(input_shape, num_classes, extra=[keras.layers.UpSampling2D(8)])
"""
)


def _fill(source: str, **values: object) -> str:
    for key, value in values.items():
        source = source.replace(f"__{key}__", repr(value))
    return source


def _points(assignment, **given: int) -> dict[str, int]:
    """Full marks, but for the functions named (given the points they deserve)."""
    return {name: given.get(name, 3) for name in assignment.functions}


def _ps1_answers(root: Path) -> dict[str, tuple[dict[str, str], dict[str, int], str]]:
    """Student → (answers, points deserved, regular expression of the status)."""
    ref = reference_answers(PS1)
    own = {**ref, "convolve2d": OWN_CONVOLVE2D}
    broken = _points(PS1, correlate2d=0)
    students = {
        "h1-honest": (ref, _points(PS1), "ok"),
        "h2-honest-again": (ref, _points(PS1), "ok"),
    }
    for name, lines in FORGED_REPLIES.items():
        answers = {**own, "correlate2d": _forging_correlate2d(lines)}
        students[f"f-{name}"] = (answers, broken, r"invalid reply in correlate2d \(.+\)")
    students["f-partial-message"] = (
        {**own, "correlate2d": _forging_correlate2d(PARTIAL_MESSAGE)},
        broken,
        r"timeout in correlate2d \(over 10 s\)",
    )
    # A forged exception of a built-in type that takes other arguments: a plain failure.
    students["f-exception-needing-arguments"] = (
        {**own, "correlate2d": _forging_correlate2d(
            '_forge({"error": {"type": "UnicodeDecodeError", "builtin": True, "message": "x",'
            ' "where": ""}})')},
        broken,
        r"invalid reply in correlate2d \(a reply to another call\)",  # the real reply, late
    )  # fmt: skip
    for name, lines in FORGED_SETUP.items():
        answers = {**ref, "correlate2d": FORGE + "\n" + lines + "\n" + ref["correlate2d"]}
        students[f"s-{name}"] = (answers, _points(PS1, **dict.fromkeys(PS1.functions, 0)),
                                 r"invalid reply in (setup|cell \d+) \(.+\)")  # fmt: skip
    uses = (
        r"imports refused: {0}; correlate2d uses {1}, which ps1_filters does not allow .*"
        r"convolve2d uses {1}.*"
    )
    students |= {
        "i-oracle": ({**ref, "correlate2d": ORACLE}, _points(PS1, correlate2d=0, convolve2d=0),
                     uses.format("autograder", "autograder")),
        "i-oracle-dynamic": ({**own, "correlate2d": ORACLE_DYNAMIC}, broken,
                             r"correlate2d uses autograder(\.oracles)?, which .*"),
        "i-solutions": ({**ref, "correlate2d": SOLUTIONS}, _points(PS1, correlate2d=0, convolve2d=0),
                        uses.format("solutions", r"solutions\.filters")),
        "l-scipy": ({**ref, "correlate2d": SCIPY}, _points(PS1, correlate2d=0, convolve2d=0),
                    uses.format("scipy", r"scipy\.signal")),
        "l-scipy-dynamic": ({**own, "correlate2d": SCIPY_DYNAMIC}, broken,
                            r"correlate2d uses scipy(\.signal)?, which ps1_filters does not allow .*"),
        # Without its guard the import reaches the file system, where SciPy is hidden.
        "l-scipy-guard-removed": ({**own, "correlate2d": SCIPY_GUARD_REMOVED}, broken, r".*"),
        "l-scipy-pkgutil": ({**own, "correlate2d": SCIPY_PKGUTIL}, broken,
                            r"correlate2d uses scipy(\.signal)?, which ps1_filters does not allow .*"),
        "e-surrogate-in-error": ({**ref, "edge_kernel": ref["edge_kernel"] + "\n\n" + SURROGATE},
                                 _points(PS1), r"cell \d+ failed: SyntaxError: \?"),
        "o-shared-read-only": ({**ref, "edge_kernel": _fill(SHARED_KERNELS, WRITEABLE=False)},
                               _points(PS1, edge_kernel=0), "ok"),
        "o-shared-writeable": ({**ref, "edge_kernel": _fill(SHARED_KERNELS, WRITEABLE=True)},
                               _points(PS1, edge_kernel=0), "ok"),
    }  # fmt: skip
    if not NAMESPACES:  # without namespaces nothing hides SciPy from the guard-less import
        del students["l-scipy-guard-removed"]
    return students


def _metadata_notebooks(root: Path) -> dict[str, tuple[dict[str, int], str]]:
    """Hand-made notebooks with hostile metadata: student → (points, status pattern)."""
    release = release_notebook(root, PS1)
    expected = {}

    def write(student: str, notebook, points: dict[str, int], status: str) -> None:
        folder = root / "submitted" / student / PS1.name
        folder.mkdir(parents=True, exist_ok=True)
        (folder / PS1.notebook).write_text(json.dumps(notebook))
        expected[student] = (points, status)

    def honest():
        return json.loads(nbformat.writes(submission_from_release(release, reference_answers(PS1))))

    full = _points(PS1)
    invalid = r"cells with invalid metadata: \d+ \(read as plain cells\)"
    for name, metadata in {
        "m-nbgrader-string": {"nbgrader": "oops"},
        "m-nbgrader-list": {"nbgrader": [1, 2]},
        "m-grade-id-list": {"nbgrader": {"grade_id": ["unhashable"], "solution": True}},
        "m-grade-id-number": {"nbgrader": {"grade_id": 5, "grade": True, "points": 7}},
        "m-points-string": {"nbgrader": {"grade_id": "x", "grade": True, "points": "lots"}},
        "m-metadata-string": "not a dict",
    }.items():
        notebook = honest()
        notebook["cells"].append({"cell_type": "code", "id": "extra", "metadata": metadata,
                                  "source": "x = 1", "outputs": [], "execution_count": None})  # fmt: skip
        damaged = r"damaged notebook, read cell by cell \(.+\)"
        write(name, notebook, full, damaged if name == "m-metadata-string" else invalid)
    notebook = honest()
    notebook["cells"].append({"cell_type": "code", "id": "bonus", "source": "pass", "outputs": [],
        "execution_count": None, "metadata": {"nbgrader": {"grade_id": "hidden_bonus",
        "grade": True, "locked": True, "solution": False, "points": 100, "schema_version": 3}}})  # fmt: skip
    write(
        "m-extra-graded-cell",
        notebook,
        full,
        r"cells with grade ids never released \(dropped\): hidden_bonus",
    )
    notebook = honest()
    notebook["cells"] += [{"cell_type": "code", "id": f"c{i}", "metadata": {}, "source": "",
                           "outputs": [], "execution_count": None} for i in range(100_000)]  # fmt: skip
    write(
        "m-100000-cells",
        notebook,
        full,
        r"100,\d+ cells \(at most 2,000\): graded from its answer cells only",
    )
    notebook = honest()
    notebook["metadata"], notebook["cells"][0]["metadata"] = 5, {"tags": 5}
    write(
        "m-metadata-number-and-tags", notebook, full, r"damaged notebook, read cell by cell \(.+\)"
    )
    notebook = honest()
    for cell in notebook[
        "cells"
    ]:  # the answer cell made markdown: nbgrader would make it code again
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == "correlate2d":
            cell["cell_type"] = "markdown"
            del cell["outputs"], cell["execution_count"]
    write("m-answer-cell-made-markdown", notebook, _points(PS1, correlate2d=0, convolve2d=0),
          r"cells of another type than released: correlate2d")  # fmt: skip
    notebook = honest()
    notebook["metadata"] = ["not", "a", "dict"]
    write("m-notebook-metadata-list", notebook, full, r"damaged notebook, read cell by cell \(.+\)")
    return expected


def _ps3_answers(root: Path) -> dict[str, tuple[dict[str, str], dict[str, int], str]]:
    ref = reference_answers(PS3)
    secret_path, notes_path = str(root / SECRET_FILE), str(root.parent / "notes.txt")
    refused = r"refused what {} returned: .+"
    return {
        "h1-honest": (ref, _points(PS3), "ok"),
        "k-lookup-secret": ({**ref, "edge_conv_layer": _fill(LOOKUP_LAYER, PATH=secret_path)},
                            _points(PS3, edge_conv_layer=0), refused.format("edge_conv_layer")),
        "k-lookup-notes": ({**ref, "edge_conv_layer": _fill(LOOKUP_LAYER, PATH=notes_path)},
                           _points(PS3, edge_conv_layer=0), refused.format("edge_conv_layer")),
        "k-lookup-in-model": ({**ref, "build_pool_only_model": _fill(LOOKUP_IN_MODEL, PATH=secret_path)},
                              _points(PS3, build_pool_only_model=0), refused.format("build_pool_only_model")),
        "k-lambda": ({**ref, "build_pool_only_model": LAMBDA_MODEL},
                     _points(PS3, build_pool_only_model=0), r".*"),
        "k-mixed-float16": ({**ref, "build_conv_pool_model": MIXED_FLOAT16},
                            _points(PS3, build_conv_pool_model=0), refused.format("build_conv_pool_model")),
        "k-heavy": ({**ref, "build_conv_pool_model": HEAVY},
                    _points(PS3, build_conv_pool_model=0), refused.format("build_conv_pool_model")),
        "k-changes-between-calls": ({**ref, "build_conv_pool_model": CHANGES_BETWEEN_CALLS},
                                    _points(PS3, build_conv_pool_model=1), refused.format("build_conv_pool_model")),
    }  # fmt: skip


class Graded:
    """One assignment of the class after one `course grade` run."""

    def __init__(self, root: Path, assignment, expected: dict) -> None:
        self.root, self.assignment, self.expected = root, assignment, expected
        env = {k: v for k, v in os.environ.items() if k != SECRET_VARIABLE}
        started = time.perf_counter()
        self.run = subprocess.run(
            [sys.executable, "-m", "course.cli", "grade", assignment.name, "--root", str(root),
             "--workers", "2"],
            cwd=REPO, env=env, capture_output=True, text=True, timeout=1200, check=False,
        )  # fmt: skip
        self.seconds = time.perf_counter() - started
        self.report = subprocess.run(
            [sys.executable, "-m", "course.cli", "report", assignment.name, "--root", str(root)],
            cwd=REPO, env=env, capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        scores = read_scores(root, assignment.name)
        self.earned, _ = points_by_function(scores, assignment)
        self.max_scores = {}
        for score in scores:
            self.max_scores[score.student] = self.max_scores.get(score.student, 0) + score.max_score
        folder = root / "judged" / assignment.name
        self.verdicts = {s: Verdict.from_json((folder / f"{s}.json").read_text()) for s in expected}

    def feedback(self, student: str) -> str:
        name = self.assignment.name
        return (self.root / "feedback" / student / name / f"{name}.html").read_text()


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    root = build_course(tmp_path_factory.mktemp("redteam") / "course", ("ps1_filters", "ps3_keras"))
    (root.parent / "notes.txt").write_text(NOTES)
    return root


def _submit(root: Path, assignment, answers: dict[str, dict[str, str]]) -> None:
    release = release_notebook(root, assignment)
    for student, given in answers.items():
        folder = root / "submitted" / student / assignment.name
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(submission_from_release(release, given), folder / assignment.notebook)


@pytest.fixture(scope="module")
def ps1(course) -> Graded:
    students = _ps1_answers(course)
    _submit(course, PS1, {s: answers for s, (answers, _, _) in students.items()})
    expected = {s: (points, status) for s, (_, points, status) in students.items()}
    expected |= _metadata_notebooks(course)
    graded = Graded(course, PS1, expected)
    assert graded.run.returncode == 0, graded.run.stdout[-3000:] + graded.run.stderr[-3000:]
    return graded


@pytest.fixture(scope="module")
def ps3(course) -> Graded:
    students = _ps3_answers(course)
    _submit(course, PS3, {s: answers for s, (answers, _, _) in students.items()})
    expected = {s: (points, status) for s, (_, points, status) in students.items()}
    graded = Graded(course, PS3, expected)
    assert graded.run.returncode == 0, graded.run.stdout[-3000:] + graded.run.stderr[-3000:]
    return graded


@pytest.fixture(params=["ps1", "ps3"])
def graded(request) -> Graded:
    return request.getfixturevalue(request.param)


def test_grading_finishes_in_bounded_time(graded):
    bound = PS1_SECONDS if graded.assignment is PS1 else PS3_SECONDS
    assert graded.seconds < bound, graded.run.stderr[-2000:]
    assert graded.report.returncode == 0, graded.report.stderr[-2000:]


def test_every_student_earns_exactly_what_their_code_deserves(graded):
    wrong = {}
    for student, (deserved, _) in graded.expected.items():
        earned = {name: graded.earned.get(student, {}).get(name, 0.0) for name in deserved}
        verdict = graded.verdicts[student]
        if earned != {k: float(v) for k, v in deserved.items()} or verdict.points != sum(
            deserved.values()
        ):
            wrong[student] = (earned, verdict.status)
    assert not wrong


def test_statuses_say_what_happened(graded):
    wrong = {
        student: graded.verdicts[student].status
        for student, (_, status) in graded.expected.items()
        if not re.fullmatch(status, graded.verdicts[student].status)
    }
    assert not wrong


def test_honest_students_get_their_feedback(graded):
    for student in (s for s in graded.expected if s.startswith("h")):
        feedback = graded.feedback(student)
        assert all(
            f"{name}: hidden tests passed" in feedback for name in graded.assignment.functions
        )


def test_no_grade_id_that_was_never_released_counts(ps1):
    # The extra "hidden_bonus" cell (100 points) was dropped before nbgrader saw it.
    assert set(ps1.max_scores.values()) == {PS1.max_points}


def _everything_written(root: Path) -> dict[Path, bytes]:
    skip = {root / SECRET_FILE}
    return {
        path: path.read_bytes()
        for path in root.rglob("*")
        if path.is_file() and path not in skip and "submitted" not in path.parts
        and "originals" not in path.parts and "source" not in path.parts
    }  # fmt: skip


def test_no_secret_and_no_instructor_file_in_any_output(ps1, ps3):
    secret = (ps1.root / SECRET_FILE).read_text().strip().encode()
    leaks = [
        str(path)
        for path, content in _everything_written(ps1.root).items()
        if secret in content or NOTES.encode() in content
    ]
    for run in (ps1.run, ps3.run, ps1.report, ps3.report):
        if secret.decode() in run.stdout + run.stderr or NOTES in run.stdout + run.stderr:
            leaks.append(" ".join(run.args[2:4]))
    assert not leaks


def _descendants_of(pid: int) -> set[int]:
    children: dict[int, set[int]] = {}
    for folder in Path("/proc").glob("[0-9]*"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            stat = (folder / "stat").read_text()
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, set()).add(int(folder.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="reads /proc")
def test_no_sandbox_or_worker_is_left(ps1, ps3):
    time.sleep(2)
    ours = _descendants_of(os.getpid())  # this test process's own sandboxes, if any
    left = [pid for pid in _processes("convpool_runner", full=True) if pid not in ours]
    for pid in left:  # so that a failure does not leave them running
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    assert not left
