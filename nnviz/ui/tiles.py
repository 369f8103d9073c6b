"""Rows of 784 values drawn as labelled 28x28 tiles: W1's filters, dW1, digits of X.

All tiles live in one ImageItem (one setImage per frame, whatever their number) and share
one colour scale; the grid follows the shape of the space it is given.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QGraphicsItem

from nnviz.ui.look import TICK_POINTS, Look, style_colour_bar
from nnviz.ui.placed_text import Placed, PlacedText
from nnviz.ui.ranges import StickyRange

SIDE = 28
GAP = 3  # pixels of transparent space between tiles
LABEL_ROOM = 8  # pixels above each tile for its label


MAX_LABELLED = 64  # beyond this many tiles, numbers would cover the pictures


def unit_labels(hidden: int) -> list[str]:
    """ "unit 3" for a few tiles, "3" for many, none beyond MAX_LABELLED."""
    if hidden > MAX_LABELLED:
        return [""] * hidden
    return [f"unit {u}" if hidden <= 16 else str(u) for u in range(hidden)]


def grid_shape(tiles: int, width: float, height: float) -> tuple[int, int]:
    """Rows and columns that make `tiles` tiles (with their labels) largest in a width x height area."""

    def tile_scale(columns: int) -> float:
        rows = math.ceil(tiles / columns)
        return min(width / (columns * (SIDE + GAP)), height / (rows * (SIDE + GAP + LABEL_ROOM)))

    columns = max(range(1, tiles + 1), key=tile_scale)
    return math.ceil(tiles / columns), columns


class SymmetricScale:
    """One colour scale centred on 0 (white is zero, equal colours are equal values), in round steps.

    It spans the 99.5th percentile of |value|, not the maximum: a handful of extreme weights
    would otherwise wash every tile out to white. The few beyond it show at full colour. The
    percentile is taken over an even sample of at most SAMPLE values: for a scale that moves in
    round steps it is as good as all 50,000 weights of 64 filters, at a fraction of the cost.
    """

    SAMPLE = 8192

    def __init__(self, colour_bar: pg.ColorBarItem) -> None:
        self.colour_bar = colour_bar
        self._top = StickyRange()

    def show(self, values: np.ndarray) -> None:
        values = values.reshape(-1)[:: max(1, values.size // self.SAMPLE)]
        finite = np.abs(values[np.isfinite(values)])
        if finite.size and self._top.fit(0.0, float(np.percentile(finite, 99.5)), floor_at_zero=True):
            top = self._top.bounds[1]
            self.colour_bar.setLevels((-top, top))

    def reset(self) -> None:
        self._top.reset()


class TileGrid:
    """A view box of tiles plus its colour bar, added to a pyqtgraph layout at (row, column)."""

    def __init__(
        self,
        layout: pg.GraphicsLayout,
        row: int = 0,
        column: int = 0,
        *,
        colour_label: str = "",
        colour_map: pg.ColorMap | None = None,
        levels: tuple[float, float] | None = None,  # fixed levels (pixels 0-1); else symmetric
    ) -> None:
        self.view = layout.addViewBox(row=row, col=column, lockAspect=True, invertY=True, enableMouse=False)
        self.view.enableAutoRange()  # re-fit the mosaic whenever the space changes
        self.image = pg.ImageItem()
        self.view.addItem(self.image)
        self.fixed_map = colour_map  # pixels keep their ink; signed values follow the look's map
        self.colour_bar = pg.ColorBarItem(
            colorMap=colour_map or Look().diverging_map(), interactive=False, width=14, label=colour_label
        )
        self.colour_bar.setImageItem(self.image)
        layout.addItem(self.colour_bar, row=row, col=column + 1)
        self.scale = None if levels else SymmetricScale(self.colour_bar)
        if levels:
            self.colour_bar.setLevels(levels)
        self.label_item = PlacedText()
        # The labels change only with the layout: repainted from a pixmap while the tiles change.
        self.label_item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.view.addItem(self.label_item, ignoreBounds=True)
        self.labels: list[str] = []  # the labels drawn (none beyond MAX_LABELLED tiles)
        self._label_corners: list[tuple[float, float]] = []
        self._label_texts: list[str] = []
        self._label_bounds = QRectF()
        self._mosaic = np.empty((0, 0), dtype=np.float32)
        self._grid = (0, 0)
        self._shown: tuple[np.ndarray, Sequence[str]] | None = None
        self._look = Look()
        self.view.sigResized.connect(self._refit)

    def show(self, rows: np.ndarray, labels: Sequence[str]) -> None:
        """Draw each row of `rows` (n, 784) as a tile under its label."""
        self._shown = (rows, labels)
        if list(labels) != self._label_texts or self._grid != self._best_grid(len(rows)):
            self._lay_out(list(labels))
        grid_rows, columns = self._grid
        pitch_y, pitch_x = SIDE + GAP + LABEL_ROOM, SIDE + GAP
        tiles = self._mosaic.reshape(grid_rows, pitch_y, columns, pitch_x)
        padded = np.full((grid_rows * columns, SIDE, SIDE), np.nan, dtype=np.float32)
        padded[: len(rows)] = rows.reshape(-1, SIDE, SIDE)
        tiles[:, LABEL_ROOM : LABEL_ROOM + SIDE, :, :SIDE] = padded.reshape(
            grid_rows, columns, SIDE, SIDE
        ).transpose(0, 2, 1, 3)
        self.image.setImage(self._mosaic, autoLevels=False)
        if self.scale is not None:
            self.scale.show(rows)

    def tile_at(self, scene_position) -> int | None:
        """The index of the tile under a point of the scene (for clicks), or None."""
        point = self.view.mapSceneToView(scene_position)
        grid_rows, columns = self._grid
        row = int(point.y() // (SIDE + GAP + LABEL_ROOM))
        column = int(point.x() // (SIDE + GAP))
        index = row * columns + column
        inside = 0 <= row < grid_rows and 0 <= column < columns and point.x() >= 0 and point.y() >= 0
        return index if inside and index < len(self._label_texts) else None

    def tile_rect(self, index: int) -> QRectF:
        """Where tile `index`'s picture is, in the view's coordinates."""
        row, column = divmod(index, self._grid[1])
        return QRectF(column * (SIDE + GAP), row * (SIDE + GAP + LABEL_ROOM) + LABEL_ROOM, SIDE, SIDE)

    def apply_look(self, look: Look) -> None:
        self._look = look
        style_colour_bar(self.colour_bar, look, None if self.fixed_map else look.diverging_map())
        self.label_item.set_font(look.font(TICK_POINTS))
        self._place_labels()

    def _refit(self) -> None:
        """A new shape of space may want another grid (5 x 2 rather than 4 x 3): redraw then."""
        if self._shown is not None and self._grid != self._best_grid(len(self._shown[0])):
            self.show(*self._shown)

    def _best_grid(self, tiles: int) -> tuple[int, int]:
        size = self.view.size()  # the space's own shape decides: 5 x 2 when wide, 2 x 5 when tall
        return grid_shape(max(tiles, 1), max(size.width(), 1.0), max(size.height(), 1.0))

    def _lay_out(self, labels: list[str]) -> None:
        """Only when the labels or the space's shape change: a new buffer and new label places."""
        grid_rows, columns = self._grid = self._best_grid(len(labels))
        height, width = grid_rows * (SIDE + GAP + LABEL_ROOM), columns * (SIDE + GAP)
        self._mosaic = np.full((height, width), np.nan, dtype=np.float32)
        self.labels, self._label_corners = [], []
        for index, text in enumerate(labels):
            if text:
                row, column = divmod(index, columns)
                self.labels.append(text)  # the text sits on its tile's top-left corner
                self._label_corners.append(
                    (column * (SIDE + GAP), row * (SIDE + GAP + LABEL_ROOM) + LABEL_ROOM)
                )
        self._label_texts = labels
        # Above the mosaic too: when the tiles are small, the first row's labels stand out over it.
        self._label_bounds = QRectF(0, -2 * LABEL_ROOM, width, height + 2 * LABEL_ROOM)
        self._place_labels()

    def _place_labels(self) -> None:
        ink = self._look.palette.ink
        corners = zip(self._label_corners, self.labels, strict=True)
        placed = [Placed(x, y, text, ink, "on") for (x, y), text in corners]
        self.label_item.set_texts(placed, self._label_bounds)
