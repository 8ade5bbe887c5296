"""Build the website: stage its pages from the executed lessons, run Sphinx, scan the result.

Staged files are rewritten only when their content changes, so Sphinx's incremental build
rebuilds only what changed: a rebuild with unchanged lessons takes seconds. The build runs
with ``-W --keep-going`` (any warning fails it) and the built pages are scanned for hidden
tests and for resources on other hosts (:func:`courseware.site.scan.scan_site`), and in
the class edition for solutions; any of them fails the build.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import lessons
from courseware import EDITIONS
from courseware.executed_lessons import ensure_lessons
from courseware.site import CLASS, SELF_STUDY, SiteError
from courseware.site.exercise_pages import exercise_page
from courseware.site.lesson_pages import lesson_page, lesson_title
from courseware.site.scan import scan_site
from courseware.site.summary_pages import claims_page, index_page

if TYPE_CHECKING:
    import nbformat

__all__ = ["SITE_PACKAGES", "SITE_SOURCES", "SiteBuild", "build_site", "stage_pages"]

#: The site's configuration, landing-page texts and static files, shipped with
#: ``courseware`` as package data.
SITE_SOURCES = Path(importlib.import_module("courseware").__file__).parent / "site_sources"
#: What ``sphinx-build`` loads (the ``site`` extra of the course's pyproject.toml).
SITE_PACKAGES = (
    "sphinx",
    "myst_nb",
    "sphinx_book_theme",
    "sphinx_copybutton",
    "sphinx_design",
    "latex2mathml",
)


@dataclass
class SiteBuild:
    """The result of :func:`build_site`."""

    path: Path
    seconds: float
    executed: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)


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
    titles = {name: lesson_title(notebook)[0] for name, notebook in notebooks.items()}
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
