"""The self-study website: built once by `course site`, then read in a real browser.

The site is built into a temporary folder from the executed lessons of `build/lessons`
(`course site` executes there the lessons that are missing or out of date, so a fresh
clone pays for them once and `make test` after `make demo` not at all). It is served on
127.0.0.1 and every page is loaded once in headless Debian Chromium (Playwright, never a
downloaded browser); the tests read that crawl, click a folded solution, search, and save
screenshots to `build/site-screenshots/`.
"""

from __future__ import annotations

import functools
import html
import http.server
import inspect
import json
import re
import shutil
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import jupytext
import nbformat
import pytest

import lessons
import solutions
from autograder.assignments import ASSIGNMENTS, graded_function
from autograder.notebooks import task_cell_source
from course.claims import read_claims
from course.key_numbers import read_key_numbers
from courseware.site import SiteError
from courseware.site.build import build_site
from courseware.site.lesson_pages import lesson_page
from courseware.site.scan import HIDDEN_TEST_MARKERS, scan_site
from lessons import task_text

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "build" / "site-screenshots"
LESSONS = [path.stem for path in lessons.sources()]
PAGES = [
    "index.html",
    *(f"lessons/{name}.html" for name in LESSONS),
    *(f"exercises/{name}.html" for name in ASSIGNMENTS),
    "claims.html",
    "search.html",
    "genindex.html",
]
GRADED = [(a.name, name) for a in ASSIGNMENTS.values() for name in a.functions]


# ---------------------------------------------------------------------------------------
# Fixtures: the built site, a local server, the browser, one crawl of every page.


@dataclass(frozen=True)
class BuiltSite:
    path: Path
    lessons: Path
    stdout: str


@pytest.fixture(scope="module")
def lessons_dir() -> Path:
    """build/lessons, as `make lessons` or `make demo` left it; `course site` executes the
    lessons missing or older than their source into it (about 75 s for all five)."""
    return ROOT / "build" / "lessons"


@pytest.fixture(scope="module")
def site(tmp_path_factory, lessons_dir) -> BuiltSite:
    """`course site` run once, in a real subprocess, into a temporary folder."""
    out = tmp_path_factory.mktemp("website") / "site"
    command = [sys.executable, "-m", "course.cli", "site", "--out", str(out)]
    command += ["--lessons", str(lessons_dir)]
    result = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=1200, check=False
    )
    assert result.returncode == 0, result.stderr[-5000:] + result.stdout[-2000:]
    return BuiltSite(out, lessons_dir, result.stdout)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server(site) -> Iterator[str]:
    """The site served over HTTP on 127.0.0.1 (a free port), from a thread."""
    handler = functools.partial(_QuietHandler, directory=str(site.path))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium driven by Playwright. Missing chromium fails, never skips."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the website tests need Debian's chromium. Install it with "
            "`apt-get install -y --no-install-recommends chromium` (CI does so in .ci/run); "
            "never `playwright install`."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM))
        yield chromium
        chromium.close()


@dataclass
class PageVisit:
    """What loading one page in the browser showed."""

    url: str
    status: int | None = None
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    broken_images: list[str] = field(default_factory=list)
    images: int = 0
    links: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    copy_buttons: int = 0
    toc_links: int = 0
    nav_links: list[str] = field(default_factory=list)


IMAGES_JS = """() => Array.from(document.images).map(i => [i.currentSrc || i.src,
    i.complete && i.naturalWidth > 0])"""


@pytest.fixture(scope="module")
def crawl(site, server, browser) -> dict[str, PageVisit]:
    """Every page loaded once in the browser, with what it logged, requested and holds."""
    visits = {}
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    for path in PAGES:
        visit = PageVisit(urljoin(server, path))
        page = context.new_page()
        page.on(
            "console",
            lambda message, v=visit: (
                message.type == "error"
                and v.console_errors.append(f"{message.text} ({message.location.get('url', '')})")
            ),
        )
        page.on("pageerror", lambda error, v=visit: v.console_errors.append(str(error)))
        page.on("request", lambda request, v=visit: v.requests.append(request.url))
        page.on(
            "requestfailed",
            lambda request, v=visit: v.failed_requests.append(f"{request.url}: {request.failure}"),
        )
        page.on(
            "response",
            lambda response, v=visit: (
                response.status >= 400
                and v.failed_requests.append(f"{response.url}: HTTP {response.status}")
            ),
        )
        response = page.goto(visit.url, wait_until="load")
        visit.status = response.status if response else None
        page.wait_for_load_state("networkidle")
        page.wait_for_function("Array.from(document.images).every(i => i.complete)")
        images = page.evaluate(IMAGES_JS)
        visit.images = len(images)
        visit.broken_images = [src for src, loaded in images if not loaded]
        visit.links = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
        visit.ids = set(page.eval_on_selector_all("[id]", "nodes => nodes.map(n => n.id)"))
        visit.copy_buttons = page.locator("button.copybtn").count()
        visit.toc_links = page.locator("#pst-page-toc-nav a").count()
        visit.nav_links = page.eval_on_selector_all(
            ".bd-sidebar-primary nav a[href]", "links => links.map(a => a.href)"
        )
        page.close()
        visits[path] = visit
    context.close()
    return visits


