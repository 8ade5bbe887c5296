"""Which libraries a student's graded function uses, read from its code.

Each assignment says which libraries each graded function may use
(:attr:`autograder.assignments.Assignment.libraries`; the standard library always). A
function that uses another one earns nothing for it, with a status line naming what it
used. Three layers enforce the rule:

1. **Here, in the judge** (:func:`libraries_used`): the student's cells are parsed (never
   run) and each graded function is charged with every module imported inside it, or
   bound at the top level to a name it uses — directly or through the helpers it calls —
   and with every ``__import__("…")`` / ``importlib.import_module("…")`` of a constant.
2. **In the sandbox**, the runner refuses, and reports, an import that student code makes
   of a library the assignment does not allow (:mod:`autograder.runner.serve`).
3. **In the sandbox's file system**: for the numpy assignments the big libraries that
   would do the work (SciPy, scikit-image, Keras…) are hidden under empty mounts
   (:func:`hidden_libraries`), which no trick inside the process can undo.
"""

from __future__ import annotations

import ast
import importlib.util
import sys
from collections.abc import Iterable
from pathlib import Path

__all__ = ["ALWAYS_ALLOWED", "WORK_DOING_LIBRARIES", "hidden_libraries", "libraries_used"]

#: Modules every function may use: the standard library.
ALWAYS_ALLOWED = frozenset(sys.stdlib_module_names) | {"__future__"}
#: Installed libraries that compute convolutions or pooling for you.
WORK_DOING_LIBRARIES = (
    "scipy",
    "skimage",
    "cv2",
    "sklearn",
    "tensorflow",
    "keras",
    "torch",
    "jax",
    "jaxlib",
    "mlxtend",
    "PIL",
    "pandas",
    "numba",
    "cupy",
)
_IMPORTERS = {"__import__", "import_module"}


#: Longest cell handed to IPython's transformer (magics), which can be slow on odd input.
_TRANSFORMED_CHARS = 100_000


def _parsed(cell: str) -> ast.Module:
    """The cell as Python; with IPython's syntax (magics) only where plain Python fails."""
    try:
        return ast.parse(cell)
    except SyntaxError:
        if len(cell) > _TRANSFORMED_CHARS:
            raise
    from IPython.core.inputtransformer2 import TransformerManager

    try:
        source = TransformerManager().transform_cell(cell)
    except Exception:  # what IPython cannot read, the runner cannot run either
        raise SyntaxError("not Python") from None
    return ast.parse(source)


def _imports_in(node: ast.AST) -> set[str]:
    """Modules imported anywhere inside ``node`` (statements, constant dynamic imports)."""
    found = set()
    for child in ast.walk(node):
        if isinstance(child, ast.Import):
            found |= {alias.name for alias in child.names}
        elif isinstance(child, ast.ImportFrom):
            found.add("." * child.level + (child.module or ""))
        elif isinstance(child, ast.Call) and child.args:
            callee = child.func
            name = callee.attr if isinstance(callee, ast.Attribute) else getattr(callee, "id", "")
            first = child.args[0]
            if name in _IMPORTERS and isinstance(first, ast.Constant):
                found.add(str(first.value))
    return found


def _names_in(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _bound_by(statement: ast.stmt) -> set[str]:
    """The top-level names a statement binds (defs, classes, assignments, imports, and
    those of the statements inside an ``if``, ``try``, ``with`` or loop)."""
    if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return {statement.name}
    if isinstance(statement, ast.If | ast.Try | ast.With | ast.For | ast.While):
        inner = [*statement.body, *getattr(statement, "orelse", []),
                 *getattr(statement, "finalbody", [])]  # fmt: skip
        inner += [s for h in getattr(statement, "handlers", []) for s in h.body]
        return set().union(*map(_bound_by, inner)) if inner else set()
    if isinstance(statement, ast.Import | ast.ImportFrom):
        return {(a.asname or a.name).split(".")[0] for a in statement.names}
    targets = []
    if isinstance(statement, ast.Assign):
        targets = statement.targets
    elif isinstance(statement, ast.AnnAssign | ast.AugAssign):
        targets = [statement.target]
    return {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}


def libraries_used(cells: Iterable[str], functions: Iterable[str]) -> dict[str, set[str]]:
    """Function name → the modules it uses (module docstring, layer 1).

    Examples
    --------
    >>> cells = ["import scipy.signal as s\\nimport numpy as np",
    ...          "def helper(x):\\n    return s.correlate2d(x, x)",
    ...          "def correlate2d(image, kernel):\\n    return helper(image)",
    ...          "def edge_kernel(direction):\\n    return np.ones((3, 3))"]
    >>> used = libraries_used(cells, ["correlate2d", "edge_kernel"])
    >>> sorted(used["correlate2d"]), sorted(used["edge_kernel"])
    (['scipy.signal'], ['numpy'])
    """
    uses: dict[str, set[str]] = {}  # top-level name → names its statements refer to
    modules: dict[str, set[str]] = {}  # top-level name → modules its statements import
    for cell in cells:
        try:
            tree = _parsed(cell)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue  # it defines nothing the judge can call
        for statement in tree.body:
            for name in _bound_by(statement) or {""}:
                uses.setdefault(name, set()).update(_names_in(statement))
                modules.setdefault(name, set()).update(_imports_in(statement))
    used = {}
    for function in functions:
        seen, todo = set(), [function]
        while todo:
            name = todo.pop()
            if name not in seen:
                seen.add(name)
                todo += [n for n in uses.get(name, ()) if n in uses]
        used[function] = set().union(*(modules.get(n, set()) for n in seen))
    return used


def hidden_libraries(allowed: Iterable[str]) -> list[Path]:
    """The folders of the installed :data:`WORK_DOING_LIBRARIES` not in ``allowed``
    (found without importing them), to hide from a sandbox (module docstring, layer 3)."""
    folders = []
    for name in WORK_DOING_LIBRARIES:
        if name in allowed:
            continue
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            continue
        for location in (spec.submodule_search_locations or []) if spec else []:
            folders.append(Path(location).resolve())
    return folders
