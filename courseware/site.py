"""Build the self-study website: the executed course as a book (``course site``).

The site is rendered by Sphinx (myst-nb, sphinx-book-theme) from pages that this module
generates into a staging folder:

* ``index.md``: the landing page, the text of ``site/index.md`` with the lessons and the
  course's answer (from lesson 5's key numbers) filled in;
* ``lessons/NN_name.ipynb``: each lesson as executed by ``course lessons``
  (``build/lessons/*.ipynb``), never executed again here; a lesson whose notebook is
  missing or older than its source is executed first. Each page gets a link to download
  the executed notebook and captions for its figures;
* ``exercises/ASSIGNMENT.md``: per graded function, its task text from the lesson that
  introduces it and the reference solution from :mod:`solutions` (by
  :func:`inspect.getsource`), folded;
* ``claims.md``: lesson 5's claims table and every lesson's key numbers, read from the
  executed notebooks.

Staged files are rewritten only when their content changes, so Sphinx's incremental build
rebuilds only what changed: a rebuild with unchanged lessons takes seconds. The build runs
with ``-W --keep-going`` (any warning fails it) and the built pages are scanned for hidden
tests and for resources on other hosts (:func:`scan_site`); either fails the build.
"""

from __future__ import annotations

import html.parser
import importlib.util
import inspect
import json
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

import lessons
from course.key_numbers import KEY_NUMBERS_MIME, read_key_numbers
from courseware import EDITIONS
from courseware.executed_lessons import ensure_lessons
from lessons import task_text

if TYPE_CHECKING:
    import nbformat

    from autograder.assignments import Assignment

__all__ = [
    "EDITIONS",
    "HIDDEN_TEST_MARKERS",
    "SITE_PACKAGES",
    "SITE_SOURCES",
    "SiteBuild",
    "SiteError",
    "build_site",
    "claims_page",
    "exercise_page",
    "external_resources",
    "index_page",
    "lesson_page",
    "scan_site",
    "stage_pages",
]

#: The site's configuration, landing-page text and static files, shipped with this package.
SITE_SOURCES = Path(__file__).resolve().parent / "site_sources"
#: Text that only hidden tests contain: no page of the site may hold any of it.
HIDDEN_TEST_MARKERS = (
    "autograder/hidden_tests",
    "autograder.hidden_tests",
    "BEGIN HIDDEN TESTS",
    "hidden_rng",
)
#: What ``sphinx-build`` loads (the ``site`` extra of the course's pyproject.toml).
SITE_PACKAGES = (
    "sphinx",
    "myst_nb",
    "sphinx_book_theme",
    "sphinx_copybutton",
    "sphinx_design",
    "latex2mathml",
)
SELF_STUDY, CLASS = EDITIONS
#: Marker lines of ``site/index.md`` that :func:`index_page` replaces.
LESSONS_MARKER = "<!-- lessons -->"
ANSWER_MARKER = "<!-- answer -->"

_TEXT_SUFFIXES = {".html", ".js", ".css", ".txt", ".md", ".ipynb", ".json", ".py", ".svg"}


class SiteError(RuntimeError):
    """The site cannot be built: a missing tool or source, a Sphinx warning, a bad page."""


@dataclass
class SiteBuild:
    """The result of :func:`build_site`."""

    path: Path
    seconds: float
    executed: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------
# Pages.


def _lesson_title(notebook: nbformat.NotebookNode) -> tuple[str, str]:
    """The lesson's title (``Lesson N — Title``) and the first paragraph under it."""
    for cell in notebook.cells:
        if cell.cell_type == "markdown" and cell.source.lstrip().startswith("# "):
            lines = cell.source.strip().split("\n")
            paragraphs = "\n".join(lines[1:]).strip().split("\n\n")
            return lines[0][2:].strip(), " ".join(paragraphs[0].split())
    raise SiteError("a lesson without a '# Lesson N — Title' cell")


def _slug(heading: str) -> str:
    """The anchor Sphinx gives a section titled ``heading``.

    Examples
    --------
    >>> _slug("Padding, stride and the output size")
    'padding-stride-and-the-output-size'
    >>> _slug("The learner's case: 25×25 → 2×2")
    'the-learner-s-case-2525-22'
    """
    from docutils.nodes import make_id

    return make_id(re.sub(r"[`*]", "", heading))


