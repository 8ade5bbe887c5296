"""Plausible wrong answers to ps3_keras, which its visible or hidden tests must catch.

Each mutant ``NAME__mistake`` has the signature of the graded function ``NAME`` and one
mistake, said in its docstring. Each is self-contained: one ``def`` using only the names
that the notebook's setup cell imports (those of :mod:`solutions.models`), because the
mutation build pastes its source into a student's solution cell, renamed to ``NAME``.
"""

from __future__ import annotations

import keras
import numpy as np

from course.validation import as_pair, as_real_array, validate_model_shape

# edge_conv_layer ----------------------------------------------------------------------


def edge_conv_layer__flipped_kernels(kernels: np.ndarray) -> keras.layers.Conv2D:
    """Flips the kernels (a convolution), though Conv2D already computes correlate2d."""
    kernels = as_real_array(kernels, "kernels", ("kernel height", "kernel width", "filters"))
    kh, kw, n = kernels.shape
    layer = keras.layers.Conv2D(n, kernel_size=(kh, kw), use_bias=False, padding="valid")
    layer.build((None, None, None, 1))
    layer.set_weights([kernels[::-1, ::-1, np.newaxis, :].astype("float32")])
    return layer


def edge_conv_layer__upside_down_kernels(kernels: np.ndarray) -> keras.layers.Conv2D:
    """Flips the kernels' rows only, half of a convolution's flip."""
    kernels = as_real_array(kernels, "kernels", ("kernel height", "kernel width", "filters"))
    kh, kw, n = kernels.shape
    layer = keras.layers.Conv2D(n, kernel_size=(kh, kw), use_bias=False, padding="valid")
    layer.build((None, None, None, 1))
    layer.set_weights([kernels[::-1, :, np.newaxis, :].astype("float32")])
    return layer


def edge_conv_layer__transposed_kernels(kernels: np.ndarray) -> keras.layers.Conv2D:
    """Swaps the kernels' rows and columns (height and width axes)."""
    kernels = as_real_array(kernels, "kernels", ("kernel height", "kernel width", "filters"))
    kernels = np.transpose(kernels, (1, 0, 2))
    kh, kw, n = kernels.shape
    layer = keras.layers.Conv2D(n, kernel_size=(kh, kw), use_bias=False, padding="valid")
    layer.build((None, None, None, 1))
    layer.set_weights([kernels[:, :, np.newaxis, :].astype("float32")])
    return layer


def edge_conv_layer__random_bias(kernels: np.ndarray) -> keras.layers.Conv2D:
    """Keeps a bias, initialised at random, and loads only the kernels."""
    kernels = as_real_array(kernels, "kernels", ("kernel height", "kernel width", "filters"))
    kh, kw, n = kernels.shape
    layer = keras.layers.Conv2D(
        n, kernel_size=(kh, kw), bias_initializer="random_normal", padding="valid"
    )
    layer.build((None, None, None, 1))
    layer.kernel.assign(kernels[:, :, np.newaxis, :].astype("float32"))
    return layer


def edge_conv_layer__zero_bias_kept(kernels: np.ndarray) -> keras.layers.Conv2D:
    """Keeps the bias (set to zero) instead of building the layer without one."""
    kernels = as_real_array(kernels, "kernels", ("kernel height", "kernel width", "filters"))
    kh, kw, n = kernels.shape
    layer = keras.layers.Conv2D(n, kernel_size=(kh, kw), padding="valid")
    layer.build((None, None, None, 1))
    layer.set_weights([kernels[:, :, np.newaxis, :].astype("float32"), np.zeros(n, "float32")])
    return layer


def edge_conv_layer__same_padding(kernels: np.ndarray) -> keras.layers.Conv2D:
    """Pads the image ("same") instead of the specified "valid" padding."""
    kernels = as_real_array(kernels, "kernels", ("kernel height", "kernel width", "filters"))
    kh, kw, n = kernels.shape
    layer = keras.layers.Conv2D(n, kernel_size=(kh, kw), use_bias=False, padding="same")
    layer.build((None, None, None, 1))
    layer.set_weights([kernels[:, :, np.newaxis, :].astype("float32")])
    return layer


