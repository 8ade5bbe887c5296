"""The grading benchmark's section of ``benchmarks/results.md``: what was measured per
assignment, compared against the targets, rendered as Markdown."""

from __future__ import annotations

import datetime
import os
import platform
import statistics
from dataclasses import dataclass
from importlib import metadata

from results_file import cpu_model

from autograder.assignments import ASSIGNMENTS, Assignment
from autograder.isolation import isolation_level

from .classes import HONEST, PRINTED_LINES, SEED, SHARES, Student
from .runs import STOCK_TIMEOUT, CourseGradeRun, StockRun

__all__ = ["Result", "render"]

#: Targets: 3 × 100 submissions in ≤ 10 min on 2 cores; ≥ 3× faster than stock; 0 differences.
TARGET_STUDENTS = 100
TARGET_CORES = 2
TARGET_MINUTES = 10.0
TARGET_SPEEDUP = 3.0
#: The label of a stock time estimated from a subset of the class.
ESTIMATED = " *est.*"

#: Gradebook: student → graded cell → points.
Scores = dict[str, dict[str, float]]


@dataclass
class Result:
    """Everything measured for one assignment."""

    assignment: Assignment
    students: list[Student]
    course: CourseGradeRun
    stock: StockRun | None
    #: How many of the students (the first ones) stock nbgrader graded.
    stock_students: int
    course_scores: Scores
    stock_scores: Scores
    #: Seconds the judge spent training the distinct models (from ``judged/training/``).
    training_seconds: float = 0.0

    @property
    def estimated(self) -> bool:
        """Whether stock nbgrader graded only part of the class."""
        return self.stock is not None and self.stock_students < len(self.students)

    @property
    def stock_estimate(self) -> float | None:
        """Stock seconds for the whole class: measured, or per-notebook × N when only
        ``stock_students`` were graded (None: stock not run)."""
        if self.stock is None:
            return None
        if not self.estimated:
            return self.stock.seconds
        return self.stock.seconds / self.stock_students * len(self.students)

    @property
    def compared(self) -> int:
        """Honest submissions that both graders graded."""
        if self.stock is None:
            return 0
        return sum(s.kind in HONEST for s in self.students[: self.stock_students])

    def points(self, scores: Scores, student: str) -> str:
        """``student``'s total in ``scores``, as ``POINTS/MAX`` or ``no grade``."""
        if student not in scores:
            return "no grade"
        return f"{sum(scores[student].values()):g}/{self.assignment.max_points}"

    def differences(self) -> list[str]:
        """Honest submissions graded by both whose totals differ, and the cells that do."""
        if self.stock is None:
            return []
        lines = []
        for student in self.students[: self.stock_students]:
            if student.kind not in HONEST:
                continue
            ours = self.points(self.course_scores, student.id)
            theirs = self.points(self.stock_scores, student.id)
            if ours == theirs:
                continue
            a = self.course_scores.get(student.id, {})
            b = self.stock_scores.get(student.id, {})
            differ = ", ".join(
                f"`{c}` {a.get(c, 'none')} vs {b.get(c, 'none')}"
                for c in sorted({*a, *b})
                if a.get(c) != b.get(c)
            )
            lines.append(
                f"`{student.id}` ({student.detail}): course grade {ours}, stock {theirs} — {differ}"
            )
        return lines


@dataclass(frozen=True)
class Totals:
    """The sums over all assignments."""

    submissions: int
    course_seconds: float
    #: Stock seconds (estimated for a subset), over the assignments stock nbgrader graded.
    stock_seconds: float
    compared: int
    #: Every honest submission graded differently, as ``ASSIGNMENT: what differs``.
    differences: list[str]
    stock_run: bool
    #: " *est.*" when some stock time is estimated, else "".
    estimate_label: str

    @classmethod
    def of(cls, results: list[Result]) -> Totals:
        """The totals of ``results``."""
        return cls(
            submissions=sum(len(r.students) for r in results),
            course_seconds=sum(r.course.seconds for r in results),
            stock_seconds=sum(r.stock_estimate or 0.0 for r in results),
            compared=sum(r.compared for r in results),
            differences=[f"{r.assignment.name}: {d}" for r in results for d in r.differences()],
            stock_run=any(r.stock is not None for r in results),
            estimate_label=ESTIMATED if any(r.estimated for r in results) else "",
        )


