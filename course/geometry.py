r"""Output sizes and padding of sliding-window operators, with TensorFlow's rules.

For an input of size :math:`n`, a window of size :math:`k` and a stride :math:`s`:

* ``"valid"`` (no padding): :math:`n_\text{out} = \lfloor (n - k) / s \rfloor + 1`;
* ``"same"``: :math:`n_\text{out} = \lceil n / s \rceil`, padding the input with
  :math:`p = \max((n_\text{out} - 1)\,s + k - n,\ 0)` values in all,
  :math:`\lfloor p / 2 \rfloor` before and the rest after (the extra one at the bottom/right).
"""

from __future__ import annotations

from course.validation import check_padding

__all__ = ["output_size", "padding_amounts"]


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
    if check_padding(padding) == "same":
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
    if check_padding(padding) == "valid":
        return 0, 0
    total = max((output_size(n, k, stride, padding) - 1) * stride + k - n, 0)
    return total // 2, total - total // 2
