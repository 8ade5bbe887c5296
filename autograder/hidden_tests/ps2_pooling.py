"""Hidden tests of assignment ps2_pooling: random inputs judged by independent oracles.

Every check draws its inputs from :func:`autograder.secret.hidden_rng`, so the kinds of
input below are public but their values are not: non-square maps of mostly negative
values, square and non-square windows, overlapping windows (stride < pool size) and gaps
(stride > pool size), a stride per axis, both paddings, ties for the backward pass,
float32, float64 and integer inputs, and bad input that must be refused with a
``TypeError`` or ``ValueError`` naming the argument. The answers come from plain-loop
oracles (:mod:`autograder.oracles`, proven against Keras and TensorFlow by the course's
tests), never from the student's code; the student gets copies of the inputs, which must
come back unchanged.

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
    tolerance,
    with_value,
)
from autograder.secret import hidden_rng
from course.visible_tests import expect_array, expect_true

__all__ = [
    "check_avg_pool2d",
    "check_count_distinct_after_pooling",
    "check_max_pool2d",
    "check_max_pool2d_backward",
]

Pair = int | tuple[int, int]
PoolCase = tuple[np.ndarray, Pair, Pair | None, str]

#: Windows that differ between rows and columns (strides: ``STRIDE_PAIRS``).
POOL_PAIRS = ((2, 3), (3, 2), (1, 2), (2, 1), (3, 1))


def _pair(value: Pair) -> tuple[int, int]:
    return (value, value) if isinstance(value, int) else value


def _map_shape(rng: np.random.Generator, window: Pair, leftover: bool = False) -> tuple[int, int]:
    """A non-square map shape, up to about 14×14, with room for at least two windows; with
    ``leftover``, neither side is a multiple of the window's (when it is larger than 1)."""
    shape = []
    for k in _pair(window):
        n = int(rng.integers(k + 3, 14))
        if leftover and k > 1 and n % k == 0:
            n += 1
        shape.append(n)
    rows, cols = shape
    if rows == cols:
        cols += _pair(window)[1] if leftover else 1
    return rows, cols


def _pool_cases(rng: np.random.Generator) -> list[PoolCase]:
    """(x, pool_size, stride, padding) of every kind the pooling checks try."""
    plans = [
        # pool_size, stride, padding, values all negative
        (int(rng.integers(2, 4)), None, "valid", False),
        (3, int(rng.integers(1, 3)), "valid", False),  # overlapping windows
        (choose(rng, POOL_PAIRS), choose(rng, STRIDE_PAIRS), "valid", False),
        (2, 3, "valid", False),  # a gap between windows
        (int(rng.integers(2, 4)), None, "same", True),  # padding that must never win
        (2, 1, "same", True),  # one padded row and column, after the map
        (choose(rng, POOL_PAIRS), choose(rng, STRIDE_PAIRS), "same", False),
    ]
    cases = []
    for pool_size, stride, padding, negative in plans:
        shape = _map_shape(rng, pool_size, leftover=padding == "same")
        x = -rng.random(size=shape) - 0.5 if negative else rng.normal(size=shape) - 1.0
        cases.append((x, pool_size, stride, padding))
    x, pool_size, stride, padding = cases[int(rng.integers(len(cases)))]
    cases.append((x.astype(np.float32), pool_size, stride, padding))
    shape = _map_shape(rng, 2, leftover=True)
    cases.append((rng.integers(-9, 0, size=shape), 2, None, "same"))
    return cases


def _expect_pool_errors(function: Callable[..., object], rng: np.random.Generator) -> None:
    """Bad input to max_pool2d or avg_pool2d: refused, naming the argument."""
    name = function.__name__
    x = rng.normal(size=_map_shape(rng, 3))
    with_nan, with_inf = with_value(rng, x, np.nan), with_value(rng, x, -np.inf)
    bad_pair = choose(rng, BAD_PAIRS)
    fractional = float(rng.choice(FRACTIONS))
    large = (x.shape[0] + 1, int(rng.integers(1, 3)))
    bad_padding = str(rng.choice(BAD_PADDINGS))
    calls = [
        (f"x, pool_size={bad_pair!r}", lambda: function(x, pool_size=bad_pair), "pool_size"),
        (f"x, pool_size={fractional!r}", lambda: function(x, pool_size=fractional), "pool_size"),
        (f"x, pool_size=2, stride={bad_pair!r}", lambda: function(x, 2, stride=bad_pair), "stride"),
        (f"x of shape {x.shape}, pool_size={large}", lambda: function(x, large), "pool_size"),
        (f"x, padding={bad_padding!r}", lambda: function(x, padding=bad_padding), "padding"),
        ("x holding NaN", lambda: function(with_nan), "x"),
        ("x holding -inf", lambda: function(with_inf), "x"),
        ("a 3-D x", lambda: function(x[np.newaxis]), "x"),
        ("a 1-D x", lambda: function(x[0]), "x"),
    ]
    expect_refusals(name, calls)


