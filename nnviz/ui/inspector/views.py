"""How the inspector draws a matrix, and one example followed through the network."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from nnviz.engine.network import dW1_of_example
from nnviz.engine.trainer import Iteration
from nnviz.ui.inspector.stages import Matrix
from nnviz.ui.look import Look, style_colour_bar, style_plot
from nnviz.ui.tiles import SymmetricScale, TileGrid, unit_labels

COLUMNS_SHOWN = 16  # examples shown of a matrix with one column per example
IMAGES_SHOWN = 10  # digits shown of X
INK = pg.ColorMap([0.0, 1.0], [(255, 255, 255), (0, 0, 0)])  # pixels: white paper, black ink


def example_window(selected: int, m: int, width: int) -> range:
    """`width` consecutive examples that include `selected`, from the start of the batch if possible."""
    start = 0 if selected < width else min(selected - width // 2, m - width)
    return range(max(start, 0), min(max(start, 0) + width, m))


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
        name = f"<span style='font-size:{look.points(14)}pt'>{matrix.name}</span>"
        title = QLabel(f"{name}&nbsp;&nbsp; {matrix.shape_text}")
        self.stats = QLabel(stats_text(matrix))
        self.stats.setObjectName("caption")
        self.graphics = pg.GraphicsLayoutWidget()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(title)
        layout.addWidget(self.graphics, 1)
        layout.addWidget(self.stats)
        if matrix.images:
            self._make_tiles()
        else:
            self._make_heatmap()
        if self.is_vector:  # a bias: a narrow strip, not a band across the dialog
            self.graphics.setMaximumWidth(int(240 * look.zoom))
        self.graphics.setBackground(look.palette.background)
        self.select(selected)

    @property
    def is_vector(self) -> bool:
        return self.matrix.values.shape[1] <= 3  # a bias, or a bias before | step | after

    @property
    def stretch(self) -> int:
        """Share of the dialog's height: vectors need little."""
        return 2 if self.is_vector else 3

    def _make_tiles(self) -> None:
        pixels = self.matrix.kind == "pixels"
        self.tiles = TileGrid(
            self.graphics.ci, colour_map=INK if pixels else None, levels=(0.0, 1.0) if pixels else None
        )
        self.tiles.apply_look(self.look)

    def _make_heatmap(self) -> None:
        plot = self.plot = self.graphics.addPlot()
        plot.setMouseEnabled(False, False)
        plot.invertY(True)
        plot.hideButtons()
        plot.setLabel("left", self.matrix.rows)
        plot.setLabel("bottom", self.matrix.columns)
        self.image = pg.ImageItem()
        plot.addItem(self.image)
        kind, look = self.matrix.kind, self.look
        colour_map = look.diverging_map() if kind == "signed" else look.sequential_map()
        self.colour_bar = pg.ColorBarItem(colorMap=colour_map, interactive=False, width=14)
        self.colour_bar.setImageItem(self.image)
        self.graphics.addItem(self.colour_bar)
        style_plot(plot, look)
        style_colour_bar(self.colour_bar, look)
        if kind == "signed":
            SymmetricScale(self.colour_bar).show(self.matrix.values)
        else:
            self.colour_bar.setLevels((0.0, 1.0))
        self.marker = pg.QtWidgets.QGraphicsRectItem()
        self.marker.setPen(look.pen(look.palette.selected, 3))
        plot.addItem(self.marker)

    def select(self, example: int) -> None:
        """Show the columns around `example` and mark it (for matrices with a column per example)."""
        values, m = self.matrix.values, self.matrix.values.shape[1]
        if self.matrix.images:
            self._select_tiles(example)
            return
        shown = example_window(example, m, COLUMNS_SHOWN) if self.matrix.per_example else range(m)
        self.image.setImage(values[:, shown.start : shown.stop], autoLevels=False)
        rows = values.shape[0]
        axis = self.plot.getAxis("bottom")
        step = max(1, len(shown) // 8)
        axis.setTicks([[(i + 0.5, str(c)) for i, c in enumerate(shown) if i % step == 0]])
        self.plot.getAxis("left").setTicks([[(r + 0.5, str(r)) for r in range(rows)]] if rows <= 16 else None)
        self.plot.setRange(xRange=(0, len(shown)), yRange=(0, rows), padding=0)
        visible = self.matrix.per_example and example in shown
        self.marker.setVisible(visible)
        if visible:
            self.marker.setRect(example - shown.start, 0, 1, rows)

    def _select_tiles(self, example: int) -> None:
        values = self.matrix.values
        if self.matrix.per_example:  # X: its columns are the digits
            shown = example_window(example, values.shape[1], IMAGES_SHOWN)
            labels = [f"▶ {c}" if c == example else f"#{c}" for c in shown]
            self.tiles.show(values[:, shown.start : shown.stop].T, labels)
        else:  # W1, dW1: its rows are the filters
            self.tiles.show(values, unit_labels(values.shape[0]))


class ExampleView(QWidget):
    """One digit of the batch, followed through: its pixels, Z1, A1, Z2, A2 and its share of dW1."""

    selected = Signal(int)

    def __init__(self, it: Iteration, look: Look) -> None:
        super().__init__()
        self.it = it
        self.look = look
        m = it.batch.X.shape[1]
        self.index = QSpinBox()
        self.index.setRange(0, m - 1)
        self.index.setToolTip("Which example of the batch to follow (0 is the first column of X).")
        self.index.valueChanged.connect(self.show_example)
        self.index.valueChanged.connect(self.selected)
        self.verdict = QLabel()
        self.graphics = pg.GraphicsLayoutWidget()
        header = QHBoxLayout()
        header.addWidget(QLabel("<b>One example, followed through</b>   example"))
        header.addWidget(self.index)
        header.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.verdict)
        layout.addWidget(self.graphics, 1)
        caption = QLabel(
            "Click a digit in the strip to follow it. Bars: its column of Z1 and A1 (per hidden unit), "
            "Z2 and A2 (per digit; orange = its true label). Tiles: what this one digit pushes into each "
            "filter's gradient, dZ1[:, i] X[:, i]ᵀ; summed over the batch and divided by m, they make dW1."
        )
        caption.setWordWrap(True)
        caption.setObjectName("caption")
        layout.addWidget(caption)
        self._build()
        self.graphics.setBackground(look.palette.background)
        self.show_example(0)

    def _build(self) -> None:
        g = self.graphics.ci
        self.strip = TileGrid(g, 0, 0, colour_map=INK, levels=(0.0, 1.0))
        self.strip.apply_look(self.look)
        self.graphics.scene().sigMouseClicked.connect(self._clicked)
        self.bars = {}
        for row, (key, title) in enumerate(
            (
                ("Z1", "Z1 (pale) and A1 (solid) per hidden unit"),
                ("Z2", "Z2 per digit"),
                ("A2", "A2 per digit"),
            ),
            start=1,
        ):
            plot = g.addPlot(row=row, col=0, colspan=2)
            style_plot(plot, self.look, title)
            plot.setMouseEnabled(False, False)
            plot.hideButtons()
            plot.setMaximumHeight(130 * self.look.zoom)
            self.bars[key] = plot
        self.contribution = TileGrid(g, 4, 0, colour_label="dZ1[:, i] X[:, i]ᵀ")
        self.contribution.apply_look(self.look)
        g.layout.setRowStretchFactor(0, 2)
        g.layout.setRowStretchFactor(4, 3)

    def _clicked(self, event) -> None:
        tile = self.strip.tile_at(event.scenePos())
        if tile is not None:
            self.index.setValue(self._strip_window.start + tile)

    def show_example(self, i: int) -> None:
        it = self.it
        X, label = it.batch.X, int(it.batch.labels[i])
        m = X.shape[1]
        self._strip_window = example_window(i, m, IMAGES_SHOWN)
        self.strip.show(
            X[:, self._strip_window.start : self._strip_window.stop].T,
            [f"▶ {c}" if c == i else f"#{c}" for c in self._strip_window],
        )
        A2 = it.forward.A2[:, i]
        guess = int(np.argmax(A2))
        verdict = "right" if guess == label else "wrong"
        self.verdict.setText(
            f"Example {i}: label <b>{label}</b>, predicted <b>{guess}</b> "
            f"(p = {A2[guess]:.2f}, {verdict}); p(label) = {A2[label]:.2f}"
        )
        hidden = it.forward.Z1.shape[0]
        solid = pg.mkColor(self.look.palette.histogram)
        pale = pg.mkColor(solid)
        pale.setAlpha(90)
        self._bars("Z1", [(it.forward.Z1[:, i], pale, -0.2), (it.forward.A1[:, i], solid, 0.2)], hidden)
        self._bars("Z2", [(it.forward.Z2[:, i], solid, 0.0)], 10, label)
        self._bars("A2", [(A2, solid, 0.0)], 10, label)
        self.contribution.show(
            dW1_of_example(it.grads.dZ1, X, i),
            unit_labels(hidden),
        )

    def _bars(self, key: str, series: list, count: int, marked: int | None = None) -> None:
        plot = self.bars[key]
        plot.clear()
        width = 0.4 if len(series) > 1 else 0.8
        for values, colour, shift in series:
            brushes = [self.look.palette.selected if j == marked else colour for j in range(count)]
            bars = pg.BarGraphItem(x=np.arange(count) + shift, height=values, width=width, brushes=brushes)
            plot.addItem(bars)
        plot.getAxis("bottom").setTicks([[(j, str(j)) for j in range(0, count, max(1, count // 16))]])
