"""The divergence rule against long runs: how far healthy settings stay below its bar over thousands
of iterations, and how quickly a too-large alpha passes it. The measurements behind
nnviz/engine/divergence.py, too long for the tests (about 20 s). Not part of the test run.

    python -m benchmarks.false_alarms           # every setting at its full length
    python -m benchmarks.false_alarms --quick   # a tenth of the iterations
"""

from __future__ import annotations

import argparse
import sys

from benchmarks.report import Figure, table
from nnviz.data import EMBEDDED, load_dataset
from nnviz.engine.divergence import BLIND_GUESS, EXPLOSION
from nnviz.engine.trainer import TrainConfig, Trainer
from nnviz.session import Setup, load_splits, make_trainer

HEALTHY = (
    # settings, iterations
    ({}, 2500),
    ({"alpha": 1.0}, 300),
    ({"alpha": 0.5, "batch_size": 64}, 1000),
    ({"init": "uniform"}, 300),
    ({"batch_size": 1}, 3000),  # plain SGD: single examples are noisy, not divergent
    ({"batch_size": 4}, 3000),
    ({"alpha": 0.5, "batch_size": 16}, 3000),
    ({"hidden": 2, "batch_size": 8}, 2000),
)
TOO_LARGE = (10.0, 50.0, 1000.0)
MEASURE_EVERY = 10  # iterations between two measurements of the judged loss of a mini-batch run
BAR = EXPLOSION * BLIND_GUESS
MARGIN = 0.5  # healthy runs should stay below half the bar (batches of 1 peak at 0.45)


def trainer_for(settings: dict) -> Trainer:
    setup = Setup(config=TrainConfig(**settings))
    return make_trainer(load_splits(setup, load_dataset(EMBEDDED)), setup.config)


def judged_loss(trainer: Trainer) -> float:
    """The loss updates are judged on: the whole training set (full batch) or the fixed probe."""
    if trainer.full_batch:
        return float(trainer.history["train_loss"][-1])
    return trainer.evaluate(trainer.probe)[0]


def healthy(settings: dict, iterations: int) -> Figure:
    """The highest judged loss of a run that should never be stopped, as a share of the bar."""
    trainer = trainer_for(settings)
    highest = judged_loss(trainer)
    for _ in range(iterations):
        trainer.step()
        if trainer.divergence:  # a false alarm: what set it off counts
            highest = max(highest, trainer.divergence.loss_after)
            break
        if trainer.full_batch or trainer.iteration % MEASURE_EVERY == 0:
            highest = max(highest, judged_loss(trainer))
    name = ", ".join(f"{k} {v}" for k, v in settings.items()) or "defaults"
    alarm = trainer.divergence.message() if trainer.divergence else None
    detail = f"FALSE ALARM: {alarm}" if alarm else f"{trainer.iteration:,} iterations, no alarm"
    return Figure(f"healthy {name}", f"highest loss / bar, {name}", highest / BAR, "", MARGIN, "<=", detail)


def too_large(alpha: float) -> Figure:
    """Updates until a too-large alpha is caught, from iteration 0 (at most 10 are tried)."""
    trainer = trainer_for({"alpha": alpha})
    for tried in range(1, 11):
        trainer.step()
        if trainer.divergence:
            return Figure(f"caught {alpha:g}", f"updates to catch alpha {alpha:g}", tried, "", 2, "<=")
    return Figure(f"caught {alpha:g}", f"updates to catch alpha {alpha:g}", 11, "", 2, "<=", "never caught")


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.false_alarms", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--quick", action="store_true", help="a tenth of the iterations")
    options = parser.parse_args()
    share = 0.1 if options.quick else 1.0
    figures = [healthy(settings, max(1, int(n * share))) for settings, n in HEALTHY]
    figures += [too_large(alpha) for alpha in TOO_LARGE]
    print(table(figures))
    return 0 if all(f.met is not False for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
