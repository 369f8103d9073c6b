"""The weights as pictures: W1's rows as 28x28 filters, W2 as a digits-by-units heatmap."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QCheckBox, QGraphicsRectItem

from nnviz.engine.divergence import number
from nnviz.ui.look import Look, style_colour_bar, style_plot
from nnviz.ui.panels.base import Panel
from nnviz.ui.panels.filter_inset import FilterInset
from nnviz.ui.tiles import SymmetricScale, TileGrid, unit_labels
from nnviz.worker.snapshot import Snapshot

TICK_STEPS = (1, 2, 5, 10, 20, 50, 100, 200, 500)
W1_CAPTION = (
    "Each tile is one hidden unit's 784 input weights as a 28x28 image. {positive} pixels push the unit "
    "up where there is ink, {negative} pull it down; all tiles share the colour bar."
)
STEP_CAPTION = (
    "The next step, −α·dW1, for each unit: where gradient descent is about to paint. {positive}: that "
    "weight goes up; {negative}: down. Computed for the batch the next iteration uses."
)
W2_CAPTION = (
    "Row = digit 0-9, column = hidden unit. {positive}: an active unit raises that digit's score; "
    "{negative}: lowers it."
)


def caption_for(template: str, look: Look) -> str:
    """Captions name the colours of the map in use (red/blue at a desk, yellow/blue on a projector)."""
    p = look.palette
    return template.format(positive=p.positive.capitalize(), negative=p.negative)


class FiltersPanel(Panel):
    """All h rows of W1 (or of the coming step -alpha dW1) as tiles."""

    motion_every = 3

    def __init__(self) -> None:
        super().__init__("W1 filters: what each hidden unit looks for", caption_for(W1_CAPTION, Look()))
        self.tiles = TileGrid(self.graphics.ci, colour_label="weight")
        self.show_step = QCheckBox("show next step (−α·dW1)")
        self.show_step.setToolTip(
            "Show, instead of the weights, how the next iteration will change them: −α times the "
            "gradient dW1. Typical use: pause, tick this, and press Step to see the filters move there."
        )
        self.show_step.toggled.connect(self._mode_changed)
        self.header.addWidget(self.show_step)
        self.inset = FilterInset(self.graphics)  # one unit's filter, large: click a tile
        self.hovered = QGraphicsRectItem()  # the tile under the mouse, outlined
        self.hovered.hide()
        self.tiles.view.addItem(self.hovered, ignoreBounds=True)
        self.graphics.scene().sigMouseClicked.connect(self._clicked)
        self.graphics.scene().sigMouseMoved.connect(self._hover)
        self._last: Snapshot | None = None
        self._shown = np.empty((0, 784), dtype=np.float32)  # the rows the tiles show
        self._look = Look()

    def restyle(self, look: Look) -> None:
        self._look = look
        self.tiles.apply_look(look)
        self.inset.apply_look(look)
        self.hovered.setPen(look.pen(look.palette.ink, 2))
        self._show_caption()

    def _show_caption(self) -> None:
        template = STEP_CAPTION if self.show_step.isChecked() else W1_CAPTION
        self.caption.setText(caption_for(template, self._look))

    def update_items(self, snapshot: Snapshot) -> None:
        self._last = snapshot
        labels = unit_labels(snapshot.W1.shape[0])
        stepping = self.show_step.isChecked()
        self._shown = -snapshot.alpha * snapshot.pending.grads.dW1 if stepping else snapshot.W1
        self.tiles.show(self._shown, labels)
        self._show_inset()

    def open_inset(self, unit: int) -> None:
        """Show `unit`'s filter large, beside its tile, until Esc or a click elsewhere."""
        tile = self.tiles.view.mapViewToScene(self.tiles.tile_rect(unit)).boundingRect()
        tiles = self.tiles.view.sceneBoundingRect()
        self.inset.open(unit, *(self.graphics.mapFromScene(r).boundingRect() for r in (tile, tiles)))
        self._show_inset()

    def _show_inset(self) -> None:
        unit = self.inset.unit
        if unit is None:
            return
        if unit >= len(self._shown):  # a new run with fewer units
            self.inset.close_inset()
            return
        what = "next step −α·dW1" if self.show_step.isChecked() else "weights"
        self.inset.show_values(self._shown[unit], self.tiles.colour_bar.levels(), what)

    def _clicked(self, event) -> None:
        unit = self.tiles.tile_at(event.scenePos())
        if unit is not None and event.button() == Qt.MouseButton.LeftButton:
            self.open_inset(unit)

    def _hover(self, position) -> None:
        """Outline the tile under the mouse and name it, with its range, in a tooltip."""
        unit = self.tiles.tile_at(position)
        if unit is None:
            self.hovered.hide()
            self.graphics.setToolTip("")
            return
        self.hovered.setRect(self.tiles.tile_rect(unit))
        self.hovered.show()
        values = self._shown[unit]
        self.graphics.setToolTip(
            f"unit {unit}: from {number(values.min())} to {number(values.max())}. Click to enlarge."
        )

    def restart(self) -> None:
        self.tiles.scale.reset()

    def _mode_changed(self, stepping: bool) -> None:
        self._show_caption()
        self.tiles.colour_bar.setLabel("left", "−α·dW1" if stepping else "weight")
        self.tiles.scale.reset()  # steps are far smaller than weights: a scale of their own
        if self._last is not None:
            self.update_items(self._last)


