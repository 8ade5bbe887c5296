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
# # Lesson 2 — Hand pooling
#
# We write max and average pooling by hand, pool the handwritten "7" and its edge maps, and
# count how many real digits max pooling leaves distinguishable — and where its gradient goes.

# %% [markdown]
# ## Setup
#
# Only numpy and matplotlib: pooling needs no deep-learning framework. `import course` comes
# first, as in every lesson (it keeps TensorFlow's log noise out of the notebook).

# %%
import course  # noqa: F401  (first: it silences TensorFlow's start-up logs)

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator

from course.data import load_digits, the_seven
from course.edges import EDGE_DIRECTIONS
from course.geometry import output_size, padding_amounts
from course.key_numbers import key_numbers
from course.plotting import plot_feature_maps

rng = np.random.default_rng(0)
np.set_printoptions(precision=3, suppress=True, linewidth=100)


def integer_ticks(axis):
    """Tick image axes at whole pixels only (small pooled maps otherwise get 0.5 ticks)."""
    axis.xaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
    axis.yaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))


# %% [markdown]
# ## Max and average pooling
#
# A pooling layer slides a window over a feature map, like a convolution, but has no weights:
# each output is the **maximum** (max pooling) or the **mean** (average pooling) of the values
# under the window. The window size is `pool_size`; the step between windows is `stride`.
#
# The idea fits in a few lines of loops. We call this teaching version `pool_loops`; the
# graded functions below compute the same thing without a Python loop over pixels.


# %%
def pool_loops(x, k, s, reduce):
    """Slide a k×k window with step s over x ("valid": windows inside x only)."""
    rows, cols = output_size(x.shape[0], k, s), output_size(x.shape[1], k, s)
    out = np.empty((rows, cols))
    for i in range(rows):
        for j in range(cols):
            out[i, j] = reduce(x[i * s : i * s + k, j * s : j * s + k])
    return out


# The example of d2l.ai (section 7.5): a 3×3 map, a 2×2 window, stride 1.
x_d2l = np.arange(9.0).reshape(3, 3)
print("x =\n", x_d2l)
print("max, loops:\n", pool_loops(x_d2l, 2, 1, np.max))
print("mean, loops:\n", pool_loops(x_d2l, 2, 1, np.mean))

# %% [markdown]
# **Exercise (ps2_pooling).** Implement `max_pool2d(x, pool_size=2, stride=None,
# padding="valid")`: max pooling of one 2-D map, as Keras' `MaxPooling2D` computes it. The
# stride defaults to the pool size (windows side by side, no overlap); `padding="same"`
# follows TensorFlow's rule (output `ceil(H / stride)` rows) and pads with −∞. Avoid a loop
# over output pixels: loop over the few window offsets and take an element-wise maximum of
# strided slices.

# %% tags=["exercise"]
# Exercise (graded in ps2_pooling): implement max_pool2d(x, pool_size=2, stride=None,
# padding="valid").
from solutions import max_pool2d

# %%
print("max_pool2d(x, 2, stride=1):\n", max_pool2d(x_d2l, 2, stride=1))

# %% [markdown]
# **Exercise (ps2_pooling).** Implement `avg_pool2d(x, pool_size=2, stride=None,
# padding="valid")`: the same with the mean. With `padding="same"`, a window that sticks out
# of the map is averaged over the real pixels it covers only (as Keras' `AveragePooling2D`).

# %% tags=["exercise"]
# Exercise (graded in ps2_pooling): implement avg_pool2d(x, pool_size=2, stride=None,
# padding="valid").
from solutions import avg_pool2d

# %%
print("avg_pool2d(x, 2, stride=1):\n", avg_pool2d(x_d2l, 2, stride=1))

# The fast versions must agree with the loops on any map, window and stride.
random_map = rng.normal(size=(28, 28))
errors = [
    np.abs(fast(random_map, k, stride=s) - pool_loops(random_map, k, s, slow)).max()
    for k, s in [(2, 2), (3, 2), (2, 1), (7, 7)]
    for fast, slow in [(max_pool2d, np.max), (avg_pool2d, np.mean)]
]
print(f"largest difference, vectorised vs loops: {max(errors):.2e}")

