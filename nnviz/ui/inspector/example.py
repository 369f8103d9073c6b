"""One digit of the batch, followed through the network: the inspector's right-hand side."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from nnviz.engine.network import dW1_of_example
from nnviz.engine.trainer import Iteration
from nnviz.ui.axes import IndexAxis, ReadableAxis, label_scale_ends
from nnviz.ui.inspector.views import (
    IMAGES_SHOWN,
    INK,
    example_labels,
    example_window,
    hold_whole,
    unit_numbers,
)
from nnviz.ui.look import DESK, Look, style_plot
from nnviz.ui.tiles import TileGrid

# Heights at zoom 1: the least in which bars (with their title and numbers) and tiles still read,
# and the most bars take (the tiles get the rest).
BARS_HEIGHT = (54, 110)
TILES_HEIGHT = 36
DONE_EDITING = frozenset({Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape})
CAPTION = (
    "Click a digit in the strip to follow it. Forward: its column of Z1 and A1 (per hidden unit), Z2 "
    "and A2 (per digit; orange = its true label). Backward: its column of dZ2 = A2 − Y and of dZ1, and its "
    "share of dW1, dZ1[:, i] X[:, i]ᵀ, what it pushes into each filter's gradient; summed over the batch "
    "and divided by m, these make dW1."
)


class ExampleField(QSpinBox):
    """The followed example's number. Enter or Esc ends the editing (`done`: the dialog takes the
    keys back) and goes no further: it neither walks on, nor applies, nor leaves."""

    done = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in DONE_EDITING:
            self.done.emit()
        else:
            super().keyPressEvent(event)


class ExampleView(QWidget):
    """One digit of the batch, followed through: in the forward pass its Z1, A1, Z2 and A2; in the
    backward pass its dZ2, dZ1 and its share of dW1."""

    selected = Signal(int)

    def __init__(self, it: Iteration, look: Look) -> None:
        super().__init__()
        self.it = it
        self.look = look
        m = it.batch.X.shape[1]
        self.index = ExampleField()
        self.index.setRange(0, m - 1)
        self.index.setToolTip("Which example of the batch to follow (0 is the first column of X).")
        self.index.valueChanged.connect(self.show_example)
        self.index.valueChanged.connect(self.selected)
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.digits = pg.GraphicsLayoutWidget()
        self.forward = pg.GraphicsLayoutWidget()
        self.backward = pg.GraphicsLayoutWidget()
        header = QHBoxLayout()
        header.addWidget(QLabel("<b>Follow one example:</b>"))
        header.addWidget(self.index)
        header.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.verdict)
        layout.addWidget(self.digits, 1)
        layout.addWidget(self.forward, 2)
        layout.addWidget(self.backward, 2)
        self.caption = QLabel(CAPTION)
        self.caption.setWordWrap(True)
        self.caption.setObjectName("caption")
        layout.addWidget(self.caption)
        if look.palette is not DESK:  # on a projector the pictures get the room; the lecturer explains
            self.caption.hide()
            self.setToolTip(CAPTION)
        self.strip = TileGrid(self.digits.ci, colour_map=INK, levels=(0.0, 1.0))
        self.digits.scene().sigMouseClicked.connect(self._clicked)
        self.bars = {}
        self._bar_plots(self.forward.ci, [[("Z1", "Z1 (pale), A1 (solid)")], [("Z2", "Z2"), ("A2", "A2")]])
        self._bar_plots(self.backward.ci, [[("dZ2", "dZ2 = A2 − Y"), ("dZ1", "dZ1")]])
        # The tiles' name as a title: along their short colour bar it would be cut off.
        size, ink = f"{look.points(10)}pt", look.palette.ink
        self.backward.ci.addLabel("its share of dW1", row=1, col=0, size=size, color=ink)
        self.contribution = TileGrid(self.backward.ci, 2, 0)
        for tiles in (self.strip, self.contribution):
            tiles.apply_look(look)
            tiles.view.setMinimumHeight(TILES_HEIGHT * look.zoom)
        label_scale_ends(self.strip.colour_bar)
        for graphics in (self.digits, self.forward, self.backward):
            graphics.setBackground(look.palette.background)
        self.show_pass("forward")
        self.show_example(0)

    def show_pass(self, group: str) -> None:
        """The forward pass's values until the backward pass is told, then the backward pass's."""
        self.forward.setVisible(group != "backward")
        self.backward.setVisible(group == "backward")

    def _bar_plots(self, layout: pg.GraphicsLayout, rows: list[list[tuple[str, str]]]) -> None:
        """Bar plots in rows, each row's plots side by side (ten bars per digit need little width)."""
        for number, row in enumerate(rows):
            plots = layout.addLayout(row=number, col=0, colspan=2)
            for column, (key, title) in enumerate(row):
                axes = {"bottom": IndexAxis("bottom", 0.0), "left": ReadableAxis("left")}
                plot = plots.addPlot(row=0, col=column, axisItems=axes, enableMenu=False)
                style_plot(plot, self.look, title)
                plot.setMouseEnabled(False, False)
                plot.hideButtons()
                plot.setMinimumHeight(BARS_HEIGHT[0] * self.look.zoom)
                plot.setMaximumHeight(BARS_HEIGHT[1] * self.look.zoom)
                self.bars[key] = plot

    def _clicked(self, event) -> None:
        tile = self.strip.tile_at(event.scenePos())
        if tile is not None:
            self.index.setValue(self._strip_window.start + tile)

    def show_example(self, i: int) -> None:
        it = self.it
        f, g = it.forward, it.grads
        X, label = it.batch.X, int(it.batch.labels[i])
        self._strip_window = example_window(i, X.shape[1], IMAGES_SHOWN)
        self.strip.show(
            X[:, self._strip_window.start : self._strip_window.stop].T, example_labels(self._strip_window, i)
        )
        guess = int(np.argmax(f.A2[:, i]))
        verdict = "right" if guess == label else "wrong"
        self.verdict.setText(
            f"label <b>{label}</b>, predicted <b>{guess}</b> "
            f"(p = {f.A2[guess, i]:.2f}, {verdict}); p(label) = {f.A2[label, i]:.2f}"
        )
        solid = pg.mkColor(self.look.palette.histogram)
        pale = pg.mkColor(solid)
        pale.setAlpha(90)
        self._bars("Z1", [(f.Z1[:, i], pale, -0.2), (f.A1[:, i], solid, 0.2)])
        for key, values in (("Z2", f.Z2), ("A2", f.A2), ("dZ2", g.dZ2)):
            self._bars(key, [(values[:, i], solid, 0.0)], label)
        self._bars("dZ1", [(g.dZ1[:, i], solid, 0.0)])
        self.contribution.show(dW1_of_example(g.dZ1, X, i), unit_numbers(f.Z1.shape[0]))
        label_scale_ends(self.contribution.colour_bar)
        for graphics in (self.digits, self.forward, self.backward):
            hold_whole(graphics, self.look)  # its scale's labels, as wide as this example's numbers

    def _bars(self, key: str, series: list, marked: int | None = None) -> None:
        plot = self.bars[key]
        plot.clear()
        width = 0.4 if len(series) > 1 else 0.8
        for values, colour, shift in series:
            count = len(values)
            brushes = [self.look.palette.selected if j == marked else colour for j in range(count)]
            bars = pg.BarGraphItem(x=np.arange(count) + shift, height=values, width=width, brushes=brushes)
            plot.addItem(bars)
