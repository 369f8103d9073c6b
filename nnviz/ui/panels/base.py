"""A panel: a title, a pyqtgraph area and a one-line caption that says how to read it."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from nnviz.engine.snapshot import Snapshot


class Panel(QWidget):
    """Subclasses build their pyqtgraph items once and update them in `show_snapshot`."""

    def __init__(self, title: str, caption: str) -> None:
        super().__init__()
        self.title = QLabel(f"<b>{title}</b>")
        self.header = QHBoxLayout()
        self.header.addWidget(self.title)
        self.header.addStretch(1)
        self.graphics = pg.GraphicsLayoutWidget()
        self.caption = QLabel(caption)
        self.caption.setWordWrap(True)
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
