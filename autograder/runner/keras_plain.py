"""Keras layers and models as plain data, rebuilt only from what graded functions may return.

A student's Keras object crosses the sandbox's boundary as its serialized config (JSON)
and its weights (``.npy`` arrays), never as a ``.keras`` archive or a pickle. Rebuilding
it is where a hostile config could make Keras read a file (a lookup layer's vocabulary),
import a module or run a lambda, so :func:`rebuild_layer` and :func:`rebuild_model`
accept only:

- layers of :data:`ALLOWED_LAYERS` from ``keras.layers``, and inside them only the
  objects of :data:`ALLOWED_OBJECTS` (initializers, regularizers, constraints, the
  ``float32`` dtype policy); every ``dtype`` is ``float32``;
- no string that looks like a file path;
- built layers and models only, models that are a chain (``Sequential``, or
  ``Functional`` where each layer takes the previous one's output), whose parameter
  count and multiply-adds per image, computed from the configs *before* any weight is
  allocated, stay within :data:`REBUILD_LIMITS`.

Layers are deserialized one by one in Keras' safe mode and the model is assembled here,
so what is rebuilt is exactly what was checked. Anything else raises :class:`Refused`,
whose message never carries more than the student's own config.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = [
    "ALLOWED_LAYERS",
    "ALLOWED_OBJECTS",
    "REBUILD_LIMITS",
    "Cost",
    "Refused",
    "describe_layer",
    "describe_model",
    "model_cost",
    "rebuild_layer",
    "rebuild_model",
]

#: Layer classes (of ``keras.layers``) a returned layer or model may hold.
ALLOWED_LAYERS = frozenset(
    {
        "InputLayer",
        "Conv2D",
        "MaxPooling2D",
        "AveragePooling2D",
        "GlobalMaxPooling2D",
        "GlobalAveragePooling2D",
        "Flatten",
        "Dense",
        "Dropout",
        "Activation",
        "ReLU",
        "Softmax",
        "Reshape",
    }
)
#: The objects a layer's config may hold: (module, class name).
ALLOWED_OBJECTS = frozenset(
    {("keras", "DTypePolicy")}
    | {
        ("keras.initializers", name)
        for name in (
            "Constant",
            "GlorotNormal",
            "GlorotUniform",
            "HeNormal",
            "HeUniform",
            "Identity",
            "LecunNormal",
            "LecunUniform",
            "Ones",
            "Orthogonal",
            "RandomNormal",
            "RandomUniform",
            "TruncatedNormal",
            "VarianceScaling",
            "Zeros",
        )
    }
    | {("keras.regularizers", name) for name in ("L1", "L2", "L1L2")}
    | {("keras.constraints", name) for name in ("MaxNorm", "MinMaxNorm", "NonNeg", "UnitNorm")}
)
#: Model classes whose config is a list of layers.
_MODELS = frozenset({"Sequential", "Functional"})


@dataclass(frozen=True)
class RebuildLimits:
    """What a rebuilt layer or model may cost in the grader's process."""

    layers: int = 64
    parameters: int = 2_000_000
    macs_per_image: int = 200_000_000
    input_values: int = 2**20
    config_nodes: int = 50_000
    config_depth: int = 40


REBUILD_LIMITS = RebuildLimits()


class Refused(ValueError):
    """A returned Keras object that the grader will not rebuild (the message says why)."""


@dataclass(frozen=True)
class Cost:
    """A model's size: parameters, and multiply-adds for one input image."""

    parameters: int
    macs_per_image: int


# -- the sandbox's side: describe ------------------------------------------------------
def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"{type(value).__name__} in a Keras config")


def _serialized(value: Any) -> dict:
    import keras

    return json.loads(json.dumps(keras.saving.serialize_keras_object(value), default=_plain))


def describe_layer(layer: Any) -> dict:
    """A built or unbuilt Keras layer as plain data (config; weights as arrays)."""
    return {
        "config": _serialized(layer),
        "built": bool(layer.built),
        "weights": [np.asarray(w) for w in layer.get_weights()],
    }


