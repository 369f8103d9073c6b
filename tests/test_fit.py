"""The window fits the screens lecture halls have (1280x720, 1024x768, 1920x1080), at the desk and
in lecture mode: nothing is pushed off screen, no figure is cut, and zooming the type does not
squeeze the plots away."""

from __future__ import annotations

import pytest
from driving import handled

from nnviz.ui.look import ZOOM_STEP

SCREENS = [(1280, 720), (1024, 768), (1920, 1080)]
TITLE_BAR = 40  # a window manager's frame, at the desk (full screen has none)


def lay_out(qtbot, window, size: tuple[int, int]) -> None:
    window.resize(*size)
    qtbot.waitUntil(lambda: window.size().toTuple() == size)
    window.layout_.central.layout().activate()
    qtbot.wait(0)  # one pass of the event loop: resize events reach every widget


def assert_nothing_cut(window, size: tuple[int, int]) -> None:
    hint = window.minimumSizeHint()
    assert hint.width() <= size[0] and hint.height() <= size[1], (hint.toTuple(), size)
    for key, label in window.figures.values.items():
        assert label.fontMetrics().horizontalAdvance(label.text()) <= label.width(), key
    for key, label in window.figures.captions.items():
        assert label.fontMetrics().horizontalAdvance(label.text()) <= label.width(), key
    for panel in window.panels[1:]:
        assert panel.width() >= 150 and panel.graphics.height() >= 100, type(panel).__name__


@pytest.mark.parametrize("size", SCREENS, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_desk_window_fits_the_screen(qtbot, window, size):
    desk = (size[0], size[1] - TITLE_BAR)
    lay_out(qtbot, window, desk)
    assert_nothing_cut(window, desk)
    sidebar = window.layout_.sidebar
    assert sidebar.widget().minimumSizeHint().width() <= sidebar.viewport().width()  # no label clipped


@pytest.mark.parametrize("size", SCREENS, ids=lambda s: f"{s[0]}x{s[1]}")
def test_lecture_mode_fits_the_screen(qtbot, window, size):
    window.presentation.set_lecture_mode(True)
    lay_out(qtbot, window, size)
    assert_nothing_cut(window, size)
    handled(qtbot, window, window.run.step())  # and it still draws there


def test_zooming_the_type_keeps_the_plots_large_and_the_sidebar_whole(qtbot, window):
    lay_out(qtbot, window, (1600, 950))
    plot_height = window.loss.plot.vb.height()
    for _ in range(3):
        window.presentation.zoom_in()
    lay_out(qtbot, window, (1600, 951))
    assert window.look.zoom == pytest.approx(ZOOM_STEP**3)
    assert window.loss.plot.vb.height() >= 0.6 * plot_height  # captions keep to two lines
    sidebar = window.layout_.sidebar
    assert sidebar.widget().minimumSizeHint().width() <= sidebar.viewport().width()


def test_figures_shrink_alike_to_fit_and_grow_back(qtbot, window):
    lay_out(qtbot, window, (1920, 1040))
    assert window.figures.scale == 1.0
    window.presentation.set_lecture_mode(True)
    lay_out(qtbot, window, (1024, 768))
    assert window.figures.scale < 1.0
    sizes = {label.font().pointSizeF() for label in window.figures.values.values()}
    assert len(sizes) == 1  # all alike, not one squeezed
    window.presentation.set_lecture_mode(False)
    lay_out(qtbot, window, (1920, 1040))
    assert window.figures.scale == 1.0
