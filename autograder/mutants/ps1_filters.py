"""Wrong implementations of ps1_filters' graded functions: mistakes the tests must catch.

Each ``NAME__mistake`` has ``NAME``'s signature and makes one plausible mistake, said in
its docstring. A mutant stands alone, as a student's notebook cell does: it uses only
the names the assignment's setup cell imports (those of :mod:`solutions.filters`) and
the graded functions of earlier cells (a convolve2d mutant may call ``correlate2d``).
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from course.geometry import output_size, padding_amounts
from course.validation import as_padding, as_pair, as_real_array
from solutions.filters import correlate2d


def correlate2d__flipped_kernel(
    image: np.ndarray,
    kernel: np.ndarray,
    stride: int | tuple[int, int] = 1,
    padding: str = "valid",
) -> np.ndarray:
    """Slides the kernel flipped on both axes: that is convolution."""
    image = as_real_array(image, "image", ("height", "width"))
    kernel = as_real_array(kernel, "kernel", ("kernel height", "kernel width"))
    (sr, sc) = as_pair(stride, "stride")
    padding = as_padding(padding)
    (kh, kw) = kernel.shape
    if padding == "valid" and (kh > image.shape[0] or kw > image.shape[1]):
        raise ValueError(
            f"kernel of shape {kernel.shape} is larger than image of shape {image.shape}"
        )
    dtype = np.result_type(image, kernel, np.float32)
    pads = [
        padding_amounts(image.shape[0], kh, sr, padding),
        padding_amounts(image.shape[1], kw, sc, padding),
    ]
    windows = sliding_window_view(np.pad(image.astype(dtype), pads), (kh, kw))[::sr, ::sc]
    return np.einsum("ijuv,uv->ij", windows, kernel[::-1, ::-1].astype(dtype))


def correlate2d__one_window_short(
    image: np.ndarray,
    kernel: np.ndarray,
    stride: int | tuple[int, int] = 1,
    padding: str = "valid",
) -> np.ndarray:
    """Counts (n - k) // stride windows per axis, one too few."""
    image = as_real_array(image, "image", ("height", "width"))
    kernel = as_real_array(kernel, "kernel", ("kernel height", "kernel width"))
    (sr, sc) = as_pair(stride, "stride")
    padding = as_padding(padding)
    (kh, kw) = kernel.shape
    if padding == "valid" and (kh > image.shape[0] or kw > image.shape[1]):
        raise ValueError(
            f"kernel of shape {kernel.shape} is larger than image of shape {image.shape}"
        )
    dtype = np.result_type(image, kernel, np.float32)
    pads = [
        padding_amounts(image.shape[0], kh, sr, padding),
        padding_amounts(image.shape[1], kw, sc, padding),
    ]
    padded = np.pad(image.astype(dtype), pads)
    rows, cols = (padded.shape[0] - kh) // sr, (padded.shape[1] - kw) // sc
    out = np.zeros((rows, cols), dtype=dtype)
    for i in range(rows):
        for j in range(cols):
            out[i, j] = np.sum(padded[i * sr : i * sr + kh, j * sc : j * sc + kw] * kernel)
    return out


def correlate2d__stride_ignored(
    image: np.ndarray,
    kernel: np.ndarray,
    stride: int | tuple[int, int] = 1,
    padding: str = "valid",
) -> np.ndarray:
    """Ignores the stride: every window position, padded as for stride 1."""
    image = as_real_array(image, "image", ("height", "width"))
    kernel = as_real_array(kernel, "kernel", ("kernel height", "kernel width"))
    as_pair(stride, "stride")
    padding = as_padding(padding)
    (kh, kw) = kernel.shape
    if padding == "valid" and (kh > image.shape[0] or kw > image.shape[1]):
        raise ValueError(
            f"kernel of shape {kernel.shape} is larger than image of shape {image.shape}"
        )
    dtype = np.result_type(image, kernel, np.float32)
    pads = [
        padding_amounts(image.shape[0], kh, 1, padding),
        padding_amounts(image.shape[1], kw, 1, padding),
    ]
    windows = sliding_window_view(np.pad(image.astype(dtype), pads), (kh, kw))
    return np.einsum("ijuv,uv->ij", windows, kernel.astype(dtype))


def correlate2d__row_stride_for_both_axes(
    image: np.ndarray,
    kernel: np.ndarray,
    stride: int | tuple[int, int] = 1,
    padding: str = "valid",
) -> np.ndarray:
    """Steps both axes by the row stride: stride=(1, 2) acts as 1."""
    image = as_real_array(image, "image", ("height", "width"))
    kernel = as_real_array(kernel, "kernel", ("kernel height", "kernel width"))
    (sr, sc) = as_pair(stride, "stride")
    padding = as_padding(padding)
    (kh, kw) = kernel.shape
    if padding == "valid" and (kh > image.shape[0] or kw > image.shape[1]):
        raise ValueError(
            f"kernel of shape {kernel.shape} is larger than image of shape {image.shape}"
        )
    dtype = np.result_type(image, kernel, np.float32)
    pads = [
        padding_amounts(image.shape[0], kh, sr, padding),
        padding_amounts(image.shape[1], kw, sc, padding),
    ]
    windows = sliding_window_view(np.pad(image.astype(dtype), pads), (kh, kw))[::sr, ::sr]
    return np.einsum("ijuv,uv->ij", windows, kernel.astype(dtype))


