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
# # Lesson 4 — Into Keras
#
# We load our hand-made edge filters into a Keras `Conv2D`, check that Keras computes exactly
# what our NumPy code computes, then train a small convnet and ask what its first layer learned.

# %% [markdown]
# ## Setup
#
# `import course` comes first: it silences TensorFlow's start-up noise. The Keras code below
# uses only `keras.layers`, `keras.ops` and `keras.Model`, so it runs on any Keras backend.

# %%
import course  # noqa: F401  (first: it silences TensorFlow's start-up logs)

import keras
import matplotlib.pyplot as plt
import numpy as np

from course.data import load_digits, the_seven
from course.edges import EDGE_DIRECTIONS
from course.key_numbers import key_numbers
from course.plotting import plot_feature_maps
from course.training import train_and_evaluate

print("Keras", keras.__version__, "on the", keras.backend.backend(), "backend")

# %% [markdown]
# ## The tools from lessons 1 and 2, and a new one
#
# From lesson 1 we have `correlate2d(image, kernel, stride=1, padding="valid")` and
# `edge_kernel(direction)`, the 3×3 Sobel kernel for the `"left"`, `"right"`, `"top"` or
# `"bottom"` edge of a bright stroke; from lesson 2, `max_pool2d(x, pool_size=2, stride=None,
# padding="valid")`. The new tool is a Keras layer that holds hand-made kernels.

# %% [markdown]
# **Exercise (ps3_keras).** Implement `edge_conv_layer(kernels)`. It takes `n` kernels
# stacked on the last axis, a real array of shape `(kh, kw, n)`, and returns a **built**
# `keras.layers.Conv2D` for one-channel images with `n` filters, those kernels as its
# (float32) weights, no bias, no activation, stride 1 and `"valid"` padding, so that output
# channel `i` is the cross-correlation of the image with `kernels[:, :, i]`. Keras stores a
# `Conv2D`'s kernel as `(kh, kw, input channels, filters)`, so the kernels need an
# input-channel axis of length one before `layer.set_weights(...)`; build the layer first
# (`layer.build((None, None, None, 1))`). Raise a clear error for kernels that are not 3-D,
# empty, or not finite real numbers.

# %% tags=["exercise"]
# Exercise (graded in ps3_keras): implement edge_conv_layer(kernels) -> a built Conv2D layer.
# edge_kernel and correlate2d are yours from lesson 1 (ps1_filters), max_pool2d from lesson 2.
from solutions import correlate2d, edge_conv_layer, edge_kernel, max_pool2d

# %% [markdown]
# ## Hand-made edge filters inside a `Conv2D`
#
# We stack the four edge kernels into one `(3, 3, 4)` array and turn them into a layer.

# %%
edge_kernels = np.stack([edge_kernel(d) for d in EDGE_DIRECTIONS], axis=-1)
edge_layer = edge_conv_layer(edge_kernels)
print("stacked kernels:", edge_kernels.shape)
print("layer kernel:   ", tuple(edge_layer.kernel.shape), "(height, width, in, out)")
print("bias:", edge_layer.use_bias, "| weights to learn:", edge_layer.count_params())

# %% [markdown]
# Keras layers work on batches of images with a channel axis, so the 7 becomes an array of shape
# `(1, 28, 28, 1)`: one image, one channel. The layer answers with one map per filter.

# %%
seven = the_seven()
batch = seven[np.newaxis, :, :, np.newaxis].astype("float32")
keras_maps = keras.ops.convert_to_numpy(edge_layer(batch))[0]  # (26, 26, 4)
hand_maps = np.stack([correlate2d(seven, edge_kernel(d)) for d in EDGE_DIRECTIONS], axis=-1)
print("Conv2D output:", keras_maps.shape, "| correlate2d outputs stacked:", hand_maps.shape)

channel_errors = np.abs(keras_maps - hand_maps).max(axis=(0, 1))
for direction, error in zip(EDGE_DIRECTIONS, channel_errors, strict=True):
    print(f"  {direction:>6}: max |Conv2D − correlate2d| = {error:.2e}")
