"""Visible tests of ps3_keras: the fixed edge layer, the pool-only baseline and the convnet.

One ``check_NAME(NAME)`` per graded function. The assignment build copies each function's
body into the notebook's locked test cell, after this module's imports, so a body uses
only ``np``, ``keras``, the ``expect_*`` helpers and its parameter. Nothing here trains a
model: the checks take about a second. The hidden tests try other kernels, pool sizes and
image shapes, and train the convnet.

Examples
--------
A wrong answer fails with a message that says what is wrong:

>>> check_build_pool_only_model(lambda pool_size=2, input_shape=(28, 28, 1), num_classes=10: 0)
Traceback (most recent call last):
...
AssertionError: build_pool_only_model(pool_size=7) must return a keras.Model; got int

Each check raises ``AssertionError`` naming the case that failed, with a hint when the
answer is a known mistake.
"""

import keras
import numpy as np

from course.visible_tests import expect_array, expect_model, expect_probabilities, expect_true

__all__ = ["check_build_conv_pool_model", "check_build_pool_only_model", "check_edge_conv_layer"]


def check_edge_conv_layer(edge_conv_layer) -> None:
    """Visible tests of ``edge_conv_layer``: a 3×3 image through two hand-made 2×2 kernels.

    Examples
    --------
    >>> check_edge_conv_layer(lambda kernels: keras.layers.MaxPooling2D(2))
    Traceback (most recent call last):
    ...
    AssertionError: edge_conv_layer must return a keras.layers.Conv2D; got MaxPooling2D
    """
    # 1. Two 2×2 kernels, stacked on the last axis, so `kernels` has shape (2, 2, 2):
    #    kernel 0 is an edge detector: left column minus right column;
    #    kernel 1 copies the top-right pixel of each 2×2 window.
    left_minus_right = np.array([[1.0, -1.0], [1.0, -1.0]])
    top_right = np.array([[0.0, 1.0], [0.0, 0.0]])
    kernels = np.stack([left_minus_right, top_right], axis=-1)
    layer = edge_conv_layer(kernels)

    # The layer itself: a built Conv2D for grey (one-channel) images, with no bias.
    expect_true(
        isinstance(layer, keras.layers.Conv2D),
        f"edge_conv_layer must return a keras.layers.Conv2D; got {type(layer).__name__}",
    )
    expect_true(
        layer.built,
        "edge_conv_layer must return a built layer: call layer.build((None, None, None, 1))"
        " and then layer.set_weights(...)",
    )
    # Keras stores a Conv2D kernel as (height, width, input channels, filters): (2, 2, 1, 2).
    expect_true(
        tuple(layer.kernel.shape) == (2, 2, 1, 2),
        f"for kernels of shape (2, 2, 2) the layer's kernel must have shape (2, 2, 1, 2)"
        f" (height, width, 1 input channel, 2 filters); got {tuple(layer.kernel.shape)}",
    )
    expect_true(not layer.use_bias, "the layer must have no bias: pass use_bias=False")

    # 2. A 3×3 image, as a batch of one grey image: shape (1, 3, 3, 1).
    image = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]])
    maps = keras.ops.convert_to_numpy(layer(image[np.newaxis, :, :, np.newaxis].astype("float32")))

    # "valid" padding, stride 1: a 2×2 window fits in 2×2 places of a 3×3 image,
    # so the output holds one 2×2 map per kernel: shape (1, 2, 2, 2).
    expect_true(
        maps.shape == (1, 2, 2, 2),
        f"a (1, 3, 3, 1) image through two 2×2 kernels must give shape (1, 2, 2, 2)"
        f" ('valid' padding, stride 1); got {maps.shape}",
    )
    # Channel 0 is correlate2d(image, left_minus_right). In the top-left window:
    # 1·1 − 1·2 + 1·4 − 1·5 = −2, and the same in every window. Negative values stay:
    # the layer has no activation.
    expect_array(
        maps[0, :, :, 0],
        [[-2.0, -2.0], [-2.0, -2.0]],
        "channel 0 of edge_conv_layer(kernels)(image)",
        mistakes={
            "did you flip the kernel? Conv2D already computes correlate2d": [
                [2.0, 2.0],
                [2.0, 2.0],
            ],
            "did you swap the kernel's rows and columns?": [[-6.0, -6.0], [-6.0, -6.0]],
            "the layer must have no activation (negative responses are kept)": [
                [0.0, 0.0],
                [0.0, 0.0],
            ],
        },
    )
    # Channel 1 is correlate2d(image, top_right): the top-right pixel of each window.
    expect_array(
        maps[0, :, :, 1],
        [[2.0, 3.0], [5.0, 6.0]],
        "channel 1 of edge_conv_layer(kernels)(image)",
        mistakes={
            "did you flip the kernel (convolution) or swap its rows and columns?": [
                [4.0, 5.0],
                [7.0, 8.0],
            ]
        },
    )
    print("edge_conv_layer: visible tests passed")


