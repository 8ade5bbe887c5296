"""Find the reference code of a graded function in what students receive.

A file *leaks* a graded function when it holds the reference body of that function from
:mod:`solutions` — as a whole function under any name, as a near copy of one (one statement
in five added, dropped or changed: :data:`NEAR_RATIO`), or as the run of statements of its
body anywhere — compared as normalised syntax trees, so that renaming the function, its
arguments or its variables, rewording its strings or reformatting it does not hide it.
Python is looked for in ``.py`` files, notebook cells (IPython magics read as IPython runs
them) and every output of theirs, tracebacks included, Markdown code blocks (fenced or
indented), doctest examples (prompts removed) and the text of HTML pages (tags removed,
entities decoded); a fragment that does not parse as a whole is read block by block.

The class-edition builders and the tests run :func:`find_leaks` over the student wheel,
the class-edition lessons and the class-edition website."""

from __future__ import annotations

import ast
import builtins
import difflib
import html
import inspect
import json
import re
import textwrap
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from autograder.assignments import GRADED_FUNCTIONS

__all__ = ["Leak", "find_leaks", "leaks_in_text", "python_fragments", "reference_bodies"]

_BUILTINS = set(dir(builtins))


class _Canonical(ast.NodeTransformer):
    """Names renamed ``v0, v1, …`` in order of first appearance (builtins kept), strings
    emptied, docstrings, annotations and the function's own name dropped."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}

    def _name(self, name: str) -> str:
        if name in _BUILTINS:
            return name
        return self.names.setdefault(name, f"v{len(self.names)}")

    def visit_Name(self, node: ast.Name) -> ast.AST:
        return ast.copy_location(ast.Name(id=self._name(node.id), ctx=ast.Load()), node)

    def visit_arg(self, node: ast.arg) -> ast.AST:
        return ast.arg(arg=self._name(node.arg), annotation=None)

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        return ast.Constant(value="") if isinstance(node.value, str) else node

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.AST:
        node.name, node.returns, node.decorator_list = "f", None, []
        node.body = _without_docstring(node.body)
        return self.generic_visit(node)


def _without_docstring(body: list[ast.stmt]) -> list[ast.stmt]:
    first = body[0] if body else None
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
        return body[1:] or [ast.Pass()]
    return body


def _canonical(nodes: list[ast.stmt]) -> str:
    transformer = _Canonical()
    module = ast.Module(body=[transformer.visit(_copy(node)) for node in nodes], type_ignores=[])
    return ast.dump(module, annotate_fields=False)


def _copy(node: ast.AST) -> ast.AST:
    return ast.parse(ast.unparse(node)).body[0]


def _statements(node: ast.FunctionDef) -> tuple[str, ...]:
    """The function's body statements (docstring left out), each normalised on its own, so
    that a statement added or dropped does not renumber the names of the others."""
    return tuple(_canonical([statement]) for statement in _without_docstring(node.body))


@dataclass(frozen=True)
class _Reference:
    name: str
    function: str  # the canonical whole function
    body: str  # the canonical run of its body's statements
    length: int  # statements in that run
    statements: tuple[str, ...]  # the body's statements, normalised with the function


def reference_bodies() -> list[_Reference]:
    """Every graded function of :mod:`solutions`, normalised."""
    references = []
    for function in GRADED_FUNCTIONS:
        source = textwrap.dedent(inspect.getsource(function.reference()))
        node = ast.parse(source).body[0]
        assert isinstance(node, ast.FunctionDef)
        body = _without_docstring(node.body)
        references.append(
            _Reference(
                function.name, _canonical([node]), _canonical(body), len(body), _statements(node)
            )
        )
    return references


#: A function whose body has at least this many statements and matches a reference body's
#: statements in order to this ratio (difflib) is a near copy: one statement added, dropped
#: or changed in five does not hide it.
NEAR_RATIO = 0.8
NEAR_MIN_STATEMENTS = 3


@dataclass(frozen=True)
class Leak:
    """Reference code found: where, and of which graded function."""

    where: str
    function: str

    def __str__(self) -> str:
        return f"{self.where}: the reference code of {self.function}"


def _statement_lists(tree: ast.AST) -> Iterator[list[ast.stmt]]:
    for node in ast.walk(tree):
        for field in ("body", "orelse", "finalbody"):
            value = getattr(node, field, None)
            if isinstance(value, list) and value and isinstance(value[0], ast.stmt):
                yield value


_INDENTED = re.compile(r"(?:^(?: {4}|\t).*(?:\n|$)|^[ \t]*\n)+", re.MULTILINE)
_PROMPT = re.compile(r"^[ \t]*(>>>|\.\.\.)( |$)", re.MULTILINE)
_TOP_LEVEL = re.compile(r"^(?=\S)", re.MULTILINE)
_DEFINITION = re.compile(r"^(?=(?:async\s+)?def\s|class\s|@)", re.MULTILINE)


def _trees(code: str) -> Iterator[ast.Module]:
    """Syntax trees of ``code``: as IPython runs it (magics turned into calls), or, when
    it does not parse as a whole, of each top-level block that does (so one broken line
    does not hide a function beside it). A cell magic's body (``%%time``) is read as code."""
    if code.lstrip().startswith("%%"):
        code = code.lstrip().partition("\n")[2]
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        code = TransformerManager().transform_cell(code)
    except Exception:  # not IPython-shaped: read it as plain Python
        pass
    try:
        yield ast.parse(code)
        return
    except (SyntaxError, ValueError):
        pass
    for block in _DEFINITION.split(code):
        cuts = [m.start() for m in _TOP_LEVEL.finditer(block) if m.start()] + [len(block)]
        for cut in reversed(cuts):  # the longest start of the block that parses
            try:
                yield ast.parse(block[:cut])
                break
            except (SyntaxError, ValueError):
                continue


