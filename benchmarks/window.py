"""What the window costs training: overhead, responsiveness, frame cost, start-up and memory."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication

from benchmarks.report import Figure
from benchmarks.timing import tiled_digits
from nnviz.data import EMBEDDED, Dataset, load_dataset
from nnviz.engine.trainer import TrainConfig
from nnviz.session import Setup, load_splits, make_trainer
from nnviz.ui.look import configure_drawing
from nnviz.ui.window import MainWindow
from nnviz.worker.snapshot import Snapshot

SEED_M = 41_000
PROBE_MS = 10


@functools.cache
def _app() -> QApplication:
    """The process's one QApplication, held here so that it outlives every window made with it."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    configure_drawing()
    return app


def _window(setup: Setup, data: Dataset) -> MainWindow:
    settings = QSettings(f"{tempfile.mkdtemp()}/nnviz.ini", QSettings.Format.IniFormat)
    window = MainWindow(setup, data, settings)
    window.resize(1600, 1000)
    window.show()
    return window


def _pump(seconds: float, until: Callable[[], bool] | None = None) -> None:
    """Run the event loop as the app does, for `seconds` or until `until()` (checked every 10 ms).

    Not a loop of processEvents and short sleeps: waking the GUI thread a thousand times a second
    takes the GIL and a core from training just as often, and would be measured as the window's cost.
    """
    if until is not None and until():
        return
    loop = QEventLoop()
    failed: list[BaseException] = []

    def check() -> None:
        try:
            if until():
                loop.quit()
        except Exception as error:  # raised here, not swallowed by Qt and retried until the deadline
            failed.append(error)
            loop.quit()

    deadline = QTimer(singleShot=True, interval=int(seconds * 1000))
    deadline.timeout.connect(loop.quit)
    checker = QTimer(interval=10)
    checker.timeout.connect(check)
    deadline.start()
    if until is not None:
        checker.start()
    loop.exec()
    deadline.stop()
    checker.stop()
    if failed:
        raise failed[0]


class LatenessProbe:
    """A timer in the GUI thread that should fire every PROBE_MS: how late each firing is, in ms."""

    def __init__(self) -> None:
        self._lateness: list[float] = []
        self._last = 0.0
        self._timer = QTimer(interval=PROBE_MS)
        self._timer.timeout.connect(self._fired)

    def start(self) -> None:
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> np.ndarray:
        self._timer.stop()
        return np.array(self._lateness) * 1e3

    def _fired(self) -> None:
        now = time.perf_counter()
        self._lateness.append(now - self._last - PROBE_MS / 1000)
        self._last = now


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def responsiveness(seconds: float, rounds: int = 5) -> list[Figure]:
    """How late a 10 ms timer in the GUI thread fires, and how soon a pause shows, while full-batch
    training on 41,000 digits runs with every panel live (rounds alternate with headless training,
    as the motion benchmark does)."""
    _app()
    images, labels = tiled_digits(SEED_M + 1000)
    data = Dataset(images, labels, f"tiled {SEED_M:,}")
    setup = Setup(dev_size=1000)
    trainer = make_trainer(load_splits(setup, data), setup.config)
    window = _window(setup, data)
    _pump(10, lambda: window.state is not None)
    trainer.step()

    chunk = seconds / rounds
    headless = [0, 0.0]  # iterations, seconds
    with_window = [0, 0.0]
    frames_per_second = []
    pause_beyond_iteration = []
    probe = LatenessProbe()
    frames: list[tuple[float, bool]] = []  # when each frame was drawn, and whether it was training
    window.snapshot_shown.connect(lambda snapshot: frames.append((time.perf_counter(), snapshot.running)))
    for _ in range(rounds):
        started, done = time.perf_counter(), 0
        while time.perf_counter() - started < chunk:
            trainer.step()
            done += 1
        headless[0] += done
        headless[1] += time.perf_counter() - started

        window.run.toggle_running()
        _pump(10, lambda: window.state.running)
        first, started = window.worker.iterations_done, time.perf_counter()
        frames.clear()
        probe.start()
        _pump(chunk)
        done, elapsed = window.worker.iterations_done - first, time.perf_counter() - started
        late = probe.stop()
        frames_per_second.append(sum(running for _, running in frames) / elapsed)
        with_window[0] += done
        with_window[1] += elapsed
        clicked = time.perf_counter()
        window.run.toggle_running()
        _pump(10, lambda: not window.state.running)
        # From the click to the frame that shows the pause (not to when _pump noticed it).
        paused_at = next(at for at, running in frames if at >= clicked and not running)
        pause_beyond_iteration.append(paused_at - clicked - elapsed / max(done, 1))
    window.close()

    window_rate = with_window[0] / with_window[1]
    worst_pause = max(pause_beyond_iteration) * 1e3
    return [
        Figure(
            "probe_max_ms",
            "4. GUI probe lateness, max",
            float(late.max()),
            "ms",
            50,
            "<=",
            f"{late.size} probes",
        ),
        Figure("probe_p99_ms", "4. GUI probe lateness, p99", float(np.percentile(late, 99)), "ms", 20, "<="),
        Figure(
            "pause_latency_ms",
            "4. pause latency beyond one iteration",
            worst_pause,
            "ms",
            20,
            "<=",
            f"the slowest of {rounds} pauses; one iteration with the window {1e3 / window_rate:.0f} ms, "
            f"{np.median(frames_per_second):.0f} frames/s, full batch m={SEED_M:,}",
        ),
    ]


