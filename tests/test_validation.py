"""Does bad input fail at the call, with a message naming the argument and what was expected?"""

from __future__ import annotations

import numpy as np
import pytest

from solutions import (
    avg_pool2d,
    conv2d,
    convolve2d,
    correlate2d,
    count_distinct_after_pooling,
    edge_kernel,
    max_pool2d,
    max_pool2d_backward,
)

IMAGE = np.ones((5, 6))
KERNEL = np.ones((3, 3))
NAN_IMAGE = np.where(np.eye(5, 6) > 0, np.nan, 1.0)
INF_KERNEL = np.array([[1.0, np.inf], [0.0, 0.0]])

FILTERS = [correlate2d, convolve2d]
POOLS = [max_pool2d, avg_pool2d]


@pytest.mark.parametrize("function", FILTERS)
@pytest.mark.parametrize(
    ("image", "kernel", "kwargs", "error", "message"),
    [
        (
            np.ones(5),
            KERNEL,
            {},
            ValueError,
            r"image must be a 2-D array \(height, width\); got shape \(5,\)",
        ),
        (
            np.ones((1, 5, 5)),
            KERNEL,
            {},
            ValueError,
            r"image must be a 2-D array .* got shape \(1, 5, 5\)",
        ),
        (IMAGE, np.ones(3), {}, ValueError, r"kernel must be a 2-D array .* got shape \(3,\)"),
        (
            IMAGE,
            np.ones((6, 2)),
            {},
            ValueError,
            r"kernel of shape \(6, 2\) is larger than image of shape \(5, 6\)",
        ),
        (NAN_IMAGE, KERNEL, {}, ValueError, r"image must be finite; found nan at index \(0, 0\)"),
        (IMAGE, INF_KERNEL, {}, ValueError, r"kernel must be finite; found inf at index \(0, 1\)"),
        (IMAGE, KERNEL, {"stride": 0}, ValueError, r"stride must be a positive integer; got 0"),
        (IMAGE, KERNEL, {"stride": -2}, ValueError, r"stride must be a positive integer; got -2"),
        (
            IMAGE,
            KERNEL,
            {"stride": 1.5},
            TypeError,
            r"stride must be an integer or a pair of integers; got 1.5",
        ),
        (IMAGE, KERNEL, {"stride": (1, 2, 3)}, TypeError, r"stride must be an integer or a pair"),
        (IMAGE, KERNEL, {"stride": True}, TypeError, r"stride must be an integer or a pair"),
        (
            IMAGE,
            KERNEL,
            {"padding": "full"},
            ValueError,
            r"padding must be 'valid' or 'same'; got 'full'",
        ),
        (
            IMAGE,
            KERNEL,
            {"padding": None},
            ValueError,
            r"padding must be 'valid' or 'same'; got None",
        ),
        (
            np.array([["a", "b"]]),
            KERNEL,
            {},
            TypeError,
            r"image must hold real numbers; got dtype <U1",
        ),
        (IMAGE + 1j, KERNEL, {}, TypeError, r"image must hold real numbers; got dtype complex128"),
        (np.ones((0, 4)), KERNEL, {}, ValueError, r"image must not be empty; got shape \(0, 4\)"),
    ],
)
def test_filter_errors(function, image, kernel, kwargs, error, message):
    """Each bad argument of correlate2d/convolve2d is named in the error."""
    with pytest.raises(error, match=message):
        function(image, kernel, **kwargs)


def test_kernel_larger_than_image_is_fine_with_same_padding():
    """'same' output is defined for any kernel (TensorFlow allows it), so it is not an error."""
    assert correlate2d(np.ones((2, 2)), np.ones((3, 3)), padding="same").shape == (2, 2)


