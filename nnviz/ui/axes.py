"""Axis labels that stay readable at every size: as many as fit, never on top of each other."""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtGui import QFont, QFontMetricsF

INDEX_STEPS = (1, 2, 5)  # every unit, every 2nd, every 5th, 10th, 20th, ...
BAR_AXIS_ROOM = 12  # pixels of a colour bar's axis beside its labels: the ticks and a gap
LABEL_GAP = 1.6  # room per label: this many label heights (or widths of "0000") apart


class ReadableAxis(pg.AxisItem):
    """Value ticks thinned until each label has room for itself.

    pyqtgraph spaces ticks by the axis length alone, always draws at least three and always draws
    its first level: in a short plot, in lecture-size type, they print on top of each other.
    """

    def tickValues(self, low: float, high: float, size: float) -> list:
        levels = super().tickValues(low, high, size)
        if not levels:
            return levels
        spacing, values = levels[0]
        room = self._labels_that_fit(size, self.tickStrings(values, self.autoSIPrefixScale, spacing))
        if len(values) <= room:
            return levels
        low, high = sorted((low, high))
        if room > 1:  # multiples of a round step: 0, 5 rather than every other of 0, 2, 4, 6, 8
            wider = round_step(max((high - low) / room, spacing))
            first = math.ceil(low / wider) * wider
            kept = self._standing([first + i * wider for i in range(int((high - first) // wider) + 1)],
                                  wider, low, high, size)  # fmt: skip
            if 0 < len(kept) <= room:
                return [(wider, kept)]
        # One label: the bars' own base says where 0 is; the farthest reach that stands whole
        return [(spacing, [max(self._standing(values, spacing, low, high, size) or values, key=abs)])]

    def _standing(
        self, values: list[float], spacing: float, low: float, high: float, size: float
    ) -> list[float]:
        """The values whose labels stand whole on the axis: pyqtgraph drops one that would stick
        out at an end."""
        metrics = QFontMetricsF(self.style["tickFont"] or QFont())
        vertical = self.orientation in ("left", "right")
        texts = self.tickStrings(values, self.autoSIPrefixScale, spacing)
        standing = []
        for value, text in zip(values, texts, strict=True):
            half = (metrics.height() if vertical else metrics.horizontalAdvance(text)) / 2
            at = (value - low) / max(high - low, 1e-300) * size
            if half <= at <= size - half:
                standing.append(value)
        return standing

    def _labels_that_fit(self, size: float, texts: list[str] | None = None) -> int:
        """How many labels have room along `size` pixels: a line's height apart and more on a
        vertical axis; on a horizontal one, the widest label and a gap (or "0000" unknown)."""
        metrics = QFontMetricsF(self.style["tickFont"] or QFont())
        if self.orientation in ("left", "right"):
            room = LABEL_GAP * metrics.height()
        else:
            widest = max((metrics.horizontalAdvance(text) for text in texts or ["0000"]), default=0.0)
            room = widest + metrics.averageCharWidth()
        return max(1, int(size // room))


class IndexAxis(ReadableAxis):
    """Numbers the rows or columns of a heatmap (cells centred on i + 0.5) or bars (on i): every
    index, or every 2nd, 5th, 10th, ... whichever is the first whose labels have room."""

    def __init__(self, orientation: str, centre: float = 0.5) -> None:
        super().__init__(orientation)
        self.centre = centre

    def tickValues(self, low: float, high: float, size: float) -> list:
        low, high = sorted((low, high))  # an inverted axis (rows top down) gives them the other way
        first, last = math.ceil(low - self.centre), math.floor(high - self.centre)
        if last < first or size <= 0:
            return []
        step = index_step(last - first + 1, self._labels_that_fit(size))
        start = math.ceil(first / step) * step
        return [(step, [i + self.centre for i in range(start, last + 1, step)])]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        return [str(round(v - self.centre)) for v in values]


def round_step(at_least: float) -> float:
    """The smallest of ..., 0.1, 0.2, 0.5, 1, 2, 5, 10, ... that is at least `at_least`."""
    power = 10.0 ** math.floor(math.log10(at_least))
    return next(step * power for step in (*INDEX_STEPS, 10) if step * power >= at_least * (1 - 1e-9))


def index_step(count: int, room: int) -> int:
    """The smallest of 1, 2, 5, 10, 20, ... that labels `count` indices with at most `room` labels."""
    room = max(room, 1)
    power = 1
    while True:
        for step in INDEX_STEPS:
            if math.ceil(count / (step * power)) <= room:
                return step * power
        power *= 10


def label_scale_ends(colour_bar: pg.ColorBarItem) -> None:
    """A colour bar labelled at its two ends (and 0 between): '0' alone, or five crowded values,
    tell nothing; the ends say the scale, whatever the bar's length."""
    low, high = colour_bar.levels()
    ticks = [(low, f"{low:.2g}"), (high, f"{high:.2g}")]
    if low < 0 < high:
        ticks.insert(1, (0.0, "0"))
    axis = colour_bar.axis
    axis.setTicks([ticks])
    metrics = QFontMetricsF(axis.style["tickFont"] or QFont())
    # pyqtgraph drops a label that does not fit the axis: the bar's axis is 45 px wide whatever
    # the type size, and each end label stands half beyond the bar's end.
    axis.setWidth(math.ceil(max(metrics.horizontalAdvance(text) for _, text in ticks) + BAR_AXIS_ROOM))
    axis.setStyle(hideOverlappingLabels=math.ceil(metrics.height() / 2) + 1)
