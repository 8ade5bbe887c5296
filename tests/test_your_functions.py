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
    with pytest.raises(NotWrittenYet, match=r"fails in its code cell 2: ZeroDivisionError"):
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
