"""Visible tests of assignment ps2_pooling: small cases worked out by hand.

Each ``check_NAME(NAME)`` runs the student's ``NAME`` on a few tiny inputs whose answers
are written out below (you can check them with pencil and paper), then on bad input that
must be refused. The assignment's notebook shows each body as its locked test cell.

Each check raises ``AssertionError`` naming the case that failed, with a hint when the
answer is a known mistake.
"""

import numpy as np

from course.visible_tests import expect_array, expect_error, expect_true

__all__ = [
    "check_avg_pool2d",
    "check_count_distinct_after_pooling",
    "check_max_pool2d",
    "check_max_pool2d_backward",
]


def check_max_pool2d(max_pool2d) -> None:
    """Visible tests of ``max_pool2d(x, pool_size=2, stride=None, padding="valid")``."""
    # 1. The example of d2l.ai, section 7.5: 2×2 windows one pixel apart (stride=1), so
    #    they overlap. Top-left: max(0, 1, 3, 4) = 4. Integer input, floating-point result.
    x = np.array([[0, 1, 2], [3, 4, 5], [6, 7, 8]])
    expect_array(
        max_pool2d(x, pool_size=2, stride=1),
        [[4, 5], [7, 8]],
        "max_pool2d(x, pool_size=2, stride=1)",
        mistakes={
            "that is the average of each window, not its maximum": [[2, 3], [5, 6]],
            "with stride=1 a 3-pixel axis holds (3 - 2) // 1 + 1 = 2 windows of 2: "
            "was the stride ignored, or the + 1 forgotten?": [[4]],
        },
    )

    # 2. Without a stride, the stride is the pool size: windows do not overlap.
    x = np.array([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11], [12, 13, 14, 15]])
    expect_array(
        max_pool2d(x, pool_size=2),
        [[5, 7], [13, 15]],
        "max_pool2d(x, pool_size=2)",
        mistakes={
            "stride=None means stride=pool_size, not 1": [
                [5, 6, 7],
                [9, 10, 11],
                [13, 14, 15],
            ],
        },
    )

    # 3. padding="same" on negative values: ceil(3 / 2) = 2 windows per axis, so one row
    #    and one column are added after the image (bottom, right). Padded positions must
    #    never win: they hold -inf, not 0.
    x = np.array([[-1.0, -2.0, -3.0], [-4.0, -5.0, -6.0], [-7.0, -8.0, -9.0]])
    expect_array(
        max_pool2d(x, pool_size=2, padding="same"),
        [[-1, -3], [-7, -9]],
        'max_pool2d(x, pool_size=2, padding="same")',
        mistakes={
            "zero padding won over negative values: pad with -np.inf": [[-1, 0], [0, 0]],
            "the padding goes after the image (bottom, right), not before": [
                [-1, -2],
                [-4, -5],
            ],
            "no padding: with 'same' there are ceil(3 / 2) = 2 windows per axis": [[-1]],
        },
    )

    # 4. A stride per axis: stride=(1, 2) moves 1 row down and 2 columns across.
    x = np.array([[3, 1, 4, 1], [5, 9, 2, 6], [5, 3, 5, 8]])
    expect_array(
        max_pool2d(x, pool_size=(2, 2), stride=(1, 2)),
        [[9, 6], [9, 8]],
        "max_pool2d(x, pool_size=(2, 2), stride=(1, 2))",
        mistakes={"stride=(1, 2) is (rows, columns): were they swapped?": [[9, 9, 6]]},
    )

    # 5. Bad input is refused with a message that names the argument.
    expect_error(
        lambda: max_pool2d(np.ones((4, 4)), pool_size=2, stride=0),
        "max_pool2d(x, pool_size=2, stride=0)",
        ValueError,
        mentions="stride",
    )
    expect_error(
        lambda: max_pool2d(np.ones((2, 2)), pool_size=3),
        "max_pool2d(a 2×2 x, pool_size=3)",
        ValueError,
        mentions="pool_size",
    )

    # The x given above is left as it was.
    expect_true(
        np.array_equal(x, [[3, 1, 4, 1], [5, 9, 2, 6], [5, 3, 5, 8]]),
        "max_pool2d changed the x it was given; work on a copy",
    )
    print("max_pool2d: visible tests passed")


