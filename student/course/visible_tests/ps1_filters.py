"""Visible tests of assignment ps1_filters: small cases worked out by hand.

Each ``check_NAME(NAME)`` runs the student's ``NAME`` on a few tiny inputs whose answers
are written out below (you can check them with pencil and paper), then on bad input that
must be refused. The assignment's notebook shows each body as its locked test cell.

Each check raises ``AssertionError`` naming the case that failed, with a hint when the
answer is a known mistake.
"""

import numpy as np

from course.visible_tests import expect_array, expect_error, expect_true

__all__ = ["check_conv2d", "check_convolve2d", "check_correlate2d", "check_edge_kernel"]


def check_correlate2d(correlate2d) -> None:
    """Visible tests of ``correlate2d(image, kernel, stride=1, padding="valid")``."""
    # 1. The example of d2l.ai, section 7.2. Each output is a 2×2 window of the image times
    #    the kernel, summed: top-left 0*0 + 1*1 + 3*2 + 4*3 = 19. The inputs are integers,
    #    the result must be floating point all the same.
    image = np.array([[0, 1, 2], [3, 4, 5], [6, 7, 8]])
    kernel = np.array([[0, 1], [2, 3]])
    expect_array(
        correlate2d(image, kernel),
        [[19, 25], [37, 43]],
        "correlate2d(image, kernel)",
        mistakes={
            "did you flip the kernel? correlate2d slides it as it is (convolve2d flips it)": [
                [5, 11],
                [23, 29],
            ],
            "rows and columns swapped: out[i, j] is the window at row i, column j": [
                [19, 37],
                [25, 43],
            ],
            "one window too few: a 3-pixel axis holds 3 - 2 + 1 = 2 windows of 2": [[19]],
        },
    )

    # 2. Stride 2: windows start at rows 0, 2 and columns 0, 2 (a 1×2 kernel on a 3×5
    #    image). Top-left: 1*1 + 2*2 = 5; the next window, two columns on: 3*1 + 4*2 = 11.
    image = np.array([[1, 2, 3, 4, 5], [6, 7, 8, 9, 10], [11, 12, 13, 14, 15]])
    expect_array(
        correlate2d(image, [[1, 2]], stride=2),
        [[5, 11], [35, 41]],
        "correlate2d(image, [[1, 2]], stride=2)",
        mistakes={
            "the stride was ignored: move 2 pixels between windows": [
                [5, 8, 11, 14],
                [20, 23, 26, 29],
                [35, 38, 41, 44],
            ],
            "the stride applies to the columns too": [[5, 8, 11, 14], [35, 38, 41, 44]],
            "the stride applies to the rows too": [[5, 11], [20, 26], [35, 41]],
            "did you flip the kernel?": [[4, 10], [34, 40]],
        },
    )

    # 3. padding="same" with a 2×2 kernel: the output keeps the image's 3×3 size, so one
    #    row and one column of zeros are added, and TensorFlow adds them AFTER (bottom,
    #    right). This kernel picks each window's top-left pixel: the image comes back.
    image = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]])
    expect_array(
        correlate2d(image, [[1, 0], [0, 0]], padding="same"),
        image,
        'correlate2d(image, [[1, 0], [0, 0]], padding="same")',
        mistakes={
            "the zeros go after the image (bottom, right), not before": [
                [0, 0, 0],
                [0, 1, 2],
                [0, 4, 5],
            ],
            "did you flip the kernel?": [[5, 6, 0], [8, 9, 0], [0, 0, 0]],
            "no padding: with 'same' the image is padded with zeros": [[1, 2], [4, 5]],
        },
    )

    # 4. "same" with stride 2: ceil(5 / 2) = 3 outputs per axis, one zero on each side. The
    #    corner windows cover 2×2 ones of the image, the edge ones 2×3, the centre 3×3.
    expect_array(
        correlate2d(np.ones((5, 5)), np.ones((3, 3)), stride=2, padding="same"),
        [[4, 6, 4], [6, 9, 6], [4, 6, 4]],
        'correlate2d(np.ones((5, 5)), np.ones((3, 3)), stride=2, padding="same")',
        mistakes={
            "no padding: with 'same' the image is padded with zeros": [[9, 9], [9, 9]],
            "the stride was ignored": [
                [4, 6, 6, 6, 4],
                [6, 9, 9, 9, 6],
                [6, 9, 9, 9, 6],
                [6, 9, 9, 9, 6],
                [4, 6, 6, 6, 4],
            ],
        },
    )

    # 5. Bad input is refused with a message that names the argument.
    expect_error(
        lambda: correlate2d(np.ones((4, 4)), np.ones((2, 2)), stride=0),
        "correlate2d(image, kernel, stride=0)",
        ValueError,
        mentions="stride",
    )
    expect_error(
        lambda: correlate2d(np.ones((4, 4)), np.ones((2, 2)), padding="full"),
        'correlate2d(image, kernel, padding="full")',
        ValueError,
        mentions="padding",
    )
    expect_error(
        lambda: correlate2d(np.ones((2, 2)), np.ones((3, 3))),
        "correlate2d(a 2×2 image, a 3×3 kernel)",
        ValueError,
        mentions="kernel",
    )
    print("correlate2d: visible tests passed")


