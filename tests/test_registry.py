"""Is the registry (`autograder.assignments`) the one place where graded functions are
described, and does everything else agree with it?"""

from __future__ import annotations

import inspect
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import lessons
from autograder.assignments import ASSIGNMENTS, GRADED_FUNCTIONS, HIDDEN, VISIBLE, parse_grade_id
from autograder.notebooks import build_source_notebook, plain_signature
from autograder.secret import SECRET_VARIABLE

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


@pytest.mark.parametrize("function", GRADED_FUNCTIONS, ids=lambda f: f.name)
def test_every_entry_points_at_real_code_and_text(function):
    """Its reference, both tests (taking the function by its name) and the lesson whose
    exercise introduces it all exist where the entry says."""
    assert function.reference().__name__ == function.name
    for test in (function.visible_test(), function.hidden_test()):
        assert next(iter(inspect.signature(test).parameters)) == function.name
    assert lessons.task_text(function.name, lesson=function.lesson).lesson == function.lesson
    assert ASSIGNMENTS[function.assignment].solution_module == function.reference_module
    assert function.points == function.visible_points + function.hidden_points > 0


def test_a_wrong_lesson_in_the_registry_fails_loudly():
    with pytest.raises(LookupError, match="lesson 02_hand_pooling has no exercise on 'conv2d'"):
        lessons.task_text("conv2d", lesson="02_hand_pooling")


def test_grade_ids_round_trip():
    for function in GRADED_FUNCTIONS:
        for kind in (VISIBLE, HIDDEN):
            assert parse_grade_id(function.grade_id(kind)) == (kind, function)
    assert parse_grade_id("task_conv2d") is None
    assert parse_grade_id("hidden_bonus") is None


@pytest.mark.parametrize("assignment", ASSIGNMENTS.values(), ids=lambda a: a.name)
def test_the_notebook_gives_each_cell_the_registry_points(assignment):
    notebook = build_source_notebook(assignment)
    points = {
        cell.metadata["nbgrader"]["grade_id"]: cell.metadata["nbgrader"]["points"]
        for cell in notebook.cells
        if cell.metadata["nbgrader"].get("grade")
    }
    expected = {
        f.grade_id(kind): f.cell_points(kind)
        for f in assignment.graded
        for kind in (VISIBLE, HIDDEN)
    }
    assert points == expected
    assert sum(points.values()) == assignment.max_points


def test_the_readme_table_of_graded_functions_is_the_registry():
    """One row per entry, in registry order: assignment, signature, lesson, points. The
    names and signatures are fixed: a reference whose signature changes fails here."""
    text = README.read_text(encoding="utf-8")
    rows = re.findall(
        r"^\| `(\w+)` \| `(\w+)(\(.*\))` \| lesson (\d+) \| (\d+) \+ (\d+) \|$", text, flags=re.M
    )
    expected = [
        (
            f.assignment,
            f.name,
            plain_signature(f.reference()).replace("'", '"'),
            str(int(f.lesson[:2])),
            str(f.visible_points),
            str(f.hidden_points),
        )
        for f in GRADED_FUNCTIONS
    ]
    assert rows == expected


# -- the recipe of CONTRIBUTING.md, followed for a toy function --------------------------

