"""Where each part of the window sits: the sidebar, the curves, and the views in tabs.

The splitters can be dragged (and are remembered between launches); lecture mode hides the
sidebar and gives the plots fixed proportions of the screen. A new view is a page of `ViewTabs`.
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QFrame,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

SIDEBAR_WIDTH = 290  # at zoom 1; it grows with the type
SIDEBAR_SHARE = 0.34  # of the window's width, at most


class ViewTabs(QTabWidget):
    """The views beside the curves, one page each (the tabs show once there are two)."""

    def __init__(self) -> None:
        super().__init__()
        self.setTabBarAutoHide(True)
        self.setDocumentMode(True)
        self.pages: dict[str, QWidget] = {}

    def add_page(self, name: str, title: str, page: QWidget) -> None:
        self.pages[name] = page
        self.addTab(page, title)

    def show_page(self, name: str) -> None:
        self.setCurrentWidget(self.pages[name])


class ProportionalSplitter(QSplitter):
    """Keeps its parts' shares of its length as it grows or shrinks (a window moved from a 1920-pixel
    screen to a 1024-pixel projector keeps its proportions), until the user drags a handle."""

    def __init__(self, orientation: Qt.Orientation, shares: tuple[float, ...]) -> None:
        super().__init__(orientation)
        self.shares = shares
        self.proportional = True
        self.splitterMoved.connect(self._dragged)

    def apply_shares(self) -> None:
        total = sum(self.sizes())
        if total > 0:
            self.setSizes([int(total * share) for share in self.shares])

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.proportional:
            self.apply_shares()

    def _dragged(self) -> None:
        self.proportional = False


class Sidebar(QScrollArea):
    """The controls, scrolling rather than cut off when the type is large or the screen small."""

    def __init__(self, parts: list[QWidget]) -> None:
        super().__init__()
        self.setObjectName("sidebar")
        content = QWidget()
        content.setObjectName("sidebar")
        column = QVBoxLayout(content)
        for part in parts:
            column.addWidget(part)
        column.addStretch(1)
        self.setWidget(content)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        self.fit(1.0, SIDEBAR_WIDTH / SIDEBAR_SHARE)

    def fit(self, zoom: float, window_width: int) -> None:
        """As wide as the type needs, but never more than a share of the window."""
        width = min(int(SIDEBAR_WIDTH * zoom), int(window_width * SIDEBAR_SHARE))
        self.setFixedWidth(width + self.verticalScrollBar().sizeHint().width())


class Layout:
    """sidebar | curves (loss over accuracy) | views; `central` is the window's central widget."""

    def __init__(
        self,
        header: list[QWidget],
        sidebar_parts: list[QWidget],
        curves: list[QWidget],
        weights: list[QWidget],
    ) -> None:
        self.sidebar = Sidebar(sidebar_parts)
        self.curves_split = ProportionalSplitter(Qt.Orientation.Vertical, (0.5, 0.5))
        for curve in curves:
            self.curves_split.addWidget(curve)
        filters, output_weights, activations = weights
        self.lower_split = ProportionalSplitter(Qt.Orientation.Horizontal, (0.4, 0.6))  # W2 | activations
        self.lower_split.addWidget(output_weights)
        self.lower_split.addWidget(activations)
        self.weights_split = ProportionalSplitter(Qt.Orientation.Vertical, (0.53, 0.47))
        self.weights_split.addWidget(filters)
        self.weights_split.addWidget(self.lower_split)
        self.views = ViewTabs()
        self.views.add_page("weights", "Weights", self.weights_split)
        self.main_split = ProportionalSplitter(Qt.Orientation.Horizontal, (0.42, 0.58))  # curves | views
        self.main_split.addWidget(self.curves_split)
        self.main_split.addWidget(self.views)
        self.body = QSplitter(Qt.Orientation.Horizontal)
        self.body.addWidget(self.sidebar)
        self.body.addWidget(self.main_split)
        self.body.setStretchFactor(1, 1)
        self.body.setCollapsible(1, False)
        self.central = QWidget()
        column = QVBoxLayout(self.central)
        column.setContentsMargins(4, 4, 4, 0)
        column.setSpacing(2)
        for part in header:
            column.addWidget(part)
        column.addWidget(self.body, 1)

    def splitters(self) -> dict[str, ProportionalSplitter]:
        return {
            "curves": self.curves_split,
            "lower": self.lower_split,
            "weights": self.weights_split,
            "main": self.main_split,
        }

    def proportion(self) -> None:
        """Every splitter back to its default shares (lecture mode's layout, whatever the screen)."""
        for splitter in self.splitters().values():
            splitter.apply_shares()

    def save(self, settings: QSettings) -> None:
        for name, splitter in self.splitters().items():
            settings.setValue(f"window/split_{name}", splitter.saveState())

    def restore(self, settings: QSettings) -> None:
        """The splitters as the user left them; anything unreadable keeps the default proportions."""
        for name, splitter in self.splitters().items():
            state = settings.value(f"window/split_{name}")
            if state is not None:
                with contextlib.suppress(TypeError):  # not a byte array: a damaged settings file
                    splitter.proportional = not splitter.restoreState(state)
