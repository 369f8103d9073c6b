"""The card shown for a unit under the mouse: its equation with this example's real numbers.

    hidden unit j:  z = w·x + b = 3.21 + (-0.40) = 2.81,   a = max(0, z) = 2.81
    output d:       z = W2·a + b = ...,                     p = e^z / Σ e^z = ...

Every number comes from the engine's forward (and backward) pass of the example: w·x and W2·a
are z - b, so the sum shown adds up to the z the network computed, to the last digit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from nnviz.engine.network import Params
from nnviz.worker.snapshot import Example

MINUS = "−"


def number(value: float, digits: int = 2) -> str:
    """A value as read aloud: 2 decimals, a real minus sign, 'inf' and 'nan' as they are."""
    if not math.isfinite(value):
        return "nan" if math.isnan(value) else ("∞" if value > 0 else f"{MINUS}∞")
    text = f"{value:.{digits}f}" if abs(value) < 10**6 else f"{value:.3g}"
    return text.replace("-", MINUS)


def term(value: float, digits: int = 2) -> str:
    """A value inside a sum: negative ones in brackets, as on a blackboard."""
    text = number(value, digits)
    return f"({text})" if text.startswith(MINUS) else text


@dataclass(frozen=True)
class Card:
    title: str
    lines: tuple[str, ...]
    values: dict[str, float]  # the numbers shown, unrounded, for whoever needs them exactly

    def html(self) -> str:
        return f"<b>{self.title}</b><br>" + "<br>".join(self.lines)


def hidden_card(example: Example, params: Params, unit: int) -> Card:
    z = float(example.forward.Z1[unit, 0])
    a = float(example.forward.A1[unit, 0])
    b = float(params.b1[unit, 0])
    wx = float(np.float32(z) - np.float32(b))  # w·x = z - b, in the network's own precision
    lines = [
        f"z = w·x + b = {number(wx)} + {term(b)} = {number(z)}",
        f"a = max(0, z) = {number(a)}" + ("   (off: z ≤ 0)" if a <= 0 else ""),
    ]
    values = {"z": z, "a": a, "b": b, "wx": wx}
    if example.grads is not None:
        dZ1 = float(example.grads.dZ1[unit, 0])
        if z > 0:
            lines.append(f"dZ1 = (W2ᵀ dZ2)ⱼ · ReLU′(z) = {term(dZ1, 3)} · 1 = {number(dZ1, 3)}")
        else:
            lines.append("dZ1 = (W2ᵀ dZ2)ⱼ · ReLU′(z) = (W2ᵀ dZ2)ⱼ · 0 = 0: off, it passes no error")
        values["dZ1"] = dZ1
    return Card(f"hidden unit {unit}", tuple(lines), values)


def output_card(example: Example, params: Params, digit: int) -> Card:
    Z2 = example.forward.Z2[:, 0].astype(np.float64)
    z = float(example.forward.Z2[digit, 0])
    p = float(example.forward.A2[digit, 0])
    b = float(params.b2[digit, 0])
    wa = float(np.float32(z) - np.float32(b))  # W2·a = z - b
    with np.errstate(over="ignore"):
        total = float(np.exp(Z2).sum())
    if math.isfinite(total):
        softmax = f"p = e^z / Σ e^z = {number(math.exp(z))} / {number(total)}"
    else:  # e^z overflows (a diverging run): the same p, from z shifted by the largest z, as the engine does
        top = float(Z2.max())
        e_z, total, z_ = math.exp(z - top), float(np.exp(Z2 - top).sum()), f"z − {number(top)}"
        softmax = f"p = e^({z_}) / Σ e^({z_}) = {number(e_z)} / {number(total)}"
    lines = [f"z = W2·a + b = {number(wa)} + {term(b)} = {number(z)}", f"{softmax} = {number(p, 3)}"]
    values = {"z": z, "p": p, "b": b, "wa": wa}
    if example.grads is not None:
        y = 1 if digit == example.label else 0
        dZ2 = float(example.grads.dZ2[digit, 0])
        wanted = "up" if dZ2 < 0 else "down"
        lines.append(f"dZ2 = p − y = {number(p, 3)} − {y} = {number(dZ2, 3)}: z should go {wanted}")
        values["dZ2"] = dZ2
    title = f"output {digit}" + (" (the true digit)" if digit == example.label else "")
    return Card(title, tuple(lines), values)
