"""Fetch full MNIST once into the user's data directory, each file checked against its MD5.

Bounded in every way a server can misbehave: a file is read up to its known size and no further,
within a deadline for the whole file as well as a timeout for each wait, from https mirrors
only (redirects included).
"""

from __future__ import annotations

import errno
import hashlib
import http.client
import os
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import platformdirs

from nnviz.errors import UserError
from nnviz.files import FileRefused, remove_stale_temp_files, write_atomically


@dataclass(frozen=True)
class Published:
    """A file as published: its MD5 and its size in bytes."""

    md5: str
    size: int


# The four files as published with the dataset.
MNIST_FILES: dict[str, Published] = {
    "train-images-idx3-ubyte.gz": Published("f68b3c2dcbeaaa9fbdd348bbdeb94873", 9_912_422),
    "train-labels-idx1-ubyte.gz": Published("d53e105ee54ea40749a09fcbcd1e9432", 28_881),
    "t10k-images-idx3-ubyte.gz": Published("9fb629c4189551a2d022fa330f9573f3", 1_648_877),
    "t10k-labels-idx1-ubyte.gz": Published("ec29112dd5afa0611ce80d1b7f02629c", 4_542),
}
# Tried in order; https only. (LeCun's own page serves plain http and often refuses downloads.)
MIRRORS: tuple[str, ...] = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
)
# Plain http only to this computer (a local mirror, the tests): nothing crosses a network unsigned.
LOOPBACK = ("127.0.0.1", "::1", "localhost")
DATA_DIR_VARIABLE = "NNVIZ_DATA_DIR"
CHUNK = 1 << 16
# A file must arrive at this average rate, after a minute's grace, or it is given up.
SLOWEST_RATE = 20_000  # bytes a second
GRACE_SECONDS = 60
# What a mirror can do wrong: HTTP errors, refused connections, timeouts, connections cut short.
MIRROR_ERRORS = (OSError, http.client.HTTPException)
# The errors that mean this computer reaches no server at all.
OFFLINE_ERRNOS = {errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN}


class DownloadError(UserError):
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
    files: Mapping[str, Published] = MNIST_FILES,
    report: Report | None = None,
    cancellation: Cancellation | None = None,
    timeout: float = 30,
    deadline: float | None = None,
) -> Path:
    """Make sure `dest` (default mnist_dir()) holds every file in `files` with its MD5; return dest.

    Files already there and intact are kept. A file only ever appears under its own name
    complete and checked, so an interrupted, cancelled or failed download leaves nothing
    half-written (and what a killed one left is removed here). `report` hears of every chunk;
    `timeout` bounds each wait for the server, `deadline` each whole file (default: what
    SLOWEST_RATE allows for its size).
    """
    for mirror in mirrors:
        if problem := url_problem(mirror):
            raise DownloadError(f"mirror {mirror!r}: {problem}")
    dest = mnist_dir() if dest is None else Path(dest)
    cancellation = cancellation or Cancellation()
    try:
        dest.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise DownloadError(f"{dest}: cannot create the data folder ({err.strerror})") from err
    for number, (name, published) in enumerate(files.items(), start=1):
        target = dest / name
        remove_stale_temp_files(target)
        if target.is_file() and _md5_of(target) == published.md5:
            continue

        def tell(done: int, name: str = name, number: int = number, total: int = published.size) -> None:
            if report is not None:
                report(Progress(name, number, len(files), done, total))

        allowed = deadline if deadline is not None else GRACE_SECONDS + published.size / SLOWEST_RATE
        try:
            _fetch(target, published, mirrors, _Transfer(tell, cancellation, timeout, allowed))
        except FileRefused as err:
            raise DownloadError(str(err)) from None
    return dest


def url_problem(url: str) -> str | None:
    """Why nnviz will not fetch from `url`, or None: it must be https (or http to this computer)."""
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - parsing the port is what raises on a bad one
    except ValueError as err:
        return f"not a URL ({err})"
    if parts.scheme == "https" and parts.hostname:
        return None
    if parts.scheme == "http" and parts.hostname in LOOPBACK:
        return None
    return "not an https:// URL (mirrors must be https)"


