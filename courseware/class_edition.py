"""The class edition of the lessons: what a graded class hands out (``course build``).

Each lesson of the class edition is its executed notebook, outputs kept — so the story
reads complete before a student has written anything — with every exercise cell
(``from solutions import NAME, ...``) replaced by cells that take the student's own
functions from their assignment notebooks (:func:`course.your_functions.your_function`).
Run with the student's notebooks beside it, the lesson recomputes everything with their
code; a function not written yet stops it with one line naming the function and the
assignment. No reference code is left in it: the build checks (:mod:`courseware.solution_leaks`).
"""

from __future__ import annotations

import ast
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import lessons
from autograder.assignments import GRADED_FUNCTIONS
from courseware.executed_lessons import ensure_lessons
from courseware.solution_leaks import find_leaks

if TYPE_CHECKING:
    import nbformat

__all__ = ["ClassEdition", "class_lesson", "exercise_cell_source", "write_class_edition"]

#: Which assignment grades each graded function.
ASSIGNMENT_OF = {function.name: function.assignment for function in GRADED_FUNCTIONS}

#: Notebook metadata that marks a lesson of the class edition.
EDITION_METADATA = {"convpool": {"edition": "class"}}


class LeakError(RuntimeError):
    """A class-edition file holds reference code."""


@dataclass
class ClassEdition:
    """What :func:`write_class_edition` wrote."""

    folder: Path
    lessons: list[Path] = field(default_factory=list)
    executed: list[str] = field(default_factory=list)


def _imports(source: str) -> list[tuple[str, str]]:
    """(graded name, name it is bound to) for each name an exercise cell imports."""
    pairs = []
    for node in ast.parse(source).body:
        if not (
            isinstance(node, ast.ImportFrom) and node.module == "solutions" and node.level == 0
        ):
            raise ValueError(
                "an exercise cell must hold only comments and `from solutions import ...`; "
                f"found {ast.unparse(node)!r}"
            )
        pairs += [(alias.name, alias.asname or alias.name) for alias in node.names]
    return pairs


def exercise_cell_source(source: str, assignment_of: Mapping[str, str] = ASSIGNMENT_OF) -> str:
    """An exercise cell's code for the class edition: its comment lines (the exercise),
    then the student's own functions in place of ``from solutions import ...``.

    Raises
    ------
    ValueError
        If the cell holds anything but comments and imports of graded functions.

    Examples
    --------
    >>> cell = "# Exercise (ps1_filters): conv2d.\\nfrom solutions import conv2d"
    >>> print(exercise_cell_source(cell))
    # Exercise (ps1_filters): conv2d.
    # Your own function, from your assignment notebook (see course.your_functions).
    from course.your_functions import your_function
    <BLANKLINE>
    conv2d = your_function("ps1_filters", "conv2d")
    """
    pairs = _imports(source)
    unknown = [name for name, _ in pairs if name not in assignment_of]
    if unknown or not pairs:
        raise ValueError(f"an exercise cell must import graded functions only; got {pairs}")
    comments = [line for line in source.split("\n") if line.startswith("#")]
    plural = (
        "s, from your assignment notebooks" if len(pairs) > 1 else ", from your assignment notebook"
    )
    lines = [
        *comments,
        f"# Your own function{plural} (see course.your_functions).",
        "from course.your_functions import your_function",
        "",
        *(f'{bound} = your_function("{assignment_of[name]}", "{name}")' for name, bound in pairs),
    ]
    return "\n".join(lines)


def class_lesson(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The class edition of one executed lesson (a copy; outputs kept).

    Raises
    ------
    ValueError
        If a cell that is not tagged as an exercise imports :mod:`solutions`, or an exercise
        cell holds anything else.
    """
    import nbformat

    lesson = nbformat.from_dict(notebook)
    for number, cell in enumerate(lesson.cells, 1):
        if cell.cell_type != "code":
            continue
        if lessons.EXERCISE_TAG in cell.metadata.get("tags", []):
            cell.source = exercise_cell_source(cell.source)
        elif "solutions" in cell.source and _names_solutions(cell.source):
            raise ValueError(
                f"cell {number} imports solutions but is not tagged {lessons.EXERCISE_TAG!r}"
            )
    lesson.metadata.update(EDITION_METADATA)
    return lesson


def _names_solutions(source: str) -> bool:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return True  # unreadable: refuse rather than hand it out
    return any(
        (isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "solutions")
        or (
            isinstance(node, ast.Import)
            and any(a.name.split(".")[0] == "solutions" for a in node.names)
        )
        for node in ast.walk(tree)
    )


def write_class_edition(
    executed_dir: Path, out_dir: Path, source_dir: Path | None = None
) -> ClassEdition:
    """Write the class edition of every lesson into ``out_dir/NAME.ipynb``.

    Parameters
    ----------
    executed_dir : Path
        The executed lessons (``course lessons``); missing or out-of-date ones are executed
        into it first.
    out_dir : Path
        Where the class edition goes (``course build`` uses ``ROOT/release/lessons``).
    source_dir : Path, optional
        The lesson sources (default: the course's).

    Raises
    ------
    LeakError
        If a notebook would hold a graded function's reference code; nothing is written.
    """
    import nbformat

    edition = ClassEdition(Path(out_dir), executed=ensure_lessons(source_dir, executed_dir))
    staging = edition.folder.with_name(f".{edition.folder.name}-staging")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for source in lessons.sources(source_dir):
        executed = nbformat.read(executed_dir / f"{source.stem}.ipynb", as_version=4)
        nbformat.write(class_lesson(executed), staging / f"{source.stem}.ipynb")
    leaks = find_leaks([staging])
    if leaks:
        shutil.rmtree(staging)
        raise LeakError("the class edition would hand out solutions: " + "; ".join(map(str, leaks)))
    # Only what was checked is left: the staged folder replaces the old one whole.
    shutil.rmtree(edition.folder, ignore_errors=True)
    staging.rename(edition.folder)
    edition.lessons = sorted(edition.folder.glob("*.ipynb"))
    return edition