def _plain(markdown: str) -> str:
    """Markdown inline text without emphasis, code or link marks (for captions and titles).

    Examples
    --------
    >>> _plain("**Max** pooling of `max_pool2d` [here](https://example.org), *twice*")
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
                    section = _plain(line[3:])
            body = [p for p in text.split("\n\n") if not p.lstrip().startswith("#")]
            first = " ".join(body[0].split()) if body else ""
            match = re.match(r"(.+?[.!?:])(\s|$)", first)
            sentence = _plain(match.group(1) if match else first).rstrip(":") + (
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
        for output in cell.outputs:  # the build's copy of the key numbers; readers see the table
            output.get("data", {}).pop(KEY_NUMBERS_MIME, None)
    page.cells = [part for cell in page.cells for part in _one_figure_per_cell(cell)]
    number = int(match[0]) if (match := re.match(r"\d+", name)) else 0
    for index, caption in _figure_captions(page, number).items():
        options = page.cells[index].metadata.setdefault("mystnb", {})
        options["figure"] = {"caption": caption, "align": "center"}
        options["image"] = {"alt": _plain(caption)}
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


def _fence(code: str) -> str:
    """A backtick fence longer than any run of backticks in ``code``."""
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    return "`" * max(3, longest + 1)


def _code_block(code: str, language: str = "python") -> str:
    fence = _fence(code)
    return f"{fence}{language}\n{code.rstrip()}\n{fence}"


def exercise_page(
    assignment: Assignment, lesson_titles: Mapping[str, str], edition: str = SELF_STUDY
) -> str:
    """The exercises page of one assignment (MyST markdown).

    Per graded function: the task text of the lesson that introduces it, then, folded,
    the reference solution (the function's source from :mod:`solutions`, read with
    :func:`inspect.getsource`; self-study edition only) and the visible tests that
    ``course check`` runs.

    Parameters
    ----------
    assignment : autograder.assignments.Assignment
        The assignment.
    lesson_titles : mapping of str to str
        Lesson name (``NN_name``) → title, for the links back to the lessons.
    edition : {"self-study", "class"}
        The class edition shows no solution.
    """

    from autograder.assignments import HIDDEN_POINTS, VISIBLE_POINTS
    from autograder.notebooks import setup_source, visible_test_source

    module = importlib.import_module(assignment.solution_module)
    module_file = assignment.solution_module.replace(".", "/") + ".py"
    tasks = {name: task_text(name) for name in assignment.functions}
    rows = "\n".join(
        f"| {{ref}}`{name} <task-{name}>` | "
        f"[{lesson_titles.get(task.lesson, task.lesson)}](../lessons/{task.lesson}.ipynb) | "
        f"{VISIBLE_POINTS} + {HIDDEN_POINTS} |"
        for name, task in tasks.items()
    )
    short = assignment.title.split(":")[0]
    parts = [
        f"# {assignment.name}: {short}\n",
        f"*{assignment.title}.* The graded assignment `{assignment.name}` asks for "
        f"{len(assignment.functions)} functions. Each task below is the lesson's own exercise "
        + (
            "text; the reference solution is folded under it: write your version first, then "
            "open it.\n"
            if edition == SELF_STUDY
            else "text. Write them in your assignment notebook; the lessons of this class "
            "edition then run with your own functions.\n"
        ),
        f"| function | introduced in | points (visible + hidden tests) |\n|---|---|---|\n{rows}\n",
        ":::{admonition} Check your work\n:class: note\n\n"
        f"In the graded notebook `{assignment.notebook}`, each function earns {VISIBLE_POINTS} "
        f"point from its visible tests and {HIDDEN_POINTS} from hidden tests that run only "
        "when the notebook is graded (random inputs against independent implementations). "
        "Run the visible tests yourself, as the grader will:\n\n"
        f"```bash\ncourse check {assignment.name} {assignment.notebook}\n```\n:::\n",
        "## Setup\n",
        "The assignment notebook starts with these imports; your functions may use them.\n",
        _code_block(setup_source(assignment)) + "\n",
    ]
    for name, task in tasks.items():
        lesson_link = f"../lessons/{task.lesson}.ipynb"
        where = f"[{lesson_titles.get(task.lesson, task.lesson)}]({lesson_link})"
        if task.section:
            where += f", section [{_plain(task.section)}]({lesson_link}#{_slug(task.section)})"
        # The section's heading is linked above; the text keeps its paragraphs.
        text = "\n".join(line for line in task.text.split("\n") if not line.startswith("#"))
        parts += [
            f"({f'task-{name}'})=\n## `{name}`\n",
            f"*From {where}.*\n",
            text.strip() + "\n",
            *(
                [
                    f":::{{dropdown}} Solution: `{name}`\n:class-container: solution\n"
                    f":icon: eye\n\nThe reference implementation, from `{module_file}`.\n\n"
                    f"{_code_block(inspect.getsource(getattr(module, name)))}\n:::\n"
                ]
                if edition == SELF_STUDY
                else []
            ),
            f":::{{dropdown}} Visible tests: `check_{name}`\n:class-container: visible-tests\n"
            f":icon: checklist\n\nWhat `course check` runs on your `{name}`.\n\n"
            f"{_code_block(visible_test_source(assignment, name))}\n:::\n",
        ]
    return "\n".join(parts)


class _TableParser(html.parser.HTMLParser):
    """The caption and the rows of cells of the first HTML table in a document."""

    def __init__(self) -> None:
        super().__init__()
        self.caption = ""
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None
        self._in_caption = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in {"td", "th"}:
            self._cell = []
        elif tag == "caption":
            self._in_caption = True

    def handle_endtag(self, tag: str) -> None:
        if tag in {"td", "th"} and self._cell is not None and self.rows:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "caption":
            self._in_caption = False

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        elif self._in_caption:
            self.caption += data


def _claims_table(notebook: nbformat.NotebookNode) -> tuple[str, list[list[str]]]:
    """Lesson 5's claims table, as its output shows it: caption and rows (header first)."""
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            table = output.get("data", {}).get("text/html", "")
            if isinstance(table, list):
                table = "".join(table)
            if "<caption>claims supported" in table:
                parser = _TableParser()
                parser.feed(table)
                return parser.caption.strip(), parser.rows
    raise SiteError("the last lesson shows no claims table ('claims supported: …')")


