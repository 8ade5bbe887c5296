"""Time ``course grade`` against stock nbgrader on a synthetic class, and compare the grades.

For each assignment a class of N submissions is generated, the same every run (seeded):
about 40% correct (the reference answers), 35% buggy (the reference with one or two
functions replaced by random mutants of the catalogue), 15% blank (the notebook as
released) and 10% faulty (an infinite loop in one function, ``os._exit`` in one function,
invalid notebook JSON, one function that prints a lot). Two course directories are built
with the same grading secret and receive the same submissions:

(A) the course as ``course build`` writes it, graded by
    :func:`autograder.batch.grade_assignment` (what ``course grade`` runs): every
    submission judged in parallel in sandboxes, then one ``nbgrader autograde`` and one
    ``nbgrader generate_feedback`` record the grades;
(B) "stock nbgrader": the same course with nbgrader's own ``Execute`` step put back in
    ``c.Autograde.autograde_preprocessors`` (``c.Execute.timeout = 30`` so that infinite
    loops end), graded by one sequential ``nbgrader autograde ASSIGNMENT``.

Reported: the wall time of each, their ratio, the per-student totals of the honest
submissions (correct, buggy, blank) that differ between the two gradebooks, and where
(A)'s time goes (from ``judged/ASSIGNMENT/timing.log`` and the training cache). Progress
goes to stderr. The script reports targets and never fails on a missed one.

Usage::

    python benchmarks/bench_grading.py --out benchmarks/results.md
    python benchmarks/bench_grading.py --students 6 --skip-stock   # a quick look
"""

from __future__ import annotations

import argparse
import ast
import datetime
import json
import multiprocessing
import os
import pickle
import platform
import random
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import nbformat
from results_file import cpu_model, write_section

from autograder import batch
from autograder.assignments import ASSIGNMENTS, Assignment
from autograder.batch import grade_assignment
from autograder.course_dir import (
    build_course,
    read_scores,
    release_notebook,
    run_nbgrader,
    start_nbgrader,
    submit_answers,
)
from autograder.judge import Verdict
from autograder.notebooks import submission_from_release
from autograder.sandbox import isolation_level
from autograder.secret import SECRET_VARIABLE

SEED = 0
#: The grading secret of both course directories (a benchmark's, not a course's).
SECRET = "bench-grading-secret"
SECTION = "bench_grading"

#: Share of each kind of submission in a class; faulty ones cycle through FAULTS.
SHARES = {"correct": 0.40, "buggy": 0.35, "blank": 0.15, "faulty": 0.10}
HONEST = ("correct", "buggy", "blank")
FAULTS = ("infinite loop", "os._exit", "invalid JSON", "prints a lot")
#: Lines the noisy function prints on every call.
PRINTED_LINES = 2_000

#: Stock nbgrader's autograde steps (the course's, with Execute back in the judge's
#: place), and its cell timeout.
STOCK_TIMEOUT = 30
STOCK_CONFIG = f"""

# --- bench_grading.py: stock nbgrader, the notebook executed in a kernel -------------
c.Autograde.autograde_preprocessors = [
    "nbgrader.preprocessors.Execute" if step == "autograder.nbgrader_judge.JudgeCells" else step
    for step in c.Autograde.autograde_preprocessors
]
c.Execute.timeout = {STOCK_TIMEOUT}
"""

#: Targets: 3 × 100 submissions in ≤ 10 min on 2 cores; ≥ 3× faster than stock; 0 differences.
TARGET_STUDENTS = 100
TARGET_CORES = 2
TARGET_MINUTES = 10.0
TARGET_SPEEDUP = 3.0


# -- the class ------------------------------------------------------------------------


@dataclass(frozen=True)
class Student:
    """One synthetic submission: its kind, what is in it, its answers (None: invalid JSON)."""

    id: str
    kind: str
    detail: str
    answers: dict[str, str] | None