def render(results: list[Result], students: int, workers: int) -> str:
    """The benchmark's Markdown section.

    Parameters
    ----------
    results
        What was measured, per assignment.
    students
        Submissions per assignment.
    workers
        ``course grade``'s worker processes.

    Returns
    -------
    str
        The section: method, summary, targets, where the time goes, and with stock
        nbgrader its times and its grades of the faulty submissions.
    """
    totals = Totals.of(results)
    sections = [
        _method(results, students, workers),
        _summary(results, totals),
        _targets(results, students, totals),
        _course_grade_times(results, workers),
        _trainings(results),
        _problems(results),
    ]
    if totals.stock_run:
        sections += [_stock_times(results), _faulty_grades(results)]
    return "".join(sections)


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:.1f} min ({seconds:.0f} s)"


def _mean(values: list[float]) -> float:
    return statistics.fmean(values) if values else 0.0


def _version(*distributions: str) -> str:
    """The version of the first of ``distributions`` installed."""
    for name in distributions:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return "not installed"


def _table(columns: list[str]) -> str:
    """A Markdown table's header row and rule."""
    return "| " + " | ".join(columns) + " |\n|" + "---|" * len(columns) + "\n"


def _method(results: list[Result], students: int, workers: int) -> str:
    """The title and how the benchmark measures, on which machine and versions."""
    cores = os.cpu_count() or 1
    model = cpu_model()
    machine = f"{model} ({platform.machine()})" if model else platform.machine()
    stock_note = ""
    subsets = [r for r in results if r.estimated]
    if subsets:
        which = ", ".join(f"the first {r.stock_students} of `{r.assignment.name}`" for r in subsets)
        stock_note = (
            f"\n- **Stock subset**: to keep the run under an hour, stock nbgrader graded only"
            f" {which} (the same mix of kinds, in class order). Its time for all {students}"
            " is an **estimate**, marked *est.*: measured seconds per notebook × submissions."
            " Differences are counted on the submissions both graded."
        )
    return f"""# Grading benchmark: `course grade` against stock nbgrader

Generated by `benchmarks/bench_grading.py` (`make bench-grading`) on {datetime.date.today()}.

Each assignment gets a class of {students} synthetic submissions, the same every run
(seeded {SEED}): {SHARES["correct"]:.0%} correct (the reference answers), \
{SHARES["buggy"]:.0%} buggy (the reference with one or two functions replaced by random
mutants of `autograder/mutants/`), {SHARES["blank"]:.0%} blank (the notebook as released), \
{SHARES["faulty"]:.0%} faulty (in turn: an infinite loop in one function, `os._exit(3)` in
one function, invalid notebook JSON, one function that prints {PRINTED_LINES:,} lines a call).
Two course directories built by `build_course` with the same grading secret receive the
same files:

- **(A) course grade**: `grade_assignment(root, assignment, workers={workers})`, what
  `course grade` runs: every submission judged in sandboxes (isolation
  `{isolation_level()}`), {workers} worker processes, then one `nbgrader autograde`
  and one `nbgrader generate_feedback` record the grades. Timed from the call to its return.
- **(B) stock nbgrader**: the same course with nbgrader's `Execute` put back in
  `c.Autograde.autograde_preprocessors` and `c.Execute.timeout = {STOCK_TIMEOUT}` (so that
  infinite loops end): one `nbgrader autograde ASSIGNMENT`, one kernel per notebook, one
  notebook at a time. Timed from start to exit (no feedback generated).
- **Differences**: per-student totals from the two gradebooks (`read_scores`), compared on
  the honest submissions (correct, buggy, blank); faulty ones are listed separately.{stock_note}
- **Machine**: {machine}, {cores} CPUs (`os.cpu_count()`). It may be shared: *other load*
  is the share of all its CPU time that processes outside this benchmark's process tree
  used during each run (sampled from `/proc` twice a second: a lower bound). Above a few
  per cent, the times are slowed by others.
- **Versions**: Python {platform.python_version()}, tensorflow \
{_version("tensorflow", "tensorflow-cpu", "tensorflow-intel", "tf-nightly")}, keras \
{_version("keras")}, nbgrader {_version("nbgrader")}.

"""


