"""The keyboard cheat sheet (F1 or ?): every shortcut of the window, read from its actions."""

from __future__ import annotations

from html import escape

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

INSPECTOR_KEYS = (
    ("→  or  Page Down", "inspector: next stage"),
    ("←  or  Page Up", "inspector: previous stage"),
    ("Enter", "inspector: next stage, or apply on the last"),
    ("Esc", "inspector: leave, changing nothing"),
)


def shortcut_rows(actions: list[QAction]) -> list[tuple[str, str]]:
    """(keys, what they do) for every action that has a shortcut, in the window's order."""
    rows = []
    for action in actions:
        keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()]
        if keys:
            rows.append(("  or  ".join(keys), action.statusTip() or action.text().replace("&", "")))
    return rows


class ShortcutsDialog(QDialog):
    def __init__(self, actions: list[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        rows = shortcut_rows(actions) + list(INSPECTOR_KEYS)
        table = "".join(
            f"<tr><td style='padding:3px 18px 3px 0'><b>{escape(keys)}</b></td><td>{escape(what)}</td></tr>"
            for keys, what in rows
        )
        self.text = QLabel(f"<table>{table}</table>")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.rows = rows