@dataclass(frozen=True)
class _Transfer:
    """How each file is fetched: who hears of progress, what can cancel it, how long to wait for
    each chunk (timeout) and for the whole file (deadline)."""

    tell: Callable[[int], None]
    cancellation: Cancellation
    timeout: float
    deadline: float


def _fetch(target: Path, published: Published, mirrors: Sequence[str], transfer: _Transfer) -> None:
    """Try each mirror in turn until one delivers `target` with the expected MD5."""
    reason, offline = "no mirror to try", True
    for mirror in mirrors:
        url = f"{mirror.rstrip('/')}/{target.name}"
        try:
            seen = _download(url, target, published, transfer)
        except MIRROR_ERRORS as err:
            transfer.cancellation.check()  # a cancelled read fails like a broken one: say which
            reason, offline = f"{url}: {_describe(err)}", offline and _unreachable(err)
            continue
        if seen == published.md5:
            return
        reason, offline = f"{url}: md5 {seen}, expected {published.md5}", False
    if offline and mirrors:
        raise DownloadError(
            f"{target.name}: cannot reach any mirror: there is no internet connection, or the servers "
            f"cannot be reached (last: {reason}); check the connection and try again"
        )
    raise DownloadError(f"{target.name}: no mirror delivered it intact (last: {reason})")


class _TooMuch(OSError):
    """The server sends more than the file's known size."""


def _download(url: str, target: Path, published: Published, transfer: _Transfer) -> str:
    """Stream `url` into a temporary file beside `target`, hashing as it goes, and keep it as
    `target` only if its MD5 is the published one. Returns the MD5 seen. The temporary file
    never outlives this call, whether it ends in success, a bad checksum, an error, a cancel,
    Ctrl+C or SIGTERM (a kill -9 leaves it to the next download to remove)."""
    digest, started = hashlib.md5(usedforsecurity=False), time.monotonic()

    def stream(part: BinaryIO) -> None:
        announced, done = response.length, 0  # it counts down
        if announced is not None and announced > published.size:
            raise _TooMuch(f"announces {announced:,} bytes, but the file has {published.size:,}")
        transfer.tell(done)
        while chunk := response.read1(CHUNK):  # what has arrived, so progress is live
            transfer.cancellation.check()
            done += len(chunk)
            if done > published.size:
                raise _TooMuch(f"sends more than the {published.size:,} bytes the file has")
            if time.monotonic() - started > transfer.deadline:
                raise TimeoutError(
                    f"too slow: {done:,} of {published.size:,} bytes in {transfer.deadline:g} s"
                )
            part.write(chunk)
            digest.update(chunk)
            transfer.tell(done)
        transfer.cancellation.check()  # a shut-down socket reads as the end of the file
        if digest.hexdigest() != published.md5:
            raise _Mismatch

    with (
        _OPENER.open(url, timeout=transfer.timeout) as response,
        transfer.cancellation.watching(response),
        suppress(_Mismatch),
    ):
        write_atomically(target, stream)
    return digest.hexdigest()


class _Mismatch(Exception):
    """Not the published file: it is not kept (the caller reports the MD5 seen)."""


class _HttpsRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only where a mirror could be (https), and ends a loop in one line."""

    max_redirections = 5
    inf_msg = "redirects in a loop or too often; the last was "

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if problem := url_problem(newurl):
            raise urllib.error.URLError(f"redirected to {newurl!r}, {problem}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_HttpsRedirects)


def _md5_of(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with path.open("rb") as file:
        while chunk := file.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _unreachable(err: Exception) -> bool:
    """Whether `err` says no server could be reached at all (name lookup or network down)."""
    reason = err.reason if isinstance(err, urllib.error.URLError) else err
    return isinstance(reason, socket.gaierror | ConnectionRefusedError) or (
        isinstance(reason, OSError) and reason.errno in OFFLINE_ERRNOS
    )


def _describe(err: Exception) -> str:
    if isinstance(err, urllib.error.HTTPError):
        return f"HTTP {err.code} {err.reason}"
    if isinstance(err, urllib.error.URLError):
        err = err.reason if isinstance(err.reason, Exception) else err
    if isinstance(err, socket.gaierror):
        return "cannot look up the server's name"
    if isinstance(err, TimeoutError):
        return str(err) or "timed out"
    return str(err) or type(err).__name__
