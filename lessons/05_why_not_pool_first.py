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
# # Lesson 5 — Why not pool first?
#
# One experiment table and one claims table answer, with numbers measured here, why a
# convnet convolves before it pools.

# %% [markdown]
# ## The question
#
# A learner asked, after the first four lessons:
#
# > *"We carefully extract edges with filters, then max pooling throws the pixels away
# > (25×25 → 2×2!) — why not go straight to max pooling? And if each of the 4 squares
# > happens to have a pixel with the same max value, won't all training images look the
# > same?"*
#
# The question hides several claims. This lesson settles them the only honest way: by
# measuring. First we look at what pooling to a 2×2 grid does to raw pixels and to edge
# maps. Then we train a row of models — pooling without convolution,
# convolution without pooling, and the variants in between — on the same digits with the
# same budget, and put them in one table. Last, a claims table states each claim, the
# number that decides it, and the verdict the code computed from that number.

# %%
import course  # noqa: F401  (first: it silences TensorFlow's start-up logs)

from functools import partial

import keras
import matplotlib.pyplot as plt
import numpy as np
from keras import layers

from course.claims import Claim, claims
from course.data import load_digits, the_seven
from course.edges import EDGE_DIRECTIONS
from course.key_numbers import key_numbers
from course.plotting import plot_feature_maps
from course.training import train_and_evaluate

(x_train, y_train), (x_test, y_test) = load_digits()
print(f"training digits: {len(x_train):,}   test digits: {len(x_test):,}")
print(f"images: {x_test.shape[1:]} {x_test.dtype}, values in [{x_test.min()}, {x_test.max()}]")

# %% [markdown]
# ## The graded functions
#
# This lesson uses six functions that you write in the assignments:
#
# - `conv2d(images, kernels, bias=None, stride=1, padding="valid")` and
#   `edge_kernel(direction)` from **ps1_filters**: batched cross-correlation (what Keras'
#   `Conv2D` computes) with kernels of shape (kh, kw, C_in, C_out), and the 3×3 Sobel
#   kernel for a `"left"`, `"right"`, `"top"` or `"bottom"` stroke edge;
# - `max_pool2d(x, pool_size=2, stride=None, padding="valid")` and
#   `count_distinct_after_pooling(images, pool_size)` from **ps2_pooling**: max pooling of
#   one 2-D map, and how many different images are left once each is max-pooled (exact
#   equality of the pooled values);
# - `build_pool_only_model(pool_size)` and `build_conv_pool_model()` from **ps3_keras**:
#   the "straight to max pooling" baseline `MaxPooling2D(p) → Flatten → Dense(10)`, and
#   keras.io's small convnet `Conv(32) → Pool(2) → Conv(64) → Pool(2) → Dropout → Dense(10)`.
#
# The first five come from lessons 1, 2 and 4; one is new here.

# %% [markdown]
# **Exercise (ps3_keras).** Implement `build_pool_only_model(pool_size=2, input_shape=(28, 28,
# 1), num_classes=10)`, the "straight to max pooling" baseline: a `keras.Model` taking images
# of shape `input_shape`, then `MaxPooling2D(pool_size)` (stride = window, `"valid"`
# padding), `Flatten` and `Dense(num_classes, activation="softmax")` — no convolution, so
# the classifier sees only the raw pixels' window maxima. Return it uncompiled; for 28×28
# digits it has `(28 // p)² · 10 + 10` parameters. Raise a clear error for a `pool_size`
# that is not a positive integer (or pair) or is larger than the images, and for a bad
# `input_shape` or `num_classes`.

# %% tags=["exercise"]
# Exercise (graded in ps1_filters: conv2d, edge_kernel; ps2_pooling: max_pool2d,
# count_distinct_after_pooling; ps3_keras: build_pool_only_model, build_conv_pool_model):
# implement them as specified in the assignments, then run this lesson with your versions.
from solutions import (
    build_conv_pool_model,
    build_pool_only_model,
    conv2d,
    count_distinct_after_pooling,
    edge_kernel,
    max_pool2d,
)