def _html(site: BuiltSite, path: str) -> str:
    return (site.path / path).read_text(encoding="utf-8")


def _text(fragment: str) -> str:
    """Visible text of an HTML fragment (tags dropped, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


# ---------------------------------------------------------------------------------------
# The build.


def test_course_site_prints_path_and_time(site):
    """`course site` reports where the site is and how long the build took."""
    assert re.search(r"website built in \d+\.\d s: .*index\.html", site.stdout), site.stdout
    assert str(site.path / "index.html") in site.stdout


def test_site_has_every_page(site):
    """A landing page, one page per lesson and per assignment, the claims table, search."""
    built = {
        p.relative_to(site.path).as_posix()
        for p in site.path.rglob("*.html")
        if not p.relative_to(site.path).parts[0].startswith("_")
    }
    assert built == set(PAGES)


def test_rebuild_with_unchanged_lessons_rewrites_nothing(site, lessons_dir):
    """A second build with the same lessons executes nothing and rewrites no page (Sphinx
    regenerates only its own search and index pages)."""
    content = [path for path in PAGES if path not in {"search.html", "genindex.html"}]
    pages = {path: (site.path / path).stat().st_mtime_ns for path in content}
    rebuild = build_site(site.path, lessons_dir=lessons_dir, source_dir=ROOT / "lessons")
    assert rebuild.executed == []
    assert {path: (site.path / path).stat().st_mtime_ns for path in content} == pages


def test_no_page_contains_hidden_test_code(site):
    """No file of the site — pages, sources, downloads, search index — holds hidden tests."""
    for path in site.path.rglob("*"):
        if path.is_file() and path.suffix not in {".png", ".woff", ".woff2", ".ttf", ".ico"}:
            text = path.read_text(encoding="utf-8", errors="replace")
            for marker in (*HIDDEN_TEST_MARKERS, "check_hidden", "### BEGIN HIDDEN"):
                assert marker not in text, f"{path.relative_to(site.path)} holds {marker!r}"


EXTERNAL_HTML = re.compile(
    r"<(?:script|link|img|iframe|source|video|audio|embed)\b[^>]*?\s(?:src|href|srcset)\s*=\s*"
    r"[\"']?\s*(?:https?:)?//",
    re.IGNORECASE,
)
EXTERNAL_CSS = re.compile(r"(?:url\(\s*[\"']?|@import\s+[\"'])\s*(?:https?:)?//", re.IGNORECASE)


def test_no_page_references_external_resources(site):
    """No page or stylesheet loads anything (script, style, font, image) from another host."""
    for path in site.path.rglob("*"):
        if path.suffix in {".html", ".css", ".js"}:
            text = path.read_text(encoding="utf-8", errors="replace")
            where = path.relative_to(site.path)
            if path.suffix == ".html":
                assert not EXTERNAL_HTML.search(text), f"{where}: {EXTERNAL_HTML.search(text)}"
            if path.suffix in {".html", ".css"}:
                assert not EXTERNAL_CSS.search(text), f"{where}: {EXTERNAL_CSS.search(text)}"
            if path.suffix == ".js":  # no CDN MathJax, no web-font loader
                assert not re.search(r"cdn\.jsdelivr|mathjax@|fonts\.googleapis", text), where


# ---------------------------------------------------------------------------------------
# Every page in the browser.


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_cleanly(crawl, path):
    """HTTP 200, no console errors, no failed requests, nothing requested from elsewhere."""
    visit = crawl[path]
    assert visit.status == 200
    assert visit.console_errors == []
    assert visit.failed_requests == []
    elsewhere = [url for url in visit.requests if urlsplit(url).hostname != "127.0.0.1"]
    assert elsewhere == [], f"requests to other hosts: {elsewhere}"


@pytest.mark.parametrize("path", PAGES)
def test_every_image_loads(crawl, path):
    """Every image has loaded (naturalWidth > 0); each lesson shows figures."""
    visit = crawl[path]
    assert visit.broken_images == []
    if path.startswith("lessons/"):
        assert visit.images >= 2


def test_every_internal_link_resolves(crawl, server):
    """Every link to the site itself answers 200, and every #anchor names an element."""
    ids = {visit.url: visit.ids for visit in crawl.values()}
    checked: dict[str, int] = {}
    problems = []
    links = {(path, link) for path, visit in crawl.items() for link in visit.links}
    for path, link in sorted(links):
        if not link.startswith(server):
            continue
        target, fragment = urldefrag(link)
        target = target.split("?")[0]
        if target not in checked:
            try:
                with urllib.request.urlopen(target, timeout=30) as response:
                    checked[target] = response.status
                    body = response.read()
            except urllib.error.HTTPError as error:
                checked[target] = error.code
                body = b""
            if target.endswith(".html") and target not in ids:
                ids[target] = set(re.findall(r'\bid="([^"]+)"', body.decode("utf-8", "replace")))
        if checked[target] != 200:
            problems.append(f"{path}: {link} → HTTP {checked[target]}")
        elif fragment and fragment not in ids.get(target, set()):
            problems.append(f"{path}: {link} → no element with id {fragment!r}")
    assert len(checked) > len(PAGES)
    assert problems == []


