"""Reference pooling: max and average pooling, the max-pool backward pass, and distinct digits.

Like the filters, each function stands alone in a notebook cell and never loops
over pixels: pooling takes the maximum (or sum) of one shifted, strided slice of
the padded input per window position.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from course.geometry import output_size, pad_for_windows
from course.validation import as_pair, as_real_array

__all__ = ["avg_pool2d", "count_distinct_after_pooling", "max_pool2d", "max_pool2d_backward"]


def max_pool2d(
    x: np.ndarray,
    pool_size: int | tuple[int, int] = 2,
    stride: int | tuple[int, int] | None = None,
    padding: str = "valid",
) -> np.ndarray:
    """2-D max pooling of one feature map, as Keras ``MaxPooling2D`` computes it.

    Parameters
    ----------
    x : array_like, shape (H, W)
        Real, finite values (negative ones included).
    pool_size : int or (int, int), default 2
        Window size.
    stride : int or (int, int), optional
        Step between windows; defaults to ``pool_size`` (non-overlapping windows).
    padding : {"valid", "same"}, default "valid"
        ``"same"`` follows TensorFlow: output ``ceil(H / stride)`` × ``ceil(W / stride)``, and
        padded positions never win (they hold −∞, not 0).

    Returns
    -------
    numpy.ndarray, shape (H', W')
        A new array of dtype ``numpy.result_type(x, numpy.float32)``: float32 for float32,
        float16, bool and 8- or 16-bit integer maps, float64 for float64 and 32- or 64-bit
        integer maps (an integer map is pooled into floats).

    Raises
    ------
    TypeError
        If ``x`` holds values that are not real numbers (strings, complex numbers,
        objects), or ``pool_size`` or ``stride`` is not an integer or a pair of integers.
    ValueError
        If ``x`` is not 2-D, is empty, or holds NaN or infinity; if ``pool_size`` or
        ``stride`` is below 1; if ``padding`` is neither ``"valid"`` nor ``"same"``; if the
        window is taller or wider than ``x`` with ``padding="valid"``.

    Examples
    --------
    The example of d2l.ai, section 7.5:

    >>> max_pool2d(np.arange(9.0).reshape(3, 3), pool_size=2, stride=1)
    array([[4., 5.],
           [7., 8.]])
    >>> max_pool2d(-np.ones((3, 3)), pool_size=2, padding="same")  # -1, never a padded 0
    array([[-1., -1.],
           [-1., -1.]])
    """
    x = as_real_array(x, "x", ("height", "width"))
    window = as_pair(pool_size, "pool_size")
    steps = as_pair(window if stride is None else stride, "stride")
    padded, (rows, cols) = pad_for_windows(x, window, steps, padding, fill=-np.inf)
    (sr, sc) = steps
    out = np.full((rows, cols), -np.inf, dtype=padded.dtype)
    for u in range(window[0]):
        for v in range(window[1]):
            np.maximum(out, padded[u : u + rows * sr : sr, v : v + cols * sc : sc], out=out)
    return out


def avg_pool2d(
    x: np.ndarray,
    pool_size: int | tuple[int, int] = 2,
    stride: int | tuple[int, int] | None = None,
    padding: str = "valid",
) -> np.ndarray:
    """2-D average pooling of one feature map, as Keras ``AveragePooling2D`` computes it.

    Parameters are those of :func:`max_pool2d`. With ``padding="same"``, each window is
    averaged over the real pixels it covers only.

    Returns
    -------
    numpy.ndarray, shape (H', W')
        The shape and dtype :func:`max_pool2d` gives for the same arguments (an integer
        map is averaged into floats).

    Raises
    ------
    TypeError
        In the cases where :func:`max_pool2d` raises it: non-real values in ``x``, a
        ``pool_size`` or ``stride`` that is not an integer or a pair of integers.
    ValueError
        In the cases where :func:`max_pool2d` raises it: an ``x`` that is not 2-D, empty,
        NaN or infinite; a ``pool_size`` or ``stride`` below 1; an unknown ``padding``; a
        window larger than ``x`` with ``padding="valid"``.

    Examples
    --------
    >>> avg_pool2d(np.arange(9.0).reshape(3, 3), pool_size=2, stride=1)
    array([[2., 3.],
           [5., 6.]])
    >>> avg_pool2d(np.ones((3, 3)), pool_size=2, padding="same")  # padding does not count
    array([[1., 1.],
           [1., 1.]])
    """
    x = as_real_array(x, "x", ("height", "width"))
    window = as_pair(pool_size, "pool_size")
    steps = as_pair(window if stride is None else stride, "stride")
    padded, (rows, cols) = pad_for_windows(x, window, steps, padding, fill=0.0)
    covered, _ = pad_for_windows(np.ones_like(x), window, steps, padding, fill=0.0)
    (sr, sc) = steps
    sums = np.zeros((rows, cols), dtype=padded.dtype)
    counts = np.zeros((rows, cols), dtype=padded.dtype)
    for u in range(window[0]):
        for v in range(window[1]):
            sums += padded[u : u + rows * sr : sr, v : v + cols * sc : sc]
            counts += covered[u : u + rows * sr : sr, v : v + cols * sc : sc]
    return sums / counts


def max_pool2d_backward(
    dout: np.ndarray,
    x: np.ndarray,
    pool_size: int | tuple[int, int] = 2,
    stride: int | tuple[int, int] | None = None,
) -> np.ndarray:
    """Gradient of ``max_pool2d(x, pool_size, stride, "valid")`` with respect to ``x``.

    Each output's gradient ``dout[i, j]`` flows to the position of its window's maximum;
    on ties, to the first maximum in row-major order (as TensorFlow does). With
    overlapping windows (``stride < pool_size``) a pixel that is the maximum of several
    windows receives the sum of their gradients.

    Parameters
    ----------
    dout : array_like, shape (H', W')
        Gradient of the loss with respect to the pooled output.
    x : array_like, shape (H, W)
        The input of the forward pass.
    pool_size, stride : int or (int, int)
        As in :func:`max_pool2d`; padding is ``"valid"``.

    Returns
    -------
    numpy.ndarray, shape (H, W)
        Zero except at the windows' maxima; a new array of dtype
        ``numpy.result_type(dout, x, numpy.float32)`` (float32 when both are float32,
        float64 when either is float64 or a 32- or 64-bit integer).

    Raises
    ------
    TypeError
        If ``dout`` or ``x`` holds values that are not real numbers, or ``pool_size`` or
        ``stride`` is not an integer or a pair of integers.
    ValueError
        If ``dout`` or ``x`` is not 2-D, is empty, or holds NaN or infinity; if
        ``pool_size`` or ``stride`` is below 1; if the window is larger than ``x``; if
        ``dout`` does not have the shape of ``max_pool2d(x, pool_size, stride)``.

    Examples
    --------
    Overlapping windows share their maximum, 8, which receives 1 + 2 + 3 + 4:

    >>> x = np.array([[1.0, 2.0, 1.0], [2.0, 8.0, 2.0], [1.0, 2.0, 1.0]])
    >>> max_pool2d_backward([[1.0, 2.0], [3.0, 4.0]], x, pool_size=2, stride=1)
    array([[ 0.,  0.,  0.],
           [ 0., 10.,  0.],
           [ 0.,  0.,  0.]])
    """
    x = as_real_array(x, "x", ("height", "width"))
    dout = as_real_array(dout, "dout", ("output height", "output width"))
    (ph, pw) = as_pair(pool_size, "pool_size")
    (sr, sc) = as_pair((ph, pw) if stride is None else stride, "stride")
    if ph > x.shape[0] or pw > x.shape[1]:
        raise ValueError(f"pool_size {(ph, pw)} is larger than x of shape {x.shape}")
    expected = (output_size(x.shape[0], ph, sr), output_size(x.shape[1], pw, sc))
    if dout.shape != expected:
        raise ValueError(
            f"dout must have the pooled output's shape {expected} for x of shape {x.shape}, "
            f"pool_size {(ph, pw)} and stride {(sr, sc)}; got shape {dout.shape}"
        )
    windows = sliding_window_view(x, (ph, pw))[::sr, ::sc].reshape(*expected, ph * pw)
    first_max = windows.argmax(axis=-1)  # argmax returns the first of tied maxima
    rows = np.arange(expected[0])[:, np.newaxis] * sr + first_max // pw
    cols = np.arange(expected[1])[np.newaxis, :] * sc + first_max % pw
    flat = np.bincount((rows * x.shape[1] + cols).ravel(), weights=dout.ravel(), minlength=x.size)
    return flat.reshape(x.shape).astype(np.result_type(dout, x, np.float32))


def count_distinct_after_pooling(images: np.ndarray, pool_size: int | tuple[int, int]) -> int:
    """How many different images remain after max pooling each one.

    Each image is max-pooled with non-overlapping ``"valid"`` windows (stride =
    ``pool_size``, leftover rows and columns dropped), then the pooled images are
    compared by exact equality: two images count once if every pooled value is equal.

    Parameters
    ----------
    images : array_like, shape (N, H, W)
        Real, finite values.
    pool_size : int or (int, int)
        Window and stride of the pooling.

    Returns
    -------
    int
        A Python ``int`` between 1 and N (whatever the images' dtype).

    Raises
    ------
    TypeError
        If ``images`` holds values that are not real numbers, or ``pool_size`` is not an
        integer or a pair of integers.
    ValueError
        If ``images`` is not 3-D, is empty, or holds NaN or infinity; if ``pool_size`` is
        below 1 or larger than the images' height or width.

    Examples
    --------
    Two images that differ only inside one pooling window become the same:

    >>> a = np.zeros((4, 4)); a[0, 0] = 1.0
    >>> b = np.zeros((4, 4)); b[1, 1] = 1.0
    >>> pair = np.stack([a, b])
    >>> count_distinct_after_pooling(pair, 1), count_distinct_after_pooling(pair, 2)
    (2, 1)
    """
    images = as_real_array(images, "images", ("image", "height", "width"))
    (ph, pw) = as_pair(pool_size, "pool_size")
    n, height, width = images.shape
    if ph > height or pw > width:
        raise ValueError(f"pool_size {(ph, pw)} is larger than the images' size {(height, width)}")
    rows, cols = height // ph, width // pw
    blocks = images[:, : rows * ph, : cols * pw].reshape(n, rows, ph, cols, pw)
    pooled = blocks.max(axis=(2, 4)).reshape(n, -1) + 0.0  # + 0.0 makes -0.0 equal to 0.0
    return int(np.unique(pooled, axis=0).shape[0])
