"""Reference Keras models: the pool-only baseline, a small convnet, and a fixed edge layer.

Backend-neutral Keras 3: only ``keras.layers`` and ``keras.Model``.
"""

from __future__ import annotations

import keras
import numpy as np

from course.validation import as_pair, as_real_array, validate_model_shape

__all__ = ["build_conv_pool_model", "build_pool_only_model", "edge_conv_layer"]


def build_pool_only_model(
    pool_size: int = 2,
    input_shape: tuple[int, int, int] = (28, 28, 1),
    num_classes: int = 10,
) -> keras.Model:
    """The "why not go straight to max pooling?" baseline: pooling, then a softmax layer.

    ``Input → MaxPooling2D(pool_size) → Flatten → Dense(num_classes, softmax)``, with no
    convolution: the classifier sees the raw pixels' window maxima. It has
    ``(28 // p)² · 10 + 10`` parameters for 28×28 digits.

    Parameters
    ----------
    pool_size : int, default 2
        Window and stride of the single pooling layer.
    input_shape : (int, int, int), default (28, 28, 1)
        Height, width and channels of one image.
    num_classes : int, default 10
        Classes of the softmax layer.

    Returns
    -------
    keras.Model
        Uncompiled, float32 weights; maps a batch of shape ``(N, *input_shape)`` to float32
        class probabilities of shape ``(N, num_classes)``.

    Raises
    ------
    TypeError
        If ``pool_size`` is not an integer or a pair of integers.
    ValueError
        If ``pool_size`` is below 1 or larger than the images' height or width; if
        ``input_shape`` is not three positive integers; if ``num_classes`` is not an
        integer of at least 2.

    Examples
    --------
    >>> model = build_pool_only_model(pool_size=7)
    >>> model.count_params()  # (28 / 7)² · 10 + 10
    170
    >>> [type(layer).__name__ for layer in model.layers]
    ['InputLayer', 'MaxPooling2D', 'Flatten', 'Dense']
    """
    validate_model_shape(input_shape, num_classes)
    window = as_pair(pool_size, "pool_size")
    if window[0] > input_shape[0] or window[1] > input_shape[1]:
        raise ValueError(f"pool_size {pool_size!r} is larger than the images {input_shape[:2]}")
    inputs = keras.Input(shape=input_shape)
    x = keras.layers.MaxPooling2D(pool_size=window)(inputs)
    x = keras.layers.Flatten()(x)
    outputs = keras.layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs, name=f"pool{window[0]}_only")


def build_conv_pool_model(
    input_shape: tuple[int, int, int] = (28, 28, 1),
    num_classes: int = 10,
) -> keras.Model:
    """A small convnet: the shape of keras.io's "Simple MNIST convnet" (34,826 parameters).

    ``Conv2D(32, 3, relu) → MaxPooling2D(2) → Conv2D(64, 3, relu) → MaxPooling2D(2) →
    Flatten → Dropout(0.5) → Dense(num_classes, softmax)``.

    Parameters
    ----------
    input_shape : (int, int, int), default (28, 28, 1)
        Height, width and channels of one image.
    num_classes : int, default 10
        Classes of the softmax layer.

    Returns
    -------
    keras.Model
        Uncompiled, float32 weights; maps a batch of shape ``(N, *input_shape)`` to float32
        class probabilities of shape ``(N, num_classes)``.

    Raises
    ------
    ValueError
        If ``input_shape`` is not three positive integers; if ``num_classes`` is not an
        integer of at least 2.

    References
    ----------
    F. Chollet, "Simple MNIST convnet", keras.io/examples/vision/mnist_convnet.

    Examples
    --------
    >>> build_conv_pool_model().count_params()
    34826
    """
    validate_model_shape(input_shape, num_classes)
    inputs = keras.Input(shape=input_shape)
    x = keras.layers.Conv2D(32, kernel_size=3, activation="relu")(inputs)
    x = keras.layers.MaxPooling2D(pool_size=2)(x)
    x = keras.layers.Conv2D(64, kernel_size=3, activation="relu")(x)
    x = keras.layers.MaxPooling2D(pool_size=2)(x)
    x = keras.layers.Flatten()(x)
    x = keras.layers.Dropout(0.5)(x)
    outputs = keras.layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs, name="conv_pool")


def edge_conv_layer(kernels: np.ndarray) -> keras.layers.Conv2D:
    """A built ``Conv2D`` layer whose filters are fixed, hand-made kernels.

    Parameters
    ----------
    kernels : array_like, shape (kh, kw, n)
        ``n`` kernels stacked on the last axis.

    Returns
    -------
    keras.layers.Conv2D
        Built for one-channel input: ``n`` filters, no bias, no activation, stride 1,
        ``"valid"`` padding, its kernel the float32 array ``kernels`` reshaped to
        ``(kh, kw, 1, n)``; output channel ``i`` equals
        ``correlate2d(image, kernels[:, :, i])``.

    Raises
    ------
    TypeError
        If ``kernels`` holds values that are not real numbers.
    ValueError
        If ``kernels`` is not 3-D, is empty, or holds NaN or infinity.

    Examples
    --------
    Two 3×3 kernels, an identity and a box average:

    >>> kernels = np.stack([np.pad([[1.0]], 1), np.full((3, 3), 1 / 9)], axis=-1)
    >>> layer = edge_conv_layer(kernels)
    >>> layer.filters, tuple(layer.kernel.shape), layer.kernel.dtype
    (2, (3, 3, 1, 2), 'float32')
    """
    kernels = as_real_array(kernels, "kernels", ("kernel height", "kernel width", "filters"))
    kh, kw, n = kernels.shape
    layer = keras.layers.Conv2D(n, kernel_size=(kh, kw), use_bias=False, padding="valid")
    layer.build((None, None, None, 1))
    layer.set_weights([kernels[:, :, np.newaxis, :].astype("float32")])
    return layer
