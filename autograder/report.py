"""``course report``: a class's grades as ``grades.csv`` and a self-contained ``report.html``.

The points come from the nbgrader gradebook (what ``course grade`` recorded: the grades
students see), one ``test_NAME`` cell (visible tests) and one ``hidden_NAME`` cell (hidden
tests) per graded function. The status of each submission comes from its verdict,
``judged/ASSIGNMENT/STUDENT.json``: ``ok``, or what was wrong (an unreadable notebook, a
timeout, deleted test cells). Student ids and status lines are untrusted text and are
escaped in the HTML; the report holds no test code, only points and statuses.

:func:`write_report` writes ``reports/ASSIGNMENT/grades.csv`` and
``reports/ASSIGNMENT/report.html`` into the course directory.
"""

from __future__ import annotations

import base64
import csv
import html
import io
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from autograder.assignments import HIDDEN, VISIBLE, Assignment
from autograder.course_dir import read_scores
from autograder.judge import Verdict
from autograder.nbgrader_judge import verdict_path

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["StudentRow", "grade_rows", "load_verdicts", "render_html", "write_report"]

#: Status of a student with grades in the gradebook but no verdict file.
NOT_JUDGED = "not judged"
#: Status of a student with a verdict file but no grades in the gradebook.
UNGRADED = "ungraded"


@dataclass(frozen=True)
class StudentRow:
    """One student's recorded grades of one assignment, and the status of the submission.

    Attributes
    ----------
    student : str
        The student id (untrusted text: the name of the submission's folder).
    points : dict
        Graded function → points recorded for it (visible + hidden cell); empty when the
        gradebook has nothing for this student.
    total, max_points : float
        Points earned and possible, from the gradebook (``total`` is None when ungraded).
    status : str
        ``"ok"``, the verdict's problem, or :data:`NOT_JUDGED` / :data:`UNGRADED`.
    visible, hidden : dict
        Graded function → whether its visible / hidden test cell earned full points.
    """

    student: str
    points: dict[str, float] = field(default_factory=dict)
    total: float | None = None
    max_points: float = 0.0
    status: str = "ok"
    visible: dict[str, bool] = field(default_factory=dict)
    hidden: dict[str, bool] = field(default_factory=dict)

    @property
    def graded(self) -> bool:
        """Whether the gradebook holds this student's grades."""
        return self.total is not None


def _run_grade_first(root: Path, assignment: Assignment) -> str:
    return f"run `course grade {assignment.name} --root {root}` first"


def load_verdicts(root: Path, assignment: Assignment) -> dict[str, Verdict]:
    """Student id → verdict, from ``judged/ASSIGNMENT/*.json``.

    A verdict file that cannot be read becomes a verdict with an ``unreadable verdict``
    status (and no functions).

    Raises
    ------
    FileNotFoundError
        If the assignment has not been judged (no ``judged/ASSIGNMENT/`` folder).
    """
    folder = verdict_path(root, assignment.name, "_").parent
    if not folder.is_dir():
        raise FileNotFoundError(
            f"no verdicts for {assignment.name} in {folder}: {_run_grade_first(root, assignment)}"
        )
    verdicts = {}
    for path in sorted(folder.glob("*.json")):
        try:
            verdicts[path.stem] = Verdict.from_json(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError, TypeError, KeyError) as error:
            status = f"unreadable verdict ({type(error).__name__})"
            verdicts[path.stem] = Verdict(assignment.name, "", status)
    return verdicts


def _passed(cells: dict[str, tuple[float, float]], grade_id: str) -> bool:
    """Whether the cell ``grade_id`` earned full points (a missing cell did not)."""
    score, full = cells.get(grade_id, (0.0, 0.0))
    return full > 0 and score >= full


