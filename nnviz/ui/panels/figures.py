"""The big, glanceable numbers above the plots."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QWidget

from nnviz.ui.look import Look
from nnviz.worker.snapshot import Snapshot

VALUE_POINTS, CAPTION_POINTS = 22.0, 11.0  # at zoom 1


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


def _loss(value: float | None) -> str:
    return "–" if value is None else f"{value:.4f}"


FIGURES = (
    # key, caption, text of a snapshot, widest text expected (sets the label's width)
    ("iteration", "Iteration", lambda s: f"{s.iteration:,}", "000,000"),
    ("alpha", "α (learning rate)", lambda s: f"{s.alpha:.3g}", "0.000123"),  # exact: in its field
    (
        "speed",
        "Iterations / s",
        lambda s: f"{s.iterations_per_second:,.0f}" if s.running else "paused",
        "paused",
    ),
    ("train_loss", "Train loss", lambda s: _loss(s.windowed("train_loss")), "0.0000"),
    ("dev_loss", "Dev loss", lambda s: _loss(s.last("dev_loss")), "0.0000"),
    ("train_accuracy", "Train accuracy", lambda s: _percent(s.windowed("train_accuracy")), "100.0%"),
    ("dev_accuracy", "Dev accuracy", lambda s: _percent(s.last("dev_accuracy")), "100.0%"),
)
WINDOWED = ("train_loss", "train_accuracy")  # of mini-batches: a mean over recent batches, which says so


def window_note(snapshot: Snapshot) -> str:
    """What a windowed figure averages, in a few words ('' with full batches: nothing is averaged)."""
    return f"mean of last {snapshot.window_examples:,}" if snapshot.mean_window > 1 else ""


def window_tip(snapshot: Snapshot) -> str:
    if snapshot.batch_size >= snapshot.train_examples:
        return "On every training example, at the current parameters."
    if snapshot.mean_window == 1:  # batches of ~1,000 or more: each is figure enough on its own
        return f"On the next batch of {snapshot.batch_size:,} training examples, at the current parameters."
    return (
        f"The mean over the last {snapshot.mean_window:,} batches of {snapshot.batch_size:,} "
        f"({snapshot.window_examples:,} training examples): one batch's figure is mostly noise."
    )


class FiguresBar(QWidget):
    """A caption over a large value for each figure; only the texts change per frame.

    The type is as large as the look asks, unless the figures would not fit the window's width
    (a 1024-pixel projector, lecture zoom): then all of it shrinks alike, down to half size.
    Each column's width is fixed by its widest expected text, so no new number moves the layout.
    """

    SPACING = 24
    SMALLEST = 0.5  # of the look's type size
    motion_every = 1  # the numbers move every frame (as the panels' do: panels/base.py)

    def __init__(self) -> None:
        super().__init__()
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(8, 2, 8, 2)
        self.grid.setHorizontalSpacing(self.SPACING)
        self.grid.setVerticalSpacing(0)
        self.values: dict[str, QLabel] = {}
        self.captions: dict[str, QLabel] = {}
        for column, (key, caption, _, _) in enumerate(FIGURES):
            caption_label = QLabel(caption)
            caption_label.setObjectName("figureCaption")
            caption_label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom)
            value = QLabel("–")
            value.setObjectName("figureValue")
            value.setAlignment(Qt.AlignmentFlag.AlignCenter)
            for label in (caption_label, value):
                # A new number must not resize the label: that would re-lay out and repaint the window.
                label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
                self.grid.addWidget(label, 0 if label is caption_label else 1, column)
            self.values[key], self.captions[key] = value, caption_label
        self.frames_shown = 0
        self._note: str | None = None
        self.scale = 1.0  # of the look's type size, to fit the width
        self._points = (VALUE_POINTS, CAPTION_POINTS)
        self.apply_look(Look())

    def apply_look(self, look: Look) -> None:
        self._points = (look.points(VALUE_POINTS), look.points(CAPTION_POINTS))
        self._fit()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """The largest type, up to the look's, at which every figure fits the width."""
        widths = self._column_widths(1.0)
        margins = self.grid.contentsMargins()
        room = self.width() - margins.left() - margins.right() - self.SPACING * (len(FIGURES) - 1)
        scale = min(1.0, max(self.SMALLEST, room / sum(widths))) if self.width() > 0 else 1.0
        if scale != self.scale or not self.values["iteration"].styleSheet():
            self.scale = scale
            value_points, caption_points = (points * scale for points in self._points)
            for key in self.values:
                self.values[key].setStyleSheet(f"font-size: {value_points:.1f}pt; font-weight: 600;")
                self.captions[key].setStyleSheet(f"font-size: {caption_points:.1f}pt;")
        for column, width in enumerate(self._column_widths(self.scale)):
            self.grid.setColumnStretch(column, width)
            self.grid.setColumnMinimumWidth(column, 0)

    def _column_widths(self, scale: float) -> list[int]:
        """Each figure's width at `scale`: its widest expected value or its caption."""
        value_font, caption_font = QFont(self.font()), QFont(self.font())
        value_font.setPointSizeF(self._points[0] * scale)
        value_font.setWeight(QFont.Weight.DemiBold)
        caption_font.setPointSizeF(self._points[1] * scale)
        value_metrics, caption_metrics = QFontMetrics(value_font), QFontMetrics(caption_font)
        return [
            max(value_metrics.horizontalAdvance(widest), caption_metrics.horizontalAdvance(caption)) + 8
            for _, caption, _, widest in FIGURES
        ]

    def minimumSizeHint(self) -> QSize:
        return QSize(0, super().minimumSizeHint().height())

    def show_snapshot(self, snapshot: Snapshot) -> None:
        for key, _, text, _ in FIGURES:
            label, new = self.values[key], text(snapshot)
            if label.text() != new:
                label.setText(new)
        if window_note(snapshot) != self._note:  # a new batch size: only on a new run
            self._caption_windowed(snapshot)
        self.frames_shown += 1

    def _caption_windowed(self, snapshot: Snapshot) -> None:
        """'Train loss' with full batches; with mini-batches, a second line saying what is averaged."""
        self._note = window_note(snapshot)
        for key, caption, _, _ in FIGURES:
            if key in WINDOWED:
                label = self.captions[key]
                label.setText(f"{caption}<br><small>{self._note}</small>" if self._note else caption)
                label.setToolTip(window_tip(snapshot))
                self.values[key].setToolTip(window_tip(snapshot))
