"""One iteration told as a sequence of stages, each an equation and the real matrices in it.

No Qt here: the stages are built from a prepared Iteration (values computed once by the
engine) and the alpha in force, and the dialog only draws them. The one thing computed here,
the "after" of the update stages, comes from the engine's own update_params, so it is
bit for bit what Step will produce.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from nnviz.engine.network import relu_deriv, update_params
from nnviz.engine.trainer import Iteration

Kind = Literal["signed", "probability", "binary", "pixels"]


@dataclass(frozen=True)
class Matrix:
    name: str  # rich text, e.g. "Z<sup>[1]</sup>"
    values: np.ndarray
    rows: str  # what a row is ("hidden units")
    columns: str  # what a column is ("examples")
    kind: Kind = "signed"
    per_example: bool = False  # one column per example: show the first few, the chosen one marked
    images: bool = False  # each row (or, for X, each column) is a 28x28 picture
    zeros: bool = False  # its share of zeros matters (ReLU outputs, ReLU')

    @property
    def shape_text(self) -> str:
        rows, columns = self.values.shape
        return f"{rows:,} × {columns:,} ({self.rows} × {self.columns})"

    def stats(self) -> dict[str, float]:
        """min, max, mean and norm; for 0/1 and ReLU outputs also the share of zeros."""
        v = self.values
        numbers = {"min": float(v.min()), "max": float(v.max()), "mean": float(v.mean())}
        numbers["norm"] = float(np.linalg.norm(v))
        if self.zeros:
            numbers["zeros"] = float(np.mean(v == 0))
        return numbers


@dataclass(frozen=True)
class Stage:
    group: str  # forward, loss, backward, update
    title: str
    equation: str  # rich text with sub- and superscripts
    explanation: str
    matrices: list[Matrix] = field(default_factory=list)


# Rich-text spellings of the lecture's names.
X, Y = "<i>X</i>", "<i>Y</i>"


def layer(letter: str, number: int) -> str:
    """Z<sup>[1]</sup>: the lecture's name for `letter` of layer `number`."""
    return f"<i>{letter}</i><sup>[{number}]</sup>"


W1, B1, Z1, A1 = (layer(letter, 1) for letter in "WbZA")
W2, B2, Z2, A2 = (layer(letter, 2) for letter in "WbZA")


def d(name: str) -> str:
    return f"d{name}"


T = "<sup>T</sup>"
ALPHA = "<i>α</i>"
M = "<i>m</i>"
UNITS, DIGITS, EXAMPLES, PIXELS = "hidden units", "digits", "examples", "pixels"


