"""``course report``: grades.csv and report.html of a class graded by ``course grade``.

One small course is built and graded once (real nbgrader, real sandboxed judge): the
sample students ada (correct), ben (every other function wrong) and cyd (blank), dee
(a notebook that is not JSON) and ``eve<b>`` (a correct notebook handed in under the
name ``<i>.ipynb``: an id and a status line with markup in them).
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from autograder.assignments import ASSIGNMENTS, HIDDEN, VISIBLE
from autograder.course_dir import build_course, read_scores
from autograder.grade import grade_assignment
from autograder.report import write_report
from autograder.samples import submit_samples

ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENT = ASSIGNMENTS["ps1_filters"]
EVE = "eve<b>"


@dataclass(frozen=True)
class Reported:
    """A graded course and one run of ``course report ps1`` in it."""

    root: Path
    result: subprocess.CompletedProcess
    rows: dict[str, dict[str, str]]
    header: list[str]
    page: str


def _cli(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "course.cli", *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def reported(tmp_path_factory) -> Reported:
    root = build_course(tmp_path_factory.mktemp("course"), (ASSIGNMENT.name,))
    submit_samples(root, ASSIGNMENT)
    submitted = root / "submitted"
    dee = submitted / "dee" / ASSIGNMENT.name
    dee.mkdir(parents=True)
    (dee / ASSIGNMENT.notebook).write_text('{"cells": [')
    eve = submitted / EVE / ASSIGNMENT.name
    eve.mkdir(parents=True)
    shutil.copy(submitted / "ada" / ASSIGNMENT.name / ASSIGNMENT.notebook, eve / "<i>.ipynb")
    grade_assignment(root, ASSIGNMENT, workers=2, progress=None)
    result = _cli("report", "ps1", "--root", str(root))
    folder = root / "reports" / ASSIGNMENT.name
    with (folder / "grades.csv").open(newline="", encoding="utf-8") as file:
        reader = csv.DictReader(file)
        rows = {row["student"]: row for row in reader}
        header = list(reader.fieldnames or [])
    page = (folder / "report.html").read_text(encoding="utf-8")
    return Reported(root, result, rows, header, page)


def test_the_cli_writes_the_csv_and_the_page(reported):
    assert reported.result.returncode == 0, reported.result.stderr
    folder = reported.root / "reports" / ASSIGNMENT.name
    assert reported.result.stdout.splitlines() == [
        f"wrote {folder / 'grades.csv'}",
        f"wrote {folder / 'report.html'}",
    ]


def test_the_csv_has_one_sorted_row_per_student_and_a_column_per_function(reported):
    assert reported.header == ["student", *ASSIGNMENT.functions, "total", "max", "status"]
    assert list(reported.rows) == sorted(["ada", "ben", "cyd", "dee", EVE])


def test_the_csv_points_are_the_gradebooks(reported):
    recorded: dict[str, dict[str, float]] = {}
    for score in read_scores(reported.root, ASSIGNMENT.name):
        recorded.setdefault(score.student, {})[score.grade_id] = score.score
    assert set(recorded) == set(reported.rows)
    for student, row in reported.rows.items():
        cells = recorded[student]
        for f in ASSIGNMENT.graded:
            earned = cells[f.grade_id(VISIBLE)] + cells[f.grade_id(HIDDEN)]
            assert float(row[f.name]) == earned, student
        assert float(row["total"]) == sum(cells.values()), student
        assert float(row["max"]) == ASSIGNMENT.max_points, student


def test_the_csv_grades_and_statuses(reported):
    rows = reported.rows
    full = f"{ASSIGNMENT.max_points:g}"
    assert (rows["ada"]["total"], rows["ada"]["max"], rows["ada"]["status"]) == (full, full, "ok")
    assert rows[EVE]["total"] == full
    assert rows[EVE]["status"] == "renamed notebook (<i>.ipynb)"  # the CSV keeps the raw text
    assert 0 < float(rows["ben"]["total"]) < ASSIGNMENT.max_points
    assert rows["cyd"]["total"] == "0"
    assert rows["dee"]["total"] == "0"
    assert rows["dee"]["status"].startswith("invalid notebook")
    assert all(rows["dee"][name] == "0" for name in ASSIGNMENT.functions)


def test_the_page_embeds_two_charts_and_loads_nothing(reported):
    page = reported.page
    assert page.count('src="data:image/png;base64,') == 2
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.IGNORECASE)
    assert "http://" not in page
    assert "https://" not in page
    assert "<script" not in page
    assert "<link" not in page


def test_the_page_summarises_the_class(reported):
    page = reported.page
    assert "<h1>ps1_filters: grade report</h1>" in page
    assert "<th>submissions</th><td>5</td>" in page
    assert "<th>full marks</th><td>2</td>" in page
    assert "<th>faulty submissions</th><td>2</td>" in page
    for name in ASSIGNMENT.functions:
        assert f"<code>{name}</code>" in page


def test_the_page_lists_the_faulty_submissions_with_their_status(reported):
    faulty = reported.page.split("<h2>Faulty submissions</h2>")[1]
    assert "<li><code>dee</code>: invalid notebook" in faulty
    assert "<code>ada</code>" not in faulty
    assert "<code>eve&lt;b&gt;</code>: renamed notebook (&lt;i&gt;.ipynb)" in faulty


def test_student_text_is_escaped(reported):
    assert "eve&lt;b&gt;" in reported.page
    assert "<b>" not in reported.page
    assert "<i>" not in reported.page


def test_the_page_holds_no_test_code(reported):
    page = reported.page
    assert "autograder.hidden_tests" not in page
    assert "check_" not in page
    assert "assert " not in page


def test_an_ungraded_course_says_to_grade_first(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"run `course grade ps1_filters --root .*` first"):
        write_report(tmp_path, ASSIGNMENT)
    result = _cli("report", "ps1", "--root", str(tmp_path))
    assert result.returncode != 0
    assert "course grade ps1_filters" in result.stderr
    assert not (tmp_path / "reports").exists()


def test_verdicts_without_a_gradebook_say_to_grade_first(tmp_path):
    (tmp_path / "judged" / ASSIGNMENT.name).mkdir(parents=True)
    with pytest.raises(FileNotFoundError, match=r"no gradebook.*course grade ps1_filters"):
        write_report(tmp_path, ASSIGNMENT)
    assert not (tmp_path / "gradebook.db").exists()


def test_an_empty_gradebook_says_to_grade_first(tmp_path, reported):
    (tmp_path / "judged" / "ps2_pooling").mkdir(parents=True)
    shutil.copy(reported.root / "gradebook.db", tmp_path / "gradebook.db")
    with pytest.raises(ValueError, match=r"no grades of ps2_pooling.*course grade ps2_pooling"):
        write_report(tmp_path, ASSIGNMENTS["ps2_pooling"])
