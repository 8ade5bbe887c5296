"""Do the hand-written filters compute what SciPy, Keras and TensorFlow compute?"""

from __future__ import annotations

import numpy as np
import pytest

from autograder import oracles
from course.edges import EDGE_DIRECTIONS
from solutions import conv2d, convolve2d, correlate2d, edge_kernel

KERNEL_SHAPES = [(1, 1), (2, 2), (3, 3), (4, 2), (3, 5)]
STRIDES = [1, 2, 3, (1, 2), (3, 1)]
IMAGE_SHAPES = [(28, 28), (13, 17), (9, 6)]


@pytest.mark.parametrize("image_shape", IMAGE_SHAPES)
@pytest.mark.parametrize("kernel_shape", KERNEL_SHAPES)
@pytest.mark.parametrize("stride", STRIDES)
def test_correlate2d_valid_matches_scipy(rng, image_shape, kernel_shape, stride):
    """Is 'valid' correlation scipy.signal.correlate2d, subsampled by the stride?"""
    image, kernel = rng.normal(size=image_shape), rng.normal(size=kernel_shape)
    np.testing.assert_allclose(
        correlate2d(image, kernel, stride), oracles.scipy_correlate2d(image, kernel, stride)
    )


@pytest.mark.parametrize("image_shape", IMAGE_SHAPES)
@pytest.mark.parametrize("kernel_shape", KERNEL_SHAPES)
@pytest.mark.parametrize("stride", STRIDES)
@pytest.mark.parametrize("padding", ["valid", "same"])
def test_correlate2d_matches_tensorflow(rng, image_shape, kernel_shape, stride, padding):
    """Do both paddings, odd and even kernels, and all strides match tf.nn.conv2d exactly?"""
    image, kernel = rng.normal(size=image_shape), rng.normal(size=kernel_shape)
    np.testing.assert_allclose(
        correlate2d(image, kernel, stride, padding),
        oracles.tf_correlate2d(image, kernel, stride, padding),
        atol=1e-12,
    )


@pytest.mark.parametrize("image_shape", IMAGE_SHAPES)
@pytest.mark.parametrize("kernel_shape", KERNEL_SHAPES)
@pytest.mark.parametrize("stride", [1, 2])
def test_convolve2d_matches_scipy(rng, image_shape, kernel_shape, stride):
    """Is convolve2d scipy.signal.convolve2d (the kernel flipped on both axes)?"""
    image, kernel = rng.normal(size=image_shape), rng.normal(size=kernel_shape)
    np.testing.assert_allclose(
        convolve2d(image, kernel, stride), oracles.scipy_convolve2d(image, kernel, stride)
    )


def test_convolve2d_same_is_correlation_with_flipped_kernel(rng):
    """With 'same' padding too, is convolution the correlation of the flipped kernel?"""
    image, kernel = rng.normal(size=(11, 8)), rng.normal(size=(4, 3))
    np.testing.assert_allclose(
        convolve2d(image, kernel, 2, "same"),
        oracles.tf_correlate2d(image, kernel[::-1, ::-1], 2, "same"),
        atol=1e-12,
    )


def test_d2l_published_values():
    """d2l.ai 7.2: corr2d(arange(9).reshape(3, 3), [[0, 1], [2, 3]]) == [[19, 25], [37, 43]]."""
    result = correlate2d(np.arange(9).reshape(3, 3), np.array([[0, 1], [2, 3]]))
    np.testing.assert_array_equal(result, [[19.0, 25.0], [37.0, 43.0]])


def test_same_padding_puts_the_extra_row_at_the_bottom_right():
    """TensorFlow pads an even kernel's extra row/column after, not before: is that followed?"""
    image = np.arange(16.0).reshape(4, 4)
    picker = np.array([[1.0, 0.0], [0.0, 0.0]])  # picks the window's top-left pixel
    # No padding before, so each output is the input pixel at the same position.
    np.testing.assert_array_equal(correlate2d(image, picker, padding="same"), image)


@pytest.mark.parametrize("stride", [1, 2, (2, 1)])
@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("channels", [(1, 4), (3, 5), (2, 1)])
def test_conv2d_matches_keras_conv2d(rng, stride, padding, channels):
    """Batched, multi-channel, with bias: is conv2d what keras.layers.Conv2D computes?"""
    c_in, c_out = channels
    images = rng.normal(size=(3, 10, 7, c_in))
    kernels, bias = rng.normal(size=(3, 2, c_in, c_out)), rng.normal(size=c_out)
    np.testing.assert_allclose(
        conv2d(images, kernels, bias, stride, padding),
        oracles.keras_conv2d(images, kernels, bias, stride, padding),
        atol=1e-12,
    )


def test_conv2d_without_bias_on_digits_matches_keras(seven):
    """The 7 through the four edge kernels at once: is each channel the Keras channel?"""
    bank = np.stack([edge_kernel(d) for d in EDGE_DIRECTIONS], axis=-1)
    images = seven[np.newaxis, :, :, np.newaxis]
    result = conv2d(images, bank[:, :, np.newaxis, :])
    assert result.shape == (1, 26, 26, 4)
    np.testing.assert_allclose(result, oracles.keras_conv2d(images, bank[:, :, np.newaxis, :]))


