"""Downloading full MNIST, against a real HTTP server on 127.0.0.1 serving small generated files."""

from __future__ import annotations

import hashlib
import os
import socket
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from idx_files import mnist_like

from nnviz.data import (
    DOWNLOADED,
    MNIST_FILES,
    Cancellation,
    DataError,
    DownloadCancelled,
    DownloadError,
    Progress,
    download_mnist,
    load_dataset,
    mnist_dir,
)
from nnviz.data.download import Published, data_dir
from nnviz.data_command import ProgressBars

CONTENT = {"first.bin": b"first file " * 1000, "second.bin": b"second file " * 3000}
FILES = {name: Published(hashlib.md5(data).hexdigest(), len(data)) for name, data in CONTENT.items()}


def listing(directory: Path) -> list[str]:
    return sorted(os.listdir(directory))


def test_download_stores_every_file_intact_and_leaves_no_part_files(mirrors, tmp_path):
    good = mirrors.publish("good", CONTENT)
    dest = tmp_path / "data"
    assert download_mnist(dest, [good], FILES) == dest
    assert listing(dest) == sorted(CONTENT)
    for name, data in CONTENT.items():
        assert (dest / name).read_bytes() == data


def test_checksum_mismatch_on_the_first_mirror_falls_back_to_the_second(mirrors, tmp_path):
    bad = mirrors.publish("bad", {name: b"tampered" for name in CONTENT})
    good = mirrors.publish("good", CONTENT)
    download_mnist(tmp_path / "data", [bad, good], FILES)
    assert listing(tmp_path / "data") == sorted(CONTENT)
    assert mirrors.requests == [
        "/bad/first.bin",
        "/good/first.bin",
        "/bad/second.bin",
        "/good/second.bin",
    ]


def test_checksum_mismatch_on_every_mirror_names_the_file_and_leaves_nothing(mirrors, tmp_path):
    tampered = {name: b"tampered" for name in CONTENT}
    bad = [mirrors.publish("bad1", tampered), mirrors.publish("bad2", tampered)]
    dest = tmp_path / "data"
    with pytest.raises(DownloadError) as caught:
        download_mnist(dest, bad, FILES)
    message = str(caught.value)
    assert message.startswith("first.bin: ")
    assert f"{bad[1]}first.bin: md5 {hashlib.md5(b'tampered').hexdigest()}, expected" in message
    assert FILES["first.bin"].md5 in message and "\n" not in message
    assert listing(dest) == []


def test_missing_file_on_a_mirror_falls_back_to_the_next(mirrors, tmp_path):
    empty = mirrors.publish("empty", {})
    good = mirrors.publish("good", CONTENT)
    download_mnist(tmp_path / "data", [empty, good], FILES)
    assert listing(tmp_path / "data") == sorted(CONTENT)


def test_missing_file_on_every_mirror_reports_the_http_error(mirrors, tmp_path):
    empty = mirrors.publish("empty", {})
    with pytest.raises(DownloadError, match=r"first\.bin: .*empty/first\.bin: HTTP 404"):
        download_mnist(tmp_path / "data", [empty], FILES)


def test_unreachable_mirror_falls_back_to_the_next(mirrors, tmp_path):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        unreachable = f"http://127.0.0.1:{closed.getsockname()[1]}/"
    good = mirrors.publish("good", CONTENT)
    download_mnist(tmp_path / "data", [unreachable, good], FILES)
    assert listing(tmp_path / "data") == sorted(CONTENT)


def test_stalled_mirror_times_out_and_fails_over_instead_of_hanging(mirrors, tmp_path):
    stall, good = mirrors.url("stall"), mirrors.publish("good", CONTENT)
    start = time.monotonic()
    download_mnist(tmp_path / "data", [stall, good], FILES, timeout=0.5)
    assert time.monotonic() - start < 10  # two stalls of 0.5 s each, not STALL_SECONDS
    assert listing(tmp_path / "data") == sorted(CONTENT)


def test_stalled_mirror_alone_reports_the_timeout(mirrors, tmp_path):
    stall = mirrors.url("stall")
    with pytest.raises(DownloadError, match=r"stall/first\.bin: timed out"):
        download_mnist(tmp_path / "data", [stall], FILES, timeout=0.5)


def test_files_already_present_and_intact_are_not_fetched_again(mirrors, tmp_path):
    good = mirrors.publish("good", CONTENT)
    dest = tmp_path / "data"
    download_mnist(dest, [good], FILES)
    mirrors.requests.clear()
    download_mnist(dest, [good], FILES)
    assert mirrors.requests == []


def test_a_damaged_file_already_present_is_fetched_again(mirrors, tmp_path):
    good = mirrors.publish("good", CONTENT)
    dest = tmp_path / "data"
    dest.mkdir()
    (dest / "first.bin").write_bytes(b"half a fi")
    download_mnist(dest, [good], FILES)
    assert mirrors.requests == ["/good/first.bin", "/good/second.bin"]
    assert (dest / "first.bin").read_bytes() == CONTENT["first.bin"]