def mistakes_page(seconds: float) -> list[Figure]:
    """Training with a dev split of 10,000 digits and the Mistakes page in sight: the matrix and the
    gallery are redrawn for a new evaluation nearly every frame (10,000 training digits, full batch,
    dev every 10 iterations). The GUI probe's lateness against figure 4's targets, and the page's
    own cost per frame."""
    _app()
    images, labels = tiled_digits(20_000)
    data = Dataset(images, labels, "tiled 20,000")
    window = _window(Setup(dev_size=10_000), data)
    _pump(10, lambda: window.state is not None)
    window.show_view("confusion")
    page = window.mistakes
    costs = []
    draw = page.show_snapshot

    def timed(snapshot: Snapshot) -> None:
        started = time.perf_counter()
        draw(snapshot)
        costs.append(time.perf_counter() - started)

    page.show_snapshot = timed
    probe = LatenessProbe()
    window.run.toggle_running()
    _pump(10, lambda: window.state.running)
    first = window.worker.iterations_done
    evaluated = {window.state.evaluation.iteration}
    window.snapshot_shown.connect(lambda snapshot: evaluated.add(snapshot.evaluation.iteration))
    started = time.perf_counter()
    probe.start()
    _pump(seconds)
    _pump(30, lambda: len(costs) >= 3)  # a few frames at least, also on a machine under load
    late = probe.stop()
    done, elapsed = window.worker.iterations_done - first, time.perf_counter() - started
    window.run.toggle_running()
    _pump(10, lambda: not window.state.running)
    window.close()
    costs_ms = np.array(costs) * 1e3
    rate = done / elapsed
    detail = f"{len(evaluated)} evaluations of 10,000 dev digits, {costs_ms.size} frames, {rate:.0f} it/s"
    return [
        Figure(
            "mistakes_probe_max_ms",
            "9. Mistakes page: GUI probe lateness, max",
            float(late.max()),
            "ms",
            50,
            "<=",
            detail,
        ),
        Figure(
            "mistakes_probe_p99_ms",
            "9. Mistakes page: GUI probe lateness, p99",
            float(np.percentile(late, 99)),
            "ms",
            20,
            "<=",
        ),
        Figure(
            "mistakes_page_ms",
            "9. Mistakes page: its update per frame, median",
            float(np.median(costs_ms)),
            "ms",
            None,
            detail=f"p95 {np.percentile(costs_ms, 95):.1f} ms, the paint pass not included",
        ),
    ]


