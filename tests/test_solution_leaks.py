"""`courseware.solution_leaks`: reference code is found however it is dressed, and only
reference code is."""

from __future__ import annotations

import ast
import html
import inspect
import textwrap

import nbformat
import pytest

import lessons
from autograder.assignments import GRADED_FUNCTIONS, graded_function
from courseware.solution_leaks import find_leaks, leaks_in_text

GRADED = [function.name for function in GRADED_FUNCTIONS]


def reference(name: str) -> str:
    return textwrap.dedent(inspect.getsource(graded_function(name).reference()))


def renamed(name: str) -> str:
    """The reference with its function, arguments and one local renamed, strings reworded
    and no docstring, reformatted onto other lines."""
    tree = ast.parse(reference(name))
    function = tree.body[0]
    function.name = "my_version"
    function.body = function.body[1:]
    for node in ast.walk(function):
        if isinstance(node, ast.arg):
            node.arg = f"{node.arg}_in"
        elif isinstance(node, ast.Name) and node.id == function.args.args[0].arg:
            node.id = f"{node.id}_in"
    return ast.unparse(tree)


def functions(leaks) -> set[str]:
    return {leak.function for leak in leaks}


@pytest.mark.parametrize("name", GRADED)
def test_every_reference_is_found_renamed_and_reformatted(name):
    assert functions(leaks_in_text("copy.py", renamed(name))) == {name}


@pytest.mark.parametrize("name", ["correlate2d", "conv2d", "max_pool2d", "avg_pool2d"])
def test_a_near_copy_is_found(name):
    """One statement dropped (an argument check) is still the reference."""
    lines = reference(name).split("\n")
    check = next(
        i for i, line in enumerate(lines) if line.strip().startswith(("strides =", "steps ="))
    )
    edited = "\n".join(lines[:check] + lines[check + 1 :])
    assert name in functions(leaks_in_text("copy.py", edited))


def _notebook(*cells: nbformat.NotebookNode) -> str:
    return nbformat.writes(nbformat.v4.new_notebook(cells=list(cells)))


@pytest.mark.parametrize(
    ("file", "text"),
    [
        ("cell.ipynb", _notebook(nbformat.v4.new_code_cell("%%time\n" + reference("max_pool2d")))),
        ("broken.py", reference("max_pool2d") + "\nthis line ( does not parse\n"),
        ("doc.txt", "\n".join(">>> " + line if line[:1] not in " )" else "... " + line
                              for line in reference("max_pool2d").split("\n"))),
        ("page.md", "Some text\n\n" + textwrap.indent(reference("max_pool2d"), "    ")),
        ("page.html", "<div class='highlight'><pre><span>"
         + html.escape(reference("max_pool2d")).replace("\n", "</span>\n<span>") + "</span></pre></div>"),
        ("out.ipynb", _notebook(nbformat.v4.new_code_cell("print(source)", outputs=[
            nbformat.v4.new_output("display_data", data={"text/html": "<pre>" + html.escape(
                reference("max_pool2d")) + "</pre>"})]))),
        ("error.ipynb", _notebook(nbformat.v4.new_code_cell("raise", outputs=[
            nbformat.v4.new_output("error", ename="E", evalue="", traceback=reference(
                "max_pool2d").split("\n"))]))),
    ],
    ids=["cell-magic", "broken-neighbour", "doctest-prompts", "indented-markdown",
         "highlighted-html", "html-output", "traceback"],
)  # fmt: skip
def test_reference_code_is_found_however_it_is_dressed(file, text):
    assert "max_pool2d" in functions(leaks_in_text(file, text))


def test_calls_and_the_lessons_own_code_are_not_leaks(tmp_path):
    """Using a graded function, and the lessons' loop versions, are not its reference code."""
    (tmp_path / "use.py").write_text(
        "from solutions import correlate2d, max_pool2d\n"
        "out = max_pool2d(correlate2d(image, kernel), 2)\n"
    )
    assert find_leaks([tmp_path]) == []
    assert find_leaks([lessons.FOLDER]) == []
