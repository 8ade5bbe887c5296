"""Keras objects as plain data: what the grader rebuilds, and what it refuses.

Each case describes a real Keras object as the sandbox's runner does
(:func:`~autograder.runner.keras_plain.describe_model`) — or a config changed the way a
student could change it — and rebuilds it as the judge does.
"""

from __future__ import annotations

import keras
import numpy as np
import pytest

import solutions
from autograder.runner.keras_plain import (
    Refused,
    describe_layer,
    describe_model,
    rebuild_layer,
    rebuild_model,
)


def test_the_reference_models_come_back_the_same() -> None:
    for model in (solutions.build_pool_only_model(4), solutions.build_conv_pool_model()):
        rebuilt = rebuild_model(describe_model(model))
        images = np.random.default_rng(0).random((2, 28, 28, 1)).astype("float32")
        assert [type(layer).__name__ for layer in rebuilt.layers] == [
            type(layer).__name__ for layer in model.layers
        ]
        np.testing.assert_array_equal(
            rebuilt.predict(images, verbose=0), model.predict(images, verbose=0)
        )
        assert not rebuilt.compiled


def test_a_compiled_model_comes_back_compiled_whatever_its_optimizer() -> None:
    model = solutions.build_pool_only_model()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    assert rebuild_model(describe_model(model)).compiled


def test_a_layer_comes_back_with_its_weights() -> None:
    kernels = np.arange(18.0).reshape(3, 3, 2)
    layer = rebuild_layer(describe_layer(solutions.edge_conv_layer(kernels)))
    np.testing.assert_array_equal(layer.get_weights()[0][:, :, 0, :], kernels)


def _lookup_layer(path: str) -> dict:
    layer = keras.layers.IntegerLookup(vocabulary=[1])
    description = describe_layer(layer)
    description["config"]["config"]["vocabulary"] = path
    return description


@pytest.mark.parametrize(
    ("description", "message"),
    [
        (_lookup_layer("/etc/hostname"), "'IntegerLookup' .* is not allowed"),
        (describe_layer(keras.layers.Conv2D(2, 3)), "not built"),
        (describe_model(keras.Sequential([keras.layers.Dense(2)])), "not built"),
        (
            describe_model(
                keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, dtype="float64")])
            ),
            "float32; got dtype 'float64'",
        ),
        (
            describe_model(
                keras.Sequential([keras.Input((64, 64, 3)), keras.layers.Conv2D(4096, 3)])
            ),
            "parameters .* the grader rebuilds at most",
        ),
    ],
)
def test_what_the_grader_refuses(description: dict, message: str) -> None:
    rebuild = rebuild_model if "compiled" in description else rebuild_layer
    with pytest.raises(Refused, match=message):
        rebuild(description)


def test_a_path_anywhere_in_a_config_is_refused() -> None:
    description = describe_model(solutions.build_pool_only_model())
    description["config"]["config"]["layers"][1]["config"]["name"] = "../../secret"
    with pytest.raises(Refused, match="not allowed in a Keras config"):
        rebuild_model(description)
