"""Wrong implementations of ps2_pooling's graded functions: mistakes the tests must catch.

Each mutant edits the body of its reference in :mod:`solutions.pooling`; it may use the
names the assignment's setup cell imports.
"""

from __future__ import annotations

from autograder.mutants import Edit, Mutant

# Mistakes that max_pool2d and avg_pool2d (some also count_distinct_after_pooling) share.
STEPS = 'steps = as_pair(window if stride is None else stride, "stride")'
STRIDE_IGNORED = Edit(STEPS, f"{STEPS}\n    steps = window")
STRIDE_DEFAULTS_TO_ONE = Edit("window if stride is None", "1 if stride is None")
ROW_STRIDE_FOR_BOTH_AXES = Edit(STEPS, f"{STEPS}\n    steps = (steps[0], steps[0])")
SQUARE_WINDOW_ONLY = Edit(
    "as_pair(pool_size,", "as_pair(pool_size if np.isscalar(pool_size) else pool_size[0],"
)
NAN_ACCEPTED = Edit(
    'x = as_real_array(x, "x", ("height", "width"))',
    "x = np.asarray(x)\n"
    "    if x.ndim != 2:\n"
    '        raise ValueError(f"x must be a 2-D array; got shape {x.shape}")',
)
ONE_WINDOW_SHORT = Edit(
    "    (sr, sc) = steps\n",
    "    (sr, sc) = steps\n"
    "    rows, cols = (padded.shape[0] - window[0]) // sr, (padded.shape[1] - window[1]) // sc\n",
)
#: The reference's padding, and 'same' padding by hand with the odd row and column before
#: x (the edit then pads x with ``pads``).
PADDED = "padded, (rows, cols) = pad_for_windows(x, window, steps, padding, fill="
PADS_BEFORE = (
    "_, (rows, cols) = pad_for_windows(x, window, steps, padding)\n"
    "    extra = [\n"
    "        max((m - 1) * s + k - n, 0)\n"
    "        for m, n, k, s in zip((rows, cols), x.shape, window, steps, strict=True)\n"
    "    ]\n"
    "    pads = [(e - e // 2, e // 2) for e in extra]\n"
    "    dtype = np.result_type(x, np.float32)\n"
)
#: One window offset (u, v) of the loops, sliced out of a padded map.
WINDOW = "[u : u + rows * sr : sr, v : v + cols * sc : sc]"

# max_pool2d_backward's mistakes that send gradient to every position of a window, each
# weighted (the reference sends it to the window's first maximum only).
EVERY_POSITION = (
    Edit(
        "windows.argmax(axis=-1)  # argmax returns the first of tied maxima",
        "np.arange(ph * pw)  # every position of each window",
    ),
    Edit("[:, np.newaxis] * sr", "[:, np.newaxis, np.newaxis] * sr"),
    Edit("[np.newaxis, :] * sc", "[np.newaxis, :, np.newaxis] * sc"),
)
TIES = "(windows == windows.max(axis=-1, keepdims=True))"