def test_conv2d_of_one_channel_equals_correlate2d_per_channel(rng):
    """Does each output channel of conv2d equal correlate2d with that channel's kernel?"""
    images, kernels = rng.normal(size=(2, 9, 9, 1)), rng.normal(size=(3, 3, 1, 2))
    result = conv2d(images, kernels, stride=2, padding="same")
    for n in range(2):
        for c in range(2):
            np.testing.assert_allclose(
                result[n, :, :, c],
                correlate2d(images[n, :, :, 0], kernels[:, :, 0, c], 2, "same"),
                atol=1e-12,
            )


@pytest.mark.parametrize("dtype", [np.uint8, np.int64, np.float32, np.float64, bool])
def test_result_is_floating_and_exact_for_integers(dtype):
    """Integer images are not truncated: is the result floating point, and exact?"""
    image = np.array([[0, 1, 1], [1, 0, 1], [1, 1, 0]]).astype(dtype)
    result = correlate2d(image, np.array([[0.5, -0.25]]))
    assert result.dtype.kind == "f"
    expected = np.array([[-0.25, 0.25], [0.5, -0.25], [0.25, 0.5]])
    np.testing.assert_array_equal(result, expected)


def test_float32_in_gives_float32_out(rng):
    """Do float32 digits and float32 kernels stay float32 (as in Keras)?"""
    image = rng.random((28, 28)).astype(np.float32)
    kernel = edge_kernel("left").astype(np.float32)
    assert correlate2d(image, kernel).dtype == np.float32
    assert conv2d(image[None, :, :, None], kernel[:, :, None, None]).dtype == np.float32


@pytest.mark.parametrize(
    ("function", "args"),
    [
        (correlate2d, ((6, 7), (3, 2))),
        (convolve2d, ((6, 7), (3, 2))),
        (conv2d, ((2, 6, 7, 3), (3, 2, 3, 4), (4,))),
    ],
)
def test_inputs_are_not_modified(rng, function, args):
    """Are the caller's arrays left exactly as they were, also with 'same' padding?"""
    arrays = [rng.normal(size=shape) for shape in args]
    copies = [a.copy() for a in arrays]
    function(*arrays, stride=2, padding="same")
    for array, copy in zip(arrays, copies, strict=True):
        np.testing.assert_array_equal(array, copy)


class TestEdgeKernel:
    """Does each edge kernel respond to its own edge, and only to it?"""

    STEP_UP = np.repeat([[0.0, 0.0, 0.0, 1.0, 1.0, 1.0]], 6, axis=0)  # dark left, bright right

    @pytest.mark.parametrize("direction", EDGE_DIRECTIONS)
    def test_shape_and_zero_sum(self, direction):
        """A 3×3 kernel whose weights sum to zero, so flat regions give zero."""
        kernel = edge_kernel(direction)
        assert kernel.shape == (3, 3)
        assert kernel.sum() == 0.0
        np.testing.assert_array_equal(correlate2d(np.full((5, 5), 0.75), kernel), 0.0)

    @pytest.mark.parametrize(
        ("direction", "image", "sign"),
        [
            ("left", STEP_UP, 1),  # brightness rises left to right
            ("right", STEP_UP, -1),
            ("left", STEP_UP[:, ::-1], -1),
            ("right", STEP_UP[:, ::-1], 1),
            ("top", STEP_UP.T, 1),  # brightness rises top to bottom
            ("bottom", STEP_UP.T, -1),
            ("top", STEP_UP.T[::-1], -1),
            ("bottom", STEP_UP.T[::-1], 1),
        ],
    )
    def test_sign_of_the_response_to_a_step(self, direction, image, sign):
        """Positive for its own edge, negative for the mirrored one."""
        response = correlate2d(image, edge_kernel(direction))
        if direction in ("top", "bottom"):  # the step runs down the rows: look along them
            response = response.T
        assert np.all(np.sign(response[:, 1:3]) == sign)
        np.testing.assert_array_equal(response[:, [0, 3]], 0.0)  # flat parts

    @pytest.mark.parametrize(("direction", "step"), [("left", STEP_UP.T), ("top", STEP_UP)])
    def test_blind_to_the_other_orientation(self, direction, step):
        """A vertical-edge kernel ignores horizontal edges and vice versa."""
        np.testing.assert_array_equal(correlate2d(step, edge_kernel(direction)), 0.0)

    def test_the_seven_left_edges_lie_left_of_its_strokes(self, seven):
        """On the 7: 'left' peaks just left of the bright diagonal, 'right' just right of it."""
        row = 20  # a row crossing the 7's diagonal stroke only
        stroke = np.flatnonzero(seven[row] > 0.5)
        left = correlate2d(seven, edge_kernel("left"))[row - 1]  # output row r ↔ input row r+1
        right = correlate2d(seven, edge_kernel("right"))[row - 1]
        assert np.argmax(left) + 1 < stroke.mean() < np.argmax(right) + 1

    def test_new_array_each_call(self):
        """Changing a returned kernel must not change the next one."""
        edge_kernel("left")[0, 0] = 100.0
        assert edge_kernel("left")[0, 0] == -1.0

    def test_mirrors(self):
        """'right' is 'left' negated and 'top' is 'left' transposed."""
        np.testing.assert_array_equal(edge_kernel("right"), -edge_kernel("left"))
        np.testing.assert_array_equal(edge_kernel("top"), edge_kernel("left").T)
        np.testing.assert_array_equal(edge_kernel("bottom"), -edge_kernel("top"))
