"""Dialogs that fit the screen they open on: lecture halls' 1280x720 and 1024x768 projectors too.

A dialog asks for the size it would like and gets at most the room its screen has, less a window
manager's frame. What then does not fit scrolls or moves to another row: nothing runs off screen.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLayout, QScrollArea, QVBoxLayout, QWidget

FRAME_ROOM = QSize(16, 48)  # a window manager's borders and title bar: not known before showing
GAP = 8  # pixels between the buttons of a row


def room_on(area: QRect) -> QSize:
    """The largest dialog whose frame still fits in `area`, a screen's available geometry."""
    return QSize(max(area.width() - FRAME_ROOM.width(), 1), max(area.height() - FRAME_ROOM.height(), 1))


def keep_within(window: QWidget, area: QRect) -> None:
    """Move `window` so that its frame lies within `area`, if it fits: Qt centres a dialog on its
    parent, and on a small screen a large dialog centred there runs over an edge."""
    frame = window.frameGeometry()
    x = min(max(frame.left(), area.left()), area.right() + 1 - frame.width())
    y = min(max(frame.top(), area.top()), area.bottom() + 1 - frame.height())
    window.move(max(x, area.left()), max(y, area.top()))


def scrolling(content: QLayout) -> QScrollArea:
    """`content` in a frameless scroll area: what does not fit scrolls, never squashed or cut off.
    The area never takes the keyboard: the dialog's keys stay the dialog's."""
    page = FittingPage()
    page.setLayout(content)
    area = QScrollArea()
    area.setWidget(page)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    for part in (page, area.viewport()):  # the dialog's own background, as if there were no area
        part.setAutoFillBackground(False)
    return area


class FittingPage(QWidget):
    """A scroll area's page that scrolls only when its content cannot fit.

    For a page with wrapped text Qt's scroll area asks heightForWidth, which a layout answers with
    its preferred height: plots always like more room than they need, so the page would scroll
    on any screen. The least height the content needs at that width is the right answer.
    """

    def heightForWidth(self, width: int) -> int:
        return self.layout().minimumHeightForWidth(width)


class ButtonRows(QWidget):
    """A label on the left and buttons on the right, on one row when they fit in the width given
    to `arrange`; else the label above, and the buttons on as many rows as they need.

    The rows are made once and the widgets moved between them: no layout is taken apart, so none
    is left for Python and Qt both to delete.
    """

    def __init__(self, lead: QWidget, buttons: list[QWidget]) -> None:
        super().__init__()
        self.lead, self.buttons = lead, buttons
        rows = QVBoxLayout(self)
        rows.setContentsMargins(0, 0, 0, 0)
        self.lines: list[QHBoxLayout] = []
        for _ in range(1 + len(buttons)):  # an empty line takes no room
            line = QHBoxLayout()
            line.setSpacing(GAP)
            line.addStretch(1)  # the lead stands before it, the buttons after it, on the right
            rows.addLayout(line)
            self.lines.append(line)

    def arrange(self, width: int) -> None:
        for line in self.lines:
            for widget in (self.lead, *self.buttons):
                line.removeWidget(widget)
        for line, row in zip(self.lines, self.placed(width), strict=False):
            for widget in row:
                if widget is self.lead:
                    line.insertWidget(0, widget)
                else:
                    line.addWidget(widget)
        self.layout().activate()  # the new minimum size now, for the dialog that sizes itself next
        self.updateGeometry()

    def placed(self, width: int) -> list[list[QWidget]]:
        """The widgets of each row, top to bottom."""
        widths = [button.sizeHint().width() for button in self.buttons]
        if self.lead.sizeHint().width() + sum(widths) + GAP * len(widths) <= width:
            return [[self.lead, *self.buttons]]
        rows: list[list[QWidget]] = [[self.lead], []]
        used = 0
        for button, needed in zip(self.buttons, widths, strict=True):
            if rows[-1] and used + GAP + needed > width:
                rows.append([])
                used = 0
            rows[-1].append(button)
            used += needed + (GAP if used else 0)
        return rows
