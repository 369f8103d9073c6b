"""Number fields that say why they refuse what was typed, right at the field.

A spin box silently drops a keystroke that would leave its range and silently restores the
old value after an entry it cannot take; a lecturer typing alpha = 50000 would see nothing happen.
These say so in a tooltip at the field: what the field takes, and what was wrong.
"""

from __future__ import annotations

from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QAbstractSpinBox, QDoubleSpinBox, QSpinBox, QToolTip

HINT_MS = 4000


class _ExplainsRefusals:
    """Mixin for QSpinBox/QDoubleSpinBox (list it first). `what` names the field in messages."""

    what = "This field"

    def validate(self, text: str, pos: int) -> object:
        result = super().validate(text, pos)
        state = result[0] if isinstance(result, tuple) else result
        if state == QValidator.State.Invalid:
            self._explain(text)
        return result

    def fixup(self, text: str) -> str:  # an entry that cannot stand: the previous value returns
        self._explain(text)
        return super().fixup(text)

    def refusal(self, text: str) -> str:
        """'Hidden units must be from 1 to 1024: 5000 is too large.'"""
        low, high = self.minimum(), self.maximum()
        bare = text.removeprefix(self.prefix()).removesuffix(self.suffix()).strip()
        if not bare:
            return f"{self.what} must be from {low:g} to {high:g}; left empty, it keeps its value."
        try:
            value = float(bare.replace(self.locale().groupSeparator(), ""))
        except ValueError:
            problem = f"“{bare}” is not a number"
        else:
            problem = f"{bare} is too large" if value > high else f"{bare} is too small"
            if low <= value <= high:  # in range, but not a value this field can hold
                problem = f"{bare} {self.precision_problem()}"
        return f"{self.what} must be from {low:g} to {high:g}: {problem}."

    def _explain(self, text: str) -> None:
        spin: QAbstractSpinBox = self  # type: ignore[assignment]
        if spin.hasFocus():  # typed by the user, not set by the program
            where = spin.mapToGlobal(spin.rect().bottomLeft())
            QToolTip.showText(where, self.refusal(text), spin, msecShowTime=HINT_MS)


class IntField(_ExplainsRefusals, QSpinBox):
    def __init__(self, what: str) -> None:
        super().__init__()
        self.what = what

    def precision_problem(self) -> str:
        return "is not a whole number"


class FloatField(_ExplainsRefusals, QDoubleSpinBox):
    def __init__(self, what: str) -> None:
        super().__init__()
        self.what = what

    def precision_problem(self) -> str:
        return f"has more than {self.decimals()} decimals"