# %% [markdown]
# ## Stride and overlap
#
# With `stride == pool_size` the windows tile the map side by side and every pixel is looked
# at once — except the leftover rows and columns when the window does not divide the size
# ("valid" padding drops them). With `stride < pool_size` the windows **overlap**, as in
# AlexNet's 3×3 windows with stride 2. The output size is the same formula as for a
# convolution: `floor((n − k) / s) + 1`. To see which pixels each choice uses, we count, for a
# 7×7 map, how many windows cover each pixel.


# %%
def coverage(n, k, s):
    """How many k×k windows with step s ("valid") cover each pixel of an n×n map."""
    counts = np.zeros((n, n), dtype=int)
    m = output_size(n, k, s)
    for i in range(m):
        for j in range(m):
            counts[i * s : i * s + k, j * s : j * s + k] += 1
    return counts


for k, s in [(2, 2), (3, 2)]:
    print(f"window {k}, stride {s} on 7×7 → {output_size(7, k, s)}×{output_size(7, k, s)}:")
    print(coverage(7, k, s))

print("\noutput size of a 28×28 map   valid  same")
for k, s in [(2, 2), (3, 2), (2, 1), (3, 3), (7, 7), (14, 14)]:
    valid, same = output_size(28, k, s), output_size(28, k, s, "same")
    print(f"  window {k:2d}, stride {s:2d}           {valid:5d}  {same:4d}")

# %% [markdown]
# Window 2 with stride 2 never looks at the last row and column of an odd-sized map; window 3
# with stride 2 looks at every pixel, and the pixels of the shared rows and columns more than once.
#
# ## Padding: why max pooling pads with −∞
#
# `padding="same"` adds rows and columns so that the output has `ceil(n / stride)` rows. For a
# convolution the padding is zeros. For max pooling zeros would be wrong: a feature map can be
# negative everywhere (a convolution's output before the ReLU), and a padded 0 would then
# win every window that touches the border, reporting a response that is not in the map.
# TensorFlow pads max pooling with −∞, so padded positions never win.

# %%
negative = -np.arange(1.0, 10.0).reshape(3, 3)  # an all-negative 3×3 map
print("map =\n", negative)
print("padding (before, after) per axis:", padding_amounts(3, 2, 2, "same"))
print(
    "max_pool2d(map, 2, padding='same')  (−∞ padding):\n", max_pool2d(negative, 2, padding="same")
)
zero_padded = np.pad(negative, [padding_amounts(3, 2, 2, "same")] * 2)
print("the same with 0 padding (wrong):\n", max_pool2d(zero_padded, 2))
print(
    "avg_pool2d(map, 2, padding='same')  (real pixels only):\n",
    avg_pool2d(negative, 2, padding="same"),
)
print("averaging the 0 padding too (not what Keras does):\n", avg_pool2d(zero_padded, 2))

# %% [markdown]
# ## Pooling the raw 7 versus pooling its edge maps
#
# Now the learner's question: we carefully extract edges, then pooling throws pixels away.
# What does pooling keep? We pool the course's "7" and its **left-edge map** (where
# brightness rises from left to right: the left side of each stroke) by 2, 4 and 7.
#
# **Exercise (ps1_filters, see lesson 1).** `correlate2d(image, kernel, stride=1,
# padding="valid")` is the cross-correlation that Keras' `Conv2D` computes, and
# `edge_kernel(direction)` returns the 3×3 Sobel kernel for `"left"`, `"right"`, `"top"` or
# `"bottom"` edges. If you have done lesson 1, you have written both.

# %% tags=["exercise"]
# Exercise (graded in ps1_filters, see lesson 1): correlate2d(image, kernel, stride=1,
# padding="valid") and edge_kernel(direction), yours from lesson 1.
from solutions import correlate2d, edge_kernel

