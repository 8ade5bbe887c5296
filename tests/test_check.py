"""`course check`: a student runs the visible tests of their own notebook."""

import subprocess
import sys

import nbformat
import pytest

from autograder.assignments import ASSIGNMENTS
from autograder.course_dir import build_course, release_notebook
from autograder.mutation import reference_answers
from autograder.notebooks import submission_from_release

PS1 = ASSIGNMENTS["ps1_filters"]
FLIPPED = """
def correlate2d(image, kernel, stride=1, padding="valid"):
    kernel = np.asarray(kernel, dtype=float)[::-1, ::-1]
    image = np.asarray(image, dtype=float)
    rows, cols = image.shape[0] - kernel.shape[0] + 1, image.shape[1] - kernel.shape[1] + 1
    return np.array([[np.sum(image[i:i + kernel.shape[0], j:j + kernel.shape[1]] * kernel)
                      for j in range(cols)] for i in range(rows)])
"""


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    root = build_course(tmp_path_factory.mktemp("course"), ("ps1_filters",))
    return release_notebook(root, PS1)


def course_check(folder, *arguments):
    return subprocess.run(
        [sys.executable, "-m", "course.cli", "check", *arguments],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )


def write(folder, notebook):
    nbformat.write(notebook, folder / PS1.notebook)


def test_a_correct_notebook_passes_every_visible_test(release, tmp_path):
    write(tmp_path, submission_from_release(release, reference_answers(PS1)))
    result = course_check(tmp_path, "ps1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count(" pass ") == len(PS1.functions)
    visible = sum(f.visible_points for f in PS1.graded)
    hidden = sum(f.hidden_points for f in PS1.graded)
    expected = f"visible tests: {visible}/{visible} points; hidden tests ({hidden} points)"
    assert expected in result.stdout
    assert result.stderr == ""


def test_a_flipped_kernel_fails_with_the_hint(release, tmp_path):
    answers = {**reference_answers(PS1), "correlate2d": FLIPPED}
    write(tmp_path, submission_from_release(release, answers))
    result = course_check(tmp_path, "ps1_filters", PS1.notebook)
    assert result.returncode == 1
    row = next(line for line in result.stdout.splitlines() if line.startswith("correlate2d "))
    assert "FAIL" in row
    assert "did you flip the kernel?" in row
    # convolve2d calls the student's correlate2d, so it fails too; edge_kernel does not
    assert next(line for line in result.stdout.splitlines() if line.startswith("edge_kernel "))
    assert " pass " in next(
        line for line in result.stdout.splitlines() if line.startswith("edge_kernel ")
    )


def test_the_untouched_release_fails_every_test_without_crashing(release, tmp_path):
    write(tmp_path, release)
    result = course_check(tmp_path, "ps1")
    assert result.returncode == 1
    assert result.stdout.count("FAIL") == len(PS1.functions)
    assert "NotImplementedError" in result.stdout
    assert f"visible tests: 0/{sum(f.visible_points for f in PS1.graded)} points" in result.stdout


def test_a_missing_notebook_is_a_clear_error(tmp_path):
    result = course_check(tmp_path, "ps1")
    assert result.returncode == 2
    assert "expected one notebook ps1.ipynb or ps1_*.ipynb" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_notebook_that_is_not_an_assignment_is_refused(tmp_path):
    nbformat.write(nbformat.v4.new_notebook(), tmp_path / "ps1_mine.ipynb")
    result = course_check(tmp_path, "ps1")
    assert result.returncode == 2
    assert "has no visible-test cells" in result.stderr