def correlate2d__same_padding_for_stride_one(
    image: np.ndarray,
    kernel: np.ndarray,
    stride: int | tuple[int, int] = 1,
    padding: str = "valid",
) -> np.ndarray:
    """Pads 'same' as for stride 1, then keeps every stride-th output."""
    image = as_real_array(image, "image", ("height", "width"))
    kernel = as_real_array(kernel, "kernel", ("kernel height", "kernel width"))
    (sr, sc) = as_pair(stride, "stride")
    padding = as_padding(padding)
    (kh, kw) = kernel.shape
    if padding == "valid" and (kh > image.shape[0] or kw > image.shape[1]):
        raise ValueError(
            f"kernel of shape {kernel.shape} is larger than image of shape {image.shape}"
        )
    dtype = np.result_type(image, kernel, np.float32)
    pads = [
        padding_amounts(image.shape[0], kh, 1, padding),
        padding_amounts(image.shape[1], kw, 1, padding),
    ]
    windows = sliding_window_view(np.pad(image.astype(dtype), pads), (kh, kw))[::sr, ::sc]
    rows = output_size(image.shape[0], kh, sr, padding)
    cols = output_size(image.shape[1], kw, sc, padding)
    return np.einsum("ijuv,uv->ij", windows[:rows, :cols], kernel.astype(dtype))


def correlate2d__same_padding_before(
    image: np.ndarray,
    kernel: np.ndarray,
    stride: int | tuple[int, int] = 1,
    padding: str = "valid",
) -> np.ndarray:
    """Puts the odd 'same' padding row and column before the image, not after."""
    image = as_real_array(image, "image", ("height", "width"))
    kernel = as_real_array(kernel, "kernel", ("kernel height", "kernel width"))
    (sr, sc) = as_pair(stride, "stride")
    padding = as_padding(padding)
    (kh, kw) = kernel.shape
    if padding == "valid" and (kh > image.shape[0] or kw > image.shape[1]):
        raise ValueError(
            f"kernel of shape {kernel.shape} is larger than image of shape {image.shape}"
        )
    dtype = np.result_type(image, kernel, np.float32)
    pads = [
        padding_amounts(image.shape[0], kh, sr, padding)[::-1],
        padding_amounts(image.shape[1], kw, sc, padding)[::-1],
    ]
    windows = sliding_window_view(np.pad(image.astype(dtype), pads), (kh, kw))[::sr, ::sc]
    return np.einsum("ijuv,uv->ij", windows, kernel.astype(dtype))


def correlate2d__integer_output(
    image: np.ndarray,
    kernel: np.ndarray,
    stride: int | tuple[int, int] = 1,
    padding: str = "valid",
) -> np.ndarray:
    """Computes in the inputs' type: integer images give integer results."""
    image = as_real_array(image, "image", ("height", "width"))
    kernel = as_real_array(kernel, "kernel", ("kernel height", "kernel width"))
    (sr, sc) = as_pair(stride, "stride")
    padding = as_padding(padding)
    (kh, kw) = kernel.shape
    if padding == "valid" and (kh > image.shape[0] or kw > image.shape[1]):
        raise ValueError(
            f"kernel of shape {kernel.shape} is larger than image of shape {image.shape}"
        )
    dtype = np.result_type(image, kernel)
    pads = [
        padding_amounts(image.shape[0], kh, sr, padding),
        padding_amounts(image.shape[1], kw, sc, padding),
    ]
    windows = sliding_window_view(np.pad(image.astype(dtype), pads), (kh, kw))[::sr, ::sc]
    return np.einsum("ijuv,uv->ij", windows, kernel.astype(dtype))


def correlate2d__always_float32(
    image: np.ndarray,
    kernel: np.ndarray,
    stride: int | tuple[int, int] = 1,
    padding: str = "valid",
) -> np.ndarray:
    """Always computes in float32, as Keras does by default, losing float64 precision."""
    image = as_real_array(image, "image", ("height", "width"))
    kernel = as_real_array(kernel, "kernel", ("kernel height", "kernel width"))
    (sr, sc) = as_pair(stride, "stride")
    padding = as_padding(padding)
    (kh, kw) = kernel.shape
    if padding == "valid" and (kh > image.shape[0] or kw > image.shape[1]):
        raise ValueError(
            f"kernel of shape {kernel.shape} is larger than image of shape {image.shape}"
        )
    dtype = np.float32
    pads = [
        padding_amounts(image.shape[0], kh, sr, padding),
        padding_amounts(image.shape[1], kw, sc, padding),
    ]
    windows = sliding_window_view(np.pad(image.astype(dtype), pads), (kh, kw))[::sr, ::sc]
    return np.einsum("ijuv,uv->ij", windows, kernel.astype(dtype))


def correlate2d__transposed_output(
    image: np.ndarray,
    kernel: np.ndarray,
    stride: int | tuple[int, int] = 1,
    padding: str = "valid",
) -> np.ndarray:
    """Indexes the output as (column, row): the result comes back transposed."""
    image = as_real_array(image, "image", ("height", "width"))
    kernel = as_real_array(kernel, "kernel", ("kernel height", "kernel width"))
    (sr, sc) = as_pair(stride, "stride")
    padding = as_padding(padding)
    (kh, kw) = kernel.shape
    if padding == "valid" and (kh > image.shape[0] or kw > image.shape[1]):
        raise ValueError(
            f"kernel of shape {kernel.shape} is larger than image of shape {image.shape}"
        )
    dtype = np.result_type(image, kernel, np.float32)
    pads = [
        padding_amounts(image.shape[0], kh, sr, padding),
        padding_amounts(image.shape[1], kw, sc, padding),
    ]
    windows = sliding_window_view(np.pad(image.astype(dtype), pads), (kh, kw))[::sr, ::sc]
    return np.einsum("ijuv,uv->ji", windows, kernel.astype(dtype))


