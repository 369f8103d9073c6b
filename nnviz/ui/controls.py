"""Controls that steer a run while it trains: alpha and the speed limit."""

from __future__ import annotations

import math

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QVBoxLayout, QWidget

from nnviz.engine.trainer import ALPHA_RANGE
from nnviz.ui.fields import LogField

ALPHA_MIN, ALPHA_MAX = ALPHA_RANGE
ALPHA_FACTOR = 2.0  # Up / Down multiply or divide alpha by this
SLIDER_STEPS_PER_DECADE = 20
SPEED_MIN, SPEED_MAX = 1.0, 1000.0  # iterations per second; the slider's far right is "no limit"


class AlphaControl(QWidget):
    """A field for exact values and a log-scale slider for sweeping decades.

    alpha is the field's exact float: what is typed, or what Up/Down (times or over 2) make of
    it, goes to training as it is. The field shows at most 6 significant digits but keeps the
    exact value unless the text is edited; the slider shows where alpha lies and, only when moved
    itself, sets a rounded one.
    """

    alpha_changed = Signal(float)

    def __init__(self, alpha: float) -> None:
        super().__init__()
        self.spin = LogField("α", ALPHA_MIN, ALPHA_MAX, factor=ALPHA_FACTOR)
        self.spin.setKeyboardTracking(False)  # typing "0.05" must not pass through 0 and 0.0
        self.spin.setToolTip(
            "Learning rate α: each step moves W by α times the gradient. Typical: 0.1 (try 0.01-1). "
            "Type 0.05 or 5e-2; Enter applies it. Takes effect from the next iteration, also while "
            "training. Up/Down: ×2 / ÷2."
        )
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(*(slider_position(v) for v in (ALPHA_MIN, ALPHA_MAX)))
        self.slider.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.slider.setToolTip(f"α on a logarithmic scale, from {ALPHA_MIN:g} to {ALPHA_MAX:g}.")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.spin)
        layout.addWidget(self.slider)
        self.set_alpha(alpha)
        self.spin.valueChanged.connect(self._from_spin)
        self.slider.valueChanged.connect(self._from_slider)

    @property
    def alpha(self) -> float:
        return self.spin.value()

    def set_alpha(self, alpha: float) -> None:
        """Show `alpha` in both widgets without announcing it."""
        if not ALPHA_MIN <= alpha <= ALPHA_MAX:  # also NaN; the field would clamp it silently
            raise ValueError(f"α = {alpha!r} is outside {ALPHA_MIN:g} to {ALPHA_MAX:g}")
        with QSignalBlocker(self.spin):
            self.spin.setValue(alpha)
        self._show_on_slider(alpha)

    def scale(self, factor: float) -> None:
        """Up/Down multiply by 2 or 1/2: exactly, announced; refused and explained at the edges."""
        self.spin.multiply(factor)

    def _from_spin(self, alpha: float) -> None:
        self._show_on_slider(alpha)
        self.alpha_changed.emit(alpha)

    def _from_slider(self, position: int) -> None:
        self.spin.setValue(float(f"{10 ** (position / SLIDER_STEPS_PER_DECADE):.2g}"))  # announced

    def _show_on_slider(self, alpha: float) -> None:
        with QSignalBlocker(self.slider):  # a rounded alpha must never come back from the slider
            self.slider.setValue(slider_position(alpha))


def slider_position(alpha: float) -> int:
    """Where `alpha` lies on the slider: twentieths of a decade."""
    return round(math.log10(alpha) * SLIDER_STEPS_PER_DECADE)


class SpeedControl(QWidget):
    """Maximum iterations per second on a log slider; far right means no limit."""

    limit_changed = Signal(object)  # float, or None for no limit

    STEPS = 60
    KEY_STEP = 6  # [ and ] move by this many slider steps: about x2 per press

    def __init__(self) -> None:
        super().__init__()
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, self.STEPS)
        self.slider.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.slider.setToolTip(
            "Speed limit: at most this many iterations per second. Slide left (1-5/s) to narrate "
            "slowly; far right trains as fast as the machine can."
        )
        self.label = QLabel()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.label)
        self.slider.valueChanged.connect(self._changed)
        self.set_limit(None)

    @property
    def limit(self) -> float | None:
        position = self.slider.value()
        if position == self.STEPS:
            return None
        return float(f"{SPEED_MIN * (SPEED_MAX / SPEED_MIN) ** (position / (self.STEPS - 1)):.2g}")

    def set_limit(self, limit: float | None) -> None:
        if limit is None:
            position = self.STEPS
        else:
            fraction = math.log(max(limit, SPEED_MIN) / SPEED_MIN) / math.log(SPEED_MAX / SPEED_MIN)
            position = min(round(fraction * (self.STEPS - 1)), self.STEPS - 1)
        self.slider.setValue(position)
        self._show()

    def slower(self) -> None:
        self.slider.setValue(max(0, self.slider.value() - self.KEY_STEP))

    def faster(self) -> None:
        self.slider.setValue(min(self.STEPS, self.slider.value() + self.KEY_STEP))

    def _changed(self) -> None:
        self._show()
        self.limit_changed.emit(self.limit)

    def _show(self) -> None:
        limit = self.limit
        self.label.setText("no limit" if limit is None else f"{limit:g} it/s")
