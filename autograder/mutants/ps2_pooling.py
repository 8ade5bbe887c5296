"""Wrong implementations of ps2_pooling's graded functions: mistakes the tests must catch.

Each ``NAME__mistake`` has ``NAME``'s signature and makes one plausible mistake, said in
its docstring. A mutant stands alone, as a student's notebook cell does: it uses only
the names the assignment's setup cell imports (those of :mod:`solutions.pooling`).
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from course.geometry import output_size, pad_for_windows
from course.validation import as_pair, as_real_array


def max_pool2d__zero_padding(
    x: np.ndarray,
    pool_size: int | tuple[int, int] = 2,
    stride: int | tuple[int, int] | None = None,
    padding: str = "valid",
) -> np.ndarray:
    """Pads 'same' with zeros, which beat negative values."""
    x = as_real_array(x, "x", ("height", "width"))
    (ph, pw) = as_pair(pool_size, "pool_size")
    (sr, sc) = as_pair((ph, pw) if stride is None else stride, "stride")
    padded, _ = pad_for_windows(x, (ph, pw), (sr, sc), padding, fill=0.0)
    return sliding_window_view(padded, (ph, pw))[::sr, ::sc].max(axis=(2, 3))


def max_pool2d__average_instead(
    x: np.ndarray,
    pool_size: int | tuple[int, int] = 2,
    stride: int | tuple[int, int] | None = None,
    padding: str = "valid",
) -> np.ndarray:
    """Averages each window instead of taking its maximum."""
    x = as_real_array(x, "x", ("height", "width"))
    (ph, pw) = as_pair(pool_size, "pool_size")
    (sr, sc) = as_pair((ph, pw) if stride is None else stride, "stride")
    padded, _ = pad_for_windows(x, (ph, pw), (sr, sc), padding, fill=-np.inf)
    return sliding_window_view(padded, (ph, pw))[::sr, ::sc].mean(axis=(2, 3))


def max_pool2d__stride_ignored(
    x: np.ndarray,
    pool_size: int | tuple[int, int] = 2,
    stride: int | tuple[int, int] | None = None,
    padding: str = "valid",
) -> np.ndarray:
    """Checks the stride, then always steps by the pool size."""
    x = as_real_array(x, "x", ("height", "width"))
    (ph, pw) = as_pair(pool_size, "pool_size")
    as_pair((ph, pw) if stride is None else stride, "stride")
    (sr, sc) = (ph, pw)
    padded, _ = pad_for_windows(x, (ph, pw), (sr, sc), padding, fill=-np.inf)
    return sliding_window_view(padded, (ph, pw))[::sr, ::sc].max(axis=(2, 3))


def max_pool2d__stride_defaults_to_one(
    x: np.ndarray,
    pool_size: int | tuple[int, int] = 2,
    stride: int | tuple[int, int] | None = None,
    padding: str = "valid",
) -> np.ndarray:
    """Defaults the stride to 1 instead of the pool size."""
    x = as_real_array(x, "x", ("height", "width"))
    (ph, pw) = as_pair(pool_size, "pool_size")
    (sr, sc) = as_pair(1 if stride is None else stride, "stride")
    padded, _ = pad_for_windows(x, (ph, pw), (sr, sc), padding, fill=-np.inf)
    return sliding_window_view(padded, (ph, pw))[::sr, ::sc].max(axis=(2, 3))


def max_pool2d__one_window_short(
    x: np.ndarray,
    pool_size: int | tuple[int, int] = 2,
    stride: int | tuple[int, int] | None = None,
    padding: str = "valid",
) -> np.ndarray:
    """Counts (n - k) // stride windows per axis, one too few."""
    x = as_real_array(x, "x", ("height", "width"))
    (ph, pw) = as_pair(pool_size, "pool_size")
    (sr, sc) = as_pair((ph, pw) if stride is None else stride, "stride")
    padded, _ = pad_for_windows(x, (ph, pw), (sr, sc), padding, fill=-np.inf)
    rows, cols = (padded.shape[0] - ph) // sr, (padded.shape[1] - pw) // sc
    out = np.array(
        [
            [padded[i * sr : i * sr + ph, j * sc : j * sc + pw].max() for j in range(cols)]
            for i in range(rows)
        ],
        dtype=padded.dtype,
    )
    return out


