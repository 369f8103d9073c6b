"""Read MNIST in its original IDX form: the files LeCun published, raw or gzip-compressed."""

from __future__ import annotations

import gzip
import math
import struct
import zlib
from dataclasses import replace
from pathlib import Path

import numpy as np

from nnviz.data.dataset import DataError, Dataset, make_dataset
from nnviz.data.parts import check_part, part_name

# The magic number says "unsigned bytes" (0x08) and, in its last byte, how many sizes follow.
IMAGES_MAGIC = 0x00000803  # 2051: count, rows, cols
LABELS_MAGIC = 0x00000801  # 2049: count
FILE_PREFIX = {"train": "train", "test": "t10k"}
# How the two files of a pair are told apart, in the original spelling and in the dotted one
# that some mirrors and archives use (train-images.idx3-ubyte).
SPELLINGS = (("images-idx3", "labels-idx1"), ("images.idx3", "labels.idx1"))


def load_idx(path: Path, part: str = "train") -> Dataset:
    """Load an images/labels pair from a directory (choosing `part`) or from either file of a pair.

    Each header is checked against the bytes that follow it before an array is built, so a
    damaged or hostile file gives a DataError, never a MemoryError or a garbled dataset.
    """
    path = Path(path)
    part = check_part(part)
    if path.is_dir():
        images_path, labels_path = _find_in_dir(path, part)
        name = part_name(path.resolve().name, part)
    else:
        images_path, labels_path = _find_pair(path)
        name = path.name
    images = _read(images_path, IMAGES_MAGIC, "images")
    labels = _read(labels_path, LABELS_MAGIC, "labels")
    return replace(make_dataset(images, labels, f"{images_path} and {labels_path.name}"), name=name)


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
            if candidate.is_file():
                return candidate
    return None


def _read(path: Path, magic: int, kind: str) -> np.ndarray:
    """The items of one IDX file, shaped (count, rows, cols) or (count,) as its header says."""
    content = _content(path)
    header_size = 4 * (1 + (magic & 0xFF))
    if not content:
        raise DataError(f"{path}: the file is empty")
    if len(content) < header_size:
        raise DataError(
            f"{path}: only {len(content)} bytes, too short even for the {header_size}-byte "
            f"header of an IDX {kind} file"
        )
    found, *shape = struct.unpack(f">{header_size // 4}I", content[:header_size])
    if found != magic:
        raise DataError(
            f"{path}: magic number is {found} (0x{found:08x}), expected {magic} (0x{magic:08x}) "
            f"for an IDX {kind} file"
        )
    # Compare the declared size with the real one before building anything from it.
    needed = header_size + math.prod(shape)
    if len(content) < needed:
        raise DataError(
            f"{path}: truncated: the header declares {shape[0]} {kind}, which need {needed} "
            f"bytes, but the file has {len(content)}"
        )
    if len(content) > needed:
        raise DataError(
            f"{path}: {len(content) - needed} unexpected bytes after the {shape[0]} {kind} "
            "the header declares"
        )
    return np.frombuffer(content, np.uint8, offset=header_size).reshape(shape)


def _content(path: Path) -> bytes:
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise DataError(f"{path}: cannot read it ({err.strerror})") from err
    if path.suffix != ".gz":
        return raw
    try:
        return gzip.decompress(raw)
    except (OSError, EOFError, zlib.error) as err:
        raise DataError(f"{path}: corrupt or truncated gzip data ({err})") from err