def _table_cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def claims_page(notebooks: Mapping[str, nbformat.NotebookNode]) -> str:
    """The results page: lesson 5's claims table and every lesson's key numbers.

    Parameters
    ----------
    notebooks : mapping of str to NotebookNode
        The executed lessons by name, in course order; the last one computes the claims.
    """
    names = list(notebooks)
    last = names[-1]
    caption, rows = _claims_table(notebooks[last])
    header, *body = rows
    verdicts = {
        "supported": "{bdg-success}`supported`",
        "not supported": "{bdg-danger}`not supported`",
    }
    table = "\n".join(
        ["| " + " | ".join(_table_cell(c) for c in header) + " |", "|---|---|---|"]
        + [
            f"| {_table_cell(claim)} | {_table_cell(evidence)} | "
            f"{verdicts.get(verdict, _table_cell(verdict))} |"
            for claim, evidence, verdict in body
        ]
    )
    titles = {name: _lesson_title(notebook)[0] for name, notebook in notebooks.items()}
    parts = [
        "# The claims table\n",
        "The learner's question, *\"we carefully extract edges with filters, then max pooling "
        'throws the pixels away — why not go straight to max pooling?"*, hides several '
        f"claims. [{titles[last]}](lessons/{last}.ipynb) trains a row of models on the same "
        "digits with the same budget and decides each claim with a rule fixed in advance. "
        "This is its table, as the executed lesson shows it.\n",
        f"```{{table}} {_table_cell(caption.capitalize())}\n:name: claims-table\n\n{table}\n```\n",
        "## Key numbers of every lesson\n",
        "Each lesson ends by recording the numbers its text relies on "
        "(`course.key_numbers.key_numbers`); here they are, read from the executed notebooks.\n",
    ]
    for name, notebook in notebooks.items():
        numbers = read_key_numbers(notebook)
        lines = "\n".join(
            f"| {_table_cell(key.replace('_', ' '))} | {_table_cell(_value(value))} |"
            for key, value in numbers.items()
        )
        header = "| number | value |\n|---|---|"
        parts.append(f"### [{titles[name]}](lessons/{name}.ipynb)\n\n{header}\n{lines}\n")
    return "\n".join(parts)


