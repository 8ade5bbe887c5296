"""Do the assignments' tests pass the reference, catch every mutant, and stay honest?

In process, without nbgrader or notebooks: the visible checks (:mod:`course.visible_tests`) and
hidden checks (:mod:`autograder.hidden_tests`) of ps1_filters and ps2_pooling run on the
reference functions of :mod:`solutions` and on each wrong implementation of the
mutation catalogue (:mod:`autograder.mutants`), the latter executed from source in the
namespace a notebook gives it. The hidden checks' oracles are proven against
TensorFlow and Keras here, so that grading itself never needs them.
"""

from __future__ import annotations

import ast
import builtins
import functools
import importlib
import inspect
import re
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from types import ModuleType

import numpy as np
import pytest

from autograder import oracles
from autograder.assignments import ASSIGNMENTS as REGISTRY
from autograder.assignments import GRADED_FUNCTIONS, graded_function
from autograder.mutation import catalogue
from autograder.secret import SECRET_VARIABLE, MissingSecretError

#: The numpy assignments (ps3's tests are in test_visible_and_hidden_tests_keras.py).
ASSIGNMENTS = [name for name, assignment in REGISTRY.items() if not assignment.uses_keras]
FUNCTIONS = [(f.assignment, f.name) for f in GRADED_FUNCTIONS if f.assignment in ASSIGNMENTS]
#: The fewest mutants each graded function must have.
MIN_MUTANTS = 8
#: The most a hidden check may take on the reference, in seconds.
HIDDEN_CHECK_BUDGET = 0.5


def visible_check(assignment: str, name: str) -> Callable[[Callable[..., object]], None]:
    return graded_function(name).visible_test()


def hidden_check(assignment: str, name: str) -> Callable[[Callable[..., object]], None]:
    return graded_function(name).hidden_test()


def run_checks(assignment: str, name: str, student: Callable[..., object]) -> None:
    """The visible check, then the hidden one, as the notebook's two test cells run."""
    visible_check(assignment, name)(student)
    hidden_check(assignment, name)(student)


def solution_module(assignment: str) -> ModuleType:
    return importlib.import_module(REGISTRY[assignment].solution_module)


def mutants_of(assignment: str, name: str) -> list[Callable[..., object]]:
    return catalogue(REGISTRY[assignment])[name]


MUTANTS = [
    pytest.param(assignment, name, mutant, id=mutant.__name__)
    for assignment, name in FUNCTIONS
    for mutant in mutants_of(assignment, name)
]


def as_student(assignment: str, name: str, mutant: Callable[..., object]) -> Callable[..., object]:
    """The mutant as a notebook defines it: its source, renamed to ``name``, executed among
    the solution module's imports and the reference versions of the other graded functions."""
    source = textwrap.dedent(inspect.getsource(mutant))
    source = re.sub(rf"^def {re.escape(mutant.__name__)}\(", f"def {name}(", source, count=1)
    namespace = dict(vars(solution_module(assignment)))
    exec(source, namespace)
    return namespace[name]


def free_names(function: ast.FunctionDef) -> set[str]:
    """Names ``function`` reads that it does not bind itself (nor are builtins)."""
    loaded, bound = set(), {a.arg for a in ast.walk(function) if isinstance(a, ast.arg)}
    for node in ast.walk(function):
        if isinstance(node, ast.Name):
            (loaded if isinstance(node.ctx, ast.Load) else bound).add(node.id)
    return loaded - bound - set(dir(builtins))


def imported_names(module: ModuleType) -> set[str]:
    """Names bound by the module's top-level imports (``__future__`` left out)."""
    names = set()
    for node in ast.parse(inspect.getsource(module)).body:
        if isinstance(node, ast.Import):
            names |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module != "__future__":
            names |= {alias.asname or alias.name for alias in node.names}
    return names


def function_node(function: Callable[..., object]) -> ast.FunctionDef:
    return ast.parse(textwrap.dedent(inspect.getsource(function))).body[0]


@pytest.fixture
def secret(monkeypatch):
    monkeypatch.setenv(SECRET_VARIABLE, "the tests' grading secret")


@pytest.mark.usefixtures("secret")
@pytest.mark.parametrize(("assignment", "name"), FUNCTIONS)
def test_reference_passes_visible_and_hidden_checks(assignment, name, capsys):
    """Does each reference function pass its own visible and hidden checks, quickly?"""
    reference = getattr(solution_module(assignment), name)
    visible_check(assignment, name)(reference)
    assert capsys.readouterr().out == f"{name}: visible tests passed\n"
    start = time.perf_counter()
    hidden_check(assignment, name)(reference)
    assert time.perf_counter() - start < HIDDEN_CHECK_BUDGET


