"""The smoothing slider above the curves: TensorBoard's weight, 0 (none) to 0.999."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QWidget

from nnviz.ui.smoothing import WEIGHT_RANGE

STEPS = 1000  # the slider's positions: weight = position / STEPS


class SmoothingControl(QWidget):
    """Emits `changed(weight)` when the slider is let go (or moved by a click or a key): smoothing a
    long run again costs a few tens of milliseconds, too much for every pixel of a drag."""

    changed = Signal(float)

    def __init__(self) -> None:
        super().__init__()
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(round(WEIGHT_RANGE[0] * STEPS), round(WEIGHT_RANGE[1] * STEPS))
        self.slider.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys stay the window's shortcuts
        self.slider.setFixedWidth(90)
        self.slider.setToolTip(
            "Smooth the training curves as TensorBoard does (exponential moving average, debiased); "
            "the raw curve stays faint behind"
        )
        self.label = QLabel()
        self.label.setMinimumWidth(self.label.fontMetrics().horizontalAdvance("smoothing 0.999 "))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label)
        row.addWidget(self.slider)
        self.slider.valueChanged.connect(self._moved)
        self.slider.sliderReleased.connect(lambda: self.changed.emit(self.weight))
        self._moved(self.slider.value())

    @property
    def weight(self) -> float:
        return self.slider.value() / STEPS

    def set_weight(self, weight: float) -> None:
        self.slider.setValue(round(weight * STEPS))

    def _moved(self, _position: int) -> None:
        self.label.setText(f"smoothing {self.weight:.3f}" if self.weight else "smoothing off")
        if not self.slider.isSliderDown():
            self.changed.emit(self.weight)
