"""Independent oracles: the same operators computed by SciPy, Keras and TensorFlow.

These judge the hand-written operators (in the tests, the verification table and,
later, the grader). They share no code with :mod:`solutions`: padding, strides and
tie-breaking are whatever the libraries do. Keras layers run in float64 so that
comparisons can be tight.
"""

from __future__ import annotations

import keras
import numpy as np
import scipy.signal
import tensorflow as tf

__all__ = [
    "keras_conv2d",
    "keras_max_pool_batch",
    "keras_pool2d",
    "scipy_convolve2d",
    "scipy_correlate2d",
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
) -> np.ndarray:
    """A ``keras.layers.Conv2D`` (float64) with these weights applied to a batch.

    Examples
    --------
    >>> keras_conv2d(np.ones((1, 3, 3, 1)), np.ones((2, 2, 1, 1)), bias=np.array([0.5]))[0, :, :, 0]
    array([[4.5, 4.5],
           [4.5, 4.5]])
    """
    kh, kw, _, filters = np.shape(kernels)
    layer = keras.layers.Conv2D(
        filters,
        (kh, kw),
        strides=_pair(stride),
        padding=padding,
        use_bias=bias is not None,
        dtype="float64",
    )
    layer.build(np.shape(images))
    layer.set_weights([np.asarray(kernels)] + ([] if bias is None else [np.asarray(bias)]))
    return keras.ops.convert_to_numpy(layer(np.asarray(images, dtype=np.float64)))


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
    window = _pair(pool_size)
    strides = window if stride is None else _pair(stride)
    batch = tf.constant(np.asarray(x, dtype=np.float64)[np.newaxis, :, :, np.newaxis])
    with tf.GradientTape() as tape:
        tape.watch(batch)
        pooled = tf.nn.max_pool2d(batch, ksize=window, strides=strides, padding="VALID")
    upstream = np.asarray(dout, dtype=np.float64)[np.newaxis, :, :, np.newaxis]
    return tape.gradient(pooled, batch, output_gradients=upstream).numpy()[0, :, :, 0]
