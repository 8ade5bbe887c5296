"""Checks of a built website: no hidden-test code on any page, no resource loaded from
another host."""

from __future__ import annotations

import html.parser
import re
from pathlib import Path
from typing import ClassVar

__all__ = ["HIDDEN_TEST_MARKERS", "external_resources", "scan_site"]

#: Text that only hidden tests contain: no page of the site may hold any of it.
HIDDEN_TEST_MARKERS = (
    "autograder/hidden_tests",
    "autograder.hidden_tests",
    "BEGIN HIDDEN TESTS",
    "hidden_rng",
)
#: What ``sphinx-build`` loads (the ``site`` extra of the course's pyproject.toml).

_TEXT_SUFFIXES = {".html", ".js", ".css", ".txt", ".md", ".ipynb", ".json", ".py", ".svg"}


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