edge_layer_error = float(channel_errors.max())

# Flipping a Sobel kernel negates it, so true convolution would give the opposite maps.
flipped = np.stack([correlate2d(seven, edge_kernel(d)[::-1, ::-1]) for d in EDGE_DIRECTIONS], -1)
print(f"max |Conv2D − convolution (flipped kernels)| = {np.abs(keras_maps - flipped).max():.2f}")

# %% [markdown]
# Compare the two kinds of difference printed above: the layer against `correlate2d`, channel by
# channel, and against the flipped kernels. Keras' `Conv2D` computes **cross-correlation**, as we
# did by hand; the test suite holds the first difference to float32 rounding.

# %%
figure = plot_feature_maps(
    seven,
    {f"{d} (Conv2D)": keras_maps[:, :, i] for i, d in enumerate(EDGE_DIRECTIONS)},
    title="The 7 through a Conv2D holding the four hand-made edge kernels",
    image_title="the 7",
)
figure.set_size_inches(12, 3)
plt.show()

# %% [markdown]
# ## `MaxPooling2D` is our `max_pool2d`
#
# Keras' `MaxPooling2D(2)` pools every channel separately with non-overlapping 2×2 windows. We
# feed it the four Keras edge maps and compare each pooled channel with our `max_pool2d`.

# %%
pool_size = 2
keras_pooled = keras.ops.convert_to_numpy(
    keras.layers.MaxPooling2D(pool_size)(keras_maps[np.newaxis])
)[0]
hand_pooled = np.stack(
    [max_pool2d(keras_maps[:, :, i], pool_size) for i in range(len(EDGE_DIRECTIONS))], axis=-1
)
print("pooled maps:", keras_maps.shape, "→", keras_pooled.shape)
pool_errors = np.abs(keras_pooled - hand_pooled).max(axis=(0, 1))
for direction, error in zip(EDGE_DIRECTIONS, pool_errors, strict=True):
    print(f"  {direction:>6}: max |MaxPooling2D − max_pool2d| = {error:.2e}")
pool_error = float(pool_errors.max())

# %%
figure = plot_feature_maps(
    seven,
    {f"{d}, pooled": keras_pooled[:, :, i] for i, d in enumerate(EDGE_DIRECTIONS)},
    title=f"The four edge maps after MaxPooling2D({pool_size}): half the resolution per axis",
    image_title="the 7",
)
figure.set_size_inches(12, 3)
plt.show()

# %% [markdown]
# Pooling after the edge filters keeps the largest **edge response** in each window, not the
# brightest pixel: each pooled value says how strongly an edge of that direction appears
# somewhere in its 2×2 window.
#
# ## A small convnet, trained
#
# Now we let the network choose its own filters. Each `Conv2D` is shift-equivariant and each
# `MaxPooling2D(2)` adds invariance to shifts that stay inside its 2×2 windows (lesson 3).

# %% [markdown]
# **Exercise (ps3_keras).** Implement `build_conv_pool_model(input_shape=(28, 28, 1),
# num_classes=10)`: the shape of keras.io's "Simple MNIST convnet", an uncompiled
# `keras.Model`
#
# `Input → Conv2D(32, 3, relu) → MaxPooling2D(2) → Conv2D(64, 3, relu) → MaxPooling2D(2) →
# Flatten → Dropout(0.5) → Dense(num_classes, softmax)`
#
# with "valid" padding throughout; for 28×28 digits it has 34,826 parameters. When graded,
# it is also trained briefly on the bundled digits and must reach the test accuracy that the
# assignment notebook states. Raise a clear error for an `input_shape` that is not three
# positive integers or a `num_classes` below 2.

# %% tags=["exercise"]
# Exercise (graded in ps3_keras): implement build_conv_pool_model(input_shape, num_classes).
from solutions import build_conv_pool_model

# %%
build_conv_pool_model().summary()