# %% [markdown]
# ## The learner's picture: one 7, pooled to a 2×2 grid
#
# Max pooling with a 14×14 window turns a 28×28 digit into a 2×2 grid: the learner's
# "four squares". On raw pixels each square keeps one number, the brightest pixel in it —
# and a stroke of ink is about as bright as a pixel gets. On edge maps the same grid keeps,
# per edge direction, how strong the strongest edge is in each quarter of the image: the
# pooling summarises *features*, not the image.
#
# We compute the edge maps with `"same"` padding, so they stay 28×28 and a 14×14 window
# gives the same 2×2 grid as on the raw image, and keep only positive responses (ReLU), as
# a `Conv2D(..., activation="relu")` layer would.

# %%
# Shape (3, 3, 1, 4): one input channel, one output channel per edge direction.
EDGE_KERNELS = np.stack([edge_kernel(d) for d in EDGE_DIRECTIONS], axis=-1)[:, :, np.newaxis, :]


def edge_maps(images):
    """ReLU'd edge maps of grey images (N, 28, 28): shape (N, 28, 28, 4)."""
    responses = conv2d(images[..., np.newaxis], EDGE_KERNELS.astype(np.float32), padding="same")
    return np.maximum(responses, 0.0)


def pool_channels(maps, size):
    """Max-pool every channel of every image with one max_pool2d call: (N, features)."""
    n, height, width, channels = maps.shape
    assert height % size == 0, "a window would straddle two stacked maps"
    # Stack all maps one above the other; no window crosses from one map into the next.
    stacked = maps.transpose(0, 3, 1, 2).reshape(n * channels * height, width)
    return max_pool2d(stacked, size).reshape(n, -1)


seven = the_seven()
seven_maps = edge_maps(seven[np.newaxis])[0]
plot_feature_maps(
    seven,
    {f"{d} edges": seven_maps[..., i] for i, d in enumerate(EDGE_DIRECTIONS)},
    title="The 7 and its four ReLU'd edge maps (28×28 each)",
    image_title="the 7",
)
plt.show()

POOL = 14  # the learner's case: a 2×2 grid of 14×14 windows
seven_pooled_maps = pool_channels(seven_maps[np.newaxis], POOL).reshape(len(EDGE_DIRECTIONS), 2, 2)
figure = plot_feature_maps(
    max_pool2d(seven, POOL),
    {f"{d} edges, pooled": seven_pooled_maps[i] for i, d in enumerate(EDGE_DIRECTIONS)},
    title=f"The same, max-pooled by {POOL}: four numbers from the 7, sixteen from its edges",
    image_title="the 7, pooled",
)
# Write each pooled value on its square, so that pale squares can be read too.
for axis, grid in zip(figure.axes, [max_pool2d(seven, POOL), *seven_pooled_maps], strict=False):
    axis.set_xticks([0, 1])
    axis.set_yticks([0, 1])
    for (row, col), value in np.ndenumerate(grid):
        axis.text(col, row, f"{value:.2f}", ha="center", va="center", backgroundcolor="white")
plt.show()

# %% [markdown]
# ## How many digits survive pooling to 2×2?
#
# If two different test digits give exactly the same pooled numbers, every model that
# sees only those numbers must treat them the same: they have *collapsed*. We count the
# distinct pooled patterns among all test digits, on raw pixels for several pool sizes, and
# on the edge maps at the learner's pool size.
#
# A count can hide one more problem: patterns may be distinct and still say nothing about
# the label. So we also compute an upper bound that no classifier can beat on these
# features: give each distinct pattern the most common label among the test digits that
# share it (a cheat that reads the test labels) and score that.

# %%
POOL_SIZES = (2, 4, 7, 14)
n_test = len(x_test)
distinct_by_pool = {size: count_distinct_after_pooling(x_test, size) for size in (1, *POOL_SIZES)}
for size, distinct in distinct_by_pool.items():
    print(f"raw pixels, pool {size:>2}: {distinct:>5,} distinct of {n_test:,} test digits")


def count_distinct(features):
    """Distinct rows, by exact equality (+ 0.0 makes −0.0 equal to 0.0)."""
    return len(np.unique(features + 0.0, axis=0))


