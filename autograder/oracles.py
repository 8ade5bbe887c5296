"""Independent oracles: the same operators computed by SciPy, Keras and TensorFlow.

These judge the hand-written operators (in the tests, the verification table and,
later, the grader). They share no code with :mod:`solutions`: padding, strides and
tie-breaking are whatever the libraries do. Keras layers run in float64 so that
comparisons can be tight.

TensorFlow and Keras are imported on first use: the SciPy and plain-loop oracles judge
the hidden tests, which must stay fast and never load TensorFlow; the tests prove those
oracles against the TensorFlow ones.
"""

from __future__ import annotations

import numpy as np
import scipy.signal

__all__ = [
    "keras_conv2d",
    "keras_max_pool_batch",
    "keras_pool2d",
    "loop_conv2d",
    "loop_count_distinct_after_pooling",
    "loop_max_pool2d_gradient",
    "loop_max_pool_batch",
    "loop_pool2d",
    "scipy_conv2d",
    "scipy_convolve2d",
    "scipy_correlate2d",
    "scipy_correlate2d_padded",
    "tf_correlate2d",
    "tf_max_pool2d_gradient",
]

Pair = int | tuple[int, int]


def _pair(value: Pair) -> tuple[int, int]:
    return (value, value) if isinstance(value, int) else (int(value[0]), int(value[1]))


def scipy_correlate2d(image: np.ndarray, kernel: np.ndarray, stride: Pair = 1) -> np.ndarray:
    """``scipy.signal.correlate2d`` in ``"valid"`` mode, then every ``stride``-th output.

    Examples
    --------
    >>> scipy_correlate2d(np.arange(9.0).reshape(3, 3), np.array([[0.0, 1.0], [2.0, 3.0]]))
    array([[19., 25.],
           [37., 43.]])
    """
    rows, cols = _pair(stride)
    return scipy.signal.correlate2d(image, kernel, mode="valid")[::rows, ::cols]


def scipy_convolve2d(image: np.ndarray, kernel: np.ndarray, stride: Pair = 1) -> np.ndarray:
    """``scipy.signal.convolve2d`` in ``"valid"`` mode, then every ``stride``-th output.

    Examples
    --------
    >>> scipy_convolve2d(np.arange(9.0).reshape(3, 3), np.array([[0.0, 1.0], [2.0, 3.0]]))
    array([[ 5., 11.],
           [23., 29.]])
    """
    rows, cols = _pair(stride)
    return scipy.signal.convolve2d(image, kernel, mode="valid")[::rows, ::cols]


def tf_correlate2d(
    image: np.ndarray, kernel: np.ndarray, stride: Pair = 1, padding: str = "valid"
) -> np.ndarray:
    """One image, one kernel through ``tf.nn.conv2d`` (float64).

    Examples
    --------
    >>> tf_correlate2d(np.ones((4, 4)), np.ones((2, 2)), padding="same")
    array([[4., 4., 4., 2.],
           [4., 4., 4., 2.],
           [4., 4., 4., 2.],
           [2., 2., 2., 1.]])
    """
    import tensorflow as tf

    out = tf.nn.conv2d(
        np.asarray(image, dtype=np.float64)[np.newaxis, :, :, np.newaxis],
        np.asarray(kernel, dtype=np.float64)[:, :, np.newaxis, np.newaxis],
        strides=(1, *_pair(stride), 1),
        padding=padding.upper(),
    )
    return out.numpy()[0, :, :, 0]


def keras_conv2d(
    images: np.ndarray,
    kernels: np.ndarray,
    bias: np.ndarray | None = None,
    stride: Pair = 1,
    padding: str = "valid",
    dtype: str = "float64",
) -> np.ndarray:
    """A ``keras.layers.Conv2D`` (of ``dtype``) with these weights applied to a batch.

    Examples
    --------
    >>> keras_conv2d(np.ones((1, 3, 3, 1)), np.ones((2, 2, 1, 1)), bias=np.array([0.5]))[0, :, :, 0]
    array([[4.5, 4.5],
           [4.5, 4.5]])
    """
    import keras

    kh, kw, _, filters = np.shape(kernels)
    layer = keras.layers.Conv2D(
        filters,
        (kh, kw),
        strides=_pair(stride),
        padding=padding,
        use_bias=bias is not None,
        dtype=dtype,
    )
    layer.build(np.shape(images))
    layer.set_weights([np.asarray(kernels)] + ([] if bias is None else [np.asarray(bias)]))
    return keras.ops.convert_to_numpy(layer(np.asarray(images, dtype=dtype)))


