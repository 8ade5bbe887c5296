"""Assertions that tell a student what is wrong, used by visible and hidden tests alike.

Each raises :class:`AssertionError` with a message that names the function, says what
was expected and what came back (type, shape, dtype, the first differing position) and,
when the answer matches a known mistake, gives the hint for it ("did you flip the
kernel?"). Results are checked for type and shape first and compared as
``np.asarray(result, dtype=float)``, never with the student's own ``==``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

import numpy as np

__all__ = [
    "expect_array",
    "expect_error",
    "expect_model",
    "expect_probabilities",
    "expect_true",
]

#: Default absolute and relative tolerance of :func:`expect_array`.
TOLERANCE = 1e-6


def _close(actual: np.ndarray, expected: np.ndarray, tolerance: float) -> bool:
    return actual.shape == expected.shape and np.allclose(
        actual, expected, rtol=tolerance, atol=tolerance
    )


def _hint(actual: np.ndarray, mistakes: Mapping[str, object], tolerance: float) -> str:
    for hint, wrong in mistakes.items():
        if _close(actual, np.asarray(wrong, dtype=float), tolerance):
            return f"\nHint: {hint}"
    return ""


def expect_array(
    actual: object,
    expected: object,
    what: str,
    *,
    mistakes: Mapping[str, object] | None = None,
    tolerance: float = TOLERANCE,
) -> None:
    """Check that ``actual`` is a floating-point numpy array equal to ``expected``.

    Parameters
    ----------
    actual : object
        What the student's function returned.
    expected : array_like
        The right answer.
    what : str
        The call, as the message shows it, e.g. ``"correlate2d(image, kernel)"``.
    mistakes : mapping of str to array_like, optional
        Hint → the answer that mistake would give; the hint is shown when ``actual``
        matches it.
    tolerance : float
        Absolute and relative tolerance of the comparison.

    Raises
    ------
    AssertionError
        Saying what differs.

    Examples
    --------
    >>> expect_array(np.array([[1.0, 2.0]]), [[1, 2]], "f(x)")
    >>> expect_array(np.array([[2.0, 1.0]]), [[1, 2]], "f(x)", mistakes={"flipped?": [[2, 1]]})
    Traceback (most recent call last):
    ...
    AssertionError: f(x): wrong value at index (0, 0): expected 1, got 2.
    Hint: flipped?
    """
    expected = np.asarray(expected, dtype=float)
    if type(actual) is not np.ndarray:
        raise AssertionError(f"{what} must return a numpy.ndarray; got {type(actual).__name__}")
    if actual.dtype.kind != "f":
        raise AssertionError(
            f"{what} must return floating-point values; got dtype {actual.dtype}"
            " (convert with .astype(float) — integer arrays truncate)"
        )
    values = np.asarray(actual, dtype=float)
    hint = _hint(values, mistakes or {}, tolerance)
    if values.shape != expected.shape:
        raise AssertionError(
            f"{what}: expected shape {expected.shape}, got shape {values.shape}.{hint}"
        )
    wrong = ~np.isclose(values, expected, rtol=tolerance, atol=tolerance)
    wrong |= np.isnan(values) != np.isnan(expected)
    if wrong.any():
        index = tuple(int(i) for i in np.argwhere(wrong)[0])
        raise AssertionError(
            f"{what}: wrong value at index {index}: expected {expected[index]:.6g}, "
            f"got {values[index]:.6g}.{hint}"
        )


def expect_error(
    call: Callable[[], object],
    what: str,
    errors: type[Exception] | tuple[type[Exception], ...] = (TypeError, ValueError),
    mentions: str | None = None,
) -> None:
    """Check that ``call()`` raises one of ``errors``, with ``mentions`` in its message.

    Parameters
    ----------
    call : callable
        Calls the student's function with bad input, e.g. ``lambda: f(x, stride=0)``.
    what : str
        The bad call, as the message shows it.
    errors : exception type or tuple of them
    mentions : str, optional
        A word the message must contain, case-insensitively (usually the argument's name).

    Examples
    --------
    >>> def f(stride):
    ...     if stride < 1:
    ...         raise ValueError("stride must be positive")
    >>> expect_error(lambda: f(0), "f(stride=0)", ValueError, mentions="stride")
    >>> expect_error(lambda: f(1), "f(stride=1)", ValueError)
    Traceback (most recent call last):
    ...
    AssertionError: f(stride=1) must raise ValueError; it returned None
    """
    names = " or ".join(e.__name__ for e in (errors if isinstance(errors, tuple) else (errors,)))
    try:
        result = call()
    except errors as error:
        if mentions is not None and not re.search(re.escape(mentions), str(error), re.IGNORECASE):
            raise AssertionError(
                f"{what} raised {type(error).__name__}, but its message should name "
                f"{mentions!r}; got: {error}"
            ) from None
        return
    except Exception as error:
        raise AssertionError(
            f"{what} must raise {names}; it raised {type(error).__name__}: {error}"
        ) from None
    raise AssertionError(f"{what} must raise {names}; it returned {_short(result)}")


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def expect_true(condition: bool, message: str) -> None:
    """Raise ``AssertionError(message)`` unless ``condition`` holds (a bare ``assert``
    disappears under ``python -O``; this does not).

    Examples
    --------
    >>> expect_true(1 + 1 == 2, "arithmetic")
    >>> expect_true(False, "edge_kernel('left') must have shape (3, 3)")
    Traceback (most recent call last):
    ...
    AssertionError: edge_kernel('left') must have shape (3, 3)
    """
    if not condition:
        raise AssertionError(message)


def expect_model(model: object, what: str) -> list[str]:
    """Assert that ``model`` (what ``what`` returned) is a built Keras model; the class
    names of its layers, without the InputLayer (a Sequential model does not list it).

    Raises
    ------
    AssertionError
        Saying which of the two is wrong.
    """
    import keras  # only the Keras assignment's tests call this

    expect_true(
        isinstance(model, keras.Model),
        f"{what} must return a keras.Model; got {type(model).__name__}",
    )
    expect_true(
        model.built,
        f"{what}: the model is not built; start it with inputs = keras.Input(shape=input_shape)",
    )
    return [
        type(layer).__name__
        for layer in model.layers
        if not isinstance(layer, keras.layers.InputLayer)
    ]


def expect_probabilities(model: object) -> None:
    """Assert that a Keras ``model`` gives one probability per digit class: output shape
    ``(None, 10)``, and rows of non-negative numbers summing to 1 on two 28×28 images.

    Raises
    ------
    AssertionError
        Saying which of the two is wrong.
    """
    import keras  # only the Keras assignment's tests call this

    expect_true(
        model.output_shape == (None, 10),
        f"the output shape must be (None, 10), one probability per digit; got {model.output_shape}",
    )
    images = np.linspace(0.0, 1.0, 2 * 28 * 28, dtype="float32").reshape(2, 28, 28, 1)
    probabilities = keras.ops.convert_to_numpy(model(images))
    expect_true(
        bool(np.all(probabilities >= 0.0)) and np.allclose(probabilities.sum(axis=1), 1.0),
        "the outputs must be probabilities: use activation='softmax' in the last Dense layer;"
        f" got rows summing to {probabilities.sum(axis=1)}",
    )
