"""How the inspector draws a matrix: as a heatmap, as 28x28 tiles, or as bars per unit."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QResizeEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from nnviz.ui.axes import IndexAxis, ReadableAxis, label_scale_ends
from nnviz.ui.inspector.stages import Matrix
from nnviz.ui.look import TICK_POINTS, Look, style_colour_bar, style_plot
from nnviz.ui.tiles import SymmetricScale, TileGrid, unit_labels

COLUMNS_SHOWN = 16  # examples shown of a matrix with one column per example
IMAGES_SHOWN = 10  # digits shown of X
INK = pg.ColorMap([0.0, 1.0], [(255, 255, 255), (0, 0, 0)])  # pixels: white paper, black ink
# The least room (at zoom 1) in which a picture with its axis numbers still reads; less, and the
# dialog scrolls rather than squash it.
PICTURE_HEIGHT, PICTURE_WIDTH = 60, 100
VECTOR_WIDTH = 240  # the most a bias takes (at zoom 1): a strip, not a band across the dialog


def example_window(selected: int, m: int, width: int) -> range:
    """`width` consecutive examples that include `selected`, from the start of the batch if possible."""
    start = 0 if selected < width else min(selected - width // 2, m - width)
    return range(max(start, 0), min(max(start, 0) + width, m))


def example_labels(shown: range, selected: int) -> list[str]:
    """Digits' tiles labelled by their column in the batch, the followed one marked."""
    return [f"▶{c}" if c == selected else str(c) for c in shown]


def unit_numbers(hidden: int) -> list[str]:
    """Filters' tiles labelled by their unit's number alone: "unit 3" would run into its neighbour
    when the tiles are small (and none at all beyond the live panels' limit)."""
    return [label.removeprefix("unit ") for label in unit_labels(hidden)]


def hold_whole(graphics: pg.GraphicsLayoutWidget, look: Look) -> None:
    """Never smaller than its titles, axes and pictures need: a graphics view does not tell the
    widget layout what its scene needs, and would cut the scene off rather than let the page scroll."""
    # Room around the scene for the colour bars' end labels, which stand half beyond the bars.
    room = math.ceil(QFontMetricsF(look.font(TICK_POINTS)).height() / 2) + 2
    graphics.ci.setContentsMargins(room, room, room, room)
    needed = graphics.ci.effectiveSizeHint(Qt.SizeHint.MinimumSize)
    graphics.setMinimumSize(
        max(graphics.minimumWidth(), math.ceil(needed.width())),
        max(graphics.minimumHeight(), math.ceil(needed.height())),
    )


def stats_text(matrix: Matrix) -> str:
    numbers = matrix.stats()
    parts = [f"min {numbers['min']:.4g}", f"max {numbers['max']:.4g}", f"mean {numbers['mean']:.4g}"]
    parts.append(f"‖·‖ {numbers['norm']:.4g}")
    if "zeros" in numbers:
        parts.append(f"zeros {numbers['zeros']:.0%}")
    return "   ".join(parts)


