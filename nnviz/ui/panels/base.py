"""A panel: a title, a pyqtgraph area and a one-line caption that says how to read it."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtWidgets import QCheckBox, QGraphicsView, QHBoxLayout, QVBoxLayout, QWidget

from nnviz.ui.labels import FittedLabel
from nnviz.ui.look import Look, style_check_box
from nnviz.worker.snapshot import Snapshot

CAPTION_LINES = 2


class Panel(QWidget):
    """Subclasses build their pyqtgraph items once, update them in `update_items`, restyle them in
    `restyle` (a new look: zoom, lecture mode, projector theme) and forget the last run's scales
    and ranges in `restart`."""

    # While training runs free, draw one frame in this many. The curves are the motion and draw
    # every frame; pictures that change slowly (weights, histograms) take turns, each a third of
    # the frames (10 a second): the eye sees no difference, a frame costs a third as much of them.
    motion_every = 1

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
        self._run = 0

    def set_title(self, title: str) -> None:
        """A new title only when it says something new: setting one re-lays out the header."""
        if self.title.full_text != title:
            self.title.setText(title)

    def show_snapshot(self, snapshot: Snapshot) -> None:
        if snapshot.run != self._run:  # a reset or new data
            self._run = snapshot.run
            self.restart()
        self.update_items(snapshot)
        self.frames_shown += 1

    def update_items(self, snapshot: Snapshot) -> None:
        raise NotImplementedError

    def restart(self) -> None:
        """A new run: its scales and ranges start afresh, not from where the last run left them."""
        raise NotImplementedError

    def apply_look(self, look: Look) -> None:
        self.graphics.setBackground(look.palette.background)
        for box in self.findChildren(QCheckBox):
            style_check_box(box, look)
        self.restyle(look)

    def restyle(self, look: Look) -> None:
        raise NotImplementedError