def check_convolve2d(convolve2d) -> None:
    """Visible tests of ``convolve2d(image, kernel, stride=1, padding="valid")``."""
    # 1. Convolution flips the kernel on both axes, then correlates: [[0, 1], [2, 3]]
    #    becomes [[3, 2], [1, 0]], and the top-left output is 0*3 + 1*2 + 3*1 + 4*0 = 5.
    image = np.array([[0, 1, 2], [3, 4, 5], [6, 7, 8]])
    kernel = np.array([[0, 1], [2, 3]])
    expect_array(
        convolve2d(image, kernel),
        [[5, 11], [23, 29]],
        "convolve2d(image, kernel)",
        mistakes={
            "the kernel was not flipped: that is correlate2d": [[19, 25], [37, 43]],
            "flip the columns too (kernel[::-1, ::-1]), not only the rows": [[7, 13], [25, 31]],
            "flip the rows too (kernel[::-1, ::-1]), not only the columns": [[17, 23], [35, 41]],
            "that kernel was rotated by 90°; a flip on both axes turns it by 180°": [
                [11, 17],
                [29, 35],
            ],
        },
    )

    # 2. padding="same": flipped, [[0, 0], [0, 1]] picks each window's top-left pixel, and
    #    the zero row and column go after the image, so the image comes back.
    image = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]])
    expect_array(
        convolve2d(image, [[0, 0], [0, 1]], padding="same"),
        image,
        'convolve2d(image, [[0, 0], [0, 1]], padding="same")',
        mistakes={
            "the kernel was not flipped": [[5, 6, 0], [8, 9, 0], [0, 0, 0]],
            "no padding: with 'same' the image is padded with zeros": [[1, 2], [4, 5]],
        },
    )

    # 3. Stride 3 along a single row: windows start at columns 0 and 3. Flipped, the
    #    kernel [[1, 10]] is [[10, 1]]: 1*10 + 2*1 = 12 and 4*10 + 5*1 = 45.
    expect_array(
        convolve2d([[1, 2, 3, 4, 5, 6, 7]], [[1, 10]], stride=3),
        [[12, 45]],
        "convolve2d([[1, 2, 3, 4, 5, 6, 7]], [[1, 10]], stride=3)",
        mistakes={
            "the kernel was not flipped": [[21, 54]],
            "the stride was ignored": [[12, 23, 34, 45, 56, 67]],
        },
    )

    # 4. Bad input is refused with a message that names the argument.
    expect_error(
        lambda: convolve2d(np.ones((4, 4)), [[1.0, np.nan]]),
        "convolve2d(image, a kernel holding NaN)",
        ValueError,
        mentions="kernel",
    )
    expect_error(
        lambda: convolve2d(np.ones((4, 4)), np.ones((2, 2)), stride=-1),
        "convolve2d(image, kernel, stride=-1)",
        ValueError,
        mentions="stride",
    )

    # 5. The caller's kernel is left as it was: flip a copy, not the caller's array.
    expect_true(
        np.array_equal(kernel, [[0, 1], [2, 3]]),
        "convolve2d changed the kernel it was given; flip a copy (kernel[::-1, ::-1] is one)",
    )
    print("convolve2d: visible tests passed")