# %%
seven = the_seven()
# "same" padding keeps the map 28×28, so that 2, 4 and 7 divide it exactly.
left_edges = correlate2d(seven, edge_kernel("left"), padding="same")
pool_sizes_shown = [1, 2, 4, 7]
limit = np.abs(left_edges).max()

figure, axes = plt.subplots(2, 4, figsize=(12, 6.4), layout="constrained")
for column, p in enumerate(pool_sizes_shown):
    raw_pooled = max_pool2d(seven, p)
    edge_pooled = max_pool2d(left_edges, p)
    axes[0, column].imshow(raw_pooled, cmap="gray", vmin=0, vmax=1)
    axes[0, column].set_title(f"raw 7, pool {p} → {raw_pooled.shape[0]}×{raw_pooled.shape[1]}")
    shown = axes[1, column].imshow(edge_pooled, cmap="RdBu_r", vmin=-limit, vmax=limit)
    axes[1, column].set_title(
        f"left edges, pool {p} → {edge_pooled.shape[0]}×{edge_pooled.shape[1]}"
    )
    strongest = np.unravel_index(edge_pooled.argmax(), edge_pooled.shape)
    axes[1, column].plot(strongest[1], strongest[0], "k+", markersize=14, mew=2, label="strongest")
    for axis in axes[:, column]:
        axis.set_xlabel("column")
        integer_ticks(axis)
axes[0, 0].set_ylabel("row")
axes[1, 0].set_ylabel("row")
axes[1, 0].legend(loc="lower left", fontsize=8)
figure.colorbar(shown, ax=axes[1, :], shrink=0.8, label="left-edge response")
figure.suptitle("Max pooling the raw 7 (top) and its left-edge map (bottom)")
plt.show()

# %% [markdown]
# Where do the edges end up? Max pooling keeps the strongest response of each window, so the
# strongest left edge survives, in the cell that covers it (pixel row `r` lands in cell row
# `floor(r / p)`). For the whole response we compare its centre of mass before and after
# pooling, mapping each pooled cell back to the pixel at its centre: a shift smaller than
# one cell (`p` pixels) means pooling kept the edges where they were, at a coarser resolution.
#
# This is the division of labour in a convnet. Convolution is shift-**equivariant**: shift the
# 7 and its edge map shifts with it. Max pooling adds local **invariance**: a small shift that
# moves no window's maximum out of its window (and no larger value in) leaves the pooled map
# unchanged — invariance up to the window, not beyond (lesson 3 measures how much).


# %%
def centre_of_mass(feature_map, p=1):
    """Centre of the positive responses, in pixels of the original map (cell centres if p > 1)."""
    weights = np.maximum(feature_map, 0.0)
    rows, cols = np.indices(feature_map.shape) * p + (p - 1) / 2
    return np.array([(weights * rows).sum(), (weights * cols).sum()]) / weights.sum()


top = np.unravel_index(left_edges.argmax(), left_edges.shape)
print(f"strongest left edge of the 7 at pixel (row, column) = {tuple(map(int, top))}")
print("pool  cell of the max  pixel // pool  shift of centre (px, cells): raw 7 | left edges")
shifts_in_cells = []
for p in pool_sizes_shown[1:]:
    pooled = max_pool2d(left_edges, p)
    cell = tuple(map(int, np.unravel_index(pooled.argmax(), pooled.shape)))
    shifts = [
        np.linalg.norm(centre_of_mass(max_pool2d(m, p), p) - centre_of_mass(m))
        for m in (seven, left_edges)
    ]
    shifts_in_cells += [shift / p for shift in shifts]
    print(
        f"{p:4d}  {cell!s:>13}  {(int(top[0]) // p, int(top[1]) // p)!s:>13}"
        f"     {shifts[0]:.2f} px = {shifts[0] / p:.2f} | {shifts[1]:.2f} px = {shifts[1] / p:.2f}"
    )
verdict = "less than" if max(shifts_in_cells) < 1 else "at least"
print(f"largest shift of the centre: {max(shifts_in_cells):.2f} cells, {verdict} one pooling cell")