def keras_pool2d(
    x: np.ndarray,
    kind: str,
    pool_size: Pair = 2,
    stride: Pair | None = None,
    padding: str = "valid",
) -> np.ndarray:
    """One 2-D map through ``keras.layers.MaxPooling2D`` (``kind="max"``) or ``AveragePooling2D``.

    Examples
    --------
    >>> keras_pool2d(np.arange(9.0).reshape(3, 3), "max", pool_size=2, stride=1)
    array([[4., 5.],
           [7., 8.]])
    """
    import keras

    layer_class = {"max": keras.layers.MaxPooling2D, "avg": keras.layers.AveragePooling2D}[kind]
    layer = layer_class(
        pool_size=_pair(pool_size),
        strides=None if stride is None else _pair(stride),
        padding=padding,
        dtype="float64",
    )
    batch = np.asarray(x, dtype=np.float64)[np.newaxis, :, :, np.newaxis]
    return keras.ops.convert_to_numpy(layer(batch))[0, :, :, 0]


def keras_max_pool_batch(images: np.ndarray, pool_size: int) -> np.ndarray:
    """Max-pool a batch (N, H, W, 1) with ``MaxPooling2D(pool_size)``; one flat row per image.

    Examples
    --------
    >>> keras_max_pool_batch(np.arange(32.0).reshape(2, 4, 4, 1), 2)
    array([[ 5.,  7., 13., 15.],
           [21., 23., 29., 31.]])
    """
    import keras

    layer = keras.layers.MaxPooling2D(pool_size=pool_size, dtype="float64")
    pooled = keras.ops.convert_to_numpy(layer(np.asarray(images, dtype=np.float64)))
    return pooled.reshape(len(pooled), -1)


def tf_max_pool2d_gradient(
    dout: np.ndarray, x: np.ndarray, pool_size: Pair = 2, stride: Pair | None = None
) -> np.ndarray:
    """TensorFlow's gradient of ``valid`` max pooling, ``d(sum(dout * max_pool(x))) / dx``.

    Examples
    --------
    >>> tf_max_pool2d_gradient(np.ones((1, 1)), np.array([[1.0, 3.0], [3.0, 2.0]]))
    array([[0., 1.],
           [0., 0.]])
    """
    import tensorflow as tf

    window = _pair(pool_size)
    strides = window if stride is None else _pair(stride)
    batch = tf.constant(np.asarray(x, dtype=np.float64)[np.newaxis, :, :, np.newaxis])
    with tf.GradientTape() as tape:
        tape.watch(batch)
        pooled = tf.nn.max_pool2d(batch, ksize=window, strides=strides, padding="VALID")
    upstream = np.asarray(dout, dtype=np.float64)[np.newaxis, :, :, np.newaxis]
    return tape.gradient(pooled, batch, output_gradients=upstream).numpy()[0, :, :, 0]


