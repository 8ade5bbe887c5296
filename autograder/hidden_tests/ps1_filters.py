"""Hidden tests of assignment ps1_filters: random inputs judged by independent oracles.

Every check draws its inputs from :func:`autograder.secret.hidden_rng`, so the kinds of
input below are public but their values are not: odd and even, non-square kernels on
non-square images with negative values, strides 1 to 3 (also a different one per axis),
both paddings, float32, float64 and integer inputs, and bad input that must be refused
with a ``TypeError`` or ``ValueError`` naming the argument. The answers come from SciPy
(:mod:`autograder.oracles`), never from the student's code; the student gets copies of
the inputs, which must come back unchanged.

Each check raises ``AssertionError`` naming the first case that failed, and
:class:`autograder.secret.MissingSecretError` without a grading secret.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from autograder import oracles
from autograder.hidden_tests._common import (
    BAD_PADDINGS,
    BAD_PAIRS,
    FRACTIONS,
    STRIDE_PAIRS,
    call_on_copies,
    choose,
    expect_float,
    expect_refusals,
    random_index,
    tolerance,
    with_value,
)
from autograder.secret import hidden_rng
from course.visible_tests import expect_array, expect_true

__all__ = ["check_conv2d", "check_convolve2d", "check_correlate2d", "check_edge_kernel"]

Stride = int | tuple[int, int]
FilterCase = tuple[np.ndarray, np.ndarray, Stride, str]

#: Kernel sides by parity: odd kernels have a centre, even ones pad unevenly under "same".
ODD, EVEN = (1, 3, 5), (2, 4)
#: Extra pixels per axis under a pair of strides, so that each stride gives its own size.
PAIR_STRIDE_ROOM = 6
#: The Sobel kernels, as the assignment defines them.
SOBEL = {
    "left": [[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]],
    "right": [[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]],
    "top": [[-1.0, -2.0, -1.0], [0.0, 0.0, 0.0], [1.0, 2.0, 1.0]],
    "bottom": [[1.0, 2.0, 1.0], [0.0, 0.0, 0.0], [-1.0, -2.0, -1.0]],
}


def _image_shape(
    rng: np.random.Generator, kernel_shape: tuple[int, int], even: bool = False, room: int = 0
) -> tuple[int, int]:
    """A non-square image shape, up to about 12×12, with room for the kernel (and ``room``
    more pixels per axis: enough for strides 1, 2 and 3 to give different output sizes)."""
    rows, cols = (int(rng.integers(k + room, 12 + room)) for k in kernel_shape)
    if even:
        rows, cols = rows + rows % 2, cols + cols % 2
    if rows == cols:
        cols += 2 if even else 1
    return rows, cols


def _filter_cases(rng: np.random.Generator) -> list[FilterCase]:
    """(image, kernel, stride, padding) of every kind the filter checks try."""
    plans = [
        # kernel row sizes, kernel column sizes, stride, padding, even image sides
        (ODD, EVEN, 1, "valid", False),
        (EVEN, ODD, 1, "valid", False),
        (ODD, ODD, int(rng.integers(2, 4)), "valid", False),
        (EVEN, EVEN, choose(rng, STRIDE_PAIRS), "valid", False),
        (EVEN, ODD, 1, "same", False),  # the odd padding row goes after the image
        ((3, 5), (3, 5), 2, "same", True),  # even sides: stride 2 pads one less than stride 1
        (ODD + EVEN, ODD + EVEN, choose(rng, STRIDE_PAIRS), "same", False),
    ]
    cases = []
    for rows, cols, stride, padding, even in plans:
        kernel_shape = (int(rng.choice(rows)), int(rng.choice(cols)))
        room = PAIR_STRIDE_ROOM if isinstance(stride, tuple) else 0
        image_shape = _image_shape(rng, kernel_shape, even, room)
        cases.append((rng.normal(size=image_shape), rng.normal(size=kernel_shape), stride, padding))
    # "same" accepts a kernel larger than the image.
    cases.append((rng.normal(size=(2, 3)), rng.normal(size=(4, 5)), 1, "same"))
    # float32 in, float32 out; integers in, floating point out.
    image, kernel, stride, padding = cases[int(rng.integers(len(cases)))]
    cases.append((image.astype(np.float32), kernel.astype(np.float32), stride, padding))
    kernel_shape = (int(rng.choice(ODD)), int(rng.choice(EVEN)))
    image_shape = _image_shape(rng, kernel_shape)
    cases.append(
        (rng.integers(-3, 4, size=image_shape), rng.integers(-3, 4, size=kernel_shape), 1, "valid")
    )
    return cases


def _expect_filter_errors(function: Callable[..., object], rng: np.random.Generator) -> None:
    """Bad input to correlate2d or convolve2d: refused, naming the argument."""
    name = function.__name__
    kernel = rng.normal(size=(int(rng.choice(EVEN)), int(rng.choice(ODD))))
    image = rng.normal(size=_image_shape(rng, kernel.shape))
    with_nan, with_inf = with_value(rng, image, np.nan), kernel.copy()
    with_inf[random_index(rng, kernel.shape)] = rng.choice([np.inf, -np.inf])
    bad_stride = choose(rng, BAD_PAIRS)
    fractional_stride = float(rng.choice(FRACTIONS))
    bad_padding = str(rng.choice(BAD_PADDINGS))
    large_kernel = rng.normal(size=(image.shape[0] + 1, int(rng.integers(1, 3))))
    calls = [
        (f"stride={bad_stride!r}", lambda: function(image, kernel, stride=bad_stride), "stride"),
        (
            f"stride={fractional_stride!r}",
            lambda: function(image, kernel, stride=fractional_stride),
            "stride",
        ),
        (
            f"padding={bad_padding!r}",
            lambda: function(image, kernel, padding=bad_padding),
            "padding",
        ),
        ("an image holding NaN", lambda: function(with_nan, kernel), "image"),
        ("a kernel holding infinity", lambda: function(image, with_inf), "kernel"),
        ("a 3-D image", lambda: function(image[np.newaxis], kernel), "image"),
        ("a 1-D kernel", lambda: function(image, kernel[0]), "kernel"),
        (
            f"a kernel of shape {large_kernel.shape} on an image of shape {image.shape}",
            lambda: function(image, large_kernel),
            "kernel",
        ),
    ]
    expect_refusals(name, calls)


def check_correlate2d(correlate2d: Callable[..., object]) -> None:
    """Hidden tests of ``correlate2d``: random cases against ``scipy.signal.correlate2d``."""
    rng = hidden_rng("correlate2d")
    for image, kernel, stride, padding in _filter_cases(rng):
        result, what = call_on_copies(correlate2d, image, kernel, stride=stride, padding=padding)
        expect_array(
            result,
            oracles.scipy_correlate2d_padded(image, kernel, stride, padding),
            what,
            mistakes={
                "did you flip the kernel?": oracles.scipy_correlate2d_padded(
                    image, kernel[::-1, ::-1], stride, padding
                )
            },
            tolerance=tolerance(image, kernel),
        )
        expect_float(result, what, image, kernel, float64_for_integers=True)
    _expect_filter_errors(correlate2d, rng)


def check_convolve2d(convolve2d: Callable[..., object]) -> None:
    """Hidden tests of ``convolve2d``: random cases against ``scipy.signal.convolve2d``
    (``"valid"``) and SciPy's correlation with the flipped kernel (``"same"``).
    """
    rng = hidden_rng("convolve2d")
    for image, kernel, stride, padding in _filter_cases(rng):
        result, what = call_on_copies(convolve2d, image, kernel, stride=stride, padding=padding)
        expected = (
            oracles.scipy_convolve2d(image, kernel, stride)
            if padding == "valid"
            else oracles.scipy_correlate2d_padded(image, kernel[::-1, ::-1], stride, padding)
        )
        wrong_flips = {
            "the kernel was not flipped: that is correlate2d": kernel,
            "flip the columns too (kernel[::-1, ::-1]), not only the rows": kernel[::-1],
            "flip the rows too (kernel[::-1, ::-1]), not only the columns": kernel[:, ::-1],
        }
        expect_array(
            result,
            expected,
            what,
            mistakes={
                hint: oracles.scipy_correlate2d_padded(image, wrong, stride, padding)
                for hint, wrong in wrong_flips.items()
            },
            tolerance=tolerance(image, kernel),
        )
        expect_float(result, what, image, kernel, float64_for_integers=True)
    _expect_filter_errors(convolve2d, rng)


def check_edge_kernel(edge_kernel: Callable[..., object]) -> None:
    """Hidden tests of ``edge_kernel``: the four Sobel kernels, as new float64 arrays, and
    unknown directions refused.
    """
    rng = hidden_rng("edge_kernel")
    for direction in rng.permutation(list(SOBEL)).tolist() * 2:
        kernel, what = call_on_copies(edge_kernel, direction)
        expect_array(kernel, SOBEL[direction], what)
        expect_true(kernel.dtype == np.float64, f"{what} must be float64; got {kernel.dtype}")
        expect_true(kernel.flags.writeable, f"{what} must return a new, writable array")
        kernel[int(rng.integers(3)), int(rng.integers(3))] += 1.0  # a new array: no harm done
    letters = list("abcdefghijklmnopqrstuvwxyz")
    unknown = [
        "".join(rng.choice(letters, size=int(rng.integers(1, 7)))),
        str(rng.choice(["up", "down", "horizontal", "vertical", "leftt", ""])),
        None,
        int(rng.integers(4)),
    ]
    calls = [
        (repr(direction), lambda direction=direction: edge_kernel(direction), "direction")
        for direction in unknown
        if direction not in SOBEL
    ]
    expect_refusals("edge_kernel", calls)


def _conv_cases(
    rng: np.random.Generator,
) -> list[tuple[np.ndarray, np.ndarray, np.ndarray | None, Stride, str]]:
    """(images, kernels, bias, stride, padding) of every kind the conv2d check tries."""
    plans = [
        # kernel row sizes, kernel column sizes, stride, padding, with a bias
        (ODD, EVEN, 1, "valid", True),
        (ODD, ODD, choose(rng, STRIDE_PAIRS), "valid", False),
        (EVEN, EVEN, 1, "same", True),  # the odd padding row goes after the images
        (ODD + EVEN, ODD + EVEN, int(rng.integers(2, 4)), "same", True),
        (EVEN, ODD, choose(rng, STRIDE_PAIRS), "same", False),
    ]
    cases = []
    for rows, cols, stride, padding, with_bias in plans:
        kernel_size = (int(rng.choice(rows)), int(rng.choice(cols)))
        batch, in_channels, out_channels = (int(n) for n in rng.integers((1, 2, 2), (4, 4, 5)))
        room = PAIR_STRIDE_ROOM if isinstance(stride, tuple) else 0
        image_shape = _image_shape(rng, kernel_size, room=room)
        images = rng.normal(size=(batch, *image_shape, in_channels))
        kernels = rng.normal(size=(*kernel_size, in_channels, out_channels))
        bias = rng.normal(size=out_channels) if with_bias else None
        cases.append((images, kernels, bias, stride, padding))
    images, kernels, bias, stride, padding = cases[int(rng.integers(len(cases)))]
    cases.append(
        (
            images.astype(np.float32),
            kernels.astype(np.float32),
            None if bias is None else bias.astype(np.float32),
            stride,
            padding,
        )
    )
    cases.append(
        (
            rng.integers(-3, 4, size=(2, 6, 5, 1)),
            rng.integers(-3, 4, size=(3, 2, 1, 2)),
            None,
            1,
            "valid",
        )
    )
    return cases


def check_conv2d(conv2d: Callable[..., object]) -> None:
    """Hidden tests of ``conv2d``: random batches, channels, biases, strides and paddings
    against SciPy, one input and output channel at a time.
    """
    rng = hidden_rng("conv2d")
    for images, kernels, bias, stride, padding in _conv_cases(rng):
        result, what = call_on_copies(
            conv2d, images, kernels, bias=bias, stride=stride, padding=padding
        )
        mistakes = {
            "did you flip the kernels? Conv2D correlates": oracles.scipy_conv2d(
                images, kernels[::-1, ::-1], bias, stride, padding
            )
        }
        if bias is not None:
            mistakes["the bias was not added"] = oracles.scipy_conv2d(
                images, kernels, None, stride, padding
            )
        expect_array(
            result,
            oracles.scipy_conv2d(images, kernels, bias, stride, padding),
            what,
            mistakes=mistakes,
            tolerance=tolerance(images, kernels),
        )
        expect_float(result, what, images, kernels, float64_for_integers=True)

    in_channels, out_channels = (int(n) for n in rng.integers(2, 4, size=2))
    images = rng.normal(size=(2, *_image_shape(rng, (3, 3)), in_channels))
    kernels = rng.normal(size=(3, 2, in_channels, out_channels))
    with_nan = with_value(rng, images, np.nan)
    wrong_kernels = rng.normal(size=(3, 2, in_channels + 1, out_channels))
    wrong_bias = rng.normal(size=out_channels + int(rng.choice([-1, 1])))
    large_kernels = rng.normal(size=(images.shape[1] + 1, 2, in_channels, out_channels))
    calls = [
        ("kernels with another channel count", lambda: conv2d(images, wrong_kernels), "channels"),
        (
            f"bias of shape {wrong_bias.shape}",
            lambda: conv2d(images, kernels, bias=wrong_bias),
            "bias",
        ),
        ("a 2-D bias", lambda: conv2d(images, kernels, bias=kernels[0, 0]), "bias"),
        ("one 3-D image", lambda: conv2d(images[0], kernels), "images"),
        ("3-D kernels", lambda: conv2d(images, kernels[..., 0]), "kernels"),
        ("images holding NaN", lambda: conv2d(with_nan, kernels), "images"),
        ("stride=0", lambda: conv2d(images, kernels, stride=0), "stride"),
        ("padding='full'", lambda: conv2d(images, kernels, padding="full"), "padding"),
        ("kernels larger than the images", lambda: conv2d(images, large_kernels), "kernels"),
    ]
    expect_refusals("conv2d", calls)
