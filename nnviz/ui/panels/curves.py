"""Loss and accuracy over iterations: train every iteration, dev every K, with an exact hover readout."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QCheckBox

from nnviz.engine.divergence import Divergence
from nnviz.ui.axes import ReadableAxis
from nnviz.ui.envelope import Envelope
from nnviz.ui.look import TICK_POINTS, Look, style_plot
from nnviz.ui.panels.base import Panel
from nnviz.ui.panels.divergence_mark import DivergenceMark
from nnviz.ui.ranges import StickyRange
from nnviz.ui.smoothing import Smoothing
from nnviz.ui.smoothing_control import SmoothingControl
from nnviz.ui.trailing_mean import TrailingMean
from nnviz.worker.snapshot import Snapshot

# Of 255: the raw per-batch curve behind its trailing mean. TensorBoard draws it at 25%, but batches
# of 1 fill every pixel column from 0 to 100% accuracy: more would be a wall of colour.
FAINT = 40  # of 255: how much of its colour a raw curve keeps under its trailing mean


def faint(colour: str, background: str) -> QColor:
    """`colour` at FAINT/255 over `background`, as one opaque colour (cheaper to draw than alpha)."""
    top, bottom, share = pg.mkColor(colour), pg.mkColor(background), FAINT / 255
    mixed = [
        round(share * a + (1 - share) * b) for a, b in zip(top.getRgb()[:3], bottom.getRgb()[:3], strict=True)
    ]
    return QColor(*mixed)


LEGEND_ALPHA = 190  # of 255: a curve that runs under the legend still shows through it


@dataclass(frozen=True)
class Series:
    name: str  # hover text
    x: str  # history column of iterations
    y: str  # history column of values
    colour: str  # the palette's name for it: "train" or "dev"
    dots: bool = False
    per_batch: bool = False  # of each batch: with mini-batches, drawn faint under its trailing mean


# Captions say what the training curve is: with mini-batches, each batch's value is mostly noise.
FULL_BATCH_TRAIN = "the training batch each iteration (blue line)"
MINI_BATCH_TRAIN = (
    "each training batch (faint blue) and its mean over the last {examples:,} digits (blue line)"
)
SMOOTHED_TRAIN = (
    "each training batch (faint blue), smoothed with weight {weight:g} as TensorBoard does (blue line)"
)
LOSS_CAPTION = (
    "Cross-entropy of {train} and of the held-out dev set every K iterations (orange dots). Lower is "
    "better. Dashed lines mark alpha changes, red ones climbs that were undone; hover for values."
)
ACCURACY_CAPTION = (
    "Share of digits classified correctly in {train} and in the held-out dev set (orange dots). 10% "
    "is chance; the dev score, on digits never trained on, is the honest one."
)


class CountAxis(ReadableAxis):
    """Iterations as a lecturer reads them out: 250,000 and 1,000,000, not 250000 and 1e+06, as
    many as have room."""

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        if spacing * scale < 1:  # zoomed in below one iteration: the usual decimals
            return super().tickStrings(values, scale, spacing)
        return [f"{value * scale:,.0f}" for value in values]


class CurvePanel(Panel):
    """Curves from the snapshot's history; the data items are made once and only re-fed."""

    scale = 1.0  # shown on the axis and in the hover text (accuracy: 0-1 drawn as percent)
    value_format = "{:.4f}"
    fixed_y: tuple[float, float] | None = None  # otherwise y runs from 0 to a round number above the data
    references: tuple[tuple[float, str], ...] = ()  # horizontal lines that help read the curves
    reference_labels_below = False  # the labels' side of their lines
    follow_x = True  # False for a plot whose x axis is linked to another's
    legend_offset = (10, -10)  # bottom left: the loss starts high there and ends low on the right
    MAX_DOTS = 150  # more dev points than this are drawn as a line: dots would merge into a band

    def __init__(self, title: str, caption_template: str, y_label: str, series: list[Series]) -> None:
        """`caption_template` names the training curve as {train}: one batch, or batches and their mean."""
        super().__init__(title, caption_template.format(train=FULL_BATCH_TRAIN))
        self._caption_template = caption_template
        # No grid: replaying it costs most of a frame.
        self.plot = self.graphics.addPlot(axisItems={"bottom": CountAxis("bottom")})
        self.plot.setLabel("bottom", "iteration")
        self.plot.setLabel("left", y_label)
        self.plot.getAxis("left").setScale(self.scale)  # the data stay as recorded; the ticks scale
        self.plot.setClipToView(True)
        self.plot.setDownsampling(auto=True, mode="peak")
        self.series = series
        self.legend = self.plot.addLegend(offset=self.legend_offset, labelTextSize="9pt")
        self.curves = {s.y: self.plot.plot(name=s.name) for s in series}
        # With mini-batches, the trailing mean of each per-batch curve, over the last `_window` batches.
        self.means = {s.y: self.plot.plot() for s in series if s.per_batch}
        for curve in (*self.curves.values(), *self.means.values()):
            # Peak downsampling keeps each pixel column's lowest and highest value: one such pair per
            # column draws what pyqtgraph's default five do, at a third of the paint on a long noisy
            # curve (BENCHMARKS.md).
            curve.opts["autoDownsampleFactor"] = 1.0
        for mean in self.means.values():
            mean.setZValue(1)
            mean.hide()
        self._trailing = {y: TrailingMean() for y in self.means}
        self._smoothing = {y: Smoothing() for y in self.means}  # instead, while its weight is above 0
        self._window, self._window_examples = 1, 0  # batches averaged (1: full batch, no means drawn)
        self._history: dict[str, np.ndarray] = {}
        self._x, self._y = StickyRange(), StickyRange()
        self._top, self._seen = 0.0, dict.fromkeys((s.y for s in series), 0)  # running max of the curves
        self._drawn = dict.fromkeys((s.y for s in series), -1)  # points each curve was last given
        self._envelopes = {y: Envelope() for y in (*self.curves, *(f"{y} mean" for y in self.means))}
        self._whole = True  # the view spans most of the run: long curves go as envelopes
        self._following = True  # keep the curves in view, until the user pans or zooms
        self._rollbacks = 0
        self._look = Look()
        self.plot.disableAutoRange()
        self.reference_lines = []
        for value, text in self.references:
            # At the left, where a narrow plot still has room (the legend holds the right-hand
            # corner), on the side of the line away from the nearer edge of the plot.
            side = (0, 0) if self.reference_labels_below else (0, 1)
            label_options = {"position": 0.03, "anchors": [side, side]}
            line = pg.InfiniteLine(pos=value, angle=0, movable=False, label=text, labelOpts=label_options)
            self.plot.addItem(line, ignoreBounds=True)
            self.reference_lines.append(line)
        if self.fixed_y:
            self.plot.setYRange(*self.fixed_y, padding=0.02)
        self.plot.vb.sigRangeChangedManually.connect(self._stop_following)
        self.plot.vb.sigXRangeChanged.connect(self._view_changed)
        # Where the timeline stands when it shows an earlier iteration than the latest.
        self.shown_line = pg.InfiniteLine(angle=90, movable=False)
        self.shown_line.setZValue(5)
        self.shown_line.hide()
        self.plot.addItem(self.shown_line, ignoreBounds=True)
        self._hover_line = pg.InfiniteLine(angle=90, movable=False)
        self._hover_text = pg.TextItem(anchor=(0, 1))
        for item in (self._hover_line, self._hover_text):
            item.setZValue(10)
            item.hide()
            self.plot.addItem(item, ignoreBounds=True)
        self.plot.scene().sigMouseMoved.connect(self._on_mouse_moved)

    def restyle(self, look: Look) -> None:
        self._look = look
        p = look.palette
        style_plot(self.plot, look)
        for s in self.series:
            colour = getattr(p, s.colour)
            curve = self.curves[s.y]
            if self._averaged(s.y):  # faint and thin under its trailing mean
                # Opaque (the colour mixed into the background) and one pixel wide at any zoom: a
                # noisy curve drawn wide and see-through cost a projector's frame 8 ms more.
                curve.setPen(pg.mkPen(faint(colour, p.background), width=1))
                self.means[s.y].setPen(look.pen(colour, 2.5))
            else:
                curve.setPen(look.pen(colour, 1.5 if s.dots else 2.5))
            if s.dots:
                curve.setSymbol(self._symbol(self._drawn[s.y]))
                curve.setSymbolSize(6 * look.zoom)
                curve.setSymbolBrush(colour)
                curve.setSymbolPen(None)
        for line in self.reference_lines:
            line.setPen(look.pen(p.reference, 1, dashed=True))
            line.label.setColor(p.reference)
            line.label.setFont(look.font(TICK_POINTS))
        see_through = pg.mkColor(p.background)
        see_through.setAlpha(LEGEND_ALPHA)
        self.legend.setBrush(pg.mkBrush(see_through))
        self._style_legend()
        self._hover_line.setPen(look.pen(p.reference, 1, dashed=True))
        self.shown_line.setPen(look.pen(p.ink, 2))
        self._hover_text.setColor(p.ink)
        self._hover_text.fill = pg.mkBrush(p.background)
        self._hover_text.setFont(look.font(TICK_POINTS + 1))

    def _style_legend(self) -> None:
        size = f"{self._look.points(TICK_POINTS + 1)}pt"
        for _, label in self.legend.items:  # pyqtgraph's legend setters reach only entries yet to come
            label.setText(label.text, color=self._look.palette.ink, size=size)

    def update_items(self, snapshot: Snapshot) -> None:
        if snapshot.rollbacks != self._rollbacks:  # a climb was undone: the history is shorter
            self._rollbacks = snapshot.rollbacks
            self.rewind()
        if snapshot.mean_window != self._window:
            self._average(snapshot.mean_window, snapshot.window_examples, self.smoothing)
        self._history = snapshot.history
        self._feed()
        self.shown_line.setVisible(snapshot.latest is not None)
        if snapshot.latest is not None:
            self.shown_line.setPos(snapshot.iteration)
        undone = snapshot.divergence.iteration if snapshot.divergence else 0  # its mark must show too
        latest = snapshot.iteration if snapshot.latest is None else snapshot.latest  # the whole run stays
        self._keep_in_view(max(latest, undone))

    @property
    def smoothing(self) -> float:
        return next(iter(self._smoothing.values())).weight if self._smoothing else 0.0

    def set_smoothing(self, weight: float) -> None:
        """TensorBoard's smoothing of the training curves (0: none), the raw ones faint behind."""
        if weight != self.smoothing:
            self._average(self._window, self._window_examples, weight)
            if self._history:
                self._feed()

    def _average(self, window: int, examples: int, weight: float = 0.0) -> None:
        """Mini-batch curves as their trailing mean over `window` batches, the raw ones faint behind
        (window 1: full batches, each point already on every example, drawn as it is); with a
        smoothing weight, the training curves smoothed instead, full batch or not."""
        self._window, self._window_examples = window, examples
        for trailing in self._trailing.values():
            trailing.window = window
        for smoothing in self._smoothing.values():
            smoothing.set_weight(weight)
        self.rewind()
        self.legend.clear()  # the faint raw curves go unnamed, as in TensorBoard: the caption says it
        for s in self.series:
            averaged = self._averaged(s.y)
            reduced = f"smoothed {weight:g}" if weight > 0 else f"mean of last {examples:,}"
            name = f"{s.name}, {reduced}" if averaged else s.name
            self.legend.addItem(self.means[s.y] if averaged else self.curves[s.y], name)
        for y, mean in self.means.items():
            mean.setVisible(self._averaged(y))
        if weight > 0:
            train = SMOOTHED_TRAIN.format(weight=weight)
        else:
            train = MINI_BATCH_TRAIN.format(examples=examples) if window > 1 else FULL_BATCH_TRAIN
        self.caption.setText(self._caption_template.format(train=train))
        self.restyle(self._look)

    def _averaged(self, name: str) -> bool:
        return name in self.means and (self._window > 1 or self.smoothing > 0)

    def _reduced(self, name: str, values: np.ndarray) -> np.ndarray:
        """The line drawn over a faint training curve: smoothed, or its trailing mean."""
        return (self._smoothing if self.smoothing > 0 else self._trailing)[name].of(values)

    def _feed(self) -> None:
        """Hand each curve that grew its points: with the whole run in view, a long curve as its
        envelope (the same picture, at a cost that does not grow with the run); zoomed in on part
        of it, the points themselves (clip-to-view keeps those few)."""
        for s in self.series:
            x = self._history[s.x]
            if x.size == self._drawn[s.y]:
                continue  # the history only grows (see rewind): the same length is the same curve
            curve = self.curves[s.y]
            if s.dots and curve.opts["symbol"] != self._symbol(x.size):
                curve.setSymbol(self._symbol(x.size))
            y = self._history[s.y]  # the history's own views: no copy per frame
            self._draw(curve, s.y, x, y)
            if self._averaged(s.y):
                self._draw(self.means[s.y], f"{s.y} mean", x, self._reduced(s.y, y))
            self._drawn[s.y] = x.size

    def _draw(self, curve: pg.PlotDataItem, envelope: str, x: np.ndarray, y: np.ndarray) -> None:
        curve.setData(*(self._envelopes[envelope].of(x, y) if self._whole else (x, y)))

    def _view_changed(self, *_) -> None:
        """Zooming in on part of a long run, or out to all of it, also while paused."""
        whole = self._spans_the_run()
        if whole != self._whole:
            self._whole = whole
            self._drawn = dict.fromkeys(self._drawn, -1)
            if self._history:
                self._feed()

    def _spans_the_run(self) -> bool:
        iterations = self._history.get(self.series[0].x) if self._history else None
        if iterations is None or iterations.size < 2:
            return True
        (left, right), _ = self.plot.vb.viewRange()
        return right - left >= 0.5 * (iterations[-1] - iterations[0])

    def _symbol(self, points: int) -> str | None:
        """Dots for a few dev points; a line once they would merge into a band."""
        return "o" if points <= self.MAX_DOTS else None

    def _keep_in_view(self, iteration: int) -> None:
        """Grow the axes in round steps (redrawing an axis every frame is what makes frames slow)."""
        view = self.plot.vb
        if view.autoRangeEnabled()[0]:  # the user pressed pyqtgraph's "A": follow the run again
            self._following = True
            view.disableAutoRange(axis="x")
        if not self._following:
            return
        if self.follow_x and self._x.fit(0, max(iteration, 10), floor_at_zero=True):
            self.plot.setXRange(*self._x.bounds, padding=0)
        linear_y = self.fixed_y is None and not self.plot.getAxis("left").logMode
        if linear_y and self._y.fit(0, self._running_max(), floor_at_zero=True):
            self.plot.setYRange(*self._y.bounds, padding=0.02)

    def _running_max(self) -> float:
        """The largest value drawn so far, from the new points only: history only ever appends.
        Of a per-batch curve under its mean, the mean's over full windows: single batches' spikes
        (and the first means, of a few batches) may leave the plot."""
        for s in self.series:
            values, first = self._history[s.y], 0
            if self._averaged(s.y):
                trailing = self.smoothing == 0
                values, first = self._reduced(s.y, values), self._window - 1 if trailing else 0
            new = values[max(self._seen[s.y], first) :]
            new = new[np.isfinite(new)]
            if new.size:
                self._top = max(self._top, float(new.max()))
            self._seen[s.y] = values.size
        return self._top

    def _stop_following(self) -> None:
        self._following = False

    def restart(self) -> None:
        """A new run: forget the ranges and follow it from iteration 0."""
        self.rewind()
        self._rollbacks = 0
        self._x.reset()
        self._y.reset()
        self._following = True

    def rewind(self) -> None:
        """Draw the history again from its start: it was cut back (a climb undone), or is averaged
        anew. The axes stay as they are."""
        self._top, self._seen = 0.0, dict.fromkeys(self._seen, 0)
        self._drawn = dict.fromkeys(self._drawn, -1)
        for reduction in (*self._envelopes.values(), *self._trailing.values(), *self._smoothing.values()):
            reduction.reset()

    def _on_mouse_moved(self, position: QPointF) -> None:
        view = self.plot.vb
        if not self.plot.sceneBoundingRect().contains(position) or not self._history:
            self._hover_line.hide()
            self._hover_text.hide()
            return
        point = view.mapSceneToView(position)
        lines = self.hover_lines(point.x())
        if not lines:
            return
        self._hover_line.setPos(point.x())
        self._hover_text.setText("\n".join(lines))
        self._hover_text.setPos(point.x(), point.y())
        self._hover_line.show()
        self._hover_text.show()

    def hover_lines(self, x: float) -> list[str]:
        """The value of each curve at the point nearest to iteration `x`."""
        lines = []
        for s in self.series:
            xs = self._history[s.x]
            if xs.size == 0:
                continue
            i = int(np.clip(np.searchsorted(xs, x), 1, xs.size - 1)) if xs.size > 1 else 0
            if xs.size > 1 and abs(xs[i - 1] - x) < abs(xs[i] - x):
                i -= 1
            value = self.value_format.format(self._history[s.y][i] * self.scale)
            if self._averaged(s.y):
                mean = self.value_format.format(self._reduced(s.y, self._history[s.y])[i] * self.scale)
                reduced = (
                    f"smoothed {self.smoothing:g}"
                    if self.smoothing > 0
                    else f"mean of last {self._window_examples:,}"
                )
                value += f" ({reduced}: {mean})"
            lines.append(f"{s.name} {value} at iteration {int(xs[i])}")
        return lines


