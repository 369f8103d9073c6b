"""Number fields that say why they refuse what was typed, right at the field.

A spin box silently drops a keystroke that would leave its range and silently restores the
old value after an entry it cannot take; a lecturer typing alpha = 50000 would see nothing happen.
These say so in a tooltip at the field: what the field takes, and what was wrong.
An entry that cannot stand is refused whole, never turned into another number.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QValidator
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDoubleSpinBox,
    QLineEdit,
    QSpinBox,
    QToolTip,
    QWidget,
)

HINT_MS = 4000
SETTLE_MS = 50  # while a mouse button is down, look again this often: its release would close a tooltip
DISPLAY_DIGITS = 6  # significant digits a LogField shows at most, as `:g` shows alpha in the status line
EXACT_DECIMALS = 323  # Qt's most (DBL_MAX_10_EXP + DBL_DIG): with it QDoubleSpinBox rounds no double
BOTH_WAYS = QAbstractSpinBox.StepEnabledFlag.StepUpEnabled | QAbstractSpinBox.StepEnabledFlag.StepDownEnabled


class _ExplainsRefusals:
    """Mixin for QSpinBox/QDoubleSpinBox (list it first). `what` names the field in messages."""

    what = "This field"
    in_range_problem = "is not a value this field can hold"

    def validate(self, text: str, pos: int) -> object:
        result = super().validate(text, pos)
        state = result[0] if isinstance(result, tuple) else result
        if state == QValidator.State.Invalid and self.hasFocus():  # typed, not set by the program
            self._show(self.refusal(text))  # the keystroke is dropped; the field keeps the keyboard
        return result

    def fixup(self, text: str) -> str:
        """An entry that cannot stand is refused whole: nothing in it is changed into something
        that could (QDoubleSpinBox would drop a misplaced ',': "1,0" becoming 10); the previous
        value returns."""
        self.explain(self.refusal(text))
        return text

    def refusal(self, text: str) -> str:
        """'Hidden units must be from 1 to 1024: 5000 is too large.'"""
        low, high = self.minimum(), self.maximum()
        bare = self._bare(text)
        if not bare:
            return f"{self.what} must be from {low:g} to {high:g}; left empty, it keeps its value."
        value, is_number = self.locale().toDouble(bare)
        if not is_number or math.isnan(value):
            problem = f"“{bare}” is not a number"
        elif value > high:
            problem = f"{bare} is too large"
        elif value < low:
            problem = f"{bare} is too small"
        else:
            problem = f"{bare} {self.in_range_problem}"
        return f"{self.what} must be from {low:g} to {high:g}: {problem}."

    def explain(self, message: str) -> None:
        """Show `message` at the field once the event that ended the entry is over: after Enter the
        window takes the keyboard back, and a click's release closes tooltips; shown at once, the
        message would vanish before anyone saw it."""
        QTimer.singleShot(0, self, lambda: self._show_when_settled(message))

    def _show_when_settled(self, message: str) -> None:
        if QGuiApplication.mouseButtons() != Qt.MouseButton.NoButton:
            QTimer.singleShot(SETTLE_MS, self, lambda: self._show_when_settled(message))
        else:
            self._show(message)

    def _show(self, message: str) -> None:
        spin: QAbstractSpinBox = self  # type: ignore[assignment]
        # A field out of sight (the sidebar in lecture mode) speaks at the bottom of its window.
        anchor: QWidget = spin if spin.isVisible() else spin.window()
        where = anchor.mapToGlobal(anchor.rect().bottomLeft())
        QToolTip.showText(where, message, anchor, msecShowTime=HINT_MS)

    def _bare(self, text: str) -> str:
        return text.removeprefix(self.prefix()).removesuffix(self.suffix()).strip()


class IntField(_ExplainsRefusals, QSpinBox):
    in_range_problem = "is not a whole number"

    def __init__(self, what: str) -> None:
        super().__init__()
        self.what = what

    def validate(self, text: str, pos: int) -> object:
        """A whole number beyond the range is kept as typed (QSpinBox would drop the keystroke, and
        "5000" would become 500) and refused whole when the entry ends; other characters are
        refused at once."""
        result = super().validate(text, pos)
        state = result[0] if isinstance(result, tuple) else result
        if state == QValidator.State.Invalid and self._is_whole_number(text):
            return QValidator.State.Intermediate, text, pos
        return result

    def _is_whole_number(self, text: str) -> bool:
        bare = self._bare(text).replace(self.locale().groupSeparator(), "")
        digits = bare[1:] if bare[:1] in ("+", "-") else bare
        return digits.isdigit() or (bare in ("+", "-"))  # a sign alone: the number is still coming


class LogField(_ExplainsRefusals, QDoubleSpinBox):
    """A positive number that spans decades (a learning rate). It is typed in the locale's
    notation, scientific included (1e-3, 5E-4, .05); it holds the exact float it was given,
    whatever it shows; Up and Down multiply or divide it by `factor`, so that Down then Up
    returns exactly to where it was."""

    def __init__(self, what: str, low: float, high: float, factor: float) -> None:
        super().__init__()
        self.what = what
        self.factor = factor
        self.setDecimals(EXACT_DECIMALS)  # before the range, which would be rounded to 2 decimals
        self.setRange(low, high)

    def validate(self, text: str, pos: int) -> object:
        # Never Invalid: no keystroke is dropped, so "1e-3" may pass through "1e" and "1e-", and
        # "20000" never becomes 2000. What cannot stand is refused whole when the entry ends (fixup).
        stands = self._entry(text) is not None
        return (QValidator.State.Acceptable if stands else QValidator.State.Intermediate), text, pos

    def valueFromText(self, text: str) -> float:
        if self._bare(text) == self.textFromValue(self.value()):
            return self.value()  # not edited: the exact value, not what it rounds to on screen
        entry = self._entry(text)
        return self.value() if entry is None else entry  # Qt asks only once validate accepts

    def textFromValue(self, value: float) -> str:
        return shown(value, self.locale().decimalPoint())

    def stepEnabled(self) -> QAbstractSpinBox.StepEnabledFlag:
        # Both ways, always: a step that would leave the range is refused with a reason, not greyed.
        return BOTH_WAYS

    def stepBy(self, steps: int) -> None:
        """An entry being typed is finished first, as a spin box does; one that cannot stand is
        refused (and explained) and nothing is stepped from it. What is shown always stands."""
        stands = self._entry(self.text()) is not None
        self.interpretText()
        if stands:
            self.multiply(self.factor**steps)

    def multiply(self, factor: float) -> None:
        """Scale the value exactly; a result outside the range is refused and explained, never
        clamped to another value."""
        value = self.value()
        target = value * factor
        if self.minimum() <= target <= self.maximum():
            self.setValue(target)
            return
        edge, way = (self.minimum(), "below") if target < self.minimum() else (self.maximum(), "above")
        step = f"× {factor:g}" if factor >= 1 else f"÷ {1 / factor:g}"
        self.explain(
            f"{self.what} cannot go {way} {edge:g}: {self.textFromValue(value)} {step} would be {target:g}."
        )

    def _entry(self, text: str) -> float | None:
        """The value `text` stands for, if it is a number in range."""
        value, is_number = self.locale().toDouble(self._bare(text))
        return value if is_number and self.minimum() <= value <= self.maximum() else None


def shown(value: float, decimal_point: str = ".") -> str:
    """`value` with the fewest significant digits (at most DISPLAY_DIGITS) that give it back,
    and whole numbers written out (10000, not 1e+04)."""
    digits = next((d for d in range(1, DISPLAY_DIGITS) if float(f"{value:.{d}g}") == value), DISPLAY_DIGITS)
    digits = max(digits, len(str(int(value))))
    return f"{value:.{digits}g}".replace(".", decimal_point)


class KeysStayInFields(QObject):
    """While a field has the focus, the keys it uses itself (arrows, Space, typing) are its own:
    Up in 'Hidden units' must raise the hidden units, not double alpha. It follows the focus, so
    every field of the window is covered, also one added later (a view's example chooser)."""

    FIELDS = (QAbstractSpinBox, QLineEdit, QComboBox)
    KEYS = frozenset(
        {Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_PageUp,
         Qt.Key.Key_PageDown, Qt.Key.Key_Home, Qt.Key.Key_End, Qt.Key.Key_Space}
    )  # fmt: skip

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        QApplication.instance().focusChanged.connect(self._focus_moved)

    def _focus_moved(self, _old: QWidget | None, new: QWidget | None) -> None:
        if isinstance(new, self.FIELDS) and new.window() is self._window:
            new.installEventFilter(self)  # once: Qt does not install the same filter twice

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and not event.modifiers() & ~KEYPAD:
            typed = bool(event.text()) and event.text().isprintable()
            if event.key() in self.KEYS or typed:
                event.accept()  # the field gets the key; no shortcut fires
        return False


KEYPAD = Qt.KeyboardModifier.KeypadModifier
