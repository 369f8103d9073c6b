"""Fetch full MNIST once into the user's data directory, each file checked against its MD5."""

from __future__ import annotations

import hashlib
import http.client
import os
import socket
import tempfile
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import platformdirs

# The four files as published with the dataset, and the MD5 of each .gz.
MNIST_FILES: dict[str, str] = {
    "train-images-idx3-ubyte.gz": "f68b3c2dcbeaaa9fbdd348bbdeb94873",
    "train-labels-idx1-ubyte.gz": "d53e105ee54ea40749a09fcbcd1e9432",
    "t10k-images-idx3-ubyte.gz": "9fb629c4189551a2d022fa330f9573f3",
    "t10k-labels-idx1-ubyte.gz": "ec29112dd5afa0611ce80d1b7f02629c",
}
# Tried in order; https only. (LeCun's own page serves plain http and often refuses downloads.)
MIRRORS: tuple[str, ...] = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
)
DATA_DIR_VARIABLE = "NNVIZ_DATA_DIR"
CHUNK = 1 << 16
# What a mirror can do wrong: HTTP errors, refused connections, timeouts, connections cut short.
MIRROR_ERRORS = (OSError, http.client.HTTPException)


class DownloadError(Exception):
    """No mirror delivered a file intact; the message names the file and the last reason."""


class DownloadCancelled(DownloadError):
    """The user cancelled; nothing of the file under way was kept."""


@dataclass(frozen=True)
class Progress:
    """Where a download is: file `number` of `count`, `done` of its `total` bytes (None: unknown)."""

    name: str
    number: int
    count: int
    done: int
    total: int | None

    @property
    def fraction(self) -> float:
        """How much of this file is here (0 while its size is unknown). Per file, not overall:
        one file is nine tenths of MNIST's bytes, so counting files would make the bar lie."""
        return min(self.done / self.total, 1.0) if self.total else 0.0


Report = Callable[[Progress], None]


class Cancellation:
    """Cancels a download from another thread at once, even while it waits for a silent server.

    A read blocked on the socket is woken by shutting the socket down; a download still
    connecting finds the flag set as soon as it connects, before anything is written.
    """

    def __init__(self) -> None:
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._socket_fd: int | None = None

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def cancel(self) -> None:
        with self._lock:
            self._event.set()
            if self._socket_fd is not None:
                _shut_down(self._socket_fd)

    def check(self) -> None:
        if self._event.is_set():
            raise DownloadCancelled("download cancelled")

    @contextmanager
    def watching(self, response: BinaryIO) -> Iterator[None]:
        """While in this block, cancel() shuts down `response`'s socket."""
        with self._lock:
            self.check()
            self._socket_fd = response.fileno()
        try:
            yield
        finally:
            with self._lock:
                self._socket_fd = None


def _shut_down(fd: int) -> None:
    """Shut the socket down (not close it: its owner does that), which wakes a blocked read."""
    try:
        with socket.socket(fileno=os.dup(fd)) as duplicate:
            duplicate.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed or shut down: nothing left to wake


def data_dir() -> Path:
    """Where nnviz keeps downloaded data: the user's data directory, or $NNVIZ_DATA_DIR if set."""
    override = os.environ.get(DATA_DIR_VARIABLE)
    return Path(override) if override else platformdirs.user_data_path("nnviz")


def mnist_dir() -> Path:
    return data_dir() / "mnist"


def is_downloaded(dest: Path | None = None, files: Mapping[str, str] = MNIST_FILES) -> bool:
    """Every file is there (a quick look at names, not checksums: those were checked on download)."""
    dest = mnist_dir() if dest is None else dest
    return all((dest / name).is_file() for name in files)


def download_mnist(
    dest: Path | None = None,
    mirrors: Sequence[str] = MIRRORS,
    files: Mapping[str, str] = MNIST_FILES,
    report: Report | None = None,
    cancellation: Cancellation | None = None,
    timeout: float = 30,
) -> Path:
    """Make sure `dest` (default mnist_dir()) holds every file in `files` with its MD5; return dest.

    Files already there and intact are kept. A file only ever appears under its own name
    complete and checked, so an interrupted, cancelled or failed download leaves nothing
    half-written. `report` hears of every chunk; `timeout` bounds each wait for the server.
    """
    dest = mnist_dir() if dest is None else Path(dest)
    cancellation = cancellation or Cancellation()
    try:
        dest.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise DownloadError(f"{dest}: cannot create the data folder ({err.strerror})") from err
    for number, (name, md5) in enumerate(files.items(), start=1):
        target = dest / name
        if target.is_file() and _md5_of(target) == md5:
            continue

        def tell(done: int, total: int | None, name: str = name, number: int = number) -> None:
            if report is not None:
                report(Progress(name, number, len(files), done, total))

        _fetch(target, md5, mirrors, _Transfer(tell, cancellation, timeout))
    return dest


@dataclass(frozen=True)
class _Transfer:
    """How each file is fetched: who hears of progress, what can cancel it, how long to wait."""

    tell: Callable[[int, int | None], None]
    cancellation: Cancellation
    timeout: float


def _fetch(target: Path, md5: str, mirrors: Sequence[str], transfer: _Transfer) -> None:
    """Try each mirror in turn until one delivers `target` with the expected MD5."""
    reason = "no mirror to try"
    for mirror in mirrors:
        url = f"{mirror.rstrip('/')}/{target.name}"
        try:
            seen = _download(url, target, md5, transfer)
        except MIRROR_ERRORS as err:
            transfer.cancellation.check()  # a cancelled read fails like a broken one: say which
            reason = f"{url}: {_describe(err)}"
            continue
        if seen == md5:
            return
        reason = f"{url}: md5 {seen}, expected {md5}"
    raise DownloadError(f"{target.name}: no mirror delivered it intact (last: {reason})")


def _download(url: str, target: Path, md5: str, transfer: _Transfer) -> str:
    """Stream `url` into a temporary file beside `target`, hashing as it goes, and keep it as
    `target` only if its MD5 is `md5`. Returns the MD5 seen. The temporary file never outlives
    this call, whether it ends in success, a bad checksum, an error, a cancel or Ctrl+C."""
    temp: Path | None = None
    try:
        with (
            urllib.request.urlopen(url, timeout=transfer.timeout) as response,
            transfer.cancellation.watching(response),
            tempfile.NamedTemporaryFile(
                dir=target.parent, prefix=f"{target.name}.", suffix=".part", delete=False
            ) as part,
        ):
            temp = Path(part.name)
            digest, done, total = hashlib.md5(usedforsecurity=False), 0, response.length  # it counts down
            transfer.tell(done, total)
            while chunk := response.read1(CHUNK):  # what has arrived, so progress is live
                transfer.cancellation.check()
                part.write(chunk)
                digest.update(chunk)
                done += len(chunk)
                transfer.tell(done, total)
            transfer.cancellation.check()  # a shut-down socket reads as the end of the file
            part.flush()
            os.fsync(part.fileno())
        if digest.hexdigest() == md5:
            os.replace(temp, target)
        return digest.hexdigest()
    finally:
        if temp is not None:
            temp.unlink(missing_ok=True)


def _md5_of(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with path.open("rb") as file:
        while chunk := file.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _describe(err: Exception) -> str:
    if isinstance(err, urllib.error.HTTPError):
        return f"HTTP {err.code} {err.reason}"
    if isinstance(err, urllib.error.URLError):
        err = err.reason if isinstance(err.reason, Exception) else err
    if isinstance(err, TimeoutError):
        return "timed out"
    return str(err) or type(err).__name__
