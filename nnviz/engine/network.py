"""The two-layer network of the from-scratch lectures, one function per group of equations.

Shapes (one column per example, m examples, h hidden units):
    X (784, m)   W1 (h, 784)  b1 (h, 1)   Z1, A1 (h, m)
    Y (10, m)    W2 (10, h)   b2 (10, 1)  Z2, A2 (10, m)

    forward:  Z1 = W1 X + b1;  A1 = ReLU(Z1);  Z2 = W2 A1 + b2;  A2 = softmax(Z2)
    backward: dZ2 = A2 - Y;  dW2 = dZ2 A1^T / m;  db2 = sum(dZ2) / m
              dZ1 = W2^T dZ2 * ReLU'(Z1);  dW1 = dZ1 X^T / m;  db1 = sum(dZ1) / m
    update:   W := W - alpha dW,  b := b - alpha db
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

INPUTS = 784
OUTPUTS = 10
Init = Literal["he", "uniform"]
INITS: tuple[Init, ...] = ("he", "uniform")
UNDERFLOW = 1e-30  # below this, A2 has lost digits to float32 and -log A2 is recomputed from Z2
# A softmax column whose exp() sums to less than this is computed in the shifted form: only
# probabilities below 1e-20 could have lost digits to float32 underflow in the plain one.
SMALLEST_SAFE_SUM = 2.0**-60


@dataclass(frozen=True)
class Params:
    W1: np.ndarray
    b1: np.ndarray
    W2: np.ndarray
    b2: np.ndarray

    @property
    def hidden(self) -> int:
        return self.W1.shape[0]

    def arrays(self) -> dict[str, np.ndarray]:
        return {"W1": self.W1, "b1": self.b1, "W2": self.W2, "b2": self.b2}


@dataclass(frozen=True)
class Forward:
    Z1: np.ndarray
    A1: np.ndarray
    Z2: np.ndarray
    A2: np.ndarray


@dataclass(frozen=True)
class Gradients:
    dZ2: np.ndarray
    dW2: np.ndarray
    db2: np.ndarray
    dZ1: np.ndarray
    dW1: np.ndarray
    db1: np.ndarray


def init_params(hidden: int, init: Init, rng: np.random.Generator, dtype: type = np.float32) -> Params:
    """`he`: W ~ N(0, 2/fan_in), b = 0 (keeps ReLU activations at a steady scale).
    `uniform`: every parameter in [-0.5, 0.5), as in the classic from-scratch notebook."""
    if init == "he":
        W1 = rng.normal(0.0, np.sqrt(2.0 / INPUTS), (hidden, INPUTS))
        W2 = rng.normal(0.0, np.sqrt(2.0 / hidden), (OUTPUTS, hidden))
        b1, b2 = np.zeros((hidden, 1)), np.zeros((OUTPUTS, 1))
    elif init == "uniform":
        W1 = rng.random((hidden, INPUTS)) - 0.5
        b1 = rng.random((hidden, 1)) - 0.5
        W2 = rng.random((OUTPUTS, hidden)) - 0.5
        b2 = rng.random((OUTPUTS, 1)) - 0.5
    else:
        raise ValueError(f"unknown init {init!r}; expected one of {', '.join(INITS)}")
    return Params(*(a.astype(dtype) for a in (W1, b1, W2, b2)))


def relu(Z: np.ndarray) -> np.ndarray:
    return np.maximum(Z, 0)


def relu_deriv(Z: np.ndarray) -> np.ndarray:
    """ReLU'(Z): 1 where Z > 0, else 0, as booleans (multiplying by them is the same, and cheaper)."""
    return Z > 0


def softmax(Z: np.ndarray) -> np.ndarray:
    """Column-wise softmax, exp(Z) / sum(exp(Z)), as the lectures write it.

    If some column's exp() overflows, or all of it comes near underflow (only ever in a diverging
    run), the columns are shifted by their max first: the usual stable form, the same result,
    but three more passes over Z, which is why it is not the everyday path.
    """
    with np.errstate(over="ignore", under="ignore"):
        E = np.exp(Z)  # one (10, m) array for the whole computation, then in place
        S = E.sum(axis=0, keepdims=True)
    if not (np.isfinite(S).all() and S.min() >= SMALLEST_SAFE_SUM):
        np.subtract(Z, Z.max(axis=0, keepdims=True), out=E)
        np.exp(E, out=E)
        S = E.sum(axis=0, keepdims=True)
    E /= S
    return E


