"""Do the ps3_keras checks pass the reference and fail every catalogued wrong answer?

In process, without nbgrader: the visible checks (``course.visible_tests.ps3_keras``), the hidden
checks (``autograder.hidden_tests.ps3_keras``) and the mutant catalogue
(``autograder.mutants.ps3_keras``). A mutant is killed when the visible or the hidden
check raises ``AssertionError``; the hidden checks look at structure before they train,
so only the mutants that need it are trained.
"""

import ast
import builtins
import inspect
import textwrap
from types import SimpleNamespace

import keras
import numpy as np
import pytest

import solutions.models
from autograder.assignments import ASSIGNMENTS
from autograder.hidden_tests import ps3_keras as hidden
from autograder.mutants import ps3_keras as mutants
from autograder.mutation import catalogue
from autograder.secret import SECRET_VARIABLE, MissingSecretError
from course.visible_tests import ps3_keras as visible

FUNCTIONS = ASSIGNMENTS["ps3_keras"].functions
#: Mutant name → the mutant, built from its record.
MUTANTS = {m.__name__: m for ms in catalogue(ASSIGNMENTS["ps3_keras"]).values() for m in ms}
BUILTINS = set(dir(builtins))


def imported_names(module) -> set[str]:
    """The names bound by the module's top-level imports (``__future__`` left out)."""
    names = set()
    for node in ast.parse(inspect.getsource(module)).body:
        if isinstance(node, ast.Import | ast.ImportFrom) and getattr(node, "module", "") != (
            "__future__"
        ):
            names |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
    return names


def import_statements(module) -> str:
    source = inspect.getsource(module)
    return "\n".join(
        ast.get_source_segment(source, node)
        for node in ast.parse(source).body
        if isinstance(node, ast.Import | ast.ImportFrom)
    )


def function_node(function) -> ast.FunctionDef:
    return ast.parse(textwrap.dedent(inspect.getsource(function))).body[0]


def body_after_docstring(node: ast.FunctionDef) -> list[ast.stmt]:
    first = node.body[0]
    has_docstring = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
    return node.body[1:] if has_docstring else node.body


def free_names(nodes: list[ast.AST]) -> set[str]:
    """Names the code reads but neither assigns nor takes as an argument, builtins aside."""
    bound, read = set(), set()
    for node in nodes:
        for sub in ast.walk(node):
            if isinstance(sub, ast.Name):
                (read if isinstance(sub.ctx, ast.Load) else bound).add(sub.id)
            elif isinstance(sub, ast.arg):
                bound.add(sub.arg)
    return read - bound - BUILTINS


def grade(function: str, candidate) -> None:
    """The visible check, then the hidden one, as the notebook runs them."""
    getattr(visible, f"check_{function}")(candidate)
    getattr(hidden, f"check_{function}")(candidate)


@pytest.fixture
def secret(monkeypatch):
    monkeypatch.setenv(SECRET_VARIABLE, "test secret for ps3_keras")


@pytest.mark.parametrize("function", FUNCTIONS)
def test_reference_passes_visible_and_hidden_checks(function, secret, capsys):
    grade(function, getattr(solutions.models, function))
    assert capsys.readouterr().out.splitlines() == [
        f"{function}: visible tests passed",
        f"{function}: hidden tests passed",
    ]


@pytest.mark.parametrize("name", MUTANTS)
def test_every_mutant_fails_the_visible_or_the_hidden_check(name, secret):
    function = name.split("__")[0]
    with pytest.raises(AssertionError):
        grade(function, MUTANTS[name])


@pytest.mark.parametrize("function", FUNCTIONS)
def test_every_function_has_at_least_eight_mutants(function):
    assert len([name for name in MUTANTS if name.startswith(f"{function}__")]) >= 8
    assert {mutant.function for mutant in mutants.MUTANTS} <= set(FUNCTIONS)


@pytest.mark.parametrize("name", MUTANTS)
def test_mutants_are_self_contained_with_the_graded_signature(name):
    """One def, a one-line docstring, only the setup cell's names, the reference's signature."""
    mutant = MUTANTS[name]
    function = name.split("__")[0]
    node = function_node(mutant)
    assert isinstance(node, ast.FunctionDef)
    assert mutant.__doc__
    assert "\n" not in mutant.__doc__.strip()
    allowed = imported_names(solutions.models) | set(FUNCTIONS)
    assert free_names([node]) <= allowed
    reference = getattr(solutions.models, function)
    assert inspect.signature(mutant) == inspect.signature(reference)


@pytest.mark.parametrize("function", FUNCTIONS)
def test_visible_bodies_use_only_the_module_imports_and_their_parameter(function):
    check = getattr(visible, f"check_{function}")
    node = function_node(check)
    assert [arg.arg for arg in node.args.args] == [function]
    body = body_after_docstring(node)
    assert free_names(body) <= imported_names(visible) | {function}
    assert not any(isinstance(sub, ast.Assert) for sub in ast.walk(node))
    assert ast.unparse(body[-1]) == f"print('{function}: visible tests passed')"


