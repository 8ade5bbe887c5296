"""``course check``: a student runs the visible tests of an assignment notebook.

The notebook is executed from the top in a fresh kernel, as the grader will, with
errors allowed; each graded function's visible-test cell then says pass or fail, with the
first line of its error. The hidden-test cells hold no tests until the notebook is
graded; their points are listed as still to come. Which cell tests which function, the
notebook's metadata says (:data:`GRADED_CELLS_METADATA`, written by the instructor's
notebook builder).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import nbformat

__all__ = [
    "GRADED_CELLS_METADATA",
    "HIDDEN",
    "VISIBLE",
    "CheckedFunction",
    "check_notebook",
    "find_notebook",
    "format_report",
]

#: The notebook metadata key that maps each graded cell's nbgrader grade id to
#: ``{"function": NAME, "kind": VISIBLE or HIDDEN}``.
GRADED_CELLS_METADATA = "course_graded_cells"
#: The two kinds of graded cell of a function: its visible tests and its hidden tests.
VISIBLE, HIDDEN = "visible", "hidden"
#: Seconds one cell may run, here and when nbgrader grades the notebook (ps3 trains a
#: small convnet): the instructor's course configuration reads it from here.
CELL_TIMEOUT = 300


@dataclass(frozen=True)
class CheckedFunction:
    """The visible-test result of one graded function."""

    name: str
    passed: bool
    points: float
    max_points: float
    hidden_points: float
    message: str


def find_notebook(assignment: str, folder: Path = Path()) -> Path:
    """The notebook of ``assignment`` in ``folder``: ``ps1.ipynb`` or ``ps1_*.ipynb``.

    Raises
    ------
    FileNotFoundError
        Naming the folder and the names tried.
    """
    candidates = sorted(
        {*folder.glob(f"{assignment}.ipynb"), *folder.glob(f"{assignment}_*.ipynb")}
    )
    if len(candidates) != 1:
        found = ", ".join(p.name for p in candidates) or "none"
        raise FileNotFoundError(
            f"expected one notebook {assignment}.ipynb or {assignment}_*.ipynb in "
            f"{folder.resolve()}; found {found}. Pass the notebook's path: "
            f"course check {assignment} PATH"
        )
    return candidates[0]


def _error_message(cell: nbformat.NotebookNode) -> str:
    for output in cell.get("outputs", []):
        if output.output_type == "error":
            return f"{output.ename}: {output.evalue}".strip()
        if output.output_type == "stream" and output.name == "stderr":
            return (
                "wrote to stderr (the grader counts that as a failure): "
                + (output.text.strip().splitlines() or [""])[0]
            )
    return ""


def check_notebook(path: Path) -> list[CheckedFunction]:
    """Execute the notebook at ``path`` and report each graded function's visible tests.

    Raises
    ------
    ValueError
        If the notebook has no visible-test cells (not an assignment notebook).
    """
    import nbclient

    from course.jupyter_kernels import EncryptedKernelManager

    notebook = nbformat.read(path, as_version=4)
    graded = {
        cell.metadata["nbgrader"]["grade_id"]: cell
        for cell in notebook.cells
        if cell.metadata.get("nbgrader", {}).get("grade")
    }
    roles = notebook.metadata.get(GRADED_CELLS_METADATA)
    cells: dict[str, dict[str, nbformat.NotebookNode]] = {}
    for grade_id, role in roles.items() if isinstance(roles, dict) else ():
        if grade_id in graded and isinstance(role, dict) and role.get("kind") in (VISIBLE, HIDDEN):
            cells.setdefault(str(role.get("function")), {})[role["kind"]] = graded[grade_id]
    names = [name for name, kinds in cells.items() if VISIBLE in kinds]
    if not names:
        raise ValueError(f"{path} has no visible-test cells: is it an assignment notebook?")
    nbclient.NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT,
        allow_errors=True,
        kernel_name="python3",
        kernel_manager_class=EncryptedKernelManager,
        resources={"metadata": {"path": str(Path(path).resolve().parent)}},
    ).execute()
    results = []
    for name in names:
        cell = cells[name][VISIBLE]
        message = _error_message(cell)
        points = float(cell.metadata["nbgrader"]["points"])
        hidden = cells[name].get(HIDDEN)
        results.append(
            CheckedFunction(
                name,
                passed=not message,
                points=0.0 if message else points,
                max_points=points,
                hidden_points=float(hidden.metadata["nbgrader"]["points"]) if hidden else 0.0,
                message=message,
            )
        )
    return results


def format_report(path: Path, results: list[CheckedFunction]) -> str:
    """A table: function, pass/FAIL, visible points, hidden points to come, message.

    Examples
    --------
    >>> rows = [CheckedFunction("f", True, 1, 1, 2, ""),
    ...         CheckedFunction("g", False, 0, 1, 2, "AssertionError: g(x): expected 1, got 2")]
    >>> print(format_report(Path("ps1.ipynb"), rows))
    visible tests of ps1.ipynb
    function  result  points  hidden  message
    f         pass    1/1     2
    g         FAIL    0/1     2       AssertionError: g(x): expected 1, got 2
    visible tests: 1/2 points; hidden tests (4 points) run when your notebook is graded
    """
    header = ("function", "result", "points", "hidden", "message")
    rows = [
        (
            r.name,
            "pass" if r.passed else "FAIL",
            f"{r.points:g}/{r.max_points:g}",
            f"{r.hidden_points:g}",
            " ".join(r.message.split()),
        )
        for r in results
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(4)]
    lines = [f"visible tests of {path}"]
    for row in [header, *rows]:
        lines.append(
            "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False)) + "  " + row[4]
        )
    earned = sum(r.points for r in results)
    total = sum(r.max_points for r in results)
    hidden = sum(r.hidden_points for r in results)
    lines.append(
        f"visible tests: {earned:g}/{total:g} points; hidden tests ({hidden:g} points) run "
        "when your notebook is graded"
    )
    return "\n".join(line.rstrip() for line in lines)
