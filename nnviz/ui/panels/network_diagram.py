"""The network drawn as 3Blue1Brown and TensorFlow Playground draw it, for one example.

One encoding per quantity, the same everywhere: how much ink (opacity of the ink colour) is how
large an activation is, hue is sign (the palette's diverging colours), line width is magnitude.
The input digit, each hidden unit's W1 filter as a tile beside it, circles for the units with
their value inside, W2 as lines, small squares for the biases, and (for the errors) arrows for
the nudges backpropagation asks for. Everything is painted by one item from a `Picture` (plain
numbers, made per frame); only the images of the digit and the filters are pyqtgraph ImageItems.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen

from nnviz.ui.look import LABEL_POINTS, TICK_POINTS, Look

DIGITS = 10
SMALLEST_TYPE = 0.7  # a heading shrinks to fit its column, down to this share of its size
STRENGTHS = 12  # steps of |value| in which the lines are drawn (one pen each)
FAINTEST_LINE = 0.02  # of full strength: weaker lines are not drawn


@dataclass(frozen=True)
class Picture:
    """What one frame draws, every number already on its display scale."""

    pixels: np.ndarray  # (28, 28), 0-1: the input as the network sees it
    units: np.ndarray  # which hidden units are drawn (all up to 16; else the most active few)
    hidden: int  # h, the true number of hidden units
    hidden_fill: np.ndarray  # per drawn unit, 0-1: A1 on the shared scale
    hidden_text: list[str]  # the number written in each drawn unit
    filters: np.ndarray  # (drawn units, 28, 28): their rows of W1
    filter_top: float  # |w| at full colour in the tiles
    hidden_bias: np.ndarray  # per drawn unit, -1..1: b1 on the biases' scale
    outputs: np.ndarray  # (10,): A2, the probabilities
    output_text: list[str]  # beside each output's bar
    output_bias: np.ndarray  # (10,), -1..1
    edges: np.ndarray  # (10, drawn units), -1..1: W2 (or what flows) on its shared scale
    label: int | None  # the true digit, if known
    prediction: int
    nudges_hidden: np.ndarray | None  # errors shown: -dZ1 per drawn unit, -1..1 (None: activations)
    nudges_output: np.ndarray | None  # errors shown: Y - A2 = -dZ2 per digit, -1..1
    headings: tuple[str, str, str]  # above the input, the hidden layer and the outputs
    input_note: str  # under the input: where the digit comes from, its true label
    legend: str  # what the lines are and the value at full width


@dataclass(frozen=True)
class Geometry:
    """Where everything sits, in the item's pixels; recomputed when the size, the zoom or the
    number of drawn units changes, never per frame."""

    width: float
    height: float
    margin: float
    top: float  # below the headings
    bottom: float  # above the legend
    digit: QRectF
    tile: float  # side of a filter tile
    tile_x: float
    hidden_x: float  # centre of the hidden units
    hidden_r: float
    hidden_y: np.ndarray  # centre of each drawn unit's row (and of the "and N more" row, last)
    output_x: float
    output_r: float
    output_y: np.ndarray
    nudge: float  # room right of a unit for its nudge arrow
    bar_x: float
    bar_length: float

    @classmethod
    def of(
        cls, width: float, height: float, rows: int, zoom: float, line_height: float, with_input: bool = True
    ) -> Geometry:
        """`with_input`: room for the input digit on the left (a view beside a picture of it has none)."""
        margin = 8 * zoom
        top = margin + 2.4 * line_height  # two lines of headings
        bottom = height - margin - 1.6 * line_height  # the legend
        band = max(bottom - top, 1.0)
        hidden_pitch, output_pitch = band / max(rows, 1), band / DIGITS
        digit_side = max(min(0.2 * width, 0.42 * band), 28.0) if with_input else 0.0
        digit = QRectF(margin, top + (band - digit_side) / 2, digit_side, digit_side)
        hidden_r = max(min(0.42 * hidden_pitch, 0.04 * width), 3.0)
        tile = 2 * hidden_r
        tile_x = digit.right() + (max(0.06 * width, 12 * zoom) if with_input else 16 * zoom)
        hidden_x = tile_x + tile + 0.8 * hidden_r + hidden_r  # room for the bias square between
        output_r = max(min(0.42 * output_pitch, 0.04 * width), 3.0)
        bar_length = 0.16 * width
        text_room = 3.2 * line_height  # "100%" and a little air
        arrow_room = max(1.2 * output_r, 16 * zoom)  # between an output and its bar: its nudge
        # The lines between the layers keep at least a fifth of the width, however narrow the view
        # (then the bars and their numbers give way at the right).
        output_x = max(
            width - margin - text_room - bar_length - output_r - arrow_room,
            hidden_x + hidden_r + 0.2 * width + output_r,
        )
        return cls(
            width=width,
            height=height,
            margin=margin,
            top=top,
            bottom=bottom,
            digit=digit,
            tile=tile,
            tile_x=tile_x,
            hidden_x=hidden_x,
            hidden_r=hidden_r,
            hidden_y=top + hidden_pitch * (np.arange(rows) + 0.5),
            output_x=output_x,
            output_r=output_r,
            output_y=top + output_pitch * (np.arange(DIGITS) + 0.5),
            nudge=1.2 * max(hidden_r, 6 * zoom),
            bar_x=output_x + output_r + arrow_room,
            bar_length=bar_length,
        )

    def unit_at(self, point: QPointF, drawn: int) -> tuple[str, int] | None:
        """("hidden", row) or ("output", digit) under a point, within a unit's row."""
        for kind, x, r, ys in (
            ("hidden", self.hidden_x, self.hidden_r, self.hidden_y[:drawn]),
            ("output", self.output_x, self.output_r, self.output_y),
        ):
            if ys.size and abs(point.x() - x) <= max(r, 8) * 1.3:
                row = int(np.argmin(np.abs(ys - point.y())))
                if abs(ys[row] - point.y()) <= max(r, 8) * 1.3:
                    return kind, row
        return None


