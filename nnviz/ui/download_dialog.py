"""Fetching full MNIST from the window: a progress dialog over a download thread, with Cancel.

The download runs in a thread of its own (training goes on meanwhile); the dialog polls what it
has reported, as the window polls the worker. Cancel stops the transfer at once and leaves
nothing behind (nnviz.data.download keeps a file only when it is complete and checked).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QProgressBar, QVBoxLayout, QWidget

from nnviz.data import Cancellation, DownloadCancelled, DownloadError, Progress

POLL_MS = 100
STEPS = 1000  # the progress bar's resolution
Fetch = Callable[..., Path]  # download_mnist, or it with other mirrors: takes report= and cancellation=

log = logging.getLogger(__name__)


class DownloadDialog(QDialog):
    """Shows a download's progress; emits `downloaded` when every file is in place, or `failed`
    with the one-line reason. Cancel (or Escape, or closing it) emits neither.

    A plain dialog rather than QProgressDialog, whose setValue() runs a nested event loop when
    modal: here the window's timers must go on drawing training as usual."""

    downloaded = Signal()
    failed = Signal(str)
    ended = Signal()  # once: done, failed or cancelled (a cancelled thread may still be winding down)

    def __init__(self, fetch: Fetch, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle("Downloading full MNIST")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(460)
        self.label = QLabel("Connecting…")
        self.bar = QProgressBar()
        self.bar.setRange(0, STEPS)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.label, self.bar, buttons):
            layout.addWidget(widget)
        self._cancellation = Cancellation()
        self._progress: Progress | None = None  # the latest report; written by the download thread
        self._shown: Progress | None = None
        self._outcome: Path | Exception | None = None
        self._ended = False
        self._thread = threading.Thread(target=self._download, args=(fetch,), name="nnviz-download")
        self._thread.daemon = True  # a transfer still connecting must not keep a closed app alive
        self._timer = QTimer(self, interval=POLL_MS)
        self._timer.timeout.connect(self._poll)
        self.rejected.connect(self.cancel_download)

    def start(self) -> None:
        self._thread.start()
        self._timer.start()
        self.show()

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def cancel_download(self, wait: float = 0.0) -> None:
        """Stop the transfer (a blocked read wakes at once) and wait up to `wait` s for the thread."""
        self._cancellation.cancel()
        self._end()
        self._thread.join(wait)

    def _download(self, fetch: Fetch) -> None:
        try:
            self._outcome = fetch(report=self._report, cancellation=self._cancellation)
        except DownloadError as err:
            self._outcome = err
        except Exception as err:  # a bug must still end the dialog, with its message, not hang it
            log.exception("download failed")
            self._outcome = err

    def _report(self, progress: Progress) -> None:
        self._progress = progress

    def _poll(self) -> None:
        progress = self._progress
        if progress is not None and progress != self._shown:
            self._shown = progress
            self.label.setText(describe(progress))
            self.bar.setValue(round(progress.fraction * STEPS))
        if self._thread.is_alive():
            return
        self._timer.stop()
        outcome, cancelled = self._outcome, self._cancellation.cancelled
        self._end()
        if isinstance(outcome, Path):
            self.downloaded.emit()
        elif not isinstance(outcome, DownloadCancelled) and not cancelled:
            self.failed.emit(str(outcome))
        self.deleteLater()

    def _end(self) -> None:
        if not self._ended:
            self._ended = True
            self.hide()
            self.ended.emit()


def describe(progress: Progress) -> str:
    """'train-images-idx3-ubyte.gz (file 1 of 4): 3.2 of 9.9 MB'."""
    total = f" of {progress.total / 1e6:.1f}" if progress.total else ""
    where = f"file {progress.number} of {progress.count}"
    return f"{progress.name} ({where}): {progress.done / 1e6:.1f}{total} MB"
