"""The messages between the judge and the sandboxed runner: plain data, never pickle.

A message is a JSON header plus binary blobs, framed by lengths. Arrays travel as
``.npy`` bytes written and read with ``allow_pickle=False``; Keras layers and models as
their config and weights (:mod:`.keras_plain`), rebuilt only from an allow-list. Anything
else a student's function returns is described by its type name only, so no object of
the student's making ever reaches the judge.

The runner's process runs the student's code, which can write anything on the runner's
channel. So every message the judge reads is checked before use (:func:`read_message`,
:class:`Decoder`): its size on the wire and its header's size, the shape of each
description (only the forms :func:`encode` writes, with the types it writes), each blob
used at most once, and the size of what the arrays decode to, read from their ``.npy``
headers *before* they are loaded. What fails a check raises :class:`ProtocolError`.
"""

from __future__ import annotations

import io
import json
import math
import os
import re
import select
import struct
import sys
import time
import weakref
from typing import Any

import numpy as np

from .keras_plain import Refused, describe_layer, describe_model, rebuild_layer, rebuild_model

__all__ = [
    "Decoder",
    "Foreign",
    "ProtocolError",
    "Refused",
    "ResultMemory",
    "ResultTracker",
    "encode",
    "read_message",
    "write_message",
]

_LENGTH = struct.Struct("<Q")
#: Largest message on the wire (a flood of output cannot exhaust the judge's memory).
MAX_MESSAGE = 256 * 2**20
#: Largest JSON header of a message.
MAX_HEADER = 8 * 2**20
MAX_PARTS = 10_000
#: Most bytes the arrays of one message may decode to.
MAX_DECODED = 256 * 2**20
#: Most values (list items, dict entries, arrays…) one description may hold.
MAX_NODES = 200_000
MAX_DEPTH = 32
#: Most Keras layers and models one message may hold (each is rebuilt by the judge).
MAX_KERAS_OBJECTS = 8
#: Array kinds that travel: booleans, integers, floats, complex numbers.
_ARRAY_KINDS = "biufc"
_TYPE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.]{0,99}")


class ProtocolError(ValueError):
    """A message that breaks the protocol: malformed, too large, or not what was asked."""


class Foreign:
    """Stands for a returned value the protocol does not carry (its type name only)."""

    def __init__(self, type_name: str) -> None:
        self.type_name = type_name

    def __repr__(self) -> str:
        return f"<{self.type_name} object>"


def _foreign(type_name: str) -> Foreign:
    """An instance of a fresh class named like the student's type, so that messages such
    as "must return a numpy.ndarray; got MyArray" stay true."""
    name = type_name.rsplit(".", 1)[-1]
    return type(name, (Foreign,), {})(name)


class ResultTracker:
    """The runner's memory of the arrays it returned, so that the judge learns what only
    the sandbox can see: whether a result is read-only, and whether it is (or shares
    memory with) an array returned before — a shared constant returned twice."""

    def __init__(self, keep: int = 64) -> None:
        self.keep = keep
        self.count = 0
        self.returned: list[tuple[int, weakref.ref]] = []

    def flags(self, array: np.ndarray) -> dict[str, Any]:
        same_as = None
        for earlier, ref in reversed(self.returned):  # the latest: the caller may hold it
            other = ref()
            if other is not None and np.may_share_memory(array, other):
                same_as = earlier
                break
        root = array  # a view of a constant: remember the constant, which stays alive
        while isinstance(root.base, np.ndarray):
            root = root.base
        self.count += 1
        self.returned = [*self.returned, (self.count, weakref.ref(root))][-self.keep :]
        return {"token": self.count, "writeable": bool(array.flags.writeable), "same_as": same_as}