# %% [markdown]
# ## The learner's case: 25×25 → 2×2
#
# A 4×4 kernel on a 28×28 image gives a 25×25 map ("valid"), and a 12×12 window with stride 12
# turns it into 2×2 — the leftover 25th row and column are dropped. Each of the four numbers
# left answers one question: "how strong is the strongest left edge in this quarter?"

# %%
# A 4×4 left-edge kernel: smooth down the rows, dark-to-bright across the columns.
kernel_4x4 = np.outer([1.0, 2.0, 2.0, 1.0], [-1.0, -1.0, 1.0, 1.0])
map_25 = correlate2d(seven, kernel_4x4)
pooled_2 = max_pool2d(map_25, 12)
print(f"28×28 image, 4×4 kernel → {map_25.shape}; output_size(28, 4) = {output_size(28, 4)}")
print(
    f"window 12, stride 12 → {pooled_2.shape}; output_size(25, 12, 12) = {output_size(25, 12, 12)}"
)
print("the 2×2 result (strongest left edge per quarter):\n", pooled_2)
print(f"it keeps {pooled_2.size} of {map_25.size} numbers ({pooled_2.size / map_25.size:.2%})")
figure = plot_feature_maps(
    seven,
    {"25×25 left-edge map": map_25, "pooled 12 → 2×2": pooled_2},
    title="The learner's case: a 25×25 edge map max-pooled to 2×2",
    image_title="the 7 (28×28)",
)
for axis in figure.axes[:3]:
    integer_ticks(axis)
for (i, j), value in np.ndenumerate(pooled_2):
    figure.axes[2].text(j, i, f"{value:.2f}", ha="center", va="center", color="white")
plt.show()

# %% [markdown]
# ## How many digits stay distinct after max pooling?
#
# Pooling throws values away, so two different digits can become the same pooled image. How
# often does that happen on real digits? We pool every test digit with non-overlapping windows
# of 1, 2, 4, 7, 14 and 28 pixels (outputs 28×28, 14×14, 7×7, 4×4, 2×2 and 1×1) and count the
# distinct results.
#
# **Exercise (ps2_pooling).** Implement `count_distinct_after_pooling(images, pool_size)`:
# max-pool each image of a batch `(N, H, W)` with non-overlapping "valid" windows (stride =
# `pool_size`), then count how many different pooled images there are (exact equality of all
# values; `np.unique(..., axis=0)` helps). The answer is between 1 and N.
#
# Exact equality is a strict test of "the same": two pooled images that differ by one grey
# level count as distinct, although a classifier may not tell them apart.

# %% tags=["exercise"]
# Exercise (graded in ps2_pooling): implement count_distinct_after_pooling(images, pool_size).
from solutions import count_distinct_after_pooling

# %% [markdown]
# We count for raw pixels and for an **edge-strength map**: the maximum of the four edge maps
# (left, right, top, bottom) after a ReLU, one 28×28 map per digit, like the image itself.
# Since the right kernel is minus the left one (and bottom minus top), this is
# `max(|left|, |top|)` per pixel: two correlations instead of four.
# For the two pools that merge many digits, we also count the digits whose pooled image is
# shared with a digit of **another class**: those a classifier looking only at the pooled
# values cannot tell apart.

# %%
(x_train, y_train), (x_test, y_test) = load_digits()
digits_compared = len(x_test)


def edge_strength_of(image):
    """max(|left|, |top|): the maximum of the four ReLU'd edge maps, with two correlations."""
    left = correlate2d(image, edge_kernel("left"), padding="same")
    top = correlate2d(image, edge_kernel("top"), padding="same")
    return np.maximum(np.abs(left), np.abs(top))


# Check the shortcut on the 7 against the four ReLU'd edge maps.
four_maps = [
    np.maximum(correlate2d(seven, edge_kernel(d), padding="same"), 0.0) for d in EDGE_DIRECTIONS
]
assert np.array_equal(np.max(four_maps, axis=0), edge_strength_of(seven))
edge_strength = np.stack([edge_strength_of(image) for image in x_test])