def check_avg_pool2d(avg_pool2d) -> None:
    """Visible tests of ``avg_pool2d(x, pool_size=2, stride=None, padding="valid")``."""
    # 1. The example of d2l.ai, section 7.5: overlapping 2×2 windows (stride=1).
    #    Top-left: (0 + 1 + 3 + 4) / 4 = 2.
    x = np.array([[0, 1, 2], [3, 4, 5], [6, 7, 8]])
    expect_array(
        avg_pool2d(x, pool_size=2, stride=1),
        [[2, 3], [5, 6]],
        "avg_pool2d(x, pool_size=2, stride=1)",
        mistakes={
            "that is the maximum of each window, not its average": [[4, 5], [7, 8]],
            "divide by the window's size (2 × 2), not by the stride's": [[8, 12], [20, 24]],
            "with stride=1 a 3-pixel axis holds (3 - 2) // 1 + 1 = 2 windows of 2: "
            "was the stride ignored, or the + 1 forgotten?": [[2]],
        },
    )

    # 2. Integer input, a fractional average: (1 + 2 + 4 + 4) / 4 = 2.75, not 2.
    expect_array(
        avg_pool2d(np.array([[1, 2], [4, 4]])),
        [[2.75]],
        "avg_pool2d([[1, 2], [4, 4]])",
        mistakes={"the average was rounded down: divide with /, not //": [[2]]},
    )

    # 3. padding="same": the padded row and column (after the image) do not count, so
    #    each window is the average of the real pixels it covers: (3 + 6) / 2 = 4.5.
    x = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]])
    expect_array(
        avg_pool2d(x, pool_size=2, padding="same"),
        [[3, 4.5], [7.5, 9]],
        'avg_pool2d(x, pool_size=2, padding="same")',
        mistakes={
            "padded zeros were counted: divide by the number of real pixels in each window": [
                [3, 2.25],
                [3.75, 2.25],
            ],
            "the padding goes after the image (bottom, right), not before": [
                [1, 2.5],
                [5.5, 7],
            ],
        },
    )

    # 4. Bad input is refused with a message that names the argument.
    expect_error(
        lambda: avg_pool2d(np.ones((4, 4)), pool_size=0),
        "avg_pool2d(x, pool_size=0)",
        ValueError,
        mentions="pool_size",
    )
    expect_error(
        lambda: avg_pool2d(np.ones((4, 4)), padding="full"),
        'avg_pool2d(x, padding="full")',
        ValueError,
        mentions="padding",
    )

    # The x given above is left as it was.
    expect_true(
        np.array_equal(x, [[1, 2, 3], [4, 5, 6], [7, 8, 9]]),
        "avg_pool2d changed the x it was given; work on a copy",
    )
    print("avg_pool2d: visible tests passed")


def check_max_pool2d_backward(max_pool2d_backward) -> None:
    """Visible tests of ``max_pool2d_backward(dout, x, pool_size=2, stride=None)``."""
    # 1. Two 2×2 windows: their maxima are 3 (row 0, column 1) and 5 (row 1, column 2).
    #    Each window's gradient goes to its maximum, and nowhere else.
    x = np.array([[1, 3, 0, 2], [2, 0, 5, 1]])
    expect_array(
        max_pool2d_backward(np.array([[10.0, 20.0]]), x),
        [[0, 10, 0, 0], [0, 0, 20, 0]],
        "max_pool2d_backward([[10, 20]], x)",
        mistakes={
            "that spreads the gradient over the window (average pooling's gradient)": [
                [2.5, 2.5, 5, 5],
                [2.5, 2.5, 5, 5],
            ],
        },
    )

    # 2. Overlapping windows (stride=1): 8 is the maximum of all four windows, so it
    #    receives the sum of their gradients, 1 + 2 + 3 + 4 = 10.
    x = np.array([[1.0, 2.0, 1.0], [2.0, 8.0, 2.0], [1.0, 2.0, 1.0]])
    expect_array(
        max_pool2d_backward(np.array([[1.0, 2.0], [3.0, 4.0]]), x, pool_size=2, stride=1),
        [[0, 0, 0], [0, 10, 0], [0, 0, 0]],
        "max_pool2d_backward([[1, 2], [3, 4]], x, pool_size=2, stride=1)",
        mistakes={
            "a pixel that is the maximum of several windows gets the SUM of their "
            "gradients: add (+=), do not assign (=)": [[0, 0, 0], [0, 4, 0], [0, 0, 0]],
        },
    )

    # 3. A tie: all four values are equal. As in TensorFlow, the whole gradient goes to
    #    the FIRST maximum in row-major order, the top-left pixel.
    expect_array(
        max_pool2d_backward(np.array([[7.0]]), np.ones((2, 2))),
        [[7, 0], [0, 0]],
        "max_pool2d_backward([[7]], np.ones((2, 2)))",
        mistakes={
            "on a tie the gradient goes to the first maximum, not the last": [[0, 0], [0, 7]],
            "on a tie only the first maximum gets the gradient, not every one": [
                [7, 7],
                [7, 7],
            ],
            "on a tie the gradient is not shared: the first maximum gets all of it": [
                [1.75, 1.75],
                [1.75, 1.75],
            ],
        },
    )

    # 4. dout must have the pooled output's shape: a 4×4 x pooled by 2 gives 2×2.
    expect_error(
        lambda: max_pool2d_backward(np.ones((3, 3)), np.ones((4, 4))),
        "max_pool2d_backward(a 3×3 dout, a 4×4 x)",
        ValueError,
        mentions="dout",
    )

    # The x given above is left as it was.
    expect_true(
        np.array_equal(x, [[1, 2, 1], [2, 8, 2], [1, 2, 1]]),
        "max_pool2d_backward changed the x it was given; work on a copy",
    )
    print("max_pool2d_backward: visible tests passed")


