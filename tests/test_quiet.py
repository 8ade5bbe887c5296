"""Does the course run TensorFlow and Keras without a line of log noise?"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from course.backends import BACKENDS, backend_environment
from course.quiet import silence_tensorflow


def run_python(code: str, backend: str = "tensorflow") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env=backend_environment(backend),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.parametrize("backend", BACKENDS)
def test_training_a_keras_model_prints_nothing_to_stderr(backend):
    """import course, then build, train and evaluate a Conv2D model on each backend, then
    import TensorFlow (which PyTorch looks up, without importing it, as it loads): stderr
    stays empty."""
    result = run_python(
        """
        import course
        import numpy as np
        import keras
        assert keras.backend.backend() == "BACKEND"
        import tensorflow as tf
        from solutions import build_conv_pool_model

        keras.utils.set_random_seed(0)
        model = build_conv_pool_model()
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        x = np.random.default_rng(0).random((32, 28, 28, 1)).astype("float32")
        model.fit(x, np.arange(32) % 10, epochs=1, batch_size=16, verbose=0)
        model.predict(x, verbose=0)
        tf.nn.max_pool2d(x, 2, 2, "VALID")
        print("done")
        """.replace("BACKEND", backend),
        backend,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "done"
    assert result.stderr == ""


def test_user_settings_are_kept(monkeypatch):
    """A user's own TF_CPP_MIN_LOG_LEVEL is not overridden."""
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "1")
    silence_tensorflow()
    assert os.environ["TF_CPP_MIN_LOG_LEVEL"] == "1"
