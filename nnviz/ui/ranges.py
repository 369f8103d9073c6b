"""Axis ranges and colour scales that move in round steps, not every frame.

A range that changes every frame makes pyqtgraph redraw its axis every frame (the biggest
part of a frame's cost) and makes the picture jitter on a projector. These step to round
numbers only when the data outgrows them, or shrinks well inside them.
"""

from __future__ import annotations

import math

NICE_STEPS = (1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)
SHRINK_BELOW = 0.4  # re-fit once the data spans less than this share of the range


def nice_ceiling(value: float) -> float:
    """The smallest round number (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 times a power of ten) >= value."""
    if value <= 0 or not math.isfinite(value):
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    return next(round(step * power, 12) for step in NICE_STEPS if step * power >= value * (1 - 1e-12))


class StickyRange:
    """A (low, high) range that only changes when the data leaves it or fills too little of it."""

    def __init__(self) -> None:
        self.bounds: tuple[float, float] | None = None

    def fit(self, low: float, high: float, floor_at_zero: bool = False) -> bool:
        """Update for data spanning [low, high]; True if the bounds changed."""
        if not (math.isfinite(low) and math.isfinite(high)):
            return False
        if self.bounds is not None:
            current_low, current_high = self.bounds
            inside = current_low <= low and high <= current_high
            if inside and (high - low) >= SHRINK_BELOW * (current_high - current_low):
                return False
        span = nice_ceiling(max(high - low, 1e-9))
        new_low = 0.0 if floor_at_zero else math.floor(low / span * 4) * span / 4
        new_high = new_low + nice_ceiling(high - new_low)
        if (new_low, new_high) == self.bounds:
            return False
        self.bounds = (new_low, new_high)
        return True

    def reset(self) -> None:
        self.bounds = None
