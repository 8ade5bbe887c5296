"""The messages between the judge and the sandboxed runner: plain data, never pickle.

A message is a JSON header plus binary blobs, framed by lengths. Arrays travel as
``.npy`` bytes written and read with ``allow_pickle=False``; Keras models as ``.keras``
archives, loaded by the judge in safe mode; a Keras layer as its class name, config and
weights. Anything else a student's function returns is described by its type name only,
so no object of the student's making ever reaches the judge.
"""

from __future__ import annotations

import io
import json
import os
import struct
from typing import Any

import numpy as np

__all__ = ["Foreign", "decode", "encode", "read_message", "write_message"]

_LENGTH = struct.Struct("<Q")
#: Largest message the judge accepts (a flood of output cannot exhaust its memory).
MAX_MESSAGE = 256 * 2**20
MAX_PARTS = 10_000


class Foreign:
    """Stands for a returned value the protocol does not carry (its type name only)."""

    def __init__(self, type_name: str) -> None:
        self.type_name = type_name

    def __repr__(self) -> str:
        return f"<{self.type_name} object>"


def _foreign(type_name: str) -> Foreign:
    """An instance of a fresh class named like the student's type, so that messages such
    as "must return a numpy.ndarray; got MyArray" stay true."""
    return type(type_name, (Foreign,), {})(type_name)


def encode(value: Any, blobs: list[bytes]) -> Any:
    """JSON-able description of ``value``; arrays and models are appended to ``blobs``."""
    if value is None or type(value) in (bool, int, float, str):
        return value
    if type(value) in (list, tuple):
        return {type(value).__name__: [encode(v, blobs) for v in value]}
    if type(value) is dict and all(type(k) is str for k in value):
        return {"dict": {k: encode(v, blobs) for k, v in value.items()}}
    if isinstance(value, np.generic) and value.dtype.kind in "biuf":
        return {"scalar": value.item(), "dtype": value.dtype.str}
    if type(value) is np.ndarray and value.dtype.kind in "biufc":
        buffer = io.BytesIO()
        np.save(buffer, value, allow_pickle=False)
        blobs.append(buffer.getvalue())
        return {"npy": len(blobs) - 1}
    return _encode_keras(value, blobs) or {"foreign": type(value).__name__}


def _encode_keras(value: Any, blobs: list[bytes]) -> dict | None:
    import sys

    if "keras" not in sys.modules:
        return None
    import keras

    if isinstance(value, keras.Model):
        path = f"returned-{os.getpid()}.keras"
        try:
            value.save(path)
            with open(path, "rb") as file:
                blobs.append(file.read())
        finally:
            if os.path.exists(path):
                os.remove(path)
        return {"keras_model": len(blobs) - 1, "compiled": bool(getattr(value, "compiled", False))}
    if isinstance(value, keras.layers.Layer) and type(value).__module__.startswith("keras."):
        weights = [encode(np.asarray(w), blobs) for w in value.get_weights()]
        shape = getattr(value, "_build_shapes_dict", None) or {}
        return {
            "keras_layer": value.__class__.__name__,
            "config": json.loads(json.dumps(value.get_config(), default=str)),
            "built": bool(value.built),
            "build_shape": [list(s) if s is not None else None for s in shape.values()][:1],
            "weights": weights,
        }
    return None


def decode(description: Any, blobs: list[bytes]) -> Any:
    """The value :func:`encode` described, rebuilt from plain data by the judge."""
    if not isinstance(description, dict):
        return description
    if "list" in description:
        return [decode(v, blobs) for v in description["list"]]
    if "tuple" in description:
        return tuple(decode(v, blobs) for v in description["tuple"])
    if "dict" in description:
        return {k: decode(v, blobs) for k, v in description["dict"].items()}
    if "scalar" in description:
        return np.dtype(description["dtype"]).type(description["scalar"])
    if "npy" in description:
        return np.load(io.BytesIO(blobs[description["npy"]]), allow_pickle=False)
    if "keras_model" in description:
        return _decode_model(blobs[description["keras_model"]], description["compiled"])
    if "keras_layer" in description:
        return _decode_layer(description, blobs)
    return _foreign(str(description.get("foreign", "object")))


def _decode_model(archive: bytes, compiled: bool) -> Any:
    import tempfile

    import keras

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "model.keras")
        with open(path, "wb") as file:
            file.write(archive)
        return keras.saving.load_model(path, compile=compiled, safe_mode=True)


def _decode_layer(description: dict, blobs: list[bytes]) -> Any:
    import keras

    cls = getattr(keras.layers, description["keras_layer"], None)
    if not (isinstance(cls, type) and issubclass(cls, keras.layers.Layer)):
        return _foreign(description["keras_layer"])
    layer = cls.from_config(description["config"])
    if description["built"]:
        shape = description["build_shape"][0] if description["build_shape"] else None
        layer.build(tuple(shape) if shape else (None, None, None, 1))
        layer.set_weights([decode(w, blobs) for w in description["weights"]])
    return layer


def write_message(fd: int, header: Any, blobs: list[bytes] = ()) -> None:
    """Write one message (a JSON header and blobs) to the file descriptor ``fd``."""
    parts = [json.dumps(header).encode(), *blobs]
    data = _LENGTH.pack(len(parts)) + b"".join(_LENGTH.pack(len(p)) + p for p in parts)
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _read_exactly(fd: int, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = os.read(fd, min(left, 2**20))
        if not chunk:
            raise EOFError("the other side closed the channel")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def read_message(fd: int) -> tuple[Any, list[bytes]]:
    """Read one message from ``fd``: its header and blobs.

    Raises
    ------
    EOFError
        If the channel closes; ``ValueError`` if the message is malformed or too large.
    """
    (count,) = _LENGTH.unpack(_read_exactly(fd, _LENGTH.size))
    if not 0 < count <= MAX_PARTS:
        raise ValueError(f"a message has 1 to {MAX_PARTS} parts; got {count}")
    parts, total = [], 0
    for _ in range(count):
        (size,) = _LENGTH.unpack(_read_exactly(fd, _LENGTH.size))
        total += size
        if total > MAX_MESSAGE:
            raise ValueError(f"message larger than {MAX_MESSAGE} bytes")
        parts.append(_read_exactly(fd, size))
    return json.loads(parts[0]), parts[1:]