def describe_model(model: Any) -> dict:
    """A Keras model as plain data: its config, weights and whether it was compiled."""
    return {
        "config": _serialized(model),
        "compiled": bool(getattr(model, "compiled", False)),
        "weights": [np.asarray(w) for w in model.get_weights()],
    }


# -- the grader's side: check, cost, rebuild -------------------------------------------
def _looks_like_path(text: str) -> bool:
    return any(mark in text for mark in ("/", "\\", "\0", "~")) or text.startswith(".")


def _check_tree(node: Any, where: str, depth: int, count: list[int], limits: RebuildLimits) -> None:
    """Every value of a config: plain JSON, no path, only allowed objects, float32 only."""
    count[0] += 1
    if count[0] > limits.config_nodes or depth > limits.config_depth:
        raise Refused("the Keras config is too large or too deeply nested")
    if isinstance(node, str):
        if len(node) > 200 or _looks_like_path(node):
            raise Refused(f"{where}: {node[:60]!r} is not allowed in a Keras config here")
        return
    if node is None or isinstance(node, bool | int):
        return
    if isinstance(node, float):
        if not math.isfinite(node):
            raise Refused(f"{where}: {node} is not a finite number")
        return
    if isinstance(node, list):
        for i, item in enumerate(node):
            _check_tree(item, f"{where}[{i}]", depth + 1, count, limits)
        return
    if not isinstance(node, dict):
        raise Refused(f"{where}: a {type(node).__name__} in a Keras config")
    if "class_name" in node and node["class_name"] != "__keras_tensor__":
        pair = (node.get("module"), node.get("class_name"))
        layer = pair[0] == "keras.layers" and pair[1] in ALLOWED_LAYERS
        if not (layer or pair in ALLOWED_OBJECTS or where == "model"):
            raise Refused(
                f"{where}: {pair[1]!r} (from {pair[0]!r}) is not allowed: a graded layer or"
                f" model may hold only {', '.join(sorted(ALLOWED_LAYERS - {'InputLayer'}))}"
            )
        if node.get("registered_name") not in (None, pair[1]):
            raise Refused(f"{where}: custom objects are not allowed")
    for key, value in node.items():
        if not isinstance(key, str):
            raise Refused(f"{where}: a Keras config's keys are strings")
        if key == "dtype":
            _check_dtype(value, f"{where}.dtype")
        _check_tree(value, f"{where}.{key}", depth + 1, count, limits)


def _check_dtype(value: Any, where: str) -> None:
    name = value
    if isinstance(value, dict):
        name = (value.get("config") or {}).get("name") if value.get("class_name") else None
    if name != "float32":
        shown = name if isinstance(name, str) else type(value).__name__
        raise Refused(f"{where}: layers must compute in float32; got dtype {shown!r}")


def _shape(value: Any, where: str, limits: RebuildLimits) -> tuple[int | None, ...]:
    """An input shape of a config: a batch axis (None), then positive sizes (None: any
    size, counted as 1 in the multiply-adds)."""
    if not isinstance(value, list) or not 2 <= len(value) <= 5 or value[0] is not None:
        raise Refused(f"{where}: expected an input shape [None, sizes...]; got {value!r}")
    sizes = value[1:]
    if not all(s is None or (type(s) is int and 0 < s <= 4096) for s in sizes):
        raise Refused(f"{where}: input sizes must be whole numbers from 1 to 4096; got {value!r}")
    if math.prod(s or 1 for s in sizes) > limits.input_values:
        raise Refused(f"{where}: inputs of shape {value} are larger than the grader allows")
    return (None, *sizes)


def _layer_from(entry: dict, where: str) -> Any:
    """One layer, deserialized in safe mode, not built (no weight is allocated)."""
    import keras

    config = {k: v for k, v in entry.items() if k not in ("build_config", "inbound_nodes")}
    try:
        layer = keras.saving.deserialize_keras_object(config, safe_mode=True)
    except Exception as error:  # a config Keras refuses: its own message, bounded
        raise Refused(f"{where}: Keras could not rebuild it ({type(error).__name__})") from None
    if type(layer).__name__ != entry.get("class_name") or not isinstance(layer, keras.layers.Layer):
        raise Refused(f"{where}: not a {entry.get('class_name')} layer")
    if getattr(layer, "data_format", "channels_last") != "channels_last":
        raise Refused(f"{where}: the course's layers are channels_last")
    return layer


