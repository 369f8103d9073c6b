"""The digits behind a confusion matrix: those of one cell, every mistake, or every digit of a class,
each with its top three guesses; a click makes one the chosen example, which the views follow."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtWidgets import QComboBox, QGraphicsView, QHBoxLayout, QScrollBar, QVBoxLayout, QWidget

from nnviz.engine.evaluation import Evaluation
from nnviz.ui.digit_tiles import (
    BAR_PITCH,
    BAR_X,
    LABEL_H,
    RIGHT,
    SIDE,
    TILE_H,
    TILE_W,
    WRONG,
    TileColours,
    bar_centre_y,
    tile_mosaic,
)
from nnviz.ui.labels import FittedLabel
from nnviz.ui.look import TICK_POINTS, Look
from nnviz.ui.placed_text import Frame, Placed, PlacedText
from nnviz.worker.snapshot import Example

# Screen pixels per tile pixel at zoom 1, growing with the fourth root of the zoom: in a lecture hall
# the digits grow, but not so much that only one fits a row; the labels shrink to fit their tiles.
TILE_SCALE = 1.6


@dataclass(frozen=True)
class Selection:
    """Which digits the gallery shows: a cell (true, predicted), the mistakes, or a digit's examples."""

    kind: str  # "cell", "confident", "unsure" or "digit"
    true: int = 0
    predicted: int = 0

    def of(self, evaluation: Evaluation) -> np.ndarray:
        if self.kind == "cell":
            return evaluation.in_cell(self.true, self.predicted)
        if self.kind == "digit":
            return evaluation.of_digit(self.true)
        return evaluation.mistakes(self.kind)

    def describe(self, count: int, split: str) -> str:
        digits = f"{count:,} {split} digit{'' if count == 1 else 's'}"
        if self.kind == "cell":
            return f"{digits}: true {self.true}, predicted {self.predicted}; most confident first"
        if self.kind == "digit":
            return f"{digits} that are {self.true}s; the hardest first (least probability on the truth)"
        order = "most confident first" if self.kind == "confident" else "the most unsure first"
        return f"{digits} predicted wrong; {order}"


FIXED_SELECTIONS = (
    ("Mistakes, most confident", Selection("confident")),
    ("Mistakes, most unsure", Selection("unsure")),
    *((f"All {d}s", Selection("digit", d)) for d in range(10)),
)


class WheelScrolls(pg.GraphicsLayoutWidget):
    """The mouse wheel scrolls the gallery (`wheeled(event)`), not the pyqtgraph view."""

    def __init__(self, wheeled: Callable) -> None:
        super().__init__()
        self.wheeled = wheeled

    def wheelEvent(self, event) -> None:
        self.wheeled(event)