def edge_conv_layer__not_built(kernels: np.ndarray) -> keras.layers.Conv2D:
    """Loads the kernels through an initializer but never builds the layer."""
    kernels = as_real_array(kernels, "kernels", ("kernel height", "kernel width", "filters"))
    kh, kw, n = kernels.shape
    initializer = keras.initializers.Constant(kernels[:, :, np.newaxis, :].astype("float32"))
    return keras.layers.Conv2D(
        n, kernel_size=(kh, kw), use_bias=False, padding="valid", kernel_initializer=initializer
    )


def edge_conv_layer__filters_as_channels(kernels: np.ndarray) -> keras.layers.Conv2D:
    """Confuses the axes: the kernels' stack becomes input channels of a single filter."""
    kernels = as_real_array(kernels, "kernels", ("kernel height", "kernel width", "filters"))
    kh, kw, n = kernels.shape
    layer = keras.layers.Conv2D(1, kernel_size=(kh, kw), use_bias=False, padding="valid")
    layer.build((None, None, None, n))
    layer.set_weights([kernels[:, :, :, np.newaxis].astype("float32")])
    return layer


def edge_conv_layer__first_kernel_only(kernels: np.ndarray) -> keras.layers.Conv2D:
    """Makes one filter, from the first kernel, instead of one per kernel."""
    kernels = as_real_array(kernels, "kernels", ("kernel height", "kernel width", "filters"))
    kh, kw, _ = kernels.shape
    layer = keras.layers.Conv2D(1, kernel_size=(kh, kw), use_bias=False, padding="valid")
    layer.build((None, None, None, 1))
    layer.set_weights([kernels[:, :, np.newaxis, :1].astype("float32")])
    return layer


def edge_conv_layer__relu(kernels: np.ndarray) -> keras.layers.Conv2D:
    """Adds a ReLU activation, which drops the negative edge responses."""
    kernels = as_real_array(kernels, "kernels", ("kernel height", "kernel width", "filters"))
    kh, kw, n = kernels.shape
    layer = keras.layers.Conv2D(
        n, kernel_size=(kh, kw), use_bias=False, padding="valid", activation="relu"
    )
    layer.build((None, None, None, 1))
    layer.set_weights([kernels[:, :, np.newaxis, :].astype("float32")])
    return layer


def edge_conv_layer__stride_two(kernels: np.ndarray) -> keras.layers.Conv2D:
    """Slides the kernels with stride 2 instead of 1."""
    kernels = as_real_array(kernels, "kernels", ("kernel height", "kernel width", "filters"))
    kh, kw, n = kernels.shape
    layer = keras.layers.Conv2D(n, kernel_size=(kh, kw), strides=2, use_bias=False, padding="valid")
    layer.build((None, None, None, 1))
    layer.set_weights([kernels[:, :, np.newaxis, :].astype("float32")])
    return layer


def edge_conv_layer__integer_kernels(kernels: np.ndarray) -> keras.layers.Conv2D:
    """Casts the kernels to integers, which truncates every fractional weight."""
    kernels = as_real_array(kernels, "kernels", ("kernel height", "kernel width", "filters"))
    kh, kw, n = kernels.shape
    layer = keras.layers.Conv2D(n, kernel_size=(kh, kw), use_bias=False, padding="valid")
    layer.build((None, None, None, 1))
    layer.set_weights([kernels[:, :, np.newaxis, :].astype(int).astype("float32")])
    return layer


def edge_conv_layer__normalised_kernels(kernels: np.ndarray) -> keras.layers.Conv2D:
    """Divides each kernel by the sum of its absolute weights."""
    kernels = as_real_array(kernels, "kernels", ("kernel height", "kernel width", "filters"))
    kh, kw, n = kernels.shape
    kernels = kernels / np.abs(kernels).sum(axis=(0, 1))
    layer = keras.layers.Conv2D(n, kernel_size=(kh, kw), use_bias=False, padding="valid")
    layer.build((None, None, None, 1))
    layer.set_weights([kernels[:, :, np.newaxis, :].astype("float32")])
    return layer


def edge_conv_layer__colour_input(kernels: np.ndarray) -> keras.layers.Conv2D:
    """Builds the layer for 3-channel (RGB) images, not one-channel ones."""
    kernels = as_real_array(kernels, "kernels", ("kernel height", "kernel width", "filters"))
    kh, kw, n = kernels.shape
    layer = keras.layers.Conv2D(n, kernel_size=(kh, kw), use_bias=False, padding="valid")
    layer.build((None, None, None, 3))
    weights = np.repeat(kernels[:, :, np.newaxis, :], 3, axis=2) / 3
    layer.set_weights([weights.astype("float32")])
    return layer


