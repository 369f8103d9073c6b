"""Medians of repeated runs, and data of any size built from the embedded digits."""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from nnviz.data import EMBEDDED, load_dataset


def median_seconds(run: Callable[[], object], repeats: int, warmup: int = 1) -> float:
    for _ in range(warmup):
        run()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return float(np.median(times))


def tiled_digits(m: int) -> tuple[np.ndarray, np.ndarray]:
    """m examples (uint8 rows, labels) made by repeating the embedded digits, as the issue asks."""
    data = load_dataset(EMBEDDED)
    reps = -(-m // len(data))
    return np.tile(data.images, (reps, 1))[:m], np.tile(data.labels, reps)[:m]
