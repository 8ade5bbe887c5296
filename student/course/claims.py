"""A lesson's claims and their computed verdicts: shown as a table, carried as data.

A lesson that settles claims calls :func:`claims` with one :class:`Claim` per claim — the
statement, the number that decides it and the verdict its rule computed. Like the key
numbers (:mod:`course.key_numbers`), they travel inside the executed notebook as a
display output of their own type, :data:`CLAIMS_MIME`, so the build summary, the website
and the tests read exactly what the reader sees (:func:`read_claims`), never the HTML.
Any lesson may carry claims; :func:`format_claims` is the one way they are written out.
"""

from __future__ import annotations

import html
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from course.key_numbers import show_record

if TYPE_CHECKING:
    import nbformat

__all__ = ["CLAIMS_MIME", "Claim", "claims", "claims_summary", "format_claims", "read_claims"]

#: Output type that carries a lesson's claims inside its executed notebook.
CLAIMS_MIME = "application/vnd.convpool-course.claims+json"


@dataclass(frozen=True)
class Claim:
    """One claim: what it says, the number that settles it, and the computed verdict."""

    statement: str
    evidence: str
    supported: bool

    @property
    def verdict(self) -> str:
        return "supported" if self.supported else "not supported"


def claims_summary(rows: list[Claim]) -> str:
    """``"claims supported: 5 of 6"``.

    >>> claims_summary([Claim("a", "1", True), Claim("b", "2", False)])
    'claims supported: 1 of 2'
    """
    return f"claims supported: {sum(c.supported for c in rows)} of {len(rows)}"


def format_claims(rows: list[Claim]) -> str:
    """The claims as numbered plain text, with the summary line last.

    Examples
    --------
    >>> print(format_claims([Claim("Pooling helps", "0.98 vs 0.91", True)]))
    1. Pooling helps
       0.98 vs 0.91
       → supported
    claims supported: 1 of 1
    """
    lines = [
        f"{i}. {c.statement}\n   {c.evidence}\n   → {c.verdict}"
        for i, c in enumerate(rows, start=1)
    ]
    return "\n".join([*lines, claims_summary(rows)])


def claims(*rows: Claim) -> None:
    """Show the claims as a table and record them for the build summary and the website.

    Parameters
    ----------
    *rows : Claim
        The claims, in the order the lesson states them.

    Raises
    ------
    TypeError
        If a row is not a :class:`Claim` or its verdict is not a bool.

    Examples
    --------
    Outside a notebook the claims are printed:

    >>> claims(Claim("Edges survive pooling", "9,000 vs 4,000 distinct", True))
    1. Edges survive pooling
       9,000 vs 4,000 distinct
       → supported
    claims supported: 1 of 1
    """
    for row in rows:
        if not isinstance(row, Claim) or not isinstance(row.supported, bool):
            raise TypeError(f"rows must be Claim objects with a bool verdict; got {row!r}")
    cells = "".join(
        "<tr>"
        + "".join(f"<td>{html.escape(x)}</td>" for x in (c.statement, c.evidence, c.verdict))
        + "</tr>"
        for c in rows
    )
    header = "<tr><th>claim</th><th>number that settles it</th><th>verdict</th></tr>"
    show_record(
        CLAIMS_MIME,
        [asdict(c) for c in rows],
        format_claims(list(rows)),
        f"<table><caption>{claims_summary(list(rows))}</caption>{header}{cells}</table>",
    )


def read_claims(notebook: nbformat.NotebookNode) -> list[Claim]:
    """The claims an executed lesson recorded with :func:`claims` (none: an empty list).

    Examples
    --------
    >>> import nbformat
    >>> data = {CLAIMS_MIME: [{"statement": "s", "evidence": "e", "supported": True}]}
    >>> cell = nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output(
    ...     "display_data", data={**data, "text/plain": ""})])
    >>> read_claims(nbformat.v4.new_notebook(cells=[cell]))
    [Claim(statement='s', evidence='e', supported=True)]
    """
    found = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            for row in output.get("data", {}).get(CLAIMS_MIME, []):
                found.append(
                    Claim(str(row["statement"]), str(row["evidence"]), bool(row["supported"]))
                )
    return found
