"""Downloads against a hostile server on 127.0.0.1: one that floods, drips, lies about sizes or
redirects where no mirror should be; bad --mirror values; no internet at all. Every case ends in
one line naming the file, and nothing is left behind."""

from __future__ import annotations

import hashlib
import os
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from test_cli import one_line_error, run

from nnviz.data import DownloadError, download_mnist
from nnviz.data.download import MIRRORS, Published

CONTENT = b"a file of the right size " * 400
FILES = {"digits.gz": Published(hashlib.md5(CONTENT).hexdigest(), len(CONTENT))}


class Hostile(BaseHTTPRequestHandler):
    """/good/ serves CONTENT; the other folders misbehave, each in its own way."""

    def do_GET(self) -> None:
        folder = self.path.strip("/").split("/")[0]
        getattr(self, f"_{folder}", self._good)()

    def _good(self) -> None:
        self._headers(200, {"Content-Length": str(len(CONTENT))})
        self.wfile.write(CONTENT)

    def _flood(self) -> None:  # no length, and zeros for ever
        self._headers(200, {})
        block = bytes(65536)
        while not self.server.closing.is_set():
            self.wfile.write(block)

    def _liar(self) -> None:  # announces ten gigabytes
        self._headers(200, {"Content-Length": str(10 * 2**30)})
        self.wfile.write(CONTENT)

    def _drip(self) -> None:  # a byte at a time, never quite silent
        self._headers(200, {"Content-Length": str(len(CONTENT))})
        for byte in CONTENT:
            if self.server.closing.wait(0.02):
                return
            self.wfile.write(bytes([byte]))
            self.wfile.flush()

    def _to_ftp(self) -> None:
        self._headers(302, {"Location": "ftp://127.0.0.1/digits.gz"})

    def _to_http(self) -> None:
        self._headers(302, {"Location": "http://example.com/digits.gz"})

    def _loop(self) -> None:
        self._headers(302, {"Location": self.path})

    def _headers(self, code: int, headers: dict[str, str]) -> None:
        self.send_response(code)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def hostile():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hostile)
    server.daemon_threads = True
    server.handle_error = lambda request, address: None  # a client hanging up on the flood is the point
    server.closing = threading.Event()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.closing.set()
    server.shutdown()
    server.server_close()
    thread.join()


def leftovers(folder: Path) -> list[str]:
    return sorted(os.listdir(folder)) if folder.exists() else []


MISBEHAVING = {
    "floods": ("flood", "sends more than the 10,000 bytes the file has"),
    "lies about the size": ("liar", "announces 10,737,418,240 bytes, but the file has 10,000"),
    "drips": ("drip", "too slow: "),
    "redirects to ftp": ("to_ftp", "redirected to 'ftp://127.0.0.1/digits.gz', not an https:// URL"),
    "redirects to plain http": (
        "to_http",
        "redirected to 'http://example.com/digits.gz', not an https:// URL",
    ),
    "redirects in a loop": ("loop", "HTTP 302 redirects in a loop or too often"),
}


@pytest.mark.parametrize(("folder", "says"), MISBEHAVING.values(), ids=MISBEHAVING.keys())
def test_a_misbehaving_server_ends_in_one_line_and_leaves_nothing(hostile, tmp_path, folder, says):
    started = time.monotonic()
    with pytest.raises(DownloadError) as failed:
        download_mnist(tmp_path / "data", [f"{hostile}/{folder}/"], FILES, timeout=5, deadline=0.5)
    message = str(failed.value)
    assert message.startswith("digits.gz: no mirror delivered it intact") and says in message, message
    assert "\n" not in message and leftovers(tmp_path / "data") == []
    assert time.monotonic() - started < 5  # bounded by the deadline, not by the server


def test_a_good_mirror_after_a_flooding_one_still_delivers(hostile, tmp_path):
    download_mnist(tmp_path / "data", [f"{hostile}/flood/", f"{hostile}/good/"], FILES, timeout=5)
    assert (tmp_path / "data" / "digits.gz").read_bytes() == CONTENT


BAD_MIRRORS = {
    "a word": ("foo", "mirror 'foo': not an https:// URL"),
    "empty": ("", "mirror '': not an https:// URL"),
    "a broken IPv6 address": ("http://[::1/", "mirror 'http://[::1/': not a URL (Invalid IPv6 URL)"),
    "plain http elsewhere": ("http://example.com/", "mirror 'http://example.com/': not an https:// URL"),
    "a bad port": ("https://example.com:99999/", "not a URL"),
    "ftp": ("ftp://example.com/mnist/", "mirror 'ftp://example.com/mnist/': not an https:// URL"),
}


@pytest.mark.parametrize(("mirror", "says"), BAD_MIRRORS.values(), ids=BAD_MIRRORS.keys())
def test_a_bad_mirror_value_is_one_line_with_exit_2(capsys, tmp_path, monkeypatch, mirror, says):
    monkeypatch.setenv("NNVIZ_DATA_DIR", str(tmp_path))
    one_line_error(*run(capsys, "data", "download", "mnist", "--mirror", mirror)[::2], says)
    assert leftovers(tmp_path) == []


@pytest.fixture
def offline(monkeypatch):
    """No name can be looked up, as on a computer without a network."""

    def no_network(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_network)


def test_offline_the_download_says_so_in_plain_words(offline, tmp_path):
    with pytest.raises(DownloadError) as failed:
        download_mnist(tmp_path / "data", MIRRORS, FILES)
    message = str(failed.value)
    assert "there is no internet connection, or the servers cannot be reached" in message
    assert "check the connection and try again" in message
    assert "Errno" not in message and "\n" not in message


def test_offline_the_command_line_says_so_in_one_line(capsys, offline, tmp_path, monkeypatch):
    monkeypatch.setenv("NNVIZ_DATA_DIR", str(tmp_path))
    code, _, err = run(capsys, "data", "download", "mnist")
    one_line_error(code, err, "train-images-idx3-ubyte.gz: cannot reach any mirror", "no internet connection")


def test_a_part_file_left_by_a_killed_download_is_removed_by_the_next(hostile, tmp_path):
    dest = tmp_path / "data"
    dest.mkdir()
    stale = dest / ".digits.gz.k1ll3d_x.part"
    stale.write_bytes(CONTENT[:100])
    download_mnist(dest, [f"{hostile}/good/"], FILES)
    assert leftovers(dest) == ["digits.gz"]
    stale.write_bytes(CONTENT[:100])  # and also when the file itself is already there, intact
    download_mnist(dest, [f"{hostile}/good/"], FILES)
    assert leftovers(dest) == ["digits.gz"]
