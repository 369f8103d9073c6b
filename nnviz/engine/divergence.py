"""When an update has made things worse beyond repair: divergence, and a dead network.

Both are judged on the same examples before and after the update (the whole training set with
full batches, else a fixed probe of it), never by comparing two different batches: one unlucky
batch of 1 or 16 examples is not a divergence. Measured on the embedded digits: healthy runs
(alpha 0.1-1, batches of 1 to full) never see a loss above 1.8 x ln 10, the loss of a blind
guess; alpha = 2 with batches of 64 peaks at 3.0 x ln 10; alpha = 10, 50 and 1000 pass 4 x ln 10
within two updates (2.3 -> 8.2 -> 22, 2.3 -> 82 -> 3.8e4, 2.3 -> 3.3e4 -> 5.5e9).
`python -m benchmarks.false_alarms` repeats these measurements.

So an update diverged when a parameter is not finite, or when on those examples the loss after
it is not finite, or is above EXPLOSION x ln 10 and higher than before it. A network is dead when
every hidden unit outputs 0 for every one of those examples: then no gradient reaches W1; an
update is blamed only if some unit was alive before it.

By the time the loss passes that bar it may have been climbing for a few updates: at alpha = 5
after 300 iterations at 0.1 (full batch), 0.315 -> 0.298 -> 0.880 -> 156. The parameters worth
going back to are those from before the climb began (0.298), not those just before the update
that was caught (0.880): the trainer keeps its last RECENT states for that, and `start_of_climb`
picks one.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from nnviz.engine.network import Params

EXPLOSION = 4.0
BLIND_GUESS = math.log(10)
PROBE_EXAMPLES = 512
# States kept for going back. On the embedded digits (alpha 2-10, batches of 1 to full, from
# iteration 0 and from a trained state) the loss climbs for at most 3 updates before it is caught.
RECENT = 8
SHOWN_CLIMB = 5  # losses written out in a message; a longer climb shows its first and last ones


@dataclass(frozen=True)
class Divergence:
    kind: Literal["diverged", "dead"]
    iteration: int  # the update that was caught (and not applied)
    alpha: float
    restored: int  # the iteration whose parameters are in force again
    # On the judging examples: at `restored`, after each update since, and after the caught one.
    losses: tuple[float, ...]
    examples: int  # how many examples the losses are measured on
    whole_set: bool  # all the training examples (full batch), or the fixed probe of them

    @property
    def loss_before(self) -> float:
        """At the parameters now in force."""
        return self.losses[0]

    @property
    def loss_after(self) -> float:
        """After the caught update."""
        return self.losses[-1]

    @property
    def undone(self) -> int:
        """Updates taken back: the caught one and those of the climb before it."""
        return self.iteration - self.restored

    def message(self) -> str:
        """One line in plain words: what happened, with which numbers, what is in force now, what to do."""
        sample = "" if self.whole_set else "a fixed sample of "
        examples = f"{sample}{self.examples:,} training examples"
        restored = f"parameters restored to iteration {self.restored} (loss {number(self.loss_before)})"
        if self.kind == "dead":
            return (
                f"dead network at iteration {self.iteration}: every hidden unit outputs 0 for every one of "
                f"{examples}, so no gradient reaches W1 (loss {number(self.loss_before)} -> "
                f"{number(self.loss_after)} with alpha {self.alpha:g}); {restored}: reset, or lower alpha "
                "and continue"
            )
        if self.undone == 1:
            change = f"the loss went from {number(self.loss_before)} to {number(self.loss_after)}"
        else:
            change = f"the loss climbed {climb_text(self.losses)} over {self.undone} updates"
            restored += ", from before the climb"
        return (
            f"diverged at iteration {self.iteration} with alpha {self.alpha:g}: on {examples} {change}; "
            f"{restored}: lower alpha and continue"
        )


def number(value: float) -> str:
    """Three significant digits, never cut short: 0.298, 156, 895, 3.8e+04, inf."""
    return f"{value:.3g}"


def climb_text(losses: Sequence[float]) -> str:
    shown = [number(v) for v in losses]
    if len(shown) > SHOWN_CLIMB:
        shown = [*shown[:2], "...", *shown[-2:]]
    return " -> ".join(shown)


def exploded(loss_before: float, loss_after: float) -> bool:
    """The same examples' loss after an update, against before it and against a blind guess."""
    if not math.isfinite(loss_after):
        return True
    return loss_after > EXPLOSION * BLIND_GUESS and loss_after > loss_before


def start_of_climb(losses: Sequence[float]) -> int:
    """Where the rise that ended in an explosion began: `losses` are those of consecutive states on
    the same examples, the last one after the caught update. Walking back from the state before
    that update, each loss above the one before it is part of the climb; the first that is not
    began it. Its index is returned (len - 2 if the caught update alone made things worse)."""
    start = len(losses) - 2
    while start > 0 and losses[start - 1] < losses[start]:
        start -= 1
    return start


def finite(params: Params) -> bool:
    return all(np.isfinite(a).all() for a in params.arrays().values())
