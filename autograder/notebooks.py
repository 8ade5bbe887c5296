"""Build the nbgrader *source* notebook of an assignment, and submissions from a release.

A source notebook is generated, never edited: per graded function it holds the task
text of the lesson exercise that introduces the function, a solution cell (the
reference function of :mod:`solutions` with its body between ``### BEGIN SOLUTION`` and
``### END SOLUTION``), a locked visible-test cell (the body of the function's check in
:mod:`course.visible_tests`) and a locked hidden-test cell (a call into
:mod:`autograder.hidden_tests`). Cell ids and metadata are fixed, so a rebuild is byte-for-byte
the same.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import re
import textwrap
from collections.abc import Callable, Mapping

import nbformat

import lessons
from autograder.assignments import HIDDEN, VISIBLE, Assignment, GradedFunction
from course.check import GRADED_CELLS_METADATA

__all__ = [
    "build_source_notebook",
    "function_source",
    "plain_signature",
    "setup_help_source",
    "setup_source",
    "solution_cell_source",
    "submission_from_release",
    "task_cell_source",
    "visible_test_source",
]

SCHEMA_VERSION = 3


def _nbgrader(
    cell: nbformat.NotebookNode,
    grade_id: str,
    *,
    solution: bool = False,
    grade: bool = False,
    locked: bool = False,
    points: int | None = None,
) -> nbformat.NotebookNode:
    cell.id = grade_id.replace("_", "-")
    cell.metadata["nbgrader"] = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": SCHEMA_VERSION,
        "solution": solution,
        "task": False,
        **({"points": points} if points is not None else {}),
    }
    return cell


def _imports_of(module: object) -> list[str]:
    """The module's top-level import statements, as written (``__future__`` left out)."""
    source = inspect.getsource(module)
    lines = source.splitlines()
    statements = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.Import | ast.ImportFrom) and getattr(node, "module", "") != (
            "__future__"
        ):
            statements.append("\n".join(lines[node.lineno - 1 : node.end_lineno]))
    return statements


def _function_node(source: str) -> ast.FunctionDef:
    node = ast.parse(source).body[0]
    if not isinstance(node, ast.FunctionDef):
        raise TypeError(f"expected a function definition; got {type(node).__name__}")
    return node


def _body_start(node: ast.FunctionDef) -> int:
    """Index, among the function's source lines, of the line after its docstring (of its
    first statement when it has none): comments that open the body belong to the body."""
    start = min((d.lineno for d in node.decorator_list), default=node.lineno)
    first = node.body[0]
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
        return first.end_lineno - start + 1
    return first.lineno - start


def function_source(function: Callable[..., object], name: str | None = None) -> str:
    """The source of ``function``, dedented, its ``def`` renamed to ``name`` if given.

    Examples
    --------
    >>> def greet__typo():
    ...     return "helo"
    >>> print(function_source(greet__typo, "greet"))
    def greet():
        return "helo"
    """
    source = textwrap.dedent(inspect.getsource(function))
    if name is not None:
        pattern = rf"^def {re.escape(function.__name__)}\("
        source = re.sub(pattern, f"def {name}(", source, count=1, flags=re.MULTILINE)
    return source.rstrip() + "\n"


def solution_cell_source(function: Callable[..., object]) -> str:
    """The function's source with its body (after the docstring) marked as the solution."""
    source = function_source(function)
    lines = source.rstrip("\n").split("\n")
    start = _body_start(_function_node(source))
    indent = re.match(r"\s*", lines[start]).group()
    return "\n".join(
        [
            *lines[:start],
            f"{indent}### BEGIN SOLUTION",
            *lines[start:],
            f"{indent}### END SOLUTION",
        ]
    )


def visible_test_source(function: GradedFunction) -> str:
    """The visible-test cell of ``function``: its test module's imports and its visible
    test's body."""
    source = function_source(function.visible_test())
    body = source.split("\n")[_body_start(_function_node(source)) :]
    imports = _imports_of(importlib.import_module(function.visible_tests_module))
    return "\n".join(imports) + "\n\n" + textwrap.dedent("\n".join(body)).strip()


