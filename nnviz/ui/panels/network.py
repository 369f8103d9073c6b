"""The network view: the chosen example flowing through the network, live, with its numbers on demand.

Every frame it draws what the snapshot brings (the example's forward and backward pass, made in
the training thread) at that snapshot's parameters: it follows the run while training, and the
chosen step while paused. A unit under the mouse (or clicked) shows its equation with this
example's real numbers, updated live.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtWidgets import QCheckBox, QLabel, QWidget

from nnviz.engine.network import Params
from nnviz.ui.look import Look
from nnviz.ui.panels.base import Panel
from nnviz.ui.panels.network_diagram import NetworkDiagram, Picture
from nnviz.ui.panels.unit_card import Card, hidden_card, output_card
from nnviz.ui.ranges import StickyRange
from nnviz.worker.snapshot import Example, Snapshot

ALL_UNITS = 16  # up to this many hidden units are all drawn
FEW_UNITS = 8  # beyond, the most active ones for this example (3Blue1Brown: 8, a gap, and a brace)
SCALE_SAMPLE = 8192  # weights sampled for the tiles' colour scale (as the filters panel does)

CAPTION = (
    "Left: the digit as the network sees it. Circles: hidden units and outputs, the more ink the larger "
    "A1 or A2 (one scale); beside each hidden unit its W1 filter. Lines: W2, {positive} + / {negative} −, "
    "thicker = larger |w|. Small squares: biases. Hover or click a unit for its numbers."
)


class NetworkOptions(QObject):
    """What the network views show, shared by every one of them and by the menu's check marks."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.flows = False  # lines weighted by what flows for this example, not by the weights alone
        self.errors = False  # the backward pass: dZ2 and dZ1 as nudges, not the activations alone

    def set_flows(self, on: bool) -> None:
        if on != self.flows:
            self.flows = on
            self.changed.emit()

    def set_errors(self, on: bool) -> None:
        if on != self.errors:
            self.errors = on
            self.changed.emit()


class Scales:
    """One display scale per quantity (A1, the filters, the biases, dZ1, the lines in each mode),
    shared by all units and moving in round steps (StickyRange), not every frame."""

    def __init__(self) -> None:
        self.ranges: dict[object, StickyRange] = {}

    def top(self, quantity: object, values: np.ndarray) -> float:
        """The value drawn at full strength, for `values` (any sign) of `quantity`."""
        scale = self.ranges.setdefault(quantity, StickyRange())
        finite = np.abs(values[np.isfinite(values)])
        scale.fit(0.0, float(finite.max(initial=0.0)), floor_at_zero=True)
        return scale.bounds[1] if scale.bounds else 1.0


def drawn_units(A1: np.ndarray) -> np.ndarray:
    """Every unit up to ALL_UNITS; beyond, the FEW_UNITS most active for this example, in order."""
    if A1.size <= ALL_UNITS:
        return np.arange(A1.size)
    return np.sort(np.argsort(-np.nan_to_num(A1, nan=-np.inf), kind="stable")[:FEW_UNITS])


def value_text(value: float) -> str:
    if not np.isfinite(value):
        return "nan" if np.isnan(value) else ("∞" if value > 0 else "−∞")
    if value == 0:
        return "0"
    digits = 3 if abs(value) < 0.1 else 2 if abs(value) < 10 else 1 if abs(value) < 100 else 0
    return f"{value:.{digits}f}".replace("-", "−")


def source_text(example: Example) -> str:
    if example.source == "drawn":
        return "your drawing"
    return f"{example.source} #{example.index:,}"


