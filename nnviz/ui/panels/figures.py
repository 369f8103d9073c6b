"""The big, glanceable numbers above the plots."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QWidget

from nnviz.worker.snapshot import Snapshot


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


def _loss(value: float | None) -> str:
    return "–" if value is None else f"{value:.4f}"


FIGURES = (
    # key, caption, text of a snapshot, widest text expected (sets the label's width)
    ("iteration", "Iteration", lambda s: f"{s.iteration:,}", "000,000"),
    ("alpha", "α (learning rate)", lambda s: f"{s.alpha:g}", "0.0001"),
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
    if snapshot.mean_window == 1:
        return "On every training example, at the current parameters."
    return (
        f"The mean over the last {snapshot.mean_window:,} batches of {snapshot.batch_size:,} "
        f"({snapshot.window_examples:,} training examples): one batch's figure is mostly noise."
    )


class FiguresBar(QWidget):
    """A caption over a large value for each figure; only the texts change per frame."""

    def __init__(self) -> None:
        super().__init__()
        layout = QGridLayout(self)
        layout.setContentsMargins(8, 2, 8, 2)
        layout.setHorizontalSpacing(24)
        layout.setVerticalSpacing(0)
        self.values: dict[str, QLabel] = {}
        self.captions: dict[str, QLabel] = {}
        self._widest: dict[str, str] = {}
        for column, (key, caption, _, widest) in enumerate(FIGURES):
            caption_label = QLabel(caption)
            caption_label.setObjectName("figureCaption")
            caption_label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom)
            value = QLabel("–")
            value.setObjectName("figureValue")
            value.setAlignment(Qt.AlignmentFlag.AlignCenter)
            # A new number must not resize the label: that would re-lay out and repaint the whole window.
            value.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            layout.addWidget(caption_label, 0, column)
            layout.addWidget(value, 1, column)
            self.values[key], self.captions[key] = value, caption_label
            self._widest[key] = widest
        self.frames_shown = 0
        self._note = None
        self._fit_widths()

    def _fit_widths(self) -> None:
        """Wide enough for the widest expected text, fixed, so no new number moves the layout."""
        for key, label in self.values.items():
            label.ensurePolished()
            label.setMinimumWidth(label.fontMetrics().horizontalAdvance(self._widest[key]) + 8)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() in (event.Type.StyleChange, event.Type.FontChange) and self._widest:
            self._fit_widths()

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