def best_possible_accuracy(features, labels):
    """Accuracy of the best classifier of these exact features, judged on the same digits."""
    _, group = np.unique(features + 0.0, axis=0, return_inverse=True)
    votes = np.zeros((group.max() + 1, labels.max() + 1), dtype=int)
    np.add.at(votes, (group.ravel(), labels), 1)
    return votes.max(axis=1).sum() / len(labels)


raw_pooled = pool_channels(x_test[..., np.newaxis], POOL)  # 4 numbers per digit
test_maps = edge_maps(x_test)
edge_pooled = pool_channels(test_maps, POOL)  # 4 directions × 4 squares = 16 numbers
edge_global = test_maps.max(axis=(1, 2))  # 4 numbers per digit, as many as raw_pooled
assert count_distinct(raw_pooled) == count_distinct_after_pooling(x_test, POOL)

distinct_raw_14 = count_distinct(raw_pooled)
distinct_edges_14 = count_distinct(edge_pooled)
distinct_edges_rounded = count_distinct(edge_pooled.round(0))
collapsed_raw_14 = 1 - distinct_raw_14 / n_test
_, pattern_counts = np.unique(raw_pooled, axis=0, return_counts=True)
print(f"pool {POOL} on raw pixels: {distinct_raw_14:,} distinct patterns of 4 numbers, so")
print(f"  {collapsed_raw_14:.1%} of the test digits are lost (1 − distinct / N);")
print(f"  the most common pattern is shared by {pattern_counts.max() / n_test:.1%} of digits;")
inked = raw_pooled[raw_pooled > 0]
print(f"  {np.mean(inked >= 0.9):.1%} of the squares with ink have a max of at least 0.9")
print(f"pool {POOL} on edge maps: {distinct_edges_14:,} distinct patterns of 16 numbers")
print(f"  still {distinct_edges_rounded:,} distinct after rounding every value to an integer")
print(f"global max of each edge map (4 numbers): {count_distinct(edge_global):,} distinct")
for name, features in {"raw pixels": raw_pooled, "edge maps": edge_pooled}.items():
    best = best_possible_accuracy(features, y_test)
    print(f"best possible accuracy, {name} pooled by {POOL}: {best:.1%}")

# %% [markdown]
# The learner's worry is about raw pixels, and the counts above measure it. Strokes of ink
# are close to full brightness, so the max of a raw square tends to say only "there is ink
# here"; the share of inked squares whose max is at least 0.9 measures how often. Four such
# yes/no-like numbers leave little room to keep digits apart: the count says how many stay
# apart.
# Edge maps pooled on the same 2×2 grid keep four channels, each recording *which kind* of
# edge is strongest in each quarter: the pooling throws away exact positions but keeps
# roughly where the edges are. The rounding check tells whether their distinctness survives
# coarse rounding, that is, whether it is more than floating-point noise.
#
# Counting distinct patterns is not accuracy, though. To see what each design is worth we
# have to train models.

# %% [markdown]
# ## One experiment, one budget
#
# Every model sees the same training digits (at most `TRAIN_LIMIT` of them), is scored on
# the whole test set, and trains through `train_and_evaluate` with the same epochs and
# batch size (it seeds Keras before building each model). The rows:
#
# - **pool-only** baselines, `MaxPooling2D(p) → Flatten → Dense(10)` for p = 2, 4, 7, 14:
#   "go straight to max pooling";
# - **dense on raw pixels**, `Flatten → Dense(10)`: no pooling and no convolution;
# - **pool 2 + hidden layer**: a pool-only model given a `Dense(128, relu)` hidden layer,
#   in case what it lacks is capacity rather than convolution;
# - **conv + pool**: keras.io's small convnet, `build_conv_pool_model()`;
# - **down-sample to 14×14, then conv**: `AveragePooling2D(2)` on the input (area
#   down-sampling, as when you resize the image) replaces the first pooling layer;
# - **conv, no pooling** and **strided conv** (stride 2 instead of pooling);
# - **conv + global pooling**: `GlobalMaxPooling2D` keeps one number per filter.


