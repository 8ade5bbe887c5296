"""`course.your_functions`: a student's own function taken from their assignment notebook."""

from __future__ import annotations

import nbformat
import pytest

from course import your_functions
from course.your_functions import NotWrittenYet, use_folder, your_function

SETUP = "import numpy as np"
STUB = 'def double(x):\n    """Twice x."""\n    # YOUR CODE HERE\n    raise NotImplementedError()'
WRITTEN = 'def double(x):\n    """Twice x."""\n    return np.multiply(x, 2)'


def _cell(source: str, **nbgrader: object) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source)
    if nbgrader:
        cell.metadata["nbgrader"] = nbgrader
    return cell


def _notebook(folder, name: str, *cells: nbformat.NotebookNode):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=list(cells)), path)
    return path


@pytest.fixture(autouse=True)
def _no_chosen_folder(monkeypatch):
    monkeypatch.setattr(your_functions, "_chosen", [])
    monkeypatch.delenv(your_functions.FOLDER_VARIABLE, raising=False)


def test_takes_the_function_and_skips_the_test_cells(tmp_path, monkeypatch):
    """Setup and answer cells run; a failing test cell (nbgrader `grade`) is not run."""
    _notebook(
        tmp_path / "ps9_demo",
        "ps9_demo",
        _cell(SETUP, locked=True, grade=False, solution=False),
        _cell(WRITTEN, solution=True, grade=False),
        _cell("assert False, 'a test cell'", grade=True, solution=False),
    )
    monkeypatch.chdir(tmp_path)
    assert your_function("ps9_demo", "double")(21) == 42


def test_a_stub_is_not_written_yet(tmp_path):
    _notebook(tmp_path, "ps9_demo", _cell(SETUP), _cell(STUB, solution=True))
    use_folder(tmp_path)
    with pytest.raises(
        NotWrittenYet, match=r"double is not written yet: write it in your ps9_demo"
    ):
        your_function("ps9_demo", "double")


def test_a_failing_cell_is_named(tmp_path):
    _notebook(tmp_path, "ps9_demo", _cell(WRITTEN), _cell("1 / 0"))
    use_folder(tmp_path)
    with pytest.raises(NotWrittenYet, match=r"fails in its cell 2: ZeroDivisionError"):
        your_function("ps9_demo", "double")


def test_the_environment_variable_names_the_folder(tmp_path, monkeypatch):
    _notebook(tmp_path / "work" / "ps9_demo", "ps9_demo_mine", _cell(SETUP), _cell(WRITTEN))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(your_functions.FOLDER_VARIABLE, str(tmp_path / "work"))
    assert your_function("ps9_demo", "double")(2) == 4


def test_no_notebook_says_where_it_looked(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(NotWrittenYet, match=r"no ps9_demo notebook found .*use_folder"):
        your_function("ps9_demo", "double")


def test_a_damaged_notebook_is_said_so(tmp_path):
    (tmp_path / "ps9_demo.ipynb").write_text("{not json", encoding="utf-8")
    use_folder(tmp_path)
    with pytest.raises(NotWrittenYet, match="cannot be read as a notebook"):
        your_function("ps9_demo", "double")


def test_use_folder_refuses_what_is_not_a_folder(tmp_path):
    with pytest.raises(NotADirectoryError, match="folder must be a folder"):
        use_folder(tmp_path / "missing")


def test_the_message_renders_as_one_line():
    """IPython shows `_render_traceback_` in place of a traceback."""
    error = NotWrittenYet("double is not written yet")
    assert error._render_traceback_() == ["NotWrittenYet: double is not written yet"]


def test_a_changed_notebook_is_read_again(tmp_path):
    path = _notebook(tmp_path, "ps9_demo", _cell(SETUP), _cell(WRITTEN))
    use_folder(tmp_path)
    assert your_function("ps9_demo", "double")(1) == 2
    _notebook(tmp_path, "ps9_demo", _cell(SETUP), _cell(WRITTEN.replace("2)", "3) + 0")))
    assert path.exists()
    assert your_function("ps9_demo", "double")(1) == 3


def test_two_candidates_in_one_place_are_refused(tmp_path):
    _notebook(tmp_path, "ps9_demo_v1", _cell(WRITTEN))
    _notebook(tmp_path, "ps9_demo_v2", _cell(WRITTEN))
    use_folder(tmp_path)
    with pytest.raises(NotWrittenYet, match=r"more than one ps9_demo notebook .*ps9_demo_v1"):
        your_function("ps9_demo", "double")


def test_the_exact_name_comes_before_a_copy_nearer_the_lesson(tmp_path, monkeypatch):
    """A stray ps9_demo_old.ipynb in the lesson's folder does not hide ../ps9_demo/ps9_demo.ipynb."""
    _notebook(tmp_path / "lessons", "ps9_demo_old", _cell(STUB))
    _notebook(tmp_path / "ps9_demo", "ps9_demo", _cell(SETUP), _cell(WRITTEN))
    monkeypatch.chdir(tmp_path / "lessons")
    assert your_function("ps9_demo", "double")(5) == 10


def test_a_function_defined_under_an_if_or_imported_counts(tmp_path):
    guarded = "if True:\n    def double(x):\n        return 2 * x"
    _notebook(tmp_path, "ps9_demo", _cell(guarded), _cell("from math import sqrt as root"))
    use_folder(tmp_path)
    assert your_function("ps9_demo", "double")(4) == 8
    assert your_function("ps9_demo", "root")(9) == 3


def test_a_cell_that_exits_is_a_message_not_an_exit(tmp_path):
    _notebook(tmp_path, "ps9_demo", _cell(WRITTEN), _cell("import sys\nsys.exit(3)"))
    use_folder(tmp_path)
    with pytest.raises(NotWrittenYet, match=r"fails in its cell 2: SystemExit: 3"):
        your_function("ps9_demo", "double")


def test_odd_metadata_and_cells_are_read_anyway(tmp_path):
    """nbgrader metadata that is not a mapping, and a manually graded answer cell
    (`grade` and `solution`), still count as the student's code."""
    odd = _cell(SETUP)
    odd.metadata["nbgrader"] = "not a mapping"
    _notebook(tmp_path, "ps9_demo", odd, _cell(WRITTEN, grade=True, solution=True))
    use_folder(tmp_path)
    assert your_function("ps9_demo", "double")(1) == 2


def test_a_traceback_from_the_students_function_shows_their_line(tmp_path):
    import traceback

    broken = "def double(x):\n    return x / 0  # my line"
    _notebook(tmp_path, "ps9_demo", _cell(broken))
    use_folder(tmp_path)
    with pytest.raises(ZeroDivisionError) as raised:
        your_function("ps9_demo", "double")(1)
    assert "return x / 0  # my line" in "".join(traceback.format_tb(raised.tb))