def _hidden_test_source(function: GradedFunction) -> str:
    return (
        "# Hidden tests: they run when your notebook is graded, on random inputs against\n"
        "# independent oracles.\n"
        "### BEGIN HIDDEN TESTS\n"
        f"from {function.hidden_tests_module} import {function.test_name}\n\n"
        f"{function.test_name}({function.name})\n"
        "### END HIDDEN TESTS"
    )


def task_cell_source(function: GradedFunction) -> str:
    """The task cell of ``function``: its lesson's exercise text (:func:`lessons.task_text`),
    with the lesson's headings demoted under the function's.

    Raises
    ------
    LookupError
        If the registry's lesson does not introduce it.
    """
    name = function.name
    task = lessons.task_text(name, lesson=function.lesson)
    text = re.sub(r"^(#+) ", r"###\1 ", task.text, flags=re.MULTILINE)
    return f"### `{name}`\n\n*From lesson {task.lesson_number}, {task.lesson_title}.*\n\n{text}"


def _header(assignment: Assignment) -> str:
    rows = "\n".join(
        f"| `{f.name}` | {f.visible_points} | {f.hidden_points} |" for f in assignment.graded
    )
    allowed = {", ".join(f"`{n}`" for n in names) for names in assignment.libraries.values()}
    keras_note = (
        f"Your functions may use {allowed.pop()} and Python's standard library, nothing"
        " else: a function that uses another library (SciPy, say) earns no points.\n\n"
        if len(allowed) == 1
        else "".join(
            f"`{name}` may use {', '.join(f'`{n}`' for n in names)} and the standard library. "
            for name, names in assignment.libraries.items()
        )
        + "\n\n"
    )
    return f"""# {assignment.name} — {assignment.title}

Write each function in its own cell, where it says `YOUR CODE HERE`; keep its name and
signature. The locked cell after it runs the **visible tests** — small, explained cases
that tell you what is wrong. When your notebook is graded, **hidden tests** also run:
{assignment.hidden_tests}. Passing the visible tests is necessary, not sufficient.

{keras_note}Check your notebook before you submit it (it runs from the top, as the grader does):

```bash
course check {assignment.name} {assignment.notebook}
```

| function | visible tests | hidden tests |
|---|---|---|
{rows}
| **total** | | **{assignment.max_points} points** |
"""


def setup_source(assignment: Assignment) -> str:
    """The assignment's locked setup cell: the imports its graded functions may use."""
    module = importlib.import_module(assignment.solution_module)
    first = (
        "import course  # first: it silences TensorFlow's start-up messages\n"
        if assignment.uses_keras
        else ""
    )
    return first + "\n".join(_imports_of(module))


#: What the setup cell's imported modules are, for :func:`setup_help_source`.
MODULE_ROLES = {
    "numpy": "numpy",
    "keras": "Keras 3: `keras.Input`, `keras.layers`, `keras.Model`",
    "course": "the course's package, imported first: it silences TensorFlow's start-up messages",
}


def _first_line(docstring: str | None) -> str:
    """A docstring's first line, its reST roles and literals as Markdown code."""
    line = (docstring or "").strip().split("\n")[0].rstrip(".")
    line = re.sub(r":\w+:`~?([^`]+)`", r"`\1`", line)
    return line.replace("``", "`")


def plain_signature(function: Callable[..., object]) -> str:
    """The function's signature without annotations: ``(x, pool_size=2)``."""
    signature = inspect.signature(function)
    return str(
        signature.replace(
            parameters=[
                p.replace(annotation=inspect.Parameter.empty) for p in signature.parameters.values()
            ],
            return_annotation=inspect.Signature.empty,
        )
    )


