"""Small files that expand to a gigabyte or more, built in well under a second.

A 16 MiB block of zeros is compressed once and repeated: as concatenated gzip members (one
stream to a reader) or as full-flushed deflate blocks (one zip member), so no test ever holds,
or waits for, the gigabyte it describes.
"""

from __future__ import annotations

import gzip
import io
import struct
import zlib
from functools import cache
from pathlib import Path

import numpy as np

BLOCK = 16 * 2**20
GIB = 2**30
ZIP_STORED, ZIP_DEFLATED = 0, 8


@cache
def _gzip_block(fill: bytes) -> bytes:
    return gzip.compress(fill * (BLOCK // len(fill)), compresslevel=9)


def gzip_bomb(path: Path, head: bytes, fill: bytes = b"\0", size: int = GIB) -> Path:
    """A .gz whose content is `head` followed by `fill` repeated to about `size` bytes."""
    path.write_bytes(gzip.compress(head) + _gzip_block(fill) * (size // BLOCK))
    return path


@cache
def _deflated_block() -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(bytes(BLOCK)) + compressor.flush(zlib.Z_FULL_FLUSH)


def npz_with_junk(path: Path, arrays: dict[str, np.ndarray], junk: str = "junk", size: int = GIB) -> Path:
    """An .npz of `arrays` (stored as np.savez stores them) plus an array `junk` of `size` bytes
    of float64 zeros (a multiple of 16 MiB), deflated to about a thousandth of that."""
    members = []
    for name, array in arrays.items():
        content = io.BytesIO()
        np.lib.format.write_array(content, np.asanyarray(array), allow_pickle=False)
        data = content.getvalue()
        members.append((f"{name}.npy", ZIP_STORED, data, zlib.crc32(data), len(data)))
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        header, {"descr": "<f8", "fortran_order": False, "shape": (size // 8,)}
    )
    head = header.getvalue()
    body = (
        _flushed(head) + _deflated_block() * (size // BLOCK) + zlib.compressobj(9, zlib.DEFLATED, -15).flush()
    )
    members.append((f"{junk}.npy", ZIP_DEFLATED, body, _crc_after(head, size), len(head) + size))
    path.write_bytes(_zip(members))
    return path


def _flushed(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH)


@cache
def _crc_after(head: bytes, size: int) -> int:
    crc, block = zlib.crc32(head), bytes(BLOCK)
    for _ in range(size // BLOCK):
        crc = zlib.crc32(block, crc)
    return crc


def _zip(members: list[tuple[str, int, bytes, int, int]]) -> bytes:
    """A zip file of (name, method, data, crc, uncompressed size) members, written by hand
    because zipfile cannot take data that is already compressed."""
    out, central = io.BytesIO(), io.BytesIO()
    for name, method, data, crc, size in members:
        offset, encoded = out.tell(), name.encode()
        fields = (20, 0, method, 0, 0x21, crc, len(data), size, len(encoded))
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields, 0) + encoded + data)
        central.write(
            struct.pack("<IH", 0x02014B50, 20)
            + struct.pack("<HHHHHIIIHHHHHII", *fields, 0, 0, 0, 0, 0, offset)
            + encoded
        )
    directory, start = central.getvalue(), out.tell()
    out.write(directory)
    out.write(
        struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(directory), start, 0)
    )
    return out.getvalue()
