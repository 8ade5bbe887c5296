"""A lesson's key numbers: shown as a table, and carried inside the executed notebook.

A lesson reports the numbers that settle its claims by calling :func:`key_numbers` in its
last cell. They travel inside the executed notebook as a display output of the type
:data:`KEY_NUMBERS_MIME`, so a build summary, the website and the tests read exactly what
the reader sees (:func:`read_key_numbers`).
"""

from __future__ import annotations

import html
import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import nbformat

__all__ = [
    "KEY_NUMBERS_MIME",
    "format_value",
    "key_numbers",
    "read_key_numbers",
    "show_record",
]

#: Output type that carries a lesson's key numbers inside its executed notebook.
KEY_NUMBERS_MIME = "application/vnd.convpool-course.key-numbers+json"


def format_value(value: object) -> str:
    """A key number as the lessons show it: 3 significant digits, thousands separated.

    Examples
    --------
    >>> format_value(0.95712), format_value(34826), format_value(12345.6), format_value(True)
    ('0.957', '34,826', '12,346', 'True')
    """
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
    rows = [(name.replace("_", " "), format_value(value)) for name, value in numbers.items()]
    width = max(len(name) for name, _ in rows)
    text = "\n".join(f"{name.ljust(width)}  {value}" for name, value in rows)
    table = "".join(
        f"<tr><th align='left'>{html.escape(name)}</th><td>{html.escape(value)}</td></tr>"
        for name, value in rows
    )
    html_table = f"<table><caption>Key numbers</caption>{table}</table>"
    show_record(KEY_NUMBERS_MIME, numbers, text, html_table)


def show_record(mime: str, data: object, text: str, html_table: str) -> None:
    """Display ``data`` as an output of type ``mime`` with its text and HTML forms (in a
    notebook), or print ``text`` (elsewhere). ``data`` must be plain JSON data."""
    from IPython import get_ipython
    from IPython.display import display

    if get_ipython() is None:
        print(text)
    else:
        bundle = {mime: json.loads(json.dumps(data)), "text/plain": text, "text/html": html_table}
        display(bundle, raw=True)


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
