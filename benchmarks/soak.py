"""The long run of issue 6: train with the window open until 1,000,000 mini-batch iterations or
30 minutes, and report what a long demonstration would suffer from. Not part of the test run.

    python -m benchmarks.soak                   # 1,000,000 iterations or 30 minutes
    python -m benchmarks.soak --iterations 50000 --minutes 2
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before Qt is imported, below

import numpy as np

from benchmarks.window import LatenessProbe, _app, _pump, _rss_mb, _window
from nnviz.allocator import keep_freed_memory
from nnviz.data import EMBEDDED, load_dataset
from nnviz.engine.trainer import TrainConfig
from nnviz.session import Setup


def soak(iterations: int, minutes: float) -> dict:
    keep_freed_memory()
    exceptions: list[str] = []
    sys.excepthook = lambda kind, value, tb: exceptions.append(f"{kind.__name__}: {value}")
    threading.excepthook = lambda args: exceptions.append(f"{args.exc_type.__name__}: {args.exc_value}")
    _app()
    window = _window(Setup(config=TrainConfig(batch_size=64)), load_dataset(EMBEDDED))
    _pump(10, lambda: window.state is not None)
    window.run_until(1_000)
    _pump(120, lambda: window.state.iteration >= 1_000 and not window.state.running)
    rss_start = _rss_mb()
    probe = LatenessProbe()
    frames = []
    window.snapshot_shown.connect(lambda snapshot: frames.append(snapshot.running))
    probe.start()
    started = time.perf_counter()
    window.run_until(iterations)
    _pump(minutes * 60, lambda: window.state.iteration >= iterations and not window.state.running)
    late_ms = probe.stop()
    elapsed = time.perf_counter() - started
    if window.state.running:  # the time limit came first
        window.run.toggle_running()
    _pump(10, lambda: not window.state.running)
    state = window.state
    report = {
        "iterations": state.iteration,
        "minutes": round(elapsed / 60, 2),
        "iterations_per_second": round((state.iteration - 1_000) / elapsed),
        "frames_per_second": round(sum(frames) / elapsed, 1),
        "rss_mb_start": round(rss_start, 1),
        "rss_mb_end": round(_rss_mb(), 1),
        "longest_gui_stall_ms": round(float(late_ms.max()), 1),
        "gui_stall_p99_ms": round(float(np.percentile(late_ms, 99)), 1),
        "worker_error": state.error,
        "divergence": state.divergence.message() if state.divergence else None,
        "exceptions": exceptions,
    }
    window.close()
    return report


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.soak", description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=1_000_000)
    parser.add_argument("--minutes", type=float, default=30.0)
    options = parser.parse_args()
    report = soak(options.iterations, options.minutes)
    print(json.dumps(report, indent=2))
    clean = not report["exceptions"] and report["worker_error"] is None
    return 0 if clean else 1


if __name__ == "__main__":
    sys.exit(main())
