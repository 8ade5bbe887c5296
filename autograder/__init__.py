"""Grading for the course: independent oracles, checks, and (later) nbgrader integration.

Nothing here runs student code yet; :mod:`autograder.oracles` holds the reference
computations (SciPy, Keras, TensorFlow) that judge hand-written operators and
:mod:`autograder.verify` compares the :mod:`solutions` against them.
"""

import course  # noqa: F401  (silences TensorFlow before an oracle imports it)