def _layer_cost(layer: Any, shape: tuple, where: str) -> tuple[tuple, int, int]:
    """(output shape, parameters, multiply-adds per image) of an unbuilt layer."""
    try:
        out = tuple(layer.compute_output_shape(shape))
    except Exception as error:
        raise Refused(f"{where}: does not fit inputs of shape {shape} ({error})"[:300]) from None
    if any(s is not None and (type(s) is not int or s <= 0) for s in out[1:]):
        raise Refused(f"{where}: gives outputs of shape {out}")
    values = math.prod(s or 1 for s in out[1:])
    name = type(layer).__name__
    if name == "Conv2D":
        kh, kw = layer.kernel_size
        fan_in = kh * kw * shape[-1] // max(int(layer.groups), 1)
        return out, fan_in * layer.filters + layer.filters * layer.use_bias, values * fan_in
    if name == "Dense":
        inputs = shape[-1] or 1
        return out, inputs * layer.units + layer.units * layer.use_bias, values * inputs
    window = math.prod(getattr(layer, "pool_size", (1,)))
    return out, 0, values * window


def _layers(entries: list, limits: RebuildLimits) -> list:
    """Deserialize a chain of layer configs, building none of them."""
    if len(entries) > limits.layers:
        raise Refused(f"a graded model has at most {limits.layers} layers; got {len(entries)}")
    return [_layer_from(e, f"layer {i} ({e.get('class_name')})") for i, e in enumerate(entries)]


def _cost(layers: list, shape: tuple) -> Cost:
    """The parameters and multiply-adds per image of a chain of unbuilt layers."""
    parameters = macs = 0
    for i, layer in enumerate(layers):
        shape, weights, work = _layer_cost(layer, shape, f"layer {i} ({type(layer).__name__})")
        parameters, macs = parameters + weights, macs + work
    return Cost(parameters, macs)


def _within(cost: Cost, limits: RebuildLimits) -> None:
    if cost.parameters > limits.parameters or cost.macs_per_image > limits.macs_per_image:
        raise Refused(
            f"the model has {cost.parameters:,} parameters and needs {cost.macs_per_image:,}"
            f" multiply-adds per image; the grader rebuilds at most {limits.parameters:,} and"
            f" {limits.macs_per_image:,}"
        )


def _set_weights(target: Any, weights: list[np.ndarray], what: str) -> None:
    expected = [tuple(w.shape) for w in target.weights]
    given = [tuple(w.shape) for w in weights]
    if expected != given or any(w.dtype != np.float32 for w in weights):
        raise Refused(f"the {what}'s weights do not match its layers (float32 {expected})")
    target.set_weights(weights)


def rebuild_layer(description: dict, limits: RebuildLimits = REBUILD_LIMITS) -> Any:
    """The layer :func:`describe_layer` described, checked as the module docstring says."""
    config = description["config"]
    _check_tree(config, "layer", 0, [0], limits)
    if not isinstance(config, dict) or config.get("class_name") == "InputLayer":
        raise Refused("not a layer a graded function may return")
    layer = _layer_from(config, "the layer")
    build = config.get("build_config")
    if not description["built"] or not isinstance(build, dict):  # its size would be unknown
        raise Refused("the layer is not built: build it, e.g. layer.build((None, None, None, 1))")
    shape = _shape(build.get("input_shape"), "the layer's input shape", limits)
    _within(_cost([layer], shape), limits)
    layer.build(shape)
    _set_weights(layer, description["weights"], "layer")
    return layer