# %% [markdown]
# `train_and_evaluate` seeds Keras, builds the model, trains it with Adam and scores it on the
# test digits. We cap the training set so that the lesson stays fast even when full MNIST is
# available; with zero epochs the same call gives the untrained network, our reference point.

# %%
max_train = 10_000  # at most this many training digits
epochs, batch_size = 5, 128
(x_train, y_train), (x_test, y_test) = load_digits()
data = ((x_train[:max_train], y_train[:max_train]), (x_test, y_test))
print(f"training on {len(data[0][0]):,} digits, testing on {len(x_test):,}")

untrained = train_and_evaluate(build_conv_pool_model, data, epochs=0, batch_size=batch_size)
result = train_and_evaluate(build_conv_pool_model, data, epochs=epochs, batch_size=batch_size)
model = result.model
print(f"untrained test accuracy:          {untrained.test_accuracy:.1%}")
print(f"test accuracy after {epochs} epochs:     {result.test_accuracy:.1%}")
print(f"parameters:                       {result.parameters:,}")
print(f"training time:                    {result.train_seconds:.1f} s")

# %% [markdown]
# ## What did the first layer learn?
#
# The first `Conv2D` holds 32 kernels of size 3×3 (one input channel). `model.layers` starts with
# the `InputLayer`, so we look the layer up by type rather than trust an index.

# %%
print([type(layer).__name__ for layer in model.layers])
first_conv = next(layer for layer in model.layers if isinstance(layer, keras.layers.Conv2D))
learned, learned_bias = first_conv.get_weights()  # (3, 3, 1, 32), (32,)
learned = learned[:, :, 0, :]
initial = next(
    layer for layer in untrained.model.layers if isinstance(layer, keras.layers.Conv2D)
).get_weights()[0][:, :, 0, :]
print("learned kernels:", learned.shape, "| biases:", learned_bias.shape)


