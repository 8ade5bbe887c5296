r"""Output sizes and padding of sliding-window operators, with TensorFlow's rules.

For an input of size :math:`n`, a window of size :math:`k` and a stride :math:`s`:

* ``"valid"`` (no padding): :math:`n_\text{out} = \lfloor (n - k) / s \rfloor + 1`;
* ``"same"``: :math:`n_\text{out} = \lceil n / s \rceil`, padding the input with
  :math:`p = \max((n_\text{out} - 1)\,s + k - n,\ 0)` values in all,
  :math:`\lfloor p / 2 \rfloor` before and the rest after (the extra one at the bottom/right).
"""

from __future__ import annotations

import numpy as np

from course.validation import as_padding

__all__ = ["output_size", "pad_for_windows", "padding_amounts"]


def output_size(n: int, k: int, stride: int = 1, padding: str = "valid") -> int:
    """Length of a sliding-window output along one axis.

    Parameters
    ----------
    n : int
        Input length.
    k : int
        Window (kernel or pool) length.
    stride : int, default 1
        Step between windows.
    padding : {"valid", "same"}
        TensorFlow's padding modes (see the module docstring).

    Returns
    -------
    int
        The output length; 0 when a ``"valid"`` window does not fit.

    Examples
    --------
    >>> output_size(28, 3), output_size(28, 3, padding="same")
    (26, 28)
    >>> output_size(7, 3, stride=2), output_size(7, 3, stride=2, padding="same")
    (3, 4)
    """
    if as_padding(padding) == "same":
        return -(-n // stride)
    return max((n - k) // stride + 1, 0)


def padding_amounts(n: int, k: int, stride: int = 1, padding: str = "valid") -> tuple[int, int]:
    """Values to add ``(before, after)`` the input along one axis.

    Examples
    --------
    >>> padding_amounts(28, 3, padding="same")  # odd window: one each side
    (1, 1)
    >>> padding_amounts(6, 2, padding="same")  # even window: the extra one after
    (0, 1)
    >>> padding_amounts(28, 3)
    (0, 0)
    """
    if as_padding(padding) == "valid":
        return 0, 0
    total = max((output_size(n, k, stride, padding) - 1) * stride + k - n, 0)
    return total // 2, total - total // 2


def pad_for_windows(
    x: np.ndarray,
    window: tuple[int, int],
    stride: tuple[int, int],
    padding: str,
    fill: float = 0.0,
    window_name: str = "pool_size",
) -> tuple[np.ndarray, tuple[int, int]]:
    """Pad a 2-D array for a sliding window, and say how many windows fit.

    Parameters
    ----------
    x : numpy.ndarray, shape (H, W)
    window, stride : (int, int)
        Window size and step, per axis.
    padding : {"valid", "same"}
    fill : float, default 0.0
        The value of padded positions (−∞ for max pooling, so that padding never wins).
    window_name : str, default "pool_size"
        The window argument's name, for the error message.

    Returns
    -------
    padded : numpy.ndarray
        ``x`` as floating point (at least float32), padded by :func:`padding_amounts`.
    (rows, cols) : (int, int)
        The output size, :func:`output_size` per axis.

    Raises
    ------
    ValueError
        If the padding is unknown, or the window is larger than ``x`` with ``"valid"``.

    Examples
    --------
    >>> padded, size = pad_for_windows(np.ones((3, 3)), (2, 2), (2, 2), "same", fill=-np.inf)
    >>> size
    (2, 2)
    >>> padded[:, -1]
    array([-inf, -inf, -inf, -inf])
    """
    padding = as_padding(padding)
    if padding == "valid" and (window[0] > x.shape[0] or window[1] > x.shape[1]):
        raise ValueError(
            f"{window_name} {tuple(window)} is larger than x of shape {x.shape}; "
            f"use a smaller {window_name} or padding='same'"
        )
    size = tuple(
        output_size(n, k, s, padding) for n, k, s in zip(x.shape, window, stride, strict=True)
    )
    pads = [
        padding_amounts(n, k, s, padding) for n, k, s in zip(x.shape, window, stride, strict=True)
    ]
    dtype = np.result_type(x, np.float32)
    return np.pad(x.astype(dtype), pads, constant_values=fill), size