def correlate2d__nan_accepted(
    image: np.ndarray,
    kernel: np.ndarray,
    stride: int | tuple[int, int] = 1,
    padding: str = "valid",
) -> np.ndarray:
    """Checks the number of axes but not that the values are finite."""
    image, kernel = np.asarray(image), np.asarray(kernel)
    if image.ndim != 2 or kernel.ndim != 2:
        raise ValueError("image and kernel must be 2-D arrays")
    (sr, sc) = as_pair(stride, "stride")
    padding = as_padding(padding)
    (kh, kw) = kernel.shape
    if padding == "valid" and (kh > image.shape[0] or kw > image.shape[1]):
        raise ValueError(
            f"kernel of shape {kernel.shape} is larger than image of shape {image.shape}"
        )
    dtype = np.result_type(image, kernel, np.float32)
    pads = [
        padding_amounts(image.shape[0], kh, sr, padding),
        padding_amounts(image.shape[1], kw, sc, padding),
    ]
    windows = sliding_window_view(np.pad(image.astype(dtype), pads), (kh, kw))[::sr, ::sc]
    return np.einsum("ijuv,uv->ij", windows, kernel.astype(dtype))


def correlate2d__kernel_size_unchecked(
    image: np.ndarray,
    kernel: np.ndarray,
    stride: int | tuple[int, int] = 1,
    padding: str = "valid",
) -> np.ndarray:
    """Does not check that a 'valid' kernel fits inside the image."""
    image = as_real_array(image, "image", ("height", "width"))
    kernel = as_real_array(kernel, "kernel", ("kernel height", "kernel width"))
    (sr, sc) = as_pair(stride, "stride")
    padding = as_padding(padding)
    (kh, kw) = kernel.shape
    dtype = np.result_type(image, kernel, np.float32)
    pads = [
        padding_amounts(image.shape[0], kh, sr, padding),
        padding_amounts(image.shape[1], kw, sc, padding),
    ]
    windows = sliding_window_view(np.pad(image.astype(dtype), pads), (kh, kw))[::sr, ::sc]
    return np.einsum("ijuv,uv->ij", windows, kernel.astype(dtype))


def correlate2d__stride_unchecked(
    image: np.ndarray,
    kernel: np.ndarray,
    stride: int | tuple[int, int] = 1,
    padding: str = "valid",
) -> np.ndarray:
    """Takes the stride as given: zero, negative or fractional strides slip through."""
    image = as_real_array(image, "image", ("height", "width"))
    kernel = as_real_array(kernel, "kernel", ("kernel height", "kernel width"))
    (sr, sc) = (stride, stride) if np.isscalar(stride) else stride
    padding = as_padding(padding)
    (kh, kw) = kernel.shape
    if padding == "valid" and (kh > image.shape[0] or kw > image.shape[1]):
        raise ValueError(
            f"kernel of shape {kernel.shape} is larger than image of shape {image.shape}"
        )
    dtype = np.result_type(image, kernel, np.float32)
    pads = [
        padding_amounts(image.shape[0], kh, sr, padding),
        padding_amounts(image.shape[1], kw, sc, padding),
    ]
    windows = sliding_window_view(np.pad(image.astype(dtype), pads), (kh, kw))[::sr, ::sc]
    return np.einsum("ijuv,uv->ij", windows, kernel.astype(dtype))


def convolve2d__not_flipped(
    image: np.ndarray,
    kernel: np.ndarray,
    stride: int | tuple[int, int] = 1,
    padding: str = "valid",
) -> np.ndarray:
    """Does not flip the kernel: that is cross-correlation."""
    kernel = as_real_array(kernel, "kernel", ("kernel height", "kernel width"))
    return correlate2d(image, kernel, stride=stride, padding=padding)


def convolve2d__rows_flipped_only(
    image: np.ndarray,
    kernel: np.ndarray,
    stride: int | tuple[int, int] = 1,
    padding: str = "valid",
) -> np.ndarray:
    """Flips the kernel upside down only (kernel[::-1])."""
    kernel = as_real_array(kernel, "kernel", ("kernel height", "kernel width"))
    return correlate2d(image, kernel[::-1], stride=stride, padding=padding)


def convolve2d__columns_flipped_only(
    image: np.ndarray,
    kernel: np.ndarray,
    stride: int | tuple[int, int] = 1,
    padding: str = "valid",
) -> np.ndarray:
    """Flips the kernel left to right only (kernel[:, ::-1])."""
    kernel = as_real_array(kernel, "kernel", ("kernel height", "kernel width"))
    return correlate2d(image, kernel[:, ::-1], stride=stride, padding=padding)


def convolve2d__transposed_kernel(
    image: np.ndarray,
    kernel: np.ndarray,
    stride: int | tuple[int, int] = 1,
    padding: str = "valid",
) -> np.ndarray:
    """Transposes the kernel instead of flipping it."""
    kernel = as_real_array(kernel, "kernel", ("kernel height", "kernel width"))
    return correlate2d(image, kernel.T, stride=stride, padding=padding)


def convolve2d__rotated_90(
    image: np.ndarray,
    kernel: np.ndarray,
    stride: int | tuple[int, int] = 1,
    padding: str = "valid",
) -> np.ndarray:
    """Rotates the kernel by 90° (np.rot90) instead of 180°."""
    kernel = as_real_array(kernel, "kernel", ("kernel height", "kernel width"))
    return correlate2d(image, np.rot90(kernel), stride=stride, padding=padding)


def convolve2d__flipped_output(
    image: np.ndarray,
    kernel: np.ndarray,
    stride: int | tuple[int, int] = 1,
    padding: str = "valid",
) -> np.ndarray:
    """Flips the output instead of the kernel."""
    kernel = as_real_array(kernel, "kernel", ("kernel height", "kernel width"))
    return correlate2d(image, kernel, stride=stride, padding=padding)[::-1, ::-1]


def convolve2d__flipped_image(
    image: np.ndarray,
    kernel: np.ndarray,
    stride: int | tuple[int, int] = 1,
    padding: str = "valid",
) -> np.ndarray:
    """Flips the image instead of the kernel."""
    image = as_real_array(image, "image", ("height", "width"))
    kernel = as_real_array(kernel, "kernel", ("kernel height", "kernel width"))
    return correlate2d(image[::-1, ::-1], kernel, stride=stride, padding=padding)


