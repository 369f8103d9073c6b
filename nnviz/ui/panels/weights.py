"""The weights as pictures: W1's rows as 28x28 filters, W2 as a digits-by-units heatmap."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg

from nnviz.engine.snapshot import Snapshot
from nnviz.ui import theme
from nnviz.ui.panels.base import Panel
from nnviz.ui.ranges import StickyRange

SIDE = 28
GAP = 3  # pixels of transparent space between tiles
LABEL_ROOM = 8  # pixels above each tile for its unit number
TICK_STEPS = (1, 2, 5, 10, 20, 50, 100, 200)


def grid_shape(tiles: int, width: float, height: float) -> tuple[int, int]:
    """Rows and columns that make `tiles` tiles (with their labels) largest in a width x height area."""

    def tile_scale(columns: int) -> float:
        rows = math.ceil(tiles / columns)
        return min(width / (columns * (SIDE + GAP)), height / (rows * (SIDE + GAP + LABEL_ROOM)))

    columns = max(range(1, tiles + 1), key=tile_scale)
    return math.ceil(tiles / columns), columns


class SymmetricScale:
    """One colour scale centred on 0 (white is zero, equal colours are equal weights), in round steps.

    It spans the 99.5th percentile of |weight|, not the maximum: a handful of extreme weights
    would otherwise wash every tile out to white. The few beyond it show at full colour.
    """

    def __init__(self, colour_bar: pg.ColorBarItem) -> None:
        self.colour_bar = colour_bar
        self._top = StickyRange()

    def show(self, values: np.ndarray) -> None:
        finite = np.abs(values[np.isfinite(values)])
        if finite.size and self._top.fit(0.0, float(np.percentile(finite, 99.5)), floor_at_zero=True):
            top = self._top.bounds[1]
            self.colour_bar.setLevels((-top, top))


class FiltersPanel(Panel):
    """All h rows of W1 as one mosaic image: one setImage per frame, whatever h is."""

    def __init__(self) -> None:
        super().__init__(
            "W1 filters: what each hidden unit looks for",
            "Each tile is one hidden unit's 784 input weights as a 28x28 image. Red pixels push the "
            "unit up where there is ink, blue pull it down; all tiles share the colour bar.",
        )
        self.view = self.graphics.addViewBox(lockAspect=True, invertY=True, enableMouse=False)
        self.view.enableAutoRange()  # re-fit the mosaic whenever the panel is resized
        self.image = pg.ImageItem()
        self.view.addItem(self.image)
        self.colour_bar = pg.ColorBarItem(
            colorMap=theme.diverging_map(), interactive=False, width=16, label="weight"
        )
        self.colour_bar.setImageItem(self.image)
        self.graphics.addItem(self.colour_bar)
        self.scale = SymmetricScale(self.colour_bar)
        self._labels: list[pg.TextItem] = []
        self._mosaic = np.empty((0, 0), dtype=np.float32)
        self._grid = (0, 0)

    def update_items(self, snapshot: Snapshot) -> None:
        W1 = snapshot.W1
        if W1.shape[0] != len(self._labels) or self._grid != self._best_grid(W1.shape[0]):
            self._lay_out(W1.shape[0])
        rows, columns = self._grid
        pitch_y, pitch_x = SIDE + GAP + LABEL_ROOM, SIDE + GAP
        tiles = self._mosaic.reshape(rows, pitch_y, columns, pitch_x)[
            :, LABEL_ROOM : LABEL_ROOM + SIDE, :, :SIDE
        ]
        padded = np.full((rows * columns, SIDE, SIDE), np.nan, dtype=np.float32)
        padded[: W1.shape[0]] = W1.reshape(-1, SIDE, SIDE)
        tiles[...] = padded.reshape(rows, columns, SIDE, SIDE).transpose(0, 2, 1, 3)
        self.image.setImage(self._mosaic, autoLevels=False)
        self.scale.show(W1)

    def _best_grid(self, hidden: int) -> tuple[int, int]:
        size = self.view.size()  # the panel's own shape decides: 5 x 2 when wide, 2 x 5 when tall
        return grid_shape(hidden, max(size.width(), 1.0), max(size.height(), 1.0))

    def _lay_out(self, hidden: int) -> None:
        """Only when h or the panel's shape changes: a new mosaic buffer and one label per unit."""
        for label in self._labels:
            self.view.removeItem(label)
        rows, columns = self._grid = self._best_grid(hidden)
        self._mosaic = np.full(
            (rows * (SIDE + GAP + LABEL_ROOM), columns * (SIDE + GAP)), np.nan, dtype=np.float32
        )
        text = "unit {}" if hidden <= 16 else "{}"
        self._labels = []
        for unit in range(hidden):
            row, column = divmod(unit, columns)
            label = pg.TextItem(text.format(unit), color="#333333", anchor=(0, 1))  # sits on its tile
            label.setPos(column * (SIDE + GAP), row * (SIDE + GAP + LABEL_ROOM) + LABEL_ROOM)
            self.view.addItem(label, ignoreBounds=True)
            self._labels.append(label)


class OutputWeightsPanel(Panel):
    """W2 (10 x h): row d holds how strongly each hidden unit votes for digit d."""

    def __init__(self) -> None:
        super().__init__(
            "W2: how hidden units vote for digits",
            "Row = digit 0-9, column = hidden unit. Red: an active unit raises that digit's score; "
            "blue: lowers it.",
        )
        self.plot = self.graphics.addPlot()
        self.plot.setMouseEnabled(False, False)
        self.plot.invertY(True)
        self.plot.setLabel("left", "digit")
        self.plot.setLabel("bottom", "hidden unit")
        self.plot.getAxis("left").setTicks([[(d + 0.5, str(d)) for d in range(10)]])
        self.image = pg.ImageItem()
        self.plot.addItem(self.image)
        self.colour_bar = pg.ColorBarItem(colorMap=theme.diverging_map(), interactive=False, width=16)
        self.colour_bar.setImageItem(self.image)
        self.graphics.addItem(self.colour_bar)
        self.scale = SymmetricScale(self.colour_bar)
        self._hidden = 0

    def update_items(self, snapshot: Snapshot) -> None:
        W2 = snapshot.W2
        self.image.setImage(W2, autoLevels=False)
        self.scale.show(W2)
        if W2.shape[1] != self._hidden:
            self._hidden = W2.shape[1]
            step = next(s for s in TICK_STEPS if s >= self._hidden / 10)  # at most ~10 labels
            self.plot.getAxis("bottom").setTicks([[(u + 0.5, str(u)) for u in range(0, self._hidden, step)]])
            self.plot.setRange(xRange=(0, self._hidden), yRange=(0, 10), padding=0)
