"""When the window draws: a timer in the GUI thread takes the worker's newest snapshot for a frame.

While training runs, frames are paced by what they cost (FRAME_BUDGET of the GUI thread's time,
BENCHMARKS.md), and only a due frame asks the worker for a snapshot (by finding its slot empty),
so none is made for nothing and what a due frame draws is at most one iteration old. A snapshot
that is not training (a pause, a step, a reset, a refusal) is shown at once.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer, Signal

from nnviz.worker import TrainingWorker
from nnviz.worker.snapshot import Snapshot

POLL_INTERVAL_MS = 10  # cheap: a look at the worker's slot; a snapshot is made only for a due frame
MIN_FRAME_SECONDS = 1 / 30
# While training runs, drawing may take at most this share of the GUI thread's time: BLAS uses
# every core, so each millisecond spent painting is taken from training, nearly one for one.
# Frames are paced by their cost: 5-6 a second at full batch on 41,000 digits, about 5 on the
# embedded digits (a frame there carries more curve), for ~6% of training (BENCHMARKS.md).
FRAME_BUDGET = 0.06


class FramePacer(QObject):
    """Emits `frame` with each snapshot to draw; the receivers update their items at once, and
    `painted` adds Qt's paint pass of that frame to its cost."""

    frame = Signal(object)  # a Snapshot

    def __init__(self, worker: TrainingWorker, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.worker = worker
        self.state: Snapshot | None = None  # the snapshot drawn last
        self._next_frame_at = self._frame_started = self._frame_cost = 0.0
        self.timer = QTimer(self, interval=POLL_INTERVAL_MS)  # a pause shows within 10 ms
        self.timer.timeout.connect(self.show_latest)

    def start(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def show_latest(self) -> None:
        """Timer tick: draw the newest snapshot, if a frame is due."""
        training = self.state is not None and self.state.running
        if training and time.perf_counter() < self._next_frame_at:
            newest = self.worker.peek()
            if newest is None or newest.running:
                return  # not due; a pause, an error or a divergence is shown at once
        snapshot = self.worker.take_snapshot()
        if snapshot is None:
            return
        started = time.perf_counter()
        self.state = snapshot
        self.frame.emit(snapshot)
        self._frame_started, self._frame_cost = started, time.perf_counter() - started
        self._pace()

    def painted(self, seconds: float) -> None:
        """Qt's paint pass after a frame took `seconds`: part of that frame's cost."""
        self._frame_cost += seconds
        self._pace()

    def _pace(self) -> None:
        """The next frame may start once this one's cost is FRAME_BUDGET of the time since it began."""
        pause = max(MIN_FRAME_SECONDS, self._frame_cost / FRAME_BUDGET)
        self._next_frame_at = self._frame_started + pause