# %%
def stack(name, *model_layers):
    """A model that applies `model_layers`, then a softmax layer, to one 28×28 grey digit."""
    x = inputs = keras.Input(shape=(28, 28, 1))
    for layer in (*model_layers, layers.Dense(10, activation="softmax")):
        x = layer(x)
    return keras.Model(inputs, x, name=name)


def conv(filters, strides=1):
    return layers.Conv2D(filters, 3, strides=strides, activation="relu")


def head():
    """Flatten, and drop half the features while training, as `build_conv_pool_model` does."""
    return layers.Flatten(), layers.Dropout(0.5)


def dense_raw():
    return stack("dense_raw", layers.Flatten())


def pool_only_hidden():
    hidden = layers.Dense(128, activation="relu")
    return stack("pool_only_hidden", layers.MaxPooling2D(2), layers.Flatten(), hidden)


def downsample14_conv():
    shrink = layers.AveragePooling2D(2)  # area down-sampling: the input shrinks to 14×14
    return stack("downsample14_conv", shrink, conv(32), conv(64), layers.MaxPooling2D(2), *head())


def conv_no_pool():
    return stack("conv_no_pool", conv(32), conv(64), *head())


def strided_conv():  # stride 2 shrinks the maps as pooling would, with learned weights
    return stack("strided_conv", conv(32, strides=2), conv(64, strides=2), *head())


def conv_global_pool():  # one number per filter: where it fired is forgotten
    global_max = layers.GlobalMaxPooling2D()
    return stack("conv_global_pool", conv(32), layers.MaxPooling2D(2), conv(64), global_max)


MODELS = {
    **{f"pool_only_{p}": (f"pool {p} only", partial(build_pool_only_model, p)) for p in POOL_SIZES},
    "dense_raw": ("dense on raw pixels", dense_raw),
    "pool_only_hidden": ("pool 2 + hidden layer", pool_only_hidden),
    "conv_pool": ("conv + pool", build_conv_pool_model),
    "downsample14_conv": ("down-sample to 14×14 + conv", downsample14_conv),
    "conv_no_pool": ("conv, no pooling", conv_no_pool),
    "strided_conv": ("strided conv, no pooling", strided_conv),
    "conv_global_pool": ("conv + global pooling", conv_global_pool),
}
print(f"{len(MODELS)} models to train")

# %%
TRAIN_LIMIT = 10_000  # at most this many training digits, for every model
EPOCHS = 5
BATCH_SIZE = 128
data = ((x_train[:TRAIN_LIMIT], y_train[:TRAIN_LIMIT]), (x_test, y_test))
results = {
    key: train_and_evaluate(build, data, epochs=EPOCHS, batch_size=BATCH_SIZE)
    for key, (_, build) in MODELS.items()
}
print(f"trained on {len(data[0][0]):,} digits for {EPOCHS} epochs, tested on {n_test:,}")

# %% [markdown]
# ## The experiment table

# %%
print(f"{'model':<30}{'test accuracy':>14}{'parameters':>12}{'training s':>12}")
for key, (label, _) in MODELS.items():
    r = results[key]
    print(f"{label:<30}{r.test_accuracy:>14.1%}{r.parameters:>12,}{r.train_seconds:>12.1f}")

pool_only_keys = [f"pool_only_{p}" for p in POOL_SIZES]
best_pool_only = max(pool_only_keys, key=lambda k: results[k].test_accuracy)
conv_keys = {"conv_pool", "downsample14_conv", "conv_no_pool", "strided_conv", "conv_global_pool"}

labels = [label for label, _ in MODELS.values()]
colours = ["tab:blue" if key in conv_keys else "tab:grey" for key in MODELS]
rows = np.arange(len(MODELS))
figure, axes = plt.subplots(1, 3, figsize=(12, 4.8), sharey=True, layout="constrained")
panels = [
    ("test accuracy", [r.test_accuracy for r in results.values()], "linear"),
    ("parameters (log scale)", [r.parameters for r in results.values()], "log"),
    ("training seconds", [r.train_seconds for r in results.values()], "linear"),
]
for axis, (name, values, scale) in zip(axes, panels, strict=True):
    axis.barh(rows, values, color=colours)
    axis.set_xscale(scale)
    axis.set_xlabel(name)
    axis.set_title(name)
