"""The class edition: lessons that run with a student's own functions and hand out no
solution, and the website without solutions.

`course demo` (the session's `demo_run`) builds the nbgrader course, which writes the class
edition of the lessons into `release/lessons/`. Here it is read, checked for reference code,
and run in a real kernel next to a correct student's assignment notebooks, a blank one, and
none.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import nbclient
import nbformat
import pytest

import lessons
from autograder.assignments import ASSIGNMENTS, GRADED_FUNCTIONS
from autograder.mutation import reference_answers
from autograder.notebooks import submission_from_release
from course.jupyter_kernels import EncryptedKernelManager
from course.key_numbers import read_key_numbers
from courseware.class_edition import class_lesson, exercise_cell_source
from courseware.solution_leaks import find_leaks

ROOT = Path(__file__).resolve().parents[1]
GRADED = {function.name for function in GRADED_FUNCTIONS}
LESSONS = [source.stem for source in lessons.sources()]


@pytest.fixture(scope="module")
def release(demo_run) -> Path:
    assert demo_run.result.returncode == 0, demo_run.result.stderr[-3000:]
    return demo_run.out / "course" / "release"


def _exercise_cells(notebook: nbformat.NotebookNode) -> list[int]:
    return [
        index
        for index, cell in enumerate(notebook.cells)
        if lessons.EXERCISE_TAG in cell.metadata.get("tags", [])
    ]


def test_class_edition_holds_every_lesson_and_no_reference_code(release, demo_run):
    """Five notebooks, none holding a graded function's reference body, while the same
    search finds every one of them in the nbgrader source notebooks (which hold them)."""
    written = sorted(path.stem for path in (release / "lessons").glob("*.ipynb"))
    assert written == LESSONS
    assert find_leaks([release / "lessons"]) == []
    found = {leak.function for leak in find_leaks([demo_run.out / "course" / "source"])}
    assert found == GRADED


def test_class_edition_keeps_the_reference_run_and_replaces_only_exercise_cells(release, demo_run):
    """Every cell and output of the executed lesson is kept; exercise cells take the
    student's functions (`your_function`) and never import `solutions`."""
    for name in LESSONS:
        executed = nbformat.read(demo_run.out / "lessons" / f"{name}.ipynb", as_version=4)
        edition = nbformat.read(release / "lessons" / f"{name}.ipynb", as_version=4)
        assert len(edition.cells) == len(executed.cells)
        exercises = set(_exercise_cells(executed))
        assert exercises, name
        for index, (mine, theirs) in enumerate(zip(edition.cells, executed.cells, strict=True)):
            assert mine.get("outputs") == theirs.get("outputs"), (name, index)
            if index not in exercises:
                assert mine.source == theirs.source, (name, index)
                continue
            tree = ast.parse(mine.source)
            imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
            assert imported == {"course.your_functions"}, (name, index)
            bound = {t.id for n in ast.walk(tree) if isinstance(n, ast.Assign) for t in n.targets}
            assert bound == set(lessons.exercise_names(theirs.source)), (name, index)
        assert read_key_numbers(edition) == read_key_numbers(executed)


def test_exercise_cell_refuses_what_is_not_a_graded_function():
    """An exercise cell that imports anything else is a broken lesson, said at build time."""
    with pytest.raises(ValueError, match="graded functions only"):
        exercise_cell_source("from solutions import secret_helper")
    with pytest.raises(ValueError, match="only comments and `from solutions import"):
        exercise_cell_source("import numpy as np")
    with pytest.raises(ValueError, match="only comments and `from solutions import"):
        exercise_cell_source("from solutions import conv2d\nconv2d = print")


def test_an_aliased_exercise_keeps_its_name():
    source = exercise_cell_source("from solutions import max_pool2d as pool")
    assert source.endswith('pool = your_function("ps2_pooling", "max_pool2d")')


def test_an_untagged_import_of_solutions_is_refused():
    """A lesson cell importing solutions without the exercise tag would hand out nothing
    but a broken lesson: the build stops with the cell's number."""
    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# Lesson"),
            nbformat.v4.new_code_cell("import solutions"),
        ]
    )
    with pytest.raises(ValueError, match="cell 2 imports solutions but is not tagged"):
        class_lesson(notebook)


@pytest.fixture
def classroom(tmp_path, release) -> Path:
    """A student's folder as nbgrader hands it out: the class-edition lessons in
    `lessons/`, an assignment folder beside it for each notebook written by the test."""
    shutil.copytree(release / "lessons", tmp_path / "lessons")
    return tmp_path


