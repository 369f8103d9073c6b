"""The timeline under the curves: a scrubber over the run's iterations, from the first that can be
rebuilt to the latest. Moving it (or ←, Home, End) sends a Rewind: the training thread rebuilds
that iteration and every view shows the network as it was then. Nothing is computed here."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import QHBoxLayout, QSlider, QWidget

from nnviz.ui.actions import Actions
from nnviz.ui.labels import FittedLabel
from nnviz.worker import Rewind
from nnviz.worker.snapshot import Snapshot

TIME_TRAVEL_ACTIONS = ("step_back", "to_start", "to_end")
LIVE = "live at {latest:,}: drag back, or ←"
PAST = "{shown:,} of {latest:,}: Space retrains from here"


class Timeline(QWidget):
    def __init__(
        self, send: Callable[[object], int], actions: Actions, show_alpha: Callable[[float], None]
    ) -> None:
        """`send`: the worker's; `actions`: enabled while paused; `show_alpha`: shows a past
        iteration's alpha in the alpha control (what continuing from there uses)."""
        super().__init__()
        self._send, self._actions, self._show_alpha = send, actions, show_alpha
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys stay the window's shortcuts
        self.slider.setToolTip(
            "The run's iterations: drag (or ←, Home, End while paused) to see the network as it was at any "
            "of them; → moves on along the run, Space continues from there and drops what came after"
        )
        self.slider.valueChanged.connect(lambda value: self._send(Rewind(to=value)))
        self.label = FittedLabel()  # cut with "…" on a narrow screen (its tooltip has it all)
        self.label.setObjectName("caption")
        row = QHBoxLayout(self)
        row.setContentsMargins(4, 0, 4, 0)
        row.addWidget(self.slider, 1)
        row.addWidget(self.label, 1)
        self._in_past = False

    def back(self) -> int:
        return self._send(Rewind(by=-1))

    def to_start(self) -> int:
        return self._send(Rewind(to=0))

    def to_end(self) -> int:
        return self._send(Rewind(to=2**62))

    def show_snapshot(self, snapshot: Snapshot) -> None:
        latest = snapshot.iteration if snapshot.latest is None else snapshot.latest
        if not self.slider.isSliderDown():  # the user's drag is not pulled back by a frame behind it
            with QSignalBlocker(self.slider):
                self.slider.setRange(snapshot.first, max(latest, snapshot.first))
                self.slider.setValue(snapshot.iteration)
        in_past = snapshot.latest is not None
        text = PAST.format(shown=snapshot.iteration, latest=latest) if in_past else LIVE.format(latest=latest)
        if self.label.full_text != text:
            self.label.setText(text)
        if in_past or self._in_past:  # in the past, or just back: the alpha continuing would use
            self._show_alpha(snapshot.alpha)
        self._in_past = in_past
        for name in TIME_TRAVEL_ACTIONS:
            self._actions[name].setEnabled(not snapshot.running)
