"""The two wheels, installed as their users install them.

`pip wheel` builds `convpool-course` and `convpool-instructor` from this checkout (what
`make dist` does); each is installed into a fresh virtual environment in a temporary
folder — not editable, dependencies resolved by pip from the package registry (its cache
after `make setup`) — and used from a folder outside the checkout, with the checkout on no
`sys.path`.

- Student: `course check` on a handed-out notebook with a correct and with a wrong answer,
  `course --help` showing only what works there, the instructor packages absent, nbgrader
  not a dependency, no reference code in the wheel.
- Instructor: every lesson executed, `course build` (nbgrader release and class edition),
  `course grade` and `course report` on a handful of submissions, the website built.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
import venv
import zipfile
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from autograder.assignments import ASSIGNMENTS
from autograder.mutation import reference_answers
from autograder.notebooks import submission_from_release
from courseware.solution_leaks import find_leaks

ROOT = Path(__file__).resolve().parents[1]
PS1 = ASSIGNMENTS["ps1_filters"]
INSTRUCTOR_PACKAGES = ("solutions", "autograder", "courseware", "lessons")
INSTRUCTOR_COMMANDS = ("build", "demo", "grade", "lessons", "report", "site", "verify")
#: A wrong correlate2d: the right shape, always zero.
WRONG_CORRELATE2D = (
    'def correlate2d(image, kernel, stride=1, padding="valid"):\n'
    "    image, kernel = np.asarray(image, float), np.asarray(kernel, float)\n"
    "    return np.zeros((image.shape[0] - kernel.shape[0] + 1, "
    "image.shape[1] - kernel.shape[1] + 1))\n"
)


@dataclass(frozen=True)
class Install:
    """A fresh virtual environment with some wheels installed, and a folder to work in."""

    prefix: Path
    workdir: Path

    def run(self, *command: str, timeout: float = 900) -> subprocess.CompletedProcess:
        """Run a command of the environment from its work folder, outside the checkout."""
        environment = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("PYTHON", "VIRTUAL_ENV", "CONVPOOL"))
        }
        environment["PATH"] = f"{self.prefix / 'bin'}:{environment.get('PATH', '/usr/bin:/bin')}"
        return subprocess.run(
            [str(self.prefix / "bin" / command[0]), *command[1:]],
            cwd=self.workdir,
            env=environment,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def python(self, code: str) -> subprocess.CompletedProcess:
        return self.run("python", "-c", code)


#: What setuptools leaves in a project between builds (`make dist` removes the same).
STALE_BUILDS = ("build/lib", "student/build")


@pytest.fixture(scope="module")
def wheels(tmp_path_factory) -> dict[str, Path]:
    """The two wheels, built as `make dist` builds them."""
    for stale in STALE_BUILDS:
        shutil.rmtree(ROOT / stale, ignore_errors=True)
    dist = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(dist),
         str(ROOT / "student"), str(ROOT)],
        capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    built = {path.name.split("-")[0]: path for path in dist.glob("*.whl")}
    assert sorted(built) == ["convpool_course", "convpool_instructor"], sorted(built)
    return built


def _install(folder: Path, *requirements: str) -> Install:
    prefix = folder / "venv"
    venv.create(prefix, with_pip=True)
    install = Install(prefix, folder / "work")
    install.workdir.mkdir()
    result = install.run("python", "-m", "pip", "install", "--quiet", *requirements)
    assert result.returncode == 0, result.stderr[-3000:]
    return install


@pytest.fixture(scope="module")
def student(wheels, tmp_path_factory) -> Install:
    return _install(tmp_path_factory.mktemp("student"), str(wheels["convpool_course"]))


@pytest.fixture(scope="module")
def instructor(wheels, tmp_path_factory) -> Install:
    site_extra = f"{wheels['convpool_instructor']}[site]"
    return _install(
        tmp_path_factory.mktemp("instructor"), str(wheels["convpool_course"]), site_extra
    )


def _members(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        return archive.namelist()


def _requirements(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        metadata = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        lines = archive.read(metadata).decode().splitlines()
    return [line.split(":", 1)[1].strip() for line in lines if line.startswith("Requires-Dist:")]


def _tracked(folder: str) -> set[str]:
    listed = subprocess.run(
        ["git", "ls-files", folder], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    return set(listed)


def test_wheels_hold_exactly_the_tracked_sources(wheels):
    """Nothing stale or untracked is packed: the student wheel is `student/course/` as git
    has it; the instructor wheel's files are all tracked."""
    student = {m for m in _members(wheels["convpool_course"]) if ".dist-info/" not in m}
    assert student == {path.removeprefix("student/") for path in _tracked("student/course")}
    instructor = {m for m in _members(wheels["convpool_instructor"]) if ".dist-info/" not in m}
    assert instructor <= _tracked(".")


