"""Keyframes: the parameters at chosen iterations, from which any past iteration is rebuilt exactly.

A run is bit-identical for its seed: iteration n's batch is drawn from (seed, epoch) alone and the
alpha of each update is in the history. So the parameters after n updates are those of the nearest
earlier keyframe k, replayed through the updates k+1 ... n (`replay`), with no need to keep them all.

Which iterations are kept: every `stride`-th, starting with stride 1, so a short run keeps them
all; when the memory budget is full, every other keyframe is let go and the stride doubles (the
first one, where the run's record starts, always stays). So the keyframes stay evenly spread over
the whole run, between half and all of the budget, and the longest replay is `stride - 1` updates:
even spacing makes the worst rewind as short as the budget allows, which is what a rewind has to
meet. A keyframe is copied in (31 KB at h = 10, every stride-th iteration) and out (at a rewind).

Measured (`python -m benchmarks`, "rewind"): at h = 10 a keyframe is 31 KB, 256 MB hold 8,430 of
them, and a 200,000-iteration run keeps one every 32 iterations.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Sequence

import numpy as np

from nnviz.engine.network import Params, backward_prop, forward_prop, update_params

DEFAULT_BUDGET = 256 * 2**20  # bytes
MIN_KEPT = 16  # however large the network: a rewind must never replay the whole run
# The states a replay passed through are kept, up to this many bytes (those nearest its end), so
# that stepping back one iteration at a time replays once, not at every step.
REPLAYED_BUDGET = 32 * 2**20


class Keyframes:
    """Parameters at every `stride`-th iteration, within `budget` bytes.

    They are copied into one block per parameter array (a row each; the block is the budget, whose
    pages take memory only once written) and copied out again when asked for: kept as the
    training's own small arrays, among
    the temporaries of every iteration and half of them let go at each thinning, they left the
    heap in holes it could not give back (250 MB of growth over 100,000 iterations, for 161 MB of
    keyframes; BENCHMARKS.md).
    """

    def __init__(self, budget: int = DEFAULT_BUDGET) -> None:
        self.budget = budget
        self.stride = 1
        self._iterations: list[int] = []
        self._rows: dict[str, np.ndarray] = {}  # "W1": (rows, h, 784), ...; row i holds keyframe i
        self._written = 0  # rows ever written: the block's pages that take memory

    def offer(self, iteration: int, params: Params) -> None:
        """Keep `params` (after `iteration` updates) if the stride says so; the first is always kept.
        Iterations are offered in increasing order (`roll_back` first to go back)."""
        if self._iterations and (iteration % self.stride or iteration <= self._iterations[-1]):
            return
        if self._rows and len(self._iterations) == self.capacity:  # full: every other one goes
            self._thin()
            if iteration % self.stride:
                return
        self._store(len(self._iterations), params)
        self._iterations.append(iteration)

    @property
    def capacity(self) -> int:
        """How many keyframes fit the budget (at least MIN_KEPT)."""
        return max(MIN_KEPT, self.budget // max(1, self.frame_bytes))

    @property
    def frame_bytes(self) -> int:
        return sum(rows[0].nbytes for rows in self._rows.values())

    @property
    def nbytes(self) -> int:
        """The keyframes kept."""
        return len(self._iterations) * self.frame_bytes

    @property
    def reserved_bytes(self) -> int:
        """The blocks that hold them: the budget (MIN_KEPT keyframes if those take more)."""
        return sum(rows.nbytes for rows in self._rows.values())

    @property
    def resident_bytes(self) -> int:
        """The part of the blocks ever written, which takes memory (at most `reserved_bytes`)."""
        return self._written * self.frame_bytes

    @property
    def first(self) -> int | None:
        """The earliest iteration that can be rebuilt (None before anything is kept)."""
        return self._iterations[0] if self._iterations else None

    @property
    def iterations(self) -> tuple[int, ...]:
        return tuple(self._iterations)

    def __len__(self) -> int:
        return len(self._iterations)

    def at_or_before(self, iteration: int) -> tuple[int, Params]:
        """The nearest keyframe at or before `iteration` (ValueError if there is none)."""
        index = bisect.bisect_right(self._iterations, iteration) - 1
        if index < 0:
            first = "nothing is kept" if not self._iterations else f"they start at {self._iterations[0]}"
            raise ValueError(f"iteration {iteration} cannot be rebuilt: {first}")
        return self._iterations[index], self._params(index)

    def roll_back(self, iteration: int) -> None:
        """Forget the keyframes after `iteration`: the updates that led to them are undone."""
        del self._iterations[bisect.bisect_right(self._iterations, iteration) :]

    def _thin(self) -> None:
        self.stride *= 2
        kept = [i for i, at in enumerate(self._iterations) if i == 0 or at % self.stride == 0]
        self._iterations = [self._iterations[i] for i in kept]
        for rows in self._rows.values():
            for to, row in enumerate(kept):  # row by row: a fancy-indexed copy would be a temporary
                rows[to] = rows[row]  # of half the budget, kept by the allocator once freed

    def thinned(self, budget: int) -> tuple[list[int], list[Params]]:
        """The keyframes, every other one let go (the first kept) until they fit `budget` bytes."""
        indices = list(range(len(self._iterations)))
        while len(indices) > max(1, budget // max(1, self.frame_bytes)):
            indices = indices[::2]
        return [self._iterations[i] for i in indices], [self._params(i) for i in indices]

    def restore(self, iterations: Sequence[int], params: Sequence[Params]) -> None:
        """Take the keyframes a saved run kept (checked by the loader, increasing), replacing these.
        From now on the stride is the smallest power of two that spaces them, so none are added
        between them."""
        gaps = [b - a for a, b in itertools.pairwise(iterations)]
        self.stride = 1 << (max(gaps, default=1) - 1).bit_length()
        self._iterations, self._rows, self._written = [], {}, 0
        for iteration, kept in zip(iterations, params, strict=True):
            if self._rows and len(self._iterations) == self.capacity:
                self._thin()
            self._store(len(self._iterations), kept)
            self._iterations.append(iteration)

    def _store(self, row: int, params: Params) -> None:
        arrays = params.arrays()
        if not self._rows:  # the whole budget at once, untouched until written: no copies, no holes
            frame = sum(a.nbytes for a in arrays.values())
            rows = max(MIN_KEPT, self.budget // max(1, frame))
            self._rows = {name: np.empty((rows, *a.shape), a.dtype) for name, a in arrays.items()}
        for name, a in arrays.items():
            self._rows[name][row] = a
        self._written = max(self._written, row + 1)

    def _params(self, index: int) -> Params:
        """A copy: the rows move when the keyframes are thinned."""
        return Params(**{name: rows[index].copy() for name, rows in self._rows.items()})


Batches = Callable[[int], tuple[np.ndarray, np.ndarray]]


def replay(
    params: Params,
    start: int,
    end: int,
    batch_for: Batches,
    alpha_of: Callable[[int], float],
    seen: Callable[[int, Params], None] | None = None,
) -> Params:
    """The parameters after `end` updates, from `params` after `start`: the updates start+1 ... end,
    each on the batch `batch_for(k)` (X, Y of the update that follows k applied ones) with the
    alpha it was applied with, `alpha_of(k + 1)`. The same equations the trainer applies, in the
    same order, so the result is bit-identical to the original run's. `seen(k, params)` is told
    each state on the way."""
    for k in range(start, end):
        X, Y = batch_for(k)
        with np.errstate(all="ignore"):  # as the trainer computes them
            fwd = forward_prop(params, X)
            params = update_params(params, backward_prop(params, X, Y, fwd), alpha_of(k + 1))
        if seen is not None:
            seen(k + 1, params)
    return params