def test_navigation_toc_and_copy_buttons(crawl):
    """The sidebar reaches every lesson and exercise page; lessons have an in-page table of
    contents and copy buttons on their code cells."""
    nav = {urlsplit(link).path.lstrip("/") for link in crawl["index.html"].nav_links}
    expected = {p for p in PAGES if p.startswith(("lessons/", "exercises/"))} | {"claims.html"}
    assert expected <= nav
    for name in LESSONS:
        visit = crawl[f"lessons/{name}.html"]
        assert visit.toc_links >= 4, name
        assert visit.copy_buttons >= 5, name


# ---------------------------------------------------------------------------------------
# What the pages say.


def test_landing_page(site):
    """The question the course answers, who it is for, how to run it, and its answer."""
    text = " ".join(_text(_html(site, "index.html")).split())
    assert "why not go straight to max pooling?" in text
    assert "Who it is for" in text
    assert "Run it locally" in text
    assert "make site" in text
    numbers = read_key_numbers(nbformat.read(site.lessons / f"{LESSONS[-1]}.ipynb", 4))
    assert f"{numbers['acc_conv_pool']:.1%}" in text
    assert f"{numbers['claims_supported']} of {numbers['claims_total']}" in text


@pytest.mark.parametrize("name", LESSONS)
def test_lesson_page(site, name):
    """Executed outputs, captioned figures, and the executed notebook for download."""
    page = _html(site, f"lessons/{name}.html")
    executed = nbformat.read(site.lessons / f"{name}.ipynb", as_version=4)
    printed = [
        o.text.strip().split("\n")[0]
        for cell in executed.cells
        for o in cell.get("outputs", [])
        if o.output_type == "stream" and o.text.strip()
    ]
    text = html.unescape(page)
    assert all(line in text for line in printed[:3]), printed[:3]
    captions = re.findall(r"<figcaption>(.*?)</figcaption>", page, flags=re.DOTALL)
    number = int(name[:2])
    assert captions
    assert all(f"Figure {number}." in _text(c) for c in captions)
    download = re.search(r'href="(\.\./_downloads/[^"]+\.ipynb)"', page)
    assert download, "no download link to the executed notebook"
    notebook = nbformat.reads(
        (site.path / "lessons" / download.group(1)).read_text(encoding="utf-8"), as_version=4
    )
    assert notebook == executed


def test_output_size_formula_is_rendered_math(site):
    """Lesson 1's formulas are MathML, rendered at build time (no MathJax script)."""
    page = _html(site, f"lessons/{LESSONS[0]}.html")
    assert '<math display="block">' in page
    assert page.count("<math") >= 10
    assert "&#x02308;" in page  # ⌈ of the "same" output size ⌈n/s⌉
    scripts = re.findall(r"<script[^>]*>", page)
    assert not [s for s in scripts if "mathjax" in s.lower()]


@pytest.mark.parametrize(("assignment", "name"), GRADED)
def test_exercise_task_comes_from_the_lesson(site, assignment, name):
    """The task text is the lesson's, as the assignment notebook shows it."""
    task = task_text(name)
    demoted = re.sub(r"^(#+) ", r"###\1 ", task.text, flags=re.MULTILINE)
    assert demoted in task_cell_source(graded_function(name))
    source = jupytext.read(ROOT / "lessons" / f"{task.lesson}.py")
    assert any(cell.source.strip() == task.text for cell in source.cells)
    page = " ".join(_text(_html(site, f"exercises/{assignment}.html")).split())
    exercise = next(p for p in task.text.split("\n\n") if f"`{name}" in p)
    exercise = re.sub(r"^\s*[-*] ", "", exercise, flags=re.MULTILINE)  # list items
    words = " ".join(_text(re.sub(r"[`*]|\$[^$]*\$", "", exercise)).split())[:60]
    assert words in page.replace("`", ""), words