# build_pool_only_model ----------------------------------------------------------------


def build_pool_only_model__hidden_dense_layer(
    pool_size: int = 2,
    input_shape: tuple[int, int, int] = (28, 28, 1),
    num_classes: int = 10,
) -> keras.Model:
    """Adds a hidden Dense(64, relu) layer before the softmax layer."""
    validate_model_shape(input_shape, num_classes)
    window = as_pair(pool_size, "pool_size")
    inputs = keras.Input(shape=input_shape)
    x = keras.layers.MaxPooling2D(pool_size=window)(inputs)
    x = keras.layers.Flatten()(x)
    x = keras.layers.Dense(64, activation="relu")(x)
    outputs = keras.layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs)


def build_pool_only_model__convolution_first(
    pool_size: int = 2,
    input_shape: tuple[int, int, int] = (28, 28, 1),
    num_classes: int = 10,
) -> keras.Model:
    """Puts a Conv2D before the pooling, so the baseline is no longer pool-only."""
    validate_model_shape(input_shape, num_classes)
    window = as_pair(pool_size, "pool_size")
    inputs = keras.Input(shape=input_shape)
    x = keras.layers.Conv2D(8, 3, padding="same", activation="relu")(inputs)
    x = keras.layers.MaxPooling2D(pool_size=window)(x)
    x = keras.layers.Flatten()(x)
    outputs = keras.layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs)


def build_pool_only_model__average_pooling(
    pool_size: int = 2,
    input_shape: tuple[int, int, int] = (28, 28, 1),
    num_classes: int = 10,
) -> keras.Model:
    """Uses AveragePooling2D instead of MaxPooling2D."""
    validate_model_shape(input_shape, num_classes)
    window = as_pair(pool_size, "pool_size")
    inputs = keras.Input(shape=input_shape)
    x = keras.layers.AveragePooling2D(pool_size=window)(inputs)
    x = keras.layers.Flatten()(x)
    outputs = keras.layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs)


def build_pool_only_model__global_pooling(
    pool_size: int = 2,
    input_shape: tuple[int, int, int] = (28, 28, 1),
    num_classes: int = 10,
) -> keras.Model:
    """Pools each whole image to one value (GlobalMaxPooling2D), ignoring pool_size."""
    validate_model_shape(input_shape, num_classes)
    inputs = keras.Input(shape=input_shape)
    x = keras.layers.GlobalMaxPooling2D()(inputs)
    x = keras.layers.Flatten()(x)
    outputs = keras.layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs)


def build_pool_only_model__no_softmax(
    pool_size: int = 2,
    input_shape: tuple[int, int, int] = (28, 28, 1),
    num_classes: int = 10,
) -> keras.Model:
    """Leaves out the softmax: the Dense layer outputs logits, not probabilities."""
    validate_model_shape(input_shape, num_classes)
    window = as_pair(pool_size, "pool_size")
    inputs = keras.Input(shape=input_shape)
    x = keras.layers.MaxPooling2D(pool_size=window)(inputs)
    x = keras.layers.Flatten()(x)
    outputs = keras.layers.Dense(num_classes)(x)
    return keras.Model(inputs, outputs)


def build_pool_only_model__sigmoid_output(
    pool_size: int = 2,
    input_shape: tuple[int, int, int] = (28, 28, 1),
    num_classes: int = 10,
) -> keras.Model:
    """Uses a sigmoid output, whose class scores do not sum to 1."""
    validate_model_shape(input_shape, num_classes)
    window = as_pair(pool_size, "pool_size")
    inputs = keras.Input(shape=input_shape)
    x = keras.layers.MaxPooling2D(pool_size=window)(inputs)
    x = keras.layers.Flatten()(x)
    outputs = keras.layers.Dense(num_classes, activation="sigmoid")(x)
    return keras.Model(inputs, outputs)


def build_pool_only_model__pool_size_ignored(
    pool_size: int = 2,
    input_shape: tuple[int, int, int] = (28, 28, 1),
    num_classes: int = 10,
) -> keras.Model:
    """Always pools 2×2, whatever pool_size says."""
    validate_model_shape(input_shape, num_classes)
    inputs = keras.Input(shape=input_shape)
    x = keras.layers.MaxPooling2D(pool_size=2)(inputs)
    x = keras.layers.Flatten()(x)
    outputs = keras.layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs)


