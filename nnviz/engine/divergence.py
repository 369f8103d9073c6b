"""When an update has made things worse beyond repair: divergence, and a dead network.

The rule, measured on the embedded digits: healthy runs (alpha 0.1-1, full batch or batches of
64) never see a loss above 1.7 x ln 10, the loss of a blind guess; alpha = 2 with batches of 64
oscillates up to 3.0 x ln 10 and recovers; alpha = 10, 50 and 1000 pass 4 x ln 10 within two
updates (2.3 -> 8.2 -> 22, 2.3 -> 82 -> 3.8e4, 2.3 -> 3.3e4 -> 5.5e9). So an update diverged when
the loss after it is not finite, a parameter is not finite, or the loss is above both
EXPLOSION x ln 10 and EXPLOSION x the best loss so far. A network is dead when every hidden
unit outputs 0 for every example of the batch: then no gradient reaches W1 and it cannot learn.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

from nnviz.engine.network import Params

EXPLOSION = 4.0
BLIND_GUESS = math.log(10)


@dataclass(frozen=True)
class Divergence:
    kind: Literal["diverged", "dead"]
    iteration: int  # the update that was undone
    loss_before: float
    loss_after: float
    alpha: float

    def message(self) -> str:
        """One line in plain words: what happened, with which numbers, and what to do."""
        change = f"loss {self.loss_before:.4g} -> {self.loss_after:.4g} with alpha {self.alpha:g}"
        if self.kind == "dead":
            return (
                f"dead network at iteration {self.iteration}: every hidden unit outputs 0 for every "
                f"example, so no gradient reaches W1 ({change}); parameters restored: reset, or "
                "lower alpha and continue"
            )
        return (
            f"diverged at iteration {self.iteration}: {change}; parameters restored: lower alpha and continue"
        )


def check_update(
    params: Params, A1: np.ndarray, loss_before: float, loss_after: float, best_loss: float
) -> Literal["diverged", "dead"] | None:
    """What, if anything, is wrong with the state an update led to (its parameters, and the
    forward pass of the next batch: A1 and the loss)."""
    finite = math.isfinite(loss_after) and all(np.isfinite(a).all() for a in params.arrays().values())
    exploded = loss_after > EXPLOSION * BLIND_GUESS and loss_after > EXPLOSION * best_loss
    if not finite or exploded:
        return "diverged"
    if not A1.any():
        return "dead"
    return None