MUTANTS = (
    # max_pool2d
    Mutant(
        "max_pool2d",
        "zero_padding",
        "Pads 'same' with zeros, which beat negative values.",
        (Edit("fill=-np.inf", "fill=0.0"),),
    ),
    Mutant(
        "max_pool2d",
        "average_instead",
        "Averages each window instead of taking its maximum.",
        (
            Edit("np.full((rows, cols), -np.inf,", "np.zeros((rows, cols),"),
            Edit("np.maximum(", "np.add("),
            Edit("return out", "return out / (window[0] * window[1])"),
        ),
    ),
    Mutant(
        "max_pool2d",
        "stride_ignored",
        "Checks the stride, then always steps by the pool size.",
        (STRIDE_IGNORED,),
    ),
    Mutant(
        "max_pool2d",
        "stride_defaults_to_one",
        "Defaults the stride to 1 instead of the pool size.",
        (STRIDE_DEFAULTS_TO_ONE,),
    ),
    Mutant(
        "max_pool2d",
        "one_window_short",
        "Counts (n - k) // stride windows per axis, one too few.",
        (ONE_WINDOW_SHORT,),
    ),
    Mutant(
        "max_pool2d",
        "same_padding_before",
        "Puts the odd 'same' padding row and column before x, not after.",
        (
            Edit(
                f"{PADDED}-np.inf)\n",
                f"{PADS_BEFORE}"
                "    padded = np.pad(x.astype(dtype), pads, constant_values=-np.inf)\n",
            ),
        ),
    ),
    Mutant(
        "max_pool2d",
        "transposed_output",
        "Returns the pooled map transposed.",
        (Edit("return out", "return out.T"),),
    ),
    Mutant(
        "max_pool2d",
        "square_window_only",
        "Uses the first pool size for both axes: (2, 3) pools 2×2.",
        (SQUARE_WINDOW_ONLY,),
    ),
    Mutant(
        "max_pool2d",
        "integer_output",
        "Returns x's dtype: integer maps give integer results.",
        (Edit("return out", "return out.astype(x.dtype)"),),
    ),
    Mutant(
        "max_pool2d",
        "nan_accepted",
        "Checks the number of axes but not that the values are finite.",
        (NAN_ACCEPTED,),
    ),
    Mutant(
        "max_pool2d",
        "row_stride_for_both_axes",
        "Steps both axes by the row stride: stride=(1, 2) acts as 1.",
        (ROW_STRIDE_FOR_BOTH_AXES,),
    ),
    Mutant(
        "max_pool2d",
        "padding_ignored",
        "Never pads: 'same' pools like 'valid'.",
        (Edit("steps, padding,", 'steps, "valid" if padding == "same" else padding,'),),
    ),
    # avg_pool2d
    Mutant(
        "avg_pool2d",
        "max_instead",
        "Takes each window's maximum instead of its average.",
        (
            Edit(
                "pad_for_windows(x, window, steps, padding, fill=0.0)",
                "pad_for_windows(x, window, steps, padding, fill=-np.inf)",
            ),
            Edit("sums = np.zeros((rows, cols),", "sums = np.full((rows, cols), -np.inf,"),
            Edit(f"sums += padded{WINDOW}", f"np.maximum(sums, padded{WINDOW}, out=sums)"),
            Edit("return sums / counts", "return sums"),
        ),
    ),
    Mutant(
        "avg_pool2d",
        "padding_counted",
        "Divides by the whole window's size, counting the 'same' padding.",
        (Edit("return sums / counts", "return sums / (window[0] * window[1])"),),
    ),
    Mutant(
        "avg_pool2d",
        "stride_ignored",
        "Checks the stride, then always steps by the pool size.",
        (STRIDE_IGNORED,),
    ),
    Mutant(
        "avg_pool2d",
        "stride_defaults_to_one",
        "Defaults the stride to 1 instead of the pool size.",
        (STRIDE_DEFAULTS_TO_ONE,),
    ),
    Mutant(
        "avg_pool2d",
        "one_window_short",
        "Counts (n - k) // stride windows per axis, one too few.",
        (ONE_WINDOW_SHORT,),
    ),
    Mutant(
        "avg_pool2d",
        "same_padding_before",
        "Puts the odd 'same' padding row and column before x, not after.",
        (
            Edit(
                f"{PADDED}0.0)\n"
                "    covered, _ = pad_for_windows(np.ones_like(x), window, steps, padding, "
                "fill=0.0)\n",
                f"{PADS_BEFORE}    padded = np.pad(x.astype(dtype), pads)\n"
                "    covered = np.pad(np.ones(x.shape, dtype), pads)\n",
            ),
        ),
    ),
    Mutant(
        "avg_pool2d",
        "floor_division",
        "Divides with //, rounding every average down.",
        (Edit("sums / counts", "sums // counts"),),
    ),
    Mutant(
        "avg_pool2d",
        "transposed_output",
        "Returns the pooled map transposed.",
        (Edit("return sums / counts", "return (sums / counts).T"),),
    ),
    Mutant(
        "avg_pool2d",
        "stride_area_divisor",
        "Divides each window's sum by the stride's area, not the window's.",
        (Edit("return sums / counts", "return sums / (sr * sc)"),),
    ),
    Mutant(
        "avg_pool2d",
        "square_window_only",
        "Uses the first pool size for both axes: (2, 3) pools 2×2.",
        (SQUARE_WINDOW_ONLY,),
    ),
    Mutant(
        "avg_pool2d",
        "nan_accepted",
        "Checks the number of axes but not that the values are finite.",
        (NAN_ACCEPTED,),
    ),
    # max_pool2d_backward
    Mutant(
        "max_pool2d_backward",
        "assigns_instead_of_adding",
        "Assigns (=) each window's gradient, so overlapping windows overwrite each other.",
        (
            Edit(
                "flat = np.bincount((rows * x.shape[1] + cols).ravel(), weights=dout.ravel(), "
                "minlength=x.size)",
                "flat = np.zeros(x.size)\n"
                "    flat[(rows * x.shape[1] + cols).ravel()] = dout.ravel()",
            ),
        ),
    ),
    Mutant(
        "max_pool2d_backward",
        "last_max_on_ties",
        "Sends a tied window's gradient to its last maximum instead of its first.",
        (
            Edit(
                "windows.argmax(axis=-1)  # argmax returns the first of tied maxima",
                "ph * pw - 1 - windows[..., ::-1].argmax(axis=-1)  # the last of tied maxima",
            ),
        ),
    ),
    Mutant(
        "max_pool2d_backward",
        "every_tied_max",
        "Sends the whole gradient to every tied maximum of a window.",
        (
            *EVERY_POSITION,
            Edit("weights=dout.ravel()", f"weights=(dout[..., np.newaxis] * {TIES}).ravel()"),
        ),
    ),
    Mutant(
        "max_pool2d_backward",
        "ties_share",
        "Shares a window's gradient equally between its tied maxima.",
        (
            Edit("    first_max = ", f"    ties = {TIES}\n    first_max = "),
            *EVERY_POSITION,
            Edit(
                "weights=dout.ravel()",
                "weights=(dout[..., np.newaxis] * ties / ties.sum(axis=-1, keepdims=True)).ravel()",
            ),
        ),
    ),
    Mutant(
        "max_pool2d_backward",
        "average_gradient",
        "Spreads each gradient evenly over its window (average pooling's gradient).",
        (
            *EVERY_POSITION,
            Edit("weights=dout.ravel()", "weights=np.repeat(dout.ravel() / (ph * pw), ph * pw)"),
        ),
    ),
    Mutant(
        "max_pool2d_backward",
        "stride_taken_as_pool_size",
        "Places the windows pool_size apart whatever the stride.",
        (
            Edit(
                "windows = sliding_window_view(x, (ph, pw))[::sr, ::sc]",
                "spaced = np.pad(x.astype(float), [(0, expected[0] * ph), (0, expected[1] * pw)], "
                "constant_values=-np.inf)\n"
                "    windows = sliding_window_view(spaced, (ph, pw))[::ph, ::pw][: expected[0], "
                ": expected[1]]",
            ),
            Edit("* sr + first_max", "* ph + first_max"),
            Edit("* sc + first_max", "* pw + first_max"),
        ),
    ),
    Mutant(
        "max_pool2d_backward",
        "window_index_decoded_with_height",
        "Decodes the flat argmax with the window's height instead of its width.",
        (Edit("first_max // pw", "first_max // ph"), Edit("first_max % pw", "first_max % ph")),
    ),
    Mutant(
        "max_pool2d_backward",
        "dout_shape_unchecked",
        "Does not check dout's shape: extra gradients are silently dropped.",
        (
            Edit(
                "    if dout.shape != expected:\n"
                "        raise ValueError(\n"
                "            f\"dout must have the pooled output's shape {expected} for x of shape "
                '{x.shape}, "\n'
                '            f"pool_size {(ph, pw)} and stride {(sr, sc)}; '
                'got shape {dout.shape}"\n'
                "        )\n",
                "",
            ),
            Edit("weights=dout.ravel()", "weights=dout[: expected[0], : expected[1]].ravel()"),
        ),
    ),
    Mutant(
        "max_pool2d_backward",
        "accumulates_in_input_dtype",
        "Accumulates in np.zeros_like(x): integer x truncates the gradient.",
        (
            Edit(
                "return flat.reshape(x.shape).astype(np.result_type(dout, x, np.float32))",
                "grad = np.zeros_like(x)\n    grad[...] = flat.reshape(x.shape)\n    return grad",
            ),
        ),
    ),
    Mutant(
        "max_pool2d_backward",
        "always_float64",
        "Accumulates in float64 whatever the inputs: float32 in gives float64 out.",
        (Edit(".astype(np.result_type(dout, x, np.float32))", ""),),
    ),
    # count_distinct_after_pooling
    Mutant(
        "count_distinct_after_pooling",
        "counts_before_pooling",
        "Counts the distinct images themselves, without pooling them.",
        (Edit("blocks.max(axis=(2, 4)).reshape", "images.reshape"),),
    ),
    Mutant(
        "count_distinct_after_pooling",
        "average_pooling",
        "Average-pools the images instead of max-pooling them.",
        (Edit("blocks.max(", "blocks.mean("),),
    ),
    Mutant(
        "count_distinct_after_pooling",
        "overlapping_windows",
        "Pools with stride 1 (overlapping windows) instead of stride pool_size.",
        (
            Edit(
                "images[:, : rows * ph, : cols * pw].reshape(n, rows, ph, cols, pw)",
                "sliding_window_view(images, (ph, pw), axis=(1, 2))",
            ),
            Edit("blocks.max(axis=(2, 4))", "blocks.max(axis=(3, 4))"),
        ),
    ),
    Mutant(
        "count_distinct_after_pooling",
        "compares_bytes",
        "Compares the pooled images' bytes, so -0.0 and 0.0 differ.",
        (
            Edit(" + 0.0  # + 0.0 makes -0.0 equal to 0.0", ""),
            Edit(
                "int(np.unique(pooled, axis=0).shape[0])",
                "len({image.tobytes() for image in pooled})",
            ),
        ),
    ),
    Mutant(
        "count_distinct_after_pooling",
        "leftover_pooled_too",
        "Pools the leftover rows and columns too, in smaller windows.",
        (
            Edit("height // ph, width // pw", "-(-height // ph), -(-width // pw)"),
            Edit(
                "images[:, : rows * ph, : cols * pw]",
                "np.pad(images.astype(float), [(0, 0), (0, rows * ph - height), "
                "(0, cols * pw - width)], constant_values=-np.inf)",
            ),
        ),
    ),
    Mutant(
        "count_distinct_after_pooling",
        "square_window_only",
        "Uses the first pool size for both axes: (2, 3) pools 2×2.",
        (SQUARE_WINDOW_ONLY,),
    ),
    Mutant(
        "count_distinct_after_pooling",
        "counts_distinct_values",
        "Counts the distinct pooled values instead of the distinct pooled images.",
        (Edit("int(np.unique(pooled, axis=0).shape[0])", "len(np.unique(pooled))"),),
    ),
    Mutant(
        "count_distinct_after_pooling",
        "blocks_reshaped_wrong",
        "Reshapes to (n, rows, cols, ph, pw): windows mix pixels of different blocks.",
        (
            Edit("reshape(n, rows, ph, cols, pw)", "reshape(n, rows, cols, ph, pw)"),
            Edit("blocks.max(axis=(2, 4))", "blocks.max(axis=(3, 4))"),
        ),
    ),
    Mutant(
        "count_distinct_after_pooling",
        "rounds_before_comparing",
        "Rounds the pooled values to 6 decimals, merging images that differ by less.",
        (Edit("np.unique(pooled, axis=0)", "np.unique(np.round(pooled, 6), axis=0)"),),
    ),
    Mutant(
        "count_distinct_after_pooling",
        "pool_size_unchecked",
        "Does not check that the window fits in the images.",
        (
            Edit(
                "    if ph > height or pw > width:\n"
                "        raise ValueError(f\"pool_size {(ph, pw)} is larger than the images' size "
                '{(height, width)}")\n',
                "",
            ),
        ),
    ),
)
