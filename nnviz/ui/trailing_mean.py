"""The trailing mean of a growing series, kept up to date as it grows.

A mini-batch curve drawn point by point is mostly noise (with batches of 1, accuracy is 0 or 100 %
at every iteration); the mean of the last `window` points is the curve people read, drawn over the
faint raw one as TensorBoard does. Only new points are averaged, each from the window's values, so
a frame costs the same at iteration 1,000,000 as at 1,000. Non-finite values are left out of the
means (a mean with none left is nan).
"""

from __future__ import annotations

import numpy as np


class TrailingMean:
    """`of(y)`: for each i, the mean of y[max(0, i - window + 1) : i + 1]."""

    def __init__(self, window: int = 1) -> None:
        self.window = window
        self.reset()

    def reset(self) -> None:
        self._means = np.empty(1024)
        self.size = 0

    def of(self, y: np.ndarray) -> np.ndarray:
        """The means of a series that has only grown since the last call (else start again)."""
        if y.size < self.size:
            self.reset()
        if y.size > self.size:
            self._append(self._means_from(y, self.size))
        return self._means[: self.size]

    def _means_from(self, y: np.ndarray, done: int) -> np.ndarray:
        first = max(0, done - self.window + 1)  # the oldest value a new mean needs
        chunk = y[first:]
        finite = np.isfinite(chunk)
        sums = np.concatenate([[0.0], np.cumsum(np.where(finite, chunk, 0.0))])
        counts = np.concatenate([[0], np.cumsum(finite)])
        end = np.arange(done - first, y.size - first) + 1  # each new mean's window is [start, end)
        start = np.maximum(end - self.window, 0)
        with np.errstate(invalid="ignore"):
            return (sums[end] - sums[start]) / (counts[end] - counts[start])

    def _append(self, means: np.ndarray) -> None:
        needed = self.size + means.size
        if needed > self._means.size:  # grow by doubling: appending stays cheap on average
            grown = np.empty(max(needed, 2 * self._means.size))
            grown[: self.size] = self._means[: self.size]
            self._means = grown
        self._means[self.size : needed] = means
        self.size = needed
