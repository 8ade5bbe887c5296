"""Real nbgrader, through its command line, in temporary course directories.

The course is built by ``course build``; students' notebooks are written into
``submitted/`` the way nbgrader's exchange would; ``nbgrader autograde``,
``generate_feedback`` and ``export`` grade them. Like nbgrader's own app tests, these
run the real commands and read the real gradebook.
"""

import csv
import subprocess
import sys
import warnings

import nbformat
import pytest

from autograder.assignments import ASSIGNMENTS, HIDDEN, VISIBLE, graded_function
from autograder.course_dir import build_course, read_scores, run_nbgrader, submit_answers
from autograder.mutation import catalogue, reference_answers
from autograder.notebooks import function_source
from autograder.secret import SECRET_VARIABLE

# A correct build_conv_pool_model written the old Keras way: `input_shape=` on the first
# layer of a Sequential, which makes Keras 3 warn on stderr. It must still earn full marks.
WARNING_CONV_POOL = """
def build_conv_pool_model(input_shape=(28, 28, 1), num_classes=10):
    layers = keras.layers
    return keras.Sequential(
        [
            layers.Conv2D(32, 3, activation="relu", input_shape=input_shape),
            layers.MaxPooling2D(2),
            layers.Conv2D(64, 3, activation="relu"),
            layers.MaxPooling2D(2),
            layers.Flatten(),
            layers.Dropout(0.5),
            layers.Dense(num_classes, activation="softmax"),
        ],
        name="conv_pool",
    )
"""


def submissions(assignment):
    correct = reference_answers(assignment)
    first_mutant = {name: mutants[0] for name, mutants in catalogue(assignment).items()}
    wrong_name = assignment.functions[1]
    answers = {
        "correct": correct,
        "blank": {},
        "one-wrong": {**correct, wrong_name: function_source(first_mutant[wrong_name], wrong_name)},
    }
    if assignment.name == "ps3_keras":
        answers["keras-warning"] = {**correct, "build_conv_pool_model": WARNING_CONV_POOL}
    return answers


@pytest.fixture(scope="module")
def course(tmp_path_factory, demo_run):
    """A course built by the CLI (its class edition from the demo's executed lessons);
    every assignment autograded, feedback and export done."""
    root = tmp_path_factory.mktemp("course")
    lessons = demo_run.out / "lessons"
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "course.cli",
            "build",
            "--root",
            str(root),
            "--lessons",
            str(lessons),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    for assignment in ASSIGNMENTS.values():
        submit_answers(root, assignment, submissions(assignment))
        source = nbformat.read(root / "source" / assignment.name / assignment.notebook, 4)
        folder = root / "submitted" / "source" / assignment.name
        folder.mkdir(parents=True)
        nbformat.write(source, folder / assignment.notebook)
        run_nbgrader(root, "autograde", assignment.name, "--force")
        run_nbgrader(root, "generate_feedback", assignment.name, "--force")
    run_nbgrader(root, "export")
    return root


def totals(root, assignment):
    earned = {}
    for score in read_scores(root, assignment.name):
        got, full = earned.get(score.student, (0.0, 0.0))
        earned[score.student] = (got + score.score, full + score.max_score)
    return earned


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_source_and_correct_submissions_earn_full_marks(course, name):
    earned = totals(course, ASSIGNMENTS[name])
    full = ASSIGNMENTS[name].max_points
    assert earned["source"] == (full, full)
    assert earned["correct"] == (full, full)


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_untouched_release_earns_zero_without_crashing(course, name):
    assert totals(course, ASSIGNMENTS[name])["blank"] == (0.0, ASSIGNMENTS[name].max_points)
    autograded = course / "autograded" / "blank" / name / f"{name}.ipynb"
    assert autograded.exists()


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_one_wrong_function_loses_exactly_its_points(course, name):
    assignment = ASSIGNMENTS[name]
    wrong = assignment.functions[1]
    lost = {
        s.grade_id
        for s in read_scores(course, name)
        if s.student == "one-wrong" and s.score < s.max_score
    }
    assert lost, "the mutant earned full marks"
    assert {grade_id.split("_", 1)[1] for grade_id in lost} == {wrong}