def encode(value: Any, blobs: list[bytes], tracker: ResultTracker | None = None) -> Any:
    """JSON-able description of ``value``; arrays (and Keras weights) go to ``blobs``.

    With a ``tracker`` (the runner, encoding results), arrays also carry their flags.
    """
    if value is None or type(value) in (bool, int, str):
        return value
    if type(value) is float:
        return value if math.isfinite(value) else {"float": repr(value)}
    if type(value) in (list, tuple):
        return {type(value).__name__: [encode(v, blobs, tracker) for v in value]}
    if type(value) is dict and all(type(k) is str for k in value):
        return {"dict": {k: encode(v, blobs, tracker) for k, v in value.items()}}
    if isinstance(value, np.generic) and value.dtype.kind in "biuf":
        return {"scalar": encode(value.item(), blobs), "dtype": value.dtype.str}
    if type(value) is np.ndarray and value.dtype.kind in _ARRAY_KINDS:
        buffer = io.BytesIO()
        np.save(buffer, value, allow_pickle=False)
        blobs.append(buffer.getvalue())
        description = {"npy": len(blobs) - 1}
        if tracker is not None:
            description.update(tracker.flags(value))
        return description
    return _encode_keras(value, blobs) or {"foreign": type(value).__name__[:100]}


def _encode_keras(value: Any, blobs: list[bytes]) -> dict | None:
    if "keras" not in sys.modules:
        return None
    import keras

    try:
        if isinstance(value, keras.Model):
            described = describe_model(value)
            kind = "keras_model"
        elif isinstance(value, keras.layers.Layer) and type(value).__module__.startswith("keras."):
            described = describe_layer(value)
            kind = "keras_layer"
        else:
            return None
    except Exception:  # an object Keras cannot serialize
        return {"foreign": type(value).__name__[:100]}
    described["weights"] = [encode(w, blobs) for w in described["weights"]]
    return {kind: described}


class ResultMemory:
    """The arrays a sandbox returned, by the runner's token, kept (up to ``budget`` bytes,
    the latest first) so that a result the runner says is an earlier one comes back as
    that very object, with whatever the caller did to it since — as in a notebook, where
    a function returning a shared array hands out the same array every time."""

    def __init__(self, budget: int = 64 * 2**20, count: int = 1000) -> None:
        self.budget, self.count = budget, count
        self.arrays: dict[int, np.ndarray] = {}
        self.size = 0

    def get(self, token: int) -> np.ndarray | None:
        return self.arrays.get(token)

    def add(self, token: int, array: np.ndarray) -> None:
        self.arrays[token] = array
        self.size += array.nbytes
        while len(self.arrays) > 1 and (self.size > self.budget or len(self.arrays) > self.count):
            self.size -= self.arrays.pop(next(iter(self.arrays))).nbytes