def build_pool_only_model__stride_one(
    pool_size: int = 2,
    input_shape: tuple[int, int, int] = (28, 28, 1),
    num_classes: int = 10,
) -> keras.Model:
    """Slides the pooling window by 1 instead of by its own size (overlapping windows)."""
    validate_model_shape(input_shape, num_classes)
    window = as_pair(pool_size, "pool_size")
    inputs = keras.Input(shape=input_shape)
    x = keras.layers.MaxPooling2D(pool_size=window, strides=1)(inputs)
    x = keras.layers.Flatten()(x)
    outputs = keras.layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs)


def build_pool_only_model__same_padding(
    pool_size: int = 2,
    input_shape: tuple[int, int, int] = (28, 28, 1),
    num_classes: int = 10,
) -> keras.Model:
    """Pads the image ("same"), so a partial window at the edge is pooled too."""
    validate_model_shape(input_shape, num_classes)
    window = as_pair(pool_size, "pool_size")
    inputs = keras.Input(shape=input_shape)
    x = keras.layers.MaxPooling2D(pool_size=window, padding="same")(inputs)
    x = keras.layers.Flatten()(x)
    outputs = keras.layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs)


def build_pool_only_model__ten_classes_always(
    pool_size: int = 2,
    input_shape: tuple[int, int, int] = (28, 28, 1),
    num_classes: int = 10,
) -> keras.Model:
    """Always outputs 10 classes, ignoring num_classes."""
    validate_model_shape(input_shape, num_classes)
    window = as_pair(pool_size, "pool_size")
    inputs = keras.Input(shape=input_shape)
    x = keras.layers.MaxPooling2D(pool_size=window)(inputs)
    x = keras.layers.Flatten()(x)
    outputs = keras.layers.Dense(10, activation="softmax")(x)
    return keras.Model(inputs, outputs)


def build_pool_only_model__input_shape_ignored(
    pool_size: int = 2,
    input_shape: tuple[int, int, int] = (28, 28, 1),
    num_classes: int = 10,
) -> keras.Model:
    """Always expects 28×28 grey images, ignoring input_shape."""
    validate_model_shape(input_shape, num_classes)
    window = as_pair(pool_size, "pool_size")
    inputs = keras.Input(shape=(28, 28, 1))
    x = keras.layers.MaxPooling2D(pool_size=window)(inputs)
    x = keras.layers.Flatten()(x)
    outputs = keras.layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs)


def build_pool_only_model__no_input(
    pool_size: int = 2,
    input_shape: tuple[int, int, int] = (28, 28, 1),
    num_classes: int = 10,
) -> keras.Model:
    """Returns a Sequential model without an Input, so it is never built."""
    validate_model_shape(input_shape, num_classes)
    window = as_pair(pool_size, "pool_size")
    return keras.Sequential(
        [
            keras.layers.MaxPooling2D(pool_size=window),
            keras.layers.Flatten(),
            keras.layers.Dense(num_classes, activation="softmax"),
        ]
    )


def build_pool_only_model__compiled(
    pool_size: int = 2,
    input_shape: tuple[int, int, int] = (28, 28, 1),
    num_classes: int = 10,
) -> keras.Model:
    """Compiles the model, which must be returned uncompiled."""
    validate_model_shape(input_shape, num_classes)
    window = as_pair(pool_size, "pool_size")
    inputs = keras.Input(shape=input_shape)
    x = keras.layers.MaxPooling2D(pool_size=window)(inputs)
    x = keras.layers.Flatten()(x)
    outputs = keras.layers.Dense(num_classes, activation="softmax")(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    return model


# build_conv_pool_model ----------------------------------------------------------------


def build_conv_pool_model__no_pooling(
    input_shape: tuple[int, int, int] = (28, 28, 1),
    num_classes: int = 10,
) -> keras.Model:
    """Leaves out both pooling layers: only convolutions."""
    validate_model_shape(input_shape, num_classes)
    inputs = keras.Input(shape=input_shape)
    x = keras.layers.Conv2D(32, kernel_size=3, activation="relu")(inputs)
    x = keras.layers.Conv2D(64, kernel_size=3, activation="relu")(x)
    x = keras.layers.Flatten()(x)
    x = keras.layers.Dropout(0.5)(x)
    outputs = keras.layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs)


