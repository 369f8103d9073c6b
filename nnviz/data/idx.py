"""Read MNIST in its original IDX form: the files LeCun published, raw or gzip-compressed."""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from nnviz.data.dataset import IMAGE_SIDE, DataError, Dataset, loader, make_dataset
from nnviz.data.parts import check_part, part_name
from nnviz.files import open_input, read_into

# The magic number says "unsigned bytes" (0x08) and, in its last byte, how many sizes follow.
IMAGES_MAGIC = 0x00000803  # 2051: count, rows, cols
LABELS_MAGIC = 0x00000801  # 2049: count
FILE_PREFIX = {"train": "train", "test": "t10k"}
# How the two files of a pair are told apart, in the original spelling and in the dotted one
# that some mirrors and archives use (train-images.idx3-ubyte).
SPELLINGS = (("images-idx3", "labels-idx1"), ("images.idx3", "labels.idx1"))


@loader
def load_idx(path: Path, part: str = "train") -> Dataset:
    """Load an images/labels pair from a directory (choosing `part`) or from either file of a pair.

    Each header is checked against what the file can hold before an array is built, so a
    damaged or hostile file gives a DataError, never a MemoryError or a garbled dataset.
    """
    path = Path(path)
    images_path, labels_path = idx_files(path, part)
    name = part_name(path.resolve().name, check_part(part)) if path.is_dir() else path.name
    images = _read(images_path, IMAGES_MAGIC, "images")
    labels = _read(labels_path, LABELS_MAGIC, "labels")
    return replace(make_dataset(images, labels, f"{images_path} and {labels_path.name}"), name=name)


def idx_files(path: Path, part: str = "train") -> tuple[Path, Path]:
    """The images and labels files that load_idx(path, part) reads."""
    path = Path(path)
    return _find_in_dir(path, check_part(part)) if path.is_dir() else _find_pair(path)


def _find_in_dir(directory: Path, part: str) -> tuple[Path, Path]:
    images_name, labels_name = (f"{FILE_PREFIX[part]}-{tag}-ubyte" for tag in SPELLINGS[0])
    images_path = _existing(directory, images_name)
    labels_path = _existing(directory, labels_name)
    if images_path is None and labels_path is None:
        raise DataError(
            f"{directory}: no MNIST IDX files for the {part} part here "
            f"(looked for {images_name} and {labels_name}, raw or .gz)"
        )
    if labels_path is None:
        raise DataError(f"{directory}: has {images_path.name} but not {labels_name} (raw or .gz)")
    if images_path is None:
        raise DataError(f"{directory}: has {labels_path.name} but not {images_name} (raw or .gz)")
    return images_path, labels_path


def _find_pair(path: Path) -> tuple[Path, Path]:
    name = path.name.removesuffix(".gz")
    for images_tag, labels_tag in SPELLINGS:
        if images_tag in name:
            return path, _partner(path, name.replace(images_tag, labels_tag))
        if labels_tag in name:
            return _partner(path, name.replace(labels_tag, images_tag)), path
    raise DataError(
        f"{path}: cannot tell whether this IDX file holds images or labels "
        "(its name should contain images-idx3 or labels-idx1)"
    )


def _partner(path: Path, name: str) -> Path:
    partner = _existing(path.parent, name)
    if partner is None:
        raise DataError(f"{path}: its partner file {name} (raw or .gz) is not beside it")
    return partner


def _existing(directory: Path, name: str) -> Path | None:
    """`name` in `directory`, as spelled or dotted, raw or .gz, whichever is there first."""
    for spelled in (name, name.replace("-idx", ".idx")):
        for candidate in (directory / spelled, directory / f"{spelled}.gz"):
            if candidate.exists():  # not only regular files: a pipe here is refused, not passed over
                return candidate
    return None


def _read(path: Path, magic: int, kind: str) -> np.ndarray:
    """The items of one IDX file, shaped (count, rows, cols) or (count,) as its header says.

    No more than the header declares is read (plus one byte, to find trailing junk), and only
    once the file can hold that much: a .gz of a few digits and gigabytes of zeros costs
    kilobytes, not gigabytes.
    """
    header_size = 4 * (1 + (magic & 0xFF))
    with open_input(path) as stream:
        shape = _header(path, stream.read(header_size), magic, kind)
        declared = _Declared(path, shape[0], kind, header_size + math.prod(shape))
        if stream.compressed:
            declared.refuse_if_more_than(stream.limit)
        else:
            declared.refuse_unless_size(stream.limit, exact=True)  # the size is known: say it now
        items = np.empty(declared.needed - header_size, np.uint8)
        got = header_size + read_into(stream, memoryview(items))
        declared.refuse_unless_size(got + len(stream.read(1)), exact=False)
    return items.reshape(shape)


@dataclass(frozen=True)
class _Declared:
    """What an IDX header promises, to be held against what its file has."""

    path: Path
    count: int
    kind: str
    needed: int  # bytes, the header's included

    def refuse_if_more_than(self, limit: int) -> None:
        if self.needed > limit:
            raise DataError(f"{self.path}: {self._declares}, more than a .gz file of its size can hold")

    def refuse_unless_size(self, size: int, exact: bool) -> None:
        """`size`: the file's size (`exact`), or what it had up to one byte past the promised end."""
        if size < self.needed:
            raise DataError(f"{self.path}: truncated: {self._declares}, but the file has {size}")
        if size > self.needed:
            extra = f"{size - self.needed} " if exact else ""
            raise DataError(
                f"{self.path}: {extra}unexpected bytes after the {self.count} {self.kind} the header declares"
            )

    @property
    def _declares(self) -> str:
        return f"the header declares {self.count} {self.kind}, which need {self.needed} bytes"


def _header(path: Path, header: bytes, magic: int, kind: str) -> list[int]:
    """The sizes an IDX header declares, once it is known to be the header of a `kind` file."""
    header_size = 4 * (1 + (magic & 0xFF))
    if not header:
        raise DataError(f"{path}: the file is empty")
    if len(header) < header_size:
        raise DataError(
            f"{path}: only {len(header)} bytes, too short even for the {header_size}-byte "
            f"header of an IDX {kind} file"
        )
    found, *shape = struct.unpack(f">{header_size // 4}I", header)
    if found != magic:
        raise DataError(
            f"{path}: magic number is {found} (0x{found:08x}), expected {magic} (0x{magic:08x}) "
            f"for an IDX {kind} file"
        )
    if len(shape) == 3 and shape[1:] != [IMAGE_SIDE, IMAGE_SIDE]:
        raise DataError(f"{path}: images are {shape[1]}x{shape[2]}, expected 28x28")
    return shape