def grade_rows(root: Path, assignment: Assignment) -> list[StudentRow]:
    """One row per student (sorted by id): recorded points and the verdict's status.

    Raises
    ------
    FileNotFoundError
        If the assignment has not been judged, or the course has no gradebook.
    ValueError
        If the gradebook holds no grades of the assignment.
    """
    root = Path(root).resolve()
    verdicts = load_verdicts(root, assignment)
    database = root / "gradebook.db"
    if not database.is_file():  # reading it would create an empty one
        raise FileNotFoundError(f"no gradebook at {database}: {_run_grade_first(root, assignment)}")
    scores = read_scores(root, assignment.name)
    if not scores:
        raise ValueError(
            f"the gradebook {database} holds no grades of {assignment.name}: "
            f"{_run_grade_first(root, assignment)}"
        )
    by_student: dict[str, dict[str, tuple[float, float]]] = {}
    for score in scores:
        by_student.setdefault(score.student, {})[score.grade_id] = (
            float(score.score or 0.0),
            float(score.max_score or 0.0),
        )
    rows = []
    for student in sorted(by_student.keys() | verdicts.keys()):
        verdict = verdicts.get(student)
        cells = by_student.get(student)
        if cells is None:
            status = UNGRADED if verdict is None or verdict.status == "ok" else verdict.status
            rows.append(StudentRow(student, max_points=assignment.max_points, status=status))
            continue
        rows.append(
            StudentRow(
                student,
                points={
                    f.name: sum(cells.get(f.grade_id(k), (0.0, 0.0))[0] for k in (VISIBLE, HIDDEN))
                    for f in assignment.graded
                },
                total=sum(score for score, _ in cells.values()),
                max_points=sum(full for _, full in cells.values()),
                status=verdict.status if verdict is not None else NOT_JUDGED,
                visible={f.name: _passed(cells, f.grade_id(VISIBLE)) for f in assignment.graded},
                hidden={f.name: _passed(cells, f.grade_id(HIDDEN)) for f in assignment.graded},
            )
        )
    return rows


def _points_of_cells(assignment: Assignment) -> str:
    """``"1 + 2 each"`` when every function has the same points, else one per function."""
    points = {f.name: f"{f.visible_points} + {f.hidden_points}" for f in assignment.graded}
    if len(set(points.values())) == 1:
        return f"{next(iter(points.values()))} each"
    return ", ".join(f"{name} {each}" for name, each in points.items())


def _number(value: float | None) -> str:
    """Points as written in the CSV and the report.

    >>> _number(3.0), _number(1.5), _number(None)
    ('3', '1.5', '')
    """
    return "" if value is None else f"{value:g}"


def _text_cell(text: str) -> str:
    """Student-made text for a spreadsheet: a leading ``= + - @`` would start a formula.

    Examples
    --------
    >>> _text_cell("=HYPERLINK(1)"), _text_cell("ada")
    ("'=HYPERLINK(1)", 'ada')
    """
    return f"'{text}" if text[:1] in {"=", "+", "-", "@"} else text


def _write_csv(rows: list[StudentRow], assignment: Assignment, path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["student", *assignment.functions, "total", "max", "status"])
        for row in rows:
            writer.writerow(
                [
                    _text_cell(row.student),
                    *(_number(row.points.get(n)) for n in assignment.functions),
                    _number(row.total),
                    _number(row.max_points),
                    _text_cell(row.status),
                ]
            )


def _png_data_uri(figure: Figure) -> str:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, metadata={"Software": None})
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _histogram(totals: list[float], max_points: float, name: str) -> str:
    import numpy as np
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6.4, 3.6), layout="constrained")
    axes = figure.add_subplot()
    axes.hist(totals, bins=np.arange(-0.5, max_points + 1.5), color="#4c72b0", edgecolor="white")
    axes.set_xlim(-0.5, max_points + 0.5)
    axes.set_xlabel(f"total points (out of {_number(max_points)})")
    axes.set_ylabel("students")
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.set_title(f"{name}: total scores of {len(totals)} graded submissions")
    return _png_data_uri(figure)


def _pass_rate_chart(rates: dict[str, tuple[float, float]], name: str) -> str:
    import numpy as np
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6.4, 3.6), layout="constrained")
    axes = figure.add_subplot()
    x = np.arange(len(rates))
    width = 0.38
    axes.bar(x - width / 2, [v for v, _ in rates.values()], width, label="visible tests")
    axes.bar(x + width / 2, [h for _, h in rates.values()], width, label="hidden tests")
    axes.set_xticks(x, list(rates))
    axes.set_ylim(0, 1.25)
    axes.set_yticks(np.linspace(0, 1, 6))
    axes.set_xlabel("graded function")
    axes.set_ylabel("fraction of submissions passing")
    axes.set_title(f"{name}: pass rate per function")
    axes.legend(loc="upper center", ncols=2)
    return _png_data_uri(figure)


