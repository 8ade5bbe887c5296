"""Argument checks shared by the course's array functions.

Every check raises with a message that names the argument and says what was
expected, so that a wrong call fails at the call, not deep inside numpy.
"""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral

import numpy as np

__all__ = ["PADDINGS", "as_padding", "as_pair", "as_real_array", "validate_model_shape"]

#: Padding modes understood by the course's operators, as in Keras.
PADDINGS = ("valid", "same")


def as_real_array(value: object, name: str, axes: Sequence[str]) -> np.ndarray:
    """Return ``value`` as a finite, non-empty, real numpy array with one axis per name in ``axes``.

    Parameters
    ----------
    value : array_like
        What the caller passed.
    name : str
        The argument's name, used in error messages.
    axes : sequence of str
        One name per expected axis, e.g. ``("height", "width")``.

    Returns
    -------
    numpy.ndarray
        ``np.asarray(value)``: no copy when ``value`` already is a suitable array.

    Raises
    ------
    TypeError
        If the values are not real numbers (booleans, integers or floats).
    ValueError
        If the number of axes is wrong, the array is empty, or it holds NaN or infinity.

    Examples
    --------
    >>> as_real_array([[1, 2], [3, 4]], "image", ("height", "width")).shape
    (2, 2)
    >>> as_real_array([1, 2], "image", ("height", "width"))
    Traceback (most recent call last):
    ...
    ValueError: image must be a 2-D array (height, width); got shape (2,)
    """
    array = np.asarray(value)
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold real numbers; got dtype {array.dtype}")
    if array.ndim != len(axes):
        raise ValueError(
            f"{name} must be a {len(axes)}-D array ({', '.join(axes)}); got shape {array.shape}"
        )
    if array.size == 0:
        raise ValueError(f"{name} must not be empty; got shape {array.shape}")
    if array.dtype.kind == "f" and not np.isfinite(array).all():
        first = tuple(int(i) for i in np.argwhere(~np.isfinite(array))[0])
        raise ValueError(f"{name} must be finite; found {array[first]} at index {first}")
    return array


def as_pair(value: int | Sequence[int], name: str) -> tuple[int, int]:
    """Return a positive integer, or a pair of them, as a ``(rows, columns)`` pair.

    Parameters
    ----------
    value : int or pair of int
        A window size or stride: one number for both axes, or one per axis.
    name : str
        The argument's name, used in error messages.

    Returns
    -------
    tuple of int

    Raises
    ------
    TypeError
        If ``value`` is not an integer or a pair of integers (booleans are refused).
    ValueError
        If a number is zero or negative.

    Examples
    --------
    >>> as_pair(2, "stride"), as_pair((1, 3), "stride")
    ((2, 2), (1, 3))
    >>> as_pair(0, "stride")
    Traceback (most recent call last):
    ...
    ValueError: stride must be a positive integer; got 0
    """
    if type(value) is int and value > 0:  # the common case, checked first for speed
        return value, value
    items = (value, value) if isinstance(value, Integral) else value
    if (
        not isinstance(items, Sequence)
        or len(items) != 2
        or not all(isinstance(v, Integral) and not isinstance(v, bool) for v in items)
    ):
        raise TypeError(f"{name} must be an integer or a pair of integers; got {value!r}")
    if min(items) < 1:
        raise ValueError(f"{name} must be a positive integer; got {value!r}")
    return int(items[0]), int(items[1])


def as_padding(padding: str) -> str:
    """Return ``padding`` in lower case if it names one of :data:`PADDINGS`.

    Examples
    --------
    >>> as_padding("SAME")
    'same'
    >>> as_padding("full")
    Traceback (most recent call last):
    ...
    ValueError: padding must be 'valid' or 'same'; got 'full'
    """
    if not isinstance(padding, str) or padding.lower() not in PADDINGS:
        raise ValueError(f"padding must be 'valid' or 'same'; got {padding!r}")
    return padding.lower()


def validate_model_shape(input_shape: tuple[int, int, int], num_classes: int) -> None:
    """Check a model's ``input_shape`` (height, width, channels) and ``num_classes``.

    Examples
    --------
    >>> validate_model_shape((28, 28, 1), 10)
    >>> validate_model_shape((28, 28), 10)
    Traceback (most recent call last):
    ...
    ValueError: input_shape must be (height, width, channels) of positive integers; got (28, 28)
    """
    if (
        not isinstance(input_shape, Sequence)
        or len(input_shape) != 3
        or not all(isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in input_shape)
    ):
        raise ValueError(
            "input_shape must be (height, width, channels) of positive integers; "
            f"got {input_shape!r}"
        )
    if isinstance(num_classes, bool) or not isinstance(num_classes, int) or num_classes < 2:
        raise ValueError(f"num_classes must be an integer >= 2; got {num_classes!r}")
