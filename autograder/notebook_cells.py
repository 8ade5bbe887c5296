"""A submitted notebook's cells, read without trusting any of them.

Everything in a submitted notebook is the student's: its size, its number of cells, the
type of every field of every cell, the nbgrader metadata that says which cell is which.
The functions here are the only ones that look inside a submission's cells, and each
reads a field only after checking its type: metadata that is not what nbgrader writes
counts as no metadata at all, never as an error.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import nbformat

from autograder.assignments import GRADE_ID_PREFIXES

__all__ = [
    "LOCKED_PREFIXES",
    "MAX_CELLS",
    "MAX_NOTEBOOK_BYTES",
    "code_source",
    "grade_id",
    "is_solution",
    "read_submission",
    "student_cells",
]

#: Largest notebook file read (a submitted notebook holds code, not data).
MAX_NOTEBOOK_BYTES = 32 * 2**20
#: Most cells of a notebook graded as it is; a longer one is graded from its answer
#: cells only (see :func:`autograder.grade.collect_submissions`).
MAX_CELLS = 2_000

#: Cells of the source notebook that student code never comes from.
LOCKED_PREFIXES = ("setup", "header", "task_", *GRADE_ID_PREFIXES.values())


def read_submission(path: Path) -> tuple[nbformat.NotebookNode | None, str]:
    """Read a submitted notebook: ``(notebook, "ok")``; ``(None, status)`` when it cannot
    be read; ``(cells, status)`` when only its cells could be."""
    try:
        size = os.stat(path).st_size
    except FileNotFoundError:
        return None, "missing notebook"
    if size > MAX_NOTEBOOK_BYTES:
        limit = MAX_NOTEBOOK_BYTES // 2**20
        return None, f"notebook too large ({size / 2**20:.0f} MiB; at most {limit} MiB)"
    try:
        notebook = nbformat.read(path, as_version=4)
    except Exception as error:  # any unreadable file: JSON, schema, encoding, nesting
        text = _text(str(error)).strip()
        first = (text.splitlines()[0] if text else type(error).__name__)[:120]
        try:
            notebook = _salvaged(path)
        except Exception:  # not even its cells can be read
            notebook = None
        if notebook is None:
            return None, f"invalid notebook ({first})"
        return notebook, f"damaged notebook, read cell by cell ({first})"
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        return None, "invalid notebook (no list of cells)"
    return notebook, "ok"


def _salvaged(path: Path) -> nbformat.NotebookNode | None:
    """A notebook nbformat refused (metadata of the wrong type, say) as its cells alone,
    each cell's own metadata kept only where it is a dict (else marked invalid, so that
    the structure check reports it); None if it is not JSON with a list of cells."""
    import json

    try:
        data = json.loads(Path(path).read_text())
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    cells = data.get("cells") if isinstance(data, dict) else None
    if not isinstance(cells, list):
        return None
    salvaged = []
    for cell in cells:
        if not isinstance(cell, dict) or cell.get("cell_type") not in ("code", "markdown"):
            continue
        metadata = cell.get("metadata", {})
        info = metadata.get("nbgrader") if isinstance(metadata, dict) else "invalid"
        salvaged.append(
            {
                "cell_type": cell["cell_type"],
                "source": code_source({**cell, "cell_type": "code"}) or "",
                "metadata": {} if info is None else {"nbgrader": info},
                **({"outputs": [], "execution_count": None} if cell["cell_type"] == "code" else {}),
            }
        )  # built as plain data: nbformat's validation is what refused the notebook
    return nbformat.from_dict({"nbformat": 4, "nbformat_minor": 5, "metadata": {},
                               "cells": salvaged})  # fmt: skip


def _nbgrader(cell: Any) -> dict:
    metadata = cell.get("metadata") if isinstance(cell, dict) else None
    info = metadata.get("nbgrader") if isinstance(metadata, dict) else None
    return info if isinstance(info, dict) else {}


def grade_id(cell: Any) -> str:
    """The cell's nbgrader grade id; "" when it has none, or none of the right type."""
    value = _nbgrader(cell).get("grade_id")
    return value if isinstance(value, str) else ""


def is_solution(cell: Any) -> bool:
    """Whether nbgrader metadata marks the cell as an answer cell."""
    return _nbgrader(cell).get("solution") is True


def code_source(cell: Any) -> str | None:
    """The source of a code cell, None for any other cell (or a cell that is no cell)."""
    if not isinstance(cell, dict) or cell.get("cell_type") != "code":
        return None
    source = cell.get("source", "")
    if isinstance(source, list) and all(isinstance(line, str) for line in source):
        return _text("".join(source))
    return _text(source) if isinstance(source, str) else None


def _text(text: str) -> str:
    """``text`` with what UTF-8 cannot hold (lone surrogates, from JSON escapes) as "?"."""
    return text.encode("utf-8", "replace").decode("utf-8")


def student_cells(notebook: Any) -> list[str]:
    """The student's code: every code cell but the course's locked ones (setup, tests)."""
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    sources = []
    for cell in cells if isinstance(cells, list) else []:
        source = code_source(cell)
        if source is not None and not grade_id(cell).startswith(LOCKED_PREFIXES):
            sources.append(source)
    return sources
