"""Is the repository laid out as the course promises (what students get, what stays text)?"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import solutions

ROOT = Path(__file__).resolve().parents[1]
GRADED = [name for names in solutions.GRADED.values() for name in names]


def test_course_package_holds_no_solutions():
    """No module of `course` defines a graded function (students install `course`)."""
    for path in (ROOT / "student" / "course").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        defined = {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
        assert not defined & set(GRADED), f"{path.name} defines {defined & set(GRADED)}"


def heavy_modules_loaded_by(code: str) -> list[str]:
    """Which of solutions, autograder, tensorflow, keras a fresh interpreter has loaded after `code`."""
    probe = "\nimport sys\nprint(sorted(n for n in ('solutions', 'autograder', 'tensorflow', 'keras') if n in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", code + probe], capture_output=True, text=True, check=True
    )
    return ast.literal_eval(result.stdout.strip())


def test_importing_course_loads_neither_solutions_nor_tensorflow():
    """`course` imports without `solutions`, `autograder` or TensorFlow (only `course.training`,
    the Keras training helper, needs Keras)."""
    code = (
        "import pkgutil, importlib, course\n"
        "for m in pkgutil.iter_modules(course.__path__):\n"
        "    if m.name != 'training': importlib.import_module('course.' + m.name)"
    )
    assert heavy_modules_loaded_by(code) == []


def test_numpy_solutions_do_not_load_keras():
    """The numpy exercises (ps1, ps2) never import TensorFlow or Keras."""
    code = "import solutions\nsolutions.correlate2d([[1.0]], [[1.0]]); solutions.max_pool2d([[1.0]], 1)"
    assert heavy_modules_loaded_by(code) == ["solutions"]


def test_every_graded_function_exists_with_its_fixed_signature():
    """The names and parameters fixed by the foundation issue."""
    import inspect

    expected = {
        "correlate2d": "(image, kernel, stride=1, padding='valid')",
        "convolve2d": "(image, kernel, stride=1, padding='valid')",
        "conv2d": "(images, kernels, bias=None, stride=1, padding='valid')",
        "edge_kernel": "(direction)",
        "max_pool2d": "(x, pool_size=2, stride=None, padding='valid')",
        "avg_pool2d": "(x, pool_size=2, stride=None, padding='valid')",
        "max_pool2d_backward": "(dout, x, pool_size=2, stride=None)",
        "count_distinct_after_pooling": "(images, pool_size)",
        "build_pool_only_model": "(pool_size=2, input_shape=(28, 28, 1), num_classes=10)",
        "build_conv_pool_model": "(input_shape=(28, 28, 1), num_classes=10)",
        "edge_conv_layer": "(kernels)",
    }
    assert sorted(expected) == sorted(GRADED)
    for name, parameters in expected.items():
        signature = inspect.signature(getattr(solutions, name))
        plain = signature.replace(
            parameters=[
                p.replace(annotation=inspect.Parameter.empty) for p in signature.parameters.values()
            ],
            return_annotation=inspect.Signature.empty,
        )
        assert str(plain) == parameters, name


def test_no_notebooks_or_outputs_are_committed():
    """Lessons are text; nothing generated (notebooks, build/, .venv) is tracked by git."""
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert not [f for f in tracked if f.endswith(".ipynb")]
    assert not [f for f in tracked if f.startswith(("build/", ".venv/"))]


def test_makefile_targets_each_set_up_the_venv():
    """`make demo/test/lint/bench` each depend on the setup stamp, so a fresh clone works."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("demo", "lessons", "test", "lint", "bench"):
        assert f"\n{target}: $(SETUP)" in makefile, target
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci
    assert "make lint" in ci


PACKAGES = {
    "course": ROOT / "student" / "course",
    "solutions": ROOT / "solutions",
    "lessons": ROOT / "lessons",
    "autograder": ROOT / "autograder",
    "courseware": ROOT / "courseware",
}


def _imported_packages(folder: Path) -> set[str]:
    """The course's packages that any module of ``folder`` imports, anywhere in the file
    (deferred imports and ``importlib.import_module("name...")`` with a literal included)."""
    found = set()
    for path in folder.rglob("*.py"):
        if folder.name == "lessons" and path.name != "__init__.py":
            continue  # the lesson sources are text for notebooks, not modules of the package
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            elif (
                isinstance(node, ast.Call)
                and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                names = [str(node.args[0].value)]
            found |= {name.split(".")[0] for name in names if name.split(".")[0] in PACKAGES}
    return found


def test_packages_depend_one_way():
    """course ← solutions ← autograder ← courseware, with lessons beside: the student
    package names no instructor package at all, and no two packages import each other."""
    uses = {name: _imported_packages(folder) - {name} for name, folder in PACKAGES.items()}
    assert uses["course"] == set()
    assert uses["solutions"] == {"course"}
    assert uses["lessons"] == set()
    assert "courseware" not in uses["autograder"]
    order = ["course", "lessons", "solutions", "autograder", "courseware"]
    for name, used in uses.items():
        assert all(order.index(other) < order.index(name) for other in used), (name, used)
