"""Histograms of what flows through the network for the current batch: Z1, A1 and A2."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from nnviz.ui.axes import ReadableAxis
from nnviz.ui.look import TICK_POINTS, Look, style_plot
from nnviz.ui.panels.base import Panel
from nnviz.ui.ranges import StickyRange
from nnviz.worker.snapshot import ENOUGH_EXAMPLES, Activations, Histogram, Snapshot

HISTOGRAMS = (
    # key, title, x range (None: follows the data in round steps). No axis labels: in three plots
    # side by side on a projector they ran into each other; the caption says what each one is.
    ("Z1", "Z1", None),
    ("A1", "A1 > 0", None),
    ("A2", "A2 (log count)", (0.0, 1.0)),
)
LOG_COUNTS = {"A2"}  # nine of ten outputs sit near 0: a log count shows the confident ones too


def heading(activations: Activations) -> str:
    """Which examples the histograms describe: the next batch, or (for small batches) a fixed sample."""
    if activations.of_batch:
        return f"Activations of the next batch ({activations.examples:,} digits)"
    return f"Activations of {activations.examples:,} fixed training digits"


class ActivationsPanel(Panel):
    motion_every = 3

    def __init__(self) -> None:
        super().__init__(
            "Activations of the next batch",
            "Z1 = W1 X + b1 before ReLU; A1 = ReLU(Z1) without its zeros (counted apart; a dead unit "
            "is 0 for every one of these digits); A2 = softmax outputs, the predicted probabilities.",
        )
        self.title.setToolTip(
            f"A batch of fewer than {ENOUGH_EXAMPLES} digits is too few to show a distribution or to call "
            f"a unit dead: then a fixed sample of {ENOUGH_EXAMPLES} training digits is shown instead."
        )
        self.bars, self.plots, self.ranges, self.count_ranges = {}, {}, {}, {}
        for key, title, x_range in HISTOGRAMS:
            plot = self.graphics.addPlot(axisItems={"bottom": ReadableAxis("bottom")})  # narrow: few labels
            plot.setTitle(title)
            plot.setMouseEnabled(False, False)
            plot.hideAxis("left")  # counts depend on the batch size; the shape is what tells
            plot.hideButtons()
            plot.disableAutoRange()  # both axes step in round numbers (StickyRange), not every frame
            if x_range:
                plot.setXRange(*x_range, padding=0.02)
                plot.getAxis("bottom").setTicks([[(v, f"{v:g}") for v in (0.0, 0.5, 1.0)]])
            self.bars[key] = plot.plot(stepMode="center", fillLevel=0)
            self.plots[key] = plot
            self.ranges[key] = None if x_range else StickyRange()
            self.count_ranges[key] = StickyRange()
        # Notes in the A1 plot's top-left corner, one a line (side by side they ran into each other
        # in a narrow plot), not in its title: a new title re-lays out the whole plot.
        self.zero_text = pg.TextItem(anchor=(0, 0))
        self.dead_text = pg.TextItem(anchor=(0, -1))  # the line under the zero share
        for note in (self.zero_text, self.dead_text):
            self.plots["A1"].addItem(note, ignoreBounds=True)

    def restyle(self, look: Look) -> None:
        fill = pg.mkColor(look.palette.histogram)
        fill.setAlpha(150)
        for key, plot in self.plots.items():
            style_plot(plot, look, plot.titleLabel.text)
            self.bars[key].setPen(look.pen(look.palette.histogram, 1))
            self.bars[key].setBrush(fill)
        self.dead_text.setFont(look.font(TICK_POINTS + 1, bold=True))
        self.dead_text.setColor(look.palette.alarm)
        self.zero_text.setFont(look.font(TICK_POINTS))
        self.zero_text.setColor(look.palette.ink)

    def restart(self) -> None:
        for sticky in (*self.ranges.values(), *self.count_ranges.values()):
            if sticky is not None:
                sticky.reset()

    def update_items(self, snapshot: Snapshot) -> None:
        acts = snapshot.activations
        self.set_title(heading(acts))
        for key, histogram in (("Z1", acts.Z1), ("A1", acts.A1_positive), ("A2", acts.A2)):
            self._show(key, histogram)
        hidden = snapshot.W1.shape[0]
        self._note(self.zero_text, f"{acts.A1_zero_fraction:.0%} = 0")
        self._note(self.dead_text, f"{acts.dead_units}/{hidden} dead" if acts.dead_units else "")
        (left, _), (_, top) = self.plots["A1"].vb.viewRange()
        self.zero_text.setPos(left, top)
        self.dead_text.setPos(left, top)

    def _show(self, key: str, histogram: Histogram) -> None:
        counts = np.log10(1 + histogram.counts) if key in LOG_COUNTS else histogram.counts
        self.bars[key].setData(histogram.edges, counts)
        sticky = self.ranges[key]
        if sticky is not None and sticky.fit(
            float(histogram.edges[0]), float(histogram.edges[-1]), floor_at_zero=key == "A1"
        ):
            self.plots[key].setXRange(*sticky.bounds, padding=0.02)
        if self.count_ranges[key].fit(0.0, float(counts.max(initial=0.0)), floor_at_zero=True):
            self.plots[key].setYRange(*self.count_ranges[key].bounds, padding=0.02)

    @staticmethod
    def _note(item: pg.TextItem, text: str) -> None:
        if item.toPlainText() != text:
            item.setText(text)
