"""Execute the lesson sources into notebooks, and collect each lesson's key numbers.

Lessons are jupytext percent-format ``.py`` files in ``lessons/``. Building one reads it
with jupytext, executes it top to bottom in a real Jupyter kernel (nbclient) and writes
the notebook with its outputs. A lesson reports the numbers that settle its claims by
calling :func:`key_numbers` in its last cell; they travel inside the executed notebook
(as a display output with the :data:`KEY_NUMBERS_MIME` type), so the build's summary and
the tests read exactly what the reader sees.
"""

from __future__ import annotations

import html
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the build's libraries load only when a build runs, not in every lesson
    import nbformat

__all__ = [
    "KEY_NUMBERS_MIME",
    "ExecutedLesson",
    "build_lessons",
    "execute_lesson",
    "format_summary",
    "key_numbers",
    "lesson_sources",
    "read_key_numbers",
]

#: Output type that carries a lesson's key numbers inside its executed notebook.
KEY_NUMBERS_MIME = "application/vnd.convpool-course.key-numbers+json"

#: Seconds one cell may run before the build fails.
CELL_TIMEOUT = 600


def _format_value(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def key_numbers(**numbers: float | int | str | bool) -> None:
    """Show the lesson's key numbers as a table and record them for the build summary.

    Call it once, in a lesson's last code cell, with the numbers its text relies on.

    Parameters
    ----------
    **numbers : float, int, str or bool
        Name → value; names are shown as given (underscores as spaces).

    Examples
    --------
    Outside a notebook the table is printed:

    >>> key_numbers(test_accuracy=0.957, parameters=34826)
    test accuracy  0.957
    parameters     34,826
    """
    from IPython import get_ipython
    from IPython.display import display

    rows = [(name.replace("_", " "), _format_value(value)) for name, value in numbers.items()]
    width = max(len(name) for name, _ in rows)
    text = "\n".join(f"{name.ljust(width)}  {value}" for name, value in rows)
    table = "".join(
        f"<tr><th align='left'>{html.escape(name)}</th><td>{html.escape(value)}</td></tr>"
        for name, value in rows
    )
    bundle = {
        KEY_NUMBERS_MIME: json.loads(json.dumps(numbers)),
        "text/plain": text,
        "text/html": f"<table><caption>Key numbers</caption>{table}</table>",
    }
    if get_ipython() is None:
        print(text)
    else:
        display(bundle, raw=True)


def lesson_sources(folder: Path | str = "lessons") -> list[Path]:
    """The lesson files of ``folder`` in course order (``NN_name.py``).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> for name in ("02_pooling.py", "01_filters.py", "notes.py"):
    ...     _ = (folder / name).write_text("")
    >>> [path.name for path in lesson_sources(folder)]
    ['01_filters.py', '02_pooling.py']
    """
    return sorted(Path(folder).glob("[0-9][0-9]_*.py"))


@dataclass
class ExecutedLesson:
    """A lesson after execution: its notebook, how long it took, and its key numbers."""

    name: str
    notebook: nbformat.NotebookNode
    seconds: float
    numbers: dict[str, object] = field(default_factory=dict)


def read_key_numbers(notebook: nbformat.NotebookNode) -> dict[str, object]:
    """The key numbers that an executed lesson recorded with :func:`key_numbers`.

    Examples
    --------
    >>> import nbformat
    >>> cell = nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output(
    ...     "display_data", data={KEY_NUMBERS_MIME: {"accuracy": 0.9}, "text/plain": ""})])
    >>> read_key_numbers(nbformat.v4.new_notebook(cells=[cell]))
    {'accuracy': 0.9}
    """
    numbers: dict[str, object] = {}
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            numbers.update(output.get("data", {}).get(KEY_NUMBERS_MIME, {}))
    return numbers


def execute_lesson(source: Path, workdir: Path | None = None) -> ExecutedLesson:
    """Execute one lesson source in a fresh ``python3`` kernel.

    Parameters
    ----------
    source : path
        A jupytext percent-format lesson.
    workdir : path, optional
        The kernel's working directory (default: the source's folder).

    Returns
    -------
    ExecutedLesson

    Raises
    ------
    nbclient.exceptions.CellExecutionError
        If any cell raises; the message names the cell and the error.
    """
    import jupytext
    import nbclient

    from course.kernels import EncryptedKernelManager

    notebook = jupytext.read(source)
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    start = time.perf_counter()
    nbclient.NotebookClient(
        notebook,
        kernel_name="python3",
        kernel_manager_class=EncryptedKernelManager,
        timeout=CELL_TIMEOUT,
        resources={"metadata": {"path": str(workdir or source.parent)}},
    ).execute()
    seconds = time.perf_counter() - start
    return ExecutedLesson(source.stem, notebook, seconds, read_key_numbers(notebook))


def build_lessons(source_dir: Path, out_dir: Path) -> list[ExecutedLesson]:
    """Execute every lesson of ``source_dir`` into ``out_dir/NAME.ipynb``.

    Returns
    -------
    list of ExecutedLesson
        In course order.
    """
    import nbformat

    out_dir.mkdir(parents=True, exist_ok=True)
    lessons = []
    for source in lesson_sources(source_dir):
        lesson = execute_lesson(source, workdir=out_dir)
        nbformat.write(lesson.notebook, out_dir / f"{lesson.name}.ipynb")
        lessons.append(lesson)
    return lessons


def format_summary(lessons: list[ExecutedLesson]) -> str:
    """One screen: each lesson's execution time and key numbers, and the total time.

    Examples
    --------
    >>> import nbformat
    >>> lesson = ExecutedLesson("01_demo", nbformat.v4.new_notebook(), 2.5, {"accuracy": 0.9})
    >>> print(format_summary([lesson]))
    01_demo  2.5 s
        accuracy  0.9
    all lessons: 2.5 s
    """
    lines = []
    for lesson in lessons:
        lines.append(f"{lesson.name}  {lesson.seconds:.1f} s")
        width = max((len(name) for name in lesson.numbers), default=0)
        for name, value in lesson.numbers.items():
            label = name.replace("_", " ")
            lines.append(f"    {label.ljust(width)}  {_format_value(value)}")
    lines.append(f"all lessons: {sum(lesson.seconds for lesson in lessons):.1f} s")
    return "\n".join(lines)
