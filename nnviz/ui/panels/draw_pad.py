"""A square of paper to draw a digit on, with the mouse, a pen or a finger.

Strokes are kept as lists of points in the paper's own coordinates (0-1), so the drawing survives
any resize and can be rendered at the size the preparation wants. A pen and a finger reach the pad
as mouse events (Qt synthesises them from tablet and touch events nobody else takes).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from nnviz.ui.look import Look

BRUSH = 0.07  # of the paper's side: a digit drawn across most of the pad gets MNIST's 2-3 pixel strokes
RENDER_SIDE = 280  # pixels of the grey image made for the preparation (ten times 28)
Stroke = list[tuple[float, float]]


class DrawPad(QWidget):
    changed = Signal()  # the drawing changed (a point added, a stroke undone, the pad cleared)
    stroke_finished = Signal()  # the pen was lifted
    cleared = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.strokes: list[Stroke] = []
        self._drawing = False
        self._paper_colour, self._ink_colour, self._edge_colour = QColor(), QColor(), QColor()
        self.set_look(Look())
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(120, 120)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, False)

    def sizeHint(self) -> QSize:
        return QSize(320, 320)

    def set_look(self, look: Look) -> None:
        palette = look.palette
        self._paper_colour, self._ink_colour = QColor(palette.background), QColor(palette.ink)
        self._edge_colour = QColor(palette.muted)
        self.update()

    # --- the drawing ---

    def undo(self) -> None:
        if self.strokes:
            self.strokes.pop()
            self._taken_back()

    def clear(self) -> None:
        if self.strokes:
            self.strokes.clear()
            self.cleared.emit()
            self._taken_back()

    def _taken_back(self) -> None:
        self._drawing = False
        self.update()
        self.changed.emit()
        self.stroke_finished.emit()  # as good as a lifted pen: the network is asked at once

    def render(self, side: int = RENDER_SIDE) -> np.ndarray:
        """The drawing as grey levels (side x side): ink 255 on paper 0, anti-aliased."""
        image = QImage(side, side, QImage.Format.Format_Grayscale8)
        image.fill(0)
        painter = QPainter(image)
        self._paint_strokes(painter, QRectF(0, 0, side, side), QColor(255, 255, 255))
        painter.end()
        rows = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(side, image.bytesPerLine())
        return rows[:, :side].astype(np.float32)  # a copy, made while the image is alive

    def paper(self) -> QRectF:
        """The square of paper: as large as fits, centred."""
        side = max(min(self.width(), self.height()) - 2, 1)
        return QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)

    def to_paper(self, position: QPointF) -> tuple[float, float]:
        paper = self.paper()
        return ((position.x() - paper.x()) / paper.width(), (position.y() - paper.y()) / paper.height())

    # --- events ---

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.paper().contains(event.position()):
            self.strokes.append([self.to_paper(event.position())])
            self._drawing = True
            self.update()
            self.changed.emit()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drawing:
            self.strokes[-1].append(self.to_paper(event.position()))
            self.update()
            self.changed.emit()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drawing and event.button() == Qt.MouseButton.LeftButton:
            self._drawing = False
            self.stroke_finished.emit()

    # --- painting ---

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        paper = self.paper()
        painter.setPen(QPen(self._edge_colour, 1))
        painter.setBrush(self._paper_colour)
        painter.drawRect(paper)
        painter.setClipRect(paper)
        self._paint_strokes(painter, paper, self._ink_colour)

    def _paint_strokes(self, painter: QPainter, paper: QRectF, ink: QColor) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        pen = QPen(ink, BRUSH * paper.width(), Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)

        def at(point: tuple[float, float]) -> QPointF:
            return QPointF(paper.x() + point[0] * paper.width(), paper.y() + point[1] * paper.height())

        for stroke in self.strokes:
            if len(stroke) == 1:
                painter.drawPoint(at(stroke[0]))
                continue
            path = QPainterPath(at(stroke[0]))
            for point in stroke[1:]:
                path.lineTo(at(point))
            painter.drawPath(path)