@pytest.mark.parametrize("function", FUNCTIONS)
def test_visible_body_runs_as_a_notebook_cell(function, capsys):
    """The module's imports and the dedented body, run in a namespace of their own."""
    node = function_node(getattr(visible, f"check_{function}"))
    lines = textwrap.dedent(inspect.getsource(getattr(visible, f"check_{function}"))).split("\n")
    body = textwrap.dedent("\n".join(lines[body_after_docstring(node)[0].lineno - 1 :]))
    cell = import_statements(visible) + "\n\n" + body
    exec(
        compile(cell, f"<visible test of {function}>", "exec"),
        {function: getattr(solutions.models, function)},
    )
    assert capsys.readouterr().out == f"{function}: visible tests passed\n"


@pytest.mark.parametrize("function", FUNCTIONS)
def test_hidden_checks_need_the_secret(function, monkeypatch):
    """Without the secret the hidden check stops before it calls the student's function."""
    monkeypatch.delenv(SECRET_VARIABLE, raising=False)

    def never_called(*args, **kwargs):
        pytest.fail("the hidden check called the student's function without the secret")

    with pytest.raises(MissingSecretError):
        getattr(hidden, f"check_{function}")(never_called)


# Correct answers written otherwise than the reference: the checks must pass them too.


def edge_conv_layer_by_initializer(kernels):
    kernels = np.asarray(kernels, dtype="float32")
    layer = keras.layers.Conv2D(
        kernels.shape[-1],
        kernels.shape[:2],
        use_bias=False,
        kernel_initializer=keras.initializers.Constant(kernels[:, :, None, :]),
    )
    layer.build((None, 28, 28, 1))
    return layer


def edge_conv_layer_by_assignment(kernels):
    kernels = np.array(kernels, dtype="float64")
    layer = keras.layers.Conv2D(
        kernels.shape[2], kernels.shape[:2], use_bias=False, dtype="float64"
    )
    layer.build((None, None, None, 1))
    layer.kernel.assign(np.expand_dims(kernels, axis=2))
    return layer


def build_pool_only_model_sequential(pool_size=2, input_shape=(28, 28, 1), num_classes=10):
    return keras.Sequential(
        [
            keras.Input(shape=input_shape),
            keras.layers.MaxPooling2D((pool_size, pool_size), strides=pool_size),
            keras.layers.Flatten(),
            keras.layers.Dense(num_classes, activation=keras.activations.softmax),
        ]
    )


def build_conv_pool_model_sequential(input_shape=(28, 28, 1), num_classes=10):
    return keras.Sequential(
        [
            keras.Input(shape=input_shape),
            keras.layers.Conv2D(32, (3, 3), activation=keras.ops.relu),
            keras.layers.MaxPooling2D(),
            keras.layers.Conv2D(64, (3, 3), strides=1, activation="relu"),
            keras.layers.MaxPooling2D(pool_size=(2, 2), strides=2),
            keras.layers.Flatten(),
            keras.layers.Dropout(rate=0.5),
            keras.layers.Dense(num_classes, activation="softmax"),
        ]
    )


def build_conv_pool_model_old_style(input_shape=(28, 28, 1), num_classes=10):
    """``input_shape=`` on the first layer, as in Keras 2 (Keras 3 warns, and accepts it)."""
    return keras.Sequential(
        [
            keras.layers.Conv2D(32, 3, activation="relu", input_shape=input_shape),
            keras.layers.MaxPooling2D(2),
            keras.layers.Conv2D(64, 3, activation="relu"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Flatten(),
            keras.layers.Dropout(0.5),
            keras.layers.Dense(num_classes, activation="softmax"),
        ]
    )


@pytest.mark.parametrize(
    ("function", "answer"),
    [
        ("edge_conv_layer", edge_conv_layer_by_initializer),
        ("edge_conv_layer", edge_conv_layer_by_assignment),
        ("build_pool_only_model", build_pool_only_model_sequential),
        ("build_conv_pool_model", build_conv_pool_model_sequential),
        pytest.param(
            "build_conv_pool_model",
            build_conv_pool_model_old_style,
            marks=pytest.mark.filterwarnings("ignore:Do not pass an `input_shape`:UserWarning"),
        ),
    ],
)
def test_other_correct_answers_pass(function, answer, secret, monkeypatch):
    """Sequential models, ops activations, initializers: all accepted (training skipped)."""
    trained = SimpleNamespace(test_accuracy=1.0)
    monkeypatch.setattr(hidden, "train_and_evaluate", lambda *args, **kwargs: trained)
    grade(function, answer)