def check_edge_kernel(edge_kernel) -> None:
    """Visible tests of ``edge_kernel(direction)``."""
    # 1. "left" finds brightness rising from left to right: the difference [-1, 0, 1]
    #    across the columns, smoothed down the rows by [1, 2, 1] (Sobel).
    expect_array(
        edge_kernel("left"),
        [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]],
        'edge_kernel("left")',
        mistakes={
            "that is Prewitt's kernel: Sobel weighs the middle row twice ([1, 2, 1])": [
                [-1, 0, 1],
                [-1, 0, 1],
                [-1, 0, 1],
            ],
            "sign reversed: that kernel finds the right edge": [
                [1, 0, -1],
                [2, 0, -2],
                [1, 0, -1],
            ],
            "rows and columns swapped: that kernel finds the top edge": [
                [-1, -2, -1],
                [0, 0, 0],
                [1, 2, 1],
            ],
            "no need to divide by 8: use the integer weights": [
                [-0.125, 0, 0.125],
                [-0.25, 0, 0.25],
                [-0.125, 0, 0.125],
            ],
        },
    )

    # 2. "right" is "left" negated; "top" is "left" transposed (brightness rising from top
    #    to bottom), and "bottom" is "top" negated.
    expect_array(edge_kernel("right"), [[1, 0, -1], [2, 0, -2], [1, 0, -1]], 'edge_kernel("right")')
    expect_array(
        edge_kernel("top"),
        [[-1, -2, -1], [0, 0, 0], [1, 2, 1]],
        'edge_kernel("top")',
        mistakes={
            "sign reversed: that kernel finds the bottom edge": [[1, 2, 1], [0, 0, 0], [-1, -2, -1]]
        },
    )
    expect_array(
        edge_kernel("bottom"),
        [[1, 2, 1], [0, 0, 0], [-1, -2, -1]],
        'edge_kernel("bottom")',
        mistakes={
            "sign reversed: that kernel finds the top edge": [[-1, -2, -1], [0, 0, 0], [1, 2, 1]]
        },
    )

    # 3. What "left" means: on a dark-to-bright step (0, 0, 1 in each row) the kernel's
    #    weighted sum is 1 + 2 + 1 = 4; on the mirrored step it is -4.
    step = np.array([[0.0, 0.0, 1.0], [0.0, 0.0, 1.0], [0.0, 0.0, 1.0]])
    response = float(np.sum(edge_kernel("left") * step))
    mirrored = float(np.sum(edge_kernel("left") * step[:, ::-1]))
    expect_true(
        (response, mirrored) == (4.0, -4.0),
        f'edge_kernel("left") must give 4 on a rising step and -4 on a falling one; '
        f"got {response:g} and {mirrored:g}",
    )

    # 4. Each call returns a new array: changing one kernel must not change the next.
    changed = edge_kernel("top")
    changed[0, 0] = 100.0
    expect_array(
        edge_kernel("top"),
        [[-1, -2, -1], [0, 0, 0], [1, 2, 1]],
        'edge_kernel("top") after changing an earlier result',
        mistakes={"build a new array on each call (a shared one can be changed)": changed},
    )

    # 5. An unknown direction is refused with a message that names the argument.
    expect_error(lambda: edge_kernel("up"), 'edge_kernel("up")', ValueError, mentions="direction")
    print("edge_kernel: visible tests passed")


