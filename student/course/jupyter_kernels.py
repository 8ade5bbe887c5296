"""Jupyter kernels for executing notebooks: encrypted channels, no warning on stderr.

ipykernel ≥ 7.4 warns on every start when its channels are plain TCP. The kernel
managers here ask jupyter_client to provision CurveZMQ keys for kernels whose spec
declares support (the stock ``python3`` kernel does), so lesson builds and grading runs
are both encrypted and quiet. Use them wherever a notebook is executed: the blocking
one with nbclient, the asynchronous one with nbgrader (whose executor needs it).
"""

from __future__ import annotations

import zmq
from jupyter_client import AsyncKernelManager, KernelManager
from traitlets import default

__all__ = ["AsyncEncryptedKernelManager", "EncryptedKernelManager"]


def _encryption_policy() -> str:
    """Encrypt whenever libzmq was built with CurveZMQ (every pyzmq wheel is)."""
    return "auto" if zmq.has("curve") else "disabled"


class EncryptedKernelManager(KernelManager):
    """A :class:`~jupyter_client.KernelManager` that encrypts the kernel's channels.

    Examples
    --------
    >>> EncryptedKernelManager(kernel_name="python3").transport_encryption in {"auto", "disabled"}
    True
    """

    @default("transport_encryption")
    def _transport_encryption_default(self) -> str:
        return _encryption_policy()


class AsyncEncryptedKernelManager(AsyncKernelManager):
    """The asynchronous twin of :class:`EncryptedKernelManager`, for nbgrader's executor."""

    @default("transport_encryption")
    def _transport_encryption_default(self) -> str:
        return _encryption_policy()