def _check_pooling(function: Callable[..., object], kind: str, other_kind: str) -> None:
    rng = hidden_rng(f"{kind}_pool2d")
    for x, pool_size, stride, padding in _pool_cases(rng):
        result, what = call_on_copies(
            function, x, pool_size=pool_size, stride=stride, padding=padding
        )
        expect_array(
            result,
            oracles.loop_pool2d(x, kind, pool_size, stride, padding),
            what,
            mistakes={
                f"that is {other_kind} pooling": oracles.loop_pool2d(
                    x, other_kind, pool_size, stride, padding
                )
            },
            tolerance=tolerance(x),
        )
        expect_float(result, what, x, float64_for_integers=False)
    _expect_pool_errors(function, rng)


def check_max_pool2d(max_pool2d: Callable[..., object]) -> None:
    """Hidden tests of ``max_pool2d``: random cases against a plain-loop oracle (Keras'
    ``MaxPooling2D``, window by window).
    """
    _check_pooling(max_pool2d, "max", "avg")


def check_avg_pool2d(avg_pool2d: Callable[..., object]) -> None:
    """Hidden tests of ``avg_pool2d``: random cases against a plain-loop oracle (Keras'
    ``AveragePooling2D``, window by window).
    """
    _check_pooling(avg_pool2d, "avg", "max")


