"""Walk one iteration stage by stage with its real numbers, then apply exactly it (or leave)."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from nnviz.engine.trainer import Iteration
from nnviz.ui.fit import ButtonRows, keep_within, room_on, scrolling
from nnviz.ui.inspector.example import ExampleView
from nnviz.ui.inspector.stages import build_stages
from nnviz.ui.inspector.views import MatrixView
from nnviz.ui.look import Look

WANTED = QSize(1500, 900)  # at zoom 1, when the screen has room
SPACING = 6  # pixels around and between the parts: on a 720-line projector each line counts
GROUP_NAMES = {"forward": "Forward pass", "loss": "Loss", "backward": "Backward pass", "update": "Update"}


class InspectorDialog(QDialog):
    """Previous / Next (buttons, arrow keys, a clicker's Page Up / Page Down) through the stages;
    Apply on the last one.

    The keys belong to the dialog: only the example field takes focus, and only while it is being
    edited (clicked or tabbed into); Enter, Esc or a click elsewhere hands the keys back.
    """

    apply_requested = Signal()  # apply this iteration (the window knows which, and with which alpha)

    def __init__(self, it: Iteration, alpha: float, look: Look, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.look = look
        self.setWindowTitle(f"Step through iteration {it.number}")
        self.it, self.alpha = it, alpha
        self.stages = build_stages(it, alpha, look.palette)
        self.position = 0
        self.selected = 0
        self._views: list[MatrixView] = []
        self._shown: QWidget | None = None  # the stage's matrices, in their rows

        self.heading = QLabel()
        self.heading.setObjectName("stageHeading")
        self.equation = QLabel()
        self.equation.setObjectName("equation")
        self.equation.setTextFormat(Qt.TextFormat.RichText)
        self.explanation = QLabel()
        for label in (self.heading, self.equation, self.explanation):
            label.setWordWrap(True)  # on a narrow projector a long equation takes two lines
        self.matrices = QWidget()
        self.matrices_layout = QVBoxLayout(self.matrices)
        self.matrices_layout.setContentsMargins(0, 0, 0, 0)
        self.example = ExampleView(it, look)
        self.example.selected.connect(self._select)
        self.example.index.done.connect(self.setFocus)  # Enter or Esc in the field: keys back to the stages
        example_layout = QVBoxLayout()
        example_layout.setContentsMargins(0, 0, 0, 0)
        example_layout.addWidget(self.example)
        # Its own scroll area: on a small projector the one example may scroll, never the stage.
        self.example_area = scrolling(example_layout)
        # Side by side in a layout, not a splitter: a splitter does not pass on how tall wrapped
        # titles grow in the width it gives them, and the page would squeeze them instead of scrolling.
        sides = QHBoxLayout()
        sides.addWidget(self.matrices, 9)
        sides.addWidget(self.example_area, 5)
        page_layout = QVBoxLayout()
        page_layout.setContentsMargins(0, 0, 0, 0)
        page_layout.setSpacing(SPACING)
        page_layout.addWidget(self.heading)
        page_layout.addWidget(self.equation)
        page_layout.addWidget(self.explanation)
        page_layout.addLayout(sides, 1)
        self.page = scrolling(page_layout)

        self.previous_button = QPushButton("◀ Previous")
        self.next_button = QPushButton("Next ▶")
        self.apply_button = QPushButton(f"Apply iteration {it.number}")
        self.leave_button = QPushButton("Leave (changes nothing)")
        self.previous_button.setToolTip("Back one stage (Left arrow or Page Up)")
        self.next_button.setToolTip("On to the next stage (Right arrow or Page Down)")
        self.apply_button.setToolTip("Apply exactly this iteration, the same as pressing Step (Enter)")
        self.leave_button.setToolTip("Close without changing anything (Esc)")
        self.previous_button.clicked.connect(self.previous)
        self.next_button.clicked.connect(self.next)
        self.apply_button.clicked.connect(self.apply)
        self.leave_button.clicked.connect(self.reject)
        self.progress = QLabel()
        self.progress.setWordWrap(True)
        self.onward = QStackedWidget()  # Next, and on the last stage Apply in its place
        self.onward.addWidget(self.next_button)
        self.onward.addWidget(self.apply_button)
        self.buttons = ButtonRows(self.progress, [self.leave_button, self.previous_button, self.onward])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(SPACING, SPACING, SPACING, SPACING)
        layout.setSpacing(SPACING)
        layout.addWidget(self.page, 1)
        layout.addWidget(self.buttons)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # a click outside the field takes the keys back
        self.show_stage(0)
        self.ensurePolished()  # the look's type sizes, before measuring what fits
        self.fit_to(self.screen().availableGeometry())
        self.setFocus()  # held until the window shows: the first key walks the stages

    def fit_to(self, area: QRect) -> None:
        """As large as the look asks, within `area` (a screen's available geometry) with the frame;
        the buttons take more rows if one is too narrow for them, and the stage scrolls if it must."""
        room = room_on(area)
        margins = self.layout().contentsMargins()
        self.buttons.arrange(room.width() - margins.left() - margins.right())
        self.layout().activate()  # the new rows' minimum size now, not at the next event: resize obeys it
        wanted = QSize(int(WANTED.width() * self.look.zoom), int(WANTED.height() * self.look.zoom))
        self.resize(wanted.boundedTo(room))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        keep_within(self, self.screen().availableGeometry())

    @property
    def stage(self):
        return self.stages[self.position]

    def show_stage(self, position: int) -> None:
        position = max(0, min(position, len(self.stages) - 1))
        if position == self.position and self._shown is not None:  # Next on the last: nothing to redo
            return
        self.position = position
        stage = self.stage
        self.heading.setText(f"{GROUP_NAMES[stage.group]}: {stage.title}")
        self.equation.setText(stage.equation)
        self.explanation.setText(stage.explanation)
        self.example_area.setVisible(stage.group != "update")  # the update has no examples in it
        self.example.show_pass(stage.group)
        if self._shown is not None:
            self.matrices_layout.removeWidget(self._shown)
            self._shown.hide()  # gone now, not at the next turn of the event loop
            self._shown.deleteLater()
        self._shown = QWidget()
        rows = QVBoxLayout(self._shown)
        rows.setContentsMargins(0, 0, 0, 0)
        self._views = []
        for matrices in stage.rows:
            row = QHBoxLayout()
            views = [MatrixView(matrix, self.selected, self.look) for matrix in matrices]
            for view in views:
                row.addWidget(view, view.stretch)
            rows.addLayout(row, max(view.stretch for view in views))
            self._views += views
        self.matrices_layout.addWidget(self._shown)
        self._shown.show()  # now: the layout would show it at the next turn, and size the page without it
        self._keys_stay_with_the_dialog()
        last = self.position == len(self.stages) - 1
        moved_on = " — the run has moved on: nothing to apply" if not self.apply_button.isEnabled() else ""
        self.progress.setText(f"stage {self.position + 1} of {len(self.stages)}{moved_on}")
        self.previous_button.setEnabled(self.position > 0)
        self.onward.setCurrentWidget(self.apply_button if last else self.next_button)

    def next(self) -> None:
        self.show_stage(self.position + 1)

    def previous(self) -> None:
        self.show_stage(self.position - 1)

    def apply(self) -> None:
        if not self.apply_button.isEnabled():
            return
        self.apply_requested.emit()
        self.accept()

    def run_moved_on(self, snapshot) -> None:
        """The run is no longer where this walk started (training, a reset, a step): Apply would
        apply something else, so it is refused here, with the reason, as well as in the worker."""
        if snapshot.running or snapshot.pending is not self.it or snapshot.alpha != self.alpha:
            self.apply_button.setEnabled(False)
            self.apply_button.setToolTip(
                "The run has moved on since this walk began: leave, and press I again"
            )
            self.progress.setText(
                f"{self.progress.text().split(' —')[0]} — the run has moved on: nothing to apply"
            )

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Right / Page Down: next; Left / Page Up: previous; Enter: next, or apply at the end."""
        key = event.key()
        if key in (Qt.Key.Key_Right, Qt.Key.Key_PageDown):
            self.next()
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_PageUp):
            self.previous()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.position == len(self.stages) - 1:
                self.apply()
            else:
                self.next()
        else:
            super().keyPressEvent(event)  # Esc leaves

    def _keys_stay_with_the_dialog(self) -> None:
        """No plot or scroll area takes the focus (pyqtgraph's views would by default, and
        swallow the arrows); a click on one gives it to the dialog, the nearest that accepts it."""
        field = self.example.index
        for widget in self.findChildren(QWidget):
            if widget is not field and not field.isAncestorOf(widget):
                widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def _select(self, example: int) -> None:
        self.selected = example
        for view in self._views:
            view.select(example)

    def matrix_views(self) -> list[MatrixView]:
        return list(self._views)