class NetworkDiagram(pg.GraphicsWidget):
    """The whole drawing as one layout item: `show(picture)` per frame, `apply_look` per look."""

    def __init__(self, with_input: bool = True) -> None:
        super().__init__()
        self.with_input = with_input
        self.picture: Picture | None = None
        self.geometry_: Geometry | None = None
        self.look = Look()
        self.digit_image = pg.ImageItem()
        self.digit_image.setParentItem(self)
        self.digit_image.setVisible(with_input)
        self.tiles: list[pg.ImageItem] = []
        self._heading_font = self._value_font = QFont()
        self._rows = -1
        self.apply_look(Look())

    # --- per look, per size ---

    def apply_look(self, look: Look) -> None:
        self.look = look
        self._heading_font = look.font(LABEL_POINTS, bold=True)
        self._value_font = look.font(TICK_POINTS)
        self._note_font = look.font(TICK_POINTS)
        palette = look.palette
        self._ink = pg.mkColor(palette.ink)
        self._paper = pg.mkColor(palette.background)
        self._muted = pg.mkColor(palette.muted)
        self._selected = pg.mkColor(palette.selected)
        self._predicted = pg.mkColor(palette.train)
        self._bar = pg.mkColor(palette.reference)
        diverging = look.diverging_map()
        self._negative, self._positive = (diverging.map(v, mode="qcolor") for v in (0.0, 1.0))
        self._make_line_pens()
        self.digit_image.setColorMap(pg.ColorMap([0.0, 1.0], [self._paper, self._ink]))
        for tile in self.tiles:
            tile.setColorMap(diverging)
        self._rows = -1  # fonts changed: lay out again
        if self.picture is not None:
            self.show(self.picture)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._rows = -1
        if self.picture is not None:
            self.show(self.picture)

    def _lay_out(self, rows: int) -> None:
        size = self.size()
        line = QFontMetricsF(self._heading_font).height()
        self.geometry_ = Geometry.of(size.width(), size.height(), rows, self.look.zoom, line, self.with_input)
        self._rows = rows

    # --- per frame ---

    def show(self, picture: Picture) -> None:
        drawn = len(picture.units)
        rows = drawn + (1 if drawn < picture.hidden else 0)
        moved = rows != self._rows
        if moved:
            self._lay_out(rows)
        g = self.geometry_
        # An ImageItem's rectangle is set after its image: it is computed from the image's size.
        self.digit_image.setImage(picture.pixels, levels=(0.0, 1.0))
        if moved:
            self.digit_image.setRect(g.digit)
        while len(self.tiles) < drawn:
            tile = pg.ImageItem()
            tile.setParentItem(self)
            tile.setColorMap(self.look.diverging_map())
            self.tiles.append(tile)
            moved = True
        for row, tile in enumerate(self.tiles):
            tile.setVisible(row < drawn)
            if row < drawn:
                tile.setImage(picture.filters[row], levels=(-picture.filter_top, picture.filter_top))
                if moved:
                    tile.setRect(QRectF(g.tile_x, g.hidden_y[row] - g.tile / 2, g.tile, g.tile))
        self.picture = picture
        self.update()

    def unit_at(self, point: QPointF) -> tuple[str, int] | None:
        if self.geometry_ is None or self.picture is None:
            return None
        return self.geometry_.unit_at(point, len(self.picture.units))

    def unit_centre(self, kind: str, row: int) -> QPointF:
        g = self.geometry_
        return (
            QPointF(g.hidden_x, g.hidden_y[row]) if kind == "hidden" else QPointF(g.output_x, g.output_y[row])
        )

    # --- painting ---

    def paint(self, painter: QPainter, *args) -> None:
        p, g = self.picture, self.geometry_
        if p is None or g is None:
            return
        self._paint_fan(painter, p, g)
        self._paint_edges(painter, p, g)
        painter.setRenderHint(
            QPainter.RenderHint.Antialiasing, True
        )  # round units; lines are most of the cost
        self._paint_hidden(painter, p, g)
        self._paint_outputs(painter, p, g)
        self._paint_words(painter, p, g)

    def _paint_fan(self, painter: QPainter, p: Picture, g: Geometry) -> None:
        """Faint lines from the digit to each filter: every unit looks at all 784 pixels."""
        colour = QColor(self._muted)
        colour.setAlphaF(0.35)
        painter.setPen(QPen(colour, 1))
        source = QPointF(g.digit.right() + 2, g.digit.center().y())
        for y in g.hidden_y[: len(p.units)] if self.with_input else ():
            painter.drawLine(source, QPointF(g.tile_x - 2, y))
        if len(p.units) < p.hidden:  # the units not drawn: a brace, as 3Blue1Brown draws 784
            self._paint_brace(painter, g)

    def _paint_brace(self, painter: QPainter, g: Geometry) -> None:
        x, top, bottom = g.tile_x - 6 * self.look.zoom, g.top, g.bottom
        middle, depth = (top + bottom) / 2, 6 * self.look.zoom
        path = QPainterPath(QPointF(x, top))
        path.quadTo(x - depth, top, x - depth, top + depth)
        path.lineTo(x - depth, middle - depth)
        path.quadTo(x - depth, middle, x - 2 * depth, middle)
        path.quadTo(x - depth, middle, x - depth, middle + depth)
        path.lineTo(x - depth, bottom - depth)
        path.quadTo(x - depth, bottom, x, bottom)
        painter.setPen(QPen(self._ink, max(1.0, self.look.zoom)))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)

    def _paint_edges(self, painter: QPainter, p: Picture, g: Geometry) -> None:
        """W2 (or what flows along it): hue = sign, width and opacity = magnitude; strongest on top.

        The lines are drawn in STRENGTHS steps of magnitude, each step one pen and one drawLines
        call: a pen per line cost more than all the painting of the view.
        """
        start_x = g.hidden_x + g.hidden_r + (g.nudge if p.nudges_hidden is not None else 0)
        end_x = g.output_x - g.output_r
        values = np.nan_to_num(p.edges, nan=0.0, posinf=1.0, neginf=-1.0)
        strength = np.minimum(np.abs(values), 1.0)
        steps = np.minimum((strength * STRENGTHS).astype(int), STRENGTHS - 1)
        shown = strength >= FAINTEST_LINE
        for step in range(STRENGTHS):
            for positive in (False, True):
                digits, rows = np.nonzero(shown & (steps == step) & ((values > 0) == positive))
                if digits.size:
                    painter.setPen(self._line_pens[positive][step])
                    painter.drawLines(
                        [
                            QLineF(start_x, g.hidden_y[row], end_x, g.output_y[digit])
                            for digit, row in zip(digits.tolist(), rows.tolist(), strict=True)
                        ]
                    )

    def _make_line_pens(self) -> None:
        """Per sign, a pen for each step of magnitude: wider and more opaque as |value| nears 1."""
        widest = 6 * self.look.zoom
        self._line_pens = {}
        for positive, hue in ((False, self._negative), (True, self._positive)):
            pens = []
            for step in range(STRENGTHS):
                strength = (step + 0.5) / STRENGTHS
                colour = QColor(hue)
                colour.setAlphaF(0.15 + 0.85 * strength)
                pens.append(QPen(colour, 0.5 + widest * strength))
            self._line_pens[positive] = pens

    def _fill(self, amount: float) -> QColor:
        colour = QColor(self._ink)
        colour.setAlphaF(min(max(amount, 0.0), 1.0) if math.isfinite(amount) else 1.0)
        return colour

    def _text_colour(self, amount: float) -> QColor:
        """Paper-coloured writing on a dark fill, ink-coloured on a light one."""
        return self._paper if math.isfinite(amount) and amount > 0.55 else self._ink

    def _paint_unit(self, painter: QPainter, centre: QPointF, r: float, fill: float, text: str) -> None:
        painter.setPen(QPen(self._ink, max(1.0, self.look.zoom)))
        painter.setBrush(self._fill(fill))
        painter.drawEllipse(centre, r, r)
        if text:
            painter.setPen(self._text_colour(fill))
            box = QRectF(centre.x() - r, centre.y() - r, 2 * r, 2 * r)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)

    def _paint_bias(self, painter: QPainter, centre: QPointF, r: float, value: float) -> None:
        """A small square at the unit's lower left, coloured by b: hue = sign, opacity = size."""
        side = max(4.0, 0.45 * r)
        colour = QColor(self._positive if value > 0 else self._negative)
        colour.setAlphaF(min(abs(value), 1.0) if math.isfinite(value) else 1.0)
        painter.setPen(QPen(self._muted, 1))
        painter.setBrush(colour)
        painter.drawRect(QRectF(centre.x() - r - side * 0.4, centre.y() + r - side * 0.6, side, side))

    def _paint_nudge(self, painter: QPainter, x: float, y: float, room: float, value: float) -> None:
        """An arrow up (the score should rise) or down, as long as the nudge: 3Blue1Brown's arrows."""
        if not math.isfinite(value) or abs(value) < 0.01:
            return
        length = room * min(abs(value), 1.0)
        direction = -1 if value > 0 else 1  # up the screen for a positive nudge
        colour = self._positive if value > 0 else self._negative
        tip = QPointF(x, y + direction * length / 2)
        painter.setPen(QPen(colour, max(2.0, 2 * self.look.zoom)))
        painter.drawLine(QPointF(x, y - direction * length / 2), tip)
        head = min(5 * self.look.zoom, length / 2 + 2)
        painter.drawLine(tip, QPointF(x - head, tip.y() - direction * head))
        painter.drawLine(tip, QPointF(x + head, tip.y() - direction * head))

    def _paint_hidden(self, painter: QPainter, p: Picture, g: Geometry) -> None:
        painter.setFont(self._value_font)
        room = 0.9 * (g.hidden_y[1] - g.hidden_y[0]) if g.hidden_y.size > 1 else g.bottom - g.top
        # The numbers in all circles or in none (then on demand, in the card): never some of them.
        metrics = QFontMetricsF(self._value_font)
        fits = all(metrics.horizontalAdvance(text) <= 2 * g.hidden_r - 2 for text in p.hidden_text)
        for row in range(len(p.units)):
            centre = QPointF(g.hidden_x, g.hidden_y[row])
            text = p.hidden_text[row] if fits else ""
            self._paint_unit(painter, centre, g.hidden_r, float(p.hidden_fill[row]), text)
            self._paint_bias(painter, centre, g.hidden_r, float(p.hidden_bias[row]))
            if p.nudges_hidden is not None:
                x = g.hidden_x + g.hidden_r + g.nudge / 2
                self._paint_nudge(painter, x, g.hidden_y[row], room, float(p.nudges_hidden[row]))
        if len(p.units) < p.hidden:
            painter.setPen(self._ink)
            more = f"⋮  and {p.hidden - len(p.units)} more"
            y = g.hidden_y[-1]
            painter.drawText(
                QRectF(g.tile_x, y - g.hidden_r, g.width, 2 * g.hidden_r), Qt.AlignmentFlag.AlignVCenter, more
            )

    def _paint_outputs(self, painter: QPainter, p: Picture, g: Geometry) -> None:
        pitch = g.output_y[1] - g.output_y[0]
        bold = QFont(self._value_font)
        bold.setBold(True)
        for digit in range(DIGITS):
            centre = QPointF(g.output_x, g.output_y[digit])
            amount = float(p.outputs[digit])
            painter.setFont(bold if digit == p.prediction else self._value_font)
            self._paint_unit(painter, centre, g.output_r, amount, str(digit))
            self._paint_bias(painter, centre, g.output_r, float(p.output_bias[digit]))
            if digit == p.label:  # the true digit: a ring in the palette's colour for it
                painter.setPen(QPen(self._selected, 3 * self.look.zoom))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawEllipse(centre, g.output_r + 3 * self.look.zoom, g.output_r + 3 * self.look.zoom)
            if p.nudges_output is not None:
                x = (g.output_x + g.output_r + g.bar_x) / 2 + 2 * self.look.zoom  # clear of the truth's ring
                self._paint_nudge(painter, x, g.output_y[digit], 0.9 * pitch, float(p.nudges_output[digit]))
            bar_height = min(0.3 * pitch, g.output_r)
            length = g.bar_length * (min(max(amount, 0.0), 1.0) if math.isfinite(amount) else 0.0)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(self._predicted if digit == p.prediction else self._bar)
            painter.drawRect(QRectF(g.bar_x, centre.y() - bar_height / 2, max(length, 1.0), bar_height))
            painter.setPen(self._ink)
            painter.drawText(
                QRectF(g.bar_x + max(length, 1.0) + 6, centre.y() - pitch / 2, g.width, pitch),
                Qt.AlignmentFlag.AlignVCenter,
                p.output_text[digit],
            )

    @staticmethod
    def _fitted(font: QFont, lines: list[str], width: float) -> QFont:
        """`font`, or a smaller one (to SMALLEST_TYPE of it) in which every line fits `width`."""
        widest = max(QFontMetricsF(font).horizontalAdvance(line) for line in lines)
        if widest <= width:
            return font
        smaller = QFont(font)
        smaller.setPointSizeF(font.pointSizeF() * max(SMALLEST_TYPE, width / widest))
        return smaller

    def _paint_words(self, painter: QPainter, p: Picture, g: Geometry) -> None:
        painter.setPen(self._ink)
        painter.setFont(self._heading_font)
        line = QFontMetricsF(self._heading_font).height()
        gap = 0.8 * line  # between the columns' headings
        columns = (
            (g.margin, g.tile_x - g.margin - gap),
            (g.tile_x, g.output_x - g.output_r - g.tile_x - gap),
            (g.output_x - g.output_r, g.width - g.output_x + g.output_r - g.margin),
        )
        for (x, width), heading in list(zip(columns, p.headings, strict=True))[0 if self.with_input else 1 :]:
            # Smaller type where a column is narrow, down to a floor; beyond it, cut short with "…"
            # rather than wrapped over the units below.
            font = self._fitted(self._heading_font, heading.split("\n"), width)
            painter.setFont(font)
            metrics = QFontMetricsF(font)
            for number, text in enumerate(heading.split("\n")):
                shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
                painter.drawText(QPointF(x, g.margin + metrics.ascent() + number * line), shown)
        if self.with_input:
            painter.setFont(self._note_font)
            painter.drawText(
                QRectF(g.margin, g.digit.bottom() + 4, g.tile_x - g.margin - line, 4 * line),
                Qt.TextFlag.TextWordWrap,
                p.input_note,
            )
        painter.setPen(self._muted)
        painter.setFont(self._note_font)
        legend = QFontMetricsF(self._note_font).elidedText(
            p.legend, Qt.TextElideMode.ElideRight, g.width - 2 * g.margin
        )
        painter.drawText(
            QRectF(g.margin, g.bottom + 0.2 * line, g.width - 2 * g.margin, 1.4 * line),
            Qt.AlignmentFlag.AlignCenter,
            legend,
        )
