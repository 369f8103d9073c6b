"""Metric history in compact, growing numpy arrays: a long run must not cost a Python object per value."""

from __future__ import annotations

import numpy as np

STEP_FIELDS = ("iteration", "train_loss", "train_accuracy", "alpha")
EVAL_FIELDS = ("dev_iteration", "dev_loss", "dev_accuracy")


class _Columns:
    """Named float64 columns that grow by doubling; `view` returns the filled part."""

    def __init__(self, names: tuple[str, ...], capacity: int = 1024) -> None:
        self.names = names
        self._data = np.empty((len(names), capacity))
        self.size = 0

    def append(self, *values: float) -> None:
        self._reserve(self.size + 1)
        self._data[:, self.size] = values
        self.size += 1

    def extend(self, columns: dict[str, np.ndarray]) -> None:
        block = np.array([columns[name] for name in self.names], dtype=float).reshape(len(self.names), -1)
        self._reserve(self.size + block.shape[1])
        self._data[:, self.size : self.size + block.shape[1]] = block
        self.size += block.shape[1]

    def _reserve(self, needed: int) -> None:
        capacity = self._data.shape[1]
        if needed > capacity:
            grown = np.empty((len(self.names), max(needed, 2 * capacity)))
            grown[:, : self.size] = self._data[:, : self.size]
            self._data = grown

    def view(self, name: str) -> np.ndarray:
        return self._data[self.names.index(name), : self.size]

    def truncate(self, size: int) -> None:
        """Keep the first `size` rows, in a new buffer: views already taken keep what they showed."""
        self._data = self._data.copy()
        self.size = min(size, self.size)


class History:
    """At each iteration count n (parameters after n updates): the batch loss and accuracy and the
    alpha of the last update; every K iterations: dev loss and accuracy."""

    def __init__(self) -> None:
        self._steps = _Columns(STEP_FIELDS)
        self._evals = _Columns(EVAL_FIELDS)

    def record_step(self, iteration: int, loss: float, acc: float, alpha: float) -> None:
        self._steps.append(iteration, loss, acc, alpha)

    def record_eval(self, iteration: int, loss: float, acc: float) -> None:
        self._evals.append(iteration, loss, acc)

    def roll_back(self, iteration: int) -> None:
        """Forget everything recorded after `iteration`: its updates were undone."""
        self._steps.truncate(int(np.searchsorted(self["iteration"], iteration, side="right")))
        self._evals.truncate(int(np.searchsorted(self["dev_iteration"], iteration, side="right")))

    def __getitem__(self, name: str) -> np.ndarray:
        columns = self._steps if name in STEP_FIELDS else self._evals
        return columns.view(name)

    def __len__(self) -> int:
        return self._steps.size

    def views(self) -> dict[str, np.ndarray]:
        """Every column without copying; safe to read from another thread while this one appends,
        because appending writes only past the end of any view already taken (or into a new buffer)."""
        views = {name: self[name] for name in STEP_FIELDS + EVAL_FIELDS}
        for view in views.values():
            view.flags.writeable = False
        return views

    def as_arrays(self) -> dict[str, np.ndarray]:
        return {name: self[name].copy() for name in STEP_FIELDS + EVAL_FIELDS}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> History:
        history = cls()
        history._steps.extend(arrays)
        history._evals.extend(arrays)
        return history
