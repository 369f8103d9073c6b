"""Motion, not slides: frames shown while training runs free, what they cost training, what each
costs the GUI thread, with the window in sight and out of it; and `nnviz train` against the engine.

Each configuration alternates rounds of the same training headless (the engine alone, in this
process) and with the window, so that load from elsewhere falls on both alike.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmarks.report import Figure
from benchmarks.timing import tiled_digits
from benchmarks.window import _app, _pump, _window
from nnviz.data import EMBEDDED, Dataset, load_dataset
from nnviz.engine.trainer import TrainConfig
from nnviz.session import Setup, load_splits, make_trainer
from nnviz.ui.frames import FRAMES_PER_SECOND

LECTURE_SCREEN = (1920, 1080)
SEED_M = 41_000


@dataclass(frozen=True)
class Config:
    look: str  # "desk" (1600x1000) or "lecture" (F5, full screen 1920x1080)
    batch: int | None
    hidden: int

    @property
    def label(self) -> str:
        batch = "full batch" if self.batch is None else f"batch {self.batch}"
        return f"{self.look}, {batch}, h={self.hidden}"


CONFIGS = [
    Config(look, batch, hidden) for look in ("desk", "lecture") for batch in (None, 64) for hidden in (10, 64)
]


@dataclass
class Rounds:
    headless: list[float]  # iterations per second, one per round
    window: list[float]
    frames_per_second: list[float]
    staleness: list[float]  # seconds between a snapshot's making and its frame, every frame
    costs: list[float]  # update + paint of each frame, seconds


def _measure(config: Config, seconds: float, rounds: int, minimised: bool = False) -> Rounds:
    data = load_dataset(EMBEDDED)
    setup = Setup(config=TrainConfig(hidden=config.hidden, batch_size=config.batch))
    trainer = make_trainer(load_splits(setup, data), setup.config)
    window = _window(setup, data)
    _pump(10, lambda: window.state is not None)
    if config.look == "lecture":
        window.presentation.set_lecture_mode(True)
    if minimised:
        window.showMinimized()
    _pump(0.5)
    shown: list[tuple[float, float, bool]] = []
    window.snapshot_shown.connect(lambda s: shown.append((time.perf_counter(), s.made_at, s.running)))
    result = Rounds([], [], [], [], [])
    chunk = seconds / rounds
    for _ in range(rounds):
        started, done = time.perf_counter(), 0
        while time.perf_counter() - started < chunk:
            trainer.step()
            done += 1
        result.headless.append(done / (time.perf_counter() - started))

        window.run.toggle_running()
        _pump(10, lambda: window.state.running)
        shown.clear()
        window.pacer.costs.clear()
        first, started = window.worker.iterations_done, time.perf_counter()
        _pump(chunk)
        elapsed = time.perf_counter() - started
        result.window.append((window.worker.iterations_done - first) / elapsed)
        training = [(at, made) for at, made, running in shown if running]
        if len(training) > 1:  # frames a second between the first and the last: the rate itself
            result.frames_per_second.append((len(training) - 1) / (training[-1][0] - training[0][0]))
        # Not the first: it waits behind the paint of the frame that showed the start, which
        # redraws every view at once (~0.1-0.4 s); after it, frames come on the beat.
        result.staleness += [at - made for at, made in training[1:]]
        result.costs += list(window.pacer.costs)
        window.run.toggle_running()
        _pump(10, lambda: not window.state.running)
    window.close()
    return result


def figures(seconds: float, rounds: int) -> list[Figure]:
    """Issue 12's figures 1-3 over every configuration, and 2 with the window minimised."""
    _app()
    out: list[Figure] = []
    worst_fps, worst_ratio, worst_stale, worst_median, worst_p95 = [], [], [], [], []
    for config in CONFIGS:
        r = _measure(config, seconds, rounds)
        fps, ratio = float(np.median(r.frames_per_second)), float(np.median(r.window) / np.median(r.headless))
        stale = float(np.max(r.staleness)) if r.staleness else float("nan")
        costs_ms = np.array(r.costs) * 1e3
        median, p95 = float(np.median(costs_ms)), float(np.percentile(costs_ms, 95))
        worst_fps.append((fps, config))
        worst_ratio.append((ratio, config))
        worst_stale.append((stale, config))
        worst_median.append((median, config))
        worst_p95.append((p95, config))
        out.append(
            Figure(
                f"motion_{config.look}_{config.batch or 'full'}_h{config.hidden}",
                f"12. {config.label}",
                fps,
                "frames/s",
                detail=f"training {ratio:.2f}x headless ({np.median(r.window):.0f} vs "
                f"{np.median(r.headless):.0f} it/s), frame {median:.1f} ms median / {p95:.1f} p95, "
                f"oldest {stale * 1e3:.0f} ms",
            )
        )
    fps, config = min(worst_fps, key=lambda pair: pair[0])
    ratio, ratio_config = min(worst_ratio, key=lambda pair: pair[0])
    stale, stale_config = max(worst_stale, key=lambda pair: pair[0])
    median, median_config = max(worst_median, key=lambda pair: pair[0])
    p95, p95_config = max(worst_p95, key=lambda pair: pair[0])
    hidden = _measure(Config("desk", None, 10), seconds, rounds, minimised=True)
    hidden_ratio = float(np.median(hidden.window) / np.median(hidden.headless))
    interval = 1e3 / FRAMES_PER_SECOND
    out += [
        Figure("motion_fps_min", "12.1 frames/s while training, fewest", fps, "/s", 30, ">=", config.label),
        Figure(
            "motion_oldest_ms",
            "12.1 oldest frame shown (age of its snapshot)",
            stale * 1e3,
            "ms",
            round(interval, 1),
            "<=",
            f"{stale_config.label}; one frame interval is {interval:.1f} ms; "
            "not counting the first frame after each start",
        ),
        Figure(
            "motion_ratio_min",
            "12.2 training with window / headless, least",
            ratio,
            "x",
            0.75,
            ">=",
            ratio_config.label,
        ),
        Figure(
            "motion_hidden_ratio",
            "12.2 training with window minimised / headless",
            hidden_ratio,
            "x",
            0.90,
            ">=",
            f"desk, full batch, h=10; {np.median(hidden.frames_per_second):.1f} frames/s drawn",
        ),
        Figure(
            "motion_cost_median_ms",
            "12.3 frame cost while training, median, worst",
            median,
            "ms",
            8,
            "<=",
            median_config.label,
        ),
        Figure(
            "motion_cost_p95_ms",
            "12.3 frame cost while training, p95, worst",
            p95,
            "ms",
            16,
            "<=",
            p95_config.label,
        ),
    ]
    return out


