"""Execute the lesson sources into notebooks with their outputs (``course lessons``).

Building a lesson reads its jupytext source, executes it top to bottom in a real Jupyter
kernel (nbclient) and writes the notebook with its outputs; the key numbers that the
lesson records (:mod:`course.key_numbers`) are read back from that notebook.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import lessons
from course.backends import DEFAULT_BACKEND, backend_environment, check_backend
from course.claims import claims_summary, read_claims
from course.key_numbers import format_value, read_key_numbers

if TYPE_CHECKING:  # the build's libraries load only when a build runs
    import nbformat

__all__ = [
    "BACKEND_METADATA",
    "LESSON_CELL_TIMEOUT",
    "ExecutedLesson",
    "build_lessons",
    "ensure_lessons",
    "execute_lesson",
    "format_summary",
    "stale_lessons",
]

#: Seconds one cell may run before the build fails.
LESSON_CELL_TIMEOUT = 600
#: Notebook metadata key naming the Keras backend a lesson was executed on.
BACKEND_METADATA = "course_keras_backend"


@dataclass
class ExecutedLesson:
    """A lesson after execution: its notebook, how long it took, and its key numbers."""

    name: str
    notebook: nbformat.NotebookNode
    seconds: float
    numbers: dict[str, object] = field(default_factory=dict)
    backend: str = DEFAULT_BACKEND


def execute_lesson(
    source: Path, workdir: Path | None = None, backend: str = DEFAULT_BACKEND
) -> ExecutedLesson:
    """Execute one lesson source in a fresh ``python3`` kernel.

    Parameters
    ----------
    source : path
        A jupytext percent-format lesson.
    workdir : path, optional
        The kernel's working directory (default: the source's folder).
    backend : {"tensorflow", "jax", "torch"}
        The Keras backend of the kernel (its ``KERAS_BACKEND``); recorded in the notebook's
        metadata under :data:`BACKEND_METADATA`.

    Returns
    -------
    ExecutedLesson

    Raises
    ------
    ValueError, ModuleNotFoundError
        If ``backend`` is not a Keras backend, or not installed.
    nbclient.exceptions.CellExecutionError
        If any cell raises; the message names the cell and the error.
    """
    check_backend(backend)
    import jupytext
    import nbclient

    from course.jupyter_kernels import EncryptedKernelManager

    notebook = jupytext.read(source)
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    notebook.metadata[BACKEND_METADATA] = backend
    start = time.perf_counter()
    nbclient.NotebookClient(
        notebook,
        kernel_name="python3",
        kernel_manager_class=EncryptedKernelManager,
        timeout=LESSON_CELL_TIMEOUT,
        resources={"metadata": {"path": str(workdir or source.parent)}},
    ).execute(env=backend_environment(backend))
    seconds = time.perf_counter() - start
    return ExecutedLesson(source.stem, notebook, seconds, read_key_numbers(notebook), backend)


def build_lessons(
    source_dir: Path | None, out_dir: Path, backend: str = DEFAULT_BACKEND
) -> list[ExecutedLesson]:
    """Execute every lesson of ``source_dir`` (default: the course's) into ``out_dir/NAME.ipynb``,
    in kernels running Keras on ``backend``.

    Returns
    -------
    list of ExecutedLesson
        In course order.
    """
    import nbformat

    out_dir.mkdir(parents=True, exist_ok=True)
    executed = []
    for source in lessons.sources(source_dir):
        lesson = execute_lesson(source, workdir=out_dir, backend=backend)
        nbformat.write(lesson.notebook, out_dir / f"{lesson.name}.ipynb")
        executed.append(lesson)
    return executed


def stale_lessons(source_dir: Path | None, lessons_dir: Path) -> list[Path]:
    """The lesson sources whose executed notebook is missing or older than the source.

    Parameters
    ----------
    source_dir : Path
        Folder of the jupytext lesson sources (``lessons/``).
    lessons_dir : Path
        Folder of the executed notebooks (``build/lessons/``).

    Returns
    -------
    list of Path
        In course order.

    Examples
    --------
    >>> import os, tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> source = folder / "01_demo.py"
    >>> _ = source.write_text("")
    >>> [path.name for path in stale_lessons(folder, folder / "out")]
    ['01_demo.py']
    >>> (folder / "out").mkdir()
    >>> _ = (folder / "out" / "01_demo.ipynb").write_text("{}")
    >>> os.utime(source, (0, 0))
    >>> stale_lessons(folder, folder / "out")
    []
    """
    stale = []
    for source in lessons.sources(source_dir):
        notebook = lessons_dir / f"{source.stem}.ipynb"
        if not notebook.exists() or notebook.stat().st_mtime < source.stat().st_mtime:
            stale.append(source)
    return stale


def ensure_lessons(source_dir: Path | None, lessons_dir: Path) -> list[str]:
    """Execute the lessons whose notebook is missing or out of date; keep the others.

    Returns
    -------
    list of str
        The names of the lessons executed now (empty when all were up to date).

    Raises
    ------
    FileNotFoundError
        If ``source_dir`` holds no lesson.
    nbclient.exceptions.CellExecutionError
        If a lesson fails to execute.
    """
    if not lessons.sources(source_dir):
        raise FileNotFoundError(f"no lessons (NN_name.py) in {source_dir}")
    lessons_dir.mkdir(parents=True, exist_ok=True)
    executed = []
    for source in stale_lessons(source_dir, lessons_dir):
        import nbformat  # only now: the libraries that execute lessons load slowly

        lesson = execute_lesson(source, workdir=lessons_dir)
        nbformat.write(lesson.notebook, lessons_dir / f"{lesson.name}.ipynb")
        executed.append(lesson.name)
    return executed


def format_summary(executed: list[ExecutedLesson]) -> str:
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
    backends = {lesson.backend for lesson in executed}
    lines = (
        [f"Keras backend: {', '.join(sorted(backends))}"] if backends != {DEFAULT_BACKEND} else []
    )
    for lesson in executed:
        lines.append(f"{lesson.name}  {lesson.seconds:.1f} s")
        width = max((len(name) for name in lesson.numbers), default=0)
        for name, value in lesson.numbers.items():
            label = name.replace("_", " ")
            lines.append(f"    {label.ljust(width)}  {format_value(value)}")
        if found := read_claims(lesson.notebook):
            lines.append(f"    {claims_summary(found)}")
    lines.append(f"all lessons: {sum(lesson.seconds for lesson in executed):.1f} s")
    return "\n".join(lines)