class Gallery(QWidget):
    """`choose(split, index)` is called when a tile is clicked."""

    def __init__(self, choose: Callable[[str, int], object]) -> None:
        super().__init__()
        self.choose = choose
        self.selections = QComboBox()
        self.selections.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys stay the window's shortcuts
        self.selections.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.selections.setMinimumContentsLength(16)  # a narrow page elides the entries, not widens
        for text, selection in FIXED_SELECTIONS:
            self.selections.addItem(text, selection)
        self.selections.currentIndexChanged.connect(self._selection_changed)
        self.count = FittedLabel()  # what is shown, in words (never widening the page)
        self.count.setObjectName("caption")
        self.graphics = WheelScrolls(self._wheeled)
        self.graphics.setCacheMode(QGraphicsView.CacheModeFlag.CacheNone)
        self.view = self.graphics.addViewBox(invertY=True, enableMouse=False)
        self.view.setMenuEnabled(False)
        self.image = pg.ImageItem()
        self.labels = PlacedText(fit=(SIDE + 6, BAR_PITCH))  # a label over its digit, a line per bar
        self.view.addItem(self.image)
        self.view.addItem(self.labels, ignoreBounds=True)
        self.scroll = QScrollBar(Qt.Orientation.Vertical)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scroll.valueChanged.connect(self._draw)
        header = QHBoxLayout()
        header.addWidget(self.selections)
        header.addWidget(self.count, 1)
        body = QHBoxLayout()
        body.addWidget(self.graphics, 1)
        body.addWidget(self.scroll)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(header)
        column.addLayout(body, 1)
        self.view.sigResized.connect(self._fit)
        self.graphics.scene().sigMouseClicked.connect(self._clicked)
        self.graphics.scene().sigMouseMoved.connect(self._hovered)

        self.evaluation: Evaluation | None = None
        self.split = "dev"
        self.shown = np.empty(0, dtype=np.int64)  # positions in the split, in the gallery's order
        self.chosen: Example | None = None
        self.grid = (1, 1)  # rows in sight (the last maybe in part), columns
        self._look = Look()
        self._table = self._tile_colours(self._look).table()

    @property
    def selection(self) -> Selection:
        return self.selections.currentData()

    def show_cell(self, true: int, predicted: int) -> None:
        """The digits of one cell of the matrix (a new first entry of the list, chosen)."""
        text = f"True {true}, predicted {predicted}"
        if self.selections.itemData(0).kind != "cell":
            self.selections.insertItem(0, text, Selection("cell", true, predicted))
        else:
            self.selections.setItemText(0, text)
            self.selections.setItemData(0, Selection("cell", true, predicted))
        if self.selections.currentIndex() == 0:
            self._selection_changed()
        else:
            self.selections.setCurrentIndex(0)

    def show_evaluation(self, evaluation: Evaluation | None, split: str, chosen: Example | None) -> None:
        """A frame: redrawn only when the evaluation, or the chosen example, is a new one."""
        marked = self.chosen
        self.chosen = chosen
        if evaluation is not self.evaluation or split != self.split:
            self.evaluation, self.split = evaluation, split
            self._select()
        elif _where(chosen) != _where(marked):
            self._draw()

    def apply_look(self, look: Look) -> None:
        self._look = look
        self._table = self._tile_colours(look).table()
        self.graphics.setBackground(look.palette.background)
        self.labels.set_font(look.font(TICK_POINTS))
        self._fit()

    # --- what is shown ---

    def _selection_changed(self) -> None:
        self.scroll.setValue(0)
        self._select()

    def _select(self) -> None:
        """The positions the selection holds now, in its order; the scroll position is kept."""
        if self.evaluation is None:
            self.shown = np.empty(0, dtype=np.int64)
            self.count.setText("no evaluation yet")
        else:
            self.shown = self.selection.of(self.evaluation)
            said = self.selection.describe(self.shown.size, self.split)
            self.count.setText(f"{said} (iteration {self.evaluation.iteration:,})")
        self._fit_scroll()
        self._draw()

    def _fit(self) -> None:
        """A new size or zoom: as many columns as fit at the tile scale, and the rows in sight."""
        width, height = max(self.view.width(), 1.0), max(self.view.height(), 1.0)
        columns = max(1, int(width // (TILE_W * TILE_SCALE * self._look.zoom**0.25)))
        scale = width / (columns * TILE_W)
        self.grid = (max(1, math.ceil(height / (TILE_H * scale))), columns)
        self.view.setRange(QRectF(0, 0, width / scale, height / scale), padding=0)
        self._fit_scroll()
        self._draw()

    def _fit_scroll(self) -> None:
        rows, columns = self.grid
        whole_rows_in_sight = max(1, rows - 1)
        self.scroll.setPageStep(whole_rows_in_sight)
        self.scroll.setMaximum(max(0, math.ceil(self.shown.size / columns) - whole_rows_in_sight))

    def _in_sight(self) -> np.ndarray:
        rows, columns = self.grid
        first = self.scroll.value() * columns
        return self.shown[first : first + rows * columns]

    def _draw(self) -> None:
        evaluation, positions = self.evaluation, self._in_sight()
        if evaluation is None:
            positions = positions[:0]
            digits = probabilities = np.empty((3, 0))
            X, labels = np.empty((SIDE * SIDE, 0)), np.empty(0, dtype=np.int64)
        else:
            top_digits, top_probabilities = evaluation.top
            digits, probabilities = top_digits[:, positions], top_probabilities[:, positions]
            X, labels = evaluation.X[:, positions], evaluation.labels[positions]
        mosaic = tile_mosaic(X, labels, digits, probabilities, self.grid, self._table)
        self.image.setImage(mosaic, autoLevels=False, levels=(0, 255))
        self._label(positions, labels, digits)

    def _label(self, positions: np.ndarray, labels: np.ndarray, digits: np.ndarray) -> None:
        palette = self._look.palette
        texts, frames = [], []
        columns = self.grid[1]
        chosen = _where(self.chosen)
        for n, (position, label) in enumerate(zip(positions, labels, strict=True)):
            row, column = divmod(n, columns)
            x, y = column * TILE_W, row * TILE_H
            guess = int(digits[0, n])
            texts.append(
                Placed(
                    x + SIDE / 2,
                    y + LABEL_H / 2,
                    f"{label} → {guess}",
                    palette.ink if guess == label else WRONG,
                )
            )
            for rank in range(digits.shape[0]):
                texts.append(
                    Placed(x + BAR_X - 5, y + bar_centre_y(rank), str(int(digits[rank, n])), palette.muted)
                )
            if chosen == (self.split, int(position)):
                frames.append(
                    Frame(QRectF(x - 2, y, TILE_W - 2, TILE_H - 2), palette.selected, 2.5 * self._look.zoom)
                )
        rows = self.grid[0]
        self.labels.set_texts(texts, QRectF(0, 0, columns * TILE_W, rows * TILE_H), frames)

    def _tile_colours(self, look: Look) -> TileColours:
        palette = look.palette
        return TileColours(palette.background, palette.ink, RIGHT, palette.reference)

    # --- the mouse ---

    def tile_at(self, scene_position) -> int | None:
        """The position in the split of the example under a point of the scene, or None."""
        if self.evaluation is None:
            return None
        point = self.view.mapSceneToView(scene_position)
        column, row = int(point.x() // TILE_W), int(point.y() // TILE_H)
        if point.x() < 0 or point.y() < 0 or column >= self.grid[1]:
            return None
        n = row * self.grid[1] + column
        positions = self._in_sight()
        return int(positions[n]) if n < positions.size else None

    def _clicked(self, event) -> None:
        position = self.tile_at(event.scenePos())
        if position is not None and event.button() == Qt.MouseButton.LeftButton:  # right: the picture menu
            self.choose(self.split, position)

    def _hovered(self, scene_position) -> None:
        position = self.tile_at(scene_position)
        self.graphics.setToolTip("" if position is None else self._describe(position))

    def _describe(self, position: int) -> str:
        evaluation = self.evaluation
        digits, probabilities = evaluation.top
        guesses = ", ".join(
            f"{d} ({p:.1%})" for d, p in zip(digits[:, position], probabilities[:, position], strict=True)
        )
        return (
            f"{self.split} digit #{position}: true {evaluation.labels[position]}; guesses {guesses}. "
            "Click: the views follow this digit."
        )

    def _wheeled(self, event) -> None:
        steps = -event.angleDelta().y() / 120
        self.scroll.setValue(self.scroll.value() + round(steps * max(1, self.scroll.pageStep() // 2)))
        event.accept()


def _where(example: Example | None) -> tuple[str, int] | None:
    return None if example is None or example.index is None else (example.source, example.index)
