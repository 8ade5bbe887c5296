"""Are the reference Keras models and the edge layer built as the assignments specify?"""

from __future__ import annotations

import keras
import numpy as np
import pytest

from autograder import oracles
from course.edges import EDGE_DIRECTIONS
from solutions import (
    build_conv_pool_model,
    build_pool_only_model,
    correlate2d,
    edge_conv_layer,
    edge_kernel,
)


def layer_types(model: keras.Model) -> list[str]:
    return [type(layer).__name__ for layer in model.layers]


@pytest.mark.parametrize("pool_size", [1, 2, 4, 7, 14, 28])
def test_pool_only_model_structure_and_parameters(pool_size):
    """Input → MaxPooling2D → Flatten → Dense(softmax), (28/p)²·10 + 10 parameters, no Conv2D."""
    model = build_pool_only_model(pool_size)
    assert layer_types(model) == ["InputLayer", "MaxPooling2D", "Flatten", "Dense"]
    assert model.count_params() == (28 // pool_size) ** 2 * 10 + 10
    assert model.layers[1].pool_size == (pool_size, pool_size)
    assert model.layers[-1].activation is keras.activations.softmax
    assert model.output_shape == (None, 10)


def test_pool_only_model_other_shapes():
    """Colour input and 3 classes change the parameter count as the formula says."""
    model = build_pool_only_model(4, input_shape=(32, 32, 3), num_classes=3)
    assert model.count_params() == (8 * 8 * 3) * 3 + 3
    assert model.output_shape == (None, 3)


def test_conv_pool_model_is_the_keras_io_convnet():
    """The keras.io 'Simple MNIST convnet' shape: 34,826 parameters."""
    model = build_conv_pool_model()
    assert layer_types(model) == [
        "InputLayer",
        "Conv2D",
        "MaxPooling2D",
        "Conv2D",
        "MaxPooling2D",
        "Flatten",
        "Dropout",
        "Dense",
    ]
    assert model.count_params() == 34_826
    assert model.output_shape == (None, 10)


@pytest.mark.parametrize("build", [build_pool_only_model, build_conv_pool_model])
def test_models_output_probabilities_and_are_uncompiled(build, rng):
    """Outputs are a softmax (rows sum to 1) and the model is returned uncompiled."""
    model = build()
    assert not model.compiled
    probabilities = np.asarray(model(rng.random((3, 28, 28, 1)).astype("float32")))
    assert probabilities.shape == (3, 10)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-5)
    assert np.all(probabilities >= 0.0)


def test_edge_conv_layer_equals_correlate2d(seven):
    """Channel i of the layer's output is correlate2d(image, kernels[:, :, i])."""
    kernels = np.stack([edge_kernel(d) for d in EDGE_DIRECTIONS], axis=-1)
    layer = edge_conv_layer(kernels)
    assert isinstance(layer, keras.layers.Conv2D)
    assert layer.built
    assert not layer.use_bias
    assert layer.strides == (1, 1)
    assert layer.padding == "valid"
    assert layer.kernel.shape == (3, 3, 1, 4)
    maps = np.asarray(layer(seven[None, :, :, None].astype("float32")))[0]
    for i in range(4):
        np.testing.assert_allclose(maps[:, :, i], correlate2d(seven, kernels[:, :, i]), atol=1e-5)
        np.testing.assert_allclose(
            maps[:, :, i], oracles.scipy_correlate2d(seven, kernels[:, :, i]), atol=1e-5
        )


def test_edge_conv_layer_non_square_kernels(rng):
    """Works for any (kh, kw, n), with no activation (negative responses kept)."""
    kernels = rng.normal(size=(2, 4, 3))
    image = rng.normal(size=(6, 9))
    maps = np.asarray(edge_conv_layer(kernels)(image[None, :, :, None].astype("float32")))[0]
    assert maps.shape == (5, 6, 3)
    assert (maps < 0).any()
    for i in range(3):
        np.testing.assert_allclose(
            maps[:, :, i], oracles.scipy_correlate2d(image, kernels[:, :, i]), atol=1e-4
        )


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: build_pool_only_model(0), r"pool_size must be a positive integer; got 0"),
        (lambda: build_pool_only_model(29), r"pool_size 29 is larger than the images \(28, 28\)"),
        (
            lambda: build_pool_only_model(2, input_shape=(28, 28)),
            r"input_shape must be \(height, width, channels\)",
        ),
        (
            lambda: build_pool_only_model(2, num_classes=1),
            r"num_classes must be an integer >= 2; got 1",
        ),
        (
            lambda: build_conv_pool_model(input_shape=(28, -1, 1)),
            r"input_shape must be \(height, width, channels\)",
        ),
        (
            lambda: edge_conv_layer(np.ones((3, 3))),
            r"kernels must be a 3-D array \(kernel height, kernel width, filters\)",
        ),
        (lambda: edge_conv_layer(np.full((3, 3, 1), np.nan)), r"kernels must be finite"),
    ],
)
def test_model_errors(call, message):
    """Bad shapes and counts fail with a message naming the argument."""
    with pytest.raises((ValueError, TypeError), match=message):
        call()