def answer_sources(name: str) -> tuple[dict[str, str], dict[str, list[tuple[str, str]]]]:
    """The reference answers and every mutant's source (renamed), per graded function.

    Runs in a spawned process: the Keras mutants import TensorFlow, which this process
    (the one that times the graders) does not need.
    """
    from autograder.mutation import catalogue, reference_answers
    from autograder.notebooks import function_source

    assignment = ASSIGNMENTS[name]
    mutants = {
        function: [(m.__name__, function_source(m, function)) for m in found]
        for function, found in catalogue(assignment).items()
    }
    return reference_answers(assignment), mutants


def with_first_statements(source: str, statements: list[str]) -> str:
    """``source`` (one function) with ``statements`` run first in its body (after its
    docstring)."""
    function = ast.parse(source).body[0]
    assert isinstance(function, ast.FunctionDef)
    first = function.body[0]
    docstring = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
    lines = source.splitlines()
    indent = " " * first.col_offset
    at = first.end_lineno if docstring else first.lineno - 1
    lines[at:at] = [indent + statement if statement else "" for statement in statements]
    return "\n".join(lines) + "\n"


def faulty_answers(fault: str, function: str, reference: dict[str, str]) -> dict[str, str] | None:
    """The reference answers with ``fault`` in ``function`` (None: the notebook is not JSON)."""
    if fault == "invalid JSON":
        return None
    statements = {
        "infinite loop": ["while True:  # forgot to update the loop variable", "    pass"],
        "os._exit": ["import os", "", "os._exit(3)"],
        "prints a lot": [
            f"for line in range({PRINTED_LINES}):",
            f"    print('debugging {function}: line', line, '-' * 60)",
        ],
    }[fault]
    return {**reference, function: with_first_statements(reference[function], statements)}


def make_class(
    assignment: Assignment,
    students: int,
    reference: dict[str, str],
    mutants: dict[str, list[tuple[str, str]]],
) -> list[Student]:
    """``students`` submissions of ``assignment`` in the shares of :data:`SHARES` (seeded)."""
    rng = random.Random(f"{SEED}:{assignment.name}")
    counts = {kind: round(share * students) for kind, share in SHARES.items() if kind != "correct"}
    counts["correct"] = students - sum(counts.values())
    kinds = [kind for kind in SHARES for _ in range(counts[kind])]
    rng.shuffle(kinds)
    made, faults = [], 0
    for number, kind in enumerate(kinds, 1):
        student = f"s{number:03d}-{kind}"
        if kind == "correct":
            made.append(Student(student, kind, "reference", dict(reference)))
        elif kind == "blank":
            made.append(Student(student, kind, "as released", {}))
        elif kind == "buggy":
            functions = rng.sample(assignment.functions, rng.choice((1, 2)))
            chosen = {function: rng.choice(mutants[function]) for function in functions}
            answers = {**reference, **{f: source for f, (_, source) in chosen.items()}}
            detail = ", ".join(name for name, _ in chosen.values())
            made.append(Student(student, kind, detail, answers))
        else:
            fault = FAULTS[faults % len(FAULTS)]
            faults += 1
            function = rng.choice(assignment.functions)
            detail = fault if fault == "invalid JSON" else f"{fault} in {function}"
            made.append(Student(student, kind, detail, faulty_answers(fault, function, reference)))
    return made


