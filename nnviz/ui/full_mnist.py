"""File > Full MNIST: use it if it is on this computer; otherwise ask, then download it with progress
and Cancel while training goes on, and train on it once every file is in and checked."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox, QWidget

from nnviz.data import DOWNLOADED, download_mnist, is_downloaded, mnist_dir
from nnviz.ui.download_dialog import DownloadDialog, Fetch


class FullMnist:
    def __init__(self, parent: QWidget, action: QAction, use_data: Callable[[str], object]) -> None:
        self._parent, self._action, self._use_data = parent, action, use_data
        self.fetch: Fetch = download_mnist  # tests: a local server
        self.download: DownloadDialog | None = None  # the one under way, if any

    def offer(self) -> None:
        """Train on full MNIST, offering to download it first if it is not on this computer."""
        if is_downloaded():
            self._use_data(DOWNLOADED)
            return
        answer = QMessageBox.question(
            self._parent,
            "Download full MNIST?",
            "Full MNIST (70,000 digits: 60,000 to train on and 10,000 to test, 11 MB) is not on this "
            f"computer yet.\n\nDownload it now into {mnist_dir()}? Training goes on meanwhile.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.start()

    def start(self) -> DownloadDialog:
        """Fetch full MNIST with progress and Cancel; train on it once every file is in."""
        self.download = DownloadDialog(self.fetch, self._parent)
        self.download.downloaded.connect(lambda: self._use_data(DOWNLOADED))
        self.download.failed.connect(
            lambda reason: QMessageBox.warning(self._parent, "Download failed", reason)
        )
        self.download.ended.connect(self._over)
        self._action.setEnabled(False)
        self.download.start()
        return self.download

    def cancel(self, wait: float) -> None:
        """Closing the window: nothing half-downloaded may stay behind."""
        if self.download is not None:
            self.download.cancel_download(wait=wait)

    def _over(self) -> None:
        self.download = None
        self._action.setEnabled(True)
