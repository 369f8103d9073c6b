"""Figures with their targets, printed as one table or one JSON object."""

from __future__ import annotations

import json
import operator
from dataclasses import asdict, dataclass

COMPARE = {"<=": operator.le, ">=": operator.ge}


@dataclass(frozen=True)
class Figure:
    key: str
    name: str
    value: float
    unit: str
    target: float | None = None  # None: reported, no target
    sense: str = "<="  # the value must be <= or >= the target
    detail: str = ""

    @property
    def met(self) -> bool | None:
        return None if self.target is None else COMPARE[self.sense](self.value, self.target)


def table(figures: list[Figure]) -> str:
    rows = [("figure", "value", "target", "met", "detail")]
    for f in figures:
        target = "" if f.target is None else f"{f.sense} {f.target:g} {f.unit}"
        met = "" if f.met is None else ("yes" if f.met else "NO")
        rows.append((f.name, f"{f.value:.3g} {f.unit}", target, met, f.detail))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def as_json(figures: list[Figure], machine: dict) -> str:
    return json.dumps({"machine": machine, "figures": {f.key: {**asdict(f), "met": f.met} for f in figures}})