def test_student_wheel_holds_only_the_course_package(wheels):
    """`course` with its visible tests; no solutions, autograder, builders or lessons, no
    reference code anywhere in it, and no nbgrader among its requirements."""
    members = _members(wheels["convpool_course"])
    packages = {name.split("/")[0] for name in members if not name.split("/")[0].endswith("-info")}
    assert packages == {"course"}
    assert "course/visible_tests/ps1_filters.py" in members
    assert "course/your_functions.py" in members
    assert find_leaks([wheels["convpool_course"]]) == []
    assert not [r for r in _requirements(wheels["convpool_course"]) if "nbgrader" in r]


def test_instructor_wheel_ships_its_subpackages_and_data(wheels):
    """Hidden tests, mutants and the runner, every lesson source and the site's sources."""
    members = set(_members(wheels["convpool_instructor"]))
    for name in ("autograder/hidden_tests/ps1_filters.py", "autograder/mutants/ps1_filters.py",
                 "autograder/runner/serve.py", "solutions/filters.py", "courseware/commands/grade.py",
                 "courseware/site_sources/conf.py", "courseware/site_sources/index.md",
                 "courseware/site_sources/index-class.md",
                 "courseware/site_sources/_static/course-site.css",
                 "lessons/01_hand_convolution.py", "lessons/05_why_not_pool_first.py"):  # fmt: skip
        assert name in members, name
    requirements = _requirements(wheels["convpool_instructor"])
    assert "convpool-course==0.2.0" in requirements
    assert any(r.startswith("nbgrader") for r in requirements)


def test_student_install_has_no_instructor_side(student):
    """The instructor packages are not importable, the checkout is on no path, and
    `course --help` offers only `check`."""
    for name in INSTRUCTOR_PACKAGES:
        result = student.python(f"import {name}")
        assert result.returncode != 0, name
        assert "ModuleNotFoundError" in result.stderr, name
    where = student.python("import course, sys; print(course.__file__); print(sys.path)")
    assert where.returncode == 0, where.stderr
    assert str(student.prefix) in where.stdout.splitlines()[0]
    assert str(ROOT) not in where.stdout
    shown = student.run("course", "--help")
    assert shown.returncode == 0, shown.stderr
    assert "check" in shown.stdout
    for command in INSTRUCTOR_COMMANDS:
        assert f"    {command} " not in shown.stdout, command
    version = student.run("course", "--version")
    assert version.stdout.strip() == "course 0.2.0 (convpool-course 0.2.0)"
    refused = student.run("course", "grade", "ps1")
    assert refused.returncode == 2
    assert "invalid choice: 'grade'" in refused.stderr


@pytest.mark.parametrize(
    ("answers", "status", "verdict"),
    [(reference_answers(PS1), 0, "pass"), ({"correlate2d": WRONG_CORRELATE2D}, 1, "FAIL")],
    ids=["correct", "wrong"],
)  # fmt: skip
def test_student_checks_a_handed_out_notebook(student, release, answers, status, verdict):
    """`course check` in the student's install: the table and the exit status."""
    released = nbformat.read(release / PS1.name / PS1.notebook, as_version=4)
    notebook = student.workdir / PS1.notebook
    nbformat.write(submission_from_release(released, answers), notebook)
    result = student.run("course", "check", PS1.name, str(notebook))
    assert result.returncode == status, result.stdout + result.stderr[-2000:]
    assert re.search(rf"^correlate2d +{verdict} ", result.stdout, re.MULTILINE), result.stdout


def test_student_runs_a_class_edition_lesson_with_their_work(student, release):
    """Lesson 1 of the class edition, in the student's install, next to their correct
    ps1 notebook: every cell runs, with their functions."""
    classroom = student.workdir / "classroom"
    (classroom / "lessons").mkdir(parents=True)
    (classroom / PS1.name).mkdir()
    lesson = classroom / "lessons" / "01_hand_convolution.ipynb"
    lesson.write_bytes((release / "lessons" / lesson.name).read_bytes())
    released = nbformat.read(release / PS1.name / PS1.notebook, as_version=4)
    answered = submission_from_release(released, reference_answers(PS1))
    nbformat.write(answered, classroom / PS1.name / PS1.notebook)
    code = (
        "import nbclient, nbformat\n"
        f"notebook = nbformat.read({str(lesson)!r}, as_version=4)\n"
        "nbclient.NotebookClient(notebook, kernel_name='python3', timeout=600,\n"
        f"    resources={{'metadata': {{'path': {str(lesson.parent)!r}}}}}).execute()\n"
        "print('executed', sum(c.cell_type == 'code' for c in notebook.cells), 'cells')"
    )
    result = student.python(code)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.startswith("executed ")


