"""Reference filters: 2-D cross-correlation, convolution, batched Conv2D and edge kernels.

Each function is written to stand alone in a notebook cell (the assignments lift
them from here), using only numpy and the course's shared checks and geometry.
Nothing loops over pixels: :func:`correlate2d` sums one shifted, strided slice of
the (padded) image per kernel weight; :func:`conv2d` multiplies a strided view of
all windows with the weights in a single ``einsum``.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from course.geometry import output_size, padding_amounts
from course.validation import as_padding, as_pair, as_real_array

__all__ = ["conv2d", "convolve2d", "correlate2d", "edge_kernel"]


def correlate2d(
    image: np.ndarray,
    kernel: np.ndarray,
    stride: int | tuple[int, int] = 1,
    padding: str = "valid",
) -> np.ndarray:
    """2-D cross-correlation of one image with one kernel, as Keras ``Conv2D`` computes it.

    ``out[i, j] = sum over (u, v) of kernel[u, v] * padded[i*stride + u, j*stride + v]``.

    Parameters
    ----------
    image : array_like, shape (H, W)
        Real, finite values.
    kernel : array_like, shape (kh, kw)
        Real, finite weights; at most the image's size when ``padding="valid"``.
    stride : int or (int, int), default 1
        Step between windows, for rows and columns.
    padding : {"valid", "same"}, default "valid"
        ``"valid"``: windows inside the image only. ``"same"``: zero padding with
        TensorFlow's rule, output ``ceil(H / stride)`` × ``ceil(W / stride)``.

    Returns
    -------
    numpy.ndarray, shape (H', W')
        A new array of dtype ``numpy.result_type(image, kernel, numpy.float32)``: float32
        when neither input is wider than float32 (float32, float16, bool, 8- or 16-bit
        integers), float64 when either is float64 or a 32- or 64-bit integer — a float32
        image with an integer kernel gives float64.

    Raises
    ------
    TypeError
        If ``image`` or ``kernel`` holds values that are not real numbers (strings,
        complex numbers, objects), or ``stride`` is not an integer or a pair of integers.
    ValueError
        If ``image`` or ``kernel`` is not 2-D, is empty, or holds NaN or infinity; if
        ``stride`` is below 1; if ``padding`` is neither ``"valid"`` nor ``"same"``; if the
        kernel is taller or wider than the image with ``padding="valid"``.

    See Also
    --------
    convolve2d : the same with the kernel flipped.
    scipy.signal.correlate2d : the oracle for ``padding="valid"``, ``stride=1``.

    Examples
    --------
    The example of d2l.ai, section 7.2:

    >>> correlate2d(np.arange(9.0).reshape(3, 3), [[0, 1], [2, 3]])
    array([[19., 25.],
           [37., 43.]])
    >>> correlate2d(np.ones((5, 5)), np.ones((3, 3)), stride=2, padding="same")
    array([[4., 6., 4.],
           [6., 9., 6.],
           [4., 6., 4.]])
    """
    image = as_real_array(image, "image", ("height", "width"))
    kernel = as_real_array(kernel, "kernel", ("kernel height", "kernel width"))
    strides = as_pair(stride, "stride")
    padding = as_padding(padding)
    if padding == "valid" and (
        kernel.shape[0] > image.shape[0] or kernel.shape[1] > image.shape[1]
    ):
        raise ValueError(
            f"kernel of shape {kernel.shape} is larger than image of shape {image.shape}; "
            "use a smaller kernel or padding='same'"
        )
    dtype = np.result_type(image, kernel, np.float32)
    (sr, sc), (kh, kw) = strides, kernel.shape
    rows = output_size(image.shape[0], kh, sr, padding)
    cols = output_size(image.shape[1], kw, sc, padding)
    pads = [
        padding_amounts(image.shape[0], kh, sr, padding),
        padding_amounts(image.shape[1], kw, sc, padding),
    ]
    padded = (
        np.pad(image.astype(dtype), pads) if padding == "same" else image.astype(dtype, copy=False)
    )
    weights = kernel.astype(dtype).tolist()  # Python floats: the fastest scalars to multiply by
    out = np.zeros((rows, cols), dtype=dtype)
    for u in range(kh):
        for v in range(kw):
            out += weights[u][v] * padded[u : u + rows * sr : sr, v : v + cols * sc : sc]
    return out


def convolve2d(
    image: np.ndarray,
    kernel: np.ndarray,
    stride: int | tuple[int, int] = 1,
    padding: str = "valid",
) -> np.ndarray:
    """2-D convolution in the mathematical sense: cross-correlation with the flipped kernel.

    Parameters are those of :func:`correlate2d`.

    Returns
    -------
    numpy.ndarray, shape (H', W')
        The shape and dtype :func:`correlate2d` gives for the same arguments.

    Raises
    ------
    TypeError
        In the cases where :func:`correlate2d` raises it: non-real ``image`` or ``kernel``
        values, a ``stride`` that is not an integer or a pair of integers.
    ValueError
        In the cases where :func:`correlate2d` raises it: an ``image`` or ``kernel`` that
        is not 2-D, empty, NaN or infinite; a ``stride`` below 1; an unknown ``padding``;
        a kernel larger than the image with ``padding="valid"``.

    See Also
    --------
    scipy.signal.convolve2d : the oracle for ``padding="valid"``, ``stride=1``.

    Examples
    --------
    Flipping matters for a kernel that is not symmetric:

    >>> image = np.arange(9.0).reshape(3, 3)
    >>> convolve2d(image, [[0, 1], [2, 3]])
    array([[ 5., 11.],
           [23., 29.]])
    >>> correlate2d(image, [[3, 2], [1, 0]])
    array([[ 5., 11.],
           [23., 29.]])
    """
    kernel = as_real_array(kernel, "kernel", ("kernel height", "kernel width"))
    return correlate2d(image, kernel[::-1, ::-1], stride=stride, padding=padding)


def conv2d(
    images: np.ndarray,
    kernels: np.ndarray,
    bias: np.ndarray | None = None,
    stride: int | tuple[int, int] = 1,
    padding: str = "valid",
) -> np.ndarray:
    """Batched, multi-channel cross-correlation: the forward pass of Keras ``Conv2D``.

    ``out[n, i, j, c] = bias[c] + sum over (u, v, d) of
    kernels[u, v, d, c] * padded[n, i*stride + u, j*stride + v, d]``.

    Parameters
    ----------
    images : array_like, shape (N, H, W, C_in)
        A batch of images, channels last.
    kernels : array_like, shape (kh, kw, C_in, C_out)
        Weights in Keras' layout (``layer.kernel``).
    bias : array_like, shape (C_out,), optional
        Added to every output position; no bias when None.
    stride : int or (int, int), default 1
    padding : {"valid", "same"}, default "valid"
        As in :func:`correlate2d`.

    Returns
    -------
    numpy.ndarray, shape (N, H', W', C_out)
        A new array of dtype ``numpy.result_type(images, kernels, numpy.float32)`` (float32
        for float32 images and kernels); ``bias`` is converted to that dtype, so a float64
        bias added to float32 weights still gives float32.

    Raises
    ------
    TypeError
        If ``images``, ``kernels`` or ``bias`` holds values that are not real numbers, or
        ``stride`` is not an integer or a pair of integers.
    ValueError
        If ``images`` or ``kernels`` is not 4-D or ``bias`` not 1-D, or any of them is
        empty or holds NaN or infinity; if the kernels' input channels (axis 2) differ
        from the images' channels (axis 3); if ``bias`` does not hold one value per output
        channel; if ``stride`` is below 1; if ``padding`` is unknown; if the kernel is
        larger than the images with ``padding="valid"``.

    Examples
    --------
    Two filters on one 3×3 single-channel image: a sum and the d2l kernel.

    >>> image = np.arange(9.0).reshape(1, 3, 3, 1)
    >>> kernels = np.stack([np.ones((2, 2)), [[0, 1], [2, 3]]], axis=-1)[:, :, np.newaxis, :]
    >>> conv2d(image, kernels, bias=[0.0, 100.0])[0, :, :, 1]
    array([[119., 125.],
           [137., 143.]])
    """
    images = as_real_array(images, "images", ("batch", "height", "width", "channels"))
    kernels = as_real_array(
        kernels, "kernels", ("kernel height", "kernel width", "input channels", "output channels")
    )
    if kernels.shape[2] != images.shape[3]:
        raise ValueError(
            f"kernels have {kernels.shape[2]} input channels (axis 2) but images have "
            f"{images.shape[3]} channels (axis 3)"
        )
    if bias is not None:
        bias = as_real_array(bias, "bias", ("output channels",))
        if bias.shape[0] != kernels.shape[3]:
            raise ValueError(
                f"bias must have shape ({kernels.shape[3]},), one value per output channel; "
                f"got shape {bias.shape}"
            )
    strides = as_pair(stride, "stride")
    padding = as_padding(padding)
    height, width = images.shape[1:3]
    kh, kw = kernels.shape[:2]
    if padding == "valid" and (kh > height or kw > width):
        raise ValueError(
            f"kernels of size {kh}×{kw} are larger than images of size {height}×{width}; "
            "use smaller kernels or padding='same'"
        )
    dtype = np.result_type(images, kernels, np.float32)
    (sr, sc) = strides
    pads = [padding_amounts(height, kh, sr, padding), padding_amounts(width, kw, sc, padding)]
    padded = np.pad(images.astype(dtype), [(0, 0), *pads, (0, 0)])
    # windows[n, i, j, d, u, v] = padded[n, i*stride + u, j*stride + v, d]: a view, no copy.
    windows = sliding_window_view(padded, (kh, kw), axis=(1, 2))[:, ::sr, ::sc]
    out = np.einsum("nijduv,uvdc->nijc", windows, kernels.astype(dtype, copy=False), optimize=True)
    if bias is not None:
        out += bias.astype(dtype, copy=False)
    return out


def edge_kernel(direction: str) -> np.ndarray:
    """A 3×3 Sobel kernel that finds one of the four stroke edges of a bright digit.

    Parameters
    ----------
    direction : {"left", "right", "top", "bottom"}
        ``"left"`` responds positively where brightness rises from left to right (the
        left edge of a bright stroke), ``"right"`` where it falls; ``"top"`` where it
        rises from top to bottom, ``"bottom"`` where it falls.

    Returns
    -------
    numpy.ndarray, shape (3, 3)
        A new float64 array whose entries sum to zero, for use with :func:`correlate2d`.

    Raises
    ------
    ValueError
        If ``direction`` is not one of the four strings above (a value that is not a
        string, such as ``1`` or ``None``, raises it too).

    Notes
    -----
    Built as an outer product of a smoothing ``[1, 2, 1]`` and a difference
    ``[-1, 0, 1]``; ``"left"`` is::

        [[-1, 0, 1],
         [-2, 0, 2],
         [-1, 0, 1]]

    References
    ----------
    I. Sobel and G. Feldman, "A 3x3 isotropic gradient operator for image processing" (1968).

    Examples
    --------
    >>> edge_kernel("top")
    array([[-1., -2., -1.],
           [ 0.,  0.,  0.],
           [ 1.,  2.,  1.]])
    >>> step = np.repeat([[0.0, 0.0, 1.0, 1.0]], 3, axis=0)  # dark, then bright
    >>> correlate2d(step, edge_kernel("left")), correlate2d(step, edge_kernel("right"))
    (array([[4., 4.]]), array([[-4., -4.]]))
    """
    smooth = np.array([1.0, 2.0, 1.0])
    rise = np.array([-1.0, 0.0, 1.0])
    kernels = {
        "left": np.outer(smooth, rise),
        "right": -np.outer(smooth, rise),
        "top": np.outer(rise, smooth),
        "bottom": -np.outer(rise, smooth),
    }
    if not isinstance(direction, str) or direction not in kernels:
        raise ValueError(f"direction must be one of {tuple(kernels)}; got {direction!r}")
    return kernels[direction]