best_accuracy = results[best_pool_only].test_accuracy
best_line = axes[0].axvline(best_accuracy, color="tab:red", ls="--", label="best pool-only")
axes[0].bar_label(axes[0].containers[0], fmt="{:.0%}", padding=2, fontsize=8)
axes[0].set_xlim(0, 1.15)
axes[0].set_yticks(rows, labels)
axes[0].invert_yaxis()
axes[0].set_ylabel("model")
figure.legend(
    handles=[
        plt.Rectangle((0, 0), 1, 1, color="tab:grey", label="no convolution"),
        plt.Rectangle((0, 0), 1, 1, color="tab:blue", label="convolution"),
        best_line,
    ],
    loc="outside lower center",
    ncols=3,
)
figure.suptitle(f"Same digits, same budget ({EPOCHS} epochs, batch {BATCH_SIZE})")
plt.show()

# %% [markdown]
# Read the grey bars against the blue ones. Going straight to max pooling is the grey rows
# at the top; convolving first is the blue rows. The printed lines below compare the rows
# that the learner's question is about.


# %%
def points(difference):
    """An accuracy difference in percentage points."""
    return f"{100 * difference:+.1f} points"


acc = {key: r.test_accuracy for key, r in results.items()}
gap = acc["conv_pool"] - acc[best_pool_only]
print(f"conv + pool vs the best pool-only model ({MODELS[best_pool_only][0]}): {points(gap)}")
print(f"conv + pool vs dense on raw pixels: {points(acc['conv_pool'] - acc['dense_raw'])}")
print(f"conv + pool vs pool 2 + hidden: {points(acc['conv_pool'] - acc['pool_only_hidden'])}")
print(f"strided conv vs conv + pool: {points(acc['strided_conv'] - acc['conv_pool'])}")
print(f"conv + global vs conv + pool: {points(acc['conv_global_pool'] - acc['conv_pool'])}")
print("\npool-only: distinct test digits after pooling, and test accuracy")
for p in POOL_SIZES:
    print(
        f"  pool {p:>2}: {distinct_by_pool[p]:>5,} distinct, accuracy {acc[f'pool_only_{p}']:.1%}"
    )

# %% [markdown]
# Two things to read in the last lines. The distinct counts are the best case for a
# pool-only model: a digit that collapsed cannot be told apart from its twins. Where few
# digits collapsed and the pool-only model is still far behind conv + pool, collapse is not
# the whole story: a window maximum of raw pixels is a poor feature even when it is unique,
# because it says *whether* there is ink, not *what shape* the ink has.

# %% [markdown]
# ## The real network never pools to 2×2
#
# The "25×25 → 2×2" picture is not what a convnet does. It pools by 2, twice, and between
# the two poolings it convolves again: the second convolution sees edges *of edges*. Here is
# the shape of the data after each layer of the trained conv + pool model: what reaches the
# classifier is a grid of many feature channels, not four brightness values.

# %%
for layer in results["conv_pool"].model.layers:
    print(f"{type(layer).__name__:<14} → {tuple(layer.output.shape[1:])}")

# %% [markdown]
# ## Is the pool-only baseline just undertrained?
#
# Small models can need more epochs than big ones, so the table's budget might be unfair to
# the pool-only models. We give the best of them several times the epochs and compare it
# with conv + pool on its original budget.

# %%
LONG_EPOCHS = 4 * EPOCHS
long_run = train_and_evaluate(
    MODELS[best_pool_only][1], data, epochs=LONG_EPOCHS, batch_size=BATCH_SIZE
)
print(
    f"{MODELS[best_pool_only][0]}, {LONG_EPOCHS} epochs: {long_run.test_accuracy:.1%} "
    f"(was {acc[best_pool_only]:.1%} after {EPOCHS})"
)
long_gap = acc["conv_pool"] - long_run.test_accuracy
print(
    f"conv + pool ({EPOCHS} epochs) minus {MODELS[best_pool_only][0]} ({LONG_EPOCHS} epochs): "
    f"{points(long_gap)}; more epochs close the gap: {long_gap <= 0}"
)

