"""Plausible wrong implementations of the graded functions, which the tests must catch.

Each assignment's module here lists its mutants as :class:`Mutant` records: small edits
of the reference function's source, applied when the catalogue is built
(:mod:`autograder.mutation`).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

__all__ = ["Edit", "Mutant", "PatchError"]


class PatchError(ValueError):
    """A mutant's edits do not fit its reference function's source."""


@dataclass(frozen=True)
class Edit:
    """Replace ``find`` (an anchor: exact text, all ``times`` occurrences of it) by ``replace``."""

    find: str
    replace: str
    times: int = 1


@dataclass(frozen=True)
class Mutant:
    """One plausible mistake in a graded function, as edits of the reference's body.

    Attributes
    ----------
    function : str
        The graded function it gets wrong.
    mistake : str
        What it gets wrong, an identifier: the mutant is defined as ``function__mistake``.
    reason : str
        Why that is wrong, one sentence: the mutant's docstring.
    edits : tuple of Edit
        Applied in order to the reference's body (its code after the docstring), each to
        the body as the edits before it left it.
    """

    function: str
    mistake: str
    reason: str
    edits: tuple[Edit, ...]

    @property
    def name(self) -> str:
        """``function__mistake``, e.g. ``correlate2d__flipped_kernel``."""
        return f"{self.function}__{self.mistake}"

    def apply(self, reference: str) -> str:
        r'''The mutant's source: ``reference`` with the edits made and ``reason`` as docstring.

        Parameters
        ----------
        reference : str
            The source of the reference function, dedented, its ``def`` at column 0; its
            docstring, if it has one, is replaced.

        Returns
        -------
        str
            The mutant's ``def``, with the reference's name and signature.

        Raises
        ------
        PatchError
            If an edit's anchor does not occur exactly ``times`` times in the body, or the
            edits leave the body as it was.

        Examples
        --------
        >>> reference = "def double(x):\n    return 2 * x\n"
        >>> print(Mutant("double", "squares", "Squares x.", (Edit("2 * x", "x * x"),)).apply(
        ...     reference))
        def double(x):
            """Squares x."""
            return x * x
        >>> Mutant("double", "halves", "Halves x.", (Edit("x / 2", "x"),)).apply(reference)
        Traceback (most recent call last):
        ...
        autograder.mutants.PatchError: mutant double__halves: anchor 'x / 2' occurs 0 times
        in the body of double, not 1
        '''
        lines = reference.splitlines(keepends=True)
        first = ast.parse(reference).body[0].body[0]
        has_docstring = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
        head = "".join(lines[: first.lineno - 1])
        original = "".join(lines[first.end_lineno if has_docstring else first.lineno - 1 :])
        body = original
        for edit in self.edits:
            found = body.count(edit.find)
            if found != edit.times:
                raise PatchError(
                    f"mutant {self.name}: anchor {edit.find!r} occurs {found} times in the body"
                    f" of {self.function}, not {edit.times}"
                )
            body = body.replace(edit.find, edit.replace)
        if body == original:
            raise PatchError(f"mutant {self.name}: its edits leave {self.function} unchanged")
        indent = " " * first.col_offset
        return f'{head}{indent}"""{self.reason}"""\n{body}'
