# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Lesson 1 — Hand convolution
#
# We compute by hand, with numpy, what a Keras `Conv2D` layer computes, turn a handwritten
# "7" into four edge maps, and check every step against SciPy and Keras.
#
# The course answers a classic learner question: *"we carefully extract edges with filters,
# then max pooling throws the pixels away (25×25 → 2×2!) — why not go straight to max
# pooling?"* Before we can weigh pooling against filtering, we need to know exactly what a
# filter does to an image. That is this lesson; pooling comes in lesson 2.

# %% [markdown]
# ## Setup

# %%
import course  # noqa: F401  (first: it silences TensorFlow's start-up logs)

import time

import keras
import matplotlib.pyplot as plt
import numpy as np
import scipy.signal
from matplotlib.patches import Rectangle

from course.data import load_digits, the_seven
from course.edges import EDGE_DIRECTIONS
from course.geometry import output_size, padding_amounts
from course.key_numbers import key_numbers
from course.plotting import plot_feature_maps

rng = np.random.default_rng(0)  # the lesson's only source of randomness

# %% [markdown]
# ## Images are arrays
#
# A grey-scale image is a 2-D array of brightness values. The course uses real handwritten
# digits (MNIST): 28×28 pixels, scaled to [0, 1], with a bright stroke on a dark background.
# One "7" serves as the running example in every lesson.

# %%
(x_train, y_train), (x_test, y_test) = load_digits()
seven = the_seven()
print(f"training images: {x_train.shape}, test images: {x_test.shape}, dtype {x_train.dtype}")
print(f"the 7: shape {seven.shape}, values from {seven.min():.2f} to {seven.max():.2f}")
print(f"background (exactly 0): {np.mean(seven == 0):.0%} of its pixels")

# %% [markdown]
# The picture and the numbers behind it are the same thing. The orange box marks a crop
# where the top bar of the 7 meets its diagonal stroke; below the picture, the crop is
# printed as a table.

# %%
crop_rows, crop_cols = slice(6, 14), slice(14, 24)  # where the bar meets the diagonal

figure, axis = plt.subplots(figsize=(4.5, 4.5))
shown = axis.imshow(seven, cmap="gray")
axis.add_patch(
    Rectangle(
        (crop_cols.start - 0.5, crop_rows.start - 0.5),
        crop_cols.stop - crop_cols.start,
        crop_rows.stop - crop_rows.start,
        fill=False,
        edgecolor="orange",
        linewidth=2,
        label="crop printed below",
    )
)
axis.set(title='The course\'s "7" (28×28 pixels)', xlabel="column", ylabel="row")
axis.legend(loc="lower right")
figure.colorbar(shown, ax=axis, shrink=0.8, label="brightness")
plt.show()

with np.printoptions(precision=2, suppress=True, linewidth=120):
    rows_shown = f"rows {crop_rows.start}..{crop_rows.stop - 1}"
    print(f"{rows_shown}, columns {crop_cols.start}..{crop_cols.stop - 1}:")
    print(seven[crop_rows, crop_cols])

# %% [markdown]
# ## Cross-correlation with explicit loops
#
# A 2-D filter slides a small array of weights, the **kernel** $K$ (size $k_h \times k_w$),
# over the image $X$. At each position it multiplies the kernel with the patch under it and
# adds up the products:
#
# $$Y[i, j] = \sum_{u=0}^{k_h-1} \sum_{v=0}^{k_w-1} K[u, v]\, X[i+u,\, j+v].$$
#
# This is **cross-correlation**. Written directly, it is two loops over the output positions
# (the version of [d2l.ai, section 7.2](https://d2l.ai/chapter_convolutional-neural-networks/conv-layer.html)):