# %% [markdown]
# ## Local versus global invariance
#
# Convolution is shift-*equivariant*: shift the digit and its edge maps shift with it.
# Pooling makes the features *invariant* only to shifts that stay inside one window;
# global pooling (one max over the whole map) makes them invariant to any shift that keeps
# the digit in the frame. We measure it on `N_SHIFTED` test digits shifted right by
# `SHIFT` pixels (the emptied columns filled with zeros): the cosine similarity between the
# features of each digit and of its shifted copy, averaged over the digits (1 means
# unchanged). A shift of `SHIFT` pixels is two whole pool-2 windows.

# %%
N_SHIFTED = 500
SHIFT = 4
originals = x_test[:N_SHIFTED]
shifted = np.zeros_like(originals)
shifted[:, :, SHIFT:] = originals[:, :, :-SHIFT]


def mean_cosine(a, b):
    """Mean over digits of the cosine similarity of their flattened features."""
    a, b = a.reshape(len(a), -1), b.reshape(len(b), -1)
    return float(np.mean((a * b).sum(1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))))


maps_original, maps_shifted = edge_maps(originals), edge_maps(shifted)
pairs = {
    "raw pixels": (originals, shifted),
    "edge maps": (maps_original, maps_shifted),
    "edge maps, max pool 2": (pool_channels(maps_original, 2), pool_channels(maps_shifted, 2)),
    "edge maps, global max pool": (maps_original.max(axis=(1, 2)), maps_shifted.max(axis=(1, 2))),
}
similarity = {name: mean_cosine(a, b) for name, (a, b) in pairs.items()}
for name, value in similarity.items():
    print(f"{name:<28} mean cosine similarity after a {SHIFT}-px shift: {value:.4f}")

# %% [markdown]
# ## The claims table
#
# Each claim from the comment thread, the number that decides it and the rule, and the
# verdict — all computed from the measurements above. The thresholds are fixed in advance:
#
# 1. conv + pool must beat the best pool-only model by at least 5 points;
# 2. pooled edge maps must keep more test digits distinct than pooled raw pixels;
# 3. for raw pixels, the worry counts as true if more than half of the test digits are lost
#    at pool 14;
# 4. down-sampling the input must cost at most 3 points against conv + pool;
# 5. global pooling must keep a similarity of at least 0.99 and local pool-2 less;
# 6. conv + pool must have fewer parameters *and* train faster than conv without pooling.

# %%
CONV_GAP, DOWNSAMPLE_TOLERANCE, GLOBAL_SIMILARITY = 0.05, 0.03, 0.99
r_pool, r_no_pool = results["conv_pool"], results["conv_no_pool"]
params_ratio = r_pool.parameters / r_no_pool.parameters
time_ratio = r_pool.train_seconds / r_no_pool.train_seconds
downsample_gap = acc["downsample14_conv"] - acc["conv_pool"]
local, whole = similarity["edge maps, max pool 2"], similarity["edge maps, global max pool"]