@pytest.fixture(scope="module")
def release(demo_run) -> Path:
    assert demo_run.result.returncode == 0, demo_run.result.stderr[-3000:]
    return demo_run.out / "course" / "release"


@pytest.fixture(scope="module")
def taught(instructor) -> Install:
    """The instructor's whole term from the wheel: lessons, course, grading, report, site."""
    result = instructor.run("course", "lessons", "--out", "lessons")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    result = instructor.run("course", "build", "--root", "course", "--lessons", "lessons", "ps1")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    root = instructor.workdir / "course"
    released = nbformat.read(root / "release" / PS1.name / PS1.notebook, as_version=4)
    handed_in = {
        "correct": reference_answers(PS1),
        "wrong": {**reference_answers(PS1), "correlate2d": WRONG_CORRELATE2D},
        "blank": {},
    }
    for student, answers in handed_in.items():
        folder = root / "submitted" / student / PS1.name
        folder.mkdir(parents=True)
        nbformat.write(submission_from_release(released, answers), folder / PS1.notebook)
    for command in (["grade", "ps1"], ["report", "ps1"]):
        result = instructor.run("course", *command, "--root", "course")
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    result = instructor.run("course", "site", "--out", "site", "--lessons", "lessons")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    return instructor


def test_instructor_install_runs_from_the_wheel(instructor):
    """Every package resolves inside the environment; the checkout is on no path; every
    instructor subcommand is offered."""
    code = (
        "import sys, course, solutions, autograder, courseware, lessons\n"
        "for m in (course, solutions, autograder, courseware, lessons): print(m.__file__)\n"
        "print(sys.path)"
    )
    result = instructor.python(code)
    assert result.returncode == 0, result.stderr
    *files, path = result.stdout.splitlines()
    assert all(str(instructor.prefix) in file for file in files), files
    assert str(ROOT) not in path
    shown = instructor.run("course", "--help").stdout
    for command in ("check", *INSTRUCTOR_COMMANDS):
        assert f"    {command} " in shown, command
    assert "cannot be loaded" not in shown


def test_instructor_install_verifies_the_operators(instructor):
    """`course verify`, from the wheel: every hand-written operator agrees with its oracle."""
    result = instructor.run("course", "verify")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert re.search(r"(\d+) of \1 checks agree with their oracle", result.stdout), result.stdout


def test_instructor_install_executes_the_lessons(taught):
    """All five lessons, from the sources shipped in the wheel."""
    executed = sorted(path.stem for path in (taught.workdir / "lessons").glob("*.ipynb"))
    assert executed == [
        "01_hand_convolution", "02_hand_pooling", "03_translation_invariance", "04_into_keras",
        "05_why_not_pool_first",
    ]  # fmt: skip


def test_instructor_install_builds_releases_and_the_class_edition(taught):
    root = taught.workdir / "course"
    assert (root / "release" / PS1.name / PS1.notebook).exists()
    edition = sorted((root / "release" / "lessons").glob("*.ipynb"))
    assert len(edition) == 5
    assert find_leaks(edition) == []


def test_instructor_install_grades_and_reports(taught):
    """Full marks, partial marks, none: as the nbgrader gradebook records them."""
    report = taught.workdir / "course" / "reports" / PS1.name / "grades.csv"
    with report.open(encoding="utf-8") as file:
        rows = {row["student"]: row for row in csv.DictReader(file)}
    assert sorted(rows) == ["blank", "correct", "wrong"]
    total = {student: float(row["total"]) for student, row in rows.items()}
    assert total["correct"] == PS1.max_points
    assert 0 < total["wrong"] < PS1.max_points
    assert total["blank"] == 0
    assert (taught.workdir / "course" / "feedback" / "correct" / PS1.name).is_dir()


def test_instructor_install_builds_the_site(taught):
    site = taught.workdir / "site"
    assert (site / "index.html").exists()
    for lesson in ("01_hand_convolution", "05_why_not_pool_first"):
        assert (site / "lessons" / f"{lesson}.html").exists()
    page = (site / "exercises" / "ps1_filters.html").read_text(encoding="utf-8")
    assert "Solution:" in page  # the self-study edition folds the solutions