def test_interrupt_during_a_download_leaves_no_part_file(mirrors, tmp_path, monkeypatch):
    good = mirrors.publish("good", CONTENT)
    dest = tmp_path / "data"

    def interrupt(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupt)  # Ctrl+C just before the file would be kept
    with pytest.raises(KeyboardInterrupt):
        download_mnist(dest, [good], FILES)
    assert listing(dest) == []


def test_progress_is_reported_for_every_chunk_of_every_file(mirrors, tmp_path):
    good = mirrors.publish("good", CONTENT)
    heard: list[Progress] = []
    download_mnist(tmp_path / "data", [good], FILES, report=heard.append)
    assert {(p.name, p.number, p.count, p.total) for p in heard} == {
        ("first.bin", 1, 2, len(CONTENT["first.bin"])),
        ("second.bin", 2, 2, len(CONTENT["second.bin"])),
    }
    for name in FILES:
        fractions = [p.fraction for p in heard if p.name == name]
        assert fractions == sorted(fractions) and fractions[0] == 0 and fractions[-1] == 1


def test_cancel_from_another_thread_wakes_a_stalled_transfer_and_leaves_nothing(mirrors, tmp_path):
    half = mirrors.publish("half", CONTENT)  # sends half of each file, then nothing more
    cancellation, started, outcome = Cancellation(), threading.Event(), []
    dest = tmp_path / "data"

    def download():
        report = lambda progress: progress.done and started.set()  # noqa: E731
        try:
            download_mnist(dest, [half], FILES, report=report, cancellation=cancellation)
        except DownloadError as err:
            outcome.append(err)

    thread = threading.Thread(target=download)
    thread.start()
    assert started.wait(10)
    time.sleep(0.2)  # the download now waits for bytes that never come
    assert [name.endswith(".part") for name in listing(dest)] == [True]
    cancelled_at = time.monotonic()
    cancellation.cancel()
    thread.join(10)
    assert time.monotonic() - cancelled_at < 5  # at once, not after the 30 s timeout
    assert len(outcome) == 1 and isinstance(outcome[0], DownloadCancelled)
    assert listing(dest) == []


def test_cancel_while_waiting_for_the_server_is_a_cancel_not_a_timeout(mirrors, tmp_path):
    cancellation = Cancellation()
    cancellation.cancel()
    with pytest.raises(DownloadCancelled):
        download_mnist(
            tmp_path / "data", [mirrors.url("stall")], FILES, cancellation=cancellation, timeout=0.5
        )
    assert listing(tmp_path / "data") == []


def test_the_command_line_shows_a_progress_bar_per_file_on_stderr(mirrors, tmp_path, capsys):
    good = mirrors.publish("good", CONTENT)
    bars = ProgressBars()
    download_mnist(tmp_path / "data", [good], FILES, report=bars)
    bars.close()
    out, err = capsys.readouterr()
    assert out == ""
    assert "first.bin" in err and "second.bin" in err and "100%" in err


def test_data_lives_in_nnviz_data_dir_when_set(tmp_path, monkeypatch):
    monkeypatch.setenv("NNVIZ_DATA_DIR", str(tmp_path))
    assert data_dir() == tmp_path
    assert mnist_dir() == tmp_path / "mnist"


def test_data_lives_in_the_users_data_directory_by_default(monkeypatch):
    monkeypatch.delenv("NNVIZ_DATA_DIR", raising=False)
    assert data_dir().name == "nnviz"
    assert mnist_dir() == data_dir() / "mnist"


def test_mnist_files_are_the_four_published_ones():
    assert sorted(MNIST_FILES) == [
        "t10k-images-idx3-ubyte.gz",
        "t10k-labels-idx1-ubyte.gz",
        "train-images-idx3-ubyte.gz",
        "train-labels-idx1-ubyte.gz",
    ]
    assert MNIST_FILES["t10k-labels-idx1-ubyte.gz"] == Published("ec29112dd5afa0611ce80d1b7f02629c", 4542)


# Full MNIST through load_dataset, from what download_mnist stored


def test_load_dataset_mnist_reads_what_was_downloaded(mirrors, tmp_path, monkeypatch):
    monkeypatch.setenv("NNVIZ_DATA_DIR", str(tmp_path / "user-data"))
    content, arrays = mnist_like()
    good = mirrors.publish("good", content)
    files = {name: Published(hashlib.md5(data).hexdigest(), len(data)) for name, data in content.items()}
    assert download_mnist(mirrors=[good], files=files) == mnist_dir()

    train, test = load_dataset(DOWNLOADED), load_dataset(DOWNLOADED, part="test")
    assert (train.name, test.name) == ("mnist", "mnist (test)")
    for data, prefix in ((train, "train"), (test, "t10k")):
        images = arrays[f"{prefix}-images-idx3-ubyte.gz"]
        np.testing.assert_array_equal(data.images, images.reshape(len(images), 784))
        np.testing.assert_array_equal(data.labels, arrays[f"{prefix}-labels-idx1-ubyte.gz"])


def test_load_dataset_mnist_before_downloading_says_how_to_download(tmp_path, monkeypatch):
    monkeypatch.setenv("NNVIZ_DATA_DIR", str(tmp_path))
    with pytest.raises(DataError, match="not downloaded yet: run `nnviz data download mnist`"):
        load_dataset(DOWNLOADED)
