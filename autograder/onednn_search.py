"""The randomised search that shows TensorFlow's oneDNN convolution is not an oracle.

TensorFlow on CPU with oneDNN on (its default) returns wrong values from
``tf.nn.conv2d(padding="SAME")`` in float32 for a batch of more than one image when the
kernel is wider than the image and the stride is above one. :func:`search_onednn` draws
small random cases with a fixed seed and counts how many disagree with the plain loop
(:func:`autograder.oracles.loop_conv2d`), once with oneDNN on and once off: each count in a
fresh process, since TensorFlow reads ``TF_ENABLE_ONEDNN_OPTS`` when it is imported.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass

__all__ = ["OneDnnCount", "search_onednn"]

#: The search run in each process: prints {"cases", "wrong", "max_error", "example"} as JSON.
_SEARCH = """
import json, sys
import course
import numpy as np
import tensorflow as tf
from autograder.oracles import loop_conv2d

cases, seed = int(sys.argv[1]), int(sys.argv[2])
rng = np.random.default_rng(seed)
wrong, worst, example = 0, 0.0, None
for _ in range(cases):
    n = int(rng.integers(1, 4))
    h, w, kh, kw = (int(v) for v in rng.integers(1, 8, size=4))
    stride = (int(rng.integers(1, 4)), int(rng.integers(1, 4)))
    x = rng.normal(size=(n, h, w, 1)).astype(np.float32)
    k = rng.normal(size=(kh, kw, 1, 1)).astype(np.float32)
    got = tf.nn.conv2d(x, k, strides=(1, *stride, 1), padding="SAME").numpy()
    error = float(np.abs(got - loop_conv2d(x, k, None, stride, "same")).max())
    if not error <= 1e-4:
        wrong += 1
        if example is None:
            example = [n, h, w, kh, kw, *stride]
        worst = max(worst, error)
print(json.dumps({"cases": cases, "wrong": wrong, "max_error": worst, "example": example}))
"""


@dataclass(frozen=True)
class OneDnnCount:
    """Result of the search with oneDNN on or off."""

    onednn: bool
    cases: int
    wrong: int
    max_error: float
    #: The first wrong case: (images, height, width, kernel height, kernel width, strides).
    example: tuple[int, ...] | None


def search_onednn(onednn: bool, cases: int = 300, seed: int = 0) -> OneDnnCount:
    """Count the random ``"SAME"`` cases where ``tf.nn.conv2d`` (float32) disagrees with a
    plain loop, in a fresh process with oneDNN on or off.

    Raises
    ------
    RuntimeError
        If the search process fails; the message holds its stderr.
    """
    environment = {**os.environ, "TF_ENABLE_ONEDNN_OPTS": "1" if onednn else "0"}
    result = subprocess.run(
        [sys.executable, "-c", _SEARCH, str(cases), str(seed)],
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"the oneDNN search failed:\n{result.stderr[-2000:]}")
    found = json.loads(result.stdout.strip().splitlines()[-1])
    example = tuple(found["example"]) if found["example"] else None
    return OneDnnCount(onednn, found["cases"], found["wrong"], found["max_error"], example)
