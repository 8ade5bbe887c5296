"""The student's side of the judge: runs inside the sandbox, answers calls with plain data.

Started by :mod:`autograder.sandbox` as ``python -m autograder.runner IN OUT`` with two
pipe descriptors. It first receives the assignment's setup code and the student's code
cells, runs them one by one (announcing each, so that the judge knows which one hangs),
then answers each call ``NAME(*args, **kwargs)`` with the result or the exception, both
encoded by :mod:`autograder.protocol`. Output the student's code prints is kept to its
first 10,000 characters and never reaches the judge's terminal.
"""

from __future__ import annotations

import os
import signal
import sys
import traceback
from typing import Any

import numpy as np

from autograder.protocol import decode, encode, read_message, write_message

#: Characters of the student's printed output that are kept.
OUTPUT_KEPT = 10_000


class _CappedOutput:
    """A text stream that keeps the first :data:`OUTPUT_KEPT` characters and drops the rest."""

    def __init__(self) -> None:
        self.kept: list[str] = []
        self.size = 0

    def write(self, text: str) -> int:
        if self.size < OUTPUT_KEPT:
            self.kept.append(text[: OUTPUT_KEPT - self.size])
        self.size += len(text)
        return len(text)

    def flush(self) -> None:
        """Nothing to flush: the text is kept in memory."""

    def isatty(self) -> bool:
        return False


def _error(error: BaseException) -> dict[str, Any]:
    builtin = type(error).__module__ == "builtins"
    return {
        "type": type(error).__name__,
        "builtin": builtin,
        "message": str(error)[:2000],
        "where": "".join(traceback.format_exception_only(type(error), error))[-2000:],
    }


def _run_cells(
    namespace: dict[str, Any], setup: str, cells: list[str], skip: set[int], out: int
) -> dict:
    runner_pid = os.getpid()
    exec(compile(setup, "<setup>", "exec"), namespace)  # the course's trusted setup cell
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        to_python = TransformerManager().transform_cell
    except ImportError:  # pragma: no cover - IPython comes with ipykernel
        to_python = str
    errors = {}
    for index, cell in enumerate(cells):
        if index in skip:
            continue
        write_message(out, {"running": index})
        try:
            exec(compile(to_python(cell), f"<cell {index + 1}>", "exec"), namespace)
        except BaseException as error:  # a broken cell must not stop the others
            errors[str(index)] = _error(error)
        if os.getpid() != runner_pid:  # a process a cell forked: it must not go on
            os._exit(0)
    return errors


def _answer(
    namespace: dict[str, Any], header: dict, blobs: list[bytes]
) -> tuple[dict, list[bytes]]:
    name = header["call"]
    function = namespace.get(name)
    if not callable(function):
        return {
            "error": {
                "type": "NameError",
                "builtin": True,
                "message": f"name {name!r} is not defined",
                "where": "",
            }
        }, []
    args = decode(header["args"], blobs)
    kwargs = decode(header["kwargs"], blobs)
    given = {**dict(enumerate(args)), **kwargs}
    before = {k: v.copy() for k, v in given.items() if isinstance(v, np.ndarray)}
    if "keras" in sys.modules:  # the same initial weights on every call, in every run
        sys.modules["keras"].utils.set_random_seed(0)
    out_blobs: list[bytes] = []
    try:
        reply = {"result": encode(function(*args, **kwargs), out_blobs)}
    except BaseException as error:  # SystemExit and KeyboardInterrupt included
        reply = {"error": _error(error)}
    # Arrays the function changed in place travel back, so that the judge sees the
    # caller's arrays change as they would in a notebook.
    changed = {
        str(k): encode(given[k], out_blobs)
        for k, old in before.items()
        if not np.array_equal(given[k], old, equal_nan=True)
    }
    return {**reply, "changed": changed}, out_blobs


def main(read_fd: int, write_fd: int) -> None:
    """Serve the judge on the two descriptors until it closes the channel."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # file too large: an error, not death
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    sys.stdout = sys.stderr = output = _CappedOutput()
    runner_pid = os.getpid()
    header, _ = read_message(read_fd)
    namespace: dict[str, Any] = {"__name__": "__main__"}
    errors = _run_cells(namespace, header["setup"], header["cells"], set(header["skip"]), write_fd)
    write_message(write_fd, {"ready": True, "cell_errors": errors})
    while True:
        try:
            header, blobs = read_message(read_fd)
        except EOFError:
            return
        if header.get("output"):
            write_message(write_fd, {"output": "".join(output.kept)})
            continue
        reply, out_blobs = _answer(namespace, header, blobs)
        if os.getpid() != runner_pid:  # a process the student forked: it must not answer
            os._exit(0)
        write_message(write_fd, {**reply, "id": header.get("id")}, out_blobs)


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
