"""Wrong implementations of ps1_filters' graded functions: mistakes the tests must catch.

Each mutant edits the body of its reference in :mod:`solutions.filters`; it may use the
names the assignment's setup cell imports and the graded functions of earlier cells.
"""

from __future__ import annotations

from autograder.mutants import Edit, Mutant

MUTANTS = (
    # correlate2d
    Mutant(
        "correlate2d",
        "flipped_kernel",
        "Slides the kernel flipped on both axes: that is convolution.",
        (Edit("kernel.astype(dtype).tolist()", "kernel[::-1, ::-1].astype(dtype).tolist()"),),
    ),
    Mutant(
        "correlate2d",
        "one_window_short",
        "Counts (n - k) // stride windows per axis, one too few.",
        (
            Edit(
                "    rows = output_size(image.shape[0], kh, sr, padding)\n"
                "    cols = output_size(image.shape[1], kw, sc, padding)\n",
                "",
            ),
            Edit(
                "    out = np.zeros(",
                "    rows, cols = (padded.shape[0] - kh) // sr, (padded.shape[1] - kw) // sc\n"
                "    out = np.zeros(",
            ),
        ),
    ),
    Mutant(
        "correlate2d",
        "stride_ignored",
        "Ignores the stride: every window position, padded as for stride 1.",
        (Edit("(sr, sc), (kh, kw) = strides,", "(sr, sc), (kh, kw) = (1, 1),"),),
    ),
    Mutant(
        "correlate2d",
        "row_stride_for_both_axes",
        "Steps both axes by the row stride: stride=(1, 2) acts as 1.",
        (Edit("(sr, sc), (kh, kw) = strides,", "(sr, sc), (kh, kw) = (strides[0], strides[0]),"),),
    ),
    Mutant(
        "correlate2d",
        "same_padding_for_stride_one",
        "Pads 'same' as for stride 1, then keeps every stride-th output.",
        (
            Edit(
                "padding_amounts(image.shape[0], kh, sr,", "padding_amounts(image.shape[0], kh, 1,"
            ),
            Edit(
                "padding_amounts(image.shape[1], kw, sc,", "padding_amounts(image.shape[1], kw, 1,"
            ),
        ),
    ),
    Mutant(
        "correlate2d",
        "same_padding_before",
        "Puts the odd 'same' padding row and column before the image, not after.",
        (Edit("padding),\n", "padding)[::-1],\n", times=2),),
    ),
    Mutant(
        "correlate2d",
        "integer_output",
        "Computes in the inputs' type: integer images give integer results.",
        (Edit("np.result_type(image, kernel, np.float32)", "np.result_type(image, kernel)"),),
    ),
    Mutant(
        "correlate2d",
        "always_float32",
        "Always computes in float32, as Keras does by default, losing float64 precision.",
        (Edit("dtype = np.result_type(image, kernel, np.float32)", "dtype = np.float32"),),
    ),
    Mutant(
        "correlate2d",
        "transposed_output",
        "Indexes the output as (column, row): the result comes back transposed.",
        (Edit("return out", "return out.T"),),
    ),
    Mutant(
        "correlate2d",
        "nan_accepted",
        "Checks the number of axes but not that the values are finite.",
        (
            Edit(
                '    image = as_real_array(image, "image", ("height", "width"))\n'
                '    kernel = as_real_array(kernel, "kernel", ("kernel height", "kernel width"))\n',
                "    image, kernel = np.asarray(image), np.asarray(kernel)\n"
                "    if image.ndim != 2 or kernel.ndim != 2:\n"
                '        raise ValueError("image and kernel must be 2-D arrays")\n',
            ),
        ),
    ),
    Mutant(
        "correlate2d",
        "kernel_size_unchecked",
        "Does not check that a 'valid' kernel fits inside the image.",
        (
            Edit(
                '    if padding == "valid" and (\n'
                "        kernel.shape[0] > image.shape[0] or kernel.shape[1] > image.shape[1]\n"
                "    ):\n"
                "        raise ValueError(\n"
                '            f"kernel of shape {kernel.shape} is larger than image of shape '
                '{image.shape}; "\n'
                "            \"use a smaller kernel or padding='same'\"\n"
                "        )\n",
                "",
            ),
        ),
    ),
    Mutant(
        "correlate2d",
        "stride_unchecked",
        "Takes the stride as given: zero, negative or fractional strides slip through.",
        (
            Edit(
                'as_pair(stride, "stride")',
                "(stride, stride) if np.isscalar(stride) else stride",
            ),
        ),
    ),
    # convolve2d
    Mutant(
        "convolve2d",
        "not_flipped",
        "Does not flip the kernel: that is cross-correlation.",
        (Edit("kernel[::-1, ::-1]", "kernel"),),
    ),
    Mutant(
        "convolve2d",
        "rows_flipped_only",
        "Flips the kernel upside down only (kernel[::-1]).",
        (Edit("kernel[::-1, ::-1]", "kernel[::-1]"),),
    ),
    Mutant(
        "convolve2d",
        "columns_flipped_only",
        "Flips the kernel left to right only (kernel[:, ::-1]).",
        (Edit("kernel[::-1, ::-1]", "kernel[:, ::-1]"),),
    ),
    Mutant(
        "convolve2d",
        "transposed_kernel",
        "Transposes the kernel instead of flipping it.",
        (Edit("kernel[::-1, ::-1]", "kernel.T"),),
    ),
    Mutant(
        "convolve2d",
        "rotated_90",
        "Rotates the kernel by 90° (np.rot90) instead of 180°.",
        (Edit("kernel[::-1, ::-1]", "np.rot90(kernel)"),),
    ),
    Mutant(
        "convolve2d",
        "flipped_output",
        "Flips the output instead of the kernel.",
        (
            Edit(
                "kernel[::-1, ::-1], stride=stride, padding=padding)",
                "kernel, stride=stride, padding=padding)[::-1, ::-1]",
            ),
        ),
    ),
    Mutant(
        "convolve2d",
        "flipped_image",
        "Flips the image instead of the kernel.",
        (
            Edit(
                "    return correlate2d(image, kernel[::-1, ::-1],",
                '    image = as_real_array(image, "image", ("height", "width"))\n'
                "    return correlate2d(image[::-1, ::-1], kernel,",
            ),
        ),
    ),
    Mutant(
        "convolve2d",
        "stride_ignored",
        "Does not pass the stride on to correlate2d.",
        (Edit(" stride=stride,", ""),),
    ),
    Mutant(
        "convolve2d",
        "padding_ignored",
        "Does not pass the padding on to correlate2d.",
        (Edit(", padding=padding", ""),),
    ),
    Mutant(
        "convolve2d",
        "flips_callers_kernel",
        "Flips the caller's kernel in place instead of a copy.",
        (
            Edit(
                "    return correlate2d(image, kernel[::-1, ::-1],",
                "    kernel[...] = kernel[::-1, ::-1].copy()\n"
                "    return correlate2d(image, kernel,",
            ),
        ),
    ),
    Mutant(
        "convolve2d",
        "flips_before_checking",
        "Flips the kernel before checking it: a 1-D kernel raises IndexError.",
        (
            Edit(
                'as_real_array(kernel, "kernel", ("kernel height", "kernel width"))',
                "np.asarray(kernel)[::-1, ::-1]",
            ),
            Edit("correlate2d(image, kernel[::-1, ::-1],", "correlate2d(image, kernel,"),
        ),
    ),
    # edge_kernel
    Mutant(
        "edge_kernel",
        "prewitt",
        "Smooths with [1, 1, 1] (Prewitt) instead of Sobel's [1, 2, 1].",
        (Edit("[1.0, 2.0, 1.0]", "[1.0, 1.0, 1.0]"),),
    ),
    Mutant(
        "edge_kernel",
        "scharr",
        "Uses Scharr's weights [3, 10, 3] instead of Sobel's [1, 2, 1].",
        (Edit("[1.0, 2.0, 1.0]", "[3.0, 10.0, 3.0]"),),
    ),
    Mutant(
        "edge_kernel",
        "divided_by_8",
        "Normalises the kernel by 1/8, as some textbooks do.",
        (Edit("return kernels[direction]", "return kernels[direction] / 8.0"),),
    ),
    Mutant(
        "edge_kernel",
        "left_right_swapped",
        "Swaps 'left' and 'right': the sign of the vertical edges is reversed.",
        (
            Edit('"left": np.outer', '"left": -np.outer'),
            Edit('"right": -np.outer', '"right": np.outer'),
        ),
    ),
    Mutant(
        "edge_kernel",
        "top_bottom_swapped",
        "Swaps 'top' and 'bottom': the sign of the horizontal edges is reversed.",
        (
            Edit('"top": np.outer', '"top": -np.outer'),
            Edit('"bottom": -np.outer', '"bottom": np.outer'),
        ),
    ),
    Mutant(
        "edge_kernel",
        "rows_and_columns_swapped",
        "Differentiates along the wrong axis: 'left' finds top edges.",
        (
            Edit("smooth = np.array([1.0, 2.0, 1.0])", "smooth = np.array([-1.0, 0.0, 1.0])"),
            Edit("rise = np.array([-1.0, 0.0, 1.0])", "rise = np.array([1.0, 2.0, 1.0])"),
        ),
    ),
    Mutant(
        "edge_kernel",
        "integer_dtype",
        "Builds the kernel from integers: an int64 array.",
        (Edit("[1.0, 2.0, 1.0]", "[1, 2, 1]"), Edit("[-1.0, 0.0, 1.0]", "[-1, 0, 1]")),
    ),
    Mutant(
        "edge_kernel",
        "float32",
        "Returns float32 kernels instead of float64.",
        (Edit("return kernels[direction]", "return kernels[direction].astype(np.float32)"),),
    ),
    Mutant(
        "edge_kernel",
        "key_error",
        "Looks the direction up without checking it: unknown ones raise KeyError.",
        (
            Edit(
                "    if not isinstance(direction, str) or direction not in kernels:\n"
                '        raise ValueError(f"direction must be one of {tuple(kernels)}; '
                'got {direction!r}")\n',
                "",
            ),
        ),
    ),
    Mutant(
        "edge_kernel",
        "unknown_direction_is_left",
        "Falls back to 'left' for an unknown direction instead of refusing it.",
        (
            Edit(
                "    if not isinstance(direction, str) or direction not in kernels:\n"
                '        raise ValueError(f"direction must be one of {tuple(kernels)}; '
                'got {direction!r}")\n'
                "    return kernels[direction]",
                '    return kernels.get(direction, kernels["left"])',
            ),
        ),
    ),
    # conv2d
    Mutant(
        "conv2d",
        "bias_ignored",
        "Never adds the bias.",
        (
            Edit(
                "    if bias is not None:\n        out += bias.astype(dtype, copy=False)\n",
                "",
            ),
        ),
    ),
    Mutant(
        "conv2d",
        "flipped_kernels",
        "Flips the kernels on both spatial axes: that is convolution.",
        (Edit("kernels.astype(dtype,", "kernels[::-1, ::-1].astype(dtype,"),),
    ),
    Mutant(
        "conv2d",
        "first_input_channel_only",
        "Uses only the first input channel instead of summing over all.",
        (
            Edit(
                '"nijduv,uvdc->nijc", windows, kernels.astype(',
                '"nijuv,uvc->nijc", windows[:, :, :, 0], kernels[:, :, 0].astype(',
            ),
        ),
    ),
    Mutant(
        "conv2d",
        "input_channels_averaged",
        "Averages over the input channels instead of summing them.",
        (Edit("optimize=True)", "optimize=True) / images.shape[3]"),),
    ),
    Mutant(
        "conv2d",
        "kernel_axes_transposed",
        "Reads the kernels as (width, height, ...): rows and columns swapped.",
        (
            Edit(
                "    if kernels.shape[2] != images.shape[3]:",
                "    kernels = kernels.transpose(1, 0, 2, 3)\n"
                "    if kernels.shape[2] != images.shape[3]:",
            ),
        ),
    ),
    Mutant(
        "conv2d",
        "stride_ignored",
        "Ignores the stride: every window position.",
        (Edit("[:, ::sr, ::sc]", ""),),
    ),
    Mutant(
        "conv2d",
        "stride_axes_swapped",
        "Applies the column stride to the rows and the row stride to the columns.",
        (Edit("[:, ::sr, ::sc]", "[:, ::sc, ::sr]"),),
    ),
    Mutant(
        "conv2d",
        "same_padding_before",
        "Puts the odd 'same' padding row and column before the images, not after.",
        (Edit(", padding)", ", padding)[::-1]", times=2),),
    ),
    Mutant(
        "conv2d",
        "padding_ignored",
        "Never pads: 'same' computes 'valid' windows.",
        (Edit("np.pad(images.astype(dtype), [(0, 0), *pads, (0, 0)])", "images.astype(dtype)"),),
    ),
    Mutant(
        "conv2d",
        "integer_output",
        "Computes in the inputs' type: integer images and kernels give integers.",
        (Edit("np.result_type(images, kernels, np.float32)", "np.result_type(images, kernels)"),),
    ),
    Mutant(
        "conv2d",
        "channel_count_unchecked",
        "Does not check that kernels and images have the same channel count.",
        (
            Edit(
                "    if kernels.shape[2] != images.shape[3]:\n"
                "        raise ValueError(\n"
                '            f"kernels have {kernels.shape[2]} input channels (axis 2) but images '
                'have "\n'
                '            f"{images.shape[3]} channels (axis 3)"\n'
                "        )\n",
                "",
            ),
        ),
    ),
    Mutant(
        "conv2d",
        "bias_length_unchecked",
        "Does not check that the bias has one value per output channel.",
        (
            Edit(
                '        bias = as_real_array(bias, "bias", ("output channels",))\n'
                "        if bias.shape[0] != kernels.shape[3]:\n"
                "            raise ValueError(\n"
                '                f"bias must have shape ({kernels.shape[3]},), one value per '
                'output channel; "\n'
                '                f"got shape {bias.shape}"\n'
                "            )\n",
                "        bias = np.asarray(bias)\n",
            ),
        ),
    ),
)
