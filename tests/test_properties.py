"""Analytic properties of the operators, on inputs drawn by hypothesis."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from solutions import (
    avg_pool2d,
    conv2d,
    correlate2d,
    count_distinct_after_pooling,
    max_pool2d,
    max_pool2d_backward,
)

values = st.floats(-100.0, 100.0, allow_nan=False, width=64)
sizes = st.integers(1, 12)
strides = st.integers(1, 3)
paddings = st.sampled_from(["valid", "same"])


@st.composite
def image_and_kernel(draw, padding=None):
    """An image and a kernel that fits in it (for 'valid')."""
    rows, cols = draw(sizes), draw(sizes)
    image = draw(arrays(np.float64, (rows, cols), elements=values))
    kernel = draw(
        arrays(
            np.float64, (draw(st.integers(1, rows)), draw(st.integers(1, cols))), elements=values
        )
    )
    return image, kernel


def expected_size(n: int, k: int, s: int, padding: str) -> int:
    """The output-size formula, written out independently of course.geometry."""
    return math.ceil(n / s) if padding == "same" else math.floor((n - k) / s) + 1


@given(image_and_kernel(), strides, strides, paddings)
def test_output_shape_formula(pair, sr, sc, padding):
    """valid: floor((n - k) / s) + 1; same: ceil(n / s) — for correlate2d, conv2d and pooling."""
    image, kernel = pair
    (n, m), (kh, kw) = image.shape, kernel.shape
    expected = (expected_size(n, kh, sr, padding), expected_size(m, kw, sc, padding))
    assert correlate2d(image, kernel, (sr, sc), padding).shape == expected
    assert max_pool2d(image, (kh, kw), (sr, sc), padding).shape == expected
    assert avg_pool2d(image, (kh, kw), (sr, sc), padding).shape == expected
    batch = conv2d(image[None, :, :, None], kernel[:, :, None, None], None, (sr, sc), padding)
    assert batch.shape == (1, *expected, 1)


@given(arrays(np.float64, st.tuples(sizes, sizes), elements=values), paddings)
def test_identity_kernel_returns_the_input(image, padding):
    """A 1×1 kernel of 1, or a centred 3×3 one with 'same' padding, returns the image."""
    np.testing.assert_array_equal(correlate2d(image, [[1.0]], padding=padding), image)
    centre = np.zeros((3, 3))
    centre[1, 1] = 1.0
    np.testing.assert_array_equal(correlate2d(image, centre, padding="same"), image)


@given(image_and_kernel(), values, values, strides, paddings)
def test_linearity_in_the_image(pair, a, b, stride, padding):
    """corr(a·x + b·y, k) = a·corr(x, k) + b·corr(y, k)."""
    x, kernel = pair
    y = np.flipud(x) - 1.0
    combined = correlate2d(a * x + b * y, kernel, stride, padding)
    separate = a * correlate2d(x, kernel, stride, padding) + b * correlate2d(
        y, kernel, stride, padding
    )
    scale = 1.0 + np.abs(a * x).max() + np.abs(b * y).max()
    np.testing.assert_allclose(combined, separate, atol=1e-9 * scale * np.abs(kernel).sum())


@given(image_and_kernel(), st.integers(0, 3), st.integers(0, 3))
def test_shift_equivariance_away_from_borders(pair, down, right):
    """Cropping the image by (down, right) crops the valid output by the same amount."""
    image, kernel = pair
    big = np.pad(image, ((down, 0), (right, 0)), constant_values=1.5)
    full = correlate2d(big, kernel)
    np.testing.assert_array_equal(correlate2d(image, kernel), full[down:, right:])


@given(st.tuples(sizes, sizes), values, st.integers(1, 4), strides, paddings)
def test_pooling_a_constant_gives_the_constant(shape, value, pool, stride, padding):
    """Max and average pooling of a constant map return that constant, padding or not."""
    pool = min(pool, *shape) if padding == "valid" else pool
    x = np.full(shape, value)
    np.testing.assert_array_equal(max_pool2d(x, pool, stride, padding), value)
    np.testing.assert_allclose(avg_pool2d(x, pool, stride, padding), value, rtol=1e-12)


@given(image_and_kernel(), strides, paddings)
def test_zero_in_zero_out(pair, stride, padding):
    """All-zero input gives all-zero output for every operator."""
    image, kernel = pair
    zeros = np.zeros_like(image)
    assert not correlate2d(zeros, kernel, stride, padding).any()
    assert not max_pool2d(zeros, kernel.shape, stride, padding).any()
    assert not avg_pool2d(zeros, kernel.shape, stride, padding).any()
    assert not conv2d(
        zeros[None, :, :, None], kernel[:, :, None, None], None, stride, padding
    ).any()
    dout = np.zeros(max_pool2d(image, kernel.shape, stride).shape)
    assert not max_pool2d_backward(dout, image, kernel.shape, stride).any()


@given(image_and_kernel(), strides, paddings)
def test_max_pool_is_at_least_avg_pool(pair, stride, padding):
    """A window's maximum is never below its mean."""
    image, kernel = pair
    maxima = max_pool2d(image, kernel.shape, stride, padding)
    means = avg_pool2d(image, kernel.shape, stride, padding)
    assert np.all(maxima >= means - 1e-9 * (1.0 + np.abs(image).max()))


@given(image_and_kernel(), strides)
def test_backward_conserves_the_gradient_at_window_maxima(pair, stride):
    """The input gradient sums to the output gradient and sits only on window maxima."""
    image, kernel = pair
    pooled = max_pool2d(image, kernel.shape, stride)
    dout = np.arange(1.0, pooled.size + 1).reshape(pooled.shape)
    grad = max_pool2d_backward(dout, image, kernel.shape, stride)
    assert np.isclose(grad.sum(), dout.sum())
    assert set(image[grad != 0]) <= set(pooled.ravel())


@given(
    arrays(
        np.float64,
        st.tuples(st.integers(1, 8), st.just(8), st.just(8)),
        elements=st.sampled_from([0.0, 0.5, 1.0]),
    )
)
def test_coarser_pooling_never_separates_more_images(images):
    """Pool 4 nests pool 2's windows (8×8 images): it can only merge images, never split them."""
    counts = [count_distinct_after_pooling(images, p) for p in (1, 2, 4, 8)]
    assert counts == sorted(counts, reverse=True)
    assert 1 <= counts[-1] <= counts[0] <= len(images)
