"""What nnviz does with files: it reads only regular files and replaces only regular files, whole.

Reading opens without blocking, so a named pipe or a device given as input is refused at once
instead of hanging or streaming forever, and a .gz may not expand beyond what a real data file of
its size holds. Writing goes to a temp file beside the target, fsync, rename, so a crash never
leaves half a file; the temp files of a writer that was killed are removed by the next write.
"""

from __future__ import annotations

import gzip
import io
import os
import re
import stat
import tempfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from nnviz.errors import UserError

try:
    import fcntl
except ImportError:  # Windows: an open file cannot be deleted there, which protects it as well
    fcntl = None

# A real digit file compresses 5-8 fold; a .gz holding a few digits and gigabytes of zeros
# expands a thousand fold. Up to EXPANSION_FREE bytes are read whatever the ratio.
EXPANSION_RATIO = 50
EXPANSION_FREE = 64 * 2**20
CHUNK = 2**20
_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISLNK, "a symbolic link"),
)


class FileRefused(UserError):
    """A path nnviz will not read or write; the message names it and says why."""


def kind_of(mode: int) -> str:
    """What a non-regular file is, in words."""
    return next((kind for test, kind in _KINDS if test(mode)), "not a regular file")


def is_compressed(path: Path) -> bool:
    return path.name.lower().endswith(".gz")


def open_regular(path: Path) -> BinaryIO:
    """`path` opened for reading if it is a regular file (symlinks followed); else FileRefused.

    Opened without blocking first: opening a named pipe for reading waits for a writer forever.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise FileRefused(f"{path}: no such file") from None
    except OSError as err:
        raise FileRefused(f"{path}: cannot read it ({err.strerror})") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise FileRefused(f"{path}: it is {kind_of(mode)}; nnviz reads only regular files")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


class InputStream(io.BufferedReader):
    """A regular file's content, decompressed as it is read if its name ends in .gz.

    `limit` is the most it will yield: the file's size, or for a .gz what a real file of that
    size can expand to. Reading past it, or damaged gzip data, raises FileRefused.
    """

    def __init__(self, raw: _Bounded) -> None:
        super().__init__(raw, CHUNK)
        self.limit = raw.limit
        self.compressed = raw.compressed


def open_input(path: Path) -> InputStream:
    """Open a data file for reading, as open_regular does, decompressing a .gz on the fly."""
    file = open_regular(path)
    return InputStream(_Bounded(file, Path(path)))


class _Bounded(io.RawIOBase):
    def __init__(self, file: BinaryIO, path: Path) -> None:
        super().__init__()
        self._file, self._path = file, path
        size = os.fstat(file.fileno()).st_size
        self.compressed = is_compressed(path)
        if self.compressed:
            self._source: BinaryIO = gzip.GzipFile(fileobj=file, mode="rb")
            self.limit = max(EXPANSION_FREE, EXPANSION_RATIO * size)
        else:
            self._source, self.limit = file, size
        self._count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        view = memoryview(buffer).cast("B")
        try:
            data = self._source.read(min(len(view), self.limit + 1 - self._count))
        except (OSError, EOFError, zlib.error) as err:
            if self.compressed:
                raise FileRefused(f"{self._path}: corrupt or truncated gzip data ({err})") from None
            raise FileRefused(f"{self._path}: cannot read it ({err.strerror})") from None
        self._count += len(data)
        if self._count > self.limit:
            if self.compressed:
                raise FileRefused(
                    f"{self._path}: expands to more than {self.limit:,} bytes, over {EXPANSION_RATIO} "
                    "times its own size; no real data file compresses that well"
                )
            raise FileRefused(f"{self._path}: grew while being read")
        view[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            try:
                self._source.close()
            finally:
                self._file.close()
        super().close()


def read_into(stream: BinaryIO, buffer: memoryview) -> int:
    """Fill `buffer` from `stream`, a chunk at a time, until it is full or the stream ends;
    return how many bytes came. Nothing is held but the buffer itself."""
    filled = 0
    while filled < len(buffer):
        data = stream.read(min(CHUNK, len(buffer) - filled))
        if not data:
            break
        buffer[filled : filled + len(data)] = data
        filled += len(data)
    return filled


# --- writing ---


def check_writable(path: Path) -> str | None:
    """Why `path` cannot be written (checked before a long run, not after it), or None.

    Only a regular file, or nothing, is replaced: a named pipe, a device or a symbolic link at
    the path stays as it is.
    """
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as err:
        return err.strerror
    if mode is not None and not stat.S_ISREG(mode):
        return f"it is {kind_of(mode)}; nnviz replaces only regular files"
    if not path.parent.is_dir():
        return f"its folder {path.parent} does not exist"
    if not os.access(path.parent, os.W_OK):
        return f"its folder {path.parent} is not writable"
    return None


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file: the same inode if both exist, else the same resolved path."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return Path(a).resolve() == Path(b).resolve()


def write_atomically(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Write via `write(file)` to a temp file beside `path`, fsync, then rename over `path`.

    Raises FileRefused if something other than a regular file is at `path`. Temp files that a
    killed writer left beside `path` are removed first; the one being written is locked, so a
    writer elsewhere never removes it.
    """
    path = Path(path)
    if problem := check_writable(path):
        raise FileRefused(f"{path}: cannot write here: {problem}")
    remove_stale_temp_files(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        _lock(fd)
        os.chmod(tmp, 0o666 & ~_umask())  # as an ordinary file would be, not mkstemp's owner-only 0600
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def remove_stale_temp_files(path: Path) -> list[Path]:
    """Remove the temp files of write_atomically(path) whose writer is gone; return them."""
    pattern = re.compile(rf"\.{re.escape(path.name)}\.[a-z0-9_]{{8}}\.part")
    removed = []
    for candidate in path.parent.glob(f".{_glob_escape(path.name)}.*.part"):
        if pattern.fullmatch(candidate.name) and _remove_if_unlocked(candidate):
            removed.append(candidate)
    return removed


def _glob_escape(name: str) -> str:
    return re.sub(r"([*?[])", r"[\1]", name)


def _lock(fd: int) -> None:
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _remove_if_unlocked(path: Path) -> bool:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return False
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return False
        _lock(fd)  # a live writer holds it: BlockingIOError, and its file stays
        path.unlink()
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
