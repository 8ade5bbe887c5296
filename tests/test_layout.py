"""Is the repository laid out as the course promises (what students get, what stays text)?"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

from autograder.assignments import (
    GRADE_ID_PREFIXES,
    GRADED_FUNCTIONS,
    HIDDEN,
    VISIBLE,
)

ROOT = Path(__file__).resolve().parents[1]
GRADED = [function.name for function in GRADED_FUNCTIONS]


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


#: Every folder of Python code a layout rule applies to: the packages, benchmarks, tests.
CODE_FOLDERS = [*PACKAGES.values(), ROOT / "benchmarks", ROOT / "tests"]
#: The one module that states points and grade-id prefixes.
REGISTRY = ROOT / "autograder" / "assignments.py"


def _python_files() -> list[Path]:
    files = []
    for folder in CODE_FOLDERS:
        for path in folder.rglob("*.py"):
            if folder.name == "lessons" and path.name != "__init__.py":
                continue
            files.append(path)
    return files


def test_no_module_reaches_into_the_repository_by_parent_parent():
    """A package finds its files through its own package (``Path(__file__).parent``) or
    :mod:`importlib`, never by climbing out of it (``.parent.parent``, ``.parents[1]``): an
    install has no repository around it. Tests and benchmarks find the repository root
    through ``parents[1]``."""
    for path in _python_files():
        outside = path.is_relative_to(ROOT / "tests") or path.is_relative_to(ROOT / "benchmarks")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            where = (path.relative_to(ROOT), getattr(node, "lineno", 0))
            climbs = (
                isinstance(node, ast.Attribute)
                and node.attr == "parent"
                and isinstance(node.value, ast.Attribute)
                and node.value.attr == "parent"
            )
            assert not climbs, where
            if not outside and isinstance(node, ast.Subscript):
                assert not (isinstance(node.value, ast.Attribute) and node.value.attr == "parents")


def _string_constants(tree: ast.AST) -> list[str]:
    """Every string literal of a module, f-string parts included."""
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and type(n.value) is str]


def test_grade_id_prefixes_are_written_only_in_the_registry():
    """No module but the registry spells a graded cell's grade id (``test_NAME``,
    ``hidden_NAME``), writes a prefix, builds an id from one, or lists the kinds as a grade
    id split on ``_`` gives them (``{"test", "hidden"}``)."""
    prefixes = set(GRADE_ID_PREFIXES.values())
    ids = {function.grade_id(kind) for function in GRADED_FUNCTIONS for kind in (VISIBLE, HIDDEN)}
    for path in _python_files():
        if path == REGISTRY:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        strings = _string_constants(tree)
        for text in strings:
            spelled = [i for i in ids if re.search(rf"(?<![\w-]){i}(?![\w-])", text)]
            assert not spelled, (path.relative_to(ROOT), spelled)
            assert text not in prefixes, (path.relative_to(ROOT), text)
        # The prefixes without their underscore, as a grade id split on "_" gives them.
        bare = {prefix.rstrip("_") for prefix in prefixes}
        for node in ast.walk(tree):
            if isinstance(node, ast.Set | ast.Tuple | ast.List):
                found = {e.value for e in node.elts if isinstance(e, ast.Constant)}
                assert not bare <= found, (path.relative_to(ROOT), node.lineno)
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr) and node.values:
                first = node.values[0]
                starts = isinstance(first, ast.Constant) and first.value in prefixes
                assert not starts, (path.relative_to(ROOT), node.lineno, ast.unparse(node))


def test_points_are_written_only_in_the_registry():
    """No module but the registry gives a number of points: no ``points=2``, no
    ``FULL = 3``, no ``HIDDEN_POINTS``; points come from the registry's entries."""
    for path in _python_files():
        if path == REGISTRY:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            where = (path.relative_to(ROOT), getattr(node, "lineno", 0))
            if isinstance(node, ast.keyword) and node.arg and "points" in node.arg:
                assert not isinstance(node.value, ast.Constant), where
            if isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names = [t.id for t in targets if isinstance(t, ast.Name)]
                if any("POINTS" in n or n == "FULL" for n in names):
                    assert not isinstance(node.value, ast.Constant), where