def check_conv2d(conv2d) -> None:
    """Visible tests of ``conv2d(images, kernels, bias=None, stride=1, padding="valid")``."""
    # Shapes, channels last: images (N, H, W, C_in), kernels (kh, kw, C_in, C_out),
    # bias (C_out,), result (N, H', W', C_out). np.stack(..., axis=-1) below puts maps
    # side by side as channels.

    # 1. One 3×3 image, two filters: a 2×2 sum (bias 0) and d2l's [[0, 1], [2, 3]]
    #    (bias 100). Channel 0: 0 + 1 + 3 + 4 = 8 at the top left; channel 1: 19 + 100.
    images = np.array([[0, 1, 2], [3, 4, 5], [6, 7, 8]])[np.newaxis, :, :, np.newaxis]
    kernels = np.stack([[[1, 1], [1, 1]], [[0, 1], [2, 3]]], axis=-1)[:, :, np.newaxis, :]
    expect_array(
        conv2d(images, kernels, bias=[0.0, 100.0]),
        np.stack([[[8, 12], [20, 24]], [[119, 125], [137, 143]]], axis=-1)[np.newaxis],
        "conv2d(images, kernels, bias=[0.0, 100.0])",
        mistakes={
            "the bias was not added: add bias[c] to every output of channel c": np.stack(
                [[[8, 12], [20, 24]], [[19, 25], [37, 43]]], axis=-1
            )[np.newaxis],
            "did you flip the kernels? Conv2D correlates": np.stack(
                [[[8, 12], [20, 24]], [[105, 111], [123, 129]]], axis=-1
            )[np.newaxis],
            "the kernel's rows and columns were swapped (kernels[u, v] is row u, column v)": (
                np.stack([[[8, 12], [20, 24]], [[117, 123], [135, 141]]], axis=-1)[np.newaxis]
            ),
        },
    )

    # 2. Two input channels are SUMMED into each output: weights 2 (channel 0) and 1
    #    (channel 1) give 2*1 + 10 = 12 at the top left.
    images = np.stack([[[1, 2], [3, 4]], [[10, 20], [30, 40]]], axis=-1)[np.newaxis]
    kernels = np.array([2.0, 1.0]).reshape(1, 1, 2, 1)
    expect_array(
        conv2d(images, kernels),
        np.reshape([[12, 24], [36, 48]], (1, 2, 2, 1)),
        "conv2d(images with 2 channels, 1×1 kernels of weights [2, 1])",
        mistakes={
            "only the first input channel was used: sum over all of them": np.reshape(
                [[2, 4], [6, 8]], (1, 2, 2, 1)
            ),
            "the input channels are summed, not averaged": np.reshape(
                [[6, 12], [18, 24]], (1, 2, 2, 1)
            ),
        },
    )

    # 3. A batch of two integer images (the second is ten times the first) and a 1×2
    #    kernel [[1, 10]]: 1*1 + 2*10 = 21. The result is floating point all the same.
    images = np.array([[[1, 2, 3], [4, 5, 6]], [[10, 20, 30], [40, 50, 60]]])[..., np.newaxis]
    expect_array(
        conv2d(images, np.array([[1, 10]]).reshape(1, 2, 1, 1)),
        np.reshape([[[21, 32], [54, 65]], [[210, 320], [540, 650]]], (2, 2, 2, 1)),
        "conv2d(two 2×3 images, a 1×2 kernel [[1, 10]])",
        mistakes={
            "did you flip the kernel?": np.reshape(
                [[[12, 23], [45, 56]], [[120, 230], [450, 560]]], (2, 2, 2, 1)
            )
        },
    )

    # 4. "same" padding with stride 2, as in correlate2d: ceil(5 / 2) = 3 outputs per axis.
    expect_array(
        conv2d(np.ones((1, 5, 5, 1)), np.ones((3, 3, 1, 1)), stride=2, padding="same"),
        np.reshape([[4, 6, 4], [6, 9, 6], [4, 6, 4]], (1, 3, 3, 1)),
        'conv2d(np.ones((1, 5, 5, 1)), np.ones((3, 3, 1, 1)), stride=2, padding="same")',
        mistakes={
            "no padding: with 'same' the images are padded with zeros": np.full((1, 2, 2, 1), 9)
        },
    )

    # 5. Mismatched shapes are refused with a message that names what disagrees.
    expect_error(
        lambda: conv2d(np.ones((1, 4, 4, 2)), np.ones((2, 2, 3, 1))),
        "conv2d(images with 2 channels, kernels for 3)",
        ValueError,
        mentions="channels",
    )
    expect_error(
        lambda: conv2d(np.ones((1, 4, 4, 1)), np.ones((2, 2, 1, 2)), bias=[1.0, 2.0, 3.0]),
        "conv2d(images, kernels with 2 filters, bias with 3 values)",
        ValueError,
        mentions="bias",
    )
    print("conv2d: visible tests passed")