STYLE = """
body { font-family: sans-serif; max-width: 60em; margin: 2em auto; color: #222; }
table { border-collapse: collapse; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: right; }
th:first-child, td:first-child { text-align: left; }
code { background: #f3f3f3; padding: 0 0.2em; }
img { max-width: 100%; }
"""


def render_html(rows: list[StudentRow], assignment: Assignment) -> str:
    """The report as one self-contained HTML page (inline CSS, charts as data URIs).

    Parameters
    ----------
    rows : list of StudentRow
        As :func:`grade_rows` returns them.
    assignment : Assignment
    """
    e = html.escape
    graded = [row for row in rows if row.graded]
    totals = [row.total for row in graded if row.total is not None]
    max_points = max((row.max_points for row in graded), default=float(assignment.max_points))
    full = sum(1 for row in graded if row.total is not None and row.total >= row.max_points > 0)
    faulty = [row for row in rows if row.status != "ok"]
    count = len(graded)
    rates = {
        n: (
            sum(row.visible.get(n, False) for row in graded) / count if count else 0.0,
            sum(row.hidden.get(n, False) for row in graded) / count if count else 0.0,
        )
        for n in assignment.functions
    }
    mean = _number(round(statistics.fmean(totals), 2)) if totals else "n/a"
    median = _number(statistics.median(totals)) if totals else "n/a"
    submissions = f"{len(rows)}"
    if count != len(rows):
        submissions += f" ({count} with grades in the gradebook)"
    summary = [
        ("submissions", submissions),
        ("mean score", f"{mean} / {_number(max_points)}"),
        ("median score", f"{median} / {_number(max_points)}"),
        ("full marks", f"{full}"),
        ("faulty submissions", f"{len(faulty)}"),
    ]
    rate_rows = "\n".join(
        f"<tr><td><code>{e(n)}</code></td>"
        f"<td>{sum(r.visible.get(n, False) for r in graded)} / {count}</td><td>{v:.0%}</td>"
        f"<td>{sum(r.hidden.get(n, False) for r in graded)} / {count}</td><td>{h:.0%}</td></tr>"
        for n, (v, h) in rates.items()
    )
    faulty_items = (
        "\n".join(f"<li><code>{e(row.student)}</code>: {e(row.status)}</li>" for row in faulty)
        or "<li>none</li>"
    )
    title = f"{assignment.name}: grade report"
    images = ""
    if totals:
        images = (
            f'<img alt="histogram of total scores" '
            f'src="{_histogram(totals, max_points, assignment.name)}">\n'
            f'<img alt="pass rate per function, visible and hidden tests" '
            f'src="{_pass_rate_chart(rates, assignment.name)}">'
        )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{e(title)}</title>
<style>{STYLE}</style>
</head>
<body>
<h1>{e(title)}</h1>
<p>{e(assignment.title)}. Points as recorded in the gradebook, per function for its passing
visible-test and hidden-test cells: {e(_points_of_cells(assignment))};
{e(_number(assignment.max_points))} in all.</p>
<h2>Summary</h2>
<table>
{"".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in summary)}
</table>
<h2>Scores and pass rates</h2>
{images}
<table>
<tr><th>function</th><th colspan="2">visible tests passed</th>
<th colspan="2">hidden tests passed</th></tr>
{rate_rows}
</table>
<h2>Faulty submissions</h2>
<ul>
{faulty_items}
</ul>
</body>
</html>
"""


def write_report(root: Path, assignment: Assignment) -> list[Path]:
    """Write ``reports/ASSIGNMENT/grades.csv`` and ``report.html`` into the course ``root``.

    ``grades.csv`` has one row per student (sorted): the id, the points of each graded
    function (visible + hidden test cell), the total, the maximum and the status.

    Parameters
    ----------
    root : path
        The course directory ``course grade`` graded the assignment in.
    assignment : Assignment

    Returns
    -------
    list of Path
        The CSV file and the HTML page.

    Raises
    ------
    FileNotFoundError
        If the assignment has not been judged, or there is no gradebook.
    ValueError
        If the gradebook holds no grades of the assignment.
    """
    root = Path(root).resolve()
    rows = grade_rows(root, assignment)
    folder = root / "reports" / assignment.name
    folder.mkdir(parents=True, exist_ok=True)
    table = folder / "grades.csv"
    _write_csv(rows, assignment, table)
    page = folder / "report.html"
    page.write_text(render_html(rows, assignment), encoding="utf-8")
    return [table, page]
