"""Colours, pens and colour maps shared by every panel, so the whole window reads as one."""

from __future__ import annotations

import pyqtgraph as pg

TRAIN_COLOUR = "#1f5fbf"  # blue: the training batch
DEV_COLOUR = "#e07b00"  # orange: the held-out dev set (blue/orange stays distinct for colour-blind eyes)
ALPHA_MARK_COLOUR = "#7a3fa0"
HISTOGRAM_COLOUR = "#4a7ab5"
DIVERGING_MAP = "CET-D1"  # blue - white - red, centred on 0: red pushes up, blue pulls down


REFERENCE_COLOUR = "#9a9a9a"
TEXT_COLOUR = "#333333"


def configure_pyqtgraph() -> None:
    """White plots with dark ink: they survive a washed-out projector better than black ones.

    No antialiasing: at 30 frames a second it costs more than half of a curve's paint time.
    """
    pg.setConfigOptions(background="w", foreground="#222222", antialias=False, imageAxisOrder="row-major")


def diverging_map() -> pg.ColorMap:
    return pg.colormap.get(DIVERGING_MAP)


def pen(colour: str, width: float = 2.0, dashed: bool = False) -> pg.QtGui.QPen:
    style = pg.QtCore.Qt.PenStyle.DashLine if dashed else pg.QtCore.Qt.PenStyle.SolidLine
    return pg.mkPen(colour, width=width, style=style)