@pytest.mark.parametrize(("assignment", "name"), GRADED)
def test_exercise_solution_is_the_reference_source_folded(site, assignment, name):
    """The folded solution is `inspect.getsource` of the reference function."""
    page = _html(site, f"exercises/{assignment}.html")
    folds = re.findall(
        r'<details class="[^"]*\bsolution\b[^"]*">(.*?)</details>', page, flags=re.DOTALL
    )
    shown = [_text(re.search(r"<pre>(.*?)</pre>", f, re.DOTALL).group(1)) for f in folds]
    source = inspect.getsource(getattr(solutions, name))
    assert source.rstrip() in [s.rstrip() for s in shown]


def test_folded_solution_opens_on_click(server, browser):
    """A solution is closed until its summary is clicked; then its code shows."""
    page = browser.new_page()
    page.goto(urljoin(server, f"exercises/{next(iter(ASSIGNMENTS))}.html"))
    fold = page.locator("details.solution").first
    code = fold.locator("pre")
    assert fold.get_attribute("open") is None
    assert not code.is_visible()
    fold.locator("summary").click()
    code.wait_for(state="visible")
    assert fold.get_attribute("open") is not None
    assert "def correlate2d(" in code.inner_text()
    page.close()


def test_search_finds_max_pooling(server, browser):
    """Sphinx's search page, offline, finds lessons for "max pooling"."""
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(urljoin(server, "search.html?q=max+pooling"))
    results = page.locator("#search-results ul.search li")
    results.first.wait_for(timeout=60_000)
    hrefs = page.eval_on_selector_all(
        "#search-results ul.search li a", "links => links.map(a => a.href)"
    )
    assert any("/lessons/" in href for href in hrefs), hrefs
    assert errors == []
    page.close()


def test_claims_page(site):
    """Lesson 5's claims, as it recorded them, with every verdict, and all key numbers."""
    page = _html(site, "claims.html")
    text = " ".join(_text(page).split())
    notebook = nbformat.read(site.lessons / f"{LESSONS[-1]}.ipynb", 4)
    numbers = read_key_numbers(notebook)
    claims = {key: value for key, value in numbers.items() if key.startswith("claim_")}
    assert len(claims) == numbers["claims_total"]
    recorded = read_claims(notebook)
    assert [c.supported for c in recorded] == list(claims.values())
    for claim in recorded:
        assert " ".join(claim.statement.split()) in text
    assert f"Claims supported: {numbers['claims_supported']} of {numbers['claims_total']}" in text
    table = re.search(r'<table[^>]*id="claims-table".*?</table>', page, flags=re.DOTALL)
    assert table, "no claims table"
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table.group(0), flags=re.DOTALL)
    assert len(rows) == len(claims) + 1  # the header, then one row per claim
    verdicts = re.findall(r"sd-bg-(success|danger)", table.group(0))
    assert verdicts.count("success") == sum(claims.values()) == numbers["claims_supported"]
    assert verdicts.count("danger") == len(claims) - numbers["claims_supported"]
    for name in LESSONS:
        for key in read_key_numbers(nbformat.read(site.lessons / f"{name}.ipynb", 4)):
            assert key.replace("_", " ") in text, (name, key)