def build_stages(it: Iteration, alpha: float) -> list[Stage]:
    """The stages of iteration `it` as the lecture tells it: forward, loss, backward, update."""
    p, f, g, b = it.params, it.forward, it.grads, it.batch
    after = update_params(p, g, alpha)
    m = b.X.shape[1]
    mean = f"<sup>1</sup>⁄<sub>{M}</sub>"
    return [
        Stage(
            "forward",
            "The batch",
            f"{X}: one column per example, pixels ÷ 255;  {Y}: the labels, one-hot",
            f"{m:,} digits go through the network together, side by side as the columns of X.",
            [
                Matrix(X, b.X, PIXELS, EXAMPLES, "pixels", per_example=True, images=True),
                Matrix(Y, b.Y, DIGITS, EXAMPLES, "binary", per_example=True),
            ],
        ),
        Stage(
            "forward",
            "Hidden layer, before ReLU",
            f"{Z1} = {W1} {X} + {B1}",
            "Each hidden unit scores every example: how much of its filter's red is inked, minus blue.",
            [
                Matrix(W1, p.W1, UNITS, PIXELS, images=True),
                Matrix(B1, p.b1, UNITS, "1"),
                Matrix(Z1, f.Z1, UNITS, EXAMPLES, per_example=True),
            ],
        ),
        Stage(
            "forward",
            "ReLU",
            f"{A1} = ReLU({Z1}) = max(0, {Z1})",
            "Negative scores become 0: a unit either fires, by how much, or stays silent.",
            [
                Matrix(Z1, f.Z1, UNITS, EXAMPLES, per_example=True),
                Matrix(A1, f.A1, UNITS, EXAMPLES, per_example=True, zeros=True),
            ],
        ),
        Stage(
            "forward",
            "Output layer, before softmax",
            f"{Z2} = {W2} {A1} + {B2}",
            "Each digit's score: the hidden units' outputs, weighted by how much each votes for it.",
            [
                Matrix(W2, p.W2, DIGITS, UNITS),
                Matrix(B2, p.b2, DIGITS, "1"),
                Matrix(Z2, f.Z2, DIGITS, EXAMPLES, per_example=True),
            ],
        ),
        Stage(
            "forward",
            "Softmax",
            f"{A2} = softmax({Z2}) = e<sup>{Z2}</sup> ⁄ Σ<sub>digits</sub> e<sup>{Z2}</sup>",
            "Scores become probabilities: each column is positive and sums to 1.",
            [Matrix(A2, f.A2, DIGITS, EXAMPLES, "probability", per_example=True)],
        ),
        Stage(
            "loss",
            "Loss and accuracy of this batch",
            f"<i>L</i> = −{mean} Σ<sub>i</sub> log {A2}<sub>y<sub>i</sub>, i</sub>"
            f"  = {it.loss:.4f};   accuracy = {it.accuracy:.2%}",
            "The loss is small when the probability given to the right digit is near 1. "
            "Accuracy counts the columns whose largest probability is the right digit.",
            [
                Matrix(A2, f.A2, DIGITS, EXAMPLES, "probability", per_example=True),
                Matrix(Y, b.Y, DIGITS, EXAMPLES, "binary", per_example=True),
            ],
        ),
        Stage(
            "backward",
            "Error at the output",
            f"{d(Z2)} = {A2} − {Y}",
            "How far each probability is from the truth: negative on the right digit, positive elsewhere.",
            [
                Matrix(A2, f.A2, DIGITS, EXAMPLES, "probability", per_example=True),
                Matrix(Y, b.Y, DIGITS, EXAMPLES, "binary", per_example=True),
                Matrix(d(Z2), g.dZ2, DIGITS, EXAMPLES, per_example=True),
            ],
        ),
        Stage(
            "backward",
            "Gradients of the output layer",
            f"{d(W2)} = {mean} {d(Z2)} {A1}{T};   {d(B2)} = {mean} Σ<sub>i</sub> {d(Z2)}",
            "Averaged over the batch: a weight's gradient is its input times the error it fed.",
            [Matrix(d(W2), g.dW2, DIGITS, UNITS), Matrix(d(B2), g.db2, DIGITS, "1")],
        ),
        Stage(
            "backward",
            "Error at the hidden layer",
            f"{d(Z1)} = {W2}{T} {d(Z2)} * ReLU′({Z1})",
            "The output error flows back through W2; units that were silent (ReLU′ = 0) pass none.",
            [
                Matrix(
                    f"ReLU′({Z1})", relu_deriv(f.Z1), UNITS, EXAMPLES, "binary", per_example=True, zeros=True
                ),
                Matrix(d(Z1), g.dZ1, UNITS, EXAMPLES, per_example=True),
            ],
        ),
        Stage(
            "backward",
            "Gradients of the hidden layer",
            f"{d(W1)} = {mean} {d(Z1)} {X}{T};   {d(B1)} = {mean} Σ<sub>i</sub> {d(Z1)}",
            "Each filter's gradient is a picture: the digits of the batch, weighted by their error.",
            [
                Matrix(W1, p.W1, UNITS, PIXELS, images=True),
                Matrix(d(W1), g.dW1, UNITS, PIXELS, images=True),
                Matrix(d(B1), g.db1, UNITS, "1"),
            ],
        ),
        Stage(
            "update",
            "Update the output layer",
            f"{W2} := {W2} − {ALPHA} {d(W2)};   {B2} := {B2} − {ALPHA} {d(B2)};   {ALPHA} = {alpha:g}",
            "One small step against the gradient: before, the step, after.",
            [
                Matrix(f"{W2} before", p.W2, DIGITS, UNITS),
                Matrix(f"−{ALPHA} {d(W2)}", -alpha * g.dW2, DIGITS, UNITS),
                Matrix(f"{W2} after", after.W2, DIGITS, UNITS),
                Matrix(
                    f"{B2} before, −{ALPHA} {d(B2)}, after",
                    np.hstack([p.b2, -alpha * g.db2, after.b2]),
                    DIGITS,
                    "before | step | after",
                ),
            ],
        ),
        Stage(
            "update",
            "Update the hidden layer",
            f"{W1} := {W1} − {ALPHA} {d(W1)};   {B1} := {B1} − {ALPHA} {d(B1)};   {ALPHA} = {alpha:g}",
            "The filters move a little toward the digits they should fire for. Apply makes it so.",
            [
                Matrix(f"{W1} before", p.W1, UNITS, PIXELS, images=True),
                Matrix(f"−{ALPHA} {d(W1)}", -alpha * g.dW1, UNITS, PIXELS, images=True),
                Matrix(f"{W1} after", after.W1, UNITS, PIXELS, images=True),
                Matrix(
                    f"{B1} before, −{ALPHA} {d(B1)}, after",
                    np.hstack([p.b1, -alpha * g.db1, after.b1]),
                    UNITS,
                    "before | step | after",
                ),
            ],
        ),
    ]
