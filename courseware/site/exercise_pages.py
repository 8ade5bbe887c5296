"""An assignment's exercises page: each graded function's task text from its lesson, its
visible tests, and (self-study edition) its reference solution folded under it."""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from courseware.site import SELF_STUDY
from courseware.site.lesson_pages import plain_text, section_anchor
from lessons import task_text

if TYPE_CHECKING:
    from autograder.assignments import Assignment

__all__ = ["exercise_page"]


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

    from autograder.notebooks import setup_source, visible_test_source

    module = importlib.import_module(assignment.solution_module)
    module_file = assignment.solution_module.replace(".", "/") + ".py"
    graded = {function.name: function for function in assignment.graded}
    tasks = {f.name: task_text(f.name, lesson=f.lesson) for f in assignment.graded}
    rows = "\n".join(
        f"| {{ref}}`{name} <task-{name}>` | "
        f"[{lesson_titles.get(task.lesson, task.lesson)}](../lessons/{task.lesson}.ipynb) | "
        f"{graded[name].visible_points} + {graded[name].hidden_points} |"
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
        f"In the graded notebook `{assignment.notebook}`, each function earns the points of "
        "the table above: some from its visible tests, the others from hidden tests that run "
        "only when the notebook is graded (random inputs against independent implementations). "
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
            anchor = section_anchor(task.section)
            where += f", section [{plain_text(task.section)}]({lesson_link}#{anchor})"
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
            f":::{{dropdown}} Visible tests: `{graded[name].test_name}`\n"
            f":class-container: visible-tests\n"
            f":icon: checklist\n\nWhat `course check` runs on your `{name}`.\n\n"
            f"{_code_block(visible_test_source(graded[name]))}\n:::\n",
        ]
    return "\n".join(parts)
