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
        room = self._labels_that_fit(size)
        if not levels or len(levels[0][1]) <= room:
            return levels
        spacing, values = levels[0]
        if room == 1:  # the bars' own base says where 0 is: one label tells how far they reach
            return [(spacing, [max(values, key=abs)])]
        every = math.ceil(len(values) / room)
        anchor = next((i for i, v in enumerate(values) if abs(v) < spacing / 2), 0)  # keep 0 if shown
        return [(spacing * every, [v for i, v in enumerate(values) if (i - anchor) % every == 0])]

    def _labels_that_fit(self, size: float) -> int:
        metrics = QFontMetricsF(self.style["tickFont"] or QFont())
        vertical = self.orientation in ("left", "right")
        room = LABEL_GAP * (metrics.height() if vertical else metrics.horizontalAdvance("0000"))
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