def convolve2d__stride_ignored(
    image: np.ndarray,
    kernel: np.ndarray,
    stride: int | tuple[int, int] = 1,
    padding: str = "valid",
) -> np.ndarray:
    """Does not pass the stride on to correlate2d."""
    kernel = as_real_array(kernel, "kernel", ("kernel height", "kernel width"))
    return correlate2d(image, kernel[::-1, ::-1], padding=padding)


def convolve2d__padding_ignored(
    image: np.ndarray,
    kernel: np.ndarray,
    stride: int | tuple[int, int] = 1,
    padding: str = "valid",
) -> np.ndarray:
    """Does not pass the padding on to correlate2d."""
    kernel = as_real_array(kernel, "kernel", ("kernel height", "kernel width"))
    return correlate2d(image, kernel[::-1, ::-1], stride=stride)


def convolve2d__flips_callers_kernel(
    image: np.ndarray,
    kernel: np.ndarray,
    stride: int | tuple[int, int] = 1,
    padding: str = "valid",
) -> np.ndarray:
    """Flips the caller's kernel in place instead of a copy."""
    kernel = as_real_array(kernel, "kernel", ("kernel height", "kernel width"))
    kernel[...] = kernel[::-1, ::-1].copy()
    return correlate2d(image, kernel, stride=stride, padding=padding)


def convolve2d__flips_before_checking(
    image: np.ndarray,
    kernel: np.ndarray,
    stride: int | tuple[int, int] = 1,
    padding: str = "valid",
) -> np.ndarray:
    """Flips the kernel before checking it: a 1-D kernel raises IndexError."""
    kernel = np.asarray(kernel)[::-1, ::-1]
    return correlate2d(image, kernel, stride=stride, padding=padding)


def edge_kernel__prewitt(direction: str) -> np.ndarray:
    """Smooths with [1, 1, 1] (Prewitt) instead of Sobel's [1, 2, 1]."""
    if direction not in ("left", "right", "top", "bottom"):
        raise ValueError(f"direction must be 'left', 'right', 'top' or 'bottom'; got {direction!r}")
    smooth = np.array([1.0, 1.0, 1.0])
    rise = np.array([-1.0, 0.0, 1.0])
    kernels = {
        "left": np.outer(smooth, rise),
        "right": -np.outer(smooth, rise),
        "top": np.outer(rise, smooth),
        "bottom": -np.outer(rise, smooth),
    }
    return kernels[direction]


def edge_kernel__scharr(direction: str) -> np.ndarray:
    """Uses Scharr's weights [3, 10, 3] instead of Sobel's [1, 2, 1]."""
    if direction not in ("left", "right", "top", "bottom"):
        raise ValueError(f"direction must be 'left', 'right', 'top' or 'bottom'; got {direction!r}")
    smooth = np.array([3.0, 10.0, 3.0])
    rise = np.array([-1.0, 0.0, 1.0])
    kernels = {
        "left": np.outer(smooth, rise),
        "right": -np.outer(smooth, rise),
        "top": np.outer(rise, smooth),
        "bottom": -np.outer(rise, smooth),
    }
    return kernels[direction]


def edge_kernel__divided_by_8(direction: str) -> np.ndarray:
    """Normalises the kernel by 1/8, as some textbooks do."""
    if direction not in ("left", "right", "top", "bottom"):
        raise ValueError(f"direction must be 'left', 'right', 'top' or 'bottom'; got {direction!r}")
    smooth = np.array([1.0, 2.0, 1.0])
    rise = np.array([-1.0, 0.0, 1.0])
    kernels = {
        "left": np.outer(smooth, rise),
        "right": -np.outer(smooth, rise),
        "top": np.outer(rise, smooth),
        "bottom": -np.outer(rise, smooth),
    }
    return kernels[direction] / 8.0


def edge_kernel__left_right_swapped(direction: str) -> np.ndarray:
    """Swaps 'left' and 'right': the sign of the vertical edges is reversed."""
    if direction not in ("left", "right", "top", "bottom"):
        raise ValueError(f"direction must be 'left', 'right', 'top' or 'bottom'; got {direction!r}")
    smooth = np.array([1.0, 2.0, 1.0])
    rise = np.array([-1.0, 0.0, 1.0])
    kernels = {
        "left": -np.outer(smooth, rise),
        "right": np.outer(smooth, rise),
        "top": np.outer(rise, smooth),
        "bottom": -np.outer(rise, smooth),
    }
    return kernels[direction]


def edge_kernel__top_bottom_swapped(direction: str) -> np.ndarray:
    """Swaps 'top' and 'bottom': the sign of the horizontal edges is reversed."""
    if direction not in ("left", "right", "top", "bottom"):
        raise ValueError(f"direction must be 'left', 'right', 'top' or 'bottom'; got {direction!r}")
    smooth = np.array([1.0, 2.0, 1.0])
    rise = np.array([-1.0, 0.0, 1.0])
    kernels = {
        "left": np.outer(smooth, rise),
        "right": -np.outer(smooth, rise),
        "top": -np.outer(rise, smooth),
        "bottom": np.outer(rise, smooth),
    }
    return kernels[direction]


def edge_kernel__rows_and_columns_swapped(direction: str) -> np.ndarray:
    """Differentiates along the wrong axis: 'left' finds top edges."""
    if direction not in ("left", "right", "top", "bottom"):
        raise ValueError(f"direction must be 'left', 'right', 'top' or 'bottom'; got {direction!r}")
    smooth = np.array([1.0, 2.0, 1.0])
    rise = np.array([-1.0, 0.0, 1.0])
    kernels = {
        "left": np.outer(rise, smooth),
        "right": -np.outer(rise, smooth),
        "top": np.outer(smooth, rise),
        "bottom": -np.outer(smooth, rise),
    }
    return kernels[direction]


