"""Where a run diverged, drawn on the loss plot: the climb that was undone and what stopped it.

The climb is drawn dashed from the restored point through each undone update to the caught one
(a cross; a triangle at the top edge when its loss is beyond the axis). It is placed again
whenever the axes change, so it never stays where an earlier axis had its top, and on a log axis
it sits at the log of its losses. The label stands beside the cross, inside the plot.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF

from nnviz.engine.divergence import Divergence, number
from nnviz.ui.look import TICK_POINTS, Look

CEILING = 0.04  # a mark beyond the axis sits this share of the axis below its top
GAP_PX = 6  # between the cross and its label


def label_text(divergence: Divergence, short: bool = False) -> str:
    """Two short lines: what happened at which alpha, then the numbers; or, where there is no room
    for those, one line."""
    if divergence.kind == "dead":
        head = "dead network" if short else f"dead network at α = {divergence.alpha:g}"
    else:
        head = (
            f"diverged: {number(divergence.loss_after)}" if short else f"diverged at α = {divergence.alpha:g}"
        )
    if short:
        return head
    undone = "1 update undone" if divergence.undone == 1 else f"{divergence.undone} updates undone"
    return f"{head}\nloss {number(divergence.loss_after)}, {undone}"


class DivergenceMark:
    def __init__(self, view: pg.ViewBox, divergence: Divergence, look: Look) -> None:
        """Added to the view box itself, not its plot: the plot would apply its log mode, clipping
        and downsampling to them as to its curves, and these place themselves."""
        self.divergence = divergence
        self.path = pg.PlotCurveItem()
        self.points = pg.ScatterPlotItem()
        self.label = pg.TextItem(label_text(divergence))  # or its short form, if the plot is narrow
        self.items = (self.path, self.points, self.label)
        for item in self.items:
            item.setZValue(5)  # over the curves
            view.addItem(item, ignoreBounds=True)
        self.label.setZValue(20)  # over the reference lines' and alpha marks' labels too
        self.restyle(look)

    def restyle(self, look: Look) -> None:
        alarm = look.palette.alarm
        self.path.setPen(look.pen(alarm, 1.5, dashed=True))
        self.points.setPen(look.pen(alarm, 2.5))
        self.points.setBrush(pg.mkBrush(alarm))
        self.label.setColor(alarm)
        backing = pg.mkColor(look.palette.background)
        backing.setAlpha(235)  # readable over the curves and the other labels, which just show through
        self.label.fill = pg.mkBrush(backing)
        self.label.setFont(look.font(TICK_POINTS + 1, bold=True))
        self._size = 16 * look.zoom

    def place(self, view: pg.ViewBox, log_y: bool, avoid: QRectF | None = None) -> None:
        """At the losses in the axis' current units, none above the top edge; the label inside the
        view, clear of `avoid` (the legend, in scene coordinates) where there is room."""
        d = self.divergence
        xs = np.arange(d.restored, d.iteration + 1, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            ys = np.log10(d.losses) if log_y else np.array(d.losses, dtype=float)
        _, (bottom, top) = view.viewRange()
        ceiling = top - CEILING * (top - bottom)
        beyond = ~(ys <= ceiling)  # nan and inf are beyond too
        ys = np.where(beyond, ceiling, ys)
        self.path.setData(xs, ys)
        undone = [
            {"pos": (x, y), "symbol": "o", "size": self._size / 3}
            for x, y in zip(xs[1:-1], ys[1:-1], strict=True)
        ]
        caught = {"pos": (xs[-1], ys[-1]), "symbol": "t1" if beyond[-1] else "x", "size": self._size}
        self.points.setData([*undone, caught])
        self._place_label(view, QPointF(xs[-1], ys[-1]), avoid)

    def _place_label(self, view: pg.ViewBox, mark: QPointF, avoid: QRectF | None) -> None:
        """Right of the cross if the text fits there, else left of it, else as near as the plot's
        edges allow; below it in the upper half of the plot, else above it; then out of the way of
        `avoid` if there is room above or below it."""
        area = view.sceneBoundingRect()
        full = label_text(self.divergence)
        self.label.setText(full)
        if self.label.textItem.boundingRect().width() + 2 * GAP_PX > area.width():
            self.label.setText(label_text(self.divergence, short=True))
        text = self.label.textItem.boundingRect()
        at = view.mapViewToScene(mark)
        if at.x() + GAP_PX + text.width() <= area.right():
            left = at.x() + GAP_PX
        elif at.x() - GAP_PX - text.width() >= area.left():
            left = at.x() - GAP_PX - text.width()
        else:
            left = max(area.left(), area.right() - text.width())
        upper = at.y() - area.top() < area.height() / 2
        top = at.y() + GAP_PX if upper else at.y() - GAP_PX - text.height()
        if avoid is not None and QRectF(left, top, text.width(), text.height()).intersects(avoid):
            below, above = avoid.bottom() + GAP_PX, avoid.top() - GAP_PX - text.height()
            if below + text.height() <= area.bottom():
                top = below
            elif above >= area.top():
                top = above
            elif avoid.left() - GAP_PX - text.width() >= area.left():  # no room above or below: beside
                left = avoid.left() - GAP_PX - text.width()
        top = min(max(top, area.top()), area.bottom() - text.height())
        self.label.setAnchor((0, 0))
        self.label.setPos(view.mapSceneToView(QPointF(left, top)))

    def remove(self, view: pg.ViewBox) -> None:
        for item in self.items:
            view.removeItem(item)
