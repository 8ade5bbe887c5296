"""A Keras course on convolution and max pooling.

Importing the package first silences TensorFlow's log noise (see :mod:`course.quiet`),
so ``import course`` belongs at the top of every lesson and script.
"""

from course.quiet import silence_tensorflow

silence_tensorflow()

__version__ = "0.2.0"
