"""When an update has made things worse beyond repair: divergence, and a dead network.

Both are judged on the same examples before and after the update (the whole training set with
full batches, else a fixed probe of it), never by comparing two different batches: one unlucky
batch of 1 or 16 examples is not a divergence. Measured on the embedded digits: healthy runs
(alpha 0.1-1, batches of 1 to full) never see a loss above 1.7 x ln 10, the loss of a blind
guess; alpha = 2 with batches of 64 peaks at 3.0 x ln 10; alpha = 10, 50 and 1000 pass 4 x ln 10
within two updates (2.3 -> 8.2 -> 22, 2.3 -> 82 -> 3.8e4, 2.3 -> 3.3e4 -> 5.5e9).

So an update diverged when a parameter is not finite, or when on those examples the loss after
it is not finite, or is above EXPLOSION x ln 10 and higher than before it. A network is dead when
every hidden unit outputs 0 for every one of those examples: then no gradient reaches W1; an
update is blamed only if some unit was alive before it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

from nnviz.engine.network import Params

EXPLOSION = 4.0
BLIND_GUESS = math.log(10)
PROBE_EXAMPLES = 512


@dataclass(frozen=True)
class Divergence:
    kind: Literal["diverged", "dead"]
    iteration: int  # the update that was undone
    loss_before: float  # on the update's own batch
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


def exploded(loss_before: float, loss_after: float) -> bool:
    """The same examples' loss after an update, against before it and against a blind guess."""
    if not math.isfinite(loss_after):
        return True
    return loss_after > EXPLOSION * BLIND_GUESS and loss_after > loss_before


def finite(params: Params) -> bool:
    return all(np.isfinite(a).all() for a in params.arrays().values())