class OutputWeightsPanel(Panel):
    """W2 (10 x h): row d holds how strongly each hidden unit votes for digit d."""

    motion_every = 3

    def __init__(self) -> None:
        super().__init__("W2: how hidden units vote for digits", caption_for(W2_CAPTION, Look()))
        self.plot = self.graphics.addPlot()
        self.plot.setMouseEnabled(False, False)
        self.plot.invertY(True)
        self.plot.setLabel("left", "digit")
        self.plot.setLabel("bottom", "hidden unit")
        self.plot.getAxis("left").setTicks([[(d + 0.5, str(d)) for d in range(10)]])
        self.image = pg.ImageItem()
        self.plot.addItem(self.image)
        self.colour_bar = pg.ColorBarItem(colorMap=Look().diverging_map(), interactive=False, width=16)
        self.colour_bar.setImageItem(self.image)
        self.graphics.addItem(self.colour_bar)
        self.scale = SymmetricScale(self.colour_bar)
        self._hidden = 0
        self._unit_step = (0, 0)  # hidden units between two labels on the bottom axis, digits on the left
        self.plot.vb.sigResized.connect(self._label_units)

    def restyle(self, look: Look) -> None:
        style_plot(self.plot, look)
        style_colour_bar(self.colour_bar, look, look.diverging_map())
        self.caption.setText(caption_for(W2_CAPTION, look))
        self._unit_step = (0, 0)
        self._label_units()

    def _label_units(self) -> None:
        """Every unit's number if they fit side by side, else every 2nd, 5th, 10th...: a narrow W2
        on a projector would otherwise print 0-9 as one unreadable run of digits. The digits down
        the side likewise, when a short W2 has less than a line for each."""
        if not self._hidden:
            return
        axis = self.plot.getAxis("bottom")
        metrics = QFontMetrics(axis.style["tickFont"] or axis.font())
        widest = metrics.horizontalAdvance(str(self._hidden - 1))
        per_unit = max(self.plot.vb.width(), 1.0) / self._hidden
        step = next((s for s in TICK_STEPS if s * per_unit >= 1.6 * widest + 4), TICK_STEPS[-1])
        per_digit = max(self.plot.vb.height(), 1.0) / 10  # and the digits down the side, a line each
        digit_step = next((s for s in (1, 2, 5) if s * per_digit >= metrics.height()), 5)
        if (step, digit_step) != self._unit_step:
            self._unit_step = (step, digit_step)
            axis.setTicks([[(u + 0.5, str(u)) for u in range(0, self._hidden, step)]])
            self.plot.getAxis("left").setTicks([[(d + 0.5, str(d)) for d in range(0, 10, digit_step)]])

    def restart(self) -> None:
        self.scale.reset()

    def update_items(self, snapshot: Snapshot) -> None:
        W2 = snapshot.W2
        self.image.setImage(W2, autoLevels=False)
        self.scale.show(W2)
        if W2.shape[1] != self._hidden:
            self._hidden, self._unit_step = W2.shape[1], (0, 0)
            self._label_units()
            self.plot.setRange(xRange=(0, self._hidden), yRange=(0, 10), padding=0)
