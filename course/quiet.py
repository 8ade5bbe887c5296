"""The one place where the course silences TensorFlow's log noise.

TensorFlow reads its C++ logging level from the environment when it is first
imported, so these variables must be set before anything imports it. Importing
:mod:`course` (which every lesson, test and grading run does first) calls
:func:`silence_tensorflow`; values already set by the user are kept.
"""

from __future__ import annotations

import logging
import os

#: Environment read by TensorFlow at import time.
#: ``TF_CPP_MIN_LOG_LEVEL=3`` hides C++ INFO/WARNING/ERROR lines such as "This TensorFlow binary
#: is optimized ..."; ``TF_ENABLE_ONEDNN_OPTS=0`` turns off oneDNN's reordered floating-point
#: sums, which both print a notice and make results differ slightly from run to run.
TENSORFLOW_ENVIRONMENT = {
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "TF_ENABLE_ONEDNN_OPTS": "0",
}


def silence_tensorflow() -> None:
    """Keep TensorFlow and Keras quiet for everything the course runs.

    Sets :data:`TENSORFLOW_ENVIRONMENT` (without overriding a user's own values)
    and lowers the Python ``tensorflow``/``absl``/``h5py`` loggers to ERROR.

    On Linux x86_64 the course installs ``tensorflow-cpu``: the GPU-enabled wheel
    probes for CUDA and prints that it found none before any of these settings can
    take effect (through absl, ahead of its initialisation).

    Examples
    --------
    >>> import os
    >>> silence_tensorflow()
    >>> os.environ["TF_CPP_MIN_LOG_LEVEL"] in {"1", "2", "3"}
    True
    """
    for name, value in TENSORFLOW_ENVIRONMENT.items():
        os.environ.setdefault(name, value)
    for logger in ("tensorflow", "absl", "h5py"):
        logging.getLogger(logger).setLevel(logging.ERROR)