def build_conv_pool_model__average_pooling(
    input_shape: tuple[int, int, int] = (28, 28, 1),
    num_classes: int = 10,
) -> keras.Model:
    """Uses AveragePooling2D instead of MaxPooling2D."""
    validate_model_shape(input_shape, num_classes)
    inputs = keras.Input(shape=input_shape)
    x = keras.layers.Conv2D(32, kernel_size=3, activation="relu")(inputs)
    x = keras.layers.AveragePooling2D(pool_size=2)(x)
    x = keras.layers.Conv2D(64, kernel_size=3, activation="relu")(x)
    x = keras.layers.AveragePooling2D(pool_size=2)(x)
    x = keras.layers.Flatten()(x)
    x = keras.layers.Dropout(0.5)(x)
    outputs = keras.layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs)


def build_conv_pool_model__fewer_filters(
    input_shape: tuple[int, int, int] = (28, 28, 1),
    num_classes: int = 10,
) -> keras.Model:
    """Uses 16 and 32 filters instead of 32 and 64."""
    validate_model_shape(input_shape, num_classes)
    inputs = keras.Input(shape=input_shape)
    x = keras.layers.Conv2D(16, kernel_size=3, activation="relu")(inputs)
    x = keras.layers.MaxPooling2D(pool_size=2)(x)
    x = keras.layers.Conv2D(32, kernel_size=3, activation="relu")(x)
    x = keras.layers.MaxPooling2D(pool_size=2)(x)
    x = keras.layers.Flatten()(x)
    x = keras.layers.Dropout(0.5)(x)
    outputs = keras.layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs)


def build_conv_pool_model__no_relu(
    input_shape: tuple[int, int, int] = (28, 28, 1),
    num_classes: int = 10,
) -> keras.Model:
    """Leaves the convolutions without their ReLU activation."""
    validate_model_shape(input_shape, num_classes)
    inputs = keras.Input(shape=input_shape)
    x = keras.layers.Conv2D(32, kernel_size=3)(inputs)
    x = keras.layers.MaxPooling2D(pool_size=2)(x)
    x = keras.layers.Conv2D(64, kernel_size=3)(x)
    x = keras.layers.MaxPooling2D(pool_size=2)(x)
    x = keras.layers.Flatten()(x)
    x = keras.layers.Dropout(0.5)(x)
    outputs = keras.layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs)


def build_conv_pool_model__no_flatten(
    input_shape: tuple[int, int, int] = (28, 28, 1),
    num_classes: int = 10,
) -> keras.Model:
    """Forgets Flatten: the Dense layer works on every pixel of the 5×5 maps."""
    validate_model_shape(input_shape, num_classes)
    inputs = keras.Input(shape=input_shape)
    x = keras.layers.Conv2D(32, kernel_size=3, activation="relu")(inputs)
    x = keras.layers.MaxPooling2D(pool_size=2)(x)
    x = keras.layers.Conv2D(64, kernel_size=3, activation="relu")(x)
    x = keras.layers.MaxPooling2D(pool_size=2)(x)
    x = keras.layers.Dropout(0.5)(x)
    outputs = keras.layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs)


def build_conv_pool_model__no_dropout(
    input_shape: tuple[int, int, int] = (28, 28, 1),
    num_classes: int = 10,
) -> keras.Model:
    """Leaves out the Dropout layer."""
    validate_model_shape(input_shape, num_classes)
    inputs = keras.Input(shape=input_shape)
    x = keras.layers.Conv2D(32, kernel_size=3, activation="relu")(inputs)
    x = keras.layers.MaxPooling2D(pool_size=2)(x)
    x = keras.layers.Conv2D(64, kernel_size=3, activation="relu")(x)
    x = keras.layers.MaxPooling2D(pool_size=2)(x)
    x = keras.layers.Flatten()(x)
    outputs = keras.layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs)


def build_conv_pool_model__weak_dropout(
    input_shape: tuple[int, int, int] = (28, 28, 1),
    num_classes: int = 10,
) -> keras.Model:
    """Drops 20 % of the features instead of 50 %."""
    validate_model_shape(input_shape, num_classes)
    inputs = keras.Input(shape=input_shape)
    x = keras.layers.Conv2D(32, kernel_size=3, activation="relu")(inputs)
    x = keras.layers.MaxPooling2D(pool_size=2)(x)
    x = keras.layers.Conv2D(64, kernel_size=3, activation="relu")(x)
    x = keras.layers.MaxPooling2D(pool_size=2)(x)
    x = keras.layers.Flatten()(x)
    x = keras.layers.Dropout(0.2)(x)
    outputs = keras.layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs)


