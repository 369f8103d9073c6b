"""TensorBoard's smoothing of a noisy curve: an exponential moving average with debiasing.

For the finite values y_1, y_2, ... in order (a non-finite one is passed through as it is and
changes nothing), with weight s in [0, 1):

    last_n = s * last_(n-1) + (1 - s) * y_n,  last_0 = 0;     shown: last_n / (1 - s^n)

The division undoes the pull towards the 0 the average starts from (TensorBoard's "debiasing"),
so the first points are not dragged down. `smoothed_reference` is that loop, as written;
`Smoothing` computes the same numbers a block of points at a time with numpy (a million points in
a few tens of milliseconds, when the weight changes) and only the new points as the curve grows.
"""

from __future__ import annotations

import numpy as np

from nnviz.ui.trailing_mean import GrowingSeries

BLOCK = 256  # points per block: s^BLOCK stays far from underflow for any s worth smoothing with
WEIGHT_RANGE = (0.0, 0.999)


def smoothed_reference(y: np.ndarray, s: float) -> np.ndarray:
    """TensorBoard's loop, point by point: the reference `Smoothing` is tested against."""
    out, last, n = np.empty(len(y)), 0.0, 0
    for i, value in enumerate(y):
        if not np.isfinite(value):
            out[i] = value
            continue
        last = s * last + (1 - s) * value
        n += 1
        out[i] = last / (1 - s**n)
    return out


class Smoothing(GrowingSeries):
    """`of(y)`: the smoothed series of a series that only grows (a shorter one starts again)."""

    def __init__(self, weight: float = 0.0) -> None:
        self.weight = weight
        super().__init__()

    def reset(self) -> None:
        super().reset()
        self._last, self._count = 0.0, 0  # the average so far, and how many finite values made it

    def set_weight(self, weight: float) -> None:
        if weight != self.weight:
            self.weight = weight
            self.reset()

    def _new_points(self, y: np.ndarray) -> np.ndarray:
        new = np.asarray(y[self.size :], dtype=float)
        s = self.weight
        out = new.copy()  # non-finite values stay as they are
        finite = np.flatnonzero(np.isfinite(new))
        values = new[finite]
        if not values.size:
            return out
        averages = self._averages(values, s)
        counts = self._count + np.arange(1, values.size + 1)
        out[finite] = averages / (1 - s**counts) if s > 0 else averages
        self._last, self._count = float(averages[-1]), int(counts[-1])
        return out

    def _averages(self, values: np.ndarray, s: float) -> np.ndarray:
        """last_n for each value, from the last one carried over: within a block of BLOCK values,
        last_i = s^(i+1) carry + (1 - s) sum_j<=i s^(i-j) y_j (one matrix product for every block),
        and each block's carry is the last average of the block before."""
        blocks = -(-values.size // BLOCK)
        padded = np.zeros(blocks * BLOCK)
        padded[: values.size] = values
        steps = np.arange(BLOCK)
        with np.errstate(under="ignore"):
            lags = np.subtract.outer(steps, steps)
            decay = np.where(lags >= 0, s ** np.maximum(lags, 0), 0.0)  # s^(i-j) below the diagonal
            carried = s ** (steps + 1)  # how much of the carry is left at each step of a block
        local = (1 - s) * padded.reshape(blocks, BLOCK) @ decay.T
        carry = self._last
        for block in local:
            block += carried * carry
            carry = block[-1]
        return local.reshape(-1)[: values.size]
