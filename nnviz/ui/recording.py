"""Photographing a view at chosen iterations of the run: a screenshot is one such photograph, a
recording many.

For each iteration asked for, the run is sent there and paused (`run_until`), and once the window
has drawn that pause the view is grabbed, so every frame shows the network exactly at its
iteration. A run that stops short (it diverged, or someone paused it) ends the series with a
photograph of where it stopped; an error in the training thread ends it without one.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

from nnviz.worker.snapshot import Snapshot

SETTLING_PASSES = 5


class Photographer(QObject):
    """Emits `photographed` (a QImage, the iteration) at each of `iterations` (ascending), then
    `finished` with None when all were taken, or with the snapshot that ended the series early."""

    photographed = Signal(QImage, int)
    finished = Signal(object)

    def __init__(self, window, view: QWidget, iterations: Sequence[int], size: QSize | None = None) -> None:
        """`window`: a MainWindow (its `run_until`, `snapshot_shown`); `size`: every picture's size
        (the view's own if None)."""
        super().__init__(window)
        self._window, self._view, self._size = window, view, size
        self._iterations: list[int] | None = list(iterations)  # None once finished
        self.total = len(self._iterations)
        self._waiting_for: int | None = None  # the number of the command that runs to the next one
        self.taken = 0

    def start(self) -> None:
        self._window.snapshot_shown.connect(self._shown)
        self._next()

    def cancel(self) -> None:
        self._stop(None)

    def _next(self) -> None:
        if self.taken == self.total:
            self._stop(None)
            return
        self._waiting_for = self._window.run_until(self._iterations[self.taken])

    def _shown(self, snapshot: Snapshot) -> None:
        if self._waiting_for is None or snapshot.acknowledged < self._waiting_for:
            return
        if snapshot.error:
            self._stop(snapshot)
        elif not snapshot.running:
            self._waiting_for = None
            # Once what this frame changed is laid out (titles, axes): the next turn of the event loop.
            QTimer.singleShot(0, lambda: self._photograph(snapshot))

    def _photograph(self, snapshot: Snapshot) -> None:
        if self._iterations is None:  # cancelled meanwhile
            return
        self.photographed.emit(self.picture(), snapshot.iteration)
        self.taken += 1
        if snapshot.iteration < self._iterations[self.taken - 1]:  # stopped short: diverged or paused
            self._stop(snapshot)
        else:
            self._next()

    def picture(self) -> QImage:
        image = self._view.grab().toImage()
        if self._size is not None and image.size() != self._size:  # a window kept larger by its minimum
            image = image.scaled(
                self._size, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation
            )
        return image

    def _stop(self, snapshot: Snapshot | None) -> None:
        if self._iterations is None:
            return
        self._iterations = None
        self._window.snapshot_shown.disconnect(self._shown)
        self.finished.emit(snapshot)


def rgb_array(image: QImage) -> np.ndarray:
    """A QImage as a height x width x 3 uint8 array (a copy)."""
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    width, height, stride = image.width(), image.height(), image.bytesPerLine()
    rows = np.frombuffer(image.constBits(), dtype=np.uint8, count=stride * height).reshape(height, stride)
    return rows[:, : width * 3].reshape(height, width, 3).copy()


def stage_alone(window: QMainWindow, view: QWidget, size: QSize) -> None:
    """Give `view` exactly `size` for a headless recording: the whole window resized, or a panel taken
    out of it into a window of its own (the main window still feeds it every frame)."""
    if view is window:
        window.showNormal()  # lecture mode goes full screen; a recording has the size asked for
        window.resize(size)
        # Once the window has its size, the plots their shares of it: the same, however the
        # window got there (a splitter squeezed on the way remembers it otherwise).
        for _ in range(SETTLING_PASSES):  # labels that fit their text re-lay out what holds them
            QApplication.sendPostedEvents()
            QApplication.processEvents()
            window.layout_.proportion()
    else:
        view.setParent(None)
        view.setStyleSheet(window.styleSheet())  # the look's type and sizes are the window's style sheet
        view.resize(size)
        view.show()