def _hand_in(classroom: Path, release: Path, name: str, answers: dict[str, str]) -> None:
    assignment = ASSIGNMENTS[name]
    released = nbformat.read(release / name / assignment.notebook, as_version=4)
    (classroom / name).mkdir()
    notebook = submission_from_release(released, answers)
    nbformat.write(notebook, classroom / name / assignment.notebook)


def _run(classroom: Path, lesson: str) -> tuple[nbformat.NotebookNode, Exception | None]:
    notebook = nbformat.read(classroom / "lessons" / f"{lesson}.ipynb", as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        kernel_name="python3",
        kernel_manager_class=EncryptedKernelManager,
        timeout=600,
        resources={"metadata": {"path": str(classroom / "lessons")}},
    )
    try:
        client.execute()
    except nbclient.exceptions.CellExecutionError as error:
        return notebook, error
    return notebook, None


def _timing_free(numbers: dict[str, object]) -> dict[str, object]:
    return {name: value for name, value in numbers.items() if "speedup" not in name}


@pytest.mark.parametrize("lesson", ["01_hand_convolution", "03_translation_invariance"])
def test_lesson_with_a_correct_students_work_gives_the_self_study_numbers(
    classroom, release, demo_run, lesson
):
    """Run with a correct student's ps1 and ps2 notebooks beside it, the class edition
    recomputes every key number exactly as the self-study run (timings aside)."""
    for name in ("ps1_filters", "ps2_pooling"):
        _hand_in(classroom, release, name, reference_answers(ASSIGNMENTS[name]))
    notebook, error = _run(classroom, lesson)
    assert error is None, str(error)[-2000:]
    expected = read_key_numbers(nbformat.read(demo_run.out / "lessons" / f"{lesson}.ipynb", 4))
    assert _timing_free(read_key_numbers(notebook)) == _timing_free(expected)


def _error_output(notebook: nbformat.NotebookNode) -> tuple[int, dict]:
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                return index, output
    raise AssertionError("no cell raised")


def test_lesson_with_a_blank_notebook_stops_at_the_first_exercise_in_one_line(classroom, release):
    """The handed-out ps1 notebook, untouched: the lesson stops at its first exercise cell
    with one line naming the function and the assignment, not a traceback."""
    _hand_in(classroom, release, "ps1_filters", {})
    notebook, error = _run(classroom, "01_hand_convolution")
    assert error is not None
    index, output = _error_output(notebook)
    assert index == _exercise_cells(notebook)[0]
    assert len(output.traceback) == 1, output.traceback
    line = output.traceback[0]
    assert "correlate2d is not written yet" in line
    assert "ps1_filters" in line


def test_one_function_written_runs_until_the_next_exercise(classroom, release):
    """correlate2d written, convolve2d not: the lesson gets past its first exercise and
    stops at the second, naming convolve2d."""
    answers = reference_answers(ASSIGNMENTS["ps1_filters"])
    _hand_in(classroom, release, "ps1_filters", {"correlate2d": answers["correlate2d"]})
    notebook, error = _run(classroom, "01_hand_convolution")
    assert error is not None
    index, output = _error_output(notebook)
    assert index == _exercise_cells(notebook)[1]
    assert len(output.traceback) == 1
    assert "convolve2d is not written yet" in output.traceback[0]


def test_lesson_without_the_assignment_says_where_it_looked(classroom):
    """No ps1 notebook anywhere near: one line saying where it looked and what to do."""
    notebook, error = _run(classroom, "01_hand_convolution")
    assert error is not None
    _, output = _error_output(notebook)
    assert len(output.traceback) == 1
    assert "no ps1_filters notebook found" in output.traceback[0]
    assert "use_folder" in output.traceback[0]


def test_class_edition_site_has_no_solution(demo_run, tmp_path):
    """`course site --edition class`: the lessons of the class edition, the exercises
    without any solution or link to one, and no reference code anywhere (the build checks
    that itself; so does this test)."""
    out = tmp_path / "site"
    result = subprocess.run(
        [sys.executable, "-m", "course.cli", "site", "--edition", "class", "--out", str(out),
         "--lessons", str(demo_run.out / "lessons")],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert "class edition" in result.stdout
    assert find_leaks([out]) == []
    for assignment in ASSIGNMENTS:
        page = (out / "exercises" / f"{assignment}.html").read_text(encoding="utf-8")
        assert "Solution:" not in page
        assert "reference implementation" not in page
        assert "solutions/" not in page
    downloads = list(out.rglob("01_hand_convolution.ipynb"))
    assert downloads
    for path in downloads:
        assert "your_function" in path.read_text(encoding="utf-8")
        assert "from solutions import" not in path.read_text(encoding="utf-8")