# %%
def corr2d_loops(image, kernel):
    """Teaching code: 'valid' cross-correlation, one output pixel at a time."""
    kh, kw = kernel.shape
    out = np.zeros((image.shape[0] - kh + 1, image.shape[1] - kw + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(image[i : i + kh, j : j + kw] * kernel)
    return out


d2l_image = np.arange(9.0).reshape(3, 3)
d2l_kernel = np.array([[0.0, 1.0], [2.0, 3.0]])
d2l_expected = np.array([[19.0, 25.0], [37.0, 43.0]])  # the result printed in d2l.ai
d2l_result = corr2d_loops(d2l_image, d2l_kernel)
print("image:\n", d2l_image, "\nkernel:\n", d2l_kernel, "\nresult:\n", d2l_result)
print("equals d2l.ai's published result:", np.array_equal(d2l_result, d2l_expected))

# %% [markdown]
# ## Vectorised: one shifted slice per kernel weight
#
# The loops visit every output pixel, which is slow in Python. Swap the order of the sums:
# for each kernel weight $K[u, v]$, the products $K[u, v]\,X[i+u, j+v]$ over all output
# positions $(i, j)$ form one **shifted slice** of the image, `X[u : u + H', v : v + W']`,
# times a single number. The output is the sum of $k_h k_w$ such slices — for a 3×3 kernel,
# nine array operations, whatever the size of the image. Here are the four slices of the
# d2l example:

# %%
out_rows, out_cols = d2l_image.shape[0] - 1, d2l_image.shape[1] - 1
total = np.zeros((out_rows, out_cols))
for u in range(2):
    for v in range(2):
        piece = d2l_kernel[u, v] * d2l_image[u : u + out_rows, v : v + out_cols]
        print(f"K[{u},{v}] = {d2l_kernel[u, v]:.0f} × slice starting at ({u},{v}):", piece.tolist())
        total += piece
print(
    "sum of the slices:", total.tolist(), "— same as the loops:", np.array_equal(total, d2l_result)
)

# %% [markdown]
# **Exercise (ps1_filters).** Implement `correlate2d(image, kernel, stride=1, padding="valid")`: the
# cross-correlation of a 2-D image with a 2-D kernel, as a sum of shifted (and, for a stride
# above 1, strided) slices — no loop over pixels. `padding="valid"` keeps only windows inside
# the image; `padding="same"` pads with zeros by TensorFlow's rule: output
# `ceil(H / stride)` rows, the padding split with the extra row at the bottom (this lesson
# derives it further on). Return a floating-point array, and raise a clear error for bad
# input (wrong number of axes, NaN, a kernel larger than the image with `"valid"`, …).

# %% tags=["exercise"]
# Exercise (graded in ps1_filters): implement correlate2d(image, kernel, stride=1, padding="valid").
from solutions import correlate2d

# %% [markdown]
# The vectorised version must agree with the loops, on the d2l example and on the real 7
# with a random 3×3 kernel. We also time both on the 7.

# %%
random_kernel = rng.normal(size=(3, 3))
print("d2l example:", correlate2d(d2l_image, d2l_kernel).tolist())

loops_map = corr2d_loops(seven, random_kernel)
vectorised_map = correlate2d(seven, random_kernel)
loops_vs_vectorised_max_error = float(np.max(np.abs(loops_map - vectorised_map)))
print(f"on the 7: max |loops − vectorised| = {loops_vs_vectorised_max_error:.2e}")


def best_time(function, repeats=5):
    """The fastest of a few runs, in seconds (the least disturbed by other work)."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


loops_seconds = best_time(lambda: corr2d_loops(seven, random_kernel))
vectorised_seconds = best_time(lambda: correlate2d(seven, random_kernel))
print(
    f"time per 28×28 image: loops {loops_seconds * 1e3:.2f} ms, "
    f"vectorised {vectorised_seconds * 1e3:.3f} ms "
    f"({loops_seconds / vectorised_seconds:.0f}× faster)"
)

# %% [markdown]
# ## Convolution flips the kernel; Keras' "convolution" does not
#
# In mathematics and signal processing, **convolution** flips the kernel in both directions
# before sliding it:
#
# $$(X * K)[i, j] = \sum_{u, v} K[k_h - 1 - u,\, k_w - 1 - v]\, X[i+u,\, j+v],$$
#
# so `convolve2d(x, k) == correlate2d(x, k[::-1, ::-1])`. Deep-learning libraries,
# Keras' `Conv2D` included, compute cross-correlation and call it convolution. For a
# *learned* kernel the difference does not matter: flipping maps kernels one-to-one onto
# kernels, so whatever one convention can learn, the other learns flipped. For a *hand-made*
# kernel it matters whenever the kernel is not symmetric under a half-turn.
#
# **Exercise (ps1_filters).** Implement `convolve2d(image, kernel, stride=1,
# padding="valid")`, the true convolution, with the same arguments and errors as
# `correlate2d` (hint: one line).

# %% tags=["exercise"]
# Exercise (graded in ps1_filters): implement convolve2d(image, kernel, stride=1, padding="valid").
from solutions import convolve2d

# %% [markdown]
# Three measurements with the 7: convolution equals correlation with the flipped kernel;
# for the (asymmetric) random kernel, convolution and correlation differ; for a kernel that
# is symmetric under a half-turn, they coincide.

# %%
flipped = random_kernel[::-1, ::-1]
symmetric_kernel = random_kernel + flipped  # unchanged by a half-turn
checks = {
    "convolve(k) vs correlate(flipped k)": convolve2d(seven, random_kernel)
    - correlate2d(seven, flipped),
    "convolve(k) vs correlate(k), asymmetric k": convolve2d(seven, random_kernel)
    - correlate2d(seven, random_kernel),
    "convolve(k) vs correlate(k), symmetric k": convolve2d(seven, symmetric_kernel)
    - correlate2d(seven, symmetric_kernel),
}
for name, difference in checks.items():
    print(f"{name:<44} max |difference| = {np.max(np.abs(difference)):.3g}")
print(f"for scale: max |correlate(k)| on the 7 = {np.max(np.abs(vectorised_map)):.3g}")

# %% [markdown]
# ## Padding, stride and the output size
#
# A window of size $k$ fits $n - k + 1$ times along an axis of length $n$, so a "valid"
# correlation shrinks the image. Two knobs change that:
#
# * **stride** $s$: move the window $s$ pixels at a time;
# * **padding**: add zeros around the image. Keras' `"same"` padding adds just enough to get
#   $\lceil n/s \rceil$ outputs.
#
# | padding | output size $n_\text{out}$ | zeros added in all |
# |---|---|---|
# | `"valid"` | $\lfloor (n - k)/s \rfloor + 1$ | none |
# | `"same"` | $\lceil n/s \rceil$ | $p = \max((n_\text{out} - 1)s + k - n,\ 0)$ |
#
# With `"same"`, TensorFlow puts $\lfloor p/2 \rfloor$ zeros before and the rest after: when
# $p$ is odd, the extra zero goes at the **bottom/right** (checked against Keras at the end
# of the lesson). `course.geometry` holds these formulas (`output_size`, `padding_amounts`);
# the table checks them against the shapes `correlate2d` actually returns.

# %%
kernel_size = 3
rows = []
for n in (28, 7):
    for stride in (1, 2, 3):
        for padding in ("valid", "same"):
            formula = output_size(n, kernel_size, stride, padding)
            actual = correlate2d(
                np.ones((n, n)), np.ones((kernel_size, kernel_size)), stride, padding
            )
            pads = padding_amounts(n, kernel_size, stride, padding)
            rows.append((n, stride, padding, formula, actual.shape, pads))

print(f"kernel {kernel_size}×{kernel_size}, image n×n")
header = ("n", "stride", "padding", "formula", "actual shape", "zeros (before, after)")
print(
    " ".join(f"{name:>{width}}" for name, width in zip(header, (3, 6, 8, 8, 13, 22), strict=True))
)
for n, stride, padding, formula, shape, pads in rows:
    print(f"{n:>3} {stride:>6} {padding:>8} {formula:>8} {shape!s:>13} {pads!s:>22}")
all_match = all(shape == (formula, formula) for _, _, _, formula, shape, _ in rows)
print("formula matches every actual shape:", all_match)

# %% [markdown]
# ## Four edge filters: a 7 seen as four images
#
# An **edge** is where brightness changes. The 3×3 Sobel kernel responds to a change from
# left to right: it subtracts the column on the left from the column on the right, weighting
# the centre row twice (a little smoothing along the edge). Negate it and it responds to the
# opposite change; transpose it and it responds to changes from top to bottom.
#
# **Exercise.** Implement `edge_kernel(direction)`, returning a 3×3 float array for
# `direction` in `"left"`, `"right"`, `"top"`, `"bottom"`: `"left"` responds positively
# where brightness *rises* from left to right (the left edge of a bright stroke), `"right"`
# where it falls; `"top"` where it rises from top to bottom, `"bottom"` where it falls. Build
# them as outer products of a smoothing `[1, 2, 1]` and a difference `[-1, 0, 1]`.

# %% tags=["exercise"]
# Exercise (graded in ps1_filters): implement edge_kernel(direction) for left/right/top/bottom.
from solutions import edge_kernel

# %%
kernels = {direction: edge_kernel(direction) for direction in EDGE_DIRECTIONS}
for direction, kernel in kernels.items():
    print(f"{direction}:\n{kernel.astype(int)}  (weights sum to {kernel.sum():g})")

# %% [markdown]
# Correlating the 7 with each kernel gives four **feature maps**: the network "experiences"
# the 7 as four 26×26 images, one per filter. Red marks a positive response (the filter's
# edge is there), blue a negative one (the opposite edge), white no change at all.

# %%
edge_maps = {direction: correlate2d(seven, kernel) for direction, kernel in kernels.items()}
figure = plot_feature_maps(
    seven, edge_maps, title="The 7 through four edge filters (cross-correlation, 'valid')"
)
plt.show()

print("map pixel (i, j) sees image rows i..i+2 and columns j..j+2")
for direction, edge_map in edge_maps.items():
    row, col = np.unravel_index(np.argmax(edge_map), edge_map.shape)
    print(
        f"{direction:>6}: shape {edge_map.shape}, strongest response {edge_map.max():.2f} "
        f"at (row {row}, column {col}), most negative {edge_map.min():.2f}"
    )

# %% [markdown]
# The kernels come in opposite pairs (`"right"` is minus `"left"`), so their maps do too:
# each map already holds the other's information, with the sign flipped. The classic picture
# of "a 7 seen as four edge images" shows only the **positive** responses, which is what a
# ReLU, $\max(0, y)$, keeps after the filter. After the ReLU, the maps of a pair split the
# edges between them.

# %%
relu_maps = {direction: np.maximum(edge_map, 0.0) for direction, edge_map in edge_maps.items()}
figure = plot_feature_maps(
    seven, relu_maps, title="The same maps after a ReLU: positive responses only"
)
plt.show()

for first, second in (("left", "right"), ("top", "bottom")):
    mirror = np.max(np.abs(edge_maps[first] + edge_maps[second]))
    both = int(np.sum((relu_maps[first] > 0) & (relu_maps[second] > 0)))
    either = int(np.sum((relu_maps[first] > 0) | (relu_maps[second] > 0)))
    print(
        f"{first}/{second}: max |sum of the two maps| = {mirror:.2g}; "
        f"pixels where both ReLU maps are positive: {both}, where either is: {either}"
    )

# %% [markdown]
# A filter is **shift-equivariant**: move the 7 and its edge maps move the same way, unchanged.
# (Equivariance is not invariance — the maps still *move*. Pooling, in lessons 2 and 3, is
# what buys some invariance.) Measured on the 7, shifted right by 3 pixels into its empty
# margin:

# %%
shift = 3  # pixels; the 7's rightmost columns are background, so nothing falls off
shifted_seven = np.roll(seven, shift, axis=1)
assert np.all(seven[:, -shift:] == 0), "the shift would wrap part of the stroke around"
shifted_map = correlate2d(shifted_seven, kernels["left"])
equivariance_max_error = float(
    np.max(np.abs(shifted_map[:, shift:] - edge_maps["left"][:, :-shift]))
)
print(f"max |map of shifted 7 − shifted map of 7| = {equivariance_max_error:.2g}")

# %% [markdown]
# ## A batch of digits, all four filters at once
#
# A Keras `Conv2D` layer works on batches of images with channels, shape $(N, H, W, C_\text{in})$,
# and holds its kernels as one array of shape $(k_h, k_w, C_\text{in}, C_\text{out})$: one
# output channel per filter.
#
# $$Y[n, i, j, c] = b[c] + \sum_{u, v, d} K[u, v, d, c]\, X[n, i+u, j+v, d]$$
#
# **Exercise (ps1_filters).** Implement `conv2d(images, kernels, bias=None, stride=1,
# padding="valid")`, the forward pass of `Conv2D`, with no Python loop over images or pixels
# (hint: `numpy.lib.stride_tricks.sliding_window_view` and `numpy.einsum`).

# %% tags=["exercise"]
# Exercise (graded in ps1_filters): implement conv2d(images, kernels, bias=None, stride=1,
# padding="valid"), the batched, multi-channel forward pass of Conv2D.
from solutions import conv2d

# %%
bank = np.stack([kernels[direction] for direction in EDGE_DIRECTIONS], axis=-1)  # (3, 3, 4)
batch = x_test[:1000, :, :, np.newaxis]  # (N, 28, 28, 1): one grey channel
batch_maps = conv2d(batch, bank[:, :, np.newaxis, :])
print(f"images {batch.shape} ⊛ kernels {bank[:, :, np.newaxis, :].shape} → maps {batch_maps.shape}")

checked = 100  # images re-computed one at a time, filter by filter, with correlate2d
one_by_one = np.array(
    [[correlate2d(image[:, :, 0], bank[:, :, c]) for c in range(4)] for image in batch[:checked]]
).transpose(0, 2, 3, 1)  # (N, 4, 26, 26) → (N, 26, 26, 4)
batch_max_error = float(np.max(np.abs(batch_maps[:checked] - one_by_one)))
print(f"first {checked} images: max |conv2d − correlate2d one by one| = {batch_max_error:.2g}")

# %% [markdown]
# Three digits of different classes, each as four edge maps (after a ReLU):

# %%
examples = [int(np.flatnonzero(y_test[:1000] == digit)[0]) for digit in (1, 3, 7)]
limit = float(np.max(batch_maps[examples]))  # one colour scale for all the maps
figure, axes = plt.subplots(3, 5, figsize=(11, 7), layout="constrained")
for row, index in enumerate(examples):
    axes[row, 0].imshow(batch[index, :, :, 0], cmap="gray")
    axes[row, 0].set(title=f"test image {index} (label {y_test[index]})", ylabel="row")
    for c, direction in enumerate(EDGE_DIRECTIONS):
        relu_map = np.maximum(batch_maps[index, :, :, c], 0.0)
        shown = axes[row, c + 1].imshow(relu_map, cmap="Reds", vmin=0.0, vmax=limit)
        axes[row, c + 1].set_title(f"{direction} edges (ReLU)")
for axis in axes[-1]:
    axis.set_xlabel("column")
figure.colorbar(shown, ax=axes[:, 1:], shrink=0.6, label="response")
figure.suptitle("conv2d on a batch: each digit becomes four edge maps")
plt.show()

# %% [markdown]
# ## Hand result == SciPy == Keras, shown
#
# Finally, three independent implementations of the same four edge filters on the 7: our
# `correlate2d`, `scipy.signal.correlate2d(mode="valid")`, and a `keras.layers.Conv2D` with
# four filters whose weights we set to the same kernels. The last column compares Keras with
# the true convolution (`convolve2d`), which flips each kernel — and flipping an edge kernel
# turns it into the kernel of the opposite edge.

# %%
layer = keras.layers.Conv2D(4, kernel_size, use_bias=False)
layer.build((None, 28, 28, 1))
layer.set_weights([bank[:, :, np.newaxis, :]])  # Keras' layout: (kh, kw, C_in, C_out)
keras_maps = keras.ops.convert_to_numpy(layer(seven[np.newaxis, :, :, np.newaxis]))[0]

print(f"{'filter':>8} {'|hand − scipy|':>15} {'|hand − keras|':>15} {'|flipped − keras|':>18}")
scipy_errors, keras_errors = [], []
for c, direction in enumerate(EDGE_DIRECTIONS):
    hand = edge_maps[direction]
    scipy_errors.append(
        np.max(np.abs(hand - scipy.signal.correlate2d(seven, bank[:, :, c], mode="valid")))
    )
    keras_errors.append(np.max(np.abs(hand - keras_maps[:, :, c])))
    flipped_error = np.max(np.abs(convolve2d(seven, bank[:, :, c]) - keras_maps[:, :, c]))
    print(
        f"{direction:>8} {scipy_errors[-1]:>15.2g} {keras_errors[-1]:>15.2g} {flipped_error:>18.3g}"
    )
hand_vs_scipy_max_error = float(max(scipy_errors))
hand_vs_keras_max_error = float(max(keras_errors))

# %% [markdown]
# The same check for `"same"` padding with stride 2, where the padding is uneven: a Keras
# layer against our `correlate2d`, and against the alternative that would put the extra zero
# at the top/left instead (shift the image one pixel down and right, padding it ourselves).

# %%
strided_layer = keras.layers.Conv2D(4, kernel_size, strides=2, padding="same", use_bias=False)
strided_layer.build((None, 28, 28, 1))
strided_layer.set_weights([bank[:, :, np.newaxis, :]])
strided_keras = keras.ops.convert_to_numpy(strided_layer(seven[np.newaxis, :, :, np.newaxis]))[0]
print("zeros (before, after) per axis:", padding_amounts(28, kernel_size, 2, "same"))

top_left = np.pad(seven, ((1, 0), (1, 0)))  # the extra zero before instead of after
same_errors, top_left_errors = [], []
for c in range(4):
    same_errors.append(
        np.max(np.abs(correlate2d(seven, bank[:, :, c], 2, "same") - strided_keras[:, :, c]))
    )
    top_left_errors.append(
        np.max(np.abs(correlate2d(top_left, bank[:, :, c], 2) - strided_keras[:, :, c]))
    )
hand_vs_keras_same_stride2_max_error = float(max(same_errors))
print(f"max |hand 'same', stride 2 − keras| = {hand_vs_keras_same_stride2_max_error:.2g}")
print(f"max |extra zero at top/left − keras| = {max(top_left_errors):.3g}")

# %% [markdown]
# ## Key numbers

# %%
key_numbers(
    loops_vs_vectorised_max_error=loops_vs_vectorised_max_error,
    hand_vs_scipy_max_error=hand_vs_scipy_max_error,
    hand_vs_keras_max_error=hand_vs_keras_max_error,
    hand_vs_keras_same_stride2_max_error=hand_vs_keras_same_stride2_max_error,
    shift_equivariance_max_error=equivariance_max_error,
    vectorised_speedup=round(loops_seconds / vectorised_seconds, 1),
)

# %% [markdown]
# ## Summary
#
# * An image is an array; a filter slides a small kernel over it and sums the products —
#   **cross-correlation**. Written as a sum of shifted slices (one per kernel weight), it
#   needs no loop over pixels; the key numbers above show how far it agrees with, and how much
#   faster it is than, the loop version.
# * True **convolution** flips the kernel. Keras' `Conv2D` computes cross-correlation; for
#   an asymmetric hand-made kernel the two differ, for a learned kernel it makes no
#   difference.
# * Output size: $\lfloor (n-k)/s \rfloor + 1$ with `"valid"`, $\lceil n/s \rceil$ with
#   `"same"`, whose odd padding puts the extra zero at the bottom/right.
# * Four Sobel kernels turn the 7 into four edge maps; a ReLU keeps the positive responses,
#   and the opposite pairs then split the edges between them. Filtering is
#   **shift-equivariant**: shift the digit and its maps shift with it.
# * Our `correlate2d` / `conv2d`, `scipy.signal.correlate2d` and `keras.layers.Conv2D` with
#   the same weights give the same maps, up to floating-point rounding (table above).
#
# Next, lesson 2 pools these maps — and the raw 7 — and counts what survives.

# %% [markdown]
# ## Exercises
#
# 1. **Learn a kernel.** Make a target by correlating the 7 with `edge_kernel("left")`.
#    Starting from a random 3×3 kernel, can gradient descent on the squared error recover the
#    Sobel kernel (as in d2l.ai, section 7.2)? How many steps does it take, and does it find
#    the kernel or its flip?
# 2. **Prewitt vs Sobel.** The Prewitt kernel uses `[1, 1, 1]` instead of `[1, 2, 1]` for
#    smoothing. Compare the two "left" maps of the 7: where do they differ most, and why?
# 3. **A 5×5 kernel.** Predict with the formula, then check with `correlate2d`, the output
#    size of a 5×5 kernel on a 28×28 image for stride 1, 2 and 3, with both paddings.
# 4. **"Same" padding for an even kernel.** For a 2×2 kernel and stride 1, how many zeros
#    does `"same"` add, and on which side? Pad the 7 yourself with `np.pad`, run a `"valid"`
#    correlation, and compare with `correlate2d(..., padding="same")` and with Keras.
