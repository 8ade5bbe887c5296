"""What the hidden checks share: calling the student's code, drawing inputs, judging results."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

import numpy as np

from course.visible_tests import expect_error, expect_true
from course.visible_tests.expect import TOLERANCE

__all__ = [
    "BAD_PADDINGS",
    "BAD_PAIRS",
    "FLOAT32_TOLERANCE",
    "FRACTIONS",
    "STRIDE_PAIRS",
    "Refusal",
    "call_on_copies",
    "call_or_fail",
    "choose",
    "describe",
    "expect_float",
    "expect_refusals",
    "random_index",
    "tolerance",
    "with_value",
]

T = TypeVar("T")

#: A bad call: its arguments as text, the call itself, and the argument it must name.
Refusal = tuple[str, Callable[[], object], str]

#: Strides that differ between rows and columns.
STRIDE_PAIRS = ((1, 2), (2, 1), (1, 3), (3, 1), (2, 3), (3, 2))
#: Strides or window sizes to refuse: zero or negative, on both axes or on one.
BAD_PAIRS = (0, -1, -2, (1, 0), (0, 2), (2, -1))
#: Strides or window sizes to refuse: not whole numbers.
FRACTIONS = (0.5, 1.5, 2.5)
#: Paddings to refuse: neither "valid" nor "same" (one of them with a trailing space).
BAD_PADDINGS = ("full", "causal", "", "valid ")
#: Agreement required of float32 results with the float64 oracles.
FLOAT32_TOLERANCE = 1e-4


def choose(rng: np.random.Generator, options: Sequence[T]) -> T:
    """One of ``options``, drawn uniformly, as it is (a tuple stays a tuple).

    Parameters
    ----------
    rng : numpy.random.Generator
        The generator to draw from.
    options : sequence
        What to choose from.

    Returns
    -------
    object
        The chosen element of ``options``.
    """
    return options[int(rng.integers(len(options)))]


def random_index(rng: np.random.Generator, shape: tuple[int, ...]) -> tuple[int, ...]:
    """A random index into an array of ``shape``, one draw per axis.

    Parameters
    ----------
    rng : numpy.random.Generator
        The generator to draw from.
    shape : tuple of int
        The array's shape.

    Returns
    -------
    tuple of int
        One index per axis.
    """
    return tuple(int(rng.integers(n)) for n in shape)


def with_value(rng: np.random.Generator, array: np.ndarray, value: float) -> np.ndarray:
    """A copy of ``array`` holding ``value`` (NaN, say) at one random place.

    Parameters
    ----------
    rng : numpy.random.Generator
        The generator that draws the place.
    array : numpy.ndarray
        The array to copy; left unchanged.
    value : float
        What to put in.

    Returns
    -------
    numpy.ndarray
        The changed copy.
    """
    spoiled = array.copy()
    spoiled[random_index(rng, array.shape)] = value
    return spoiled


def describe(value: object) -> str:
    """An argument as a hidden check names it: arrays by dtype and shape, never by value.

    Parameters
    ----------
    value : object
        The argument.

    Returns
    -------
    str
        Its description.

    Examples
    --------
    >>> describe(np.zeros((2, 3)))
    '<float64 array of shape (2, 3)>'
    >>> describe("same")
    "'same'"
    """
    if isinstance(value, np.ndarray):
        return f"<{value.dtype} array of shape {value.shape}>"
    return repr(value)


def call_or_fail(
    what: str, function: Callable[..., object], *args: object, **kwargs: object
) -> object:
    """``function(*args, **kwargs)``, with any exception turned into an AssertionError.

    Parameters
    ----------
    what : str
        The call as text, for the message.
    function : callable
        What to call.
    *args, **kwargs
        Its arguments.

    Returns
    -------
    object
        What ``function`` returned.

    Raises
    ------
    AssertionError
        ``"{what} raised {type}: {message}"``, with the original exception as its cause,
        so that the student sees which hidden input broke the code.
    """
    try:
        return function(*args, **kwargs)
    except Exception as error:
        raise AssertionError(f"{what} raised {type(error).__name__}: {error}") from error


def call_on_copies(
    function: Callable[..., object], *args: object, **kwargs: object
) -> tuple[object, str]:
    """Call ``function`` with copies of the arrays in ``args`` and ``kwargs``; check that
    the copies come back unchanged; return the result and the call as text.

    Parameters
    ----------
    function : callable
        The student's function.
    *args, **kwargs
        Its arguments; the arrays among them are copied, never handed over.

    Returns
    -------
    result : object
        What ``function`` returned.
    what : str
        The call as text, arrays described by :func:`describe`.

    Raises
    ------
    AssertionError
        When ``function`` raises (naming the call, see :func:`call_or_fail`) or changes
        one of its array arguments.
    """
    arguments = [*map(describe, args), *(f"{k}={describe(v)}" for k, v in kwargs.items())]
    what = f"{getattr(function, '__name__', 'function')}({', '.join(arguments)})"
    given = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    given_kwargs = {k: v.copy() if isinstance(v, np.ndarray) else v for k, v in kwargs.items()}
    result = call_or_fail(what, function, *given, **given_kwargs)
    for original, copy in zip(
        [*args, *kwargs.values()], [*given, *given_kwargs.values()], strict=True
    ):
        if isinstance(original, np.ndarray):
            expect_true(
                np.array_equal(original, copy),
                f"{what} changed its argument {describe(original)}; work on a copy",
            )
    return result, what


def expect_float(
    result: np.ndarray, what: str, *inputs: np.ndarray, float64_for_integers: bool
) -> None:
    """Check the result's dtype: float32 for float32 inputs, float64 for float64 ones.

    Parameters
    ----------
    result : numpy.ndarray
        What the student's function returned.
    what : str
        The call as text, for the message.
    *inputs : numpy.ndarray
        The array arguments.
    float64_for_integers : bool
        Whether integer inputs (any input that is not floating point) must give float64;
        if not, the dtype is not checked for them.

    Raises
    ------
    AssertionError
        Naming the dtype required.
    """
    if not float64_for_integers and not all(a.dtype.kind == "f" for a in inputs):
        return
    dtype = np.float32 if all(a.dtype == np.float32 for a in inputs) else np.float64
    expect_true(
        result.dtype == dtype, f"{what} must return a {np.dtype(dtype)} array; got {result.dtype}"
    )


def tolerance(*inputs: np.ndarray) -> float:
    """The agreement required with the float64 oracles: looser if any input is float32.

    Parameters
    ----------
    *inputs : numpy.ndarray
        The array arguments.

    Returns
    -------
    float
        :data:`FLOAT32_TOLERANCE` or the checks' usual ``TOLERANCE``.
    """
    return FLOAT32_TOLERANCE if any(a.dtype == np.float32 for a in inputs) else TOLERANCE


def expect_refusals(name: str, calls: Iterable[Refusal]) -> None:
    """Each bad call must raise ``TypeError`` or ``ValueError`` naming its argument.

    Parameters
    ----------
    name : str
        The function's name, for the messages: ``name(description)``.
    calls : iterable of (str, callable, str)
        The bad calls, as :data:`Refusal`.

    Raises
    ------
    AssertionError
        For the first call that is not refused as it should be.
    """
    for description, call, argument in calls:
        expect_error(call, f"{name}({description})", (TypeError, ValueError), mentions=argument)