def edge_kernel__integer_dtype(direction: str) -> np.ndarray:
    """Builds the kernel from integers: an int64 array."""
    if direction not in ("left", "right", "top", "bottom"):
        raise ValueError(f"direction must be 'left', 'right', 'top' or 'bottom'; got {direction!r}")
    smooth = np.array([1, 2, 1])
    rise = np.array([-1, 0, 1])
    kernels = {
        "left": np.outer(smooth, rise),
        "right": -np.outer(smooth, rise),
        "top": np.outer(rise, smooth),
        "bottom": -np.outer(rise, smooth),
    }
    return kernels[direction]


def edge_kernel__float32(direction: str) -> np.ndarray:
    """Returns float32 kernels instead of float64."""
    if direction not in ("left", "right", "top", "bottom"):
        raise ValueError(f"direction must be 'left', 'right', 'top' or 'bottom'; got {direction!r}")
    smooth = np.array([1.0, 2.0, 1.0])
    rise = np.array([-1.0, 0.0, 1.0])
    kernels = {
        "left": np.outer(smooth, rise),
        "right": -np.outer(smooth, rise),
        "top": np.outer(rise, smooth),
        "bottom": -np.outer(rise, smooth),
    }
    return kernels[direction].astype(np.float32)


def edge_kernel__key_error(direction: str) -> np.ndarray:
    """Looks the direction up without checking it: unknown ones raise KeyError."""
    smooth = np.array([1.0, 2.0, 1.0])
    rise = np.array([-1.0, 0.0, 1.0])
    kernels = {
        "left": np.outer(smooth, rise),
        "right": -np.outer(smooth, rise),
        "top": np.outer(rise, smooth),
        "bottom": -np.outer(rise, smooth),
    }
    return kernels[direction]


def edge_kernel__unknown_direction_is_left(direction: str) -> np.ndarray:
    """Falls back to 'left' for an unknown direction instead of refusing it."""
    smooth = np.array([1.0, 2.0, 1.0])
    rise = np.array([-1.0, 0.0, 1.0])
    kernels = {
        "left": np.outer(smooth, rise),
        "right": -np.outer(smooth, rise),
        "top": np.outer(rise, smooth),
        "bottom": -np.outer(rise, smooth),
    }
    return kernels.get(direction, kernels["left"])


def conv2d__bias_ignored(
    images: np.ndarray,
    kernels: np.ndarray,
    bias: np.ndarray | None = None,
    stride: int | tuple[int, int] = 1,
    padding: str = "valid",
) -> np.ndarray:
    """Never adds the bias."""
    images = as_real_array(images, "images", ("batch", "height", "width", "channels"))
    kernels = as_real_array(
        kernels, "kernels", ("kernel height", "kernel width", "input channels", "output channels")
    )
    if kernels.shape[2] != images.shape[3]:
        raise ValueError(
            f"kernels have {kernels.shape[2]} input channels, images {images.shape[3]}"
        )
    if bias is not None:
        bias = as_real_array(bias, "bias", ("output channels",))
        if bias.shape[0] != kernels.shape[3]:
            raise ValueError(f"bias must have {kernels.shape[3]} values; got shape {bias.shape}")
    (sr, sc) = as_pair(stride, "stride")
    padding = as_padding(padding)
    (height, width), (kh, kw) = images.shape[1:3], kernels.shape[:2]
    if padding == "valid" and (kh > height or kw > width):
        raise ValueError(
            f"kernels of size {kh}×{kw} are larger than images of size {height}×{width}"
        )
    dtype = np.result_type(images, kernels, np.float32)
    pads = [padding_amounts(height, kh, sr, padding), padding_amounts(width, kw, sc, padding)]
    padded = np.pad(images.astype(dtype), [(0, 0), *pads, (0, 0)])
    windows = sliding_window_view(padded, (kh, kw), axis=(1, 2))[:, ::sr, ::sc]
    out = np.einsum("nijduv,uvdc->nijc", windows, kernels.astype(dtype))
    return out


def conv2d__flipped_kernels(
    images: np.ndarray,
    kernels: np.ndarray,
    bias: np.ndarray | None = None,
    stride: int | tuple[int, int] = 1,
    padding: str = "valid",
) -> np.ndarray:
    """Flips the kernels on both spatial axes: that is convolution."""
    images = as_real_array(images, "images", ("batch", "height", "width", "channels"))
    kernels = as_real_array(
        kernels, "kernels", ("kernel height", "kernel width", "input channels", "output channels")
    )
    if kernels.shape[2] != images.shape[3]:
        raise ValueError(
            f"kernels have {kernels.shape[2]} input channels, images {images.shape[3]}"
        )
    if bias is not None:
        bias = as_real_array(bias, "bias", ("output channels",))
        if bias.shape[0] != kernels.shape[3]:
            raise ValueError(f"bias must have {kernels.shape[3]} values; got shape {bias.shape}")
    (sr, sc) = as_pair(stride, "stride")
    padding = as_padding(padding)
    (height, width), (kh, kw) = images.shape[1:3], kernels.shape[:2]
    if padding == "valid" and (kh > height or kw > width):
        raise ValueError(
            f"kernels of size {kh}×{kw} are larger than images of size {height}×{width}"
        )
    dtype = np.result_type(images, kernels, np.float32)
    pads = [padding_amounts(height, kh, sr, padding), padding_amounts(width, kw, sc, padding)]
    padded = np.pad(images.astype(dtype), [(0, 0), *pads, (0, 0)])
    windows = sliding_window_view(padded, (kh, kw), axis=(1, 2))[:, ::sr, ::sc]
    out = np.einsum("nijduv,uvdc->nijc", windows, kernels[::-1, ::-1].astype(dtype))
    return out if bias is None else out + bias.astype(dtype)