def max_pool2d__same_padding_before(
    x: np.ndarray,
    pool_size: int | tuple[int, int] = 2,
    stride: int | tuple[int, int] | None = None,
    padding: str = "valid",
) -> np.ndarray:
    """Puts the odd 'same' padding row and column before x, not after."""
    x = as_real_array(x, "x", ("height", "width"))
    (ph, pw) = as_pair(pool_size, "pool_size")
    (sr, sc) = as_pair((ph, pw) if stride is None else stride, "stride")
    _, (rows, cols) = pad_for_windows(x, (ph, pw), (sr, sc), padding)
    extra = [max((rows - 1) * sr + ph - x.shape[0], 0), max((cols - 1) * sc + pw - x.shape[1], 0)]
    padded = np.pad(
        x.astype(np.result_type(x, np.float32)),
        [(e - e // 2, e // 2) for e in extra],
        constant_values=-np.inf,
    )
    return sliding_window_view(padded, (ph, pw))[::sr, ::sc].max(axis=(2, 3))


def max_pool2d__transposed_output(
    x: np.ndarray,
    pool_size: int | tuple[int, int] = 2,
    stride: int | tuple[int, int] | None = None,
    padding: str = "valid",
) -> np.ndarray:
    """Returns the pooled map transposed."""
    x = as_real_array(x, "x", ("height", "width"))
    (ph, pw) = as_pair(pool_size, "pool_size")
    (sr, sc) = as_pair((ph, pw) if stride is None else stride, "stride")
    padded, _ = pad_for_windows(x, (ph, pw), (sr, sc), padding, fill=-np.inf)
    return sliding_window_view(padded, (ph, pw))[::sr, ::sc].max(axis=(2, 3)).T


def max_pool2d__square_window_only(
    x: np.ndarray,
    pool_size: int | tuple[int, int] = 2,
    stride: int | tuple[int, int] | None = None,
    padding: str = "valid",
) -> np.ndarray:
    """Uses the first pool size for both axes: (2, 3) pools 2×2."""
    x = as_real_array(x, "x", ("height", "width"))
    (ph, pw) = as_pair(pool_size if np.isscalar(pool_size) else pool_size[0], "pool_size")
    (sr, sc) = as_pair((ph, pw) if stride is None else stride, "stride")
    padded, _ = pad_for_windows(x, (ph, pw), (sr, sc), padding, fill=-np.inf)
    return sliding_window_view(padded, (ph, pw))[::sr, ::sc].max(axis=(2, 3))


def max_pool2d__integer_output(
    x: np.ndarray,
    pool_size: int | tuple[int, int] = 2,
    stride: int | tuple[int, int] | None = None,
    padding: str = "valid",
) -> np.ndarray:
    """Returns x's dtype: integer maps give integer results."""
    x = as_real_array(x, "x", ("height", "width"))
    (ph, pw) = as_pair(pool_size, "pool_size")
    (sr, sc) = as_pair((ph, pw) if stride is None else stride, "stride")
    padded, _ = pad_for_windows(x, (ph, pw), (sr, sc), padding, fill=-np.inf)
    return sliding_window_view(padded, (ph, pw))[::sr, ::sc].max(axis=(2, 3)).astype(x.dtype)


def max_pool2d__nan_accepted(
    x: np.ndarray,
    pool_size: int | tuple[int, int] = 2,
    stride: int | tuple[int, int] | None = None,
    padding: str = "valid",
) -> np.ndarray:
    """Checks the number of axes but not that the values are finite."""
    x = np.asarray(x)
    if x.ndim != 2:
        raise ValueError(f"x must be a 2-D array; got shape {x.shape}")
    (ph, pw) = as_pair(pool_size, "pool_size")
    (sr, sc) = as_pair((ph, pw) if stride is None else stride, "stride")
    padded, _ = pad_for_windows(x, (ph, pw), (sr, sc), padding, fill=-np.inf)
    return sliding_window_view(padded, (ph, pw))[::sr, ::sc].max(axis=(2, 3))


def max_pool2d__row_stride_for_both_axes(
    x: np.ndarray,
    pool_size: int | tuple[int, int] = 2,
    stride: int | tuple[int, int] | None = None,
    padding: str = "valid",
) -> np.ndarray:
    """Steps both axes by the row stride: stride=(1, 2) acts as 1."""
    x = as_real_array(x, "x", ("height", "width"))
    (ph, pw) = as_pair(pool_size, "pool_size")
    (sr, sc) = as_pair((ph, pw) if stride is None else stride, "stride")
    padded, _ = pad_for_windows(x, (ph, pw), (sr, sc), padding, fill=-np.inf)
    return sliding_window_view(padded, (ph, pw))[::sr, ::sr].max(axis=(2, 3))


def max_pool2d__padding_ignored(
    x: np.ndarray,
    pool_size: int | tuple[int, int] = 2,
    stride: int | tuple[int, int] | None = None,
    padding: str = "valid",
) -> np.ndarray:
    """Never pads: 'same' pools like 'valid'."""
    x = as_real_array(x, "x", ("height", "width"))
    (ph, pw) = as_pair(pool_size, "pool_size")
    (sr, sc) = as_pair((ph, pw) if stride is None else stride, "stride")
    padded, _ = pad_for_windows(
        x, (ph, pw), (sr, sc), "valid" if padding == "same" else padding, fill=-np.inf
    )
    return sliding_window_view(padded, (ph, pw))[::sr, ::sc].max(axis=(2, 3))


def avg_pool2d__max_instead(
    x: np.ndarray,
    pool_size: int | tuple[int, int] = 2,
    stride: int | tuple[int, int] | None = None,
    padding: str = "valid",
) -> np.ndarray:
    """Takes each window's maximum instead of its average."""
    x = as_real_array(x, "x", ("height", "width"))
    (ph, pw) = as_pair(pool_size, "pool_size")
    (sr, sc) = as_pair((ph, pw) if stride is None else stride, "stride")
    padded, _ = pad_for_windows(x, (ph, pw), (sr, sc), padding, fill=-np.inf)
    return sliding_window_view(padded, (ph, pw))[::sr, ::sc].max(axis=(2, 3))


def avg_pool2d__padding_counted(
    x: np.ndarray,
    pool_size: int | tuple[int, int] = 2,
    stride: int | tuple[int, int] | None = None,
    padding: str = "valid",
) -> np.ndarray:
    """Divides by the whole window's size, counting the 'same' padding."""
    x = as_real_array(x, "x", ("height", "width"))
    (ph, pw) = as_pair(pool_size, "pool_size")
    (sr, sc) = as_pair((ph, pw) if stride is None else stride, "stride")
    padded, _ = pad_for_windows(x, (ph, pw), (sr, sc), padding, fill=0.0)
    return sliding_window_view(padded, (ph, pw))[::sr, ::sc].sum(axis=(2, 3)) / (ph * pw)


def avg_pool2d__stride_ignored(
    x: np.ndarray,
    pool_size: int | tuple[int, int] = 2,
    stride: int | tuple[int, int] | None = None,
    padding: str = "valid",
) -> np.ndarray:
    """Checks the stride, then always steps by the pool size."""
    x = as_real_array(x, "x", ("height", "width"))
    (ph, pw) = as_pair(pool_size, "pool_size")
    as_pair((ph, pw) if stride is None else stride, "stride")
    (sr, sc) = (ph, pw)
    padded, _ = pad_for_windows(x, (ph, pw), (sr, sc), padding, fill=0.0)
    covered, _ = pad_for_windows(np.ones_like(x), (ph, pw), (sr, sc), padding, fill=0.0)
    sums = sliding_window_view(padded, (ph, pw))[::sr, ::sc].sum(axis=(2, 3))
    counts = sliding_window_view(covered, (ph, pw))[::sr, ::sc].sum(axis=(2, 3))
    return sums / counts


def avg_pool2d__stride_defaults_to_one(
    x: np.ndarray,
    pool_size: int | tuple[int, int] = 2,
    stride: int | tuple[int, int] | None = None,
    padding: str = "valid",
) -> np.ndarray:
    """Defaults the stride to 1 instead of the pool size."""
    x = as_real_array(x, "x", ("height", "width"))
    (ph, pw) = as_pair(pool_size, "pool_size")
    (sr, sc) = as_pair(1 if stride is None else stride, "stride")
    padded, _ = pad_for_windows(x, (ph, pw), (sr, sc), padding, fill=0.0)
    covered, _ = pad_for_windows(np.ones_like(x), (ph, pw), (sr, sc), padding, fill=0.0)
    sums = sliding_window_view(padded, (ph, pw))[::sr, ::sc].sum(axis=(2, 3))
    counts = sliding_window_view(covered, (ph, pw))[::sr, ::sc].sum(axis=(2, 3))
    return sums / counts


def avg_pool2d__one_window_short(
    x: np.ndarray,
    pool_size: int | tuple[int, int] = 2,
    stride: int | tuple[int, int] | None = None,
    padding: str = "valid",
) -> np.ndarray:
    """Counts (n - k) // stride windows per axis, one too few."""
    x = as_real_array(x, "x", ("height", "width"))
    (ph, pw) = as_pair(pool_size, "pool_size")
    (sr, sc) = as_pair((ph, pw) if stride is None else stride, "stride")
    padded, _ = pad_for_windows(x, (ph, pw), (sr, sc), padding, fill=0.0)
    rows, cols = (padded.shape[0] - ph) // sr, (padded.shape[1] - pw) // sc
    out = np.array(
        [
            [padded[i * sr : i * sr + ph, j * sc : j * sc + pw].mean() for j in range(cols)]
            for i in range(rows)
        ],
        dtype=padded.dtype,
    )
    return out


def avg_pool2d__same_padding_before(
    x: np.ndarray,
    pool_size: int | tuple[int, int] = 2,
    stride: int | tuple[int, int] | None = None,
    padding: str = "valid",
) -> np.ndarray:
    """Puts the odd 'same' padding row and column before x, not after."""
    x = as_real_array(x, "x", ("height", "width"))
    (ph, pw) = as_pair(pool_size, "pool_size")
    (sr, sc) = as_pair((ph, pw) if stride is None else stride, "stride")
    _, (rows, cols) = pad_for_windows(x, (ph, pw), (sr, sc), padding)
    extra = [max((rows - 1) * sr + ph - x.shape[0], 0), max((cols - 1) * sc + pw - x.shape[1], 0)]
    padded = np.pad(
        x.astype(np.result_type(x, np.float32)),
        [(e - e // 2, e // 2) for e in extra],
        constant_values=np.nan,
    )
    return np.nanmean(sliding_window_view(padded, (ph, pw))[::sr, ::sc], axis=(2, 3))


def avg_pool2d__floor_division(
    x: np.ndarray,
    pool_size: int | tuple[int, int] = 2,
    stride: int | tuple[int, int] | None = None,
    padding: str = "valid",
) -> np.ndarray:
    """Divides with //, rounding every average down."""
    x = as_real_array(x, "x", ("height", "width"))
    (ph, pw) = as_pair(pool_size, "pool_size")
    (sr, sc) = as_pair((ph, pw) if stride is None else stride, "stride")
    padded, _ = pad_for_windows(x, (ph, pw), (sr, sc), padding, fill=0.0)
    covered, _ = pad_for_windows(np.ones_like(x), (ph, pw), (sr, sc), padding, fill=0.0)
    sums = sliding_window_view(padded, (ph, pw))[::sr, ::sc].sum(axis=(2, 3))
    counts = sliding_window_view(covered, (ph, pw))[::sr, ::sc].sum(axis=(2, 3))
    return sums // counts


def avg_pool2d__transposed_output(
    x: np.ndarray,
    pool_size: int | tuple[int, int] = 2,
    stride: int | tuple[int, int] | None = None,
    padding: str = "valid",
) -> np.ndarray:
    """Returns the pooled map transposed."""
    x = as_real_array(x, "x", ("height", "width"))
    (ph, pw) = as_pair(pool_size, "pool_size")
    (sr, sc) = as_pair((ph, pw) if stride is None else stride, "stride")
    padded, _ = pad_for_windows(x, (ph, pw), (sr, sc), padding, fill=0.0)
    covered, _ = pad_for_windows(np.ones_like(x), (ph, pw), (sr, sc), padding, fill=0.0)
    sums = sliding_window_view(padded, (ph, pw))[::sr, ::sc].sum(axis=(2, 3))
    counts = sliding_window_view(covered, (ph, pw))[::sr, ::sc].sum(axis=(2, 3))
    return (sums / counts).T


def avg_pool2d__stride_area_divisor(
    x: np.ndarray,
    pool_size: int | tuple[int, int] = 2,
    stride: int | tuple[int, int] | None = None,
    padding: str = "valid",
) -> np.ndarray:
    """Divides each window's sum by the stride's area, not the window's."""
    x = as_real_array(x, "x", ("height", "width"))
    (ph, pw) = as_pair(pool_size, "pool_size")
    (sr, sc) = as_pair((ph, pw) if stride is None else stride, "stride")
    padded, _ = pad_for_windows(x, (ph, pw), (sr, sc), padding, fill=0.0)
    return sliding_window_view(padded, (ph, pw))[::sr, ::sc].sum(axis=(2, 3)) / (sr * sc)


def avg_pool2d__square_window_only(
    x: np.ndarray,
    pool_size: int | tuple[int, int] = 2,
    stride: int | tuple[int, int] | None = None,
    padding: str = "valid",
) -> np.ndarray:
    """Uses the first pool size for both axes: (2, 3) pools 2×2."""
    x = as_real_array(x, "x", ("height", "width"))
    (ph, pw) = as_pair(pool_size if np.isscalar(pool_size) else pool_size[0], "pool_size")
    (sr, sc) = as_pair((ph, pw) if stride is None else stride, "stride")
    padded, _ = pad_for_windows(x, (ph, pw), (sr, sc), padding, fill=0.0)
    covered, _ = pad_for_windows(np.ones_like(x), (ph, pw), (sr, sc), padding, fill=0.0)
    sums = sliding_window_view(padded, (ph, pw))[::sr, ::sc].sum(axis=(2, 3))
    counts = sliding_window_view(covered, (ph, pw))[::sr, ::sc].sum(axis=(2, 3))
    return sums / counts


def avg_pool2d__nan_accepted(
    x: np.ndarray,
    pool_size: int | tuple[int, int] = 2,
    stride: int | tuple[int, int] | None = None,
    padding: str = "valid",
) -> np.ndarray:
    """Checks the number of axes but not that the values are finite."""
    x = np.asarray(x)
    if x.ndim != 2:
        raise ValueError(f"x must be a 2-D array; got shape {x.shape}")
    (ph, pw) = as_pair(pool_size, "pool_size")
    (sr, sc) = as_pair((ph, pw) if stride is None else stride, "stride")
    padded, _ = pad_for_windows(x, (ph, pw), (sr, sc), padding, fill=0.0)
    covered, _ = pad_for_windows(np.ones_like(x), (ph, pw), (sr, sc), padding, fill=0.0)
    sums = sliding_window_view(padded, (ph, pw))[::sr, ::sc].sum(axis=(2, 3))
    counts = sliding_window_view(covered, (ph, pw))[::sr, ::sc].sum(axis=(2, 3))
    return sums / counts


def max_pool2d_backward__assigns_instead_of_adding(
    dout: np.ndarray,
    x: np.ndarray,
    pool_size: int | tuple[int, int] = 2,
    stride: int | tuple[int, int] | None = None,
) -> np.ndarray:
    """Assigns (=) each window's gradient, so overlapping windows overwrite each other."""
    x = as_real_array(x, "x", ("height", "width"))
    dout = as_real_array(dout, "dout", ("output height", "output width"))
    (ph, pw) = as_pair(pool_size, "pool_size")
    (sr, sc) = as_pair((ph, pw) if stride is None else stride, "stride")
    if ph > x.shape[0] or pw > x.shape[1]:
        raise ValueError(f"pool_size {(ph, pw)} is larger than x of shape {x.shape}")
    rows, cols = output_size(x.shape[0], ph, sr), output_size(x.shape[1], pw, sc)
    if dout.shape != (rows, cols):
        raise ValueError(f"dout must have shape {(rows, cols)}; got shape {dout.shape}")
    grad = np.zeros(x.shape, dtype=np.result_type(dout, x, np.float32))
    for i in range(rows):
        for j in range(cols):
            window = x[i * sr : i * sr + ph, j * sc : j * sc + pw]
            r, c = np.unravel_index(np.argmax(window), window.shape)
            grad[i * sr + r, j * sc + c] = dout[i, j]
    return grad


def max_pool2d_backward__last_max_on_ties(
    dout: np.ndarray,
    x: np.ndarray,
    pool_size: int | tuple[int, int] = 2,
    stride: int | tuple[int, int] | None = None,
) -> np.ndarray:
    """Sends a tied window's gradient to its last maximum instead of its first."""
    x = as_real_array(x, "x", ("height", "width"))
    dout = as_real_array(dout, "dout", ("output height", "output width"))
    (ph, pw) = as_pair(pool_size, "pool_size")
    (sr, sc) = as_pair((ph, pw) if stride is None else stride, "stride")
    if ph > x.shape[0] or pw > x.shape[1]:
        raise ValueError(f"pool_size {(ph, pw)} is larger than x of shape {x.shape}")
    rows, cols = output_size(x.shape[0], ph, sr), output_size(x.shape[1], pw, sc)
    if dout.shape != (rows, cols):
        raise ValueError(f"dout must have shape {(rows, cols)}; got shape {dout.shape}")
    grad = np.zeros(x.shape, dtype=np.result_type(dout, x, np.float32))
    for i in range(rows):
        for j in range(cols):
            window = x[i * sr : i * sr + ph, j * sc : j * sc + pw]
            last = window.size - 1 - np.argmax(window.ravel()[::-1])
            r, c = divmod(last, window.shape[1])
            grad[i * sr + r, j * sc + c] += dout[i, j]
    return grad


def max_pool2d_backward__every_tied_max(
    dout: np.ndarray,
    x: np.ndarray,
    pool_size: int | tuple[int, int] = 2,
    stride: int | tuple[int, int] | None = None,
) -> np.ndarray:
    """Sends the whole gradient to every tied maximum of a window."""
    x = as_real_array(x, "x", ("height", "width"))
    dout = as_real_array(dout, "dout", ("output height", "output width"))
    (ph, pw) = as_pair(pool_size, "pool_size")
    (sr, sc) = as_pair((ph, pw) if stride is None else stride, "stride")
    if ph > x.shape[0] or pw > x.shape[1]:
        raise ValueError(f"pool_size {(ph, pw)} is larger than x of shape {x.shape}")
    rows, cols = output_size(x.shape[0], ph, sr), output_size(x.shape[1], pw, sc)
    if dout.shape != (rows, cols):
        raise ValueError(f"dout must have shape {(rows, cols)}; got shape {dout.shape}")
    grad = np.zeros(x.shape, dtype=np.result_type(dout, x, np.float32))
    for i in range(rows):
        for j in range(cols):
            window = x[i * sr : i * sr + ph, j * sc : j * sc + pw]
            grad[i * sr : i * sr + ph, j * sc : j * sc + pw] += dout[i, j] * (
                window == window.max()
            )
    return grad


def max_pool2d_backward__ties_share(
    dout: np.ndarray,
    x: np.ndarray,
    pool_size: int | tuple[int, int] = 2,
    stride: int | tuple[int, int] | None = None,
) -> np.ndarray:
    """Shares a window's gradient equally between its tied maxima."""
    x = as_real_array(x, "x", ("height", "width"))
    dout = as_real_array(dout, "dout", ("output height", "output width"))
    (ph, pw) = as_pair(pool_size, "pool_size")
    (sr, sc) = as_pair((ph, pw) if stride is None else stride, "stride")
    if ph > x.shape[0] or pw > x.shape[1]:
        raise ValueError(f"pool_size {(ph, pw)} is larger than x of shape {x.shape}")
    rows, cols = output_size(x.shape[0], ph, sr), output_size(x.shape[1], pw, sc)
    if dout.shape != (rows, cols):
        raise ValueError(f"dout must have shape {(rows, cols)}; got shape {dout.shape}")
    grad = np.zeros(x.shape, dtype=np.result_type(dout, x, np.float32))
    for i in range(rows):
        for j in range(cols):
            window = x[i * sr : i * sr + ph, j * sc : j * sc + pw]
            maxima = window == window.max()
            grad[i * sr : i * sr + ph, j * sc : j * sc + pw] += dout[i, j] * maxima / maxima.sum()
    return grad


def max_pool2d_backward__average_gradient(
    dout: np.ndarray,
    x: np.ndarray,
    pool_size: int | tuple[int, int] = 2,
    stride: int | tuple[int, int] | None = None,
) -> np.ndarray:
    """Spreads each gradient evenly over its window (average pooling's gradient)."""
    x = as_real_array(x, "x", ("height", "width"))
    dout = as_real_array(dout, "dout", ("output height", "output width"))
    (ph, pw) = as_pair(pool_size, "pool_size")
    (sr, sc) = as_pair((ph, pw) if stride is None else stride, "stride")
    if ph > x.shape[0] or pw > x.shape[1]:
        raise ValueError(f"pool_size {(ph, pw)} is larger than x of shape {x.shape}")
    rows, cols = output_size(x.shape[0], ph, sr), output_size(x.shape[1], pw, sc)
    if dout.shape != (rows, cols):
        raise ValueError(f"dout must have shape {(rows, cols)}; got shape {dout.shape}")
    grad = np.zeros(x.shape, dtype=np.result_type(dout, x, np.float32))
    for i in range(rows):
        for j in range(cols):
            grad[i * sr : i * sr + ph, j * sc : j * sc + pw] += dout[i, j] / (ph * pw)
    return grad


def max_pool2d_backward__stride_taken_as_pool_size(
    dout: np.ndarray,
    x: np.ndarray,
    pool_size: int | tuple[int, int] = 2,
    stride: int | tuple[int, int] | None = None,
) -> np.ndarray:
    """Places the windows pool_size apart whatever the stride."""
    x = as_real_array(x, "x", ("height", "width"))
    dout = as_real_array(dout, "dout", ("output height", "output width"))
    (ph, pw) = as_pair(pool_size, "pool_size")
    (sr, sc) = as_pair((ph, pw) if stride is None else stride, "stride")
    if ph > x.shape[0] or pw > x.shape[1]:
        raise ValueError(f"pool_size {(ph, pw)} is larger than x of shape {x.shape}")
    rows, cols = output_size(x.shape[0], ph, sr), output_size(x.shape[1], pw, sc)
    if dout.shape != (rows, cols):
        raise ValueError(f"dout must have shape {(rows, cols)}; got shape {dout.shape}")
    grad = np.zeros(x.shape, dtype=np.result_type(dout, x, np.float32))
    for i in range(rows):
        for j in range(cols):
            window = x[i * ph : i * ph + ph, j * pw : j * pw + pw]
            r, c = np.unravel_index(np.argmax(window), window.shape)
            grad[i * ph + r, j * pw + c] += dout[i, j]
    return grad


def max_pool2d_backward__window_index_decoded_with_height(
    dout: np.ndarray,
    x: np.ndarray,
    pool_size: int | tuple[int, int] = 2,
    stride: int | tuple[int, int] | None = None,
) -> np.ndarray:
    """Decodes the flat argmax with the window's height instead of its width."""
    x = as_real_array(x, "x", ("height", "width"))
    dout = as_real_array(dout, "dout", ("output height", "output width"))
    (ph, pw) = as_pair(pool_size, "pool_size")
    (sr, sc) = as_pair((ph, pw) if stride is None else stride, "stride")
    if ph > x.shape[0] or pw > x.shape[1]:
        raise ValueError(f"pool_size {(ph, pw)} is larger than x of shape {x.shape}")
    rows, cols = output_size(x.shape[0], ph, sr), output_size(x.shape[1], pw, sc)
    if dout.shape != (rows, cols):
        raise ValueError(f"dout must have shape {(rows, cols)}; got shape {dout.shape}")
    grad = np.zeros(x.shape, dtype=np.result_type(dout, x, np.float32))
    for i in range(rows):
        for j in range(cols):
            window = x[i * sr : i * sr + ph, j * sc : j * sc + pw]
            r, c = divmod(int(np.argmax(window)), ph)
            grad[i * sr + r, j * sc + c] += dout[i, j]
    return grad


def max_pool2d_backward__dout_shape_unchecked(
    dout: np.ndarray,
    x: np.ndarray,
    pool_size: int | tuple[int, int] = 2,
    stride: int | tuple[int, int] | None = None,
) -> np.ndarray:
    """Does not check dout's shape: extra gradients are silently dropped."""
    x = as_real_array(x, "x", ("height", "width"))
    dout = as_real_array(dout, "dout", ("output height", "output width"))
    (ph, pw) = as_pair(pool_size, "pool_size")
    (sr, sc) = as_pair((ph, pw) if stride is None else stride, "stride")
    if ph > x.shape[0] or pw > x.shape[1]:
        raise ValueError(f"pool_size {(ph, pw)} is larger than x of shape {x.shape}")
    rows, cols = output_size(x.shape[0], ph, sr), output_size(x.shape[1], pw, sc)
    grad = np.zeros(x.shape, dtype=np.result_type(dout, x, np.float32))
    for i in range(rows):
        for j in range(cols):
            window = x[i * sr : i * sr + ph, j * sc : j * sc + pw]
            r, c = np.unravel_index(np.argmax(window), window.shape)
            grad[i * sr + r, j * sc + c] += dout[i, j]
    return grad


def max_pool2d_backward__accumulates_in_input_dtype(
    dout: np.ndarray,
    x: np.ndarray,
    pool_size: int | tuple[int, int] = 2,
    stride: int | tuple[int, int] | None = None,
) -> np.ndarray:
    """Accumulates in np.zeros_like(x): integer x truncates the gradient."""
    x = as_real_array(x, "x", ("height", "width"))
    dout = as_real_array(dout, "dout", ("output height", "output width"))
    (ph, pw) = as_pair(pool_size, "pool_size")
    (sr, sc) = as_pair((ph, pw) if stride is None else stride, "stride")
    if ph > x.shape[0] or pw > x.shape[1]:
        raise ValueError(f"pool_size {(ph, pw)} is larger than x of shape {x.shape}")
    rows, cols = output_size(x.shape[0], ph, sr), output_size(x.shape[1], pw, sc)
    if dout.shape != (rows, cols):
        raise ValueError(f"dout must have shape {(rows, cols)}; got shape {dout.shape}")
    grad = np.zeros_like(x)
    for i in range(rows):
        for j in range(cols):
            window = x[i * sr : i * sr + ph, j * sc : j * sc + pw]
            r, c = np.unravel_index(np.argmax(window), window.shape)
            grad[i * sr + r, j * sc + c] += dout[i, j]
    return grad


def max_pool2d_backward__always_float64(
    dout: np.ndarray,
    x: np.ndarray,
    pool_size: int | tuple[int, int] = 2,
    stride: int | tuple[int, int] | None = None,
) -> np.ndarray:
    """Accumulates in float64 whatever the inputs: float32 in gives float64 out."""
    x = as_real_array(x, "x", ("height", "width"))
    dout = as_real_array(dout, "dout", ("output height", "output width"))
    (ph, pw) = as_pair(pool_size, "pool_size")
    (sr, sc) = as_pair((ph, pw) if stride is None else stride, "stride")
    if ph > x.shape[0] or pw > x.shape[1]:
        raise ValueError(f"pool_size {(ph, pw)} is larger than x of shape {x.shape}")
    rows, cols = output_size(x.shape[0], ph, sr), output_size(x.shape[1], pw, sc)
    if dout.shape != (rows, cols):
        raise ValueError(f"dout must have shape {(rows, cols)}; got shape {dout.shape}")
    grad = np.zeros(x.shape)
    for i in range(rows):
        for j in range(cols):
            window = x[i * sr : i * sr + ph, j * sc : j * sc + pw]
            r, c = np.unravel_index(np.argmax(window), window.shape)
            grad[i * sr + r, j * sc + c] += dout[i, j]
    return grad


def count_distinct_after_pooling__counts_before_pooling(
    images: np.ndarray, pool_size: int | tuple[int, int]
) -> int:
    """Counts the distinct images themselves, without pooling them."""
    images = as_real_array(images, "images", ("image", "height", "width"))
    (ph, pw) = as_pair(pool_size, "pool_size")
    n, height, width = images.shape
    if ph > height or pw > width:
        raise ValueError(f"pool_size {(ph, pw)} is larger than the images' size {(height, width)}")
    pooled = images.reshape(n, -1) + 0.0
    return int(np.unique(pooled, axis=0).shape[0])


def count_distinct_after_pooling__average_pooling(
    images: np.ndarray, pool_size: int | tuple[int, int]
) -> int:
    """Average-pools the images instead of max-pooling them."""
    images = as_real_array(images, "images", ("image", "height", "width"))
    (ph, pw) = as_pair(pool_size, "pool_size")
    n, height, width = images.shape
    if ph > height or pw > width:
        raise ValueError(f"pool_size {(ph, pw)} is larger than the images' size {(height, width)}")
    rows, cols = height // ph, width // pw
    blocks = images[:, : rows * ph, : cols * pw].reshape(n, rows, ph, cols, pw)
    pooled = blocks.mean(axis=(2, 4)).reshape(n, -1) + 0.0
    return int(np.unique(pooled, axis=0).shape[0])


def count_distinct_after_pooling__overlapping_windows(
    images: np.ndarray, pool_size: int | tuple[int, int]
) -> int:
    """Pools with stride 1 (overlapping windows) instead of stride pool_size."""
    images = as_real_array(images, "images", ("image", "height", "width"))
    (ph, pw) = as_pair(pool_size, "pool_size")
    n, height, width = images.shape
    if ph > height or pw > width:
        raise ValueError(f"pool_size {(ph, pw)} is larger than the images' size {(height, width)}")
    windows = sliding_window_view(images, (ph, pw), axis=(1, 2))
    pooled = windows.max(axis=(3, 4)).reshape(n, -1) + 0.0
    return int(np.unique(pooled, axis=0).shape[0])


def count_distinct_after_pooling__compares_bytes(
    images: np.ndarray, pool_size: int | tuple[int, int]
) -> int:
    """Compares the pooled images' bytes, so -0.0 and 0.0 differ."""
    images = as_real_array(images, "images", ("image", "height", "width"))
    (ph, pw) = as_pair(pool_size, "pool_size")
    n, height, width = images.shape
    if ph > height or pw > width:
        raise ValueError(f"pool_size {(ph, pw)} is larger than the images' size {(height, width)}")
    rows, cols = height // ph, width // pw
    blocks = images[:, : rows * ph, : cols * pw].reshape(n, rows, ph, cols, pw)
    pooled = blocks.max(axis=(2, 4)).reshape(n, -1)
    return len({image.tobytes() for image in pooled})


def count_distinct_after_pooling__leftover_pooled_too(
    images: np.ndarray, pool_size: int | tuple[int, int]
) -> int:
    """Pools the leftover rows and columns too, in smaller windows."""
    images = as_real_array(images, "images", ("image", "height", "width"))
    (ph, pw) = as_pair(pool_size, "pool_size")
    n, height, width = images.shape
    if ph > height or pw > width:
        raise ValueError(f"pool_size {(ph, pw)} is larger than the images' size {(height, width)}")
    rows, cols = -(-height // ph), -(-width // pw)
    padded = np.pad(
        images.astype(float),
        [(0, 0), (0, rows * ph - height), (0, cols * pw - width)],
        constant_values=-np.inf,
    )
    pooled = padded.reshape(n, rows, ph, cols, pw).max(axis=(2, 4)).reshape(n, -1) + 0.0
    return int(np.unique(pooled, axis=0).shape[0])


def count_distinct_after_pooling__square_window_only(
    images: np.ndarray, pool_size: int | tuple[int, int]
) -> int:
    """Uses the first pool size for both axes: (2, 3) pools 2×2."""
    images = as_real_array(images, "images", ("image", "height", "width"))
    (ph, pw) = as_pair(pool_size if np.isscalar(pool_size) else pool_size[0], "pool_size")
    n, height, width = images.shape
    if ph > height or pw > width:
        raise ValueError(f"pool_size {(ph, pw)} is larger than the images' size {(height, width)}")
    rows, cols = height // ph, width // pw
    blocks = images[:, : rows * ph, : cols * pw].reshape(n, rows, ph, cols, pw)
    pooled = blocks.max(axis=(2, 4)).reshape(n, -1) + 0.0
    return int(np.unique(pooled, axis=0).shape[0])


def count_distinct_after_pooling__counts_distinct_values(
    images: np.ndarray, pool_size: int | tuple[int, int]
) -> int:
    """Counts the distinct pooled values instead of the distinct pooled images."""
    images = as_real_array(images, "images", ("image", "height", "width"))
    (ph, pw) = as_pair(pool_size, "pool_size")
    n, height, width = images.shape
    if ph > height or pw > width:
        raise ValueError(f"pool_size {(ph, pw)} is larger than the images' size {(height, width)}")
    rows, cols = height // ph, width // pw
    blocks = images[:, : rows * ph, : cols * pw].reshape(n, rows, ph, cols, pw)
    pooled = blocks.max(axis=(2, 4)).reshape(n, -1) + 0.0
    return len(np.unique(pooled))


def count_distinct_after_pooling__blocks_reshaped_wrong(
    images: np.ndarray, pool_size: int | tuple[int, int]
) -> int:
    """Reshapes to (n, rows, cols, ph, pw): windows mix pixels of different blocks."""
    images = as_real_array(images, "images", ("image", "height", "width"))
    (ph, pw) = as_pair(pool_size, "pool_size")
    n, height, width = images.shape
    if ph > height or pw > width:
        raise ValueError(f"pool_size {(ph, pw)} is larger than the images' size {(height, width)}")
    rows, cols = height // ph, width // pw
    blocks = images[:, : rows * ph, : cols * pw].reshape(n, rows, cols, ph, pw)
    pooled = blocks.max(axis=(3, 4)).reshape(n, -1) + 0.0
    return int(np.unique(pooled, axis=0).shape[0])


def count_distinct_after_pooling__rounds_before_comparing(
    images: np.ndarray, pool_size: int | tuple[int, int]
) -> int:
    """Rounds the pooled values to 6 decimals, merging images that differ by less."""
    images = as_real_array(images, "images", ("image", "height", "width"))
    (ph, pw) = as_pair(pool_size, "pool_size")
    n, height, width = images.shape
    if ph > height or pw > width:
        raise ValueError(f"pool_size {(ph, pw)} is larger than the images' size {(height, width)}")
    rows, cols = height // ph, width // pw
    blocks = images[:, : rows * ph, : cols * pw].reshape(n, rows, ph, cols, pw)
    pooled = blocks.max(axis=(2, 4)).reshape(n, -1) + 0.0
    return int(np.unique(np.round(pooled, 6), axis=0).shape[0])


def count_distinct_after_pooling__pool_size_unchecked(
    images: np.ndarray, pool_size: int | tuple[int, int]
) -> int:
    """Does not check that the window fits in the images."""
    images = as_real_array(images, "images", ("image", "height", "width"))
    (ph, pw) = as_pair(pool_size, "pool_size")
    n, height, width = images.shape
    rows, cols = height // ph, width // pw
    blocks = images[:, : rows * ph, : cols * pw].reshape(n, rows, ph, cols, pw)
    pooled = blocks.max(axis=(2, 4)).reshape(n, -1) + 0.0
    return int(np.unique(pooled, axis=0).shape[0])
