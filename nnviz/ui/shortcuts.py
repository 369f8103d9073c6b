"""The keyboard cheat sheet (F1 or ?): every shortcut of the window, read from its actions."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QStyle, QVBoxLayout, QWidget

from nnviz.ui.fit import keep_within, room_on, scrolling

INSPECTOR_KEYS = (
    ("→  or  Page Down", "inspector: next stage"),
    ("←  or  Page Up", "inspector: previous stage"),
    ("Enter", "inspector: next stage, or apply on the last"),
    ("Esc", "inspector: leave, changing nothing"),
)
MOST_COLUMNS = 2  # beyond two, a row's keys and what they do drift apart on a projector


def shortcut_rows(actions: list[QAction]) -> list[tuple[str, str]]:
    """(keys, what they do) for every action that has a shortcut, in the window's order: the action's
    own short name, as its menu says it (the longer explanation is its tooltip), so that the sheet
    stays short enough to read from the back of a hall."""
    rows = []
    for action in actions:
        keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()]
        if keys:
            name = action.data() or action.text()
            rows.append(("  or  ".join(keys), name.replace("&", "").removesuffix("…")))
    return rows


def sheet_html(rows: list[tuple[str, str]], columns: int) -> str:
    """The rows as a table, in `columns` side-by-side columns read top to bottom, then left to right.
    Keys never wrap; what they do may."""
    per_column = -(-len(rows) // columns)
    parts = [rows[start : start + per_column] for start in range(0, len(rows), per_column)]
    lines = []
    for line in range(per_column):
        cells = []
        for part in parts:
            keys, what = part[line] if line < len(part) else ("", "")
            cells.append(
                f"<td style='padding:1px 12px 1px 0; white-space:nowrap'><b>{escape(keys)}</b></td>"
                f"<td style='padding:1px 28px 1px 0'>{escape(what)}</td>"
            )
        lines.append(f"<tr>{''.join(cells)}</tr>")
    return f"<table>{''.join(lines)}</table>"


class ShortcutsDialog(QDialog):
    """The sheet in one column where the screen is tall enough, in two where it is not, and
    scrolling (Close always in view) where even two are too long for it."""

    def __init__(self, actions: list[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # one is made per F1: a closed one goes
        self.rows = shortcut_rows(actions) + list(INSPECTOR_KEYS)
        self.text = QLabel()
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        content = QVBoxLayout()
        content.setContentsMargins(0, 0, 0, 0)
        content.addWidget(self.text)
        self.sheet = scrolling(content)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.sheet, 1)
        layout.addWidget(self.buttons)
        self.ensurePolished()  # the look's type size, before measuring what fits
        self.fit_to(self.screen().availableGeometry())

    def fit_to(self, area: QRect) -> None:
        """The fewest columns whose sheet fits in `area` (a screen's available geometry) with the
        frame; if none does, the one that scrolls least (and never sideways if one need not)."""
        room = room_on(area)
        margins = self.layout().contentsMargins()
        extra = QSize(
            margins.left() + margins.right(),
            margins.top() + margins.bottom() + self.layout().spacing() + self.buttons.sizeHint().height(),
        )
        space = room - extra
        layouts = []
        for columns in range(1, MOST_COLUMNS + 1):
            self.text.setText(sheet_html(self.rows, columns))
            width = min(self._unwrapped_width(), space.width())
            # The height it takes even with a scroll bar beside it: else, once a scroll bar shows
            # while the dialog settles, the narrower text grows taller and the bar stays.
            height = self.text.heightForWidth(
                width - self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
            )
            sideways = self.text.minimumSizeHint().width() > space.width()
            layouts.append((sideways, height > space.height(), height, columns, width))
            if not sideways and height <= space.height():
                break
        *_, height, self.columns, width = min(layouts)
        self.text.setText(sheet_html(self.rows, self.columns))
        self.resize(QSize(width + extra.width(), height + extra.height()).boundedTo(room))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        keep_within(self, self.screen().availableGeometry())

    def _unwrapped_width(self) -> int:
        self.text.setWordWrap(False)
        width = self.text.sizeHint().width()
        self.text.setWordWrap(True)
        return width
