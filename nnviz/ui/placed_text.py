"""Many short texts at places of a view, painted by one item in one go.

A hundred TextItems (the counts of a confusion matrix, the labels of a gallery's tiles) cost more
than a frame; one item that paints them all costs a fraction. Places are in the view's
coordinates; the text is drawn in screen pixels, so it keeps its point size however the view is
scaled, and rectangles (a marked cell, the chosen tile) are drawn with it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPen


@dataclass(frozen=True)
class Placed:
    x: float
    y: float
    text: str
    colour: str
    align: str = "centre"  # "centre": centred on (x, y); "left" / "right": (x, y) is that end's middle;
    # "on": the text stands on (x, y), its left end there (a label on a tile's top-left corner)


@dataclass(frozen=True)
class Frame:
    """A rectangle drawn around part of the view (view coordinates), in screen-pixel thickness."""

    rect: QRectF
    colour: str
    width: float


class PlacedText(pg.GraphicsObject):
    def __init__(self, fit: tuple[float, float] | None = None) -> None:
        """`fit`: (width, height) in view units that every text must fit in on screen; the font
        shrinks when the view is drawn too small for it (the counts in a small matrix's cells).
        None: the font's size, whatever the scale."""
        super().__init__()
        self.fit = fit
        self.texts: list[Placed] = []
        self.painted: list[Placed] = []  # what the last paint drew (labels that would run together left out)
        self.frames: list[Frame] = []
        self.font = QFont()
        self._bounds = QRectF()
        self._extent: tuple[float, float] | None = None  # the widest text and a line's height, in pixels

    def set_texts(self, texts: list[Placed], bounds: QRectF, frames: list[Frame] | None = None) -> None:
        self.prepareGeometryChange()
        self.texts, self.frames, self._bounds = texts, frames or [], bounds
        self._extent = None
        self.update()

    def set_font(self, font: QFont) -> None:
        self.font, self._extent = font, None
        self.update()

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, painter, *args) -> None:
        to_screen = painter.transform()
        painter.resetTransform()
        for frame in self.frames:
            painter.setPen(QPen(QColor(frame.colour), frame.width))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(to_screen.mapRect(frame.rect))
        painter.setFont(self._fitted(abs(to_screen.m11()), abs(to_screen.m22())))
        metrics = painter.fontMetrics()
        rise = (metrics.ascent() - metrics.descent()) / 2  # from the baseline to the middle of a digit
        ends: dict[int, float] = {}  # of the labels standing on each line so far: where they end
        self.painted = []
        for placed in self.texts:
            at = to_screen.map(QPointF(placed.x, placed.y))
            painter.setPen(QColor(placed.colour))
            if placed.align == "on":  # labels in a row: one that would run into the last is left out
                left, line = at.x() + 1, round(at.y())
                if left >= ends.get(line, -math.inf):
                    painter.drawText(QPointF(left, at.y() - metrics.descent()), placed.text)
                    ends[line] = left + metrics.horizontalAdvance(placed.text) + metrics.averageCharWidth()
                    self.painted.append(placed)
                continue
            width = metrics.horizontalAdvance(placed.text)
            left = at.x() - {"left": 0.0, "centre": width / 2, "right": width}[placed.align]
            painter.drawText(QPointF(left, at.y() + rise), placed.text)
            self.painted.append(placed)

    def _fitted(self, unit_width: float, unit_height: float) -> QFont:
        if self.fit is None or not self.texts:
            return self.font
        if self._extent is None:  # once per set of texts, not at every paint; only the longest
            metrics = QFontMetricsF(self.font)
            longest = max(len(placed.text) for placed in self.texts)
            widths = [metrics.horizontalAdvance(p.text) for p in self.texts if len(p.text) == longest]
            self._extent = (max(widths), metrics.height())
        widest, height = self._extent
        shrink = min(1.0, self.fit[0] * unit_width / max(widest, 1.0), self.fit[1] * unit_height / height)
        if shrink == 1.0:
            return self.font
        font = QFont(self.font)
        font.setPointSizeF(max(1.0, font.pointSizeF() * shrink))
        return font
