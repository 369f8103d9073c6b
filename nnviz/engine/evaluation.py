"""Where the network is wrong: a whole split through the network at once, digit by digit.

Shared by the trainer (dev every K iterations), the window's worker, `nnviz train --json` and
`nnviz evaluate`, so that every place counts the same way:

    predicted = argmax A2                  (network.predictions: ties go to the smaller digit)
    confusion[t, p] = #{examples of digit t predicted as p}   (rows true, columns predicted)
    accuracy = trace(confusion) / m        accuracy of digit d = confusion[d, d] / #{examples of d}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

import numpy as np

from nnviz.engine.network import OUTPUTS, Params, cross_entropy, forward_prop, predictions

TOP_K = 3  # guesses shown per example, as ConvNetJS shows them
MistakeOrder = Literal["confident", "unsure"]


def confusion_matrix(labels: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    """(10, 10) counts, row = true digit, column = predicted digit (one bincount, no loop)."""
    cells = labels * OUTPUTS + predicted
    return np.bincount(cells, minlength=OUTPUTS * OUTPUTS).reshape(OUTPUTS, OUTPUTS)


def accuracy_per_digit(confusion: np.ndarray) -> np.ndarray:
    """Share of each true digit predicted right: the diagonal over the row sums (NaN: no such digit)."""
    totals = confusion.sum(axis=1)
    shares = np.full(OUTPUTS, np.nan)
    np.divide(np.diagonal(confusion), totals, out=shares, where=totals > 0)
    return shares


def top_k(A2: np.ndarray, k: int = TOP_K) -> tuple[np.ndarray, np.ndarray]:
    """Each column's k most probable digits (k, m), most probable first, and their probabilities.

    A stable sort of -A2, so that ties go to the smaller digit, as in `predictions`.
    """
    digits = np.argsort(-A2, axis=0, kind="stable")[:k]
    return digits, np.take_along_axis(A2, digits, axis=0)


@dataclass(frozen=True)
class Evaluation:
    """Every example of a split through the network at one moment (after `iteration` updates).

    The arrays are shared, not copied (the engine never writes into an array it handed out):
    X and labels are the split's own, A2 the forward pass's.
    """

    iteration: int
    loss: float
    accuracy: float  # trace(confusion) / m
    confusion: np.ndarray  # (10, 10) counts, rows true, columns predicted
    predicted: np.ndarray  # (m,)
    labels: np.ndarray = field(repr=False)  # (m,)
    A2: np.ndarray = field(repr=False)  # (10, m)
    X: np.ndarray = field(repr=False)  # (784, m), the pixels / 255, for pictures of the examples

    @classmethod
    def of(
        cls, A2: np.ndarray, Z2: np.ndarray, X: np.ndarray, labels: np.ndarray, iteration: int
    ) -> Evaluation:
        """From a forward pass already made over the examples X (one column each)."""
        predicted = predictions(A2)
        confusion = confusion_matrix(labels, predicted)
        accuracy = float(np.trace(confusion) / labels.size) if labels.size else float("nan")
        loss = cross_entropy(A2, Z2, labels)
        return cls(iteration, loss, accuracy, confusion, predicted, labels, A2, X)

    @property
    def m(self) -> int:
        return self.labels.size

    @property
    def accuracy_per_digit(self) -> np.ndarray:
        return accuracy_per_digit(self.confusion)

    @cached_property
    def top(self) -> tuple[np.ndarray, np.ndarray]:
        """`top_k` of every example: (digits, probabilities), each (TOP_K, m).

        Computed on first use, not at every evaluation: the window's worker asks for it only for
        the evaluations it shows (before it hands them over, so never in the window's thread).
        """
        return top_k(self.A2)

    # --- which examples to look at, in which order (positions in the split) ---

    def in_cell(self, true: int, predicted: int) -> np.ndarray:
        """The examples of digit `true` predicted as `predicted`, most confident first."""
        chosen = np.flatnonzero((self.labels == true) & (self.predicted == predicted))
        return self._ordered(chosen, -self.top[1][0])

    def mistakes(self, order: MistakeOrder = "confident") -> np.ndarray:
        """Every wrong example: the most confidently wrong first (the highest top probability), or
        the most unsure first (the top two probabilities closest)."""
        wrong = np.flatnonzero(self.labels != self.predicted)
        probabilities = self.top[1]
        key = -probabilities[0] if order == "confident" else probabilities[0] - probabilities[1]
        return self._ordered(wrong, key)

    def of_digit(self, digit: int) -> np.ndarray:
        """Every example of digit `digit`, the hardest first (the least probability on the truth)."""
        chosen = np.flatnonzero(self.labels == digit)
        return self._ordered(chosen, self.A2[digit])

    @staticmethod
    def _ordered(chosen: np.ndarray, key: np.ndarray) -> np.ndarray:
        """`chosen` sorted by `key` (ascending; equal keys keep the split's order)."""
        return chosen[np.argsort(key[chosen], kind="stable")]


def evaluate(params: Params, X: np.ndarray, labels: np.ndarray, iteration: int = 0) -> Evaluation:
    """The network at `params` on every column of X."""
    with np.errstate(all="ignore"):  # a diverging run overflows; its evaluation says so in numbers
        fwd = forward_prop(params, X)
        return Evaluation.of(fwd.A2, fwd.Z2, X, labels, iteration)