def index_page(template: str, notebooks: Mapping[str, nbformat.NotebookNode]) -> str:
    """The landing page: ``site/index.md`` with the lessons and the answer filled in.

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
        title, description = _lesson_title(notebook)
        rows.append(f"| [{title}](lessons/{name}.ipynb) | {_table_cell(description)} |")
    lessons = "| lesson | what it does |\n|---|---|\n" + "\n".join(rows)
    last = list(notebooks)[-1]
    numbers = read_key_numbers(notebooks[last])
    try:
        pool_only = {  # acc_pool_only_P: MaxPooling2D(P) → Flatten → Dense
            int(match[1]): value
            for key, value in numbers.items()
            if (match := re.fullmatch(r"acc_pool_only_(\d+)", key))
        }
        best = max(pool_only, key=pool_only.get)
        answer = (
            f"On the same digits and the same training budget, the small convnet "
            f"(convolution, then pooling) reaches **{numbers['acc_conv_pool']:.1%}** test "
            f"accuracy; the best model that goes straight to max pooling "
            f"(pool {best}) reaches **{pool_only[best]:.1%}**. "
            f"Lesson 5 states the claims hidden in the question and settles them with "
            f"rules fixed in advance: **{numbers['claims_supported']} of "
            f"{numbers['claims_total']}** are supported — see [the claims table](claims.md)."
        )
    except (KeyError, ValueError) as error:
        raise SiteError(
            f"lesson {last} lacks the key numbers the landing page needs: {error}"
        ) from error
    if LESSONS_MARKER not in template or ANSWER_MARKER not in template:
        raise SiteError(f"site/index.md needs the lines {LESSONS_MARKER} and {ANSWER_MARKER}")
    return template.replace(LESSONS_MARKER, lessons).replace(ANSWER_MARKER, answer)


# ---------------------------------------------------------------------------------------
# Checks of the built site.


class _ResourceParser(html.parser.HTMLParser):
    """Every URL a page loads by itself: scripts, stylesheets, images, fonts, frames."""

    LOADS: ClassVar[dict[str, tuple[str, ...]]] = {
        "script": ("src",),
        "img": ("src", "srcset"),
        "iframe": ("src",),
        "source": ("src", "srcset"),
        "video": ("src", "poster"),
        "audio": ("src",),
        "embed": ("src",),
        "object": ("data",),
        "input": ("src",),
    }

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {key: value or "" for key, value in attrs}
        if tag == "link" and values.get("rel", "") not in {"canonical", "alternate"}:
            self.urls.append(values.get("href", ""))
        for attribute in self.LOADS.get(tag, ()):
            self.urls += [part.split()[0] for part in values.get(attribute, "").split(",") if part]
        if "style" in values:
            self.urls += re.findall(r"url\(\s*['\"]?([^'\")]+)", values["style"])


_REMOTE = re.compile(r"^(https?:)?//", re.IGNORECASE)


def external_resources(page: str, suffix: str = ".html") -> list[str]:
    """The URLs on other hosts that a page or stylesheet would load (not plain links).

    Parameters
    ----------
    page : str
        An HTML page or, with ``suffix=".css"``, a stylesheet.
    suffix : str
        ``".html"`` or ``".css"``.

    Returns
    -------
    list of str
        The ``http://``, ``https://`` and ``//`` URLs of scripts, stylesheets, fonts,
        images, frames and media; links (``<a href>``) are not loaded, so not listed.

    Examples
    --------
    >>> external_resources('<script src="https://cdn.example/x.js"></script><a href="https://x">x</a>')
    ['https://cdn.example/x.js']
    >>> external_resources("@import url('//fonts.example/css');", ".css")
    ['//fonts.example/css']
    """
    if suffix == ".css":
        urls = re.findall(r"url\(\s*['\"]?([^'\")]+)", page)
        urls += re.findall(r"@import\s+['\"]([^'\"]+)", page)
    else:
        parser = _ResourceParser()
        parser.feed(page)
        urls = parser.urls
        for style in re.findall(r"<style[^>]*>(.*?)</style>", page, flags=re.DOTALL):
            urls += external_resources(style, ".css")
    return [url for url in urls if _REMOTE.match(url.strip())]


def scan_site(site: Path) -> list[str]:
    """Problems in a built site: hidden-test code anywhere, resources on other hosts.

    Parameters
    ----------
    site : Path
        The built site's folder.

    Returns
    -------
    list of str
        One line per problem (``PATH: what``); empty when the site is clean.
    """
    problems = []
    for path in sorted(site.rglob("*")):
        if not path.is_file() or path.suffix not in _TEXT_SUFFIXES:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        relative = path.relative_to(site)
        problems += [f"{relative}: {m!r}" for m in HIDDEN_TEST_MARKERS if m in text]
        if path.suffix in {".html", ".css"}:
            problems += [
                f"{relative}: loads {url}" for url in external_resources(text, path.suffix)
            ]
    return problems


# ---------------------------------------------------------------------------------------
# The build.


def _write(path: Path, text: str) -> bool:
    """Write ``text`` to ``path`` unless it already holds it (Sphinx rebuilds by mtime)."""
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True


def _read_json(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _package_folder(name: str) -> Path:
    return Path(importlib.import_module(name).__file__).parent


def _fingerprint(lessons_dir: Path, source_dir: Path) -> dict[str, list[int]]:
    """Size and modification time of every file the staged pages are made from."""
    files = [
        *(lessons_dir / f"{source.stem}.ipynb" for source in lessons.sources(source_dir)),
        *lessons.sources(source_dir),
        *SITE_SOURCES.rglob("*"),
        *(
            path
            for package in ("course", "solutions", "autograder", "courseware")
            for path in _package_folder(package).rglob("*.py")
        ),
    ]
    stats = {}
    for path in sorted(set(files)):
        if path.is_file():
            stat = path.stat()
            stats[str(path.resolve())] = [stat.st_mtime_ns, stat.st_size]
    return stats


def _prune(folder: Path, keep: Iterable[Path]) -> None:
    """Delete the files under ``folder`` that this build did not stage."""
    keep = {path.resolve() for path in keep}
    for path in sorted(folder.rglob("*"), reverse=True):
        if path.is_file() and path.resolve() not in keep:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def stage_pages(
    notebooks: Mapping[str, nbformat.NotebookNode],
    staging: Path,
    site_sources: Path,
    edition: str = SELF_STUDY,
) -> list[str]:
    """Write every page of the site into ``staging``, and delete what is staged no more.

    Parameters
    ----------
    notebooks : mapping of str to NotebookNode
        The executed lessons by name, in course order.
    staging : Path
        Sphinx's source folder; a page is rewritten only when its content changes.
    site_sources : Path
        The site's sources (:data:`SITE_SOURCES`): ``index.md`` is the landing page's text,
        ``index-class.md`` that of the class edition.
    edition : {"self-study", "class"}
        The class edition's lessons are their class edition
        (:func:`courseware.class_edition.class_lesson`) and its exercises show no solution.

    Returns
    -------
    list of str
        The pages' paths, relative to ``staging``.
    """
    import nbformat

    from autograder.assignments import ASSIGNMENTS
    from courseware.class_edition import class_lesson

    if edition == CLASS:
        notebooks = {name: class_lesson(notebook) for name, notebook in notebooks.items()}
    titles = {name: _lesson_title(notebook)[0] for name, notebook in notebooks.items()}
    landing = site_sources / ("index.md" if edition == SELF_STUDY else "index-class.md")
    pages: dict[str, str] = {
        "index.md": index_page(landing.read_text(encoding="utf-8"), notebooks),
        "claims.md": claims_page(notebooks),
    }
    for name, notebook in notebooks.items():
        pages[f"notebooks/{name}.ipynb"] = nbformat.writes(notebook)
        page = lesson_page(notebook, name, f"../notebooks/{name}.ipynb")
        pages[f"lessons/{name}.ipynb"] = nbformat.writes(page)
    for assignment in ASSIGNMENTS.values():
        pages[f"exercises/{assignment.name}.md"] = exercise_page(assignment, titles, edition)
    staging.mkdir(parents=True, exist_ok=True)
    for relative, text in pages.items():
        _write(staging / relative, text)
    _prune(staging, [staging / relative for relative in pages])
    return sorted(pages)


def build_site(
    out: Path = Path("build/site"),
    lessons_dir: Path = Path("build/lessons"),
    source_dir: Path | None = None,
    cache: Path | None = None,
    edition: str = SELF_STUDY,
) -> SiteBuild:
    """Build the website into ``out`` from the executed lessons.

    Parameters
    ----------
    out : Path
        The site's folder; open ``out/index.html``.
    lessons_dir : Path
        The executed notebooks (``course lessons``); a missing or out-of-date lesson is
        executed into it first.
    source_dir : Path, optional
        The lesson sources (default: the course's own, :data:`lessons.FOLDER`).
    cache : Path, optional
        Staged pages and Sphinx's environment (default: ``out`` with ``-cache`` appended);
        keeping it makes a rebuild with unchanged lessons fast.
    edition : {"self-study", "class"}
        ``"class"``: the class edition of the lessons, and no solution on any page.

    Returns
    -------
    SiteBuild
        Where the site is, how long the build took, which lessons were executed for it.

    Raises
    ------
    SiteError
        If Sphinx reports any warning or error, or a page holds hidden-test code or loads
        a resource from another host, or (class edition) a graded function's reference code.
    """
    if edition not in EDITIONS:
        raise ValueError(f"edition must be one of {EDITIONS}; got {edition!r}")
    start = time.perf_counter()
    out, lessons_dir = Path(out), Path(lessons_dir)
    source_dir = lessons.FOLDER if source_dir is None else Path(source_dir)
    cache = Path(cache) if cache is not None else out.with_name(out.name + "-cache")
    if not (SITE_SOURCES / "conf.py").exists():
        raise SiteError(f"{SITE_SOURCES}/conf.py is missing: build the site from a clone")
    missing = [name for name in SITE_PACKAGES if importlib.util.find_spec(name) is None]
    if missing:
        raise SiteError(
            f"the website needs {', '.join(missing)}: pip install -e '.[site]' (make setup)"
        )
    try:
        executed = ensure_lessons(source_dir, lessons_dir)
    except FileNotFoundError as error:
        raise SiteError(str(error)) from None
    staged = cache / "staged.json"
    inputs = _fingerprint(lessons_dir, source_dir)
    previous = _read_json(staged)
    if (
        isinstance(previous, dict)
        and previous.get("files") == inputs
        and previous.get("edition") == edition
        and (cache / "source").is_dir()
    ):
        pages = previous["pages"]  # nothing the pages are made from changed: keep them
    else:
        import nbformat

        notebooks = {
            source.stem: nbformat.read(lessons_dir / f"{source.stem}.ipynb", as_version=4)
            for source in lessons.sources(source_dir)
        }
        pages = stage_pages(notebooks, cache / "source", SITE_SOURCES, edition)
        record = {"files": inputs, "edition": edition, "pages": pages}
        _write(staged, json.dumps(record, indent=1))
    doctrees = cache / "doctrees"
    command = [
        sys.executable,
        "-m",
        "sphinx",
        "-W",
        "--keep-going",
        "-q",
        "-b",
        "html",
        "-c",
        str(SITE_SOURCES),
        "-d",
        str(doctrees),
        str(cache / "source"),
        str(out),
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        # Warnings are reported only when a page is read: forget the environment so that
        # the next build reads every page again and reports them again.
        shutil.rmtree(doctrees, ignore_errors=True)
        raise SiteError(
            f"sphinx-build failed (exit status {result.returncode}):\n"
            + (result.stderr or result.stdout)[-6000:]
        )
    problems = scan_site(out)
    if edition == CLASS:
        from courseware.solution_leaks import find_leaks

        leaks = [str(leak) for leak in find_leaks([out])]
        if leaks:  # a class site that holds a solution is not left behind
            shutil.rmtree(out, ignore_errors=True)
        problems += leaks
    if problems:
        raise SiteError("the built site is not clean:\n" + "\n".join(problems[:50]))
    return SiteBuild(out, time.perf_counter() - start, executed, pages)