class LossPanel(CurvePanel):
    references = ((float(np.log(10)), "blind guess: ln 10 = 2.30"),)
    reference_labels_below = True  # the line is near the top of the axis: room is below it

    def __init__(self) -> None:
        super().__init__(
            "Loss",
            LOSS_CAPTION,
            "cross-entropy",
            [
                Series("train", "iteration", "train_loss", "train", per_batch=True),
                Series("dev", "dev_iteration", "dev_loss", "dev", dots=True),
            ],
        )
        self.log_scale = QCheckBox("log scale")
        self.log_scale.setToolTip("Show the loss on a logarithmic axis, to see progress once it is small.")
        self.log_scale.toggled.connect(self._set_log_scale)
        self.header.addWidget(self.log_scale)
        self.smoothing_control = SmoothingControl()
        self.smoothing_control.changed.connect(self.set_smoothing)
        self.header.addWidget(self.smoothing_control)
        self._alpha_marks: list[pg.InfiniteLine] = []
        self._marked_upto = 0
        self.divergence_marks: dict[Divergence, DivergenceMark] = {}
        # Marks stand in the axes' units: placed again whenever the axes move or the plot resizes.
        self.plot.vb.sigRangeChanged.connect(self._place_divergence_marks)
        self.plot.vb.sigResized.connect(self._place_divergence_marks)

    def restyle(self, look: Look) -> None:
        super().restyle(look)
        for mark in self._alpha_marks:
            self._style_mark(mark)
        for mark in self.divergence_marks.values():
            mark.restyle(look)
        self._place_divergence_marks()

    def _set_log_scale(self, on: bool) -> None:
        self.plot.setLogMode(y=on)
        self._y.reset()
        if on:  # log ranges are pyqtgraph's to choose
            self.plot.enableAutoRange(axis="y")
        else:
            self.plot.disableAutoRange(axis="y")
        self._place_divergence_marks()

    def update_items(self, snapshot: Snapshot) -> None:
        super().update_items(snapshot)
        # Smoothing is for noisy mini-batch curves: a full-batch run's header keeps its room for the
        # title on a projector (unless smoothing is on, to be turned off again).
        wanted = snapshot.batch_size < snapshot.train_examples or self.smoothing_control.weight > 0
        if wanted != self.smoothing_control.isVisibleTo(self):
            self.smoothing_control.setVisible(wanted)
        self._mark_alpha_changes(snapshot.history["iteration"], snapshot.history["alpha"])
        self._mark_divergence(snapshot.divergence)

    def _mark_divergence(self, divergence: Divergence | None) -> None:
        """The climb an undone update took, where it went (see divergence_mark.py); kept for the run."""
        if divergence is not None and divergence not in self.divergence_marks:
            mark = DivergenceMark(self.plot.vb, divergence, self._look)
            self.divergence_marks[divergence] = mark
            self._place(mark)

    def _place_divergence_marks(self, *_) -> None:
        for mark in self.divergence_marks.values():
            self._place(mark)

    def _place(self, mark: DivergenceMark) -> None:
        mark.place(self.plot.vb, self.log_scale.isChecked(), self.legend.sceneBoundingRect())

    def restart(self) -> None:
        super().restart()
        for mark in self.divergence_marks.values():
            mark.remove(self.plot.vb)
        self.divergence_marks.clear()

    def rewind(self) -> None:
        """The alpha marks too are drawn again from the history: an undone climb may have taken an
        alpha change with it (the divergence mark says which alpha it was)."""
        super().rewind()
        for mark in self._alpha_marks:
            self.plot.removeItem(mark)
        self._alpha_marks.clear()
        self._marked_upto = 0

    def _mark_alpha_changes(self, iterations: np.ndarray, alphas: np.ndarray) -> None:
        """A labelled line where alpha changed; only new changes are added (restart clears them)."""
        start = max(self._marked_upto - 1, 0)
        for i in np.flatnonzero(np.diff(alphas[start:])) + start + 1:
            # The label stands to the right of its line (the new alpha holds from there on), at
            # staggered heights, so that changes in quick succession stay readable.
            height = 0.85 - 0.1 * (len(self._alpha_marks) % 5)
            mark = pg.InfiniteLine(
                pos=float(iterations[i]) - 0.5,
                angle=90,
                movable=False,
                label=f"α={alphas[i]:.3g}",  # exact in the hover text and the alpha field
                labelOpts={"position": height, "anchors": [(0, 0.5), (0, 0.5)]},
            )
            self._style_mark(mark)
            self.plot.addItem(mark, ignoreBounds=True)
            self._alpha_marks.append(mark)
        self._marked_upto = alphas.size

    def _style_mark(self, mark: pg.InfiniteLine) -> None:
        colour = self._look.palette.alpha_mark
        mark.setPen(self._look.pen(colour, 1.5, dashed=True))
        mark.label.setColor(colour)
        mark.label.setFont(self._look.font(TICK_POINTS + 1, bold=True))


class AccuracyPanel(CurvePanel):
    scale = 100.0  # accuracy 0-1, ticks and hover in percent
    value_format = "{:.2f}%"
    fixed_y = (0.0, 1.0)
    references = ((0.1, "chance: 10%"), (0.5, ""), (0.9, ""), (1.0, ""))
    follow_x = False  # linked to the loss plot's x axis
    legend_offset = (-10, -10)  # bottom right: accuracy climbs away from it

    def __init__(self) -> None:
        super().__init__(
            "Accuracy",
            ACCURACY_CAPTION,
            "accuracy (%)",
            [
                Series("train", "iteration", "train_accuracy", "train", per_batch=True),
                Series("dev", "dev_iteration", "dev_accuracy", "dev", dots=True),
            ],
        )
        self.plot.getViewBox().setLimits(yMin=-0.05, yMax=1.05)