TOY_REFERENCE = '''

def flip_kernel(kernel: np.ndarray) -> np.ndarray:
    """The kernel turned by half a turn (flipped on both axes), as a new float array.

    Raises
    ------
    TypeError
        If ``kernel`` holds values that are not real numbers.
    ValueError
        If ``kernel`` is not 2-D, or holds NaN or infinity.
    """
    kernel = as_real_array(kernel, "kernel", ("kernel height", "kernel width"))
    return kernel[::-1, ::-1].astype(np.float64)
'''
TOY_VISIBLE_TEST = '''

def check_flip_kernel(flip_kernel) -> None:
    """Visible tests of ``flip_kernel(kernel)``."""
    expect_array(
        flip_kernel(np.array([[1.0, 2.0], [3.0, 4.0]])),
        [[4.0, 3.0], [2.0, 1.0]],
        "flip_kernel([[1, 2], [3, 4]])",
    )
    print("flip_kernel: visible tests passed")
'''
TOY_HIDDEN_TEST = '''

def check_flip_kernel(flip_kernel: Callable[..., object]) -> None:
    """Hidden tests of ``flip_kernel``: random non-square kernels against numpy's flip."""
    rng = hidden_rng("flip_kernel")
    for _ in range(5):
        kernel = rng.normal(size=(int(rng.integers(1, 6)), int(rng.integers(2, 6))))
        expect_array(flip_kernel(kernel.copy()), np.flip(kernel), "flip_kernel(a random kernel)")
'''
TOY_MUTANT = """
MUTANTS += (
    Mutant(
        "flip_kernel",
        "rows_only",
        "Flips the rows only: a mirror image, not a half-turn.",
        (Edit("kernel[::-1, ::-1]", "kernel[::-1]"),),
    ),
)
"""
TOY_LESSON_TEXT = """
# %% [markdown]
# **Exercise (ps1_filters).** Implement `flip_kernel(kernel)`, the kernel turned by half a
# turn: convolution is correlation with the flipped kernel.

# %% tags=["exercise"]
from solutions import flip_kernel
"""
TOY_ENTRY = (
    '    GradedFunction("flip_kernel", "ps1_filters", "01_hand_convolution", '
    '"solutions.filters", BY_HAND, seconds=60.0, visible_points=2, hidden_points=3),\n'
)
TOY_CHECK = """
import json
import nbformat
from autograder.assignments import ASSIGNMENTS, HIDDEN, VISIBLE, graded_function
from autograder.judge import judge_notebook
from autograder.mutation import mutant_submissions
from autograder.notebooks import build_source_notebook, submission_from_release
from courseware.executed_lessons import execute_lesson
from lessons import FOLDER

assignment = ASSIGNMENTS["ps1_filters"]
toy = graded_function("flip_kernel")
source = build_source_notebook(assignment)
ids = {c.metadata["nbgrader"]["grade_id"]: c for c in source.cells}
answers = mutant_submissions(assignment)["flip-kernel--rows-only"]
judged = {
    "reference": judge_notebook(source, assignment, "course"),
    "mutant": judge_notebook(submission_from_release(source, answers), assignment, "course"),
}
print(json.dumps({
    "functions": list(assignment.functions),
    "task": ids["task_flip_kernel"].source,
    "points": [ids[toy.grade_id(k)].metadata["nbgrader"]["points"] for k in (VISIBLE, HIDDEN)],
    "max_points": assignment.max_points,
    "earned": {k: {f.name: f.points for f in v.functions} for k, v in judged.items()},
    "lesson": execute_lesson(FOLDER / "01_hand_convolution.py").name,
}))
"""


def _append(path: Path, text: str, after: str | None = None) -> None:
    source = path.read_text(encoding="utf-8")
    if after is None:
        path.write_text(source + text, encoding="utf-8")
    else:
        assert source.count(after) == 1, (path, after)
        path.write_text(source.replace(after, after + text), encoding="utf-8")


def test_the_recipe_adds_a_graded_function(tmp_path):
    """CONTRIBUTING.md's steps, in a copy of the repository, for a toy `flip_kernel` in
    ps1_filters worth 2 + 3 points (the others are worth 1 + 2): the notebook gets its
    task, cells and points from the one registry entry, the judge gives the reference
    full marks and the toy mutant loses points, and lesson 1 runs with its new exercise."""
    copy = tmp_path / "repository"
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    for name in tracked:
        if (ROOT / name).is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, copy / name)
    _append(copy / "solutions" / "filters.py", TOY_REFERENCE)  # 1. the reference
    filters = copy / "solutions" / "filters.py"
    filters.write_text(
        filters.read_text("utf-8").replace('"edge_kernel"]', '"edge_kernel", "flip_kernel"]', 1),
        encoding="utf-8",
    )
    _append(copy / "student" / "course" / "visible_tests" / "ps1_filters.py", TOY_VISIBLE_TEST)
    _append(copy / "autograder" / "hidden_tests" / "ps1_filters.py", TOY_HIDDEN_TEST)
    _append(copy / "autograder" / "mutants" / "ps1_filters.py", TOY_MUTANT)  # 4. mutants
    _append(copy / "lessons" / "01_hand_convolution.py", TOY_LESSON_TEXT)  # 5. lesson text
    _append(  # 6. one registry entry, after the other ps1 functions
        copy / "autograder" / "assignments.py",
        TOY_ENTRY,
        after='        for name in ("correlate2d", "convolve2d", "edge_kernel", "conv2d")\n    ),\n',
    )
    environment = {
        **os.environ,
        "PYTHONPATH": f"{copy}{os.pathsep}{copy / 'student'}",
        SECRET_VARIABLE: "a-grading-secret-for-the-recipe",
    }
    (copy / "course").mkdir()
    result = subprocess.run(
        [sys.executable, "-c", TOY_CHECK],
        cwd=copy,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["functions"][-1] == "flip_kernel"
    assert "Implement `flip_kernel(kernel)`" in found["task"]
    assert found["points"] == [2, 3]
    assert found["max_points"] == ASSIGNMENTS["ps1_filters"].max_points + 5
    full = {f.name: f.points for f in ASSIGNMENTS["ps1_filters"].graded}
    assert found["earned"]["reference"] == {**full, "flip_kernel": 5}
    assert found["earned"]["mutant"]["flip_kernel"] < 5
    assert found["lesson"] == "01_hand_convolution"