def forward_prop(params: Params, X: np.ndarray) -> Forward:
    Z1 = params.W1 @ X
    Z1 += params.b1  # in place: the bias is broadcast over the examples without a second (h, m) array
    A1 = relu(Z1)
    Z2 = params.W2 @ A1
    Z2 += params.b2
    A2 = softmax(Z2)
    return Forward(Z1, A1, Z2, A2)


def one_hot(labels: np.ndarray, dtype: type = np.float32) -> np.ndarray:
    """Y (10, m): column i is 1 in row labels[i]."""
    Y = np.zeros((OUTPUTS, labels.size), dtype=dtype)
    Y[labels, np.arange(labels.size)] = 1
    return Y


def backward_prop(params: Params, X: np.ndarray, Y: np.ndarray, fwd: Forward) -> Gradients:
    m = X.shape[1]
    dZ2 = fwd.A2 - Y
    dW2 = dZ2 @ fwd.A1.T / m
    db2 = dZ2.sum(axis=1, keepdims=True) / m
    dZ1 = params.W2.T @ dZ2
    dZ1 *= relu_deriv(fwd.Z1)  # * ReLU'(Z1), in place
    # dZ1 X^T, computed as (X dZ1^T)^T: the same numbers, but BLAS runs the long sum over the
    # m examples about 20% faster with X in front (benchmarks/engine.py measures both).
    dW1 = (X @ dZ1.T).T / m
    db1 = dZ1.sum(axis=1, keepdims=True) / m
    return Gradients(dZ2, dW2, db2, dZ1, dW1, db1)


def dW1_of_example(dZ1: np.ndarray, X: np.ndarray, i: int) -> np.ndarray:
    """Example i's own term of dW1 = dZ1 X^T / m, before the 1/m: the outer product dZ1[:, i] X[:, i]^T.

    Summed over the batch and divided by m, these terms are dW1: what each digit pushes into each filter.
    """
    return np.outer(dZ1[:, i], X[:, i])


def update_params(params: Params, grads: Gradients, alpha: float) -> Params:
    return Params(
        W1=params.W1 - alpha * grads.dW1,
        b1=params.b1 - alpha * grads.db1,
        W2=params.W2 - alpha * grads.dW2,
        b2=params.b2 - alpha * grads.db2,
    )


def cross_entropy(A2: np.ndarray, Z2: np.ndarray, labels: np.ndarray) -> float:
    """Mean -log A2[label] over the examples.

    Read from A2, which the forward pass has computed anyway. Where A2[label] underflowed to 0
    (a diverging run), the term is computed from Z2 instead, as log-sum-exp, so the loss stays
    exact and finite: 3e4 is reported as 3e4, not as inf.
    """
    columns = np.arange(labels.size)
    p = A2[labels, columns]
    terms = -np.log(np.maximum(p, np.finfo(A2.dtype).tiny))
    lost = np.flatnonzero(p < UNDERFLOW)
    if lost.size:
        Z = Z2[:, lost].astype(np.float64)
        top = Z.max(axis=0)
        terms = terms.astype(np.float64)
        terms[lost] = top + np.log(np.exp(Z - top).sum(axis=0)) - Z[labels[lost], np.arange(lost.size)]
    return float(np.mean(terms, dtype=np.float64))


def predictions(A2: np.ndarray) -> np.ndarray:
    """argmax over the digits of each column (ties go to the smaller digit).

    np.argmax along axis 0 walks memory with a stride; row-wise passes are several times faster:
    find each column's best probability, then mark the digits that reach it, largest first.
    """
    best = A2.max(axis=0)
    guess = np.zeros(A2.shape[1], dtype=np.int64)  # a column of NaN (a diverged run) guesses 0
    for digit in range(A2.shape[0] - 1, -1, -1):
        np.copyto(guess, digit, where=A2[digit] == best)
    return guess


def accuracy(A2: np.ndarray, labels: np.ndarray) -> float:
    return float(np.mean(predictions(A2) == labels))