# %%
def mosaic(kernels, columns):
    """Tile kernels (n, kh, kw) into one image with one-pixel gaps, each scaled to its max |w|."""
    n, kh, kw = kernels.shape
    tiles = np.full((-(-n // columns) * (kh + 1) - 1, columns * (kw + 1) - 1), np.nan)
    for i, kernel in enumerate(kernels):
        r, c = divmod(i, columns)
        tile = kernel / (np.abs(kernel).max() or 1.0)  # we compare shapes, not sizes
        tiles[r * (kh + 1) : r * (kh + 1) + kh, c * (kw + 1) : c * (kw + 1) + kw] = tile
    return tiles


columns = 8
kernel_cmap = plt.get_cmap("RdBu_r").with_extremes(bad="0.3")  # dark grey gaps between kernels
figure, (ax_learned, ax_hand) = plt.subplots(
    1, 2, figsize=(12, 4.2), width_ratios=[columns, 1], layout="constrained"
)
ax_learned.imshow(mosaic(np.moveaxis(learned, -1, 0), columns), cmap=kernel_cmap, vmin=-1, vmax=1)
ax_learned.set_xticks(np.arange(columns) * 4 + 1, [f"+{c}" for c in range(columns)])
ax_learned.set_yticks(np.arange(4) * 4 + 1, [f"#{r * columns}" for r in range(4)])
ax_learned.set_xlabel("kernel number: row start + column offset")
ax_learned.set_title(f"The {learned.shape[-1]} learned first-layer kernels (3×3)")
hand_tiles = mosaic(np.moveaxis(edge_kernels, -1, 0), 1)
image = ax_hand.imshow(hand_tiles, cmap=kernel_cmap, vmin=-1, vmax=1)
ax_hand.set_xticks([])
ax_hand.set_yticks(np.arange(4) * 4 + 1, EDGE_DIRECTIONS)
ax_hand.set_title("Hand-made")
figure.colorbar(image, ax=ax_hand, label="weight ÷ kernel's largest |weight|")
plt.show()


# %% [markdown]
# An edge detector has a positive side and a negative side, like the hand-made kernels on the
# right. Looking for such kernels in the grid is a start, but the eye is easily fooled, so we
# measure. The **cosine similarity** of two flattened 3×3 kernels is 1 for the same pattern (at
# any positive scale) and −1 for the opposite one. For each hand-made kernel we find its most
# similar learned kernel.
#
# With 32 kernels in a 9-dimensional space, some kernel may point partly toward a given pattern
# by chance alone, so a high best match proves little by itself. We compare with two
# references: the same layer **before training**, and 2,000 banks of 32 random kernels drawn the
# way Keras initialises them (independent uniform weights; the cosine ignores their scale).


# %%
def cosine_matrix(a, b):
    """Cosine similarity of every kernel of a (kh, kw, n) with every kernel of b (kh, kw, m)."""
    a = a.reshape(-1, a.shape[-1]) / np.linalg.norm(a.reshape(-1, a.shape[-1]), axis=0)
    b = b.reshape(-1, b.shape[-1]) / np.linalg.norm(b.reshape(-1, b.shape[-1]), axis=0)
    return a.T @ b


similarity = cosine_matrix(edge_kernels, learned)  # (4, 32)
best_index = similarity.argmax(axis=1)
best_similarity = similarity.max(axis=1)
initial_best = cosine_matrix(edge_kernels, initial).max(axis=1)
print("hand kernel  best learned kernel  similarity  (best before training)")
for direction, k, s, s0 in zip(
    EDGE_DIRECTIONS, best_index, best_similarity, initial_best, strict=True
):
    print(f"{direction:>11}  #{k:<18} {s:>10.3f}  ({s0:.3f})")

rng = np.random.default_rng(0)
banks = rng.uniform(-1.0, 1.0, size=(2_000, 3, 3, 32))  # 2,000 random banks of 32 kernels
random_scores = np.array([cosine_matrix(edge_kernels, bank).max(axis=1).mean() for bank in banks])
trained_score, initial_score = float(best_similarity.mean()), float(initial_best.mean())
reached = int((random_scores >= trained_score).sum())
share = reached / len(banks)
print(f"\nmean best similarity: trained {trained_score:.3f}, before training {initial_score:.3f}")
print(
    f"random banks: median {np.median(random_scores):.3f}, 99th pct "
    f"{np.percentile(random_scores, 99):.3f}; {reached:,} of {len(banks):,} reach the trained score"
)
print(
    "Verdict: training moved the first layer towards edge detectors, beyond chance."
    if share < 0.01 and trained_score > initial_score
    else "Verdict: the match with edge detectors is not clearly beyond what chance gives."
)

# %%
plt.figure(figsize=(8, 3.5))
plt.hist(random_scores, bins=40, color="lightgray", label="2,000 random banks of 32 kernels")
plt.axvline(initial_score, color="tab:blue", ls="--", label="first layer before training")
plt.axvline(trained_score, color="tab:red", label="first layer after training")
plt.xlabel("mean over the four edge kernels of the best cosine similarity")
plt.ylabel("number of random banks")
plt.title("How edge-like is the first layer, compared with chance?")
plt.legend(loc="upper left", fontsize=9)
plt.show()

# %% [markdown]
# ## The 7 through the learned filters
#
# Kernels are one view; what they do to an image is another. We cut the trained model after its
# first `Conv2D` (a `keras.Model` sharing its weights) and run the 7 through it. The learned maps
# come after the bias and the ReLU, so they hold no negative values; to compare like with like we
# also pass the hand-made maps through a ReLU. Top row: hand-made edge maps; middle row: the
# learned kernel most similar to each; bottom row: four other learned kernels. We score each
# learned map against each hand-made map with the same cosine similarity, now over 26×26 pixels,
# and ask whether the most similar *kernel* also gives the most similar *map*.

# %%
first_layer = keras.Model(model.input, first_conv.output)
learned_maps = keras.ops.convert_to_numpy(first_layer(batch))[0]  # (26, 26, 32)
hand_relu = np.maximum(hand_maps, 0.0)
others = [i for i in range(learned.shape[-1]) if i not in set(best_index)][:4]
map_cosines = cosine_matrix(hand_relu, learned_maps)  # (4, 32): every hand map vs every map
map_similarity = map_cosines[np.arange(4), best_index]

figure, axes = plt.subplots(3, 4, figsize=(10, 8), layout="constrained")
matched = [f"#{k}, map cos {s:.2f}" for k, s in zip(best_index, map_similarity, strict=True)]
rows = [
    (hand_relu, range(4), [f"{d} (hand, ReLU)" for d in EDGE_DIRECTIONS]),
    (learned_maps, best_index, matched),
    (learned_maps, others, [f"#{k} (other)" for k in others]),
]
for row, (maps, channels, titles) in zip(axes, rows, strict=True):
    limit = max(float(maps[:, :, list(channels)].max()), 1e-6)
    for axis, channel, title in zip(row, channels, titles, strict=True):
        image = axis.imshow(maps[:, :, channel], cmap="Reds", vmin=0.0, vmax=limit)
        axis.set_title(title, fontsize=9)
        axis.set_xlabel("column")
    row[0].set_ylabel("row")
    figure.colorbar(image, ax=row, shrink=0.8, label="response")
figure.suptitle("Feature maps of the 7: hand-made edges (top) and the learned first layer")
plt.show()
print("edge map  vs learned map  cosine  (median over all 32 learned maps, best of them)")
for i, direction in enumerate(EDGE_DIRECTIONS):
    print(
        f"{direction:>8}  #{best_index[i]:<15} {map_similarity[i]:.3f}   "
        f"({np.median(map_cosines[i]):.3f}, #{map_cosines[i].argmax()} {map_cosines[i].max():.3f})"
    )
same = int((map_cosines.argmax(axis=1) == best_index).sum())
print(f"the most similar kernel also gives the most similar map for {same} of 4 edges")

# %% [markdown]
# ## Key numbers

# %%
key_numbers(
    edge_layer_vs_correlate2d_max_error=edge_layer_error,
    keras_pool_vs_hand_pool_max_error=pool_error,
    conv_pool_test_accuracy=result.test_accuracy,
    conv_pool_parameters=int(result.parameters),
    conv_pool_train_seconds=result.train_seconds,
    best_learned_filter_similarity=trained_score,
    best_initial_filter_similarity=initial_score,
    random_banks_reaching_trained_similarity=share,
    untrained_test_accuracy=untrained.test_accuracy,
    edges_where_best_kernel_gives_best_map=same,
)

# %% [markdown]
# ## Summary
#
# - A `Conv2D` holding our hand-made kernels reproduces `correlate2d` channel by channel up to
#   float32 rounding: Keras' "convolution" is cross-correlation, as we computed by hand.
# - `MaxPooling2D` reproduces `max_pool2d` on every channel: it keeps the strongest edge
#   response of each window, not the brightest pixel.
# - A small convnet built from the same two blocks learns to read digits: compare its test
#   accuracy with the untrained network's, and see its size and training time, in the table.
# - Whether its first layer learned edge detectors is a measurement, not a given: the printed
#   verdict compares the trained kernels with the same layer before training and with random
#   kernel banks, and the feature maps of the 7 check the match from the image side.
#
# ## Exercises
#
# 1. Build a variant of `build_conv_pool_model` whose first layer has four filters initialised
#    with the edge kernels (`layer.set_weights`) and frozen (`layer.trainable = False`). How does
#    its test accuracy compare with the learned first layer?
# 2. Use 4 or 8 filters in the first `Conv2D` instead of 32. How do the accuracy and the best
#    cosine similarity to the edge kernels change? (The random-bank reference must change too.)
# 3. Train for 1 epoch and for 10 epochs. Does the first layer become more edge-like with longer
#    training, or does only the accuracy move?
# 4. Replace both `MaxPooling2D` layers by `AveragePooling2D` and compare accuracy and training
#    time with `train_and_evaluate`.
