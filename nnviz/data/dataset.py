"""The one in-memory form every loader produces, and the error every loader raises."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np

from nnviz.errors import UserError
from nnviz.files import FileRefused

IMAGE_SIDE = 28
PIXELS = IMAGE_SIDE * IMAGE_SIDE
CLASSES = 10


class DataError(UserError):
    """A data file that cannot be used; the message names the file and says what is wrong."""


Loader = TypeVar("Loader", bound=Callable[..., "Dataset"])


def loader(load: Loader) -> Loader:
    """A loader whose refusals (not a regular file, a bomb) and whose running out of memory
    come out as a DataError naming the file, like every other problem with it."""

    @functools.wraps(load)
    def wrapped(path: Path, *args, **kwargs) -> Dataset:
        try:
            return load(path, *args, **kwargs)
        except FileRefused as err:
            raise DataError(str(err)) from None
        except MemoryError:
            raise DataError(f"{path}: not enough memory to load it") from None

    return wrapped


@dataclass(frozen=True)
class Dataset:
    """Digits as rows: images uint8 (n, 784), labels int64 (n,) in 0-9."""

    images: np.ndarray
    labels: np.ndarray
    name: str

    def __len__(self) -> int:
        return len(self.labels)

    def counts_per_label(self) -> np.ndarray:
        return np.bincount(self.labels, minlength=CLASSES)

    def subset(self, index: np.ndarray, name: str | None = None) -> Dataset:
        return Dataset(self.images[index], self.labels[index], name or self.name)


def make_dataset(images: np.ndarray, labels: np.ndarray, source: str) -> Dataset:
    """Validate raw arrays from any format and return them as a Dataset.

    Raises DataError naming `source` when a shape, count or value is off, so that no
    loader can hand the engine something half-valid.
    """
    images = np.asarray(images)
    labels = np.asarray(labels)
    if images.ndim == 3:
        if images.shape[1:] != (IMAGE_SIDE, IMAGE_SIDE):
            raise DataError(f"{source}: images are {images.shape[1]}x{images.shape[2]}, expected 28x28")
        images = images.reshape(len(images), PIXELS)
    if images.ndim != 2 or images.shape[1] != PIXELS:
        raise DataError(f"{source}: images have shape {images.shape}, expected (n, 28, 28) or (n, 784)")
    if labels.ndim != 1:
        raise DataError(f"{source}: labels have shape {labels.shape}, expected (n,)")
    if len(images) == 0:
        raise DataError(f"{source}: no examples")
    if len(images) != len(labels):
        raise DataError(f"{source}: {len(images)} images but {len(labels)} labels")
    for what, array, high in (("pixel", images, 255), ("label", labels, CLASSES - 1)):
        if not np.issubdtype(array.dtype, np.number) or np.issubdtype(array.dtype, np.complexfloating):
            raise DataError(f"{source}: {what}s are of type {array.dtype}, expected numbers")
        if np.issubdtype(array.dtype, np.floating) and (
            not np.all(np.isfinite(array)) or np.any(array != np.round(array))
        ):
            raise DataError(f"{source}: {what}s must be whole numbers")
        low_seen, high_seen = array.min(), array.max()
        if low_seen < 0 or high_seen > high:
            raise DataError(
                f"{source}: {what} values run from {low_seen:g} to {high_seen:g}, expected 0-{high}"
            )
    return Dataset(images.astype(np.uint8, copy=False), labels.astype(np.int64, copy=False), source)
