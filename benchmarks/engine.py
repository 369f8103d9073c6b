"""The engine against the seed notebook, against the floor of its two big products, and its scaling."""

from __future__ import annotations

import numpy as np

from benchmarks import reference
from benchmarks.report import Figure
from benchmarks.timing import median_seconds, tiled_digits
from nnviz.engine.trainer import Examples, TrainConfig, Trainer

SEED_M = 41_000  # the seed notebook's training size


def engine_trainer(m: int, hidden: int) -> Trainer:
    images, labels = tiled_digits(m)
    return Trainer(Examples.from_pixels(images, labels), None, TrainConfig(hidden=hidden, init="uniform"))


def figures(repeats: int, m: int = SEED_M) -> list[Figure]:
    images, labels = tiled_digits(m)
    X64 = images.T / 255.0  # the notebook's X: float64, (784, m)
    params = reference.init_params(10, np.random.default_rng(0))

    def notebook_iteration() -> None:
        nonlocal params
        params, _, _ = reference.iteration(params, X64, labels, 0.1)

    trainer = engine_trainer(m, 10)
    X = trainer.train.X
    rng = np.random.default_rng(1)
    W1 = rng.random((10, 784), dtype=np.float32)
    dZ1 = rng.random((10, m), dtype=np.float32)

    # The two products no implementation can skip, each in the faster of the two ways BLAS can
    # be asked for it (as written, or as the transpose of the transposed product), so that the
    # floor stays a floor whichever way the engine computes them.
    products = {
        "W1 X": (lambda: W1 @ X, lambda: (X.T @ W1.T).T),
        "dZ1 X^T": (lambda: dZ1 @ X.T, lambda: (X @ dZ1.T).T),
    }

    # Interleaved rounds, so that load on the machine falls on all of them alike.
    notebook, engine, ways = [], [], {(name, k): [] for name in products for k in (0, 1)}
    for _ in range(repeats):
        notebook.append(median_seconds(notebook_iteration, 3))
        engine.append(median_seconds(trainer.step, 3))
        for (name, k), times in ways.items():
            times.append(median_seconds(products[name][k], 3))
    t_notebook, t_engine = float(np.median(notebook)), float(np.median(engine))
    t_floor = sum(min(float(np.median(ways[name, k])) for k in (0, 1)) for name in products)
    return [
        Figure(
            "engine_vs_notebook",
            "1. engine speed / notebook's",
            t_notebook / t_engine,
            "x",
            2.0,
            ">=",
            f"{1 / t_engine:.1f} vs {1 / t_notebook:.1f} it/s, m={m:,}, h=10",
        ),
        Figure(
            "engine_vs_floor",
            "2. engine iteration / floor",
            t_engine / t_floor,
            "x",
            1.15,
            "<=",
            f"{t_engine * 1e3:.1f} ms vs {t_floor * 1e3:.1f} ms for the fastest W1 X + dZ1 X^T",
        ),
    ]


def scaling(repeats: int, sizes=(1_000, 10_000, 41_000, 70_000), hiddens=(10, 64, 256)) -> list[Figure]:
    """Seconds per iteration across m and h, and per million m*h: flat if time grows linearly in m*h."""
    out = []
    for h in hiddens:
        for m in sizes:
            trainer = engine_trainer(m, h)
            seconds = median_seconds(trainer.step, repeats)
            out.append(
                Figure(
                    f"scaling_m{m}_h{h}",
                    f"8. m={m:,} h={h}",
                    seconds * 1e3,
                    "ms",
                    detail=f"{seconds / (m * h) * 1e9:.1f} ns per example*unit",
                )
            )
    return out
