"""One hidden unit's filter, large: at h = 256 each tile is a few pixels wide.

A click on a tile opens this inset beside it, over the other tiles: the unit's 28x28 filter as
large as the panel allows, its number and the range of its values beside it (a panel on a
projector is wide and short), in the tiles' colours. It follows the weights while training runs,
and closes with Esc or a click anywhere else.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QRect, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from nnviz.engine.divergence import number
from nnviz.ui.look import Look

SIDE = 28
SMALLEST, LARGEST = 84, 480  # pixels: the picture's side (3 screen pixels a weight at the least)
TEXT_CHARACTERS = 17  # the width of the texts beside the picture: "weights from -0.197" on a line


class FilterInset(QFrame):
    """Lives over `parent` (the tiles' graphics); `unit` is the one shown, None while closed."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("filterInset")
        self.setFrameShape(QFrame.Shape.Box)
        self.unit: int | None = None
        self._beside = self._within = QRect()  # the shown unit's tile, and where the inset may go
        self.heading = QLabel()
        self.heading.setObjectName("insetHeading")
        self.range_text = QLabel()
        self.hint = QLabel("Esc or a click outside closes it")
        self.hint.setObjectName("caption")
        self.texts = (self.heading, self.range_text, self.hint)
        for label in self.texts:
            label.setWordWrap(True)  # in a column of its own, however long the numbers
        self.picture = pg.GraphicsLayoutWidget()
        self.picture.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.view = self.picture.addViewBox(lockAspect=True, invertY=True, enableMouse=False)
        self.image = pg.ImageItem()
        self.view.addItem(self.image)
        self.view.setRange(xRange=(0, SIDE), yRange=(0, SIDE), padding=0)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignTop)
        column = QVBoxLayout()
        for label in self.texts:
            column.addWidget(label)
        column.addStretch(1)
        layout.addLayout(column)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close_inset)  # only while shown
        self.hide()

    def apply_look(self, look: Look) -> None:
        self.picture.setBackground(look.palette.background)
        self.image.setColorMap(look.diverging_map())

    def open(self, unit: int, beside: QRect, within: QRect) -> None:
        """Show `unit`, next to `beside` (its tile) where there is room, inside `within` (the tiles'
        area, not their colour bar), both in the parent's coordinates; its values come with
        `show_values`."""
        self.unit, self._beside, self._within = unit, beside, within
        self.heading.setText(f"<b>unit {unit}</b>")
        self._fit()
        self.move(*self._corner(beside, within))
        if not self.isVisible():
            QApplication.instance().installEventFilter(self)  # a click anywhere else closes it
        self.show()
        self.raise_()

    def _fit(self) -> None:
        """The picture as large as the area allows beside a column of texts as wide as a few words."""
        area, layout = self._within, self.layout()
        margins, frame = layout.contentsMargins(), 2 * self.frameWidth()
        text_width = TEXT_CHARACTERS * self.range_text.fontMetrics().averageCharWidth()
        for label in self.texts:
            label.setFixedWidth(text_width)
        texts = sum(label.heightForWidth(text_width) for label in self.texts) + 2 * layout.spacing()
        across = margins.left() + margins.right() + frame + layout.spacing() + text_width
        down = margins.top() + margins.bottom() + frame
        side = int(min(LARGEST, area.height() - down, area.width() - across))
        side = max(side, SMALLEST)
        self.picture.setFixedSize(side, side)
        self.setFixedSize(side + across, max(side, texts) + down)

    def _corner(self, beside: QRect, area: QRect) -> tuple[int, int]:
        """Right of the tile if it fits, else left of it; level with it, within the area."""
        width, height = self.width(), self.height()
        x = beside.right() + 8 if beside.right() + 8 + width <= area.right() else beside.left() - 8 - width
        x = min(max(x, area.left()), max(area.right() - width, area.left()))
        y = min(max(beside.top() - height // 3, area.top()), max(area.bottom() - height, area.top()))
        return x, y

    def show_values(self, values: np.ndarray, levels: tuple[float, float], what: str) -> None:
        """The shown unit's 784 values (as of this frame), in the tiles' colour levels."""
        self.image.setImage(values.reshape(SIDE, SIDE), levels=levels, autoLevels=False)
        finite = values[np.isfinite(values)]
        span = f"from {number(finite.min())} to {number(finite.max())}" if finite.size else "not finite"
        text = f"{what} {span}"
        if self.range_text.text() != text:
            self.range_text.setText(text)
            if self.sizeHint().height() != self.height():  # the text took another line, or gave one back
                self._fit()
                self.move(*self._corner(self._beside, self._within))

    def close_inset(self) -> None:
        if self.unit is None:
            return
        self.unit = None
        QApplication.instance().removeEventFilter(self)
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """A press outside the inset closes it (a press on a tile then opens that one)."""
        pressed = event.type() == QEvent.Type.MouseButtonPress and self.unit is not None
        if pressed and not self.rect().contains(self.mapFromGlobal(event.globalPosition().toPoint())):
            self.close_inset()
        return False