def _near(statements: tuple[str, ...], reference: _Reference) -> bool:
    if min(len(statements), reference.length) < NEAR_MIN_STATEMENTS:
        return False
    matcher = difflib.SequenceMatcher(None, statements, reference.statements, autojunk=False)
    return matcher.ratio() >= NEAR_RATIO


def leaks_in_code(code: str, references: list[_Reference]) -> list[str]:
    """The graded functions whose reference code ``code`` holds: a whole function equal or
    near to a reference, or a reference body's run of statements anywhere."""
    found = set()
    for tree in _trees(code):
        defined = [node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)]
        functions = {_canonical([node]) for node in defined}
        bodies = [_statements(node) for node in defined]
        for reference in references:
            if reference.function in functions or any(_near(b, reference) for b in bodies):
                found.add(reference.name)
                continue
            for statements in _statement_lists(tree):
                windows = range(len(statements) - reference.length + 1)
                if any(
                    _canonical(statements[i : i + reference.length]) == reference.body
                    for i in windows
                ):
                    found.add(reference.name)
                    break
    return sorted(found)


_FENCE = re.compile(r"^(`{3,}|~{3,})[^\n]*\n(.*?)^\1", re.MULTILINE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_PRE = re.compile(r"<pre[^>]*>(.*?)</pre>", re.DOTALL | re.IGNORECASE)


def python_fragments(name: str, text: str) -> Iterator[tuple[str, str]]:
    """The pieces of ``text`` (a file called ``name``) that may be Python, with where each is."""
    suffix = Path(name).suffix
    if suffix == ".ipynb":
        try:
            cells = json.loads(text).get("cells", [])
        except (ValueError, AttributeError):
            cells = []
        for number, cell in enumerate(cells, 1):
            source = "".join(cell.get("source", ""))
            yield f"{name}, cell {number}", source
            yield from python_fragments(f"{name}, cell {number}.md", source)
            for output in cell.get("outputs", []):
                texts = [("md", output.get("text", "")), ("md", output.get("traceback", []))]
                texts += [
                    ("html" if mime == "text/html" else "md", text)
                    for mime, text in output.get("data", {}).items()
                ]
                for kind, text in texts:
                    if isinstance(text, list):
                        text = "\n".join(str(line) for line in text)
                    if isinstance(text, str) and text:
                        where = f"{name}, cell {number} output.{kind}"
                        yield from python_fragments(where, text)
        return
    if suffix in {".html", ".htm"}:
        for number, block in enumerate(_PRE.findall(text), 1):
            yield f"{name}, code block {number}", html.unescape(_TAG.sub("", block))
        yield name, html.unescape(_TAG.sub("", text))
        return
    if suffix in {".md", ".txt", ".rst"}:
        for number, match in enumerate(_FENCE.finditer(text), 1):
            yield f"{name}, code block {number}", match.group(2)
        for number, block in enumerate(_INDENTED.findall(text), 1):
            yield f"{name}, indented block {number}", textwrap.dedent(block)
    yield name, text
    if _PROMPT.search(text):
        yield f"{name}, examples", _PROMPT.sub("", text)


def leaks_in_text(name: str, text: str, references: list[_Reference] | None = None) -> list[Leak]:
    """The leaks in one text file's content: each graded function once, where it is first
    found (a fragment is often read several ways)."""
    references = reference_bodies() if references is None else references
    first: dict[str, Leak] = {}
    for where, fragment in python_fragments(name, text):
        for function in leaks_in_code(fragment, references):
            first.setdefault(function, Leak(where, function))
    return list(first.values())


def _texts(path: Path) -> Iterator[tuple[str, str]]:
    if path.is_dir():
        for inner in sorted(path.rglob("*")):
            if inner.is_file():
                yield from _texts(inner)
    elif path.suffix in {".whl", ".zip"}:
        with zipfile.ZipFile(path) as archive:
            for member in archive.namelist():
                yield f"{path.name}!{member}", archive.read(member).decode("utf-8", "replace")
    else:
        yield str(path), path.read_bytes().decode("utf-8", "replace")


def find_leaks(paths: Iterable[Path]) -> list[Leak]:
    """Every leak in the files, folders (searched through) and wheels of ``paths``.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> from solutions import avg_pool2d
    >>> code = inspect.getsource(avg_pool2d)
    >>> renamed = code.replace("def avg_pool2d", "def mean_pool").replace("counts", "n")
    >>> _ = (folder / "copy.py").write_text(renamed)
    >>> _ = (folder / "call.py").write_text("from solutions import avg_pool2d\\navg_pool2d(x)")
    >>> [str(leak).replace(str(folder), "F") for leak in find_leaks([folder])]
    ['F/copy.py: the reference code of avg_pool2d']
    """
    references = reference_bodies()
    leaks = []
    for path in paths:
        for name, text in _texts(Path(path)):
            leaks += leaks_in_text(name, text, references)
    return list(dict.fromkeys(leaks))
