"""Time travel: keyframe memory over a long run, and how long a rewind takes (nnviz/engine/keyframes.py).

A rewind replays at most `stride - 1` updates from the keyframe before it, so its worst case is set
by the stride the memory budget forces on a run of that length. The mini-batch run is trained for
real; a full-batch run of 200,000 iterations would take hours, so its worst rewind is measured as
the replay of `stride - 1` full-batch updates, the stride being the one the mini-batch run (the
same network, so the same keyframe size and budget) reached.
"""

from __future__ import annotations

import time

import numpy as np

from benchmarks.report import Figure
from benchmarks.timing import tiled_digits
from nnviz.data import EMBEDDED, load_dataset
from nnviz.engine.keyframes import DEFAULT_BUDGET
from nnviz.engine.trainer import Examples, TrainConfig, Trainer
from nnviz.session import Setup, load_splits

REWIND_TARGET = 0.3  # seconds: a rewind shows at once, also at full batch on 41,000 digits
BATCH = 32


def _rewind_seconds(trainer: Trainer, iteration: int) -> float:
    """A first rewind to `iteration`: the states an earlier replay kept are forgotten first (else
    a repeat costs nothing, and says nothing)."""
    trainer._replayed = {}
    started = time.perf_counter()
    trainer.rebuild(iteration)
    return time.perf_counter() - started


def _worst_rewinds(trainer: Trainer, count: int, rng: np.random.Generator) -> list[float]:
    """Rewinds to iterations just before a keyframe, the longest replays there are."""
    kept = np.array(trainer.keyframes.iterations[1:])
    targets = rng.choice(kept, size=min(count, kept.size), replace=False) - 1
    return [_rewind_seconds(trainer, int(n)) for n in targets]


def _full_batch_worst(train: Examples, stride: int, repeats: int) -> float:
    """The replay of stride - 1 full-batch updates: the longest rewind at that stride."""
    trainer = Trainer(train, None, TrainConfig())
    for _ in range(stride):
        trainer.step()
    trainer.keyframes.roll_back(0)  # as if the next keyframe were `stride` on
    return float(np.median([_rewind_seconds(trainer, stride - 1) for _ in range(repeats)]))


def figures(iterations: int = 200_000, repeats: int = 5, seed_m: int = 41_000) -> list[Figure]:
    setup = Setup(config=TrainConfig(batch_size=BATCH))
    splits = load_splits(setup, load_dataset(EMBEDDED))
    train = Examples.from_pixels(splits.train.images, splits.train.labels)
    trainer = Trainer(train, None, setup.config)
    started = time.perf_counter()
    for _ in range(iterations):
        trainer.step()
    trained = time.perf_counter() - started
    keyframes = trainer.keyframes
    rewinds = _worst_rewinds(trainer, 20, np.random.default_rng(0))
    stride = keyframes.stride
    default = _full_batch_worst(train, stride, repeats)
    images, labels = tiled_digits(seed_m)
    seed_size = _full_batch_worst(Examples.from_pixels(images, labels), stride, repeats)
    per_update = seed_size / max(stride - 1, 1)
    # The largest stride (a power of two) that still rewinds in time, and the run it lasts for.
    within = 2 ** int(np.log2(int(REWIND_TARGET / per_update) + 1))
    return [
        Figure(
            "keyframe_memory_mb",
            f"R1. keyframe memory, {iterations // 1000}k-iteration run",
            keyframes.resident_bytes / 2**20,
            "MB",
            DEFAULT_BUDGET / 2**20,
            "<=",
            f"resident (the block's rows ever written); {keyframes.nbytes / 2**20:.0f} MB hold the "
            f"{len(keyframes):,} keyframes of {keyframes.frame_bytes / 1024:.0f} kB, one every {stride} "
            f"iterations, after {iterations:,} mini-batch ({BATCH}) iterations at h = 10 "
            f"({trained:.0f} s of training)",
        ),
        Figure(
            "rewind_minibatch_ms",
            "R2. longest rewind, mini-batch",
            max(rewinds) * 1e3,
            "ms",
            REWIND_TARGET * 1e3,
            "<=",
            f"replaying {stride - 1} updates; median of {len(rewinds)} such rewinds "
            f"{np.median(rewinds) * 1e3:.1f} ms",
        ),
        Figure(
            "rewind_full_batch_default_ms",
            "R3. longest rewind, full batch, 4,000 digits",
            default * 1e3,
            "ms",
            REWIND_TARGET * 1e3,
            "<=",
            f"replaying {stride - 1} full-batch updates of the default data, at that run's stride",
        ),
        Figure(
            "rewind_full_batch_seed_ms",
            f"R4. longest rewind, full batch, {seed_m:,} digits",
            seed_size * 1e3,
            "ms",
            REWIND_TARGET * 1e3,
            "<=",
            f"replaying {stride - 1} updates of {per_update * 1e3:.0f} ms; within "
            f"{REWIND_TARGET} s up to a stride of {within}: runs of up to "
            f"{within * keyframes.capacity:,} iterations in {DEFAULT_BUDGET // 2**20} MB",
        ),
    ]