def conv2d__first_input_channel_only(
    images: np.ndarray,
    kernels: np.ndarray,
    bias: np.ndarray | None = None,
    stride: int | tuple[int, int] = 1,
    padding: str = "valid",
) -> np.ndarray:
    """Uses only the first input channel instead of summing over all."""
    images = as_real_array(images, "images", ("batch", "height", "width", "channels"))
    kernels = as_real_array(
        kernels, "kernels", ("kernel height", "kernel width", "input channels", "output channels")
    )
    if kernels.shape[2] != images.shape[3]:
        raise ValueError(
            f"kernels have {kernels.shape[2]} input channels, images {images.shape[3]}"
        )
    if bias is not None:
        bias = as_real_array(bias, "bias", ("output channels",))
        if bias.shape[0] != kernels.shape[3]:
            raise ValueError(f"bias must have {kernels.shape[3]} values; got shape {bias.shape}")
    (sr, sc) = as_pair(stride, "stride")
    padding = as_padding(padding)
    (height, width), (kh, kw) = images.shape[1:3], kernels.shape[:2]
    if padding == "valid" and (kh > height or kw > width):
        raise ValueError(
            f"kernels of size {kh}×{kw} are larger than images of size {height}×{width}"
        )
    dtype = np.result_type(images, kernels, np.float32)
    pads = [padding_amounts(height, kh, sr, padding), padding_amounts(width, kw, sc, padding)]
    padded = np.pad(images.astype(dtype), [(0, 0), *pads, (0, 0)])
    windows = sliding_window_view(padded, (kh, kw), axis=(1, 2))[:, ::sr, ::sc]
    out = np.einsum("nijuv,uvc->nijc", windows[:, :, :, 0], kernels[:, :, 0].astype(dtype))
    return out if bias is None else out + bias.astype(dtype)


def conv2d__input_channels_averaged(
    images: np.ndarray,
    kernels: np.ndarray,
    bias: np.ndarray | None = None,
    stride: int | tuple[int, int] = 1,
    padding: str = "valid",
) -> np.ndarray:
    """Averages over the input channels instead of summing them."""
    images = as_real_array(images, "images", ("batch", "height", "width", "channels"))
    kernels = as_real_array(
        kernels, "kernels", ("kernel height", "kernel width", "input channels", "output channels")
    )
    if kernels.shape[2] != images.shape[3]:
        raise ValueError(
            f"kernels have {kernels.shape[2]} input channels, images {images.shape[3]}"
        )
    if bias is not None:
        bias = as_real_array(bias, "bias", ("output channels",))
        if bias.shape[0] != kernels.shape[3]:
            raise ValueError(f"bias must have {kernels.shape[3]} values; got shape {bias.shape}")
    (sr, sc) = as_pair(stride, "stride")
    padding = as_padding(padding)
    (height, width), (kh, kw) = images.shape[1:3], kernels.shape[:2]
    if padding == "valid" and (kh > height or kw > width):
        raise ValueError(
            f"kernels of size {kh}×{kw} are larger than images of size {height}×{width}"
        )
    dtype = np.result_type(images, kernels, np.float32)
    pads = [padding_amounts(height, kh, sr, padding), padding_amounts(width, kw, sc, padding)]
    padded = np.pad(images.astype(dtype), [(0, 0), *pads, (0, 0)])
    windows = sliding_window_view(padded, (kh, kw), axis=(1, 2))[:, ::sr, ::sc]
    out = np.einsum("nijduv,uvdc->nijc", windows, kernels.astype(dtype)) / images.shape[3]
    return out if bias is None else out + bias.astype(dtype)


def conv2d__kernel_axes_transposed(
    images: np.ndarray,
    kernels: np.ndarray,
    bias: np.ndarray | None = None,
    stride: int | tuple[int, int] = 1,
    padding: str = "valid",
) -> np.ndarray:
    """Reads the kernels as (width, height, ...): rows and columns swapped."""
    images = as_real_array(images, "images", ("batch", "height", "width", "channels"))
    kernels = as_real_array(
        kernels, "kernels", ("kernel height", "kernel width", "input channels", "output channels")
    )
    kernels = kernels.transpose(1, 0, 2, 3)
    if kernels.shape[2] != images.shape[3]:
        raise ValueError(
            f"kernels have {kernels.shape[2]} input channels, images {images.shape[3]}"
        )
    if bias is not None:
        bias = as_real_array(bias, "bias", ("output channels",))
        if bias.shape[0] != kernels.shape[3]:
            raise ValueError(f"bias must have {kernels.shape[3]} values; got shape {bias.shape}")
    (sr, sc) = as_pair(stride, "stride")
    padding = as_padding(padding)
    (height, width), (kh, kw) = images.shape[1:3], kernels.shape[:2]
    if padding == "valid" and (kh > height or kw > width):
        raise ValueError(
            f"kernels of size {kh}×{kw} are larger than images of size {height}×{width}"
        )
    dtype = np.result_type(images, kernels, np.float32)
    pads = [padding_amounts(height, kh, sr, padding), padding_amounts(width, kw, sc, padding)]
    padded = np.pad(images.astype(dtype), [(0, 0), *pads, (0, 0)])
    windows = sliding_window_view(padded, (kh, kw), axis=(1, 2))[:, ::sr, ::sc]
    out = np.einsum("nijduv,uvdc->nijc", windows, kernels.astype(dtype))
    return out if bias is None else out + bias.astype(dtype)