def build_conv_pool_model__sigmoid_output(
    input_shape: tuple[int, int, int] = (28, 28, 1),
    num_classes: int = 10,
) -> keras.Model:
    """Uses a sigmoid output, whose class scores do not sum to 1."""
    validate_model_shape(input_shape, num_classes)
    inputs = keras.Input(shape=input_shape)
    x = keras.layers.Conv2D(32, kernel_size=3, activation="relu")(inputs)
    x = keras.layers.MaxPooling2D(pool_size=2)(x)
    x = keras.layers.Conv2D(64, kernel_size=3, activation="relu")(x)
    x = keras.layers.MaxPooling2D(pool_size=2)(x)
    x = keras.layers.Flatten()(x)
    x = keras.layers.Dropout(0.5)(x)
    outputs = keras.layers.Dense(num_classes, activation="sigmoid")(x)
    return keras.Model(inputs, outputs)


def build_conv_pool_model__same_padding(
    input_shape: tuple[int, int, int] = (28, 28, 1),
    num_classes: int = 10,
) -> keras.Model:
    """Pads the convolutions ("same"), so the maps stay larger (7×7, not 5×5)."""
    validate_model_shape(input_shape, num_classes)
    inputs = keras.Input(shape=input_shape)
    x = keras.layers.Conv2D(32, kernel_size=3, activation="relu", padding="same")(inputs)
    x = keras.layers.MaxPooling2D(pool_size=2)(x)
    x = keras.layers.Conv2D(64, kernel_size=3, activation="relu", padding="same")(x)
    x = keras.layers.MaxPooling2D(pool_size=2)(x)
    x = keras.layers.Flatten()(x)
    x = keras.layers.Dropout(0.5)(x)
    outputs = keras.layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs)


def build_conv_pool_model__five_by_five_kernels(
    input_shape: tuple[int, int, int] = (28, 28, 1),
    num_classes: int = 10,
) -> keras.Model:
    """Uses 5×5 kernels instead of 3×3."""
    validate_model_shape(input_shape, num_classes)
    inputs = keras.Input(shape=input_shape)
    x = keras.layers.Conv2D(32, kernel_size=5, activation="relu")(inputs)
    x = keras.layers.MaxPooling2D(pool_size=2)(x)
    x = keras.layers.Conv2D(64, kernel_size=5, activation="relu")(x)
    x = keras.layers.MaxPooling2D(pool_size=2)(x)
    x = keras.layers.Flatten()(x)
    x = keras.layers.Dropout(0.5)(x)
    outputs = keras.layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs)


def build_conv_pool_model__extra_dense_layer(
    input_shape: tuple[int, int, int] = (28, 28, 1),
    num_classes: int = 10,
) -> keras.Model:
    """Adds a hidden Dense(128, relu) layer, as other tutorials' convnets do."""
    validate_model_shape(input_shape, num_classes)
    inputs = keras.Input(shape=input_shape)
    x = keras.layers.Conv2D(32, kernel_size=3, activation="relu")(inputs)
    x = keras.layers.MaxPooling2D(pool_size=2)(x)
    x = keras.layers.Conv2D(64, kernel_size=3, activation="relu")(x)
    x = keras.layers.MaxPooling2D(pool_size=2)(x)
    x = keras.layers.Flatten()(x)
    x = keras.layers.Dense(128, activation="relu")(x)
    x = keras.layers.Dropout(0.5)(x)
    outputs = keras.layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs)


def build_conv_pool_model__pool_only(
    input_shape: tuple[int, int, int] = (28, 28, 1),
    num_classes: int = 10,
) -> keras.Model:
    """Goes straight to max pooling: 14×14 pooling and a softmax layer, no convolution."""
    validate_model_shape(input_shape, num_classes)
    inputs = keras.Input(shape=input_shape)
    x = keras.layers.MaxPooling2D(pool_size=14)(inputs)
    x = keras.layers.Flatten()(x)
    outputs = keras.layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs)


