"""The trailing mean of a growing series, kept up to date as it grows.

A mini-batch curve drawn point by point is mostly noise (with batches of 1, accuracy is 0 or 100 %
at every iteration); the mean of the last `window` points is the curve people read, drawn over the
faint raw one as TensorBoard does. Only new points are averaged, each from the window's values, so
a frame costs the same at iteration 1,000,000 as at 1,000. Non-finite values are left out of the
means (a mean with none left is nan).
"""

from __future__ import annotations

import numpy as np


class GrowingSeries:
    """`of(y)`: a series derived point by point from `y`, which only grows between calls (a shorter
    one starts again). Only the new points are computed (`_new_points`), into a buffer that grows
    by doubling, so a frame costs the same at iteration 1,000,000 as at 1,000."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self._out = np.empty(1024)
        self.size = 0

    def of(self, y: np.ndarray) -> np.ndarray:
        if y.size < self.size:
            self.reset()
        if y.size > self.size:
            self._append(self._new_points(y))
        return self._out[: self.size]

    def _new_points(self, y: np.ndarray) -> np.ndarray:
        """The derived values of y[self.size :]."""
        raise NotImplementedError

    def _append(self, values: np.ndarray) -> None:
        needed = self.size + values.size
        if needed > self._out.size:  # grow by doubling: appending stays cheap on average
            grown = np.empty(max(needed, 2 * self._out.size))
            grown[: self.size] = self._out[: self.size]
            self._out = grown
        self._out[self.size : needed] = values
        self.size = needed


class TrailingMean(GrowingSeries):
    """`of(y)`: for each i, the mean of y[max(0, i - window + 1) : i + 1]."""

    def __init__(self, window: int = 1) -> None:
        self.window = window
        super().__init__()

    def _new_points(self, y: np.ndarray) -> np.ndarray:
        done = self.size
        first = max(0, done - self.window + 1)  # the oldest value a new mean needs
        chunk = y[first:]
        finite = np.isfinite(chunk)
        sums = np.concatenate([[0.0], np.cumsum(np.where(finite, chunk, 0.0))])
        counts = np.concatenate([[0], np.cumsum(finite)])
        end = np.arange(done - first, y.size - first) + 1  # each new mean's window is [start, end)
        start = np.maximum(end - self.window, 0)
        with np.errstate(invalid="ignore"):
            return (sums[end] - sums[start]) / (counts[end] - counts[start])
