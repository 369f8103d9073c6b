"""Lecture-hall mode: everything larger and in projector colours, everything still working, and back."""

import pytest
from PySide6.QtCore import Qt

from nnviz.session import Setup
from nnviz.ui.look import LECTURE_ZOOM, PROJECTOR_DARK, ZOOM_RANGE
from nnviz.ui.shortcuts import ShortcutsDialog, shortcut_rows
from nnviz.ui.window import MainWindow


def sizes(window: MainWindow) -> dict[str, float]:
    """What a person at the back of the hall depends on: type, numbers and line widths."""
    value = window.figures.values["iteration"]
    value.ensurePolished()
    return {
        "figure": value.font().pointSizeF() / window.figures.scale,  # as the look asks, before fitting
        "ticks": window.loss.plot.getAxis("bottom").style["tickFont"].pointSizeF(),
        "curve": window.loss.curves["train_loss"].opts["pen"].widthF(),
        "tile labels": window.filters.tiles.label_item.font.pointSizeF(),
    }


def test_f5_makes_everything_larger_and_f5_again_restores_it(qtbot, window):
    desk = sizes(window)
    qtbot.keyClick(window, Qt.Key.Key_F5)
    lecture = sizes(window)
    assert window.lecture_mode and window.isFullScreen()
    for name in desk:
        assert lecture[name] == pytest.approx(desk[name] * LECTURE_ZOOM, rel=0.15), name
    assert not window.layout_.sidebar.isVisible() and not window.loss.caption.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert not window.lecture_mode and sizes(window) == desk
    assert window.layout_.sidebar.isVisible() and window.loss.caption.isVisible()


def test_zoom_scales_in_steps_and_ctrl_0_restores(qtbot, window):
    desk = sizes(window)
    window.presentation.zoom_in()
    window.presentation.zoom_in()
    assert sizes(window)["figure"] > desk["figure"] and sizes(window)["curve"] > desk["curve"]
    window.presentation.zoom_reset()
    assert sizes(window) == desk


def test_dark_projector_theme_paints_plots_black_with_colour_blind_safe_maps(window):
    window.action("set_dark").setChecked(True)
    window.presentation.set_dark(True)
    window.presentation.set_lecture_mode(True)
    assert window.look.palette is PROJECTOR_DARK
    assert window.loss.graphics.backgroundBrush().color().name() == "#000000"
    assert window.look.palette.diverging.startswith("CET-CB")  # colour-blind-safe map
    assert "Yellow" in window.filters.caption.full_text  # captions name the colours of the map in use


def test_training_stepping_alpha_and_the_inspector_all_work_in_lecture_mode(qtbot, window):
    window.presentation.set_lecture_mode(True)
    qtbot.keyClick(window, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: window.state.iteration == 1)
    qtbot.keyClick(window, Qt.Key.Key_Up)
    qtbot.waitUntil(lambda: window.state.alpha == pytest.approx(0.2))
    dialog = window.inspect()
    assert dialog.look.zoom == pytest.approx(LECTURE_ZOOM)
    for _ in range(len(dialog.stages) - 1):
        qtbot.keyClick(dialog, Qt.Key.Key_Right)
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.state.iteration == 2)
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.state.iteration > 5, timeout=10000)


def test_lecture_zoom_is_remembered(qtbot, window, digits, tmp_path):
    window.presentation.set_lecture_mode(True)
    window.presentation.zoom_in()
    zoom = window.look.zoom
    window.close()
    again = MainWindow(Setup(), digits, window._settings)
    qtbot.addWidget(again)
    again.presentation.set_lecture_mode(True)
    assert again.look.zoom == pytest.approx(zoom)
    again.close()


def test_the_cheat_sheet_lists_every_shortcut(window):
    rows = dict((keys, what) for keys, what in shortcut_rows(window.actions()))
    for key in ("Space", "S", "I", "R", "F5", "F11", "F1"):
        assert any(key in keys.split("  or  ") for keys in rows), key
    assert rows["Space"] == "Start / pause"  # not 'Start', the menu's word while paused
    dialog = ShortcutsDialog(window.actions(), window)
    assert "inspector: next stage" in dialog.text.text() and "F5" in dialog.text.text()


def test_speed_limit_keys_work_without_the_sidebar(qtbot, window):
    window.presentation.set_lecture_mode(True)
    assert window.speed_control.limit is None
    qtbot.keyClick(window, Qt.Key.Key_BracketLeft)
    slower = window.speed_control.limit
    qtbot.keyClick(window, Qt.Key.Key_BracketLeft)
    assert slower is not None and window.speed_control.limit < slower
    for _ in range(3):
        qtbot.keyClick(window, Qt.Key.Key_BracketRight)
    assert window.speed_control.limit is None


def test_ctrl_0_in_lecture_mode_means_lecture_size(window):
    window.presentation.set_lecture_mode(True)
    window.presentation.zoom_in()
    window.presentation.zoom_reset()
    assert window.look.zoom == pytest.approx(LECTURE_ZOOM)


def test_f5_twice_restores_a_maximised_window(qtbot, window):
    window.showMaximized()
    qtbot.waitUntil(lambda: window.isMaximized())
    window.presentation.set_lecture_mode(True)
    window.presentation.set_lecture_mode(False)
    assert window.isMaximized() and not window.isFullScreen()


def test_unreadable_or_extreme_saved_looks_fall_back(qtbot, digits, settings):
    settings.setValue("look/desk_zoom", "huge")
    settings.setValue("look/lecture_zoom", 500)
    settings.setValue("look/projector", "neon")
    w = MainWindow(Setup(), digits, settings)
    qtbot.addWidget(w)
    assert w.look.zoom == 1.0
    w.presentation.set_lecture_mode(True)
    assert w.look.zoom == ZOOM_RANGE[1] and w.look.palette.name == "light"
    w.close()