@pytest.mark.parametrize(("assignment", "name"), FUNCTIONS)
def test_every_function_has_enough_mutants(assignment, name):
    """At least eight plausible wrong implementations per graded function."""
    assert len(mutants_of(assignment, name)) >= MIN_MUTANTS


@pytest.mark.usefixtures("secret")
@pytest.mark.parametrize(("assignment", "name", "mutant"), MUTANTS)
def test_mutant_fails_the_checks(assignment, name, mutant):
    """Does the visible or the hidden check fail, with an AssertionError, on this mistake?"""
    student = as_student(assignment, name, mutant)
    with pytest.raises(AssertionError):
        run_checks(assignment, name, student)


@pytest.mark.parametrize(("assignment", "name", "mutant"), MUTANTS)
def test_mutant_is_a_self_contained_cell(assignment, name, mutant):
    """Same signature as the reference, a one-line docstring, and only names a notebook
    has: the setup cell's imports and the graded functions."""
    reference = getattr(solution_module(assignment), name)
    assert str(inspect.signature(mutant)) == str(inspect.signature(reference))
    assert mutant.__doc__
    assert "\n" not in mutant.__doc__.strip()
    allowed = imported_names(solution_module(assignment)) | set(REGISTRY[assignment].functions)
    assert free_names(function_node(mutant)) <= allowed


@pytest.mark.parametrize(("assignment", "name"), FUNCTIONS)
def test_visible_check_body_stands_alone(assignment, name):
    """The notebook cell holds the module's imports and the check's body: does the body
    read only those imports and its parameter, never assert, and end with the message?"""
    module = importlib.import_module(f"course.visible_tests.{assignment}")
    node = function_node(visible_check(assignment, name))
    assert [a.arg for a in node.args.args] == [name]
    assert free_names(node) <= imported_names(module) | {name}
    assert not any(isinstance(n, ast.Assert) for n in ast.walk(node))
    assert ast.unparse(node.body[-1]) == f"print('{name}: visible tests passed')"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_visible_checks_import_numpy_and_the_assertions_only(assignment):
    """Students' kernels stay numpy-only: no TensorFlow, Keras or SciPy in the visible tests."""
    module = importlib.import_module(f"course.visible_tests.{assignment}")
    assert imported_names(module) == {"np", "expect_array", "expect_error", "expect_true"}