def _same_padding_before(n: int, k: int, stride: int) -> int:
    """Padding TensorFlow puts before an axis of length ``n`` under ``"same"`` (the rest after)."""
    total = max((-(-n // stride) - 1) * stride + k - n, 0)
    return total // 2


def scipy_correlate2d_padded(
    image: np.ndarray, kernel: np.ndarray, stride: Pair = 1, padding: str = "valid"
) -> np.ndarray:
    """``scipy.signal.correlate2d`` in ``"full"`` mode, cut to TensorFlow's windows.

    The full correlation holds every placement of the kernel that overlaps the image;
    output ``i`` of a strided, padded correlation is the placement that starts
    ``i * stride - pad_before`` pixels into the image, so the oracle takes every
    ``stride``-th placement from there, for either padding.

    Examples
    --------
    >>> scipy_correlate2d_padded(np.ones((5, 5)), np.ones((3, 3)), stride=2, padding="same")
    array([[4., 6., 4.],
           [6., 9., 6.],
           [4., 6., 4.]])
    >>> scipy_correlate2d_padded(np.arange(8.0).reshape(2, 4), np.array([[1.0, -1.0]]), (1, 2))
    array([[-1., -1.],
           [-1., -1.]])
    """
    image, kernel = np.asarray(image, dtype=np.float64), np.asarray(kernel, dtype=np.float64)
    full = scipy.signal.correlate2d(image, kernel, mode="full")
    windows = []
    for n, k, step in zip(image.shape, kernel.shape, _pair(stride), strict=True):
        if padding == "same":
            count, before = -(-n // step), _same_padding_before(n, k, step)
        else:
            count, before = (n - k) // step + 1, 0
        start = k - 1 - before  # full[m] places the kernel's first weight on pixel m - (k - 1)
        windows.append(slice(start, start + (count - 1) * step + 1, step))
    return full[tuple(windows)]


def scipy_conv2d(
    images: np.ndarray,
    kernels: np.ndarray,
    bias: np.ndarray | None = None,
    stride: Pair = 1,
    padding: str = "valid",
) -> np.ndarray:
    """``Conv2D`` one image, one input and one output channel at a time with SciPy.

    ``out[n, :, :, c]`` is ``bias[c]`` plus the sum over input channels ``d`` of
    :func:`scipy_correlate2d_padded` of ``images[n, :, :, d]`` with ``kernels[:, :, d, c]``.

    Examples
    --------
    >>> scipy_conv2d(np.ones((1, 3, 3, 2)), np.ones((2, 2, 2, 1)), bias=np.array([0.5]))[0, :, :, 0]
    array([[8.5, 8.5],
           [8.5, 8.5]])
    """
    images, kernels = np.asarray(images, dtype=np.float64), np.asarray(kernels, dtype=np.float64)
    maps = [
        [
            sum(
                scipy_correlate2d_padded(image[:, :, d], kernels[:, :, d, c], stride, padding)
                for d in range(kernels.shape[2])
            )
            for c in range(kernels.shape[3])
        ]
        for image in images
    ]
    out = np.array(maps).transpose(0, 2, 3, 1)  # (N, C_out, H', W') to channels last
    return out if bias is None else out + np.asarray(bias, dtype=np.float64)


def loop_conv2d(
    images: np.ndarray,
    kernels: np.ndarray,
    bias: np.ndarray | None = None,
    stride: Pair = 1,
    padding: str = "valid",
) -> np.ndarray:
    """``Conv2D`` as a plain Python loop over every output value, reading zeros outside
    the image (TensorFlow's ``"same"`` windows); the oracle of the oracles.

    Examples
    --------
    >>> loop_conv2d(np.ones((1, 2, 2, 1)), np.ones((3, 3, 1, 1)), padding="same")[0, :, :, 0]
    array([[4., 4.],
           [4., 4.]])
    """
    images, kernels = np.asarray(images, dtype=np.float64), np.asarray(kernels, dtype=np.float64)
    n, h, w, _ = images.shape
    kh, kw, depth, filters = kernels.shape
    (sr, sc) = _pair(stride)
    if padding == "same":
        rows, cols = -(-h // sr), -(-w // sc)
        top, left = _same_padding_before(h, kh, sr), _same_padding_before(w, kw, sc)
    else:
        rows, cols, top, left = (h - kh) // sr + 1, (w - kw) // sc + 1, 0, 0
    out = np.zeros((n, rows, cols, filters))
    for b, i, j, c in np.ndindex(n, rows, cols, filters):
        total = 0.0 if bias is None else float(bias[c])
        for u, v, d in np.ndindex(kh, kw, depth):
            r, q = i * sr - top + u, j * sc - left + v
            if 0 <= r < h and 0 <= q < w:
                total += images[b, r, q, d] * kernels[u, v, d, c]
        out[b, i, j, c] = total
    return out


def loop_pool2d(
    x: np.ndarray,
    kind: str,
    pool_size: Pair = 2,
    stride: Pair | None = None,
    padding: str = "valid",
) -> np.ndarray:
    """Max (``kind="max"``) or average pooling, one window at a time in plain Python.

    Each window is cut to the pixels of ``x`` it covers, so ``"same"`` padding never
    wins a maximum nor counts in an average, as in Keras.

    Examples
    --------
    >>> loop_pool2d(-np.arange(1.0, 10.0).reshape(3, 3), "max", padding="same")
    array([[-1., -3.],
           [-7., -9.]])
    >>> loop_pool2d(np.arange(1.0, 10.0).reshape(3, 3), "avg", padding="same")
    array([[3. , 4.5],
           [7.5, 9. ]])
    """
    x = np.asarray(x, dtype=np.float64)
    window = _pair(pool_size)
    steps = window if stride is None else _pair(stride)
    ranges = []
    for n, k, step in zip(x.shape, window, steps, strict=True):
        if padding == "same":
            count, before = -(-n // step), _same_padding_before(n, k, step)
        else:
            count, before = (n - k) // step + 1, 0
        starts = [i * step - before for i in range(count)]
        ranges.append([(max(start, 0), min(start + k, n)) for start in starts])
    reduce = {"max": np.max, "avg": np.mean}[kind]
    return np.array(
        [[reduce(x[r0:r1, c0:c1]) for c0, c1 in ranges[1]] for r0, r1 in ranges[0]],
        dtype=np.float64,
    )


def loop_max_pool_batch(images: np.ndarray, pool_size: int) -> np.ndarray:
    """Max-pool a batch (N, H, W, C) window by window with :func:`loop_pool2d`; one flat row
    per image, in ``Flatten``'s order (rows, columns, channels), as :func:`keras_max_pool_batch`.

    Examples
    --------
    >>> loop_max_pool_batch(np.arange(32.0).reshape(2, 4, 4, 1), 2)
    array([[ 5.,  7., 13., 15.],
           [21., 23., 29., 31.]])
    """
    images = np.asarray(images, dtype=np.float64)
    pooled = np.array(
        [
            np.stack(
                [loop_pool2d(image[:, :, c], "max", pool_size) for c in range(image.shape[2])], -1
            )
            for image in images
        ]
    )
    return pooled.reshape(len(pooled), -1)


def loop_max_pool2d_gradient(
    dout: np.ndarray, x: np.ndarray, pool_size: Pair = 2, stride: Pair | None = None
) -> np.ndarray:
    """Gradient of ``"valid"`` max pooling in plain Python: each ``dout[i, j]`` goes to the
    first maximum of its window in row-major order, and overlapping windows add up.

    Examples
    --------
    >>> loop_max_pool2d_gradient(np.array([[1.0, 2.0]]), np.ones((2, 3)), pool_size=2, stride=1)
    array([[1., 2., 0.],
           [0., 0., 0.]])
    """
    x, dout = np.asarray(x, dtype=np.float64), np.asarray(dout, dtype=np.float64)
    (ph, pw) = _pair(pool_size)
    (sr, sc) = (ph, pw) if stride is None else _pair(stride)
    grad = np.zeros_like(x)
    for i in range((x.shape[0] - ph) // sr + 1):
        for j in range((x.shape[1] - pw) // sc + 1):
            best = (i * sr, j * sc)
            for r in range(i * sr, i * sr + ph):
                for c in range(j * sc, j * sc + pw):
                    if x[r, c] > x[best]:
                        best = (r, c)
            grad[best] += dout[i, j]
    return grad


def loop_count_distinct_after_pooling(images: np.ndarray, pool_size: Pair) -> int:
    """Distinct images after ``"valid"`` max pooling, compared as tuples of Python floats.

    Python's ``==`` (and so a ``set``) counts ``-0.0`` and ``0.0`` as equal.

    Examples
    --------
    >>> a, b = np.zeros((2, 2)), np.zeros((2, 2))
    >>> b[1, 1] = 1.0
    >>> loop_count_distinct_after_pooling([a, -a, b], 1)  # a and -a are equal
    2
    """
    return len({tuple(loop_pool2d(image, "max", pool_size).ravel().tolist()) for image in images})
