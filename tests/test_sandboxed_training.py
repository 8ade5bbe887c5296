"""Training a student's model in a sandbox: the budget, the cache and its key.

The reference convnet is trained for real in a training sandbox (trusted code, the model
as plain data); a larger model is refused before any training; the cache key changes
with everything that changes the result (dtype policies, weights) and with nothing else
(layer names).
"""

from __future__ import annotations

import time

import keras
import pytest

import solutions
from autograder.hidden_tests.ps3_keras import BATCH_SIZE, EPOCHS, MIN_ACCURACY, SEED
from autograder.sandboxed_training import Budget, SandboxTrainer, training_key

BUDGET = {"epochs": EPOCHS, "batch_size": BATCH_SIZE, "seed": SEED}


def _model(filters: int = 32, dtype: str = "float32", name: str = "conv") -> keras.Model:
    keras.utils.set_random_seed(0)
    inputs = keras.Input((28, 28, 1))
    x = keras.layers.Conv2D(filters, 3, activation="relu", dtype=dtype, name=f"{name}_a")(inputs)
    x = keras.layers.Flatten(dtype=dtype, name=f"{name}_b")(keras.layers.MaxPooling2D(4)(x))
    outputs = keras.layers.Dense(10, activation="softmax", dtype=dtype, name=f"{name}_c")(x)
    return keras.Model(inputs, outputs, name=name)


def test_the_reference_trains_in_a_sandbox_once(tmp_path) -> None:
    trainer = SandboxTrainer(hidden=[], cache=tmp_path)
    keras.utils.set_random_seed(0)
    model = solutions.build_conv_pool_model()
    accuracy = trainer(model, **BUDGET)
    assert accuracy >= MIN_ACCURACY
    assert trainer.failures == []
    assert len(list(tmp_path.glob("*.json"))) == 1
    started = time.perf_counter()
    assert trainer(model, **BUDGET) == accuracy  # from the cache: no sandbox, no training
    assert time.perf_counter() - started < 1.0


def test_a_model_over_budget_is_refused_before_training(tmp_path) -> None:
    trainer = SandboxTrainer(hidden=[], cache=tmp_path, budget=Budget(parameters=10_000))
    with pytest.raises(AssertionError, match="training refused: the model has 11,850 parameters"):
        trainer(_model(filters=32), **BUDGET)
    assert len(trainer.failures) == 1
    assert "at most 10,000" in trainer.failures[0]
    assert not list(tmp_path.iterdir())


def test_the_cache_key_ignores_layer_names_only() -> None:
    key = training_key(_model(), **BUDGET)
    assert training_key(_model(name="other"), **BUDGET) == key
    assert training_key(_model(dtype="float64"), **BUDGET) != key
    assert training_key(_model(filters=16), **BUDGET) != key
    assert training_key(_model(), **{**BUDGET, "epochs": 1}) != key
    changed = _model()
    changed.set_weights([w + 1.0 for w in changed.get_weights()])
    assert training_key(changed, **BUDGET) != key
