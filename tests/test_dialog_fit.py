"""The inspector and the F1 sheet fit the projectors lecture halls have (1280x720, 1024x768,
1920x1080): at the desk and lecture zooms whole, with no scrolling; at the larger zooms Ctrl+
reaches, scrolling or on more rows, but never cut off."""

import math

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QScrollArea, QWidget

from nnviz.session import Setup, load_splits, make_trainer
from nnviz.ui.fit import room_on
from nnviz.ui.inspector import InspectorDialog
from nnviz.ui.look import DESK, LECTURE_ZOOM, PROJECTOR_LIGHT, ZOOM_RANGE, ZOOM_STEP, Look
from nnviz.ui.shortcuts import ShortcutsDialog

SCREENS = [QRect(0, 0, 1280, 720), QRect(0, 0, 1024, 768), QRect(0, 0, 1920, 1080)]
DESK_LOOK, LECTURE_LOOK = Look(DESK, 1.0), Look(PROJECTOR_LIGHT, LECTURE_ZOOM)
LARGER_LOOKS = [Look(PROJECTOR_LIGHT, LECTURE_ZOOM * ZOOM_STEP**2), Look(PROJECTOR_LIGHT, ZOOM_RANGE[1])]


def dressed(dialog: QWidget, look: Look) -> None:
    """The dialog's widgets in the look's type sizes, as the window's look sets them for the whole
    application. Set on the dialog alone: restyling the whole application while a test's window
    lives is what the window does for itself, and is no part of what is tested here."""
    dialog.setStyleSheet(look.style_sheet())


@pytest.fixture(scope="module")
def iteration(digits):
    setup = Setup()
    trainer = make_trainer(load_splits(setup, digits), setup.config)
    for _ in range(3):
        trainer.step()
    return trainer.prepare()


def settle(qtbot, dialog: QWidget) -> None:
    """Let the layouts (and the scroll areas' second thoughts) settle."""
    for _ in range(3):
        qtbot.wait(0)


def inside(widget: QWidget, dialog: QWidget) -> bool:
    corner = widget.mapTo(dialog, QPoint(0, 0))
    return dialog.rect().contains(QRect(corner, widget.size()))


