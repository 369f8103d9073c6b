"""Arrays out of an .npz one at a time, only those asked for, each checked before it is read.

np.load hands over any member asked for, however large it says it is or deflates to: a small
file can hold gigabytes. Here an array's shape and type are read from its .npy header first, so
the caller can refuse them before anything is allocated; its zip member must hold exactly those
bytes and may not expand beyond what real arrays compress to; arrays of Python objects, which
only pickle can load (and so run code chosen by whoever made the file), are never loaded.
"""

from __future__ import annotations

import math
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO

import numpy as np

from nnviz.files import EXPANSION_FREE, EXPANSION_RATIO, read_into

Shape = tuple[int, ...]


class ArchiveError(Exception):
    """An .npz that cannot be read, or an array in it that is refused; says which and why."""


class NotAnArchive(ArchiveError):
    """Not a zip file at all."""


class NpzArchive:
    """An .npz opened from a regular file, for reading named arrays one at a time."""

    def __init__(self, file: BinaryIO) -> None:
        if not zipfile.is_zipfile(file):
            raise NotAnArchive("not an .npz archive (it is not a zip file)")
        with _damage():
            self._zip = zipfile.ZipFile(file)
        self._members = {
            info.filename.removesuffix(".npy"): info
            for info in self._zip.infolist()
            if info.filename.endswith(".npy")
        }

    def __enter__(self) -> NpzArchive:
        return self

    def __exit__(self, *_: object) -> None:
        self._zip.close()

    @property
    def names(self) -> list[str]:
        return list(self._members)

    def declared(self, name: str) -> tuple[Shape, np.dtype]:
        """The shape and type array `name` says it has, read from its header alone."""
        with self._open(name) as member:
            shape, _, dtype = self._header(name, member)
        return shape, dtype

    def read(self, name: str) -> np.ndarray:
        """Array `name`, once its member is known to hold exactly what its header declares."""
        info = self._members[name]
        with self._open(name) as member:
            shape, fortran_order, dtype = self._header(name, member)
            nbytes = math.prod(shape) * dtype.itemsize
            held = info.file_size - member.tell()
            if held != nbytes:
                raise ArchiveError(
                    f"corrupt .npz archive: array {name} declares {shape} {dtype} ({nbytes:,} bytes) "
                    f"but holds {held:,} bytes"
                )
            if info.file_size > max(EXPANSION_FREE, EXPANSION_RATIO * info.compress_size):
                raise ArchiveError(
                    f"array {name} expands from {info.compress_size:,} to {info.file_size:,} bytes, over "
                    f"{EXPANSION_RATIO} times; no real array compresses that well"
                )
            array = np.empty(math.prod(shape), dtype)
            with _damage():
                got = read_into(member, memoryview(array.view(np.uint8))) if nbytes else 0
            if got != nbytes:
                raise ArchiveError(f"corrupt .npz archive: array {name} is cut short")
        return array.reshape(shape[::-1]).T if fortran_order else array.reshape(shape)

    def _open(self, name: str):
        with _damage():
            return self._zip.open(self._members[name])

    @staticmethod
    def _header(name: str, member: BinaryIO) -> tuple[Shape, bool, np.dtype]:
        with _damage():
            version = np.lib.format.read_magic(member)
            read_header = {(1, 0): np.lib.format.read_array_header_1_0}.get(
                version, np.lib.format.read_array_header_2_0
            )
            shape, fortran_order, dtype = read_header(member)
        if dtype.hasobject:
            raise ArchiveError(f"array {name} needs pickle to load, which nnviz refuses for safety")
        if dtype.names is not None or dtype.subdtype is not None:
            raise ArchiveError(f"array {name} is of a compound type ({dtype}), not of plain numbers")
        return shape, fortran_order, dtype


@contextmanager
def _damage() -> Iterator[None]:
    """zipfile and numpy's header parser raise almost anything on a damaged file (BadZipFile,
    zlib.error, EOFError, ValueError, SyntaxError, TokenError, struct.error...): whatever it is,
    the archive is damaged. Running out of memory is not damage, and is let through."""
    try:
        yield
    except (ArchiveError, MemoryError):
        raise
    except Exception as err:
        raise ArchiveError(f"corrupt .npz archive ({type(err).__name__}: {err})") from None
