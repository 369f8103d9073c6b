"""View > Record…: a view (or the whole window) photographed every STEP iterations while it trains,
into a GIF or an MP4, with the recording's state and progress in the status bar.

The frames are the Photographer's, as for `nnviz record`: the run pauses at each frame's iteration
for as long as one picture takes, and goes on; nothing else of the live view changes. Stop, Pause
(Space) or the action again end the recording early, keep what was recorded and pause the run; a
reset ends it too.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QSpinBox,
    QToolButton,
    QWidget,
)

from nnviz.animation import FPS_RANGE, Animation, check_can_write, video_available
from nnviz.errors import UserError
from nnviz.ui.recording import Photographer, rgb_array
from nnviz.worker import Pause

GIF_FILTER = "Animated GIF (*.gif)"
MP4_FILTER = "MP4 video (*.mp4)"
LONGEST = 100_000  # iterations a recording may span
NOTICE_MS = 6000  # how long 'Saved …' stays


@dataclass(frozen=True)
class RecordingPlan:
    view: str
    first: int
    last: int
    step: int
    fps: int

    def iterations(self) -> range:
        return range(self.first, self.last + 1, self.step)


class RecordDialog(QDialog):
    """What to record: which view, until which iteration, every how many, at how many frames a second."""

    def __init__(self, views: list[str], iteration: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Record")
        self.first = iteration
        form = QFormLayout(self)
        self.view = QComboBox()
        self.view.addItems(views)
        self.view.setCurrentText("filters")
        self.last = QSpinBox(minimum=iteration, maximum=iteration + LONGEST, value=iteration + 500)
        self.step = QSpinBox(minimum=1, maximum=LONGEST, value=5)
        self.fps = QSpinBox(minimum=FPS_RANGE[0], maximum=FPS_RANGE[1], value=10)
        form.addRow("View", self.view)
        form.addRow("From iteration", QLabel(f"{iteration:,} (now)"))
        form.addRow("To iteration", self.last)
        form.addRow("A frame every", self.step)
        form.addRow("Frames a second", self.fps)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def plan(self) -> RecordingPlan:
        view, last, step, fps = (
            self.view.currentText(),
            self.last.value(),
            self.step.value(),
            self.fps.value(),
        )
        return RecordingPlan(view, self.first, last, step, fps)

    @classmethod
    def ask(cls, views: list[str], iteration: int, parent: QWidget) -> RecordingPlan | None:
        dialog = cls(views, iteration, parent)
        return dialog.plan() if dialog.exec() == QDialog.DialogCode.Accepted else None


class RecordingStatus(QWidget):
    """In the status bar while recording: a red dot and what is recorded, the progress, Stop."""

    def __init__(self) -> None:
        super().__init__()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.progress = QProgressBar()
        self.progress.setMinimumWidth(40)
        self.progress.setMaximumWidth(160)
        self.stop = QToolButton(text="■ Stop")
        self.stop.setStyleSheet("QToolButton { border: none; padding: 0 6px; margin: 0; font-weight: bold }")
        line = self.label.sizeHint().height()  # as tall as the status line it covers
        for part in (self.progress, self.stop):
            part.setMaximumHeight(line)
        row.addWidget(self.label)
        row.addWidget(self.progress)
        row.addWidget(self.stop)

    def show_progress(self, view: str, taken: int, total: int, iteration: int) -> None:
        self.label.setStyleSheet("color: #c0392b; font-weight: bold")
        self.label.setText(f"● Recording {view}: iteration {iteration:,}")
        self.progress.setRange(0, total)
        self.progress.setValue(taken)
        self.progress.show()
        self.stop.show()

    def show_notice(self, text: str) -> None:
        """A line such as 'Saved …', without the progress and Stop."""
        self.label.setStyleSheet("font-weight: bold")
        self.label.setText(text)
        self.progress.hide()
        self.stop.hide()


class WindowRecorder(QObject):
    """Runs one recording at a time in the window; `finished` with the file written (None: nothing)."""

    finished = Signal(object)

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        # Over the right end of the status bar, in no layout: showing it moves no pixel of the views
        # (a view being recorded would otherwise change its size as the recording starts).
        self.status = RecordingStatus()
        self.status.setParent(window.statusBar())
        self.status.setAutoFillBackground(True)  # the status line's end goes under it
        self.status.stop.clicked.connect(self.stop)
        self.status.hide()
        window.statusBar().installEventFilter(self)
        self._notice_timer = QTimer(self, singleShot=True, interval=NOTICE_MS)
        self._notice_timer.timeout.connect(lambda: self.status.hide() if not self.recording else None)
        self.folder = Path.home()
        self._photographer: Photographer | None = None
        self._animation: Animation | None = None

    @property
    def recording(self) -> bool:
        return self._photographer is not None

    def ask_and_start(self) -> bool:
        """Ask what to record and where, and start; False if cancelled or refused."""
        shown = self.window.state
        if shown is None or self.recording:
            return False
        plan = RecordDialog.ask(list(self.window.views), shown.iteration, self.window)
        if plan is None:
            return False
        filters = [GIF_FILTER, MP4_FILTER] if video_available() else [GIF_FILTER]
        path, chosen = QFileDialog.getSaveFileName(
            self.window, "Record to", str(self.folder / f"nnviz-{plan.view}.gif"), ";;".join(filters)
        )
        if not path:
            return False
        path = Path(path)
        if path.suffix.lower() not in (".gif", ".mp4"):
            path = path.with_name(path.name + (".mp4" if chosen == MP4_FILTER else ".gif"))
        return self.start(plan, path)

    def start(self, plan: RecordingPlan, path: Path) -> bool:
        view = self.window.views[plan.view]
        try:
            check_can_write(path, (view.width() // 2 * 2, view.height() // 2 * 2))  # an odd side is cropped
        except UserError as err:
            QMessageBox.warning(self.window, "Record", str(err))
            return False
        self.folder = path.parent
        self._animation = Animation(path, plan.fps)
        self._photographer = photographer = Photographer(self.window, view, plan.iterations(), view.size())
        photographer.photographed.connect(
            lambda image, iteration: self._add(plan.view, image, iteration, photographer.total)
        )
        photographer.finished.connect(self._finished)
        self._notice_timer.stop()
        self.status.show_progress(plan.view, 0, photographer.total, plan.first)
        self._place()
        self.status.show()
        self.status.raise_()
        photographer.start()
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and self.status.isVisible():
            self._place()
        return False

    def _place(self) -> None:
        bar = self.window.statusBar()
        width = min(self.status.sizeHint().width() + 8, bar.width() // 2)  # the status line's start stays
        self.status.setGeometry(bar.width() - width, 0, width, bar.height())

    def stop(self) -> None:
        """Keep what was recorded so far, and pause the run where it is (the recording was driving it)."""
        if self._photographer is not None:
            self.window.worker.send(Pause())
            self._photographer.cancel()

    def _add(self, view: str, image, iteration: int, total: int) -> None:
        self._animation.add(rgb_array(image))
        self.status.show_progress(view, self._animation.frames, total, iteration)

    def _finished(self, _stopped) -> None:
        animation, self._animation = self._animation, None
        self._photographer.deleteLater()
        self._photographer = None
        self.status.hide()
        written = None
        try:
            animation.close()
            written = animation.path if animation.frames else None
        except (OSError, UserError) as err:
            QMessageBox.warning(self.window, "Record", f"{animation.path}: could not write it: {err}")
        if written:
            self.notify(f"Saved {written}: {animation.frames} frames")
        self.finished.emit(written)

    def notify(self, text: str) -> None:
        """Say `text` over the status bar's end for a few seconds. Not QStatusBar.showMessage: its
        label asks for the whole text's width, and a long path widened the window."""
        if self.recording:
            return
        self.status.show_notice(text)
        self._place()
        self.status.show()
        self.status.raise_()
        self._notice_timer.start()