def under_scroll_area(widget: QWidget, dialog: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not dialog:
        if isinstance(parent, QScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def cut_off(dialog: QWidget, area: QRect) -> list[str]:
    """What of `dialog`, fitted to `area`, a user could not see whole (empty: nothing)."""
    problems = []
    room = room_on(area)
    if dialog.width() > room.width() or dialog.height() > room.height():
        problems.append(f"dialog {dialog.size().toTuple()} with its frame is larger than the screen")
    if dialog.minimumSize().width() > room.width() or dialog.minimumSize().height() > room.height():
        problems.append(f"dialog cannot shrink to the screen: minimum {dialog.minimumSize().toTuple()}")
    for widget in dialog.findChildren(QWidget):
        if not widget.isVisibleTo(dialog):
            continue
        name = f"{type(widget).__name__} {getattr(widget, 'text', lambda: '')()[:30]!r}"
        if isinstance(widget, QAbstractButton) and not (
            inside(widget, dialog) and widget.visibleRegion().boundingRect() == widget.rect()
        ):
            problems.append(f"{name} is not wholly in view")
        if isinstance(widget, QAbstractButton) and widget.width() < widget.minimumSizeHint().width():
            problems.append(f"{name} is squeezed: its text is clipped")
        if (
            isinstance(widget, QLabel)
            and widget.wordWrap()
            and widget.height() < widget.heightForWidth(widget.width())
        ):
            problems.append(f"{name} is shorter than its wrapped text")
        if (
            isinstance(widget, QLabel)
            and not widget.wordWrap()
            and widget.width() < widget.minimumSizeHint().width()
        ):
            problems.append(f"{name} is narrower than its text")
        if isinstance(widget, pg.GraphicsLayoutWidget):
            needed = widget.ci.effectiveSizeHint(Qt.SizeHint.MinimumSize)
            if widget.width() < math.floor(needed.width()) or widget.height() < math.floor(needed.height()):
                problems.append(
                    f"{name} cuts its picture off: {widget.size().toTuple()} < {needed.toTuple()}"
                )
        if not under_scroll_area(widget, dialog) and not inside(widget, dialog):
            problems.append(f"{name} runs off the dialog")
    return problems


def scrolled(dialog: QWidget) -> list[str]:
    return [
        f"the scroll area of {type(area.widget().layout().itemAt(0).widget()).__name__} scrolls"
        for area in dialog.findChildren(QScrollArea)
        if area.isVisibleTo(dialog)
        and (area.verticalScrollBar().maximum() > 0 or area.horizontalScrollBar().maximum() > 0)
    ]


# The stages that need the most room: the batch (prose for an equation), the loss (the longest
# equation), the hidden layer's gradients (the backward pass's example) and the hidden update.
ROOMIEST = (0, 5, 9, 11)


@pytest.mark.parametrize(
    ("look", "stages"), [(LECTURE_LOOK, range(12)), (DESK_LOOK, ROOMIEST)], ids=["lecture", "desk"]
)
def test_every_stage_of_the_inspector_fits_each_projector_whole(qtbot, iteration, look, stages):
    dialog = InspectorDialog(iteration, 0.1, look)
    dressed(dialog, look)
    qtbot.addWidget(dialog)
    dialog.show()
    assert len(dialog.stages) == 12
    for position in stages:
        dialog.show_stage(position)
        for area in SCREENS:
            dialog.fit_to(area)
            settle(qtbot, dialog)
            where = f"stage {position + 1} on {area.width()}x{area.height()}"
            assert cut_off(dialog, area) == [], where
            assert scrolled(dialog) == [], where  # at these zooms it all fits: nothing to scroll


@pytest.mark.parametrize("look", LARGER_LOOKS, ids=lambda look: f"zoom {look.zoom:.2f}")
def test_at_larger_zooms_the_inspector_scrolls_or_reflows_but_cuts_nothing_off(qtbot, iteration, look):
    dialog = InspectorDialog(iteration, 0.1, look)
    dressed(dialog, look)
    qtbot.addWidget(dialog)
    dialog.show()
    for position in ROOMIEST:
        dialog.show_stage(position)
        for area in SCREENS[:2]:  # the small ones
            dialog.fit_to(area)
            settle(qtbot, dialog)
            assert cut_off(dialog, area) == [], f"stage {position + 1} on {area.width()}x{area.height()}"


def test_opened_for_real_the_inspector_lies_within_its_screen_with_every_button_in_view(qtbot, iteration):
    dialog = InspectorDialog(iteration, 0.1, DESK_LOOK)  # fitted to the screen it opens on
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.show_stage(len(dialog.stages) - 1)
    settle(qtbot, dialog)
    area = dialog.screen().availableGeometry()
    assert area.contains(dialog.frameGeometry())
    assert cut_off(dialog, area) == []


def test_the_cheat_sheet_fits_each_projector_at_every_zoom_in_two_columns_if_need_be(qtbot, window):
    for look in [DESK_LOOK, LECTURE_LOOK, *LARGER_LOOKS]:
        dialog = ShortcutsDialog(window.actions(), window)
        dressed(dialog, look)
        dialog.show()
        for area in SCREENS:
            dialog.fit_to(area)
            settle(qtbot, dialog)
            where = f"zoom {look.zoom:.2f} on {area.width()}x{area.height()}"
            assert cut_off(dialog, area) == [], where
            if look in (DESK_LOOK, LECTURE_LOOK):
                assert scrolled(dialog) == [], where
            assert dialog.sheet.horizontalScrollBar().maximum() == 0, where  # never sideways
            if look is LECTURE_LOOK and area.height() == 720:  # one column is too tall there
                assert dialog.columns > 1, where
        with qtbot.waitSignal(dialog.destroyed):
            dialog.close()  # as Close does: the sheet goes