def check_build_pool_only_model(build_pool_only_model) -> None:
    """Visible tests of ``build_pool_only_model``: layers, parameter count and softmax output.

    Examples
    --------
    >>> def no_pooling(pool_size=2, input_shape=(28, 28, 1), num_classes=10):
    ...     inputs = keras.Input(shape=input_shape)
    ...     x = keras.layers.Flatten()(inputs)
    ...     return keras.Model(inputs, keras.layers.Dense(num_classes)(x))
    >>> check_build_pool_only_model(no_pooling)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    AssertionError: the layers must be MaxPooling2D → Flatten → Dense; got ['Flatten', 'Dense']
    """
    # 1. pool_size=7 on a 28×28 grey digit: 28 / 7 = 4, so 4×4 = 16 window maxima reach
    #    the softmax layer.
    model = build_pool_only_model(pool_size=7)
    types = expect_model(model, "build_pool_only_model(pool_size=7)")

    # 2. The layers, in order. A functional model lists its InputLayer first, a Sequential
    #    one does not: they are left out.
    expect_true(
        "Conv2D" not in types,
        f"this baseline has no convolution: remove the Conv2D layer; got layers {types}",
    )
    expect_true(
        types == ["MaxPooling2D", "Flatten", "Dense"],
        f"the layers must be MaxPooling2D → Flatten → Dense; got {types}",
    )
    # pool_size is both the window and the stride of the pooling layer.
    expect_true(
        tuple(model.layers[-3].pool_size) == (7, 7) and tuple(model.layers[-3].strides) == (7, 7),
        f"build_pool_only_model(pool_size=7) must pool with 7×7 windows and stride 7; got"
        f" pool_size {model.layers[-3].pool_size}, strides {model.layers[-3].strides}",
    )

    # 3. Only the Dense layer has weights: (28/7)² = 16 inputs × 10 classes + 10 biases = 170.
    expect_true(
        model.count_params() == (28 // 7) ** 2 * 10 + 10,
        f"build_pool_only_model(pool_size=7) must have (28/7)²·10 + 10 = 170 parameters;"
        f" got {model.count_params()}",
    )
    # With 2×2 pooling: (28/2)² = 196 inputs × 10 + 10 = 1970.
    count = build_pool_only_model(pool_size=2).count_params()
    expect_true(
        count == (28 // 2) ** 2 * 10 + 10,
        f"build_pool_only_model(pool_size=2) must have (28/2)²·10 + 10 = 1970 parameters;"
        f" got {count}",
    )

    # 4. One probability per class: output shape (batch, 10), each row summing to 1.
    expect_probabilities(model)
    print("build_pool_only_model: visible tests passed")


def check_build_conv_pool_model(build_conv_pool_model) -> None:
    """Visible tests of ``build_conv_pool_model``: layers, parameter count and softmax output.

    Examples
    --------
    >>> def too_small(input_shape=(28, 28, 1), num_classes=10):
    ...     inputs = keras.Input(shape=input_shape)
    ...     x = keras.layers.Flatten()(inputs)
    ...     return keras.Model(inputs, keras.layers.Dense(num_classes, activation="softmax")(x))
    >>> check_build_conv_pool_model(too_small)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    AssertionError: the layers must be Conv2D → MaxPooling2D → Conv2D → MaxPooling2D → ...
    """
    # 1. The default model, for 28×28 grey digits and 10 classes.
    model = build_conv_pool_model()
    types = expect_model(model, "build_conv_pool_model()")

    # 2. The layers, in order (the InputLayer of a functional model is left out).
    expected = [
        "Conv2D",
        "MaxPooling2D",
        "Conv2D",
        "MaxPooling2D",
        "Flatten",
        "Dropout",
        "Dense",
    ]
    expect_true(
        types == expected,
        f"the layers must be {' → '.join(expected)}; got {types}",
    )

    # 3. Parameters, layer by layer ("valid" padding: a 3×3 convolution loses 2 pixels):
    #   Conv2D(32, 3) on 1 channel:   3·3·1·32 + 32  =    320   28×28 → 26×26 → pool → 13×13
    #   Conv2D(64, 3) on 32 channels: 3·3·32·64 + 64 = 18,496   13×13 → 11×11 → pool → 5×5
    #   Dense(10) on 5·5·64 inputs:   5·5·64·10 + 10 = 16,010
    expect_true(
        model.count_params()
        == (3 * 3 * 1 * 32 + 32) + (3 * 3 * 32 * 64 + 64) + (5 * 5 * 64 * 10 + 10),
        f"build_conv_pool_model() must have 320 + 18,496 + 16,010 = 34,826 parameters;"
        f" got {model.count_params():,}",
    )

    # 4. One probability per class: output shape (batch, 10), each row summing to 1.
    expect_probabilities(model)
    print("build_conv_pool_model: visible tests passed")