#: What the setup cell's helper modules are for, said once under the list of imports.
HELPER_NOTES = {
    "course.validation": "The `course.validation` helpers raise the `TypeError` or `ValueError` "
    "that the docstrings below ask for, with a message naming the argument: calling them "
    "first is the quickest way to reject bad input.",
    "course.geometry": "The `course.geometry` helpers do the output-size and padding "
    "arithmetic of the lessons.",
}


def setup_help_source(assignment: Assignment) -> str:
    """The markdown cell after the setup cell: what each import is and whether to use it.

    Examples
    --------
    >>> from autograder.assignments import ASSIGNMENTS
    >>> print(setup_help_source(ASSIGNMENTS["ps1_filters"]).splitlines()[2])
    - `np` — numpy.
    """
    items, modules = [], []
    for node in ast.parse(setup_source(assignment)).body:
        if not isinstance(node, ast.Import | ast.ImportFrom):
            continue
        modules += (
            [alias.name for alias in node.names] if isinstance(node, ast.Import) else [node.module]
        )
        for alias in node.names:
            shown = alias.asname or alias.name
            if isinstance(node, ast.Import):
                module = importlib.import_module(alias.name)
                what = MODULE_ROLES.get(alias.name) or _first_line(module.__doc__)
                items.append(f"- `{shown}` — {what}.")
                continue
            value = getattr(importlib.import_module(node.module), alias.name)
            call = f"{shown}{plain_signature(value)}" if callable(value) else shown
            items.append(f"- `{call}` — {_first_line(value.__doc__)} (`{node.module}`).")
    need = (
        "Keras builds the layers and models; the others are there if you want them."
        if assignment.uses_keras
        else "You need none of them but numpy."
    )
    notes = [note for module, note in HELPER_NOTES.items() if module in modules]
    return "\n".join(
        [
            f"**What the setup cell gives you.** Your functions may use any of these. {need}",
            "",
            *items,
            "",
            " ".join(notes),
        ]
    ).rstrip()


def build_source_notebook(assignment: Assignment) -> nbformat.NotebookNode:
    """The nbgrader source notebook of ``assignment``, with solutions and hidden tests."""
    v4 = nbformat.v4
    module = importlib.import_module(assignment.solution_module)
    cells = [
        _nbgrader(v4.new_markdown_cell(_header(assignment)), "header", locked=True),
        _nbgrader(v4.new_code_cell(setup_source(assignment)), "setup", locked=True),
        _nbgrader(v4.new_markdown_cell(setup_help_source(assignment)), "setup_help", locked=True),
    ]
    for function in assignment.graded:
        name = function.name
        cells += [
            _nbgrader(
                v4.new_markdown_cell(task_cell_source(function)), f"task_{name}", locked=True
            ),
            _nbgrader(
                v4.new_code_cell(solution_cell_source(getattr(module, name))), name, solution=True
            ),
            *(
                _nbgrader(
                    v4.new_code_cell(source),
                    function.grade_id(kind),
                    grade=True,
                    locked=True,
                    points=function.cell_points(kind),
                )
                for kind, source in (
                    (VISIBLE, visible_test_source(function)),
                    (HIDDEN, _hidden_test_source(function)),
                )
            ),
        ]
    notebook = v4.new_notebook(cells=cells)
    notebook.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
        # Which cells test which function, for `course check` (the student package does not
        # know the registry's grade ids).
        GRADED_CELLS_METADATA: {
            function.grade_id(kind): {"function": function.name, "kind": kind}
            for function in assignment.graded
            for kind in (VISIBLE, HIDDEN)
        },
    }
    return notebook


def submission_from_release(
    release: nbformat.NotebookNode, answers: Mapping[str, str]
) -> nbformat.NotebookNode:
    """A copy of a released notebook with some solution cells answered.

    Parameters
    ----------
    release : NotebookNode
        The notebook as students receive it.
    answers : mapping of str to str
        Graded function name → the source to put in its solution cell; cells not named
        stay as released (unanswered).
    """
    submission = nbformat.from_dict(release)
    for cell in submission.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.metadata.get("nbgrader", {}).get("solution") and grade_id in answers:
            cell.source = answers[grade_id]
    return submission