class Decoder:
    """Rebuild values from descriptions, checking each against what :func:`encode` writes.

    One decoder per message: it counts the values and decoded bytes of the whole message
    and refuses a blob used twice. Arrays whose description says they are read-only, or
    the same as an earlier result (``memory``: token → array, kept by the caller across
    calls), come back that way.
    """

    def __init__(self, blobs: list[bytes], memory: ResultMemory | None = None) -> None:
        self.blobs = blobs
        self.used: set[int] = set()
        self.nodes = 0
        self.decoded = 0
        self.memory = memory
        self.keras_objects = 0

    def value(self, description: Any, depth: int = 0) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES or depth > MAX_DEPTH:
            raise ProtocolError("a description too large or too deeply nested")
        if description is None or type(description) in (bool, int, float, str):
            return description
        if type(description) is not dict or len(description) == 0:
            raise ProtocolError(f"not a description: {type(description).__name__}")
        kind = next(iter(description))
        method = getattr(self, f"_{kind}", None) if kind in _KINDS else None
        if method is None or not set(description) <= _KINDS[kind]:
            raise ProtocolError(f"unknown description {sorted(description)[:5]}")
        return method(description, depth)

    def _items(self, description: dict, key: str, depth: int) -> list:
        items = description[key]
        if type(items) is not list:
            raise ProtocolError(f"{key}: expected a list")
        return [self.value(v, depth + 1) for v in items]

    def _list(self, description: dict, depth: int) -> list:
        return self._items(description, "list", depth)

    def _tuple(self, description: dict, depth: int) -> tuple:
        return tuple(self._items(description, "tuple", depth))

    def _dict(self, description: dict, depth: int) -> dict:
        items = description["dict"]
        if type(items) is not dict:
            raise ProtocolError("dict: expected an object")
        return {str(k)[:1000]: self.value(v, depth + 1) for k, v in items.items()}

    def _float(self, description: dict, depth: int) -> float:
        if description["float"] not in ("nan", "inf", "-inf"):
            raise ProtocolError("float: expected nan, inf or -inf")
        return float(description["float"])

    def _scalar(self, description: dict, depth: int) -> np.generic:
        value = self.value(description["scalar"], depth + 1)
        dtype = description.get("dtype")
        if type(dtype) is not str or len(dtype) > 8:
            raise ProtocolError("scalar: bad dtype")
        try:
            dtype = np.dtype(dtype)
        except TypeError:
            raise ProtocolError("scalar: bad dtype") from None
        if dtype.kind not in "biuf" or type(value) not in (bool, int, float):
            raise ProtocolError("scalar: a boolean, integer or float")
        try:
            return dtype.type(value)
        except (OverflowError, ValueError):
            raise ProtocolError(f"scalar: {value!r} is not a {dtype}") from None

    def _blob(self, index: Any) -> bytes:
        if type(index) is not int or not 0 <= index < len(self.blobs) or index in self.used:
            raise ProtocolError("an array refers to a missing or already used blob")
        self.used.add(index)
        return self.blobs[index]

    def _npy(self, description: dict, depth: int) -> np.ndarray:
        array = self._load_npy(self._blob(description["npy"]))
        flags = [description.get(k) for k in ("token", "same_as")]
        writeable = description.get("writeable", True)
        if type(writeable) is not bool or not all(f is None or type(f) is int for f in flags):
            raise ProtocolError("npy: bad flags")
        token, same_as = flags
        if self.memory is not None and token is not None:
            earlier = self.memory.get(same_as) if same_as is not None else None
            if earlier is not None and earlier.shape == array.shape:
                array = earlier  # the very object the caller got before, as in a notebook
            self.memory.add(token, array)
        if not writeable and array.flags.writeable:
            array.flags.writeable = False
        return array

    def _load_npy(self, data: bytes) -> np.ndarray:
        """``np.load`` of one array, after its header says it is plain and small enough."""
        stream = io.BytesIO(data)
        try:
            reader = _NPY_HEADERS.get(np.lib.format.read_magic(stream))
            if reader is None:
                raise ValueError("unsupported .npy version")
            shape, _, dtype = reader(stream, max_header_size=10_000)
        except (ValueError, SyntaxError, EOFError) as error:
            raise ProtocolError(f"npy: unreadable header ({error})"[:200]) from None
        if dtype.kind not in _ARRAY_KINDS or dtype.hasobject or dtype.fields:
            raise ProtocolError(f"npy: arrays of {dtype} do not travel")
        size = math.prod(shape) * dtype.itemsize
        self.decoded += size
        if self.decoded > MAX_DECODED:
            raise ProtocolError(f"arrays larger than {MAX_DECODED} bytes in one message")
        if len(data) - stream.tell() != size:
            raise ProtocolError("npy: the data does not match the header")
        stream.seek(0)
        return np.load(stream, allow_pickle=False)

    def _weights(self, descriptions: Any) -> list[np.ndarray]:
        if type(descriptions) is not list or len(descriptions) > 256:
            raise ProtocolError("weights: expected a list of arrays")
        weights = []
        for description in descriptions:
            if type(description) is not dict or set(description) != {"npy"}:
                raise ProtocolError("weights: expected arrays")
            weights.append(self._load_npy(self._blob(description["npy"])))
        return weights

    def _keras(self, description: Any, fields: dict[str, type]) -> dict:
        self.keras_objects += 1
        if self.keras_objects > MAX_KERAS_OBJECTS:
            raise ProtocolError(f"more than {MAX_KERAS_OBJECTS} Keras objects in one message")
        if type(description) is not dict or set(description) != {*fields, "config", "weights"}:
            raise ProtocolError("keras: unexpected fields")
        if any(type(description[k]) is not t for k, t in fields.items()):
            raise ProtocolError("keras: bad field types")
        return {**description, "weights": self._weights(description["weights"])}

    def _keras_model(self, description: dict, depth: int) -> Any:
        return rebuild_model(self._keras(description["keras_model"], {"compiled": bool}))

    def _keras_layer(self, description: dict, depth: int) -> Any:
        return rebuild_layer(self._keras(description["keras_layer"], {"built": bool}))

    def _foreign(self, description: dict, depth: int) -> Foreign:
        name = description["foreign"]
        return _foreign(name if type(name) is str and _TYPE_NAME.fullmatch(name) else "object")


