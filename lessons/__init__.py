"""The course's lessons: jupytext percent-format sources, and the exercise text they hold.

The lesson files (``NN_name.py``) are text, never imported: this package exists so that
the sources ship inside the ``convpool-instructor`` wheel and are found the same way in a
source checkout and in an install (:data:`FOLDER`). The assignment notebooks and the
website both take a graded function's task from here (:func:`task_text`), so the lesson's
exercise text is the task, read by one rule.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["EXERCISE_TAG", "FOLDER", "TaskText", "exercise_names", "sources", "task_text"]

#: Where the lesson sources are: beside this file, in a checkout and in a wheel.
FOLDER = Path(__file__).resolve().parent

#: The cell tag of an exercise cell (``from solutions import NAME, ...``).
EXERCISE_TAG = "exercise"


def sources(folder: Path | str | None = None) -> list[Path]:
    """The lesson files of ``folder`` (default :data:`FOLDER`) in course order.

    Examples
    --------
    >>> [path.name for path in sources()][:2]
    ['01_hand_convolution.py', '02_hand_pooling.py']
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> for name in ("02_pooling.py", "01_filters.py", "notes.py"):
    ...     _ = (folder / name).write_text("")
    >>> [path.name for path in sources(folder)]
    ['01_filters.py', '02_pooling.py']
    """
    return sorted(Path(FOLDER if folder is None else folder).glob("[0-9][0-9]_*.py"))


def exercise_names(source: str) -> list[str]:
    """The names an exercise cell's code imports (``from solutions import a, b``).

    Examples
    --------
    >>> exercise_names("# Exercise\\nfrom solutions import (\\n    conv2d,\\n    max_pool2d,\\n)")
    ['conv2d', 'max_pool2d']
    """
    import ast

    return [
        alias.name
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ImportFrom) and node.module == "solutions"
        for alias in node.names
    ]


@dataclass(frozen=True)
class TaskText:
    """A graded function's task: the lesson's markdown cell that introduces its exercise."""

    name: str
    lesson: str
    section: str
    text: str

    @property
    def lesson_number(self) -> str:
        """``"01"`` for lesson ``01_hand_convolution``."""
        return self.lesson[:2]

    @property
    def lesson_title(self) -> str:
        """``"hand convolution"`` for lesson ``01_hand_convolution``."""
        return self.lesson.split("_", 1)[1].replace("_", " ")


def task_text(name: str, folder: Path | str | None = None, lesson: str | None = None) -> TaskText:
    """The lesson's text for the exercise on the graded function ``name``.

    The rule: the markdown cell just before the first exercise cell that imports ``name``,
    when that cell talks about `` `name` ``.

    Parameters
    ----------
    name : str
        A graded function.
    folder : Path, optional
        The lesson sources (default :data:`FOLDER`).
    lesson : str, optional
        The stem of the one lesson to look in (the registry says which); default: all.

    Raises
    ------
    LookupError
        If no lesson (or not ``lesson``) introduces ``name`` that way.

    Examples
    --------
    >>> task = task_text("max_pool2d")
    >>> task.lesson, task.section
    ('02_hand_pooling', 'Max and average pooling')
    >>> task.text.startswith("**Exercise (ps2_pooling).** Implement `max_pool2d(")
    True
    """
    import jupytext

    for path in sources(folder):
        if lesson is not None and path.stem != lesson:
            continue
        section = ""
        for before, cell in itertools.pairwise(jupytext.read(path).cells):
            for line in before.source.split("\n") if before.cell_type == "markdown" else ():
                if line.startswith("## "):
                    section = line[3:].strip()
            if EXERCISE_TAG in cell.metadata.get("tags", []) and re.search(
                rf"\b{name}\b", cell.source
            ):
                if before.cell_type == "markdown" and f"`{name}" in before.source:
                    return TaskText(name, path.stem, section, before.source.strip())
                break
    where = "no lesson has an" if lesson is None else f"lesson {lesson} has no"
    raise LookupError(f"{where} exercise on {name!r} (a cell tagged {EXERCISE_TAG!r})")
