"""When the window draws: at display rate while training runs, at once when anything else happens.

While training runs freely, a frame is drawn every 1/FRAMES_PER_SECOND s (a precise timer; less
often where frames cost more than MOST_TIME_DRAWING of that), with
the worker's newest snapshot: taking one asks the worker for the next, which it makes after its
next iteration, so each frame shows the network at most one frame interval old and no snapshot is
made that is not drawn. In slow motion (a speed limit of 30 iterations a second or less) every
step is drawn, each once. A snapshot that is not training (a pause, a step, a reset, a refusal)
is drawn within POLL_MS. Nothing is taken while nobody can see the window (minimised or hidden):
the worker then makes no snapshots at all, and training has the machine to itself.
"""

from __future__ import annotations

import itertools
import statistics
import time
from collections import deque
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from nnviz.worker import TrainingWorker
from nnviz.worker.snapshot import Snapshot

FRAMES_PER_SECOND = 30  # while training runs: motion, not slides
FAST_TRAINING_FRAMES_PER_SECOND = 4  # View > Fast training: for long unattended runs
POLL_MS = 10  # a look at the worker's slot: a pause shows within this
COSTS_KEPT = 600  # frame costs remembered, for the benchmarks
# While training runs, drawing takes at most this share of the GUI thread's time: where a frame
# costs more than half of 1/30 s (a software X server, a large projector, many hidden units) the
# window shows fewer frames rather than starve training, which needs the GIL between its products.
MOST_TIME_DRAWING = 0.5
RECENT_FRAMES = 15  # whose median cost sets the pace


class FramePacer(QObject):
    """Emits `frame` with each snapshot to draw; the receivers update their items at once, and
    `painted` adds Qt's paint pass of that frame to its cost (`costs`, seconds, newest last)."""

    frame = Signal(object)  # a Snapshot

    def __init__(
        self,
        worker: TrainingWorker,
        in_sight: Callable[[], bool] = lambda: True,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.worker = worker
        self.in_sight = in_sight
        self.frames_per_second = FRAMES_PER_SECOND
        self.state: Snapshot | None = None  # the snapshot drawn last
        # A headless recording draws only pauses: what a frame shows then never depends on which
        # moments of the run in between the machine's speed let it draw (scales that stick, ranges).
        self.pauses_only = False
        self.costs: deque[float] = deque(maxlen=COSTS_KEPT)
        self._next_frame_at = 0.0
        self._cost = 0.0  # of the frame drawn last, so far
        self.poll = QTimer(self, interval=POLL_MS)
        self.poll.timeout.connect(self.show_latest)
        self.next_frame = QTimer(self, singleShot=True)
        self.next_frame.setTimerType(Qt.TimerType.PreciseTimer)  # 33 ms, not 30 or 40
        self.next_frame.timeout.connect(self.show_latest)

    def start(self) -> None:
        self.poll.start()

    def stop(self) -> None:
        self.poll.stop()
        self.next_frame.stop()

    def set_fast_training(self, fast: bool) -> None:
        """A few frames a second, for a long run nobody is watching closely; smooth motion otherwise."""
        self.frames_per_second = FAST_TRAINING_FRAMES_PER_SECOND if fast else FRAMES_PER_SECOND

    def show_latest(self) -> None:
        """Draw the newest snapshot if a frame is due (or the run did something else than train)."""
        if self.pauses_only and (newest := self.worker.peek()) is not None and newest.running:
            return  # left in the slot: the worker makes no more until it pauses
        training = self.state is not None and self.state.running
        if training and not (time.perf_counter() >= self._next_frame_at and self.in_sight()):
            newest = self.worker.peek()
            if newest is None or (newest.running and not newest.every_step):
                return  # not due, or nobody would see it
        snapshot = self.worker.take_snapshot()
        if snapshot is None:
            return
        started = time.perf_counter()
        self.state = snapshot
        self.frame.emit(snapshot)
        self._cost = time.perf_counter() - started
        self.costs.append(self._cost)
        # On the beat, not after it: a frame drawn late does not push every later one back.
        interval = self.interval()
        self._next_frame_at += interval
        if self._next_frame_at < started:
            self._next_frame_at = started + interval
        if snapshot.running:
            self.next_frame.start(max(0, round((self._next_frame_at - time.perf_counter()) * 1000)))

    def interval(self) -> float:
        """Seconds between frames while training runs: 1/30 s, or longer where frames cost more
        than MOST_TIME_DRAWING of that (the frame being painted now is not counted yet)."""
        recent = list(itertools.islice(reversed(self.costs), 1, RECENT_FRAMES + 1))
        typical = statistics.median(recent) if recent else 0.0
        return max(1 / self.frames_per_second, typical / MOST_TIME_DRAWING)

    def painted(self, seconds: float) -> None:
        """Qt's paint pass after a frame took `seconds`: part of that frame's cost."""
        self._cost += seconds
        if self.costs:
            self.costs[-1] = self._cost
