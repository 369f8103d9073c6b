"""How the window presents itself: the desk look or lecture-hall mode (F5), the zoom, full screen.

Lecture mode is a projector palette, a larger zoom, full screen and the plots in fixed proportions,
with the sidebar and captions out of the way; F5 again restores the desk exactly as it was. Each
mode remembers its own zoom.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, Signal
from PySide6.QtWidgets import QMainWindow

from nnviz.ui.actions import Actions
from nnviz.ui.layout import Layout
from nnviz.ui.look import DESK, LECTURE_ZOOM, PROJECTOR, ZOOM_RANGE, ZOOM_STEP, Look


class Presentation(QObject):
    look_changed = Signal(object)  # the new Look, for every panel and dialog to restyle
    lecture_changed = Signal(bool)

    def __init__(self, window: QMainWindow, layout: Layout, settings: QSettings, actions: Actions) -> None:
        super().__init__(window)
        self._window, self._layout, self._settings, self._actions = window, layout, settings, actions
        self.look = Look(DESK, self._saved_zoom("look/desk_zoom", 1.0))
        self._lecture_zoom = self._saved_zoom("look/lecture_zoom", LECTURE_ZOOM)
        projector = str(settings.value("look/projector", "light"))
        self._projector = projector if projector in PROJECTOR else "light"
        actions["set_dark"].setChecked(self._projector == "dark")
        self._desk_layout: dict[str, bytes] | None = None  # splitter states, kept while in lecture mode
        self._desk_window_state = Qt.WindowState.WindowNoState
        window.installEventFilter(self)  # the full-screen check mark follows the window's real state

    @property
    def lecture_mode(self) -> bool:
        return self._desk_layout is not None

    def set_lecture_mode(self, on: bool) -> None:
        """F5: projector look, full screen, every plot larger; F5 again: the desk as it was."""
        self._actions["set_lecture_mode"].setChecked(on)
        if on == self.lecture_mode:
            return
        window, splitters = self._window, self._layout.splitters()
        if on:
            self._desk_layout = {name: s.saveState() for name, s in splitters.items()}
            self._desk_window_state = window.windowState()
            self._set_look(Look(PROJECTOR[self._projector], self._lecture_zoom))
            window.showFullScreen()
            self._layout.proportion()
        else:
            self._set_look(Look(DESK, self._saved_zoom("look/desk_zoom", 1.0)))
            window.setWindowState(self._desk_window_state)  # maximised, full screen or normal, as it was
            for name, state in self._desk_layout.items():
                splitters[name].restoreState(state)
            self._desk_layout = None
        self._layout.sidebar.setVisible(not on)
        self.lecture_changed.emit(on)

    def set_dark(self, dark: bool) -> None:
        self._projector = "dark" if dark else "light"
        self._settings.setValue("look/projector", self._projector)
        if self.lecture_mode:
            self._set_look(Look(PROJECTOR[self._projector], self.look.zoom))

    def set_full_screen(self, on: bool) -> None:
        if on:
            self._window.showFullScreen()
        else:
            self._window.showNormal()

    def zoom_in(self) -> None:
        self._zoom(ZOOM_STEP)

    def zoom_out(self) -> None:
        self._zoom(1 / ZOOM_STEP)

    def zoom_reset(self) -> None:
        """Back to the mode's own size: 1 at a desk, LECTURE_ZOOM in lecture mode."""
        self._zoom((LECTURE_ZOOM if self.lecture_mode else 1.0) / self.look.zoom)

    def leave_lecture_mode(self) -> None:
        """Before the window's layout is saved: what is remembered is the desk."""
        if self.lecture_mode:
            self.set_lecture_mode(False)

    def _zoom(self, factor: float) -> None:
        look = self.look.zoomed(factor)
        key = "look/lecture_zoom" if self.lecture_mode else "look/desk_zoom"
        self._settings.setValue(key, look.zoom)
        if self.lecture_mode:
            self._lecture_zoom = look.zoom
        self._set_look(look)

    def _set_look(self, look: Look) -> None:
        self.look = look
        self.look_changed.emit(look)

    def _saved_zoom(self, key: str, default: float) -> float:
        """A remembered zoom, within ZOOM_RANGE; anything unreadable gives the default."""
        try:
            zoom = float(self._settings.value(key, default))
        except (TypeError, ValueError):
            return default
        return min(max(zoom, ZOOM_RANGE[0]), ZOOM_RANGE[1]) if math.isfinite(zoom) else default

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.WindowStateChange:
            self._actions["set_full_screen"].setChecked(self._window.isFullScreen())
        return False
