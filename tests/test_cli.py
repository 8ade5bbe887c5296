"""Does the `course` command do what the README says?"""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

import solutions
from autograder import verify
from course import cli


def test_demo_writes_the_picture_and_prints_the_table(demo_run):
    """`course demo` (the main job of `make demo`) exits 0, writes a PNG, all rows agree."""
    result = demo_run.result
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    picture = demo_run.out / "seven_edges.png"
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "Keras backend: tensorflow" in result.stdout
    assert re.search(r"(\d+) of \1 checks agree with their oracle", result.stdout)
    assert "FAILED" not in result.stdout
    assert "4,000 training and 1,000 test images" in result.stdout or "60,000" in result.stdout


def test_the_demo_picture_shows_the_seven_and_four_edge_maps(demo_run):
    """The saved figure is wide enough for five panels (the 7 and four maps)."""
    import matplotlib.image

    height, width, _ = matplotlib.image.imread(demo_run.out / "seven_edges.png").shape
    assert width > 4 * height


def test_demo_prints_the_lesson_summary(demo_run):
    """The one-screen summary names every lesson with its time, and the total."""
    import lessons

    for source in lessons.sources():
        assert f"\n{source.stem}  " in demo_run.result.stdout
    assert "all lessons: " in demo_run.result.stdout
    assert (demo_run.out / "lessons" / "summary.txt").exists()


def test_verify_fails_when_an_operator_is_wrong(monkeypatch, capsys):
    """A wrong correlate2d (the kernel flipped) is caught: rows fail and the exit status is 1."""
    monkeypatch.setattr(solutions, "correlate2d", solutions.convolve2d)
    assert cli.main(["verify"]) == 1
    out = capsys.readouterr().out
    failed = [line for line in out.splitlines() if line.endswith("FAILED")]
    assert failed
    assert all(line.startswith("correlate2d") for line in failed)


def test_every_oracle_row_passes_for_the_reference():
    """Every oracle row of the verification table agrees; only library rows may differ."""
    checks = verify.verification_checks()
    assert len(checks) >= 20
    assert [c.operation for c in checks if not c.passed and not c.library] == []
    assert verify.table_passes(checks)


def test_unknown_command_is_refused(capsys):
    """A misspelt subcommand gives argparse's usage error, status 2."""
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["demoo"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'demoo'" in capsys.readouterr().err


def test_console_script_is_installed():
    """`make setup` installs the `course` command next to the interpreter."""
    script = Path(sys.executable).parent / "course"
    result = subprocess.run([str(script), "--version"], capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert result.stdout.startswith("course ")


def test_demo_grades_the_sample_students_with_nbgrader(demo_run):
    """The demo's grade table: the correct student full marks, the blank one none."""
    from autograder.assignments import ASSIGNMENTS

    out = demo_run.result.stdout
    full = sum(a.max_points for a in ASSIGNMENTS.values())
    rows = {
        line.split()[0]: line.split()
        for line in out.splitlines()
        if line[:4] in {"ada ", "ben ", "cyd "}
    }
    assert rows["ada"][-1] == f"{full}/{full}"
    assert rows["cyd"][-1] == f"0/{full}"
    earned = float(rows["ben"][-1].split("/")[0])
    assert 0 < earned < full
    course = demo_run.out / "course"
    assert (course / "grades.csv").exists()
    assert (course / "feedback" / "ben" / "ps1_filters" / "ps1_filters.html").exists()


def test_a_broken_subcommand_does_not_stop_the_others(monkeypatch, capsys):
    """A subcommand whose arguments cannot be declared is listed as broken and says why
    when asked for; `course check` and the rest still work."""

    def explode(parser):
        raise ImportError("a module of the broken package is missing")

    broken = cli.Command("broken on purpose", explode, lambda args: 0)
    working = dict(cli.commands())
    monkeypatch.setattr(cli, "commands", lambda: {**working, "broken": broken})
    assert cli.main(["broken", "--anything"]) == 2
    assert "cannot be loaded (a module of the broken package is missing)" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exited:
        cli.main(["check", "--help"])
    assert exited.value.code == 0
    assert "ASSIGNMENT*.ipynb" in capsys.readouterr().out


def test_every_instructor_subcommand_comes_through_its_entry_point():
    """In this checkout both distributions are installed: every subcommand is a real
    COMMAND of its module in courseware.commands, none a stand-in for a broken entry point."""

    found = cli.commands()
    assert sorted(found) == [
        "build",
        "check",
        "demo",
        "grade",
        "lessons",
        "report",
        "site",
        "verify",
    ]
    for name in ("build", "demo", "grade", "lessons", "report", "site", "verify"):
        module = importlib.import_module(f"courseware.commands.{name}")
        assert found[name] is module.COMMAND, name
