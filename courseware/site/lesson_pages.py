"""A lesson's page of the website: its executed notebook, a download link, and numbered
captions for its figures."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from course.claims import CLAIMS_MIME
from course.key_numbers import KEY_NUMBERS_MIME
from courseware.site import CLASS, SiteError

if TYPE_CHECKING:
    import nbformat

__all__ = ["lesson_page", "lesson_title", "plain_text", "section_anchor"]


def lesson_title(notebook: nbformat.NotebookNode) -> tuple[str, str]:
    """The lesson's title (``Lesson N — Title``) and the first paragraph under it."""
    for cell in notebook.cells:
        if cell.cell_type == "markdown" and cell.source.lstrip().startswith("# "):
            lines = cell.source.strip().split("\n")
            paragraphs = "\n".join(lines[1:]).strip().split("\n\n")
            return lines[0][2:].strip(), " ".join(paragraphs[0].split())
    raise SiteError("a lesson without a '# Lesson N — Title' cell")


def section_anchor(heading: str) -> str:
    """The anchor Sphinx gives a section titled ``heading``.

    Examples
    --------
    >>> section_anchor("Padding, stride and the output size")
    'padding-stride-and-the-output-size'
    >>> section_anchor("The learner's case: 25×25 → 2×2")
    'the-learner-s-case-2525-22'
    """
    from docutils.nodes import make_id

    return make_id(re.sub(r"[`*]", "", heading))


def plain_text(markdown: str) -> str:
    """Markdown inline text without emphasis, code or link marks (for captions and titles).

    Examples
    --------
    >>> plain_text("**Max** pooling of `max_pool2d` [here](https://example.org), *twice*")
    'Max pooling of max_pool2d here, twice'
    """
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    text = re.sub(r"`([^`]*)`", r"\1", text)
    return re.sub(r"\*{1,2}(?=\S)|(?<=\S)\*{1,2}", "", text).strip()


def _figure_captions(notebook: nbformat.NotebookNode, lesson: int) -> dict[int, str]:
    """Cell index → caption for each cell whose only rich outputs are images.

    A caption is numbered within its lesson (``Figure 2.3``) and made of the heading of
    the section the figure is in and, when there is text just above the figure's cell, its
    first sentence.
    """
    captions: dict[int, str] = {}
    section, sentence, count = "", "", 0
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "markdown":
            text = cell.source.strip()
            for line in text.split("\n"):
                if line.startswith("## "):
                    section = plain_text(line[3:])
            body = [p for p in text.split("\n\n") if not p.lstrip().startswith("#")]
            first = " ".join(body[0].split()) if body else ""
            match = re.match(r"(.+?[.!?:])(\s|$)", first)
            sentence = plain_text(match.group(1) if match else first).rstrip(":") + (
                "." if match and match.group(1).endswith(":") else ""
            )
            continue
        rich = [o for o in cell.get("outputs", []) if o.output_type != "stream"]
        if rich and all("image/png" in o.get("data", {}) for o in rich):
            count += 1
            title = f"Figure {lesson}.{count}" + (f" — {section}" if section else "")
            stop = "" if title[-1] in ".?!" else "."
            captions[index] = f"**{title}{stop}** {sentence}".strip()
        sentence = ""
    return captions


def _one_figure_per_cell(cell: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    """A code cell that shows several images, split so that each image has its own cell.

    Each image after the first moves, with the outputs that follow it, into a new cell
    whose input is hidden (``remove-input``; myst-nb skips a cell without source), so that
    every figure gets its own caption. Other cells come back unchanged.
    """
    import nbformat

    images = [o for o in cell.get("outputs", []) if "image/png" in o.get("data", {})]
    if cell.cell_type != "code" or len(images) < 2:
        return [cell]
    parts = [nbformat.from_dict({**cell, "outputs": []})]
    for output in cell.outputs:
        if "image/png" in output.get("data", {}) and any(
            "image/png" in o.get("data", {}) for o in parts[-1].outputs
        ):
            parts.append(
                nbformat.v4.new_code_cell(
                    "# the cell above, continued: its next figure",
                    execution_count=cell.execution_count,
                    metadata={"tags": ["remove-input"]},
                )
            )
        parts[-1].outputs.append(output)
    return parts


def lesson_page(notebook: nbformat.NotebookNode, name: str, download: str) -> nbformat.NotebookNode:
    """The lesson's page: its executed notebook with a download link and figure captions.

    Parameters
    ----------
    notebook : NotebookNode
        The executed lesson.
    name : str
        Its name (``NN_name``).
    download : str
        Path of the executed notebook to offer for download, relative to the page.

    Raises
    ------
    SiteError
        If the notebook holds an error output or a cell that was never executed.
    """
    import nbformat

    page = nbformat.from_dict(notebook)
    for index, cell in enumerate(page.cells):
        if cell.cell_type != "code":
            continue
        if cell.execution_count is None and cell.source.strip():
            raise SiteError(f"{name}: cell {index} was never executed; run `course lessons`")
        if any(output.output_type == "error" for output in cell.outputs):
            raise SiteError(f"{name}: cell {index} raised an error; fix the lesson")
        for output in cell.outputs:  # the build's copy of the records; readers see the tables
            for mime in (KEY_NUMBERS_MIME, CLAIMS_MIME):
                output.get("data", {}).pop(mime, None)
    page.cells = [part for cell in page.cells for part in _one_figure_per_cell(cell)]
    number = int(match[0]) if (match := re.match(r"\d+", name)) else 0
    for index, caption in _figure_captions(page, number).items():
        options = page.cells[index].metadata.setdefault("mystnb", {})
        options["figure"] = {"caption": caption, "align": "center"}
        options["image"] = {"alt": plain_text(caption)}
    run_it = (
        "and run it in JupyterLab next to your assignment notebooks: its exercise cells "
        "take your own functions from them (`course.your_functions`)."
        if notebook.metadata.get("convpool", {}).get("edition") == CLASS
        else f"and open it in JupyterLab, or run its source, `lessons/{name}.py`, yourself."
    )
    note = (
        ":::{admonition} This lesson, executed\n:class: tip\n\n"
        "Every output below was computed when the lesson ran (`course lessons`). "
        f"{{download}}`Download the executed notebook <{download}>` {run_it}\n:::"
    )
    first = next(
        (i for i, c in enumerate(page.cells) if c.cell_type == "markdown"),
        -1,
    )
    page.cells.insert(first + 1, nbformat.v4.new_markdown_cell(note))
    for cell in page.cells:
        cell.pop("id", None)
    page.nbformat_minor = 4
    return page