class MatrixView(QWidget):
    """One matrix of a stage: its name and shape, its values as a picture, and a few numbers."""

    def __init__(self, matrix: Matrix, selected: int, look: Look) -> None:
        super().__init__()
        self.matrix = matrix
        self.look = look
        name = f"<span style='font-size:{look.points(12 if matrix.small else 14)}pt'>{matrix.name}</span>"
        title = QLabel(name if matrix.small else f"{name}&nbsp;&nbsp; {matrix.shape_text}")
        title.setWordWrap(True)
        self.stats = QLabel(stats_text(matrix))
        self.stats.setObjectName("caption")
        self.stats.setWordWrap(True)
        if matrix.small:  # context (before and after, beside the step): its numbers on demand
            self.stats.hide()
        self.setToolTip(f"{matrix.shape_text}\n{stats_text(matrix)}")
        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setMinimumSize(int(PICTURE_WIDTH * look.zoom), int(PICTURE_HEIGHT * look.zoom))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(title)
        layout.addWidget(self.graphics, 1)
        layout.addWidget(self.stats)
        if matrix.images:
            self._make_tiles()
        elif matrix.bars:
            self._make_bars()
        else:
            self._make_heatmap()
        if self.is_vector:  # a bias: a narrow strip, not a band across the dialog
            self.setMaximumWidth(int(VECTOR_WIDTH * look.zoom))
        self.graphics.setBackground(look.palette.background)
        self.select(selected)
        hold_whole(self.graphics, look)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """At least as tall as its wrapped title and numbers need at this width. Views side by side
        share a row's width in a way Qt's height-for-width sums do not foresee: without this, a
        narrow view's text would be squeezed rather than the page made to scroll."""
        super().resizeEvent(event)
        self.setMinimumHeight(self.layout().minimumHeightForWidth(self.width()))

    @property
    def is_vector(self) -> bool:
        """A bias (or a bias before | after): one value per unit or digit."""
        return self.matrix.values.shape[1] <= 2

    @property
    def stretch(self) -> int:
        """Share of the dialog's height (and of its row's width): vectors and context need less."""
        return 2 if self.is_vector or self.matrix.small else 3

    def _make_tiles(self) -> None:
        pixels = self.matrix.kind == "pixels"
        levels = (0.0, 1.0) if pixels else self.matrix.levels
        self.tiles = TileGrid(self.graphics.ci, colour_map=INK if pixels else None, levels=levels)
        self.tiles.apply_look(self.look)

    def _plot(self, bottom: IndexAxis, left: pg.AxisItem) -> pg.PlotItem:
        plot = self.plot = self.graphics.addPlot(axisItems={"bottom": bottom, "left": left}, enableMenu=False)
        plot.setMouseEnabled(False, False)
        plot.hideButtons()
        return plot

    def _make_heatmap(self) -> None:
        plot = self._plot(IndexAxis("bottom"), IndexAxis("left"))
        plot.invertY(True)
        self.image = pg.ImageItem()
        plot.addItem(self.image)
        kind, look = self.matrix.kind, self.look
        colour_map = look.diverging_map() if kind == "signed" else look.sequential_map()
        self.colour_bar = pg.ColorBarItem(colorMap=colour_map, interactive=False, width=14)
        self.colour_bar.setImageItem(self.image)
        self.graphics.addItem(self.colour_bar)
        style_plot(plot, look)
        style_colour_bar(self.colour_bar, look)
        if self.matrix.levels is not None:
            self.colour_bar.setLevels(self.matrix.levels)
        elif kind == "signed":
            SymmetricScale(self.colour_bar).show(self.matrix.values)
        else:
            self.colour_bar.setLevels((0.0, 1.0))
        label_scale_ends(self.colour_bar)
        self.marker = pg.QtWidgets.QGraphicsRectItem()
        self.marker.setPen(look.pen(look.palette.selected, 3))
        plot.addItem(self.marker)

    def _make_bars(self) -> None:
        """One bar per unit: a single series coloured by sign as the heatmaps colour it; two (before,
        after) pale and solid, on one axis, so that what they share and how they differ both show."""
        plot = self._plot(IndexAxis("bottom", 0.0), ReadableAxis("left"))
        values, look = self.matrix.values, self.look
        count, series = values.shape
        units = np.arange(count)
        if series == 1:
            up, down = (look.diverging_map().mapToQColor(end) for end in (1.0, 0.0))
            brushes = [up if v >= 0 else down for v in values[:, 0]]
            plot.addItem(pg.BarGraphItem(x=units, height=values[:, 0], width=0.8, brushes=brushes))
        else:
            solid = pg.mkColor(look.palette.histogram)
            pale = pg.mkColor(solid)
            pale.setAlpha(90)
            for column, (colour, shift) in enumerate(((pale, -0.2), (solid, 0.2))):
                bars = pg.BarGraphItem(x=units + shift, height=values[:, column], width=0.4, brush=colour)
                plot.addItem(bars)
        plot.addLine(y=0, pen=look.pen(look.palette.reference, 1))
        plot.setXRange(-0.6, count - 0.4, padding=0)
        style_plot(plot, look)

    def select(self, example: int) -> None:
        """Show the columns around `example` and mark it (for matrices with a column per example)."""
        if self.matrix.images:
            self._select_tiles(example)
            return
        if self.matrix.bars:
            return
        values, m = self.matrix.values, self.matrix.values.shape[1]
        shown = example_window(example, m, COLUMNS_SHOWN) if self.matrix.per_example else range(m)
        rows = values.shape[0]
        self.image.setImage(values[:, shown.start : shown.stop], autoLevels=False)
        # Placed at the examples' own numbers, so that the axis counts them as the batch does.
        self.image.setRect(QRectF(shown.start, 0, len(shown), rows))
        self.plot.setRange(xRange=(shown.start, shown.stop), yRange=(0, rows), padding=0)
        visible = self.matrix.per_example and example in shown
        self.marker.setVisible(visible)
        if visible:
            self.marker.setRect(example, 0, 1, rows)

    def _select_tiles(self, example: int) -> None:
        values = self.matrix.values
        if self.matrix.per_example:  # X: its columns are the digits
            shown = example_window(example, values.shape[1], IMAGES_SHOWN)
            self.tiles.show(values[:, shown.start : shown.stop].T, example_labels(shown, example))
        else:  # W1, dW1: its rows are the filters
            self.tiles.show(values, unit_numbers(values.shape[0]))
        label_scale_ends(self.tiles.colour_bar)