def submit_class(root: Path, assignment: Assignment, students: list[Student]) -> None:
    """Write the class into ``root/submitted/`` (the invalid notebooks by hand)."""
    submit_answers(root, assignment, {s.id: s.answers for s in students if s.answers is not None})
    release = release_notebook(root, assignment)
    for student in students:
        if student.answers is None:
            folder = root / "submitted" / student.id / assignment.name
            folder.mkdir(parents=True, exist_ok=True)
            text = nbformat.writes(submission_from_release(release, {}))
            (folder / assignment.notebook).write_text(text[: len(text) // 2], encoding="utf-8")


# -- grading --------------------------------------------------------------------------


def say(message: str) -> None:
    sys.stderr.write(f"[bench_grading {time.strftime('%H:%M:%S')}] {message}\n")
    sys.stderr.flush()


class LoadMonitor(threading.Thread):
    """Splits the machine's CPU time between this benchmark's processes and the rest.

    Twice a second it reads every process's CPU time (``/proc/PID/stat``) and adds what
    each used since the last look to *ours* (this process and its descendants: workers,
    sandboxes, nbgrader, kernels) or to *others*. A process that lives less than one look
    is missed, so *others* is a lower bound. Linux only; elsewhere both stay 0.
    """

    def __init__(self, interval: float = 0.5) -> None:
        super().__init__(daemon=True, name="load-monitor")
        self.interval = interval
        self.ours = self.others = 0.0
        self.lock = threading.Lock()
        self._seen: dict[tuple[int, int], float] | None = None
        self._tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100

    def run(self) -> None:
        while True:
            self._sample()
            time.sleep(self.interval)

    def _sample(self) -> None:
        processes = {}
        try:
            entries = [e.name for e in os.scandir("/proc") if e.name.isdigit()]
        except OSError:
            return
        for pid in entries:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue  # gone meanwhile
            # After the name: state ppid … utime(11) stime(12) … starttime(19).
            cpu = (int(fields[11]) + int(fields[12])) / self._tick
            processes[int(pid)] = (int(fields[1]), cpu, int(fields[19]))
        me, ours = os.getpid(), {}

        def is_ours(pid: int) -> bool:
            chain = []
            while pid not in ours and pid > 1 and pid != me and pid in processes:
                chain.append(pid)
                pid = processes[pid][0]
            answer = ours.get(pid, pid == me)
            for link in chain:
                ours[link] = answer
            return answer

        seen = {}
        with self.lock:
            for pid, (_, cpu, started) in processes.items():
                key = (pid, started)
                seen[key] = cpu
                if self._seen is None:
                    continue  # the first look only sets the baseline
                used = cpu - self._seen.get(key, 0.0)
                if is_ours(pid):
                    self.ours += used
                else:
                    self.others += used
            self._seen = seen

    def others_share(self, since: tuple[float, float]) -> float:
        """Share of all cores' time that other processes used since ``since`` (a
        :meth:`mark`)."""
        with self.lock:
            others = self.others
        wall = (time.perf_counter() - since[1]) * (os.cpu_count() or 1)
        return (others - since[0]) / wall if wall > 0 else 0.0

    def mark(self) -> tuple[float, float]:
        with self.lock:
            return self.others, time.perf_counter()


#: Started by :func:`main`; runs measure the other processes' load with it.
MONITOR = LoadMonitor()


@dataclass
class CourseGradeRun:
    """(A): ``grade_assignment`` on one assignment."""

    seconds: float = 0.0
    pool_seconds: float = 0.0
    verdicts: dict[str, Verdict] = field(default_factory=dict)
    log: list[dict[str, object]] = field(default_factory=list)
    trainings_run: int = 0
    training_calls: int = 0
    #: Seconds of each nbgrader command of the record step (autograde, generate_feedback).
    record: dict[str, float] = field(default_factory=dict)
    #: Share of the machine's CPU that other processes used meanwhile.
    others: float = 0.0


@dataclass
class StockRun:
    """(B): one stock ``nbgrader autograde`` on one assignment."""

    seconds: float = 0.0
    returncode: int = 0
    per_notebook: dict[str, float] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    others: float = 0.0


def parse_timing_log(path: Path) -> list[dict[str, object]]:
    """The judge's lines: ``TIME ASSIGNMENT STUDENT points=N start=…s total=…s F=…s status=…``."""
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        head, _, status = line.partition(" status=")
        tokens = head.split()
        if len(tokens) < 3:
            continue
        entry: dict[str, object] = {"student": tokens[2], "status": status, "functions": {}}
        for token in tokens[3:]:
            key, _, value = token.partition("=")
            if key == "points":
                entry["points"] = int(value)
            elif key in ("start", "total"):
                entry[key] = float(value.rstrip("s"))
            elif value.endswith("s"):
                entry["functions"][key] = float(value.rstrip("s"))
        entries.append(entry)
    return entries


def run_course_grade(root: Path, assignment: Assignment, workers: int) -> CourseGradeRun:
    """Grade with ``grade_assignment``; note when the last verdict came in."""
    run = CourseGradeRun()
    mark = MONITOR.mark()
    start = time.perf_counter()
    last = [start]

    def progress(done: int, total: int, label: str) -> None:
        last[0] = time.perf_counter()
        sys.stderr.write(f"\r  (A) {assignment.name}: judged {done}/{total} {label[:50]:<50}")
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    def timed(root: Path, *arguments: str) -> str:  # the record step's nbgrader commands
        began = time.perf_counter()
        try:
            return run_nbgrader(root, *arguments)
        finally:
            run.record[arguments[0]] = time.perf_counter() - began

    batch.run_nbgrader = timed
    try:
        run.verdicts = grade_assignment(root, assignment, workers, progress=progress)
    finally:
        batch.run_nbgrader = run_nbgrader
    run.seconds = time.perf_counter() - start
    run.others = MONITOR.others_share(mark)
    run.pool_seconds = last[0] - start
    run.log = parse_timing_log(root / "judged" / assignment.name / "timing.log")
    if assignment.uses_keras:
        run.trainings_run = len(list((root / "judged" / "training").glob("*.json")))
        for verdict in run.verdicts.values():
            for function in verdict.functions:
                if function.name != "build_conv_pool_model":
                    continue
                message = function.hidden_message
                if (
                    function.hidden_passed
                    or "train_and_evaluate" in message
                    or ("trained for" in message)
                ):
                    run.training_calls += 1
    return run


def training_seconds(root: Path) -> float:
    """Seconds the judge spent training, from the training cache (one file per model)."""
    files = (root / "judged" / "training").glob("*.json")
    return sum(json.loads(path.read_text())["train_seconds"] or 0.0 for path in files)


def run_stock(root: Path, assignment: Assignment) -> StockRun:
    """One ``nbgrader autograde`` with stock nbgrader's Execute. A notebook's time runs
    from its first ``Converting notebook`` log line (nbgrader converts each one twice:
    sanitized, then executed) to the next notebook's; the log goes to
    ``ROOT/stock-ASSIGNMENT.log``."""
    run = StockRun()
    mark = MONITOR.mark()
    start = time.perf_counter()
    process = start_nbgrader(root, "autograde", assignment.name)
    current, since = None, start
    total = len(list((root / "submitted").glob(f"*/{assignment.name}")))
    with (root / f"stock-{assignment.name}.log").open("w", encoding="utf-8") as log:
        for line in process.stdout:
            log.write(line)
            if "There was an error processing assignment '" in line:
                run.errors.append(line.strip())
            found = re.search(r"Converting notebook (\S+)", line)
            if not found:
                continue
            now = time.perf_counter()
            if current is not None:
                run.per_notebook[current] = run.per_notebook.get(current, 0.0) + now - since
            current, since = Path(found.group(1)).parts[-3], now
            done = len(run.per_notebook) + (current not in run.per_notebook)
            sys.stderr.write(f"\r  (B) {assignment.name}: notebook {done}/{total} {current:<30}")
            sys.stderr.flush()
    run.returncode = process.wait()
    run.seconds = time.perf_counter() - start
    run.others = MONITOR.others_share(mark)
    if current is not None:
        run.per_notebook[current] = run.per_notebook.get(current, 0.0) + start + run.seconds - since
    sys.stderr.write("\n")
    return run


def cell_scores(root: Path, assignment: str) -> dict[str, dict[str, float]]:
    """Student → graded cell → points, from the gradebook."""
    scores: dict[str, dict[str, float]] = {}
    for score in read_scores(root, assignment):
        scores.setdefault(score.student, {})[score.grade_id] = score.score or 0.0
    return scores


# -- the report -----------------------------------------------------------------------


@dataclass
class Result:
    """Everything measured for one assignment."""

    assignment: Assignment
    students: list[Student]
    course: CourseGradeRun
    stock: StockRun | None
    stock_students: int
    #: Student → graded cell → points, in each gradebook.
    course_scores: dict[str, dict[str, float]]
    stock_scores: dict[str, dict[str, float]]
    #: Seconds the judge spent training the distinct models (from ``judged/training/``).
    training_seconds: float = 0.0

    @property
    def stock_estimate(self) -> float | None:
        """Stock seconds for the whole class: measured, or per-notebook × N when only
        ``stock_students`` were graded."""
        if self.stock is None:
            return None
        if self.stock_students == len(self.students):
            return self.stock.seconds
        return self.stock.seconds / self.stock_students * len(self.students)

    def points(self, scores: dict[str, dict[str, float]], student: str) -> str:
        if student not in scores:
            return "no grade"
        return f"{sum(scores[student].values()):g}/{self.assignment.max_points}"

    def differences(self) -> list[str]:
        """Honest submissions graded by both whose totals differ, and the cells that do."""
        lines = []
        for student in self.students[: self.stock_students]:
            if student.kind not in HONEST:
                continue
            a = self.course_scores.get(student.id, {})
            b = self.stock_scores.get(student.id, {})
            if self.points(self.course_scores, student.id) != self.points(
                self.stock_scores, student.id
            ):
                differ = ", ".join(
                    f"`{c}` {a.get(c, 'none')} vs {b.get(c, 'none')}"
                    for c in sorted({*a, *b})
                    if a.get(c) != b.get(c)
                )
                lines.append(
                    f"`{student.id}` ({student.detail}): course grade"
                    f" {self.points(self.course_scores, student.id)}, stock"
                    f" {self.points(self.stock_scores, student.id)} — {differ}"
                )
        return lines


def minutes(seconds: float) -> str:
    return f"{seconds / 60:.1f} min ({seconds:.0f} s)"


def _mean(values: list[float]) -> float:
    return statistics.fmean(values) if values else 0.0


def version(*distributions: str) -> str:
    for name in distributions:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return "not installed"


def render(results: list[Result], args: argparse.Namespace) -> str:
    """The benchmark's Markdown section."""
    cores = os.cpu_count() or 1
    model = cpu_model()
    machine = f"{model} ({platform.machine()})" if model else platform.machine()
    students = args.students
    stock_note = ""
    subsets = [r for r in results if r.stock is not None and r.stock_students < len(r.students)]
    if subsets:
        which = ", ".join(f"the first {r.stock_students} of `{r.assignment.name}`" for r in subsets)
        stock_note = (
            f"\n- **Stock subset**: to keep the run under an hour, stock nbgrader graded only"
            f" {which} (the same mix of kinds, in class order). Its time for all {students}"
            " is an **estimate**, marked *est.*: measured seconds per notebook × submissions."
            " Differences are counted on the submissions both graded."
        )
    text = f"""# Grading benchmark: `course grade` against stock nbgrader

Generated by `benchmarks/bench_grading.py` (`make bench-grading`) on {datetime.date.today()}.

Each assignment gets a class of {students} synthetic submissions, the same every run
(seeded {SEED}): {SHARES["correct"]:.0%} correct (the reference answers), \
{SHARES["buggy"]:.0%} buggy (the reference with one or two functions replaced by random
mutants of `autograder/mutants/`), {SHARES["blank"]:.0%} blank (the notebook as released), \
{SHARES["faulty"]:.0%} faulty (in turn: an infinite loop in one function, `os._exit(3)` in
one function, invalid notebook JSON, one function that prints {PRINTED_LINES:,} lines a call).
Two course directories built by `build_course` with the same grading secret receive the
same files:

- **(A) course grade**: `grade_assignment(root, assignment, workers={args.workers})`, what
  `course grade` runs: every submission judged in sandboxes (isolation
  `{isolation_level()}`), {args.workers} worker processes, then one `nbgrader autograde`
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
{version("tensorflow", "tensorflow-cpu", "tensorflow-intel", "tf-nightly")}, keras \
{version("keras")}, nbgrader {version("nbgrader")}.

"""
    columns = [
        "assignment",
        "submissions",
        "course grade (A)",
        "stock nbgrader (B)",
        "speed-up B/A",
        "honest differences",
        "other load (A · B)",
    ]
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    total_a = total_b = 0.0
    total_n = honest_n = 0
    all_differences: list[str] = []
    for r in results:
        n = len(r.students)
        total_n += n
        total_a += r.course.seconds
        estimate = r.stock_estimate
        differences = r.differences()
        all_differences += [f"{r.assignment.name}: {d}" for d in differences]
        compared = sum(s.kind in HONEST for s in r.students[: r.stock_students])
        honest_n += compared if r.stock else 0
        if estimate is None:
            stock_cell = speed = diff_cell = "not run"
        else:
            total_b += estimate
            est = "" if r.stock_students == n else " *est.*"
            stock_cell = f"{estimate:.0f} s{est}"
            speed = f"{estimate / r.course.seconds:.1f}×{est}"
            diff_cell = f"{len(differences)} of {compared}"
        lines.append(
            f"| `{r.assignment.name}` | {n} | {r.course.seconds:.0f} s | {stock_cell} | "
            f"{speed} | {diff_cell} | {r.course.others:.0%} · "
            + (f"{r.stock.others:.0%} |" if r.stock else "— |")
        )
    stock_run = any(r.stock is not None for r in results)
    estimated = any(r.stock is not None and r.stock_students < len(r.students) for r in results)
    est = " *est.*" if estimated else ""
    lines.append(
        f"| **total** | {total_n} | **{total_a:.0f} s** | "
        + (
            f"**{total_b:.0f} s**{est} | **{total_b / total_a:.1f}×**{est} | "
            f"**{len(all_differences)} of {honest_n}** | |"
            if stock_run
            else "not run | not run | not run | |"
        )
    )
    text += "\n".join(lines) + "\n"

    # Targets.
    conditions = []
    if students != TARGET_STUDENTS or len(results) != len(ASSIGNMENTS):
        conditions.append(f"{len(results)} × {students} submissions")
    if cores != TARGET_CORES:
        conditions.append(f"{cores} cores")
    measured = minutes(total_a)
    if conditions:  # another size or machine: the target cannot be judged from this run
        verdict = "n/a"
        measured += f" (run on {', '.join(conditions)})"
    else:
        verdict = "PASS" if total_a <= TARGET_MINUTES * 60 else "FAIL"
    targets = [
        (
            f"3 × 100 submissions graded by `course grade` in ≤ {TARGET_MINUTES:g} min on"
            f" {TARGET_CORES} cores",
            measured,
            verdict,
        )
    ]
    if stock_run:
        speedup = total_b / total_a
        targets += [
            (
                f"≥ {TARGET_SPEEDUP:g}× faster than stock sequential nbgrader",
                f"{speedup:.1f}×{est}",
                "PASS" if speedup >= TARGET_SPEEDUP else "FAIL",
            ),
            (
                "0 grade differences on honest submissions",
                f"{len(all_differences)} of {honest_n}",
                "PASS" if not all_differences else "FAIL",
            ),
        ]
    else:
        targets += [
            (f"≥ {TARGET_SPEEDUP:g}× faster than stock sequential nbgrader", "not run", "—"),
            ("0 grade differences on honest submissions", "not run", "—"),
        ]
    text += "\n| target | measured | met? |\n|---|---|---|\n"
    text += "".join(f"| {t} | {m} | **{ok}** |\n" for t, m, ok in targets)
    if all_differences:
        text += "\nHonest submissions graded differently:\n\n"
        text += "".join(f"- {d}\n" for d in all_differences)

    # Where the time goes, (A).
    text += f"""
## Where the time goes

**(A) course grade**, from `judged/ASSIGNMENT/timing.log` (one line per submission):
*pool* is the wall time until the last verdict came in ({args.workers} workers); *judged*
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
    columns = [
        "assignment",
        "total",
        "pool",
        "judged: sum · honest · faulty",
        "start: mean · median",
        "checks per function: mean (median)",
        "close",
        "record",
    ]
    text += "| " + " | ".join(columns) + " |\n|" + "---|" * len(columns) + "\n"
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
    for r in results:
        if r.assignment.uses_keras:
            calls, run = r.course.training_calls, r.course.trainings_run
            text += (
                f"\n`{r.assignment.name}` training: {calls} submissions reached the training"
                f" check of `build_conv_pool_model`; {run} distinct models were trained"
                f" ({r.training_seconds:.0f} s of training in all; files in"
                f" `judged/training/`), {max(calls - run, 0)} results came from the cache.\n"
            )
    slow = []
    for r in results:
        for e in r.course.log:
            if e.get("status", "ok") != "ok":
                slow.append((r.assignment.name, e))
    if slow:
        text += "\nSubmissions whose judging hit a problem (status from the verdict):\n\n"
        text += "| assignment | student | points | judge time | status |\n|---|---|---|---|---|\n"
        for name, e in slow:
            total = f"{e['total']:.1f} s" if "total" in e else "—"
            text += (
                f"| `{name}` | `{e['student']}` | {e.get('points', 0)} | {total} | "
                f"{str(e['status']).replace('|', '/')} |\n"
            )

    # (B).
    if stock_run:
        text += (
            "\n**(B) stock nbgrader**: seconds per notebook, from one `Converting notebook`"
            " log line to the next (kernel start, imports, every cell, the gradebook).\n\n"
            "| assignment | notebooks | mean | honest (mean) | faulty (mean) | slowest |"
            " exit status |\n|---|---|---|---|---|---|---|\n"
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

        text += (
            "\nFaulty submissions, as each graded them (not counted as differences):\n\n"
            "| assignment | student | fault | course grade (A) | stock nbgrader (B) |\n"
            "|---|---|---|---|---|\n"
        )
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


# -- main -----------------------------------------------------------------------------


def write_class(root: Path, assignment: Assignment, students: list[Student]) -> None:
    """Write the class's submissions afresh, removing whatever an earlier (interrupted)
    grading of the assignment left in the course: its verdicts, training cache, graded
    notebooks, feedback, repaired submissions."""
    for pattern in ("submitted", "autograded", "feedback"):
        for folder in root.glob(f"{pattern}/*/{assignment.name}"):
            shutil.rmtree(folder)
    shutil.rmtree(root / "judged" / assignment.name, ignore_errors=True)
    if assignment.uses_keras:
        shutil.rmtree(root / "judged" / "training", ignore_errors=True)
    submit_class(root, assignment, students)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, help="write the Markdown section here (default: stdout)"
    )
    parser.add_argument("--students", type=int, default=100, help="submissions per assignment")
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="course grade's worker processes"
    )
    parser.add_argument(
        "--assignments", nargs="+", default=list(ASSIGNMENTS), choices=list(ASSIGNMENTS)
    )
    parser.add_argument("--skip-stock", action="store_true", help="do not run stock nbgrader")
    parser.add_argument(
        "--stock-students",
        nargs="+",
        default=[],
        metavar="[ASSIGNMENT=]N",
        help="grade only the first N submissions (of every assignment, or of ASSIGNMENT) with"
        " stock nbgrader; its time for the whole class is then an estimate, so labelled",
    )
    parser.add_argument("--workdir", type=Path, help="keep the two course directories here")
    parser.add_argument(
        "--resume",
        action="store_true",
        help="continue a run (same settings, same --workdir) that was stopped part-way: the"
        " timings it finished are kept, the one it was in is redone from clean",
    )
    args = parser.parse_args(argv)
    if args.resume and not args.workdir:
        parser.error("--resume needs --workdir")
    subset = {name: args.students for name in ASSIGNMENTS}
    for item in args.stock_students:
        name, _, count = item.rpartition("=")
        for key in [name] if name else list(subset):
            subset[key] = min(int(count), args.students)

    os.environ[SECRET_VARIABLE] = SECRET  # both courses: the same hidden inputs
    MONITOR.start()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-grading-"))
    ours, stock = workdir / "course_grade", workdir / "stock_nbgrader"
    assignments = [ASSIGNMENTS[name] for name in args.assignments]
    settings = (args.students, args.workers, args.assignments, args.skip_stock, subset)
    state_path = workdir / "state.pickle"
    if args.resume and state_path.exists():
        state = pickle.loads(state_path.read_bytes())
        if state["settings"] != settings:
            parser.error(f"{workdir} holds a run with other settings: {state['settings']}")
        say(f"resuming the run in {workdir}: done {', '.join(k for k in state if ' ' in k)}")
    else:
        if args.workdir and workdir.exists():
            shutil.rmtree(workdir)
        say(f"building the two courses in {workdir}")
        build_course(ours, tuple(args.assignments))
        if not args.skip_stock:
            build_course(stock, tuple(args.assignments))
            with (stock / "nbgrader_config.py").open("a", encoding="utf-8") as config:
                config.write(STOCK_CONFIG)
        state = {"settings": settings}
        state_path.write_bytes(pickle.dumps(state))

    def done(key: str, run: CourseGradeRun | StockRun) -> None:
        state[key] = run
        temporary = state_path.with_suffix(".tmp")
        temporary.write_bytes(pickle.dumps(state))
        temporary.replace(state_path)

    classes: dict[str, list[Student]] = {}
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as helper:
        for assignment in assignments:
            reference, mutants = helper.submit(answer_sources, assignment.name).result()
            students = make_class(assignment, args.students, reference, mutants)
            classes[assignment.name] = students
            kinds = {k: sum(s.kind == k for s in students) for k in SHARES}
            say(f"{assignment.name}: {len(students)} submissions {kinds}")

    for assignment in assignments:
        if f"A {assignment.name}" in state:
            continue
        write_class(ours, assignment, classes[assignment.name])
        say(f"(A) course grade {assignment.name}, {args.workers} workers")
        run = run_course_grade(ours, assignment, args.workers)
        say(f"(A) {assignment.name}: {run.seconds:.1f} s (pool {run.pool_seconds:.1f} s)")
        done(f"A {assignment.name}", run)

    for assignment in [] if args.skip_stock else assignments:
        if f"B {assignment.name}" in state:
            continue
        count = subset[assignment.name]
        write_class(stock, assignment, classes[assignment.name][:count])
        say(f"(B) stock nbgrader autograde {assignment.name}, {count} notebooks")
        run = run_stock(stock, assignment)
        say(f"(B) {assignment.name}: {run.seconds:.1f} s, exit status {run.returncode}")
        done(f"B {assignment.name}", run)

    results = [
        Result(
            assignment,
            classes[assignment.name],
            state[f"A {assignment.name}"],
            state.get(f"B {assignment.name}"),
            subset[assignment.name],
            cell_scores(ours, assignment.name),
            {} if args.skip_stock else cell_scores(stock, assignment.name),
            training_seconds(ours) if assignment.uses_keras else 0.0,
        )
        for assignment in assignments
    ]
    report = render(results, args)
    if args.out is None:
        print(report, end="")
    else:
        write_section(args.out, SECTION, report)
        say(f"wrote {args.out}")
    if args.workdir is None:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