def conv2d__stride_ignored(
    images: np.ndarray,
    kernels: np.ndarray,
    bias: np.ndarray | None = None,
    stride: int | tuple[int, int] = 1,
    padding: str = "valid",
) -> np.ndarray:
    """Ignores the stride: every window position."""
    images = as_real_array(images, "images", ("batch", "height", "width", "channels"))
    kernels = as_real_array(
        kernels, "kernels", ("kernel height", "kernel width", "input channels", "output channels")
    )
    if kernels.shape[2] != images.shape[3]:
        raise ValueError(
            f"kernels have {kernels.shape[2]} input channels, images {images.shape[3]}"
        )
    if bias is not None:
        bias = as_real_array(bias, "bias", ("output channels",))
        if bias.shape[0] != kernels.shape[3]:
            raise ValueError(f"bias must have {kernels.shape[3]} values; got shape {bias.shape}")
    (sr, sc) = as_pair(stride, "stride")
    padding = as_padding(padding)
    (height, width), (kh, kw) = images.shape[1:3], kernels.shape[:2]
    if padding == "valid" and (kh > height or kw > width):
        raise ValueError(
            f"kernels of size {kh}×{kw} are larger than images of size {height}×{width}"
        )
    dtype = np.result_type(images, kernels, np.float32)
    pads = [padding_amounts(height, kh, sr, padding), padding_amounts(width, kw, sc, padding)]
    padded = np.pad(images.astype(dtype), [(0, 0), *pads, (0, 0)])
    windows = sliding_window_view(padded, (kh, kw), axis=(1, 2))
    out = np.einsum("nijduv,uvdc->nijc", windows, kernels.astype(dtype))
    return out if bias is None else out + bias.astype(dtype)


def conv2d__stride_axes_swapped(
    images: np.ndarray,
    kernels: np.ndarray,
    bias: np.ndarray | None = None,
    stride: int | tuple[int, int] = 1,
    padding: str = "valid",
) -> np.ndarray:
    """Applies the column stride to the rows and the row stride to the columns."""
    images = as_real_array(images, "images", ("batch", "height", "width", "channels"))
    kernels = as_real_array(
        kernels, "kernels", ("kernel height", "kernel width", "input channels", "output channels")
    )
    if kernels.shape[2] != images.shape[3]:
        raise ValueError(
            f"kernels have {kernels.shape[2]} input channels, images {images.shape[3]}"
        )
    if bias is not None:
        bias = as_real_array(bias, "bias", ("output channels",))
        if bias.shape[0] != kernels.shape[3]:
            raise ValueError(f"bias must have {kernels.shape[3]} values; got shape {bias.shape}")
    (sr, sc) = as_pair(stride, "stride")
    padding = as_padding(padding)
    (height, width), (kh, kw) = images.shape[1:3], kernels.shape[:2]
    if padding == "valid" and (kh > height or kw > width):
        raise ValueError(
            f"kernels of size {kh}×{kw} are larger than images of size {height}×{width}"
        )
    dtype = np.result_type(images, kernels, np.float32)
    pads = [padding_amounts(height, kh, sr, padding), padding_amounts(width, kw, sc, padding)]
    padded = np.pad(images.astype(dtype), [(0, 0), *pads, (0, 0)])
    windows = sliding_window_view(padded, (kh, kw), axis=(1, 2))[:, ::sc, ::sr]
    out = np.einsum("nijduv,uvdc->nijc", windows, kernels.astype(dtype))
    return out if bias is None else out + bias.astype(dtype)


def conv2d__same_padding_before(
    images: np.ndarray,
    kernels: np.ndarray,
    bias: np.ndarray | None = None,
    stride: int | tuple[int, int] = 1,
    padding: str = "valid",
) -> np.ndarray:
    """Puts the odd 'same' padding row and column before the images, not after."""
    images = as_real_array(images, "images", ("batch", "height", "width", "channels"))
    kernels = as_real_array(
        kernels, "kernels", ("kernel height", "kernel width", "input channels", "output channels")
    )
    if kernels.shape[2] != images.shape[3]:
        raise ValueError(
            f"kernels have {kernels.shape[2]} input channels, images {images.shape[3]}"
        )
    if bias is not None:
        bias = as_real_array(bias, "bias", ("output channels",))
        if bias.shape[0] != kernels.shape[3]:
            raise ValueError(f"bias must have {kernels.shape[3]} values; got shape {bias.shape}")
    (sr, sc) = as_pair(stride, "stride")
    padding = as_padding(padding)
    (height, width), (kh, kw) = images.shape[1:3], kernels.shape[:2]
    if padding == "valid" and (kh > height or kw > width):
        raise ValueError(
            f"kernels of size {kh}×{kw} are larger than images of size {height}×{width}"
        )
    dtype = np.result_type(images, kernels, np.float32)
    pads = [
        padding_amounts(height, kh, sr, padding)[::-1],
        padding_amounts(width, kw, sc, padding)[::-1],
    ]
    padded = np.pad(images.astype(dtype), [(0, 0), *pads, (0, 0)])
    windows = sliding_window_view(padded, (kh, kw), axis=(1, 2))[:, ::sr, ::sc]
    out = np.einsum("nijduv,uvdc->nijc", windows, kernels.astype(dtype))
    return out if bias is None else out + bias.astype(dtype)


