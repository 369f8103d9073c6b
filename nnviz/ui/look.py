"""How the window looks: a palette (desk, or projector light or dark) and one zoom for every size.

Lecture-hall mode is just another Look: projector colours, colour-blind-safe maps, and a zoom
that scales fonts, numbers and lines alike. Panels and dialogs restyle their items from a Look.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPalette, QPen
from PySide6.QtWidgets import QCheckBox


@dataclass(frozen=True)
class Palette:
    name: str
    background: str  # plots
    ink: str  # text and axes
    muted: str  # captions
    window: str  # Qt widgets' background
    button: str
    train: str
    dev: str
    alpha_mark: str
    reference: str
    histogram: str
    selected: str  # the chosen example, the true label
    diverging: str  # colour map centred on 0
    sequential: str  # colour map from 0 up
    positive: str  # the diverging map's colour for "up", as the captions say it
    negative: str
    alarm: str  # what stopped the run, dead units, settings awaiting Reset: as text and behind white text


DESK = Palette(
    "desk", "#ffffff", "#222222", "#444444", "#efefef", "#fafafa", "#1f5fbf", "#e07b00", "#7a3fa0",
    "#9a9a9a", "#4a7ab5", "#e07b00", "CET-D1", "CET-L3", "red", "blue", "#b00020",
)  # fmt: skip
# Okabe-Ito line colours and the colour-blind-safe CET maps, in strong contrast for a washed-out beamer.
PROJECTOR_LIGHT = Palette(
    "light", "#ffffff", "#000000", "#111111", "#ffffff", "#f2f2f2", "#0072b2", "#d55e00", "#cc79a7",
    "#555555", "#0072b2", "#d55e00", "CET-CBD1", "CET-CBL2", "yellow", "blue", "#b00020",
)  # fmt: skip
PROJECTOR_DARK = Palette(
    "dark", "#000000", "#ffffff", "#f0f0f0", "#141414", "#2a2a2a", "#56b4e9", "#e69f00", "#cc79a7",
    "#aaaaaa", "#56b4e9", "#e69f00", "CET-CBD1", "CET-CBL2", "yellow", "blue", "#e8202f",
)  # fmt: skip
PROJECTOR = {"light": PROJECTOR_LIGHT, "dark": PROJECTOR_DARK}

LECTURE_ZOOM = 1.6
ZOOM_STEP = 1.15
ZOOM_RANGE = (0.6, 3.0)
TICK_POINTS, LABEL_POINTS, TITLE_POINTS = 9.0, 10.0, 11.0


@dataclass(frozen=True)
class Look:
    palette: Palette = DESK
    zoom: float = 1.0

    def zoomed(self, factor: float) -> Look:
        return replace(self, zoom=min(max(self.zoom * factor, ZOOM_RANGE[0]), ZOOM_RANGE[1]))

    def points(self, base: float) -> float:
        return round(base * self.zoom, 1)

    def font(self, base: float, bold: bool = False) -> QFont:
        font = QFont()
        font.setPointSizeF(self.points(base))
        font.setBold(bold)
        return font

    def pen(self, colour: str, width: float = 2.0, dashed: bool = False) -> QPen:
        """Lines thicken with the zoom, so curves stay visible from the back of a hall."""
        style = Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine
        return pg.mkPen(colour, width=max(1.0, width * self.zoom), style=style)

    def diverging_map(self) -> pg.ColorMap:
        return pg.colormap.get(self.palette.diverging)

    def sequential_map(self) -> pg.ColorMap:
        return pg.colormap.get(self.palette.sequential)

    def style_sheet(self) -> str:
        """Qt widgets' fonts and colours; pyqtgraph items are styled by the helpers below."""
        p, pt = self.palette, self.points
        return f"""
        QWidget {{ font-size: {pt(10)}pt; }}
        QMainWindow, QDialog, QWidget#sidebar {{ background: {p.window}; color: {p.ink}; }}
        QLabel, QCheckBox, QGroupBox {{ color: {p.ink}; }}
        QLabel#figureCaption {{ color: {p.muted}; }}
        QLabel#caption {{ color: {p.muted}; }}
        QLabel#panelTitle {{ font-size: {pt(12)}pt; font-weight: 600; }}
        QLabel#pending {{ color: {p.alarm}; }}
        QLabel#banner {{ background: {p.alarm}; color: white; font-size: {pt(13)}pt; font-weight: 600;
            padding: 6px 10px; border-radius: 4px; }}
        QFrame#filterInset {{ background: {p.window}; border: 2px solid {p.muted}; border-radius: 6px; }}
        QLabel#insetHeading {{ font-size: {pt(12)}pt; }}
        QLabel#stageHeading {{ font-size: {pt(16)}pt; font-weight: 600; }}
        QLabel#equation {{ font-family: serif; font-size: {pt(24)}pt; padding: 6px; }}
        QToolButton, QPushButton {{ font-size: {pt(12)}pt; background: {p.button}; color: {p.ink};
            border: 1px solid {p.muted}; border-radius: 4px; padding: 4px 10px; }}
        QToolButton:disabled, QPushButton:disabled {{ color: {p.reference}; }}
        QStatusBar, QStatusBar QLabel {{ background: {p.window}; color: {p.ink}; font-size: {pt(10)}pt; }}
        QMenuBar, QMenu {{ background: {p.window}; color: {p.ink}; font-size: {pt(10)}pt; }}
        QMenuBar::item:selected, QMenu::item:selected {{ background: {p.button}; }}
        QTabWidget::pane {{ border: none; border-top: 1px solid {p.muted}; }}
        QTabBar::tab {{ background: {p.button}; color: {p.muted}; border: 1px solid {p.muted};
            border-bottom: none; border-top-left-radius: 4px; border-top-right-radius: 4px;
            padding: 3px 10px; margin-right: 2px; }}
        QTabBar::tab:selected {{ background: {p.window}; color: {p.ink}; font-weight: 600; }}
        """