def test_screenshots(server, browser):
    """Screenshots of the landing page and of lesson 5, for people to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    for path, name in [("index.html", "landing.png"), (f"lessons/{LESSONS[-1]}.html", None)]:
        page.goto(urljoin(server, path), wait_until="networkidle")
        target = SCREENSHOTS / (name or f"{LESSONS[-1]}.png")
        page.screenshot(path=str(target), full_page=True)
        assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert target.stat().st_size > 20_000
    page.close()


def test_downloaded_notebooks_are_json(site):
    """Each executed notebook offered for download parses and carries its outputs."""
    downloads = sorted(site.path.glob("_downloads/*/*.ipynb"))
    assert sorted(p.stem for p in downloads) == LESSONS
    for path in downloads:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        assert any(cell.get("outputs") for cell in notebook["cells"])


# ---------------------------------------------------------------------------------------
# What fails the build.


def test_a_sphinx_warning_or_stderr_output_fails_the_build(site, tmp_path):
    """`-W --keep-going`: a broken reference and a lesson that wrote to stderr are both
    reported, and the build fails."""
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    for name in LESSONS:
        notebook = nbformat.read(site.lessons / f"{name}.ipynb", as_version=4)
        if name == LESSONS[0]:
            notebook.cells.append(nbformat.v4.new_markdown_cell("See {doc}`no-such-page`."))
            code = next(cell for cell in notebook.cells if cell.cell_type == "code")
            code.outputs.append(nbformat.v4.new_output("stream", name="stderr", text="oops\n"))
        nbformat.write(notebook, lessons / f"{name}.ipynb")
    with pytest.raises(SiteError) as failure:
        build_site(tmp_path / "site", lessons_dir=lessons, source_dir=ROOT / "lessons")
    assert "no-such-page" in str(failure.value)
    assert "stderr" in str(failure.value)
    assert not (tmp_path / "site-cache" / "doctrees").exists()  # the next build rereads all


def test_an_error_output_or_unexecuted_cell_fails_the_page(site):
    """A lesson whose notebook holds an error, or a cell never run, is not published."""
    executed = nbformat.read(site.lessons / f"{LESSONS[0]}.ipynb", as_version=4)
    broken = nbformat.from_dict(executed)
    code = next(cell for cell in broken.cells if cell.cell_type == "code")
    code.outputs.append(nbformat.v4.new_output("error", ename="E", evalue="x", traceback=[]))
    with pytest.raises(SiteError, match="raised an error"):
        lesson_page(broken, LESSONS[0], "x.ipynb")
    unexecuted = nbformat.from_dict(executed)
    next(cell for cell in unexecuted.cells if cell.cell_type == "code").execution_count = None
    with pytest.raises(SiteError, match="never executed"):
        lesson_page(unexecuted, LESSONS[0], "x.ipynb")


def test_scan_site_finds_hidden_tests_and_external_resources(tmp_path):
    """The build's own last check: hidden-test code anywhere, resources on other hosts."""
    (tmp_path / "a.html").write_text(
        '<script src="https://cdn.example.org/mathjax.js"></script>'
        '<a href="https://d2l.ai">a plain link is fine</a>'
    )
    (tmp_path / "b.css").write_text("@font-face { src: url(//fonts.example.org/x.woff2); }")
    (tmp_path / "c.txt").write_text("### BEGIN HIDDEN TESTS")
    problems = scan_site(tmp_path)
    assert len(problems) == 3, problems
    assert scan_site(tmp_path / "empty") == []


SIXTH_LESSON = """# %% [markdown]
# # Lesson 6 — A sixth lesson
#
# A lesson added to the course, with claims of its own.

# %%
from course.claims import Claim, claims
from course.key_numbers import key_numbers

claims(
    Claim("Six is more than five", f"6 - 5 = {6 - 5}", 6 > 5),
    Claim("Two and two make five", f"2 + 2 = {2 + 2}", 2 + 2 == 5),
)
key_numbers(lessons=6)
"""


def test_a_sixth_lesson_with_claims_builds(site, tmp_path):
    """Any lesson may carry claims: a sixth one, added beside the five, gets its row on the
    landing page and its own claims table after lesson 5's."""
    sources, executed = tmp_path / "sources", tmp_path / "executed"
    sources.mkdir()
    executed.mkdir()
    for name in LESSONS:  # the five as they are, executed before (their notebooks newer)
        shutil.copy2(ROOT / "lessons" / f"{name}.py", sources / f"{name}.py")
    for name in LESSONS:
        shutil.copy2(site.lessons / f"{name}.ipynb", executed / f"{name}.ipynb")
    (sources / "06_a_sixth_lesson.py").write_text(SIXTH_LESSON, encoding="utf-8")
    built = build_site(tmp_path / "site", lessons_dir=executed, source_dir=sources)
    assert built.executed == ["06_a_sixth_lesson"]
    claims_text = " ".join(_text((built.path / "claims.html").read_text("utf-8")).split())
    assert "Claims supported: 1 of 2 (Lesson 6 — A sixth lesson)" in claims_text
    assert "Two and two make five" in claims_text
    numbers = read_key_numbers(nbformat.read(site.lessons / f"{LESSONS[-1]}.ipynb", 4))
    index = " ".join(_text((built.path / "index.html").read_text("utf-8")).split())
    assert "Lesson 6 — A sixth lesson" in index
    supported, total = numbers["claims_supported"] + 1, numbers["claims_total"] + 2
    assert f"{supported} of {total} are supported" in index
    assert (built.path / "lessons" / "06_a_sixth_lesson.html").is_file()
