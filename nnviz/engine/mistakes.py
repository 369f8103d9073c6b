"""Finding the examples the network gets wrong, for "show me the next mistake"."""

from __future__ import annotations

import numpy as np

from nnviz.engine.network import Params, forward_prop, predictions

CHUNK = 1024  # examples per forward pass: a mistake is usually found in the first one


def next_mistake(params: Params, X: np.ndarray, labels: np.ndarray, start: int) -> int | None:
    """The position of the first example from `start` on (going round past the end) whose
    prediction is not its label, or None if the network gets every one right."""
    start = start % labels.size
    for low, high in ((start, labels.size), (0, start)):
        for begin in range(low, high, CHUNK):
            end = min(begin + CHUNK, high)
            with np.errstate(all="ignore"):  # a diverged run predicts 0 everywhere; no warnings
                guesses = predictions(forward_prop(params, X[:, begin:end]).A2)
            wrong = np.flatnonzero(guesses != labels[begin:end])
            if wrong.size:
                return begin + int(wrong[0])
    return None