def frame_cost(frames: int) -> list[Figure]:
    """Time to draw one frame of a training run (the figures and curves, and in turn one of the
    slow pictures, as the frame pacer draws them) and paint it, with data changing as in
    training, on an idle core (issue 12's figure 3 measures it while training runs)."""
    app = _app()
    data = load_dataset(EMBEDDED)
    out = []
    for hidden in (10, 64):
        setup = Setup(config=TrainConfig(hidden=hidden))
        window = _window(setup, data)
        _pump(10, lambda: window.state is not None)  # noqa: B023 (used right here)
        window.pacer.stop()
        trainer = make_trainer(load_splits(setup, data), setup.config)
        snapshots = []  # made first: BLAS's threads spin for a while after each product, and a
        for _ in range(frames):  # frame drawn right after one would be measured on a busy core
            trainer.step()
            snapshots.append(Snapshot.of(trainer, running=True, iterations_per_second=100.0))
        costs = []
        for snapshot in snapshots:
            started = time.perf_counter()
            window._show(snapshot)  # a frame as the pacer draws it: the slow pictures take turns
            app.processEvents()  # Qt's paint pass, as in the window: each panel painted once
            costs.append(time.perf_counter() - started)
        window.close()
        costs_ms = np.array(costs[5:]) * 1e3
        out.append(
            Figure(
                f"frame_median_ms_h{hidden}",
                f"5. frame cost on an idle core, median, h={hidden}",
                float(np.median(costs_ms)),
                "ms",
                3,
                "<=",
                f"p95 {np.percentile(costs_ms, 95):.1f} ms, nothing else running",
            )
        )
    return out


STARTUP_PROBE = """
import os, sys, time
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and type(obj).__name__ == "MainWindow":
            print(time.time(), flush=True)
            os._exit(0)
        return False
probe = FirstPaint()
app.installEventFilter(probe)
from nnviz.cli import main
main([])
"""


def startup(runs: int) -> list[Figure]:
    """Process start to the first painted frame of the window, on the embedded digits."""
    times = []
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": home, "HOME": home}
        for _ in range(runs):
            started = time.time()
            done = subprocess.run(
                [sys.executable, "-c", STARTUP_PROBE], capture_output=True, text=True, env=env, timeout=60
            )
            times.append(float(done.stdout.split()[-1]) - started)
    return [
        Figure("startup_s", "6. start-up to first frame, median", float(np.median(times)), "s", 2.0, "<=")
    ]


def memory(iterations: int) -> list[Figure]:
    """Resident memory growth over a long mini-batch run with the window open."""
    _app()
    setup = Setup(config=TrainConfig(batch_size=64))
    window = _window(setup, load_dataset(EMBEDDED))
    _pump(10, lambda: window.state is not None)
    window.run_until(1_000)
    _pump(120, lambda: window.state.iteration >= 1_000 and not window.state.running)
    keyframes = window.worker._trainer.keyframes  # kept by design, within their own budget
    before, kept_before = _rss_mb(), keyframes.resident_bytes / 2**20
    started = time.perf_counter()
    window.run_until(iterations)
    _pump(3600, lambda: window.state.iteration >= iterations and not window.state.running)
    rate = (iterations - 1_000) / (time.perf_counter() - started)
    after, kept = _rss_mb(), keyframes.resident_bytes / 2**20 - kept_before
    window.close()
    return [
        Figure(
            "memory_growth_mb",
            f"7. memory growth beyond the keyframes, 1k to {iterations // 1000}k iterations",
            after - before - kept,
            "MB",
            30,
            "<=",
            f"{before:.0f} -> {after:.0f} MB, of which {kept:.0f} MB keyframes (R1); batch 64, "
            f"{rate:,.0f} it/s with the window",
        )
    ]
