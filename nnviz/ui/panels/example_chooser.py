"""Choosing the example the views follow: by position in the dev or train split, the next or previous,
a random one, the next one the network gets wrong, or the digit drawn on the pad.

Every choice is a Choose command to the training thread, which sends the example back through the
network in the next snapshot; nothing here computes anything of the network's.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from nnviz.ui.actions import Actions
from nnviz.worker import Choose
from nnviz.worker.snapshot import Snapshot

SPLITS = ("dev", "train")
BUTTONS = ("previous_example", "next_example", "random_example", "next_mistake", "my_drawing")
NAMED_BUTTONS = BUTTONS[2:]  # the ones with words, which move to a second line when narrow


class ExampleChooser(QWidget):
    """`send` sends a command to the training thread (returning its number); `latest` gives the
    snapshot drawn last; `actions` are the window's, shown here as buttons."""

    drawing_wanted = Signal()  # "My drawing": the pad sends what it holds

    def __init__(
        self,
        send: Callable[[Choose], int],
        latest: Callable[[], Snapshot | None],
        actions: Actions,
    ) -> None:
        super().__init__()
        self._send, self._latest = send, latest
        self._asked: tuple[int, str, int] | None = None  # (command number, split, index) sent last
        self._mistake_asked = 0  # the number of the last "next mistake" command
        self._random = np.random.default_rng()
        self.split = QComboBox()
        self.split.addItems(SPLITS)
        self.split.setToolTip("Which examples to choose from: the held-out dev split or the training split")
        self.split.activated.connect(lambda _: self.choose(self.split.currentText(), self.index.value()))
        self.index = QSpinBox()
        self.index.setKeyboardTracking(False)  # typed digits are one choice on Enter, not one per digit
        self.index.setToolTip("The example's position in its split")
        self.index.valueChanged.connect(lambda value: self.choose(self.split.currentText(), value))
        self.note = QLabel()
        self.note.setObjectName("caption")
        self.note.setSizePolicy(
            QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred
        )  # never widens the row
        self.buttons: dict[str, QToolButton] = {}
        rows = QVBoxLayout(self)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.setSpacing(2)
        self._rows = (QHBoxLayout(), QHBoxLayout())
        for row in self._rows:
            rows.addLayout(row)
        first = self._rows[0]
        first.addWidget(self.split)
        for name in BUTTONS:
            button = self.buttons[name] = QToolButton()
            button.setDefaultAction(actions[name])
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys go to the window's shortcuts
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            first.addWidget(button)
            if name == "previous_example":
                first.addWidget(self.index)
        first.addWidget(self.note, 1)
        self._rows[1].addStretch(1)
        # On a narrow screen the named buttons move to a second line (and the row gives way beyond
        # that): it must never make the network view, and so the window, wider than the screen.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self._two_lines = False

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        named = [self.buttons[name] for name in NAMED_BUTTONS]
        one_line = sum(w.sizeHint().width() for w in (self.split, self.index, *self.buttons.values()))
        two_lines = self.width() < one_line + 8 * self._rows[0].spacing()
        if two_lines != self._two_lines:
            self._two_lines = two_lines
            row = self._rows[1 if two_lines else 0]
            at = 0 if two_lines else row.indexOf(self.note)
            for offset, button in enumerate(named):
                row.insertWidget(at + offset, button)

    # --- what the buttons and keys do ---

    def step(self, by: int) -> int | None:
        """The next (by = 1) or previous (-1) example of the split, going round at its ends."""
        split, index = self.current()
        size = self._size(split)
        return self.choose(split, (index + by) % size) if size else None

    def random(self) -> int | None:
        split, _ = self.current()
        size = self._size(split)
        return self.choose(split, int(self._random.integers(size))) if size else None

    def next_mistake(self) -> int | None:
        """The next example from here on that the network gets wrong (found by the training thread)."""
        split, index = self.current()
        if not self._size(split):
            return None
        self._mistake_asked = self._send(Choose(split, index + 1, next_mistake=True))
        self._asked = None  # where it lands is the training thread's answer
        self.note.setText("")
        return self._mistake_asked

    def my_drawing(self) -> None:
        self.drawing_wanted.emit()

    def choose(self, split: str, index: int) -> int:
        number = self._send(Choose(split, index))
        self._asked = (number, split, index)
        self.note.setText("")
        return number

    def current(self) -> tuple[str, int]:
        """The split and position chosen: the last one asked for, until the run has answered;
        then the one the snapshots follow (which a click elsewhere, e.g. in a gallery, may set)."""
        latest = self._latest()
        if self._asked is not None and (latest is None or latest.acknowledged < self._asked[0]):
            return self._asked[1], self._asked[2]
        example = latest.example if latest is not None else None
        if example is not None and example.source in SPLITS:
            return example.source, example.index
        if self._asked is not None:
            return self._asked[1], self._asked[2]
        return self.split.currentText(), self.index.value()

    def _size(self, split: str) -> int:
        latest = self._latest()
        if latest is None:
            return 0
        return latest.dev_examples if split == "dev" and latest.dev_examples else latest.train_examples

    # --- following the run ---

    def show_snapshot(self, snapshot: Snapshot) -> None:
        """The split and position shown agree with the example the snapshot brings (silently: showing
        is not choosing)."""
        example = snapshot.example
        has_dev = snapshot.dev_examples > 0
        self.split.model().item(0).setEnabled(has_dev)
        split, index = self.current()
        split = split if has_dev or split != "dev" else "train"
        with QSignalBlocker(self.split), QSignalBlocker(self.index):
            self.split.setCurrentText(split)
            self.index.setRange(0, max(self._size(split) - 1, 0))
            self.index.setValue(index)
        if self._mistake_asked and snapshot.acknowledged >= self._mistake_asked and example is not None:
            self._mistake_asked = 0
            right = example.label is not None and int(np.argmax(example.forward.A2[:, 0])) == example.label
            if right:
                self.note.setText(f"no mistake: the network gets every {split} digit right")
