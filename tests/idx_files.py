"""Small MNIST-like files for the data tests: random digits written as IDX, raw or gzipped."""

from __future__ import annotations

import gzip
import struct
from pathlib import Path

import numpy as np


def digits(n: int = 20, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """`n` random 28x28 uint8 images, and uint8 labels that cycle through 0-9 in random order."""
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 256, (n, 28, 28), dtype=np.uint8)
    labels = rng.permutation(np.arange(n) % 10).astype(np.uint8)
    return images, labels


def idx_bytes(array: np.ndarray) -> bytes:
    """The IDX encoding of a uint8 array: magic 0x08 <ndim>, each size big-endian, then bytes."""
    array = np.asarray(array, dtype=np.uint8)
    return struct.pack(f">{1 + array.ndim}I", 0x0800 + array.ndim, *array.shape) + array.tobytes()


def write_idx(path: Path, array: np.ndarray) -> Path:
    """Write `array` as IDX, gzip-compressed if the name ends in .gz."""
    content = idx_bytes(array)
    path.write_bytes(gzip.compress(content) if path.suffix == ".gz" else content)
    return path


def write_broken_pair(
    directory: Path, images: np.ndarray, labels: np.ndarray, broken: str, content: bytes
) -> Path:
    """A valid pair whose `broken` file ("images" or "labels", ".gz" for the compressed name) holds
    `content` instead; returns the broken file's path."""
    kind, _, gz = broken.partition(".")
    paths = dict(zip(("images", "labels"), write_pair(directory, images, labels), strict=True))
    bad = paths[kind]
    if gz:
        bad.unlink()
        bad = bad.with_name(f"{bad.name}.gz")
    bad.write_bytes(content)
    return bad


def write_pair(
    directory: Path,
    images: np.ndarray,
    labels: np.ndarray,
    prefix: str = "train",
    gz: bool = False,
    dotted: bool = False,
) -> tuple[Path, Path]:
    """Write images and labels under the standard names (or the dotted variant); return both."""
    sep, ext = ("." if dotted else "-"), (".gz" if gz else "")
    return (
        write_idx(directory / f"{prefix}-images{sep}idx3-ubyte{ext}", images),
        write_idx(directory / f"{prefix}-labels{sep}idx1-ubyte{ext}", labels),
    )


def mnist_like(train: int = 20, test: int = 10) -> tuple[dict[str, bytes], dict[str, np.ndarray]]:
    """The four MNIST file names holding small valid IDX .gz data, and the arrays inside."""
    arrays = {}
    for prefix, n, seed in (("train", train, 0), ("t10k", test, 1)):
        images, labels = digits(n, seed)
        arrays[f"{prefix}-images-idx3-ubyte.gz"] = images
        arrays[f"{prefix}-labels-idx1-ubyte.gz"] = labels
    return {name: gzip.compress(idx_bytes(array)) for name, array in arrays.items()}, arrays
