"""The landing page and the claims page: the course's answer, every lesson's claims and
key numbers, read from the records the executed lessons carry (never from their HTML)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from course.claims import Claim, claims_summary, read_claims
from course.key_numbers import format_value, read_key_numbers
from courseware.site import SiteError
from courseware.site.lesson_pages import lesson_title

if TYPE_CHECKING:
    import nbformat

__all__ = ["ANSWER_MARKER", "LESSONS_MARKER", "claims_page", "index_page", "table_cell"]

#: Marker lines of the landing page's text that :func:`index_page` replaces.
LESSONS_MARKER = "<!-- lessons -->"
ANSWER_MARKER = "<!-- answer -->"


def table_cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


#: How the claims page shows a verdict.
VERDICT_BADGES = {True: "{bdg-success}`supported`", False: "{bdg-danger}`not supported`"}


def _lessons_with_claims(
    notebooks: Mapping[str, nbformat.NotebookNode],
) -> dict[str, list[Claim]]:
    """Lesson name → the claims it recorded (:func:`course.claims.claims`), for each lesson
    that recorded any, in course order."""
    return {name: found for name, notebook in notebooks.items() if (found := read_claims(notebook))}


def claims_page(notebooks: Mapping[str, nbformat.NotebookNode]) -> str:
    """The results page: every lesson's claims tables and every lesson's key numbers.

    Parameters
    ----------
    notebooks : mapping of str to NotebookNode
        The executed lessons by name, in course order; any of them may carry claims.

    Raises
    ------
    SiteError
        If no lesson records any claim.
    """
    with_claims = _lessons_with_claims(notebooks)
    if not with_claims:
        raise SiteError("no lesson records claims (course.claims.claims)")
    titles = {name: lesson_title(notebook)[0] for name, notebook in notebooks.items()}
    where = ", ".join(f"[{titles[name]}](lessons/{name}.ipynb)" for name in with_claims)
    parts = [
        "# The claims table\n",
        "The learner's question, *\"we carefully extract edges with filters, then max pooling "
        'throws the pixels away — why not go straight to max pooling?"*, hides several '
        f"claims. {where} decides each claim with a rule fixed in advance, from numbers "
        "measured on the same digits with the same budget. These are the claims as the "
        "executed lessons recorded them.\n",
    ]
    for number, (name, found) in enumerate(with_claims.items(), start=1):
        rows = "\n".join(
            f"| {table_cell(c.statement)} | {table_cell(c.evidence)} | "
            f"{VERDICT_BADGES[c.supported]} |"
            for c in found
        )
        label = "claims-table" if number == 1 else f"claims-table-{number}"
        caption = table_cell(f"{claims_summary(found).capitalize()} ({titles[name]})")
        parts.append(
            f"```{{table}} {caption}\n:name: {label}\n\n"
            "| claim | number that settles it | verdict |\n|---|---|---|\n"
            f"{rows}\n```\n"
        )
    parts += [
        "## Key numbers of every lesson\n",
        "Each lesson ends by recording the numbers its text relies on "
        "(`course.key_numbers.key_numbers`); here they are, read from the executed notebooks.\n",
    ]
    for name, notebook in notebooks.items():
        lines = "\n".join(
            f"| {table_cell(key.replace('_', ' '))} | {table_cell(format_value(value))} |"
            for key, value in read_key_numbers(notebook).items()
        )
        header = "| number | value |\n|---|---|"
        parts.append(f"### [{titles[name]}](lessons/{name}.ipynb)\n\n{header}\n{lines}\n")
    return "\n".join(parts)


def index_page(template: str, notebooks: Mapping[str, nbformat.NotebookNode]) -> str:
    """The landing page: ``site/index.md`` with the lessons and the answer filled in.

    The answer quotes the key numbers of the lesson that measures the convnet against the
    pool-only models (``acc_conv_pool``, ``acc_pool_only_P``) and the claims of every lesson.

    Parameters
    ----------
    template : str
        The landing page's text, with the marker lines ``<!-- lessons -->`` and
        ``<!-- answer -->``.
    notebooks : mapping of str to NotebookNode
        The executed lessons by name, in course order.
    """
    rows = []
    for name, notebook in notebooks.items():
        title, description = lesson_title(notebook)
        rows.append(f"| [{title}](lessons/{name}.ipynb) | {table_cell(description)} |")
    lessons = "| lesson | what it does |\n|---|---|\n" + "\n".join(rows)
    measured = [
        (name, numbers)
        for name, notebook in notebooks.items()
        if "acc_conv_pool" in (numbers := read_key_numbers(notebook))
    ]
    pool_only = {  # acc_pool_only_P: MaxPooling2D(P) → Flatten → Dense
        int(match[1]): value
        for key, value in (measured[-1][1] if measured else {}).items()
        if (match := re.fullmatch(r"acc_pool_only_(\d+)", key))
    }
    with_claims = _lessons_with_claims(notebooks)
    all_claims = [c for found in with_claims.values() for c in found]
    if not pool_only or not all_claims:
        raise SiteError(
            "the landing page needs a lesson whose key numbers hold acc_conv_pool and "
            "acc_pool_only_P, and at least one lesson with claims"
        )
    name, numbers = measured[-1]
    where = ", ".join(
        f"[{lesson_title(notebooks[lesson])[0]}](lessons/{lesson}.ipynb)" for lesson in with_claims
    )
    best = max(pool_only, key=pool_only.get)
    state, settle = ("states", "settles") if len(with_claims) == 1 else ("state", "settle")
    answer = (
        f"On the same digits and the same training budget, the small convnet "
        f"(convolution, then pooling) reaches **{numbers['acc_conv_pool']:.1%}** test "
        f"accuracy; the best model that goes straight to max pooling "
        f"(pool {best}) reaches **{pool_only[best]:.1%}**. "
        f"{where} {state} the claims hidden in the question and {settle} them with rules "
        "fixed in advance: "
        f"**{claims_summary(all_claims).removeprefix('claims supported: ')}** are supported "
        "— see [the claims table](claims.md)."
    )
    if LESSONS_MARKER not in template or ANSWER_MARKER not in template:
        raise SiteError(f"site/index.md needs the lines {LESSONS_MARKER} and {ANSWER_MARKER}")
    return template.replace(LESSONS_MARKER, lessons).replace(ANSWER_MARKER, answer)