def cli_speed(iterations: int, rounds: int) -> list[Figure]:
    """`nnviz train` on 41,000 digits (dev every 1,000) against the engine stepping the same run."""
    images, labels = tiled_digits(SEED_M + 1000)
    setup = Setup(dev_size=1000, config=TrainConfig(eval_every=1000))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "tiled.npz"
        np.savez(path, X=images, y=labels)
        trainer = make_trainer(load_splits(setup, Dataset(images, labels, "tiled")), setup.config)
        engine, cli = [], []
        for _ in range(rounds):
            started = time.perf_counter()
            for _ in range(iterations):
                trainer.step()
            engine.append(iterations / (time.perf_counter() - started))
            done = subprocess.run(
                [sys.executable, "-m", "nnviz", "train", "--data", str(path), "--dev-size", "1000",
                 "--iterations", str(iterations), "--eval-every", "1000", "--quiet", "--json"],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            cli.append(json.loads(done.stdout.splitlines()[-1])["iterations_per_second"])
    ratio = float(np.median(cli) / np.median(engine))
    return [
        Figure(
            "cli_vs_engine",
            "12.6 nnviz train / engine, same run",
            ratio,
            "x",
            0.95,
            ">=",
            f"{np.median(cli):.1f} vs {np.median(engine):.1f} it/s, m={SEED_M:,}, dev every 1,000, "
            f"{rounds} rounds",
        )
    ]