def check_max_pool2d_backward(max_pool2d_backward: Callable[..., object]) -> None:
    """Hidden tests of ``max_pool2d_backward``: random cases, many with ties, against a
    plain-loop oracle of TensorFlow's gradient (first maximum wins, overlaps add up).
    """
    rng = hidden_rng("max_pool2d_backward")
    plans = [
        # pool_size, stride, small integers (many ties)
        (int(rng.integers(2, 4)), None, False),
        (3, int(rng.integers(1, 3)), False),  # overlapping windows
        (2, 1, True),  # overlapping windows sharing their maxima, ties
        (choose(rng, POOL_PAIRS), choose(rng, STRIDE_PAIRS), True),
        (choose(rng, POOL_PAIRS), None, True),
        (2, 3, False),  # a gap between windows
    ]
    cases = []
    for pool_size, stride, ties in plans:
        shape = _map_shape(rng, pool_size)
        x = rng.integers(-1, 2, size=shape) if ties else rng.normal(size=shape)
        cases.append((x, pool_size, stride))
    x, pool_size, stride = cases[int(rng.integers(len(cases)))]
    cases.append((x.astype(np.float32), pool_size, stride))
    for x, pool_size, stride in cases:
        (ph, pw), (sr, sc) = _pair(pool_size), _pair(pool_size if stride is None else stride)
        dout = rng.normal(size=((x.shape[0] - ph) // sr + 1, (x.shape[1] - pw) // sc + 1))
        dout = dout.astype(np.float32 if x.dtype == np.float32 else np.float64)
        result, what = call_on_copies(
            max_pool2d_backward, dout, x, pool_size=pool_size, stride=stride
        )
        expect_array(
            result,
            oracles.loop_max_pool2d_gradient(dout, x, pool_size, stride),
            what,
            tolerance=tolerance(dout, x),
        )
        expect_float(result, what, dout, x, float64_for_integers=False)

    x = rng.normal(size=_map_shape(rng, 2))
    dout = rng.normal(size=(x.shape[0] // 2, x.shape[1] // 2))
    with_nan = with_value(rng, dout, np.nan)
    wrong = list(dout.shape)
    wrong[int(rng.integers(2))] += int(rng.choice([-1, 1]))
    calls = [
        (f"dout of shape {tuple(wrong)}", lambda: max_pool2d_backward(np.ones(wrong), x), "dout"),
        ("a 1-D dout", lambda: max_pool2d_backward(dout.ravel(), x), "dout"),
        ("dout holding NaN", lambda: max_pool2d_backward(with_nan, x), "dout"),
        ("a 1-D x", lambda: max_pool2d_backward(dout, x.ravel()), "x"),
        ("stride=0", lambda: max_pool2d_backward(dout, x, 2, stride=0), "stride"),
        (
            f"x of shape {x.shape}, pool_size={x.shape[0] + 1}",
            lambda: max_pool2d_backward(dout, x, pool_size=x.shape[0] + 1),
            "pool_size",
        ),
    ]
    expect_refusals("max_pool2d_backward", calls)


def _distinct_collection(
    rng: np.random.Generator, pool_size: Pair, random_images: int
) -> np.ndarray:
    """Images that are equal, equal after pooling, or different by a hair, shuffled.

    Besides ``random_images`` random images of small integers (so that maxima tie), it holds an
    exact copy, copies changed away from each window's maximum or in the rows and
    columns that "valid" windows drop (equal after pooling), a copy whose maximum grew
    by 1e-9 (different), and one image with a 0.0 maximum next to its -0.0 twin (equal).
    """
    (ph, pw) = _pair(pool_size)
    shape = _map_shape(rng, pool_size, leftover=True)
    images = list(rng.integers(-3, 4, size=(random_images, *shape)).astype(np.float64))
    images.append(images[0].copy())
    window = (slice(0, ph), slice(0, pw))
    for image in images[:2]:
        lowered = image.copy()
        top = image[window].max()
        lowered[window] = np.minimum(lowered[window], top - 1.0)
        first = np.unravel_index(np.argmax(image[window]), (ph, pw))
        lowered[first] = top
        leftover = image.copy()
        leftover[-1, -1] += float(rng.integers(1, 5))
        grown = image.copy()
        pooled_part = image[: shape[0] // ph * ph, : shape[1] // pw * pw]
        grown[np.unravel_index(np.argmax(pooled_part), pooled_part.shape)] += 1e-9
        images += [lowered, leftover, grown]
    negative = -rng.integers(1, 4, size=shape).astype(np.float64)
    negative[int(rng.integers(shape[0] // ph * ph)), int(rng.integers(shape[1] // pw * pw))] = 0.0
    twin = negative.copy()
    twin[twin == 0.0] = -0.0
    images += [negative, twin]
    return np.stack([images[i] for i in rng.permutation(len(images))])


def _window_pairs(rng: np.random.Generator, pool_size: Pair) -> list[tuple[str, np.ndarray, int]]:
    """(description, two images, their count after pooling): pairs that tell windows apart.

    Both images of a pair share a random background of negative values and differ in
    where they hold bright pixels (1.0): in one window (one image after pooling) or in
    neighbouring windows (two).
    """
    (ph, pw) = _pair(pool_size)
    shape = _map_shape(rng, pool_size, leftover=True)  # the last row or column is dropped
    background = -rng.integers(1, 4, size=shape).astype(np.float64)

    def bright(*pixels: tuple[int, int]) -> np.ndarray:
        image = background.copy()
        for pixel in pixels:
            image[pixel] = 1.0
        return image

    pairs = [
        (
            "bright pixels in opposite corners of one window",
            bright((0, 0)),
            bright((ph - 1, pw - 1)),
            1,
        ),
        (
            "one window with one bright pixel and with two",
            bright((0, 0)),
            bright((0, 0), (ph - 1, pw - 1)),
            1,
        ),
        ("bright pixels in neighbouring windows of a row", bright((0, pw - 1)), bright((0, pw)), 2),
        (
            "bright pixels in neighbouring windows of a column",
            bright((ph - 1, 0)),
            bright((ph, 0)),
            2,
        ),
        (
            "a bright pixel in the last row and column, which 'valid' windows drop",
            background,
            bright((shape[0] - 1, shape[1] - 1)),
            1,
        ),
    ]
    return [(description, np.stack([a, b]), count) for description, a, b, count in pairs]


def _expect_count(count: object, expected: int, what: str) -> None:
    expect_true(type(count) is int, f"{what} must return a Python int; got {type(count).__name__}")
    expect_true(count == expected, f"{what} must be {expected}; got {count}")


def check_count_distinct_after_pooling(count_distinct_after_pooling: Callable[..., object]) -> None:
    """Hidden tests of ``count_distinct_after_pooling``: random collections of images that
    are equal, equal after pooling or different by a hair, against a plain-loop oracle.
    """
    rng = hidden_rng("count_distinct_after_pooling")
    pool_sizes = (int(rng.integers(2, 4)), choose(rng, POOL_PAIRS))
    for pool_size in pool_sizes:
        for description, images, expected in _window_pairs(rng, pool_size):
            count, what = call_on_copies(count_distinct_after_pooling, images, pool_size)
            _expect_count(count, expected, f"{what}, on {description},")
    cases = [
        (_distinct_collection(rng, pool_size, int(rng.integers(3, 6))), pool_size)
        for pool_size in (1, *pool_sizes)
    ]
    cases.append((rng.integers(0, 3, size=(12, *_map_shape(rng, 2, leftover=True))), 2))
    for images, pool_size in cases:
        count, what = call_on_copies(count_distinct_after_pooling, images, pool_size)
        _expect_count(count, oracles.loop_count_distinct_after_pooling(images, pool_size), what)

    images = rng.normal(size=(3, *_map_shape(rng, 2)))
    with_nan = with_value(rng, images, np.nan)
    bad_pair = choose(rng, (0, -1, (1, 0), (0, 2), (2, -1)))
    large = images.shape[1] + 1
    calls = [
        (
            f"images, {bad_pair!r}",
            lambda: count_distinct_after_pooling(images, bad_pair),
            "pool_size",
        ),
        ("images, 1.5", lambda: count_distinct_after_pooling(images, 1.5), "pool_size"),
        (
            f"images of shape {images.shape}, {large}",
            lambda: count_distinct_after_pooling(images, large),
            "pool_size",
        ),
        ("a single 2-D image, 2", lambda: count_distinct_after_pooling(images[0], 2), "images"),
        ("images holding NaN, 2", lambda: count_distinct_after_pooling(with_nan, 2), "images"),
    ]
    expect_refusals("count_distinct_after_pooling", calls)
