"""File > Full MNIST in the window: asked first, downloaded with progress, cancelled at once,
failures explained, closing mid-download clean. Against a server on 127.0.0.1."""

from __future__ import annotations

import hashlib
import os
import time
from functools import partial

import pytest
from idx_files import mnist_like
from PySide6.QtWidgets import QMessageBox

from nnviz.data import download_mnist, mnist_dir
from nnviz.data.download import Published
from nnviz.session import Setup
from nnviz.ui.window import MainWindow

TRAIN, TEST = 300, 50


@pytest.fixture
def user_data(tmp_path, monkeypatch):
    """The user's data directory, empty: full MNIST not downloaded."""
    monkeypatch.setenv("NNVIZ_DATA_DIR", str(tmp_path / "user-data"))
    return tmp_path / "user-data"


@pytest.fixture
def published(mirrors):
    """Small MNIST-like files under the four real names, and their MD5s."""
    content, _ = mnist_like(TRAIN, TEST)
    return content, {
        name: Published(hashlib.md5(data).hexdigest(), len(data)) for name, data in content.items()
    }


def use_mirror(window: MainWindow, url: str, files: dict[str, Published]) -> None:
    window.full_mnist.fetch = partial(download_mnist, mirrors=[url], files=files)


def leftovers() -> list[str]:
    return sorted(os.listdir(mnist_dir())) if mnist_dir().exists() else []


def test_a_download_shows_progress_then_trains_on_full_mnist(qtbot, window, user_data, mirrors, published):
    content, files = published
    use_mirror(window, mirrors.publish("good", content), files)
    dialog = window.full_mnist.start()
    assert dialog.isVisible() and not window.action("use_full_mnist").isEnabled()
    qtbot.waitUntil(lambda: window.state.train_examples + window.state.dev_examples == TRAIN, timeout=10000)
    assert "mnist" in window.status.line.full_text and window.action("use_full_mnist").isEnabled()
    assert leftovers() == sorted(files)
    window.run.step()
    qtbot.waitUntil(lambda: window.state.iteration == 1, timeout=5000)


def test_progress_is_shown_and_cancel_stops_at_once_leaving_nothing(
    qtbot, window, user_data, mirrors, published
):
    content, files = published
    use_mirror(window, mirrors.publish("half", content), files)  # half of each file, then silence
    dialog = window.full_mnist.start()
    qtbot.waitUntil(lambda: dialog.bar.value() > 0, timeout=10000)
    assert "train-images-idx3-ubyte.gz (file 1 of 4)" in dialog.label.text()
    assert [name.endswith(".part") for name in leftovers()] == [True]
    cancelled_at = time.monotonic()
    dialog.reject()  # the Cancel button, or Escape
    qtbot.waitUntil(lambda: not dialog.running, timeout=5000)
    assert time.monotonic() - cancelled_at < 5  # not the 30 s stall timeout
    assert leftovers() == [] and not dialog.isVisible() and window.action("use_full_mnist").isEnabled()
    assert "mnist-5k" in window.status.line.full_text


def test_a_failed_download_is_explained_and_changes_nothing(
    qtbot, window, user_data, mirrors, published, monkeypatch
):
    content, files = published
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    use_mirror(window, mirrors.publish("bad", {name: b"tampered" for name in content}), files)
    window.full_mnist.start()
    qtbot.waitUntil(lambda: len(shown) == 1, timeout=10000)
    assert (
        shown[0].startswith("train-images-idx3-ubyte.gz: no mirror delivered it intact") and "md5" in shown[0]
    )
    assert (
        leftovers() == []
        and "mnist-5k" in window.status.line.full_text
        and window.action("use_full_mnist").isEnabled()
    )


def test_closing_the_window_mid_download_exits_cleanly_and_leaves_nothing(
    qtbot, digits, settings, user_data, mirrors, published
):
    content, files = published
    w = MainWindow(Setup(), digits, settings)
    w.show()
    use_mirror(w, mirrors.publish("half", content), files)
    w.run_until(10_000_000)
    dialog = w.full_mnist.start()
    qtbot.waitUntil(lambda: dialog.bar.value() > 0, timeout=10000)
    closing = time.monotonic()
    w.close()
    assert time.monotonic() - closing < 5
    assert not dialog.running and not w.worker.is_alive
    assert leftovers() == []


def test_full_mnist_asks_before_downloading(qtbot, window, user_data, monkeypatch):
    answers = []

    def answer(reply):
        def question(parent, title, text):
            answers.append(text)
            return reply

        monkeypatch.setattr(QMessageBox, "question", question)

    started = []
    monkeypatch.setattr(window.full_mnist, "start", lambda: started.append(True))
    answer(QMessageBox.StandardButton.No)
    window.action("use_full_mnist").trigger()
    assert "not on this computer yet" in answers[0] and str(mnist_dir()) in answers[0] and not started
    answer(QMessageBox.StandardButton.Yes)
    window.action("use_full_mnist").trigger()
    assert started == [True]


def test_full_mnist_once_downloaded_is_used_without_asking(qtbot, window, user_data, published, monkeypatch):
    content, _ = published
    mnist_dir().mkdir(parents=True)
    for name, data in content.items():
        (mnist_dir() / name).write_bytes(data)
    monkeypatch.setattr(QMessageBox, "question", lambda *args: pytest.fail("asked again"))
    window.action("use_full_mnist").trigger()
    qtbot.waitUntil(lambda: window.state.train_examples + window.state.dev_examples == TRAIN, timeout=10000)
