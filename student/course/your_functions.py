"""Your own graded functions, taken from your assignment notebooks, for the lessons.

In the class edition of the lessons every exercise cell reads, for example::

    from course.your_functions import your_function

    correlate2d = your_function("ps1_filters", "correlate2d")

so that the lesson runs with the functions you wrote. :func:`your_function` finds your
``ps1_filters`` notebook, runs its code cells except the test cells (quietly, in a
namespace of their own) and returns the function. If the notebook is not found, or the
function is not written yet, the lesson stops with one line saying what to do.

Where it looks: the folder given to :func:`use_folder`, the folder named by the environment
variable ``COURSE_ASSIGNMENTS``, then the lesson's folder and its parent, each of them and
its ``ASSIGNMENT/`` subfolder (nbgrader's layout). ``ASSIGNMENT.ipynb`` is looked for in all
of these places first, then ``ASSIGNMENT_*.ipynb``; two candidates in one place are refused
rather than guessed between. It reads the notebook as saved on disk.
"""

from __future__ import annotations

import ast
import contextlib
import io
import linecache
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
    places = list(dict.fromkeys(p for f in _folders() for p in (f, f / assignment)))
    for pattern in (f"{assignment}.ipynb", f"{assignment}_*.ipynb"):
        for place in places:
            found = sorted(place.glob(pattern))
            if len(found) > 1:
                names = ", ".join(path.name for path in found)
                raise NotWrittenYet(
                    f"more than one {assignment} notebook in {place} ({names}): keep one, or "
                    "run course.your_functions.use_folder('FOLDER') with the right folder"
                )
            if found:
                return found[0]
    raise NotWrittenYet(
        f"no {assignment} notebook found ({assignment}.ipynb or {assignment}_*.ipynb, in "
        f"{', '.join(str(p) for p in places)}): put your {assignment} folder next to this "
        f"lesson's folder, or run course.your_functions.use_folder('FOLDER') first"
    )


def _code_cells(path: Path) -> list[tuple[int, str]]:
    """(cell number, code as plain Python) of every code cell that is not a test cell
    (nbgrader's ``grade`` without ``solution``)."""
    import nbformat
    from IPython.core.inputtransformer2 import TransformerManager

    try:
        notebook = nbformat.read(path, as_version=4)
    except Exception as error:
        raise NotWrittenYet(f"{path} cannot be read as a notebook ({error})") from None
    transform = TransformerManager().transform_cell
    cells = []
    for number, cell in enumerate(notebook.cells, 1):
        nbgrader = cell.get("metadata", {}).get("nbgrader", {})
        nbgrader = nbgrader if isinstance(nbgrader, dict) else {}
        source = cell.get("source", "")
        is_test = bool(nbgrader.get("grade")) and not nbgrader.get("solution")
        if cell.get("cell_type") == "code" and isinstance(source, str) and not is_test:
            cells.append((number, transform(source)))
    return cells


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


def _last_definition(cells: list[tuple[int, str]], name: str) -> ast.FunctionDef | None:
    found = None
    for _, source in cells:
        with contextlib.suppress(SyntaxError, ValueError):
            for node in ast.walk(ast.parse(source)):
                if isinstance(node, ast.FunctionDef) and node.name == name:
                    found = node
    return found


def _run(path: Path, assignment: str, cells: list[tuple[int, str]]) -> types.ModuleType:
    stat = path.stat()
    key = (path.resolve(), stat.st_mtime_ns, stat.st_size)
    if key not in _loaded:
        namespace = types.ModuleType(f"your_{assignment}")
        namespace.__file__ = str(path)
        for number, source in cells:
            filename = f"<{path.name}, cell {number}>"
            # Tracebacks from inside your functions show your lines.
            linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
            try:
                with contextlib.redirect_stdout(io.StringIO()):
                    exec(compile(source, filename, "exec"), vars(namespace))
            except KeyboardInterrupt:
                raise
            except BaseException as error:  # SystemExit too: the lesson goes on to say so
                raise NotWrittenYet(
                    f"your {assignment} notebook ({path}) fails in its cell {number}: "
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
    not_written = NotWrittenYet(
        f"{name} is not written yet: write it in {where}, save the notebook, then run this "
        "cell again"
    )
    node = _last_definition(cells, name)
    if node is not None and _is_stub(node):
        raise not_written
    function = getattr(_run(path, assignment, cells), name, None)
    if function is None:
        raise not_written
    if not callable(function):
        raise NotWrittenYet(f"{name} is not a function in {where}")
    return function
