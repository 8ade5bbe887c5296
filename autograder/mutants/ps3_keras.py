"""Plausible wrong answers to ps3_keras, which its visible or hidden tests must catch.

Each mutant edits the body of its reference in :mod:`solutions.models`; it may use the
names the notebook's setup cell imports.
"""

from __future__ import annotations

from autograder.mutants import Edit, Mutant

#: The reference's kernels, loaded into the built layer.
SET_WEIGHTS = 'layer.set_weights([kernels[:, :, np.newaxis, :].astype("float32")])'
# Mistakes that build_pool_only_model and build_conv_pool_model share.
SIGMOID_OUTPUT = Edit('activation="softmax"', 'activation="sigmoid"')
TEN_CLASSES_ALWAYS = Edit("Dense(num_classes,", "Dense(10,")
INPUT_SHAPE_IGNORED = Edit("keras.Input(shape=input_shape)", "keras.Input(shape=(28, 28, 1))")


def both_convolutions(argument: str) -> Edit:
    """The edit that gives each of build_conv_pool_model's Conv2D layers ``argument``."""
    return Edit('activation="relu")', f'activation="relu", {argument})', times=2)


MUTANTS = (
    # edge_conv_layer
    Mutant(
        "edge_conv_layer",
        "flipped_kernels",
        "Flips the kernels (a convolution), though Conv2D already computes correlate2d.",
        (Edit("kernels[:, :, np.newaxis, :]", "kernels[::-1, ::-1, np.newaxis, :]"),),
    ),
    Mutant(
        "edge_conv_layer",
        "upside_down_kernels",
        "Flips the kernels' rows only, half of a convolution's flip.",
        (Edit("kernels[:, :, np.newaxis, :]", "kernels[::-1, :, np.newaxis, :]"),),
    ),
    Mutant(
        "edge_conv_layer",
        "transposed_kernels",
        "Swaps the kernels' rows and columns (height and width axes).",
        (
            Edit(
                "    kh, kw, n = kernels.shape\n",
                "    kernels = np.transpose(kernels, (1, 0, 2))\n    kh, kw, n = kernels.shape\n",
            ),
        ),
    ),
    Mutant(
        "edge_conv_layer",
        "random_bias",
        "Keeps a bias, initialised at random, and loads only the kernels.",
        (
            Edit("use_bias=False", 'bias_initializer="random_normal"'),
            Edit(
                SET_WEIGHTS, 'layer.kernel.assign(kernels[:, :, np.newaxis, :].astype("float32"))'
            ),
        ),
    ),
    Mutant(
        "edge_conv_layer",
        "zero_bias_kept",
        "Keeps the bias (set to zero) instead of building the layer without one.",
        (
            Edit("use_bias=False, ", ""),
            Edit('.astype("float32")])', '.astype("float32"), np.zeros(n, "float32")])'),
        ),
    ),
    Mutant(
        "edge_conv_layer",
        "same_padding",
        'Pads the image ("same") instead of the specified "valid" padding.',
        (Edit('padding="valid"', 'padding="same"'),),
    ),
    Mutant(
        "edge_conv_layer",
        "not_built",
        "Loads the kernels through an initializer but never builds the layer.",
        (
            Edit(
                "    layer = keras.layers.Conv2D(",
                "    initializer = keras.initializers.Constant("
                'kernels[:, :, np.newaxis, :].astype("float32"))\n'
                "    layer = keras.layers.Conv2D(",
            ),
            Edit('padding="valid")', 'padding="valid", kernel_initializer=initializer)'),
            Edit(f"    layer.build((None, None, None, 1))\n    {SET_WEIGHTS}\n", ""),
        ),
    ),
    Mutant(
        "edge_conv_layer",
        "filters_as_channels",
        "Confuses the axes: the kernels' stack becomes input channels of a single filter.",
        (
            Edit("Conv2D(n,", "Conv2D(1,"),
            Edit("(None, None, None, 1)", "(None, None, None, n)"),
            Edit("kernels[:, :, np.newaxis, :]", "kernels[:, :, :, np.newaxis]"),
        ),
    ),
    Mutant(
        "edge_conv_layer",
        "first_kernel_only",
        "Makes one filter, from the first kernel, instead of one per kernel.",
        (
            Edit("Conv2D(n,", "Conv2D(1,"),
            Edit("kernels[:, :, np.newaxis, :]", "kernels[:, :, np.newaxis, :1]"),
        ),
    ),
    Mutant(
        "edge_conv_layer",
        "relu",
        "Adds a ReLU activation, which drops the negative edge responses.",
        (Edit('padding="valid")', 'padding="valid", activation="relu")'),),
    ),
    Mutant(
        "edge_conv_layer",
        "stride_two",
        "Slides the kernels with stride 2 instead of 1.",
        (Edit("kernel_size=(kh, kw),", "kernel_size=(kh, kw), strides=2,"),),
    ),
    Mutant(
        "edge_conv_layer",
        "integer_kernels",
        "Casts the kernels to integers, which truncates every fractional weight.",
        (Edit('.astype("float32")', '.astype(int).astype("float32")'),),
    ),
    Mutant(
        "edge_conv_layer",
        "normalised_kernels",
        "Divides each kernel by the sum of its absolute weights.",
        (
            Edit(
                "    kh, kw, n = kernels.shape\n",
                "    kh, kw, n = kernels.shape\n"
                "    kernels = kernels / np.abs(kernels).sum(axis=(0, 1))\n",
            ),
        ),
    ),
    Mutant(
        "edge_conv_layer",
        "colour_input",
        "Builds the layer for 3-channel (RGB) images, not one-channel ones.",
        (
            Edit("(None, None, None, 1)", "(None, None, None, 3)"),
            Edit(
                "kernels[:, :, np.newaxis, :].astype",
                "np.repeat(kernels[:, :, np.newaxis, :] / 3, 3, axis=2).astype",
            ),
        ),
    ),
    # build_pool_only_model
    Mutant(
        "build_pool_only_model",
        "hidden_dense_layer",
        "Adds a hidden Dense(64, relu) layer before the softmax layer.",
        (
            Edit(
                "    outputs = keras.layers.Dense(",
                '    x = keras.layers.Dense(64, activation="relu")(x)\n'
                "    outputs = keras.layers.Dense(",
            ),
        ),
    ),
    Mutant(
        "build_pool_only_model",
        "convolution_first",
        "Puts a Conv2D before the pooling, so the baseline is no longer pool-only.",
        (
            Edit(
                "    x = keras.layers.MaxPooling2D(pool_size=window)(inputs)",
                '    x = keras.layers.Conv2D(8, 3, padding="same", activation="relu")(inputs)\n'
                "    x = keras.layers.MaxPooling2D(pool_size=window)(x)",
            ),
        ),
    ),
    Mutant(
        "build_pool_only_model",
        "average_pooling",
        "Uses AveragePooling2D instead of MaxPooling2D.",
        (Edit("MaxPooling2D", "AveragePooling2D"),),
    ),
    Mutant(
        "build_pool_only_model",
        "global_pooling",
        "Pools each whole image to one value (GlobalMaxPooling2D), ignoring pool_size.",
        (Edit("MaxPooling2D(pool_size=window)", "GlobalMaxPooling2D()"),),
    ),
    Mutant(
        "build_pool_only_model",
        "no_softmax",
        "Leaves out the softmax: the Dense layer outputs logits, not probabilities.",
        (Edit(', activation="softmax"', ""),),
    ),
    Mutant(
        "build_pool_only_model",
        "sigmoid_output",
        "Uses a sigmoid output, whose class scores do not sum to 1.",
        (SIGMOID_OUTPUT,),
    ),
    Mutant(
        "build_pool_only_model",
        "pool_size_ignored",
        "Always pools 2×2, whatever pool_size says.",
        (Edit("MaxPooling2D(pool_size=window)", "MaxPooling2D(pool_size=2)"),),
    ),
    Mutant(
        "build_pool_only_model",
        "stride_one",
        "Slides the pooling window by 1 instead of by its own size (overlapping windows).",
        (Edit("(pool_size=window)", "(pool_size=window, strides=1)"),),
    ),
    Mutant(
        "build_pool_only_model",
        "same_padding",
        'Pads the image ("same"), so a partial window at the edge is pooled too.',
        (Edit("(pool_size=window)", '(pool_size=window, padding="same")'),),
    ),
    Mutant(
        "build_pool_only_model",
        "ten_classes_always",
        "Always outputs 10 classes, ignoring num_classes.",
        (TEN_CLASSES_ALWAYS,),
    ),
    Mutant(
        "build_pool_only_model",
        "input_shape_ignored",
        "Always expects 28×28 grey images, ignoring input_shape.",
        (INPUT_SHAPE_IGNORED,),
    ),
    Mutant(
        "build_pool_only_model",
        "no_input",
        "Returns a Sequential model without an Input, so it is never built.",
        (
            Edit(
                "    inputs = keras.Input(shape=input_shape)\n"
                "    x = keras.layers.MaxPooling2D(pool_size=window)(inputs)\n"
                "    x = keras.layers.Flatten()(x)\n"
                '    outputs = keras.layers.Dense(num_classes, activation="softmax")(x)\n'
                '    return keras.Model(inputs, outputs, name=f"pool{window[0]}_only")',
                "    return keras.Sequential(\n"
                "        [\n"
                "            keras.layers.MaxPooling2D(pool_size=window),\n"
                "            keras.layers.Flatten(),\n"
                '            keras.layers.Dense(num_classes, activation="softmax"),\n'
                "        ]\n"
                "    )",
            ),
        ),
    ),
    Mutant(
        "build_pool_only_model",
        "compiled",
        "Compiles the model, which must be returned uncompiled.",
        (
            Edit("return keras.Model(", "model = keras.Model("),
            Edit(
                '_only")',
                '_only")\n'
                '    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")\n'
                "    return model",
            ),
        ),
    ),
    # build_conv_pool_model
    Mutant(
        "build_conv_pool_model",
        "no_pooling",
        "Leaves out both pooling layers: only convolutions.",
        (Edit("    x = keras.layers.MaxPooling2D(pool_size=2)(x)\n", "", times=2),),
    ),
    Mutant(
        "build_conv_pool_model",
        "average_pooling",
        "Uses AveragePooling2D instead of MaxPooling2D.",
        (Edit("MaxPooling2D", "AveragePooling2D", times=2),),
    ),
    Mutant(
        "build_conv_pool_model",
        "fewer_filters",
        "Uses 16 and 32 filters instead of 32 and 64.",
        (Edit("Conv2D(32,", "Conv2D(16,"), Edit("Conv2D(64,", "Conv2D(32,")),
    ),
    Mutant(
        "build_conv_pool_model",
        "no_relu",
        "Leaves the convolutions without their ReLU activation.",
        (Edit(', activation="relu"', "", times=2),),
    ),
    Mutant(
        "build_conv_pool_model",
        "no_flatten",
        "Forgets Flatten: the Dense layer works on every pixel of the 5×5 maps.",
        (Edit("    x = keras.layers.Flatten()(x)\n", ""),),
    ),
    Mutant(
        "build_conv_pool_model",
        "no_dropout",
        "Leaves out the Dropout layer.",
        (Edit("    x = keras.layers.Dropout(0.5)(x)\n", ""),),
    ),
    Mutant(
        "build_conv_pool_model",
        "weak_dropout",
        "Drops 20 % of the features instead of 50 %.",
        (Edit("Dropout(0.5)", "Dropout(0.2)"),),
    ),
    Mutant(
        "build_conv_pool_model",
        "sigmoid_output",
        "Uses a sigmoid output, whose class scores do not sum to 1.",
        (SIGMOID_OUTPUT,),
    ),
    Mutant(
        "build_conv_pool_model",
        "same_padding",
        'Pads the convolutions ("same"), so the maps stay larger (7×7, not 5×5).',
        (both_convolutions('padding="same"'),),
    ),
    Mutant(
        "build_conv_pool_model",
        "five_by_five_kernels",
        "Uses 5×5 kernels instead of 3×3.",
        (Edit("kernel_size=3", "kernel_size=5", times=2),),
    ),
    Mutant(
        "build_conv_pool_model",
        "extra_dense_layer",
        "Adds a hidden Dense(128, relu) layer, as other tutorials' convnets do.",
        (
            Edit(
                "    x = keras.layers.Dropout(",
                '    x = keras.layers.Dense(128, activation="relu")(x)\n'
                "    x = keras.layers.Dropout(",
            ),
        ),
    ),
    Mutant(
        "build_conv_pool_model",
        "pool_only",
        "Goes straight to max pooling: 14×14 pooling and a softmax layer, no convolution.",
        (
            Edit(
                '    x = keras.layers.Conv2D(32, kernel_size=3, activation="relu")(inputs)\n'
                "    x = keras.layers.MaxPooling2D(pool_size=2)(x)\n"
                '    x = keras.layers.Conv2D(64, kernel_size=3, activation="relu")(x)\n'
                "    x = keras.layers.MaxPooling2D(pool_size=2)(x)\n",
                "    x = keras.layers.MaxPooling2D(pool_size=14)(inputs)\n",
            ),
            Edit("    x = keras.layers.Dropout(0.5)(x)\n", ""),
        ),
    ),
    Mutant(
        "build_conv_pool_model",
        "ten_classes_always",
        "Always outputs 10 classes, ignoring num_classes.",
        (TEN_CLASSES_ALWAYS,),
    ),
    Mutant(
        "build_conv_pool_model",
        "input_shape_ignored",
        "Always expects 28×28 grey images, ignoring input_shape.",
        (INPUT_SHAPE_IGNORED,),
    ),
    Mutant(
        "build_conv_pool_model",
        "zero_initial_weights",
        "Starts the convolutions' kernels at zero: the ReLUs stay dead and nothing is learned.",
        (both_convolutions('kernel_initializer="zeros"'),),
    ),
    Mutant(
        "build_conv_pool_model",
        "constant_initial_weights",
        "Starts every kernel weight at 0.1: all filters stay identical, as if there were one.",
        (
            Edit(
                "    inputs = keras.Input(",
                "    start = keras.initializers.Constant(0.1)\n    inputs = keras.Input(",
            ),
            both_convolutions("kernel_initializer=start"),
        ),
    ),
    Mutant(
        "build_conv_pool_model",
        "frozen_convolutions",
        "Freezes the convolutions (trainable=False): their random filters are never learned.",
        (both_convolutions("trainable=False"),),
    ),
)
