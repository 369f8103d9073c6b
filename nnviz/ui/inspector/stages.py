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
from nnviz.ui.look import DESK, Palette
from nnviz.ui.ranges import nice_ceiling

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
    bars: bool = False  # one bar per row (a bias, per unit or digit), one series per column
    zeros: bool = False  # its share of zeros matters (ReLU outputs, ReLU')
    small: bool = False  # context beside the point (before and after, beside the step): drawn smaller
    levels: tuple[float, float] | None = None  # a colour scale shared with another matrix

    @property
    def shape_text(self) -> str:
        rows, columns = self.values.shape
        what = self.rows if columns == 1 else f"{self.rows} × {self.columns}"  # a vector: one of each
        return f"{rows:,} × {columns:,} ({what})"

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
    rows: list[list[Matrix]] = field(default_factory=list)  # matrices side by side, rows top to bottom

    @property
    def matrices(self) -> list[Matrix]:
        return [matrix for row in self.rows for matrix in row]


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
NBSP, NB_HYPHEN = "\u00a0", "\u2011"
EQUATION_GAP = f";{NBSP}{NBSP} "  # the one breakable space: between two equations
SMALL_STEP = 0.05  # a step this small beside the weights would be invisible on their colour scale


def equations(*parts: str) -> str:
    """Equations side by side; a narrow screen breaks the line between two, never inside one."""
    return EQUATION_GAP.join(part.replace(" ", NBSP).replace("-", NB_HYPHEN) for part in parts)


def build_stages(it: Iteration, alpha: float, palette: Palette = DESK) -> list[Stage]:
    """The stages of iteration `it` as the lecture tells it: forward, loss, backward, update (the
    colours named as `palette` draws them)."""
    p, f, g, b = it.params, it.forward, it.grads, it.batch
    after = update_params(p, g, alpha)
    m = b.X.shape[1]
    mean = f"<sup>1</sup>⁄<sub>{M}</sub>"
    x = Matrix(X, b.X, PIXELS, EXAMPLES, "pixels", per_example=True, images=True)
    y = Matrix(Y, b.Y, DIGITS, EXAMPLES, "binary", per_example=True)
    w1 = Matrix(W1, p.W1, UNITS, PIXELS, images=True)
    z1 = Matrix(Z1, f.Z1, UNITS, EXAMPLES, per_example=True)
    a2 = Matrix(A2, f.A2, DIGITS, EXAMPLES, "probability", per_example=True)
    return [
        Stage(
            "forward",
            "The batch",
            equations(f"{X} = pixels ÷ 255", f"{Y} = labels, one-hot"),
            f"{m:,} digits go through the network together, one per column of X (and of Y).",
            [[x], [y]],
        ),
        Stage(
            "forward",
            "Hidden layer, before ReLU",
            equations(f"{Z1} = {W1} {X} + {B1}"),
            f"Each hidden unit scores every example: how much of its filter's {palette.positive} is "
            f"inked, minus {palette.negative}.",
            [[w1, Matrix(B1, p.b1, UNITS, "1")], [z1]],
        ),
        Stage(
            "forward",
            "ReLU",
            equations(f"{A1} = ReLU({Z1}) = max(0, {Z1})"),
            "Negative scores become 0: a unit either fires, by how much, or stays silent.",
            [[z1], [Matrix(A1, f.A1, UNITS, EXAMPLES, per_example=True, zeros=True)]],
        ),
        Stage(
            "forward",
            "Output layer, before softmax",
            equations(f"{Z2} = {W2} {A1} + {B2}"),
            "Each digit's score: the hidden units' outputs, weighted by how much each votes for it.",
            [
                [Matrix(W2, p.W2, DIGITS, UNITS), Matrix(B2, p.b2, DIGITS, "1")],
                [Matrix(Z2, f.Z2, DIGITS, EXAMPLES, per_example=True)],
            ],
        ),
        Stage(
            "forward",
            "Softmax",
            equations(f"{A2} = softmax({Z2}) = e<sup>{Z2}</sup> ⁄ Σ<sub>digits</sub> e<sup>{Z2}</sup>"),
            "Scores become probabilities: each column is positive and sums to 1.",
            [[a2]],
        ),
        Stage(
            "loss",
            "Loss and accuracy of this batch",
            equations(
                f"<i>L</i> = −{mean} Σ<sub>i</sub> log {A2}<sub>y<sub>i</sub>, i</sub> = {it.loss:.4f}"
            ),
            f"Accuracy {it.accuracy:.2%}: the share of columns whose largest probability is the right "
            "digit. The loss is small when the probability given to the right digit is near 1.",
            [[a2, y]],
        ),
        Stage(
            "backward",
            "Error at the output",
            equations(f"{d(Z2)} = {A2} − {Y}"),
            "How far each probability is from the truth: negative on the right digit, positive elsewhere.",
            [[a2, y], [Matrix(d(Z2), g.dZ2, DIGITS, EXAMPLES, per_example=True)]],
        ),
        Stage(
            "backward",
            "Gradients of the output layer",
            equations(f"{d(W2)} = {mean} {d(Z2)} {A1}{T}", f"{d(B2)} = {mean} Σ<sub>i</sub> {d(Z2)}"),
            "Averaged over the batch: a weight's gradient is its input times the error it fed.",
            [[Matrix(d(W2), g.dW2, DIGITS, UNITS), Matrix(d(B2), g.db2, DIGITS, "1")]],
        ),
        Stage(
            "backward",
            "Error at the hidden layer",
            equations(f"{d(Z1)} = {W2}{T} {d(Z2)} * ReLU′({Z1})"),
            "The output error flows back through W2; units that were silent (ReLU′ = 0) pass none.",
            [
                [
                    Matrix(
                        f"ReLU′({Z1})",
                        relu_deriv(f.Z1),
                        UNITS,
                        EXAMPLES,
                        "binary",
                        per_example=True,
                        zeros=True,
                    )
                ],
                [Matrix(d(Z1), g.dZ1, UNITS, EXAMPLES, per_example=True)],
            ],
        ),
        Stage(
            "backward",
            "Gradients of the hidden layer",
            equations(f"{d(W1)} = {mean} {d(Z1)} {X}{T}", f"{d(B1)} = {mean} Σ<sub>i</sub> {d(Z1)}"),
            "Each filter's gradient is a picture: the digits of the batch, weighted by their error.",
            [[w1], [Matrix(d(W1), g.dW1, UNITS, PIXELS, images=True), Matrix(d(B1), g.db1, UNITS, "1")]],
        ),
        update_stage(
            "Update the output layer",
            "One small step against the gradient.",
            Update(W2, p.W2, -alpha * g.dW2, after.W2, DIGITS, UNITS),
            Update(B2, p.b2, -alpha * g.db2, after.b2, DIGITS, "1"),
            alpha,
        ),
        update_stage(
            "Update the hidden layer",
            "The filters move a little toward the digits they should fire for. Apply makes it so.",
            Update(W1, p.W1, -alpha * g.dW1, after.W1, UNITS, PIXELS, images=True),
            Update(B1, p.b1, -alpha * g.db1, after.b1, UNITS, "1"),
            alpha,
        ),
    ]