CLAIMS = {
    "claim_conv_needed": "Convolution is needed to extract features before pooling",
    "claim_features_not_image": "Max pooling down-samples the features, not the image, "
    "keeping roughly where the edges are",
    "claim_all_look_same_raw": "If each of the 4 squares has the same max, all images look "
    "the same (raw pixels)",
    "claim_downsample_ok": "You can down-sample the input to 14×14 instead of the first "
    "pooling layer and still get reasonable accuracy",
    "claim_global_invariance": "Pooling gives translation invariance, but only local; full "
    "invariance comes from global pooling",
    "claim_faster_smaller": "Pooling makes the network faster and smaller",
}
evidence = {
    "claim_conv_needed": f"conv + pool {acc['conv_pool']:.1%} vs best pool-only "
    f"{acc[best_pool_only]:.1%}: {points(gap)}",
    "claim_features_not_image": f"distinct test digits after pool {POOL}: edge maps "
    f"{distinct_edges_14:,}, raw pixels {distinct_raw_14:,}, of {n_test:,}",
    "claim_all_look_same_raw": f"{collapsed_raw_14:.1%} of test digits lost at pool {POOL}; "
    f"the largest group of identical digits holds {pattern_counts.max() / n_test:.1%}",
    "claim_downsample_ok": f"down-sample + conv {acc['downsample14_conv']:.1%} vs conv + pool "
    f"{acc['conv_pool']:.1%}: {points(downsample_gap)}",
    "claim_global_invariance": f"similarity after a {SHIFT}-px shift: global max pool "
    f"{whole:.4f}, max pool 2 {local:.4f}",
    "claim_faster_smaller": f"conv + pool / conv without pooling: parameters "
    f"×{params_ratio:.3f}, training time ×{time_ratio:.2f}",
}
verdicts = {
    "claim_conv_needed": gap >= CONV_GAP,
    "claim_features_not_image": distinct_edges_14 > distinct_raw_14,
    "claim_all_look_same_raw": collapsed_raw_14 > 0.5,
    "claim_downsample_ok": downsample_gap >= -DOWNSAMPLE_TOLERANCE,
    "claim_global_invariance": whole >= GLOBAL_SIMILARITY and local < whole,
    "claim_faster_smaller": params_ratio < 1 and time_ratio < 1,
}
verdicts = {key: bool(verdict) for key, verdict in verdicts.items()}
claims_supported, claims_total = sum(verdicts.values()), len(verdicts)

claims(*(Claim(CLAIMS[k], evidence[k], supported) for k, supported in verdicts.items()))

# %%
key_numbers(
    **{f"acc_{key}": float(r.test_accuracy) for key, r in results.items()},
    params_conv_pool=int(r_pool.parameters),
    params_conv_no_pool=int(r_no_pool.parameters),
    seconds_conv_pool=float(r_pool.train_seconds),
    seconds_conv_no_pool=float(r_no_pool.train_seconds),
    distinct_raw_pool_14=int(distinct_raw_14),
    distinct_edges_pool_14=int(distinct_edges_14),
    similarity_pool2_shifted=local,
    similarity_global_shifted=whole,
    claims_supported=int(claims_supported),
    claims_total=int(claims_total),
    **verdicts,
)

# %% [markdown]
# ## Summary
#
# - Max pooling is a summary: it keeps the largest value of each window. Applied to raw
#   pixels, that value mostly says "there is ink here"; applied to edge maps, it says "an
#   edge of this kind is somewhere in this window". The distinct-digit counts and the
#   best-possible-accuracy bound measure the difference before any training.
# - The experiment table puts "straight to max pooling" next to "convolve, then pool" on one
#   budget; the claims table turns the comparison into verdicts, computed, not typed.
# - This convnet never pools to 2×2 in one step: it alternates small convolutions and small
#   poolings, so what it pools are features, and the next convolution combines them.
# - Convolution is shift-equivariant; pooling adds invariance only within its window;
#   global pooling adds it for any shift — at the cost of forgetting *where* a feature was,
#   which the conv + global pooling row prices.
# - Pooling (like stride) shrinks the feature maps, and with them the classifier's
#   parameters and the training time; the conv-without-pooling row measures how much.

# %% [markdown]
# ## Exercises
#
# 1. Train every model for more epochs (say 20). Does the order of the table change, and
#    does any pool-only model come within 5 points of conv + pool?
# 2. Replace max pooling by average pooling (`AveragePooling2D`, and `avg_pool2d` from
#    ps2_pooling for the distinct-digit counts). Which claims change their verdict?
# 3. Build conv + pool with 8 filters in both convolutions. How many parameters, how much
#    accuracy and how much training time does it cost?
# 4. If full MNIST is in Keras' cache, load it with `load_digits("mnist")` and raise
#    `TRAIN_LIMIT`. Do the six verdicts hold with more data?
# 5. Shift the digits by 1 pixel instead of 4: how close does local pool-2 come to global
#    pooling? And by 2 pixels, when the shift lines up with the windows?
