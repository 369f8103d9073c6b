"""Text that fits the space it is given, instead of making the window wider than the screen.

A projector at 1280x720 or 1024x768 leaves no room for a panel's title to claim its full width,
or for a caption to grow to five lines when the type is zoomed: these show what fits (ending in
"…") and keep the whole text in the tooltip.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QLabel, QSizePolicy


def fit_lines(text: str, metrics: QFontMetrics, width: int, lines: int) -> str:
    """`text` broken into at most `lines` lines of `width` pixels, the last one elided if need be."""
    words, out, current = text.split(), [], ""
    for index, word in enumerate(words):
        trial = f"{current} {word}" if current else word
        if metrics.horizontalAdvance(trial) <= width or not current:
            current = trial
            continue
        out.append(current)
        if len(out) == lines:
            rest = " ".join([current, *words[index:]])
            out[-1] = metrics.elidedText(rest, Qt.TextElideMode.ElideRight, width)
            return "\n".join(out)
        current = word
    if current:
        out.append(metrics.elidedText(current, Qt.TextElideMode.ElideRight, width))
    return "\n".join(out)


class FittedLabel(QLabel):
    """A plain-text label of at most `lines` lines that takes the width it is given, no more."""

    def __init__(self, text: str = "", lines: int = 1) -> None:
        super().__init__()
        self.lines = lines
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.full_text = ""
        self.setText(text)

    def setText(self, text: str) -> None:
        self.full_text = text
        self._fit()

    def text_fits(self) -> bool:
        return self.text().replace("\n", " ") == " ".join(self.full_text.split())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() in (event.Type.FontChange, event.Type.StyleChange):
            self._fit()

    def sizeHint(self):
        hint = super().sizeHint()
        hint.setHeight(self.fontMetrics().lineSpacing() * self.lines + 2 * self.margin() + 2)
        return hint

    def minimumSizeHint(self):
        return self.sizeHint()

    def _fit(self) -> None:
        width = max(self.contentsRect().width() - 2 * self.margin(), 20)
        fitted = fit_lines(self.full_text, self.fontMetrics(), width, self.lines)
        if fitted != self.text():
            QLabel.setText(self, fitted)
        self.setToolTip("" if self.text_fits() else self.full_text)