def style_axis(axis: pg.AxisItem, look: Look) -> None:
    # No automatic SI prefix: it rewrites the axis label (HTML layout) at every change of range,
    # six times a frame, and nnviz's axes need none (iterations have their own CountAxis).
    axis.enableAutoSIPrefix(False)
    ink = look.palette.ink
    axis.setPen(look.pen(ink, 1))
    axis.setTextPen(ink)
    axis.setStyle(tickFont=look.font(TICK_POINTS), tickLength=int(-5 * look.zoom))
    label_style = {"color": ink, "font-size": f"{look.points(LABEL_POINTS)}pt"}
    axis.setLabel(axis.labelText, axis.labelUnits, axis.labelUnitPrefix, **label_style)


def style_plot(plot: pg.PlotItem, look: Look, title: str | None = None) -> None:
    for name in ("left", "bottom", "right", "top"):
        style_axis(plot.getAxis(name), look)
    if title is not None:
        set_title(plot, look, title)


def set_title(plot: pg.PlotItem, look: Look, title: str) -> None:
    plot.setTitle(title, size=f"{look.points(TITLE_POINTS)}pt", color=look.palette.ink)


def configure_drawing() -> None:
    """How every window draws; call before the first paint.

    Row-major images, and no antialiasing: it costs more than half of a curve's paint time. No Qt
    GUI thread pool: Qt's raster engine would hand large fills to helper threads and wait for them,
    which costs a frame about 1 ms more than painting in the GUI thread, and takes cores from
    training's BLAS threads while it does (BENCHMARKS.md). Qt reads the variable once, at the first
    paint that would use the pool; any value turns the pool off.
    """
    os.environ.setdefault("QT_NO_GUI_THREADPOOL", "1")
    pg.setConfigOptions(antialias=False, imageAxisOrder="row-major")


def style_check_box(box: QCheckBox, look: Look) -> None:
    """Qt's Fusion style draws a check box from its palette: the box in Base, its outline a shade
    darker than Window, the tick in Text. Left to the application palette, a dark look got a white
    box whose white tick did not show: checked and unchecked looked the same. (A style sheet
    background would set Base and Window alike, and the outline would vanish on a dark window.)"""
    p = look.palette
    palette = box.palette()
    palette.setColor(QPalette.ColorRole.Base, QColor(p.background))
    palette.setColor(QPalette.ColorRole.Window, QColor(p.muted))  # the outline: darker than this
    palette.setColor(QPalette.ColorRole.Text, QColor(p.ink))
    box.setPalette(palette)


def style_colour_bar(bar: pg.ColorBarItem, look: Look, colour_map: pg.ColorMap | None = None) -> None:
    if colour_map is not None:
        bar.setColorMap(colour_map)
    style_axis(bar.axis, look)