def test_checks_load_neither_tensorflow_nor_keras():
    """Grading stays fast: importing every ps1/ps2 check leaves TensorFlow unloaded."""
    modules = [
        f"{p}.{a}" for a in ASSIGNMENTS for p in ("course.visible_tests", "autograder.hidden_tests")
    ]
    code = (
        f"import sys\nfor m in {modules!r}: __import__(m)\n"
        "print(sorted(m for m in ('tensorflow', 'keras') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize(("assignment", "name"), FUNCTIONS)
def test_hidden_check_needs_the_secret(assignment, name, monkeypatch):
    """Without a grading secret, a hidden check refuses to run rather than use a known seed."""
    monkeypatch.delenv(SECRET_VARIABLE, raising=False)
    with pytest.raises(MissingSecretError):
        hidden_check(assignment, name)(getattr(solution_module(assignment), name))


def recorded_inputs(assignment: str, name: str) -> list[str]:
    """The hidden check's calls of the reference, each as text (arrays by their bytes)."""
    reference = getattr(solution_module(assignment), name)
    calls = []

    def text(value: object) -> str:
        if isinstance(value, np.ndarray):
            return f"array{value.shape}{value.dtype}:{value.tobytes().hex()}"
        return repr(value)

    @functools.wraps(reference)
    def recorder(*args: object, **kwargs: object) -> object:
        calls.append(" ".join([*map(text, args), *(f"{k}={text(v)}" for k, v in kwargs.items())]))
        return reference(*args, **kwargs)

    hidden_check(assignment, name)(recorder)
    return calls


@pytest.mark.parametrize(("assignment", "name"), FUNCTIONS)
def test_hidden_inputs_depend_on_the_secret(assignment, name, monkeypatch):
    """The same secret draws the same inputs; another secret draws other inputs."""
    runs = {}
    for secret in ("first secret", "second secret", "first secret"):
        monkeypatch.setenv(SECRET_VARIABLE, secret)
        runs.setdefault(secret, []).append(recorded_inputs(assignment, name))
    (first, again), (second,) = runs["first secret"], runs["second secret"]
    assert first == again
    assert first != second


# The hidden checks' oracles against TensorFlow and Keras.

STRIDES = [1, 2, 3, (1, 2), (3, 1)]


@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("stride", STRIDES)
def test_scipy_correlate2d_padded_matches_tensorflow(rng, stride, padding):
    """Odd, even, non-square and (with "same") oversized kernels: SciPy's cut of the full
    correlation equals tf.nn.conv2d."""
    for image_shape, kernel_shape in [((9, 7), (3, 2)), ((6, 11), (4, 5)), ((5, 4), (1, 3))]:
        image, kernel = rng.normal(size=image_shape), rng.normal(size=kernel_shape)
        np.testing.assert_allclose(
            oracles.scipy_correlate2d_padded(image, kernel, stride, padding),
            oracles.tf_correlate2d(image, kernel, stride, padding),
            atol=1e-12,
        )
    if padding == "same":
        image, kernel = rng.normal(size=(2, 3)), rng.normal(size=(4, 5))
        np.testing.assert_allclose(
            oracles.scipy_correlate2d_padded(image, kernel, stride, padding),
            oracles.tf_correlate2d(image, kernel, stride, padding),
            atol=1e-12,
        )


@pytest.mark.parametrize(("stride", "padding"), [(1, "valid"), ((2, 1), "same"), (3, "same")])
@pytest.mark.parametrize("with_bias", [True, False])
def test_scipy_conv2d_matches_keras(rng, stride, padding, with_bias):
    """Batches, several input and output channels, bias or none: SciPy per channel equals
    keras.layers.Conv2D."""
    images, kernels = rng.normal(size=(2, 9, 8, 3)), rng.normal(size=(2, 3, 3, 4))
    bias = rng.normal(size=4) if with_bias else None
    np.testing.assert_allclose(
        oracles.scipy_conv2d(images, kernels, bias, stride, padding),
        oracles.keras_conv2d(images, kernels, bias, stride, padding),
        atol=1e-12,
    )


POOL_WINDOWS = [(2, None), (3, 1), (3, 2), (2, 3), ((2, 3), (1, 2)), ((3, 1), None)]


@pytest.mark.parametrize("kind", ["max", "avg"])
@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize(("pool_size", "stride"), POOL_WINDOWS)
def test_loop_pool2d_matches_keras(rng, kind, padding, pool_size, stride):
    """Negative values, overlapping windows, gaps, both paddings: the window-by-window
    loop equals MaxPooling2D and AveragePooling2D."""
    for shape in [(9, 7), (6, 11)]:
        x = rng.normal(size=shape) - 1.0
        np.testing.assert_allclose(
            oracles.loop_pool2d(x, kind, pool_size, stride, padding),
            oracles.keras_pool2d(x, kind, pool_size, stride, padding),
            atol=1e-12,
        )


@pytest.mark.parametrize(("pool_size", "stride"), POOL_WINDOWS)
def test_loop_max_pool2d_gradient_matches_tensorflow(rng, pool_size, stride):
    """With many ties (values -1, 0, 1) and overlapping windows: the loop's first-maximum
    rule and sums equal TensorFlow's gradient."""
    x = rng.integers(-1, 2, size=(9, 10)).astype(np.float64)
    dout = rng.normal(size=oracles.loop_pool2d(x, "max", pool_size, stride).shape)
    np.testing.assert_allclose(
        oracles.loop_max_pool2d_gradient(dout, x, pool_size, stride),
        oracles.tf_max_pool2d_gradient(dout, x, pool_size, stride),
        atol=1e-12,
    )


@pytest.mark.parametrize("pool_size", [1, 2, 3])
def test_loop_count_distinct_matches_keras_and_unique(rng, pool_size):
    """Small-integer images (many equal after pooling): the loop's count equals Keras'
    MaxPooling2D followed by np.unique."""
    images = rng.integers(0, 3, size=(40, 7, 8)).astype(np.float64)
    pooled = oracles.keras_max_pool_batch(images[..., np.newaxis], pool_size)
    assert oracles.loop_count_distinct_after_pooling(images, pool_size) == len(
        np.unique(pooled, axis=0)
    )