def build_conv_pool_model__ten_classes_always(
    input_shape: tuple[int, int, int] = (28, 28, 1),
    num_classes: int = 10,
) -> keras.Model:
    """Always outputs 10 classes, ignoring num_classes."""
    validate_model_shape(input_shape, num_classes)
    inputs = keras.Input(shape=input_shape)
    x = keras.layers.Conv2D(32, kernel_size=3, activation="relu")(inputs)
    x = keras.layers.MaxPooling2D(pool_size=2)(x)
    x = keras.layers.Conv2D(64, kernel_size=3, activation="relu")(x)
    x = keras.layers.MaxPooling2D(pool_size=2)(x)
    x = keras.layers.Flatten()(x)
    x = keras.layers.Dropout(0.5)(x)
    outputs = keras.layers.Dense(10, activation="softmax")(x)
    return keras.Model(inputs, outputs)


def build_conv_pool_model__input_shape_ignored(
    input_shape: tuple[int, int, int] = (28, 28, 1),
    num_classes: int = 10,
) -> keras.Model:
    """Always expects 28×28 grey images, ignoring input_shape."""
    validate_model_shape(input_shape, num_classes)
    inputs = keras.Input(shape=(28, 28, 1))
    x = keras.layers.Conv2D(32, kernel_size=3, activation="relu")(inputs)
    x = keras.layers.MaxPooling2D(pool_size=2)(x)
    x = keras.layers.Conv2D(64, kernel_size=3, activation="relu")(x)
    x = keras.layers.MaxPooling2D(pool_size=2)(x)
    x = keras.layers.Flatten()(x)
    x = keras.layers.Dropout(0.5)(x)
    outputs = keras.layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs)


def build_conv_pool_model__zero_initial_weights(
    input_shape: tuple[int, int, int] = (28, 28, 1),
    num_classes: int = 10,
) -> keras.Model:
    """Starts the convolutions' kernels at zero: the ReLUs stay dead and nothing is learned."""
    validate_model_shape(input_shape, num_classes)
    inputs = keras.Input(shape=input_shape)
    x = keras.layers.Conv2D(32, kernel_size=3, activation="relu", kernel_initializer="zeros")(
        inputs
    )
    x = keras.layers.MaxPooling2D(pool_size=2)(x)
    x = keras.layers.Conv2D(64, kernel_size=3, activation="relu", kernel_initializer="zeros")(x)
    x = keras.layers.MaxPooling2D(pool_size=2)(x)
    x = keras.layers.Flatten()(x)
    x = keras.layers.Dropout(0.5)(x)
    outputs = keras.layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs)


def build_conv_pool_model__constant_initial_weights(
    input_shape: tuple[int, int, int] = (28, 28, 1),
    num_classes: int = 10,
) -> keras.Model:
    """Starts every kernel weight at 0.1: all filters stay identical, as if there were one."""
    validate_model_shape(input_shape, num_classes)
    start = keras.initializers.Constant(0.1)
    inputs = keras.Input(shape=input_shape)
    x = keras.layers.Conv2D(32, kernel_size=3, activation="relu", kernel_initializer=start)(inputs)
    x = keras.layers.MaxPooling2D(pool_size=2)(x)
    x = keras.layers.Conv2D(64, kernel_size=3, activation="relu", kernel_initializer=start)(x)
    x = keras.layers.MaxPooling2D(pool_size=2)(x)
    x = keras.layers.Flatten()(x)
    x = keras.layers.Dropout(0.5)(x)
    outputs = keras.layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs)


def build_conv_pool_model__frozen_convolutions(
    input_shape: tuple[int, int, int] = (28, 28, 1),
    num_classes: int = 10,
) -> keras.Model:
    """Freezes the convolutions (trainable=False): their random filters are never learned."""
    validate_model_shape(input_shape, num_classes)
    inputs = keras.Input(shape=input_shape)
    x = keras.layers.Conv2D(32, kernel_size=3, activation="relu", trainable=False)(inputs)
    x = keras.layers.MaxPooling2D(pool_size=2)(x)
    x = keras.layers.Conv2D(64, kernel_size=3, activation="relu", trainable=False)(x)
    x = keras.layers.MaxPooling2D(pool_size=2)(x)
    x = keras.layers.Flatten()(x)
    x = keras.layers.Dropout(0.5)(x)
    outputs = keras.layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs)
