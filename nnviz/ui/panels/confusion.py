"""Where the network is wrong: the confusion matrix of a split, live, its accuracy per digit and its
past; under it, the gallery of the digits behind any cell.

Everything counted here was counted in the training thread (nnviz/engine/evaluation.py, at each
evaluation); this view only colours and writes it.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF
from PySide6.QtWidgets import QComboBox, QSlider, QSplitter, QVBoxLayout, QWidget

from nnviz.engine.evaluation import accuracy_per_digit
from nnviz.engine.network import OUTPUTS
from nnviz.ui.digit_tiles import RIGHT, WRONG
from nnviz.ui.labels import FittedLabel
from nnviz.ui.look import LABEL_POINTS, TICK_POINTS, Look, style_plot
from nnviz.ui.panels.base import Panel
from nnviz.ui.panels.gallery import Gallery
from nnviz.ui.placed_text import Frame, Placed, PlacedText
from nnviz.worker import Choose, Command, Evaluate
from nnviz.worker.snapshot import Snapshot

SPLITS = (("dev", "dev digits"), ("train", "training digits"))
STRONG = 0.55  # a cell coloured more than this carries its count in white
WIDE = 1.2  # a page this many times wider than high shows the gallery beside the matrix
BAR_PAD = 6  # pixels between a share and its bar's end
CAPTION = (
    "Rows: the true digit; columns: what the network predicts. Colour: the share of the row (green on "
    "the diagonal, right; orange off it, on a square-root scale so that few mistakes show). Click a cell "
    "for its digits, a digit to follow it through the network."
)
DIGIT_TICKS = [[(d + 0.5, str(d)) for d in range(OUTPUTS)]]


def cell_colours(confusion: np.ndarray, background: str) -> tuple[np.ndarray, np.ndarray]:
    """RGBA (10, 10, 4) of each cell, and how strongly each is coloured (0-1): by the share of its
    row, so that a rare digit reads like a common one."""
    totals = confusion.sum(axis=1, keepdims=True)
    share = confusion / np.maximum(totals, 1)
    diagonal = np.eye(OUTPUTS, dtype=bool)
    strength = np.where(diagonal, share, np.sqrt(share))
    rgb = {
        name: np.array(QColor(c).getRgb()[:3], dtype=float)
        for name, c in (("bg", background), ("right", RIGHT), ("wrong", WRONG))
    }
    hue = np.where(diagonal[..., None], rgb["right"], rgb["wrong"])
    colours = np.empty((OUTPUTS, OUTPUTS, 4), dtype=np.uint8)
    colours[..., :3] = np.rint(rgb["bg"] + (hue - rgb["bg"]) * strength[..., None])
    colours[..., 3] = 255
    return colours, strength


def describe_cell(confusion: np.ndarray, true: int, predicted: int) -> str:
    """What a cell holds, in words: "true 4, predicted 9: 23 digits (4.6 % of the 4s)"."""
    count, total = int(confusion[true, predicted]), int(confusion[true].sum())
    share = f"{count / total:.1%}".replace("%", " %") if total else "no such digits"
    digits = f"{count:,} digit{'' if count == 1 else 's'}"
    return f"true {true}, predicted {predicted}: {digits} ({share} of the {true}s)"


def describe_matrix(confusion: np.ndarray, split: str, iteration: int, live: bool = True) -> str:
    """The whole matrix in one line: when, how many are right, and the commonest confusion."""
    total, right = int(confusion.sum()), int(np.trace(confusion))
    when = f"at iteration {iteration:,}" if live else f"back at iteration {iteration:,} (slider right: live)"
    text = f"{split} {when}: {right:,} of {total:,} right ({right / max(total, 1):.1%})"
    mistakes = confusion * ~np.eye(OUTPUTS, dtype=bool)
    if mistakes.any():
        true, predicted = np.unravel_index(np.argmax(mistakes), mistakes.shape)
        text += f"; most often confused: {true} taken for {predicted} ({mistakes[true, predicted]:,} times)"
    return text.replace("%", " %")


class ConfusionPanel(Panel):
    """`send` takes worker commands (Evaluate for the split, Choose for a clicked digit)."""

    def __init__(self, send: Callable[[Command], object]) -> None:
        super().__init__("Confusion matrix", CAPTION)
        self.send = send
        self.split = QComboBox()
        self.split.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys stay the window's shortcuts
        for name, text in SPLITS:
            self.split.addItem(text, name)
        self.split.currentIndexChanged.connect(lambda: self.send(Evaluate(self.split.currentData())))

        self.matrix = self.graphics.addPlot(row=0, col=0)
        self.per_digit = self.graphics.addPlot(row=0, col=1)
        self.graphics.ci.layout.setColumnStretchFactor(0, 3)
        self.graphics.ci.layout.setColumnStretchFactor(1, 1)
        for plot in (self.matrix, self.per_digit):
            plot.setMouseEnabled(False, False)
            plot.hideButtons()
            plot.setMenuEnabled(False)
            plot.invertY(True)
            plot.getAxis("left").setTicks(DIGIT_TICKS)
        self.matrix.setLabel("left", "true digit")
        self.matrix.setLabel("bottom", "predicted digit")
        self.matrix.getAxis("bottom").setTicks(DIGIT_TICKS)
        self.matrix.setRange(xRange=(0, OUTPUTS), yRange=(0, OUTPUTS), padding=0)
        self.cells = pg.ImageItem()
        self.numbers = PlacedText(fit=(0.9, 0.6))
        self.matrix.addItem(self.cells)
        self.matrix.addItem(self.numbers, ignoreBounds=True)
        self.per_digit.setYLink(self.matrix)
        self.per_digit.setLabel("bottom", "right")
        self.per_digit.setXRange(0, 1.0, padding=0.03)
        self.per_digit.hideAxis("left")  # its rows are the matrix's, beside it
        self.per_digit.getAxis("bottom").setTicks([[(v, f"{v:.0%}") for v in (0.0, 0.5, 1.0)]])
        self.bars = pg.BarGraphItem(
            x0=np.zeros(OUTPUTS), y=np.arange(OUTPUTS) + 0.5, height=0.7, width=np.zeros(OUTPUTS)
        )
        self.bar_numbers = PlacedText()
        self.per_digit.addItem(self.bars)
        self.per_digit.addItem(self.bar_numbers, ignoreBounds=True)
        self.per_digit.vb.sigResized.connect(lambda: self._redraw())  # the shares' places depend on the width

        self.past = QSlider(Qt.Orientation.Horizontal)
        self.past.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # arrows step training, as everywhere
        self.past.setToolTip(
            "Drag to an earlier evaluation: which confusions go away first? Right end: live."
        )
        self.past.valueChanged.connect(self._moved_in_time)
        self.past.setMinimumWidth(80)
        self.header.addWidget(self.past, 1)
        self.header.addWidget(self.split)
        self.readout = FittedLabel(lines=2)  # the cell under the mouse, or the whole matrix in a line
        self.gallery = Gallery(lambda split, index: self.send(Choose(split, index)))

        self.split_view = QSplitter()  # the matrix above its gallery, or beside it on a wide page
        self.layout().replaceWidget(self.graphics, self.split_view)
        top = QWidget()
        column = QVBoxLayout(top)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.graphics, 1)
        column.addWidget(self.readout)
        self.split_view.addWidget(top)
        self.split_view.addWidget(self.gallery)
        self._orient()

        self.graphics.scene().sigMouseMoved.connect(self._hovered)
        self.graphics.scene().sigMouseClicked.connect(self._clicked)
        self._snapshot: Snapshot | None = None
        self._following = True  # the slider at its right end: the live matrix
        self._past_iteration = 0  # the evaluation shown while not following
        self._drawn: tuple | None = None  # what the matrix shows: (run, split, iteration)
        self._shown = np.zeros((OUTPUTS, OUTPUTS), dtype=int)
        self._marked: tuple[int, int] | None = None  # the cell whose digits the gallery shows
        self._look = Look()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._orient()

    def _orient(self) -> None:
        """Side by side on a wide page (a projector's), one above the other on a tall one; the
        parts' shares start afresh when the orientation turns."""
        wide = self.width() > WIDE * self.height()
        orientation = Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical
        if orientation != self.split_view.orientation() or not any(self.split_view.sizes()):
            self.split_view.setOrientation(orientation)
            length = self.width() if wide else self.height()
            shares = (0.56, 0.44) if wide else (0.58, 0.42)
            self.split_view.setSizes([int(length * share) for share in shares])

    # --- a frame ---

    def update_items(self, snapshot: Snapshot) -> None:
        self._snapshot = snapshot
        self._fit_slider(snapshot)
        split, iteration, confusion = self._matrix_to_show(snapshot)
        if (snapshot.run, split, iteration) != self._drawn:
            self._drawn = (snapshot.run, split, iteration)
            self._draw(confusion, split, iteration)
        self.gallery.show_evaluation(snapshot.evaluation, snapshot.evaluated_split, snapshot.example)

    def restart(self) -> None:
        """A new run (a reset, new data): it has a past of its own, so the slider goes back to live."""
        self._following = True

    def _matrix_to_show(self, snapshot: Snapshot) -> tuple[str, int, np.ndarray | None]:
        """The live evaluation's matrix, or the past one the slider points at (dev keeps its past)."""
        evaluation, past = snapshot.evaluation, snapshot.confusions
        if not self._following and snapshot.evaluated_split == "dev" and past is not None and len(past):
            position = past.at(self._past_iteration)
            return "dev", int(past.iterations[position]), past.matrices[position]
        if evaluation is None:
            return snapshot.evaluated_split, -1, None
        return snapshot.evaluated_split, evaluation.iteration, evaluation.confusion

    def _fit_slider(self, snapshot: Snapshot) -> None:
        """Positions 0 .. n-1 are the kept past evaluations, n the live one."""
        past = snapshot.confusions
        kept = len(past) if past is not None and snapshot.evaluated_split == "dev" else 0
        self.past.setEnabled(kept > 1)
        self.past.blockSignals(True)
        self.past.setMaximum(max(kept, 1))  # no past to go back to: held at its right end, live
        if self._following or not kept:
            self.past.setValue(self.past.maximum())
        else:
            self.past.setValue(past.at(self._past_iteration))
        self.past.blockSignals(False)

    def _moved_in_time(self, position: int) -> None:
        snapshot = self._snapshot
        if snapshot is None or snapshot.confusions is None:
            return
        self._following = position >= self.past.maximum()
        if not self._following:
            self._past_iteration = int(snapshot.confusions.iterations[position])
        self.update_items(snapshot)

    def _draw(self, confusion: np.ndarray | None, split: str, iteration: int) -> None:
        palette = self._look.palette
        if confusion is None:
            self._shown = np.zeros((OUTPUTS, OUTPUTS), dtype=int)
            self.cells.clear()
            self.numbers.set_texts([], QRectF())
            self.bars.setOpts(width=np.zeros(OUTPUTS))
            self.bar_numbers.set_texts([], QRectF())
            self.readout.setText(f"{split}: not evaluated yet")
            return
        self._shown = confusion
        colours, strength = cell_colours(confusion, palette.background)
        self.cells.setImage(colours, autoLevels=False, levels=(0, 255))
        texts = [
            Placed(
                p + 0.5, t + 0.5, f"{confusion[t, p]:,}", self._count_colour(confusion[t, p], strength[t, p])
            )
            for t in range(OUTPUTS)
            for p in range(OUTPUTS)
        ]
        frames = [Frame(QRectF(d, d, 1, 1), palette.ink, 1.0) for d in range(OUTPUTS)]  # the diagonal
        if self._marked is not None:
            t, p = self._marked
            frames.append(Frame(QRectF(p, t, 1, 1), palette.selected, 3.0 * self._look.zoom))
        self.numbers.set_texts(texts, QRectF(0, 0, OUTPUTS, OUTPUTS), frames)
        shares = accuracy_per_digit(confusion)  # NaN for a digit with no examples
        self.bars.setOpts(width=np.nan_to_num(shares))
        self._fit_bar_font()
        numbers = [self._bar_number(d, share) for d, share in enumerate(shares)]
        self.bar_numbers.set_texts(numbers, QRectF(0, 0, 1, OUTPUTS))
        self.readout.setText(describe_matrix(confusion, split, iteration, self._following))

    def _bar_number(self, digit: int, share: float) -> Placed:
        """The share written inside the end of a bar that has room for it, else just past it."""
        if np.isnan(share):
            return Placed(0.02, digit + 0.5, "no such digits", self._look.palette.muted, align="left")
        text = f"{share:.0%}"
        plot_width = max(self.per_digit.vb.width(), 1.0)
        if share * plot_width >= QFontMetricsF(self.bar_numbers.font).horizontalAdvance(text) + BAR_PAD:
            return Placed(share - 0.02, digit + 0.5, text, "#ffffff", align="right")
        return Placed(share + 0.02, digit + 0.5, text, self._look.palette.ink, align="left")

    def _fit_bar_font(self) -> None:
        """The shares' type as the look asks, or smaller until "100%" fits half the plot: then each
        share has room inside its bar or past it (a narrow plot on a projector has neither)."""
        font = self._look.font(TICK_POINTS)
        widest = QFontMetricsF(font).horizontalAdvance("100%") + BAR_PAD
        half = max(self.per_digit.vb.width(), 1.0) * 0.46  # the 0.02 gaps aside
        if widest > half:
            font.setPointSizeF(max(1.0, font.pointSizeF() * half / widest))
        self.bar_numbers.set_font(font)

    def _count_colour(self, count: int, strength: float) -> str:
        palette = self._look.palette
        if strength > STRONG:
            return "#ffffff"
        return palette.ink if count else palette.reference

    # --- the mouse ---

    def cell_at(self, scene_position) -> tuple[int, int] | None:
        """(true, predicted) of the cell under a point of the scene, or None."""
        if not self.matrix.vb.sceneBoundingRect().contains(scene_position):
            return None
        point = self.matrix.vb.mapSceneToView(scene_position)
        true, predicted = int(np.floor(point.y())), int(np.floor(point.x()))
        return (true, predicted) if 0 <= true < OUTPUTS and 0 <= predicted < OUTPUTS else None

    def _hovered(self, scene_position) -> None:
        cell = self.cell_at(scene_position)
        if cell is not None:
            self.readout.setText(describe_cell(self._shown, *cell))
        elif self._drawn is not None:
            split, iteration = self._drawn[1:]
            summary = describe_matrix(self._shown, split, iteration, self._following)
            self.readout.setText(summary if iteration >= 0 else "")

    def _clicked(self, event) -> None:
        cell = self.cell_at(event.scenePos())
        if cell is not None and event.button() == Qt.MouseButton.LeftButton:  # right: the picture menu
            self.show_cell(*cell)

    def show_cell(self, true: int, predicted: int) -> None:
        """The cell marked, its digits in the gallery (those of the live evaluation)."""
        self._marked = (true, predicted)
        self.gallery.show_cell(true, predicted)
        self._redraw()

    def _redraw(self) -> None:
        self._drawn = None
        if self._snapshot is not None:
            self.update_items(self._snapshot)

    # --- the look ---

    def restyle(self, look: Look) -> None:
        self._look = look
        for plot in (self.matrix, self.per_digit):
            style_plot(plot, look)
        for side in ("left", "bottom"):  # no ticks reaching into the first cells
            self.matrix.getAxis(side).setStyle(tickLength=0)
        self.numbers.set_font(look.font(LABEL_POINTS))
        self.bars.setOpts(brush=pg.mkBrush(RIGHT), pen=pg.mkPen(None))
        self.gallery.apply_look(look)
        self._redraw()