def check_count_distinct_after_pooling(count_distinct_after_pooling) -> None:
    """Visible tests of ``count_distinct_after_pooling(images, pool_size)``."""
    # 1. Two 4×4 images whose single bright pixel lies in the same 2×2 window: different
    #    images (pool_size=1 keeps every pixel), the same after 2×2 max pooling.
    a = np.zeros((4, 4))
    a[0, 0] = 1.0
    b = np.zeros((4, 4))
    b[1, 1] = 1.0
    pair = np.stack([a, b])
    count = count_distinct_after_pooling(pair, 1)
    expect_true(
        type(count) is int,
        f"count_distinct_after_pooling must return a Python int; got {type(count).__name__}"
        " (int(...) converts a numpy integer)",
    )
    expect_true(count == 2, f"count_distinct_after_pooling(pair, 1) must be 2; got {count}")
    count = count_distinct_after_pooling(pair, 2)
    expect_true(
        count == 1,
        f"count_distinct_after_pooling(pair, 2) must be 1; got {count} "
        "(pool each image first, then compare the pooled images)",
    )

    # 2. Max pooling, not average: both 2×2 images have maximum 1 (their averages differ).
    images = np.array([[[1.0, 0.0], [0.0, 0.0]], [[1.0, 1.0], [0.0, 0.0]]])
    count = count_distinct_after_pooling(images, 2)
    expect_true(
        count == 1,
        f"count_distinct_after_pooling(images, 2) must be 1; got {count} "
        "(max pooling: both windows have maximum 1)",
    )

    # 3. Exact comparison of whole images: -0.0 == 0.0, so these two images are equal;
    #    and [0, 1] differs from [1, 0] even though they hold the same values.
    images = np.array([[[0.0, 1.0]], [[-0.0, 1.0]], [[1.0, 0.0]]])
    count = count_distinct_after_pooling(images, 1)
    expect_true(
        count == 2,
        f"count_distinct_after_pooling(images, 1) must be 2; got {count} "
        "(-0.0 == 0.0; compare whole images, not the values they hold)",
    )

    # 4. "valid" windows: a 3×3 image pooled by 2 keeps one window and drops its last row
    #    and column, so a difference at [2, 2] disappears.
    a = np.zeros((3, 3))
    b = np.zeros((3, 3))
    b[2, 2] = 1.0
    count = count_distinct_after_pooling(np.stack([a, b]), 2)
    expect_true(
        count == 1,
        f"count_distinct_after_pooling(images, 2) must be 1 for two 3×3 images that differ "
        f"only at [2, 2]; got {count} (leftover rows and columns are dropped)",
    )

    # 5. Bad input is refused with a message that names the argument.
    expect_error(
        lambda: count_distinct_after_pooling(np.zeros((2, 4, 4)), 0),
        "count_distinct_after_pooling(images, 0)",
        ValueError,
        mentions="pool_size",
    )
    expect_error(
        lambda: count_distinct_after_pooling(np.zeros((4, 4)), 2),
        "count_distinct_after_pooling(a single 4×4 image, 2)",
        ValueError,
        mentions="images",
    )
    print("count_distinct_after_pooling: visible tests passed")