def conv2d__padding_ignored(
    images: np.ndarray,
    kernels: np.ndarray,
    bias: np.ndarray | None = None,
    stride: int | tuple[int, int] = 1,
    padding: str = "valid",
) -> np.ndarray:
    """Never pads: 'same' computes 'valid' windows."""
    images = as_real_array(images, "images", ("batch", "height", "width", "channels"))
    kernels = as_real_array(
        kernels, "kernels", ("kernel height", "kernel width", "input channels", "output channels")
    )
    if kernels.shape[2] != images.shape[3]:
        raise ValueError(
            f"kernels have {kernels.shape[2]} input channels, images {images.shape[3]}"
        )
    if bias is not None:
        bias = as_real_array(bias, "bias", ("output channels",))
        if bias.shape[0] != kernels.shape[3]:
            raise ValueError(f"bias must have {kernels.shape[3]} values; got shape {bias.shape}")
    (sr, sc) = as_pair(stride, "stride")
    padding = as_padding(padding)
    (height, width), (kh, kw) = images.shape[1:3], kernels.shape[:2]
    if padding == "valid" and (kh > height or kw > width):
        raise ValueError(
            f"kernels of size {kh}×{kw} are larger than images of size {height}×{width}"
        )
    dtype = np.result_type(images, kernels, np.float32)
    pads = [(0, 0), (0, 0)]
    padded = np.pad(images.astype(dtype), [(0, 0), *pads, (0, 0)])
    windows = sliding_window_view(padded, (kh, kw), axis=(1, 2))[:, ::sr, ::sc]
    out = np.einsum("nijduv,uvdc->nijc", windows, kernels.astype(dtype))
    return out if bias is None else out + bias.astype(dtype)


def conv2d__integer_output(
    images: np.ndarray,
    kernels: np.ndarray,
    bias: np.ndarray | None = None,
    stride: int | tuple[int, int] = 1,
    padding: str = "valid",
) -> np.ndarray:
    """Computes in the inputs' type: integer images and kernels give integers."""
    images = as_real_array(images, "images", ("batch", "height", "width", "channels"))
    kernels = as_real_array(
        kernels, "kernels", ("kernel height", "kernel width", "input channels", "output channels")
    )
    if kernels.shape[2] != images.shape[3]:
        raise ValueError(
            f"kernels have {kernels.shape[2]} input channels, images {images.shape[3]}"
        )
    if bias is not None:
        bias = as_real_array(bias, "bias", ("output channels",))
        if bias.shape[0] != kernels.shape[3]:
            raise ValueError(f"bias must have {kernels.shape[3]} values; got shape {bias.shape}")
    (sr, sc) = as_pair(stride, "stride")
    padding = as_padding(padding)
    (height, width), (kh, kw) = images.shape[1:3], kernels.shape[:2]
    if padding == "valid" and (kh > height or kw > width):
        raise ValueError(
            f"kernels of size {kh}×{kw} are larger than images of size {height}×{width}"
        )
    dtype = np.result_type(images, kernels)
    pads = [padding_amounts(height, kh, sr, padding), padding_amounts(width, kw, sc, padding)]
    padded = np.pad(images.astype(dtype), [(0, 0), *pads, (0, 0)])
    windows = sliding_window_view(padded, (kh, kw), axis=(1, 2))[:, ::sr, ::sc]
    out = np.einsum("nijduv,uvdc->nijc", windows, kernels.astype(dtype))
    return out if bias is None else out + bias.astype(dtype)


def conv2d__channel_count_unchecked(
    images: np.ndarray,
    kernels: np.ndarray,
    bias: np.ndarray | None = None,
    stride: int | tuple[int, int] = 1,
    padding: str = "valid",
) -> np.ndarray:
    """Does not check that kernels and images have the same channel count."""
    images = as_real_array(images, "images", ("batch", "height", "width", "channels"))
    kernels = as_real_array(
        kernels, "kernels", ("kernel height", "kernel width", "input channels", "output channels")
    )
    if bias is not None:
        bias = as_real_array(bias, "bias", ("output channels",))
        if bias.shape[0] != kernels.shape[3]:
            raise ValueError(f"bias must have {kernels.shape[3]} values; got shape {bias.shape}")
    (sr, sc) = as_pair(stride, "stride")
    padding = as_padding(padding)
    (height, width), (kh, kw) = images.shape[1:3], kernels.shape[:2]
    if padding == "valid" and (kh > height or kw > width):
        raise ValueError(
            f"kernels of size {kh}×{kw} are larger than images of size {height}×{width}"
        )
    dtype = np.result_type(images, kernels, np.float32)
    pads = [padding_amounts(height, kh, sr, padding), padding_amounts(width, kw, sc, padding)]
    padded = np.pad(images.astype(dtype), [(0, 0), *pads, (0, 0)])
    windows = sliding_window_view(padded, (kh, kw), axis=(1, 2))[:, ::sr, ::sc]
    out = np.einsum("nijduv,uvdc->nijc", windows, kernels.astype(dtype))
    return out if bias is None else out + bias.astype(dtype)


def conv2d__bias_length_unchecked(
    images: np.ndarray,
    kernels: np.ndarray,
    bias: np.ndarray | None = None,
    stride: int | tuple[int, int] = 1,
    padding: str = "valid",
) -> np.ndarray:
    """Does not check that the bias has one value per output channel."""
    images = as_real_array(images, "images", ("batch", "height", "width", "channels"))
    kernels = as_real_array(
        kernels, "kernels", ("kernel height", "kernel width", "input channels", "output channels")
    )
    if kernels.shape[2] != images.shape[3]:
        raise ValueError(
            f"kernels have {kernels.shape[2]} input channels, images {images.shape[3]}"
        )
    if bias is not None:
        bias = np.asarray(bias)
    (sr, sc) = as_pair(stride, "stride")
    padding = as_padding(padding)
    (height, width), (kh, kw) = images.shape[1:3], kernels.shape[:2]
    if padding == "valid" and (kh > height or kw > width):
        raise ValueError(
            f"kernels of size {kh}×{kw} are larger than images of size {height}×{width}"
        )
    dtype = np.result_type(images, kernels, np.float32)
    pads = [padding_amounts(height, kh, sr, padding), padding_amounts(width, kw, sc, padding)]
    padded = np.pad(images.astype(dtype), [(0, 0), *pads, (0, 0)])
    windows = sliding_window_view(padded, (kh, kw), axis=(1, 2))[:, ::sr, ::sc]
    out = np.einsum("nijduv,uvdc->nijc", windows, kernels.astype(dtype))
    return out if bias is None else out + bias.astype(dtype)
