"""A panel: a title, a pyqtgraph area and a one-line caption that says how to read it."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtWidgets import QGraphicsView, QHBoxLayout, QVBoxLayout, QWidget

from nnviz.ui.labels import FittedLabel
from nnviz.ui.look import Look
from nnviz.worker.snapshot import Snapshot

CAPTION_LINES = 2


class Panel(QWidget):
    """Subclasses build their pyqtgraph items once, update them in `update_items` and restyle
    them in `restyle` (a new look: zoom, lecture mode, projector theme)."""

    def __init__(self, title: str, caption: str) -> None:
        super().__init__()
        self.title = FittedLabel(title)  # on a narrow projector screen: what fits, the rest in its tooltip
        self.title.setObjectName("panelTitle")
        self.header = QHBoxLayout()
        self.header.addWidget(self.title, 1)
        self.graphics = pg.GraphicsLayoutWidget()
        # Every frame changes most of a view: caching its background and collecting exact dirty
        # regions cost more than they save (~0.4 ms a frame, the same picture; BENCHMARKS.md).
        self.graphics.setCacheMode(QGraphicsView.CacheModeFlag.CacheNone)
        self.graphics.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.BoundingRectViewportUpdate)
        self.caption = FittedLabel(caption, lines=CAPTION_LINES)  # larger type must not squeeze the plot
        self.caption.setObjectName("caption")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(2)
        layout.addLayout(self.header)
        layout.addWidget(self.graphics, 1)
        layout.addWidget(self.caption)
        self.frames_shown = 0

    def show_snapshot(self, snapshot: Snapshot) -> None:
        self.update_items(snapshot)
        self.frames_shown += 1

    def update_items(self, snapshot: Snapshot) -> None:
        raise NotImplementedError

    def apply_look(self, look: Look) -> None:
        self.graphics.setBackground(look.palette.background)
        self.restyle(look)

    def restyle(self, look: Look) -> None:
        raise NotImplementedError