def _chain_entries(config: dict, limits: RebuildLimits) -> tuple[str, tuple | None, list]:
    """(model class, input shape or None, the layer configs after the input)."""
    kind = config.get("class_name")
    inner = config.get("config")
    if kind not in _MODELS or not isinstance(inner, dict):
        raise Refused(f"a graded model is a Sequential or Functional model; got {kind!r}")
    entries = inner.get("layers")
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise Refused("the model's config has no list of layers")
    shape = None
    if entries and entries[0].get("class_name") == "InputLayer":
        shape = _shape(entries[0].get("config", {}).get("batch_shape"), "the Input", limits)
    elif kind == "Sequential" and isinstance(inner.get("build_config"), dict):
        shape = _shape(inner["build_config"].get("input_shape"), "the input shape", limits)
    rest = (
        entries[1:]
        if shape is not None and entries[0].get("class_name") == "InputLayer"
        else entries
    )
    if kind == "Functional":
        if shape is None:
            raise Refused("a Functional model starts with keras.Input")
        _check_functional_chain(inner, entries)
    if any(e.get("class_name") == "InputLayer" for e in rest):
        raise Refused("a graded model has one Input, first")
    return kind, shape, rest


def _history(node: Any) -> Any:
    """The layer name a serialized KerasTensor comes from, or None."""
    if isinstance(node, dict) and node.get("class_name") == "__keras_tensor__":
        history = (node.get("config") or {}).get("keras_history")
        if isinstance(history, list) and len(history) == 3 and history[1:] == [0, 0]:
            return history[0]
    return None


def _check_functional_chain(inner: dict, entries: list) -> None:
    names = [e.get("name") for e in entries]
    if len(set(map(str, names))) != len(names):
        raise Refused("the model's layers need distinct names")
    for previous, entry in zip(names, entries[1:], strict=False):
        nodes = entry.get("inbound_nodes")
        if not (
            isinstance(nodes, list)
            and len(nodes) == 1
            and isinstance(nodes[0], dict)
            and nodes[0].get("kwargs") in ({}, {"training": False}, None)
            and isinstance(nodes[0].get("args"), list)
            and len(nodes[0]["args"]) == 1
            and _history(nodes[0]["args"][0]) == previous
        ):
            raise Refused(
                f"layer {entry.get('name')!r} must take the previous layer's output: a graded"
                " model is a chain of layers"
            )
    if inner.get("input_layers") not in ([[names[0], 0, 0]], [names[0], 0, 0]) or inner.get(
        "output_layers"
    ) not in ([[names[-1], 0, 0]], [names[-1], 0, 0]):
        raise Refused("a graded model has one input (its first layer) and one output (its last)")


def rebuild_model(description: dict, limits: RebuildLimits = REBUILD_LIMITS) -> Any:
    """The model :func:`describe_model` described, checked as the module docstring says."""
    import keras

    config = description["config"]
    if not isinstance(config, dict):
        raise Refused("not a model")
    # How it was compiled is not rebuilt (only that it was: ``compiled``).
    config = {k: v for k, v in config.items() if k != "compile_config"}
    _check_tree(config, "model", 0, [0], limits)
    kind, shape, entries = _chain_entries(config, limits)
    name = (config.get("config") or {}).get("name")
    name = name if isinstance(name, str) and name.isidentifier() else None
    if shape is None:  # an unbuilt Sequential: its size would be unknown
        raise Refused("the model is not built: start it with keras.Input(shape=input_shape)")
    layers = _layers(entries, limits)
    _within(_cost(layers, shape), limits)
    inputs = keras.Input(batch_shape=shape)
    if kind == "Sequential":
        model = keras.Sequential([inputs, *layers], name=name)
    else:
        outputs = inputs
        for layer in layers:
            outputs = layer(outputs)
        model = keras.Model(inputs, outputs, name=name)
    _set_weights(model, description["weights"], "model")
    if description["compiled"]:
        model.compile()
    return model


def model_cost(model: Any, limits: RebuildLimits = REBUILD_LIMITS) -> Cost:
    """The parameters and multiply-adds per image of a model :func:`rebuild_model` made."""
    description = describe_model(model)
    _, shape, entries = _chain_entries(description["config"], limits)
    if shape is None:
        raise Refused("the model is not built")
    return _cost(_layers(entries, limits), shape)