@dataclass(frozen=True)
class Update:
    """One parameter's update, name := name - alpha d(name): its step and the engine's own "after"."""

    name: str
    before: np.ndarray
    step: np.ndarray  # -alpha d(name)
    after: np.ndarray
    rows: str
    columns: str
    images: bool = False


def update_stage(title: str, explanation: str, weights: Update, bias: Update, alpha: float) -> Stage:
    """The step drawn large on its own scale, before and after small on a scale they share.

    The step is about a hundredth of the weights: on one colour scale before and after look the
    same and the step looks blank. So each gets the scale it needs, and the stage says how small.
    """
    step = f"−{ALPHA} {d(weights.name)}"
    shared = symmetric_levels(weights.before, weights.after)
    steps = (f"{u.name} := {u.name} − {ALPHA} {d(u.name)}" for u in (weights, bias))
    equation = equations(*steps)
    return Stage(
        "update",
        title,
        equation,
        f"{ALPHA} = {alpha:g}. {explanation}{step_size_said(weights)}",
        [
            [
                Matrix(step, weights.step, weights.rows, weights.columns, images=weights.images),
                Matrix(f"−{ALPHA} {d(bias.name)}", bias.step, bias.rows, "1", bars=True),
            ],
            [
                Matrix(
                    f"{weights.name} before", weights.before, weights.rows, weights.columns,
                    images=weights.images, small=True, levels=shared,
                ),
                Matrix(
                    f"{weights.name} after", weights.after, weights.rows, weights.columns,
                    images=weights.images, small=True, levels=shared,
                ),
                Matrix(
                    f"{bias.name} before (pale), after (solid)", np.hstack([bias.before, bias.after]),
                    bias.rows, "before | after", bars=True, small=True,
                ),
            ],
        ],
    )  # fmt: skip


def step_size_said(update: Update) -> str:
    """How large the step is beside the weights, in words, and why it is drawn on its own scale."""
    size = float(np.linalg.norm(update.before))
    if not size:
        return ""
    share = float(np.linalg.norm(update.step)) / size
    said = f" The step is {share:.2%} of the size of {update.name} (‖step‖ ÷ ‖{update.name}‖)"
    if share < SMALL_STEP:
        return said + ": on one colour scale before and after would look the same, so the step has its own."
    return said + "."


def symmetric_levels(*arrays: np.ndarray) -> tuple[float, float]:
    """One colour scale centred on 0 for all `arrays`, to the round number above their largest
    99.5th percentile of |value| (the live panels' rule: a few extreme weights do not wash it out)."""
    top = nice_ceiling(max(float(np.percentile(np.abs(a), 99.5)) for a in arrays))
    return (-top, top)