def _summary(results: list[Result], totals: Totals) -> str:
    """One row per assignment: both graders' times, speed-up, differences, other load."""
    text = _table(
        [
            "assignment",
            "submissions",
            "course grade (A)",
            "stock nbgrader (B)",
            "speed-up B/A",
            "honest differences",
            "other load (A · B)",
        ]
    )
    for r in results:
        estimate = r.stock_estimate
        if estimate is None:
            stock_cell = speed = diff_cell = "not run"
        else:
            label = ESTIMATED if r.estimated else ""
            stock_cell = f"{estimate:.0f} s{label}"
            speed = f"{estimate / r.course.seconds:.1f}×{label}"
            diff_cell = f"{len(r.differences())} of {r.compared}"
        text += (
            f"| `{r.assignment.name}` | {len(r.students)} | {r.course.seconds:.0f} s |"
            f" {stock_cell} | {speed} | {diff_cell} | {r.course.others:.0%} · "
            + (f"{r.stock.others:.0%} |" if r.stock else "— |")
            + "\n"
        )
    label = totals.estimate_label
    text += f"| **total** | {totals.submissions} | **{totals.course_seconds:.0f} s** | " + (
        f"**{totals.stock_seconds:.0f} s**{label} |"
        f" **{totals.stock_seconds / totals.course_seconds:.1f}×**{label} |"
        f" **{len(totals.differences)} of {totals.compared}** | |"
        if totals.stock_run
        else "not run | not run | not run | |"
    )
    return text + "\n"


def _targets(results: list[Result], students: int, totals: Totals) -> str:
    """The targets met or not, and the honest submissions graded differently."""
    cores = os.cpu_count() or 1
    conditions = []
    if students != TARGET_STUDENTS or len(results) != len(ASSIGNMENTS):
        conditions.append(f"{len(results)} × {students} submissions")
    if cores != TARGET_CORES:
        conditions.append(f"{cores} cores")
    measured = _minutes(totals.course_seconds)
    if conditions:  # another size or machine: the target cannot be judged from this run
        verdict = "n/a"
        measured += f" (run on {', '.join(conditions)})"
    else:
        verdict = "PASS" if totals.course_seconds <= TARGET_MINUTES * 60 else "FAIL"
    speedup_target = f"≥ {TARGET_SPEEDUP:g}× faster than stock sequential nbgrader"
    differences_target = "0 grade differences on honest submissions"
    targets = [
        (
            f"3 × 100 submissions graded by `course grade` in ≤ {TARGET_MINUTES:g} min on"
            f" {TARGET_CORES} cores",
            measured,
            verdict,
        )
    ]
    if totals.stock_run:
        speedup = totals.stock_seconds / totals.course_seconds
        targets += [
            (
                speedup_target,
                f"{speedup:.1f}×{totals.estimate_label}",
                "PASS" if speedup >= TARGET_SPEEDUP else "FAIL",
            ),
            (
                differences_target,
                f"{len(totals.differences)} of {totals.compared}",
                "PASS" if not totals.differences else "FAIL",
            ),
        ]
    else:
        targets += [(speedup_target, "not run", "—"), (differences_target, "not run", "—")]
    text = "\n" + _table(["target", "measured", "met?"])
    text += "".join(f"| {t} | {m} | **{ok}** |\n" for t, m, ok in targets)
    if totals.differences:
        text += "\nHonest submissions graded differently:\n\n"
        text += "".join(f"- {d}\n" for d in totals.differences)
    return text


def _course_grade_times(results: list[Result], workers: int) -> str:
    """Where (A)'s time goes, per assignment, from its timing log and record step."""
    text = f"""
## Where the time goes

**(A) course grade**, from `judged/ASSIGNMENT/timing.log` (one line per submission):
*pool* is the wall time until the last verdict came in ({workers} workers); *judged*
the sum of the submissions' judge times (sandbox start + checks + close), and their mean
for honest and faulty submissions; *start* a sandbox's start-up, mean and median: each
worker's first submission starts its zygote (a sandboxed process that imports the
setup cell's modules: numpy, and for Keras TensorFlow), every later one is a runner forked
from it, which only runs the student's cells (the median); per function, the time of its
visible and hidden checks (calls into the sandbox, models loaded, training), mean
(median); *close* the rest of a judgement (killing the runner and all it started,
removing its directory), mean; *record* = total − pool: one `nbgrader autograde` reading
the verdicts, then `generate_feedback` (each timed on its own).

"""
    text += _table(
        [
            "assignment",
            "total",
            "pool",
            "judged: sum · honest · faulty",
            "start: mean · median",
            "checks per function: mean (median)",
            "close",
            "record",
        ]
    )
    for r in results:
        log = r.course.log
        kinds = {s.id: s.kind for s in r.students}
        starts = [e["start"] for e in log if "start" in e]
        judged = sum(e.get("total", 0.0) for e in log)
        honest = [e.get("total", 0.0) for e in log if kinds.get(e["student"]) in HONEST]
        faulty = [e.get("total", 0.0) for e in log if kinds.get(e["student"]) == "faulty"]
        functions = " · ".join(
            f"`{f}` {_mean(seconds):.2f} s ({statistics.median(seconds):.2f} s)"
            for f in r.assignment.functions
            if (seconds := [e["functions"][f] for e in log if f in e["functions"]])
        )
        closes = [
            e["total"] - e["start"] - sum(e["functions"].values())
            for e in log
            if "total" in e and "start" in e
        ]
        text += (
            f"| `{r.assignment.name}` | {r.course.seconds:.0f} s | {r.course.pool_seconds:.0f} s"
            f" | {judged:.0f} s · {_mean(honest):.1f} s · {_mean(faulty):.1f} s"
            f" | {_mean(starts):.2f} s · {statistics.median(starts or [0.0]):.2f} s"
            f" | {functions} | {max(_mean(closes), 0.0):.2f} s | "
            f"{r.course.seconds - r.course.pool_seconds:.0f} s"
            + "".join(f" · {step} {t:.0f} s" for step, t in r.course.record.items())
            + " |\n"
        )
    return text