def test_a_keras_warning_on_stderr_costs_no_points(course):
    namespace = {}
    exec("import keras\n" + WARNING_CONV_POOL, namespace)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        namespace["build_conv_pool_model"]()
    assert any(issubclass(w.category, UserWarning) for w in caught), "the answer must warn"
    full = ASSIGNMENTS["ps3_keras"].max_points
    assert totals(course, ASSIGNMENTS["ps3_keras"])["keras-warning"] == (full, full)


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_feedback_is_written_without_the_hidden_tests(course, name):
    for student in ("correct", "blank", "one-wrong"):
        html = (course / "feedback" / student / name / f"{name}.html").read_text()
        assert "hidden tests ran here" in html
        assert "visible tests passed" in html or student == "blank"
        for hidden in ("BEGIN HIDDEN TESTS", "autograder.hidden_tests", "hidden_rng"):
            assert hidden not in html, f"{student}'s feedback shows {hidden!r}"


def test_export_writes_every_students_grades(course):
    with (course / "grades.csv").open() as file:
        rows = list(csv.DictReader(file))
    by_key = {(r["assignment"], r["student_id"]): float(r["score"]) for r in rows}
    for name, assignment in ASSIGNMENTS.items():
        assert by_key[name, "correct"] == assignment.max_points
        assert by_key[name, "blank"] == 0.0


def test_students_release_has_no_solutions_and_no_hidden_tests(course):
    for name, assignment in ASSIGNMENTS.items():
        text = (course / "release" / name / assignment.notebook).read_text()
        assert "BEGIN SOLUTION" not in text
        assert "HIDDEN TESTS" not in text
        assert "autograder" not in text
        assert text.count("raise NotImplementedError()") == len(assignment.functions)


@pytest.mark.parametrize("name", ["ps1_filters", "ps2_pooling"])
def test_numpy_assignments_are_graded_without_loading_tensorflow(course, name, monkeypatch):
    """The source notebook (solutions, visible and hidden tests) runs TensorFlow-free."""
    import nbclient

    from course.jupyter_kernels import EncryptedKernelManager

    notebook = nbformat.read(course / "source" / name / f"{name}.ipynb", 4)
    probe = "import sys\nprint(sorted({'tensorflow', 'keras'} & set(sys.modules)))"
    notebook.cells.append(nbformat.v4.new_code_cell(probe))
    monkeypatch.setenv(SECRET_VARIABLE, (course / ".grading_secret").read_text().strip())
    nbclient.NotebookClient(
        notebook, kernel_name="python3", kernel_manager_class=EncryptedKernelManager
    ).execute()
    assert notebook.cells[-1].outputs[0]["text"] == "[]\n"


def test_a_rebuild_is_identical_and_keeps_the_secret(course, tmp_path):
    again = build_course(tmp_path / "again")
    secret = (again / ".grading_secret").read_text()
    assert secret != (course / ".grading_secret").read_text()  # each course draws its own
    for name, assignment in ASSIGNMENTS.items():
        for folder in ("source", "release"):
            first = (course / folder / name / assignment.notebook).read_bytes()
            assert (again / folder / name / assignment.notebook).read_bytes() == first
    build_course(again)
    assert (again / ".grading_secret").read_text() == secret


def test_a_hanging_function_times_out_and_the_others_keep_their_points(tmp_path):
    root = build_course(tmp_path / "course", ("ps1_filters",), call_seconds=3)
    assignment = ASSIGNMENTS["ps1_filters"]
    sleeper = reference_answers(assignment)
    sleeper["correlate2d"] = sleeper["correlate2d"].replace(
        '    """\n', '    """\n    import time\n\n    time.sleep(600)\n', 1
    )
    submit_answers(root, assignment, {"sleeper": sleeper})
    run_nbgrader(root, "autograde", "ps1_filters")
    earned = {s.grade_id: s.score for s in read_scores(root, "ps1_filters")}
    correlate2d, conv2d = graded_function("correlate2d"), graded_function("conv2d")
    assert earned[correlate2d.grade_id(VISIBLE)] == earned[correlate2d.grade_id(HIDDEN)] == 0
    # The batch and the notebook went on.
    assert earned[conv2d.grade_id(HIDDEN)] == conv2d.hidden_points
    autograded = (root / "autograded" / "sleeper" / "ps1_filters" / "ps1_filters.ipynb").read_text()
    assert "timeout in correlate2d (over 3 s)" in autograded


def test_the_kernel_timeout_is_configured_where_nbgrader_reads_it(course):
    config = (course / "nbgrader_config.py").read_text()
    assert "c.Execute.timeout = " in config
    assert "ExecutePreprocessor" not in config.replace("ExecutePreprocessor spelling", "")


def test_grading_without_the_secret_fails_loudly(course, monkeypatch):
    from autograder.secret import MissingSecretError, hidden_rng

    monkeypatch.delenv(SECRET_VARIABLE, raising=False)
    with pytest.raises(MissingSecretError, match=SECRET_VARIABLE):
        hidden_rng("correlate2d")
