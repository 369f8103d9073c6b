"""The drawing view: a pad to draw a digit on, what the network sees of it, and the network's
opinion of it, live: the drawing stays while training runs, so the audience watches the network
learn to read *their* digit.

The drawing is prepared as MNIST's digits were (nnviz.data.prepare, the same function as
`nnviz predict`) and sent to the training thread as the chosen example, as strokes are drawn (at
most every PREDICT_MS while the pen moves, and whenever it is lifted): the network view beside it
draws the answer with the next snapshot. The pad itself never waits for the network.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QBoxLayout, QComboBox, QSizePolicy, QToolButton

from nnviz.data.prepare import NoDigit, prepare_digit
from nnviz.ui.actions import Actions
from nnviz.ui.look import LABEL_POINTS, Look
from nnviz.ui.panels.base import Panel
from nnviz.ui.panels.draw_pad import DrawPad
from nnviz.ui.panels.network import NetworkOptions, NetworkPanel
from nnviz.worker import Choose
from nnviz.worker.snapshot import Snapshot

PREDICT_MS = 80  # while the pen moves, the network is asked at most this often
WIDE = 1.25  # a page this much wider than tall puts the drawing beside the network, not above it
SEES_TITLE = "What the network<br>sees"  # two lines: beside the pad on a 1024-pixel screen it is narrow
CAPTION = (
    "Draw a digit with the mouse, a pen or a finger. It is prepared as MNIST's digits were: its box "
    "scaled to 20×20 pixels, its centre of mass put in the middle of 28×28. Keep drawing while it trains."
)


class DrawPanel(Panel):
    """`send` sends a command to the training thread; `actions` are the window's (Undo, Clear)."""

    def __init__(self, options: NetworkOptions, send: Callable[[Choose], int], actions: Actions) -> None:
        super().__init__("Draw a digit: what does the network make of it?", CAPTION)
        self._send = send
        self.pixels: np.ndarray | None = None  # the drawing as prepared (28, 28), None when blank
        self.pad = DrawPad()
        self.controls = buttons = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.buttons: dict[str, QToolButton] = {}
        for name in ("undo_stroke", "clear_drawing"):
            button = self.buttons[name] = QToolButton()
            button.setDefaultAction(actions[name])
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            buttons.addWidget(button)
        self.meant = QComboBox()
        self.meant.addItems(["digit?", *map(str, range(10))])
        self.meant.setToolTip(
            "Which digit you meant: then the errors (E) show what backpropagation would change for it"
        )
        self.meant.activated.connect(lambda _: self.send_drawing())
        buttons.addWidget(self.meant)
        buttons.addStretch(1)
        self.sees_title = self.graphics.addLabel(SEES_TITLE, row=0, col=0)
        self.sees_box = self.graphics.addViewBox(row=1, col=0, lockAspect=True, invertY=True)
        self.sees_box.setMouseEnabled(False, False)
        self.sees = pg.ImageItem(np.zeros((28, 28), dtype=np.float32))
        self.sees_box.addItem(self.sees)
        self.sees_frame = pg.QtWidgets.QGraphicsRectItem(0, 0, 28, 28)
        self.sees_box.addItem(self.sees_frame)
        self.blank_note = pg.TextItem("draw a\ndigit first", anchor=(0.5, 0.5))
        self.blank_note.setPos(14, 14)
        self.sees_box.addItem(self.blank_note, ignoreBounds=True)
        self.sees_box.enableAutoRange()  # the 28x28 image fills its box at any size
        self.network = NetworkPanel(options, with_input=False)  # what it sees is shown beside the pad
        self.network.caption.hide()  # the pad's caption says what to do here
        # The pad, its buttons and what the network sees: in a row above the network on a page about
        # as tall as wide (the network keeps the full width its outputs and bars need), in a column
        # beside it on a wide one (a projector): see _arrange.
        column = self.layout()
        place = column.indexOf(self.graphics)
        column.removeWidget(self.graphics)
        self.drawing = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.drawing.addWidget(self.pad, 1)
        self.drawing.addLayout(buttons)
        self.drawing.addWidget(self.graphics, 1)
        self.body = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.body.addLayout(self.drawing, 2)
        self.body.addWidget(self.network, 3)
        column.insertLayout(place, self.body, 1)
        self._timer = QTimer(self, singleShot=True, interval=PREDICT_MS)
        self._timer.timeout.connect(self.send_drawing)
        self.pad.changed.connect(self._drawing_changed)
        self.pad.stroke_finished.connect(self.send_drawing)
        self.pad.cleared.connect(lambda: self.meant.setCurrentIndex(0))  # a new drawing: no digit said yet
        self.graphics.ci.setContentsMargins(0, 0, 0, 0)

    def restart(self) -> None:
        """Nothing of its own to forget: its network view restarts itself on the new run."""

    def restyle(self, look: Look) -> None:
        self.network.apply_look(look)
        self.pad.set_look(look)
        palette = look.palette
        self.sees.setColorMap(pg.ColorMap([0.0, 1.0], [palette.background, palette.ink]))
        self.sees.setLevels((0.0, 255.0))
        self.sees_frame.setPen(look.pen(palette.muted, 1))
        self.blank_note.setColor(palette.ink)
        self.blank_note.setFont(look.font(LABEL_POINTS, bold=True))
        self.sees_box.setBorder(None)
        self.sees_title.setText(SEES_TITLE, size=f"{look.points(LABEL_POINTS)}pt", color=palette.ink)

    def update_items(self, snapshot: Snapshot) -> None:
        self.network.show_snapshot(snapshot)
        example = snapshot.example
        if example is None or example.source == "drawn":
            self.network.set_title("The network, on your drawing")
        else:  # the pad is blank (or not yet read): say whose digit the network is showing
            self.network.set_title(f"The network, on {example.source} #{example.index} until you draw")

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._arrange(self.width() >= WIDE * self.height())

    def _arrange(self, wide: bool) -> None:
        """Wide: the drawing in a column left of the network; else in a row above it."""
        across, down = QBoxLayout.Direction.LeftToRight, QBoxLayout.Direction.TopToBottom
        self.body.setDirection(across if wide else down)
        self.drawing.setDirection(down if wide else across)
        self.controls.setDirection(across if wide else down)

    # --- the drawing ---

    def _drawing_changed(self) -> None:
        if not self._timer.isActive():
            self._timer.start()

    def send_drawing(self) -> int:
        """Prepare the drawing as MNIST's digits were, show it, and make it the chosen example
        (a blank pad sends a blank page: the network's opinion of nothing)."""
        self._timer.stop()
        try:
            self.pixels = prepare_digit(self.pad.render())
        except NoDigit:
            self.pixels = None
        shown = self.pixels if self.pixels is not None else np.zeros((28, 28), dtype=np.float32)
        self.sees.setImage(shown, autoLevels=False)
        self.blank_note.setVisible(self.pixels is None)
        meant = self.meant.currentIndex() - 1  # "digit?" first, then 0-9
        return self._send(Choose(pixels=shown.reshape(-1), label=meant if meant >= 0 else None))

    def showEvent(self, event) -> None:
        """Coming into sight with a drawing on the pad: the network views follow the drawing."""
        super().showEvent(event)
        if self.pad.strokes:
            self.send_drawing()