def _trainings(results: list[Result]) -> str:
    """For each Keras assignment, how many models were trained and how many came cached."""
    text = ""
    for r in results:
        if r.assignment.uses_keras:
            calls, run = r.course.training_calls, r.course.trainings_run
            text += (
                f"\n`{r.assignment.name}` training: {calls} submissions reached the training"
                f" check of `build_conv_pool_model`; {run} distinct models were trained"
                f" ({r.training_seconds:.0f} s of training in all; files in"
                f" `judged/training/`), {max(calls - run, 0)} results came from the cache.\n"
            )
    return text


def _problems(results: list[Result]) -> str:
    """The submissions whose judging in (A) ended with a status other than ok."""
    problems = [
        (r.assignment.name, e)
        for r in results
        for e in r.course.log
        if e.get("status", "ok") != "ok"
    ]
    if not problems:
        return ""
    text = "\nSubmissions whose judging hit a problem (status from the verdict):\n\n"
    text += _table(["assignment", "student", "points", "judge time", "status"])
    for name, e in problems:
        total = f"{e['total']:.1f} s" if "total" in e else "—"
        text += (
            f"| `{name}` | `{e['student']}` | {e.get('points', 0)} | {total} | "
            f"{str(e['status']).replace('|', '/')} |\n"
        )
    return text


def _stock_times(results: list[Result]) -> str:
    """(B)'s seconds per notebook, per assignment it graded."""
    text = (
        "\n**(B) stock nbgrader**: seconds per notebook, from one `Converting notebook`"
        " log line to the next (kernel start, imports, every cell, the gradebook).\n\n"
    )
    text += _table(
        [
            "assignment",
            "notebooks",
            "mean",
            "honest (mean)",
            "faulty (mean)",
            "slowest",
            "exit status",
        ]
    )
    for r in results:
        if r.stock is None:
            continue
        kinds = {s.id: s.kind for s in r.students}
        per = r.stock.per_notebook
        honest = [v for k, v in per.items() if kinds.get(k) in HONEST]
        faulty = [v for k, v in per.items() if kinds.get(k) == "faulty"]
        slowest = max(per, key=per.get) if per else "—"
        text += (
            f"| `{r.assignment.name}` | {r.stock_students} |"
            f" {r.stock.seconds / max(r.stock_students, 1):.2f} s |"
            f" {_mean(honest):.2f} s | {_mean(faulty):.2f} s |"
            f" `{slowest}` {per.get(slowest, 0.0):.1f} s | {r.stock.returncode} |\n"
        )
    return text


def _faulty_grades(results: list[Result]) -> str:
    """The faulty submissions both graded, and the grade each gave."""
    text = "\nFaulty submissions, as each graded them (not counted as differences):\n\n"
    text += _table(["assignment", "student", "fault", "course grade (A)", "stock nbgrader (B)"])
    for r in results:
        if r.stock is None:
            continue
        for s in r.students[: r.stock_students]:
            if s.kind == "faulty":
                text += (
                    f"| `{r.assignment.name}` | `{s.id}` | {s.detail} |"
                    f" {r.points(r.course_scores, s.id)} |"
                    f" {r.points(r.stock_scores, s.id)} |\n"
                )
    return text