class NetworkPanel(Panel):
    """The network view; `chooser` (the example chooser) sits under its header when given;
    `with_input`: the input digit drawn on the left (not beside a picture of it already)."""

    def __init__(
        self, options: NetworkOptions, chooser: QWidget | None = None, with_input: bool = True
    ) -> None:
        super().__init__("The network: one digit flowing through it", "")
        self.options = options
        self.chooser = chooser
        self.flows_box = QCheckBox("what flows (a·w)")
        self.flows_box.setToolTip(
            "Lines weighted by what actually flows for this digit, A1[j]·W2[d, j] (with errors shown: "
            "dZ2[d]·W2[d, j], what flows back), instead of by the weights W2 alone"
        )
        self.errors_box = QCheckBox("errors (backward)")
        self.errors_box.setToolTip(
            "The backward pass for this digit: arrows for the nudges backpropagation asks for, "
            "−dZ2 = Y − A2 at the outputs and −dZ1 at the hidden units"
        )
        for box in (self.flows_box, self.errors_box):
            self.header.addWidget(box)
        self.flows_box.toggled.connect(options.set_flows)
        self.errors_box.toggled.connect(options.set_errors)
        options.changed.connect(self._options_changed)
        if chooser is not None:
            self.layout().insertWidget(1, chooser)
        self.diagram = NetworkDiagram(with_input)
        self.graphics.ci.addItem(self.diagram)
        self.card = QLabel(self.graphics)
        self.card.setObjectName("unitCard")
        self.card.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)  # the mouse sees through it
        self.card.setWordWrap(True)
        self.card.hide()
        self.card_unit: tuple[str, int] | None = None  # ("hidden", unit) or ("output", digit)
        self.card_shown: Card | None = None
        self._pinned = False
        # The mouse is followed from the view's own events: the scene's signal is rate-limited and
        # can drop the last move, which would leave the card on a unit the mouse has left.
        self.graphics.viewport().installEventFilter(self)
        self.scales = Scales()
        self._last: Snapshot | None = None
        self._look = Look()

    # --- per look ---

    def restyle(self, look: Look) -> None:
        self._look = look
        self.diagram.apply_look(look)
        p = look.palette
        self.caption.setText(CAPTION.format(positive=p.positive, negative=p.negative))
        self.card.setStyleSheet(
            f"QLabel#unitCard {{ background: {p.window}; color: {p.ink}; border: 1px solid {p.muted}; "
            f"border-radius: 4px; padding: 6px; font-size: {look.points(11)}pt; }}"
        )
        if self._last is not None:
            self.update_items(self._last)

    def restart(self) -> None:
        self.scales = Scales()  # a new run's activations and weights start their scales afresh

    # --- per frame ---

    def update_items(self, snapshot: Snapshot) -> None:
        self._last = snapshot
        if snapshot.example is None or snapshot.params is None:
            return
        if self.chooser is not None:
            self.chooser.show_snapshot(snapshot)
        self.diagram.show(self.picture(snapshot.example, snapshot.params))
        self._show_card()

    def picture(self, example: Example, params: Params) -> Picture:
        """What to draw for this example at these parameters, every number on its shared scale."""
        fwd, grads, options = example.forward, example.grads, self.options
        A1, A2 = fwd.A1[:, 0], fwd.A2[:, 0]
        units = drawn_units(A1)
        errors = options.errors and grads is not None
        backward_flow = options.flows and errors
        if backward_flow:
            edges = params.W2[:, units] * grads.dZ2  # dZ2[d] W2[d, j]: what flows back into unit j
        elif options.flows:
            edges = params.W2[:, units] * A1[units]  # A1[j] W2[d, j]: what flows into output d's z
        else:
            edges = params.W2[:, units]
        scaled_by = edges if options.flows else params.W2  # the weights: all of W2, drawn or not
        edge_top = self.scales.top(("lines", options.flows, backward_flow), scaled_by)
        a1_top = self.scales.top("A1", A1)
        W1 = params.W1
        bias_top = self.scales.top("bias", np.concatenate([params.b1[:, 0], params.b2[:, 0]]))
        if errors:
            dZ1 = grads.dZ1[:, 0]
            dZ1_top = self.scales.top("dZ1", dZ1)
            hidden_text = [value_text(-dZ1[u]) for u in units]
            nudges_hidden, nudges_output = -dZ1[units] / dZ1_top, -grads.dZ2[:, 0]
        else:
            hidden_text = [value_text(A1[u]) for u in units]
            nudges_hidden = nudges_output = None
        prediction = int(np.argmax(np.nan_to_num(A2, nan=-1.0)))
        return Picture(
            pixels=example.x[:, 0].reshape(28, 28),
            units=units,
            hidden=A1.size,
            hidden_fill=A1[units] / a1_top,
            hidden_text=hidden_text,
            filters=W1[units].reshape(-1, 28, 28),
            filter_top=self.scales.top("W1", W1.reshape(-1)[:: max(1, W1.size // SCALE_SAMPLE)]),
            hidden_bias=params.b1[units, 0] / bias_top,
            outputs=A2,
            output_text=[f"{p:.0%}" if np.isfinite(p) else "nan" for p in A2],
            output_bias=params.b2[:, 0] / bias_top,
            edges=edges / edge_top,
            label=example.label,
            prediction=prediction,
            nudges_hidden=nudges_hidden,
            nudges_output=nudges_output,
            headings=self._headings(A1.size, len(units), errors),
            input_note=self._input_note(example, prediction, A2),
            legend=self._legend(options.flows, backward_flow, edge_top),
        )

    @staticmethod
    def _headings(hidden: int, drawn: int, errors: bool) -> tuple[str, str, str]:
        units = f"{drawn} of {hidden} units: the most active" if drawn < hidden else f"{hidden} hidden units"
        units = units.replace("1 hidden units", "1 hidden unit") if hidden == 1 else units
        if errors:
            return ("x: the input\n784 pixels", f"−dZ1: the nudges\n{units}", "−dZ2 = Y − A2\nthe nudges")
        return (
            "x: the input\n784 pixels",
            f"A1 = ReLU(W1 x + b1)\n{units}",
            "A2 = softmax(Z2)\nthe probabilities",
        )

    def _input_note(self, example: Example, prediction: int, A2: np.ndarray) -> str:
        truth = f", true {example.label}" if example.label is not None else ""
        note = f"{source_text(example)}{truth}\npredicted {prediction} ({A2[prediction]:.0%})"
        if self.options.errors and example.grads is None:
            note += "\nno errors: say which digit it is meant to be"
        return note

    def _legend(self, flows: bool, backward: bool, top: float) -> str:
        p = self._look.palette
        what = "dZ2·W2, what flows back" if backward else "A1·W2, what flows" if flows else "W2"
        return f"lines: {what}; {p.positive} +, {p.negative} −; full width at ±{top:g}"

    # --- the card ---

    def card_for(self, unit: tuple[str, int]) -> Card | None:
        snapshot = self._last
        if snapshot is None or snapshot.example is None or snapshot.params is None:
            return None
        kind, index = unit
        make = hidden_card if kind == "hidden" else output_card
        return make(snapshot.example, snapshot.params, index)

    def show_card(self, unit: tuple[str, int] | None, pinned: bool = False) -> None:
        """Show the card of `unit` (None: hide it); a pinned card stays when the mouse moves off."""
        self.card_unit, self._pinned = unit, pinned and unit is not None
        self._show_card()

    def _show_card(self) -> None:
        card = self.card_for(self.card_unit) if self.card_unit is not None else None
        self.card_shown = card
        if card is None:
            self.card.hide()
            return
        self.card.setText(card.html())
        self.card.setMaximumWidth(max(self.graphics.width() - 8, 120))  # wrapped, never wider than the view
        self.card.adjustSize()
        self._place_card()
        self.card.show()
        self.card.raise_()

    def _place_card(self) -> None:
        """Beside its unit, inside the view: right of a hidden unit, left of an output."""
        kind, index = self.card_unit
        units = self.diagram.picture.units if self.diagram.picture is not None else np.array([])
        if kind == "hidden":
            rows = np.flatnonzero(units == index)
            if not rows.size:
                return  # no longer drawn (another unit is more active now): the card stays where it was
            centre, right_side = self.diagram.unit_centre(kind, int(rows[0])), True
        else:
            centre, right_side = self.diagram.unit_centre(kind, index), False
        g = self.diagram.geometry_
        r = g.hidden_r if kind == "hidden" else g.output_r
        scene_point = self.diagram.mapToScene(centre)
        view = self.graphics.mapFromScene(scene_point)
        room = self.graphics.size()
        right, left = view.x() + r + 12, view.x() - r - 12 - self.card.width()
        fits_right, fits_left = right + self.card.width() <= room.width(), left >= 0
        x = right if (right_side and fits_right) or not fits_left else left
        y = view.y() - self.card.height() // 2
        self.card.move(
            QPoint(
                int(min(max(x, 2), room.width() - self.card.width() - 2)),
                int(min(max(y, 2), room.height() - self.card.height() - 2)),
            )
        )

    def _unit_under(self, scene_position) -> tuple[str, int] | None:
        hit = self.diagram.unit_at(self.diagram.mapFromScene(scene_position))
        if hit is None:
            return None
        kind, row = hit
        return (kind, int(self.diagram.picture.units[row])) if kind == "hidden" else hit

    def _hover(self, scene_position) -> None:
        unit = self._unit_under(scene_position)
        if unit is not None and not self._pinned:
            self.show_card(unit)
        elif unit is None and not self._pinned and self.card_unit is not None:
            self.show_card(None)

    def _click(self, scene_position) -> None:
        """A click on a unit pins its card (a second click unpins it); a click elsewhere hides it."""
        unit = self._unit_under(scene_position)
        self.show_card(unit, pinned=unit is not None and unit != (self.card_unit if self._pinned else None))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.MouseMove:
            self._hover(self.graphics.mapToScene(event.position().toPoint()))
        elif kind == QEvent.Type.MouseButtonPress and event.button() == Qt.MouseButton.LeftButton:
            self._click(self.graphics.mapToScene(event.position().toPoint()))
        elif kind == QEvent.Type.Leave and not self._pinned:
            self.show_card(None)
        return False

    # --- options ---

    def _options_changed(self) -> None:
        for box, on in ((self.flows_box, self.options.flows), (self.errors_box, self.options.errors)):
            if box.isChecked() != on:
                box.setChecked(on)
        if self._last is not None:
            self.update_items(self._last)
