"""Your own graded functions, taken from your assignment notebooks, for the lessons.

In the class edition of the lessons every exercise cell reads, for example::

    from course.your_functions import your_function

    correlate2d = your_function("ps1_filters", "correlate2d")

so that the lesson runs with the functions you wrote. :func:`your_function` finds your
``ps1_filters`` notebook, runs its code cells except the test cells (quietly, in a
namespace of their own) and returns the function. If the notebook is not found, or the
function is not written yet, the lesson stops with one line saying what to do.

Where it looks, in order: the folder given to :func:`use_folder`, the folder named by the
environment variable ``COURSE_ASSIGNMENTS``, then the lesson's folder and its parent, each
for ``ASSIGNMENT*.ipynb`` and ``ASSIGNMENT/ASSIGNMENT*.ipynb`` (nbgrader's layout).
"""

from __future__ import annotations

import ast
import contextlib
import io
import os
import types
from collections.abc import Callable
from pathlib import Path

__all__ = ["NotWrittenYet", "use_folder", "your_function"]

#: The environment variable naming the folder of your assignment notebooks.
FOLDER_VARIABLE = "COURSE_ASSIGNMENTS"

_chosen: list[Path] = []
_loaded: dict[tuple[Path, int, int], types.ModuleType] = {}


class NotWrittenYet(LookupError):
    """A lesson asked for a function of yours that cannot be used yet.

    In a notebook it shows as its one-line message, not as a traceback.
    """

    def _render_traceback_(self) -> list[str]:  # IPython shows this instead of a traceback
        return [f"{type(self).__name__}: {self}"]


def use_folder(folder: Path | str) -> None:
    """Look for your assignment notebooks in ``folder`` first.

    Raises
    ------
    NotADirectoryError
        If ``folder`` is not a folder.
    """
    path = Path(folder).expanduser()
    if not path.is_dir():
        raise NotADirectoryError(f"folder must be a folder of assignment notebooks; got {folder!r}")
    _chosen[:] = [path]


def _folders() -> list[Path]:
    named = (
        [Path(os.environ[FOLDER_VARIABLE]).expanduser()] if os.environ.get(FOLDER_VARIABLE) else []
    )
    here = Path.cwd()
    return [*_chosen, *named, here, here.parent]


def _notebook(assignment: str) -> Path:
    looked = []
    for folder in _folders():
        for place in (folder, folder / assignment):
            looked.append(place)
            found = sorted(
                {*place.glob(f"{assignment}.ipynb"), *place.glob(f"{assignment}_*.ipynb")}
            )
            if found:
                return found[0]
    places = ", ".join(str(p) for p in dict.fromkeys(looked))
    raise NotWrittenYet(
        f"no {assignment} notebook found (looked for {assignment}*.ipynb in {places}): put "
        f"your {assignment} folder next to this lesson's folder, or run "
        f"course.your_functions.use_folder('FOLDER') first"
    )


def _code_cells(path: Path) -> list[str]:
    """The code of every code cell that is not a test cell, as plain Python."""
    import nbformat
    from IPython.core.inputtransformer2 import TransformerManager

    try:
        notebook = nbformat.read(path, as_version=4)
    except Exception as error:
        raise NotWrittenYet(f"{path} cannot be read as a notebook ({error})") from None
    transform = TransformerManager().transform_cell
    return [
        transform(cell.source)
        for cell in notebook.cells
        if cell.get("cell_type") == "code"
        and not cell.get("metadata", {}).get("nbgrader", {}).get("grade", False)
    ]


def _is_stub(node: ast.FunctionDef) -> bool:
    """Whether the function's body is still the handed-out ``raise NotImplementedError()``."""
    body = [
        statement
        for statement in node.body
        if not (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant))
        and not isinstance(statement, ast.Pass)
    ]
    if len(body) != 1 or not isinstance(body[0], ast.Raise) or body[0].exc is None:
        return False
    raised = body[0].exc.func if isinstance(body[0].exc, ast.Call) else body[0].exc
    return isinstance(raised, ast.Name) and raised.id == "NotImplementedError"


def _definitions(cells: list[str]) -> dict[str, ast.FunctionDef]:
    found: dict[str, ast.FunctionDef] = {}
    for source in cells:
        with contextlib.suppress(SyntaxError):
            for node in ast.parse(source).body:
                if isinstance(node, ast.FunctionDef):
                    found[node.name] = node
    return found


def _run(path: Path, assignment: str, cells: list[str]) -> types.ModuleType:
    stat = path.stat()
    key = (path.resolve(), stat.st_mtime_ns, stat.st_size)
    if key not in _loaded:
        namespace = types.ModuleType(f"your_{assignment}")
        namespace.__file__ = str(path)
        for number, source in enumerate(cells, 1):
            try:
                with contextlib.redirect_stdout(io.StringIO()):
                    exec(
                        compile(source, f"{path.name}, code cell {number}", "exec"), vars(namespace)
                    )
            except Exception as error:
                raise NotWrittenYet(
                    f"your {assignment} notebook ({path}) fails in its code cell {number}: "
                    f"{type(error).__name__}: {error}"
                ) from None
        _loaded[key] = namespace
    return _loaded[key]


def your_function(assignment: str, name: str) -> Callable[..., object]:
    """Your function ``name`` from your notebook of ``assignment``.

    Parameters
    ----------
    assignment : str
        The assignment that grades the function, e.g. ``"ps1_filters"``.
    name : str
        The function, e.g. ``"correlate2d"``.

    Returns
    -------
    callable
        The function as your notebook defines it.

    Raises
    ------
    NotWrittenYet
        If the notebook is not found or fails to run, or ``name`` is missing from it or
        still raises ``NotImplementedError``; the message says which and what to do.

    Examples
    --------
    >>> import tempfile, nbformat
    >>> folder = Path(tempfile.mkdtemp())
    >>> cell = nbformat.v4.new_code_cell("def double(x):\\n    return 2 * x")
    >>> nbformat.write(nbformat.v4.new_notebook(cells=[cell]), folder / "ps9_demo.ipynb")
    >>> use_folder(folder)
    >>> your_function("ps9_demo", "double")(21)
    42
    >>> your_function("ps9_demo", "triple")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    course.your_functions.NotWrittenYet: triple is not written yet: ...
    """
    path = _notebook(assignment)
    cells = _code_cells(path)
    where = f"your {assignment} notebook ({path})"
    node = _definitions(cells).get(name)
    if node is None or _is_stub(node):
        raise NotWrittenYet(
            f"{name} is not written yet: write it in {where}, then run this cell again"
        )
    function = getattr(_run(path, assignment, cells), name, None)
    if not callable(function):
        raise NotWrittenYet(f"{name} is not a function in {where}")
    return function
