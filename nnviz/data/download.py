"""Fetch full MNIST once into the user's data directory, each file checked against its MD5."""

from __future__ import annotations

import hashlib
import http.client
import os
import tempfile
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path

import platformdirs
from tqdm import tqdm

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


def data_dir() -> Path:
    """Where nnviz keeps downloaded data: the user's data directory, or $NNVIZ_DATA_DIR if set."""
    override = os.environ.get(DATA_DIR_VARIABLE)
    return Path(override) if override else platformdirs.user_data_path("nnviz")


def mnist_dir() -> Path:
    return data_dir() / "mnist"


def download_mnist(
    dest: Path | None = None,
    mirrors: Sequence[str] = MIRRORS,
    files: Mapping[str, str] = MNIST_FILES,
    progress: bool = True,
    timeout: float = 30,
) -> Path:
    """Make sure `dest` (default mnist_dir()) holds every file in `files` with its MD5; return dest.

    Files already there and intact are kept. A file only ever appears under its own name
    complete and checked, so an interrupted or failed download leaves nothing half-written.
    """
    dest = mnist_dir() if dest is None else Path(dest)
    try:
        dest.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise DownloadError(f"{dest}: cannot create the data folder ({err.strerror})") from err
    for name, md5 in files.items():
        target = dest / name
        if not (target.is_file() and _md5_of(target) == md5):
            _fetch(target, md5, mirrors, progress, timeout)
    return dest


def _fetch(target: Path, md5: str, mirrors: Sequence[str], progress: bool, timeout: float) -> None:
    """Try each mirror in turn until one delivers `target` with the expected MD5."""
    reason = "no mirror to try"
    for mirror in mirrors:
        url = f"{mirror.rstrip('/')}/{target.name}"
        try:
            seen = _download(url, target, md5, progress, timeout)
        except MIRROR_ERRORS as err:
            reason = f"{url}: {_describe(err)}"
            continue
        if seen == md5:
            return
        reason = f"{url}: md5 {seen}, expected {md5}"
    raise DownloadError(f"{target.name}: no mirror delivered it intact (last: {reason})")


def _download(url: str, target: Path, md5: str, progress: bool, timeout: float) -> str:
    """Stream `url` into a temporary file beside `target`, hashing as it goes, and keep it as
    `target` only if its MD5 is `md5`. Returns the MD5 seen. The temporary file never outlives
    this call, whether it ends in success, a bad checksum, an error or Ctrl+C."""
    temp: Path | None = None
    try:
        with (
            urllib.request.urlopen(url, timeout=timeout) as response,
            tempfile.NamedTemporaryFile(
                dir=target.parent, prefix=f"{target.name}.", suffix=".part", delete=False
            ) as part,
        ):
            temp = Path(part.name)
            digest = hashlib.md5(usedforsecurity=False)
            with tqdm(
                total=response.length,
                desc=target.name,
                unit="B",
                unit_scale=True,
                disable=not progress,
            ) as bar:
                while chunk := response.read(CHUNK):
                    part.write(chunk)
                    digest.update(chunk)
                    bar.update(len(chunk))
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