@pytest.mark.parametrize(
    ("images", "kernels", "bias", "message"),
    [
        (
            np.ones((5, 5, 1)),
            np.ones((3, 3, 1, 2)),
            None,
            r"images must be a 4-D array \(batch, height, width, channels\)",
        ),
        (
            np.ones((1, 5, 5, 1)),
            np.ones((3, 3, 2)),
            None,
            r"kernels must be a 4-D array \(kernel height, kernel width, input channels, output channels\)",
        ),
        (
            np.ones((1, 5, 5, 3)),
            np.ones((3, 3, 1, 2)),
            None,
            r"kernels have 1 input channels \(axis 2\) but images have 3 channels \(axis 3\)",
        ),
        (
            np.ones((1, 5, 5, 1)),
            np.ones((3, 3, 1, 2)),
            np.ones(3),
            r"bias must have shape \(2,\), one value per output channel; got shape \(3,\)",
        ),
        (
            np.ones((1, 5, 5, 1)),
            np.ones((3, 3, 1, 2)),
            np.ones((1, 2)),
            r"bias must be a 1-D array \(output channels\)",
        ),
        (
            np.ones((1, 2, 5, 1)),
            np.ones((3, 3, 1, 2)),
            None,
            r"kernels of size 3×3 are larger than images of size 2×5",
        ),
        (np.full((1, 5, 5, 1), np.nan), np.ones((3, 3, 1, 2)), None, r"images must be finite"),
    ],
)
def test_conv2d_errors(images, kernels, bias, message):
    """Channel and bias mismatches say which axis disagrees."""
    with pytest.raises(ValueError, match=message):
        conv2d(images, kernels, bias)


@pytest.mark.parametrize("function", POOLS)
@pytest.mark.parametrize(
    ("x", "kwargs", "error", "message"),
    [
        (
            np.ones((2, 3, 3)),
            {},
            ValueError,
            r"x must be a 2-D array \(height, width\); got shape \(2, 3, 3\)",
        ),
        (
            IMAGE,
            {"pool_size": 6},
            ValueError,
            r"pool_size \(6, 6\) is larger than x of shape \(5, 6\)",
        ),
        (IMAGE, {"pool_size": 0}, ValueError, r"pool_size must be a positive integer; got 0"),
        (
            IMAGE,
            {"pool_size": 2, "stride": 0},
            ValueError,
            r"stride must be a positive integer; got 0",
        ),
        (IMAGE, {"padding": "VALID!"}, ValueError, r"padding must be 'valid' or 'same'"),
        (NAN_IMAGE, {}, ValueError, r"x must be finite; found nan"),
        (np.array([[-np.inf, 0.0]]), {"pool_size": 1}, ValueError, r"x must be finite; found -inf"),
    ],
)
def test_pool_errors(function, x, kwargs, error, message):
    """Each bad argument of max_pool2d/avg_pool2d is named in the error."""
    with pytest.raises(error, match=message):
        function(x, **kwargs)


@pytest.mark.parametrize(
    ("dout", "x", "kwargs", "message"),
    [
        (
            np.ones((2, 2)),
            IMAGE,
            {},
            r"dout must have the pooled output's shape \(2, 3\) for x of shape \(5, 6\)",
        ),
        (np.ones(6), IMAGE, {}, r"dout must be a 2-D array \(output height, output width\)"),
        (np.ones((2, 3)), np.ones(6), {}, r"x must be a 2-D array"),
        (
            np.ones((2, 3)),
            IMAGE,
            {"pool_size": 7},
            r"pool_size \(7, 7\) is larger than x of shape \(5, 6\)",
        ),
        (np.full((2, 3), np.inf), IMAGE, {}, r"dout must be finite"),
    ],
)
def test_backward_errors(dout, x, kwargs, message):
    """A gradient of the wrong shape says which shape was expected."""
    with pytest.raises(ValueError, match=message):
        max_pool2d_backward(dout, x, **kwargs)


@pytest.mark.parametrize(
    ("images", "pool_size", "error", "message"),
    [
        (np.ones((5, 5)), 2, ValueError, r"images must be a 3-D array \(image, height, width\)"),
        (
            np.ones((2, 5, 5)),
            6,
            ValueError,
            r"pool_size \(6, 6\) is larger than the images' size \(5, 5\)",
        ),
        (np.ones((2, 5, 5)), -1, ValueError, r"pool_size must be a positive integer; got -1"),
        (
            np.ones((2, 5, 5)),
            "2",
            TypeError,
            r"pool_size must be an integer or a pair of integers; got '2'",
        ),
    ],
)
def test_count_distinct_errors(images, pool_size, error, message):
    """Bad images or pool sizes are named."""
    with pytest.raises(error, match=message):
        count_distinct_after_pooling(images, pool_size)


@pytest.mark.parametrize("direction", ["up", "LEFT", "", 3, None])
def test_edge_kernel_errors(direction):
    """An unknown direction lists the four that exist."""
    with pytest.raises(
        ValueError, match=r"direction must be one of \('left', 'right', 'top', 'bottom'\)"
    ):
        edge_kernel(direction)