_NPY_HEADERS = {
    (1, 0): np.lib.format.read_array_header_1_0,
    (2, 0): np.lib.format.read_array_header_2_0,
}
#: Each description's first key and the keys it may have.
_KINDS = {
    "list": {"list"},
    "tuple": {"tuple"},
    "dict": {"dict"},
    "float": {"float"},
    "scalar": {"scalar", "dtype"},
    "npy": {"npy", "token", "writeable", "same_as"},
    "keras_model": {"keras_model"},
    "keras_layer": {"keras_layer"},
    "foreign": {"foreign"},
}


def _wait(fd: int, deadline: float | None, writing: bool = False) -> None:
    """Wait until ``fd`` can be read (written), or raise TimeoutError at ``deadline``."""
    if deadline is None:
        return
    left = deadline - time.monotonic()
    ready = (
        select.select([], [fd], [], max(left, 0))
        if writing
        else select.select([fd], [], [], max(left, 0))
    )
    if not any(ready):
        raise TimeoutError("the other side stopped in the middle of a message")


def write_message(
    fd: int, header: Any, blobs: list[bytes] = (), deadline: float | None = None
) -> None:
    """Write one message (a JSON header and blobs) to the file descriptor ``fd``; with a
    ``deadline`` (``time.monotonic()``), in pieces that cannot block past it."""
    parts = [json.dumps(header).encode(), *blobs]
    data = _LENGTH.pack(len(parts)) + b"".join(_LENGTH.pack(len(p)) + p for p in parts)
    view = memoryview(data)
    piece = select.PIPE_BUF if deadline is not None else len(view)
    while view:
        _wait(fd, deadline, writing=True)
        view = view[os.write(fd, view[:piece]) :]


def _read_exactly(fd: int, size: int, deadline: float | None) -> bytes:
    chunks, left = [], size
    while left:
        _wait(fd, deadline)
        chunk = os.read(fd, min(left, 2**20))
        if not chunk:
            raise EOFError("the other side closed the channel")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _json(data: bytes) -> Any:
    try:
        return json.loads(data)
    except (ValueError, RecursionError) as error:  # RecursionError: nesting, on purpose
        raise ProtocolError(f"a header that is not JSON ({type(error).__name__})") from None


def read_message(fd: int, deadline: float | None = None) -> tuple[Any, list[bytes]]:
    """Read one message from ``fd``: its header (a JSON object) and blobs, all of it by
    ``deadline`` (``time.monotonic()``) if one is given.

    Raises
    ------
    EOFError
        If the channel closes; :class:`ProtocolError` if the message is malformed or
        larger than :data:`MAX_MESSAGE` (its header than :data:`MAX_HEADER`);
        TimeoutError if it is not all there by ``deadline``.
    """
    (count,) = _LENGTH.unpack(_read_exactly(fd, _LENGTH.size, deadline))
    if not 0 < count <= MAX_PARTS:
        raise ProtocolError(f"a message has 1 to {MAX_PARTS} parts; got {count}")
    parts, total = [], 0
    for number in range(count):
        (size,) = _LENGTH.unpack(_read_exactly(fd, _LENGTH.size, deadline))
        total += size
        if total > MAX_MESSAGE or (number == 0 and size > MAX_HEADER):
            raise ProtocolError("a message larger than the judge accepts")
        parts.append(_read_exactly(fd, size, deadline))
    header = _json(parts[0])
    if type(header) is not dict:
        raise ProtocolError("a message's header is a JSON object")
    return header, parts[1:]