def pool_batch(images, p):
    """Non-overlapping max pooling of a batch (N, H, W) with windows that divide H and W."""
    n, h, w = images.shape
    return images.reshape(n, h // p, p, w // p, p).max(axis=(2, 4))


def mixed_class_digits(pooled, labels):
    """How many digits share their pooled image with a digit of another class."""
    _, group = np.unique(pooled.reshape(len(pooled), -1), axis=0, return_inverse=True)
    group = group.ravel()
    classes_per_group = np.zeros((group.max() + 1, 10), dtype=bool)
    classes_per_group[group, labels] = True
    return int((classes_per_group.sum(axis=1)[group] > 1).sum())


# The batch helper is max_pool2d, image by image.
assert np.array_equal(pool_batch(x_test[:3], 7)[2], max_pool2d(x_test[2], 7))

pool_sizes = [1, 2, 4, 7, 14, 28]
distinct = {p: count_distinct_after_pooling(x_test, p) for p in pool_sizes}
mixed = {}
distinct_edges = {p: count_distinct_after_pooling(edge_strength, p) for p in pool_sizes}
print(f"{digits_compared} test digits")
print("pool  output   distinct: raw pixels  edge strength")
for p in pool_sizes:
    size = f"{28 // p}×{28 // p}"
    print(f"{p:4d}  {size:>6}   {distinct[p]:20d}  {distinct_edges[p]:13d}")
for p in (14, 28):
    mixed[p] = mixed_class_digits(pool_batch(x_test, p), y_test)
    edge_mixed = mixed_class_digits(pool_batch(edge_strength, p), y_test)
    print(
        f"pool {p}: digits that share their pooled image with another class: "
        f"raw {mixed[p]} ({mixed[p] / digits_compared:.1%}), "
        f"edge strength {edge_mixed} ({edge_mixed / digits_compared:.1%})"
    )

# %%
figure, axis = plt.subplots(figsize=(8, 4.5), layout="constrained")
positions = np.arange(len(pool_sizes))
axis.plot(positions, [distinct[p] for p in pool_sizes], "o-", label="raw pixels")
axis.plot(positions, [distinct_edges[p] for p in pool_sizes], "s-", label="edge strength")
axis.axhline(digits_compared, color="gray", ls="--", label=f"all {digits_compared} digits")
axis.set_xticks(positions, [f"{p}\n({28 // p}×{28 // p})" for p in pool_sizes])
axis.set_yscale("log")
axis.set_xlabel("pool size (output size)")
axis.set_ylabel("distinct pooled images (log scale)")
axis.set_title("How many test digits stay distinct after max pooling")
axis.legend()
plt.show()

# %% [markdown]
# ## Ties: four squares with the same maximum
#
# The learner's worry: "if each of the 4 squares happens to have a pixel with the same max
# value, won't all images look the same?" At pool 14 each digit becomes 2×2 — four numbers,
# the brightest pixel of each quarter. Two facts about MNIST matter here: how bright each
# digit's brightest pixel is, and how many quarters a stroke crosses. We measure both, then
# how often the four pooled numbers are all equal, and how often they are exactly 1.0.

# %%
pooled_14 = pool_batch(x_test, 14).reshape(digits_compared, 4)
all_four_equal = int((pooled_14 == pooled_14[:, :1]).all(axis=1).sum())
all_four_white = int((pooled_14 == 1.0).all(axis=1).sum())
brightest = x_test.reshape(digits_compared, -1).max(axis=1)
levels, counts = np.unique(np.round(brightest * 255).astype(int), return_counts=True)
near_white = float((pooled_14 >= 250 / 255).mean())
edge_14 = pool_batch(edge_strength, 14)
rows = [
    ("pixels exactly 1.0", f"{(x_test == 1.0).mean():.2%} of all pixels"),
    ("digits whose brightest pixel is 1.0", f"{(brightest == 1.0).mean():.1%}"),
    (
        "brightest-pixel values (× 255): digits",
        dict(zip(levels.tolist(), counts.tolist(), strict=True)),
    ),
    ("quarters crossed by a stroke (max ≥ 0.5)", f"{(pooled_14 >= 0.5).mean():.1%}"),
    ("pooled values exactly 1.0", f"{(pooled_14 == 1.0).mean():.1%}"),
    ("pooled values ≥ 250/255", f"{near_white:.1%}"),
    (
        "digits with all 4 pooled values equal",
        f"{all_four_equal} ({all_four_equal / digits_compared:.1%})",
    ),
    ("  … all 4 equal to 1.0", all_four_white),
    ("different pooled values in use", len(np.unique(pooled_14))),
    ("edge strength: pooled values at its maximum", f"{(edge_14 == edge_14.max()).mean():.1%}"),
    ("edge strength: different pooled values in use", len(np.unique(edge_14))),
]
print("pool 14 (2×2 outputs), test digits")
for label, value in rows:
    print(f"  {label:<46} {value}")
collapse = "do" if distinct[14] < digits_compared / 2 else "do not"
print(
    f"\nAnswer: pooled to 2×2, raw digits {collapse} collapse: {distinct[14]} distinct images "
    f"for {digits_compared} digits, and {mixed[14] / digits_compared:.0%} of the digits share "
    f"theirs with a digit of another class; {near_white:.0%} of the pooled values lie within "
    f"5/255 of white. Pooled by 2, {distinct[2]} of {digits_compared} stay distinct; the "
    f"edge-strength maps pooled to 2×2 keep {distinct_edges[14]} apart."
)

# %% [markdown]
# Four equal values are only one way to collide: any two digits whose four maxima agree
# become the same 2×2 image. Here are members of the largest group of digits that max pooling
# to 2×2 makes identical, one per class where possible.

# %%
patterns, group, group_sizes = np.unique(pooled_14, axis=0, return_inverse=True, return_counts=True)
largest = int(group_sizes.argmax())
members = np.flatnonzero(group.ravel() == largest)
one_per_class = [
    members[y_test[members] == c][0] for c in range(10) if (y_test[members] == c).any()
]
shown = one_per_class[:7]
print(f"largest group: {group_sizes[largest]} digits, {len(one_per_class)} classes")
figure, axes = plt.subplots(1, len(shown) + 1, figsize=(12, 2.4), layout="constrained")
for axis, index in zip(axes, shown, strict=False):
    axis.imshow(x_test[index], cmap="gray", vmin=0, vmax=1)
    axis.set_title(f"label {y_test[index]}")
    axis.set_xlabel("column")
axes[0].set_ylabel("row")
pattern = patterns[largest].reshape(2, 2)
axes[-1].imshow(pattern, cmap="gray", vmin=0, vmax=1)
for (i, j), value in np.ndenumerate(pattern):
    axes[-1].text(j, i, f"{value:.3f}", ha="center", va="center", color="red")
axes[-1].set_title("all pool 14 to")
axes[-1].set_xlabel("column")
figure.suptitle("Different digits, one 2×2 max-pooled image")
plt.show()

# %% [markdown]
# ## The backward pass: where the gradient goes
#
# Max pooling has no weights, but it must pass gradients back to the layer below. Each output
# is one input value, copied, so its gradient `dout[i, j]` flows to that input alone — the
# maximum of window `(i, j)` — and every other pixel gets zero. When windows overlap, one pixel
# can be the maximum of several windows: it receives the **sum** of their gradients. On ties
# the maximum is not unique; the course, like TensorFlow, sends the gradient to the first
# maximum in row-major order (reading the window row by row).
#
# **Exercise (ps2_pooling).** Implement `max_pool2d_backward(dout, x, pool_size=2,
# stride=None)`: the gradient of `max_pool2d(x, pool_size, stride)` ("valid") with respect to
# `x`, given the gradient `dout` of the pooled output. `np.argmax` returns the first maximum,
# and `np.add.at` or `np.bincount` accumulate into pixels shared by several windows.

# %% tags=["exercise"]
# Exercise (graded in ps2_pooling): implement max_pool2d_backward(dout, x, pool_size=2,
# stride=None).
from solutions import max_pool2d_backward

# %%
# Overlapping 2×2 windows (stride 1): the 5 is the maximum of the two top windows.
x_small = np.array([[1.0, 5.0, 2.0], [3.0, 0.0, 4.0], [2.0, 1.0, 0.0]])
dout = np.array([[1.0, 10.0], [100.0, 1000.0]])  # powers of ten show who sent what
dx = max_pool2d_backward(dout, x_small, pool_size=2, stride=1)
print("x =\n", x_small)
print("max_pool2d(x, 2, stride=1) =\n", max_pool2d(x_small, 2, stride=1))
print("dout =\n", dout)
print("dx =\n", dx)


# Check against finite differences of loss(x) = sum(dout * max_pool2d(x)).
def loss(x):
    return float((dout * max_pool2d(x, 2, stride=1)).sum())


step = 1e-4
numeric = np.zeros_like(x_small)
for index in np.ndindex(x_small.shape):
    bump = np.zeros_like(x_small)
    bump[index] = step
    numeric[index] = (loss(x_small + bump) - loss(x_small - bump)) / (2 * step)
backward_error = float(np.abs(numeric - dx).max())
print(f"largest difference from the finite-difference gradient: {backward_error:.1e}")

# A tie: every value of the window is equal, so the gradient goes to the first one.
print("tie, x = ones((2, 2)), dout = [[1]] → dx =\n", max_pool2d_backward([[1.0]], np.ones((2, 2))))

# %% [markdown]
# Finite differences cannot check the tie: at a tie the maximum has no derivative, and any
# split of the gradient among the tied pixels is a valid subgradient. Frameworks pick one
# rule; matching TensorFlow's keeps hand-written and Keras gradients identical.
#
# The key numbers of this lesson:

# %%
key_numbers(
    **{f"distinct_after_pool_{p}": distinct[p] for p in pool_sizes},
    **{f"distinct_edge_strength_after_pool_{p}": distinct_edges[p] for p in pool_sizes},
    digits_compared=digits_compared,
    all_four_equal_at_pool_14=all_four_equal,
    all_four_white_at_pool_14=all_four_white,
    pooled_values_white_at_pool_14=float((pooled_14 == 1.0).mean()),
    max_pool_backward_vs_finite_differences=backward_error,
)

# %% [markdown]
# ## Summary
#
# - Max pooling keeps each window's largest value, average pooling its mean; the stride sets
#   the step, and windows overlap when the stride is smaller than the window. The output size
#   is the convolution's formula.
# - `padding="same"` pads max pooling with −∞ (a padded 0 would beat an all-negative map) and
#   averages over real pixels only.
# - Max pooling an edge map keeps where the strong edges are, at the resolution of the pooled
#   grid: the strongest response stays in the cell that covers it, and the centre of the
#   responses moves by the amount printed above.
# - Pooled far enough, raw digits collide: the table counts how many stay distinct at each
#   pool size. MNIST's strokes saturate near white, so the 2×2 maxima of raw pixels pile up
#   on a few values; the edge-strength map, pooled to the same size, keeps more digits apart.
#   Distinct is not yet classifiable: lesson 5 measures accuracy.
# - The gradient of max pooling goes to each window's maximum (the first one on ties), and
#   accumulates where overlapping windows share their maximum.
#
# ## Exercises
#
# 1. Replace max pooling by average pooling in the distinct-digit count (write
#    `count_distinct_after_avg_pooling`). Do fewer digits collide? Why?
# 2. Count distinct digits with overlapping pooling (window 3, stride 2, output 13×13) and
#    compare with window 2, stride 2.
# 3. Write `avg_pool2d_backward(dout, x, pool_size, stride)` and check it with finite
#    differences, as we did for max pooling. Where does the gradient go now?
# 4. Why does pool 28 leave so few distinct raw digits, and why are they useless for telling
#    classes apart? Relate the 1×1 output to the brightest-pixel values found in the section
#    on ties.
# 5. Keep the four edge maps as four separate channels instead of their maximum. How many
#    digits stay distinct at pool 14 and pool 28?
