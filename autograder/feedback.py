"""Feedback without the hidden tests.

Stock ``nbgrader generate_feedback`` renders the autograded notebook, hidden tests and
all: a student would read the very tests meant to stay unseen. :class:`StripHiddenTests`
runs before the HTML export and removes, from every cell, the code between
``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN TESTS``, and cuts a failing hidden test's
traceback (whose frames quote the hidden code) down to its error message.
"""

from __future__ import annotations

import re

from nbformat import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor

__all__ = ["HIDDEN_NOTE", "StripHiddenTests", "strip_hidden_tests"]

BEGIN, END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
HIDDEN_NOTE = "# (hidden tests ran here; their code is not part of the feedback)"
_HIDDEN_BLOCK = re.compile(rf"^[ \t]*{BEGIN}.*?^[ \t]*{END}[ \t]*$", re.DOTALL | re.MULTILINE)


def strip_hidden_tests(source: str) -> str:
    """``source`` with each hidden-test block replaced by :data:`HIDDEN_NOTE`.

    Examples
    --------
    >>> cell = "x = 1\\n### BEGIN HIDDEN TESTS\\nsecret()\\n### END HIDDEN TESTS"
    >>> print(strip_hidden_tests(cell))
    x = 1
    # (hidden tests ran here; their code is not part of the feedback)
    """
    return _HIDDEN_BLOCK.sub(HIDDEN_NOTE, source)


class StripHiddenTests(NbGraderPreprocessor):
    """Remove hidden tests, and the tracebacks that quote them, from a notebook."""

    def preprocess_cell(
        self, cell: NotebookNode, resources: dict, index: int
    ) -> tuple[NotebookNode, dict]:
        if cell.cell_type != "code" or BEGIN not in cell.source:
            return cell, resources
        cell.source = strip_hidden_tests(cell.source)
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                output.traceback = [f"{output.ename}: {output.evalue}"]
        return cell, resources
