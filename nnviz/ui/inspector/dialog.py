"""Walk one iteration stage by stage with its real numbers, then apply exactly it (or leave)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from nnviz.engine.trainer import Iteration
from nnviz.ui.inspector.stages import build_stages
from nnviz.ui.inspector.views import ExampleView, MatrixView
from nnviz.ui.look import Look

GROUP_NAMES = {"forward": "Forward pass", "loss": "Loss", "backward": "Backward pass", "update": "Update"}
DONE_EDITING = frozenset({Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape})


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
        self.it = it
        self.stages = build_stages(it, alpha)
        self.position = 0
        self.selected = 0

        self.heading = QLabel()
        self.heading.setObjectName("stageHeading")
        self.equation = QLabel()
        self.equation.setObjectName("equation")
        self.equation.setTextFormat(Qt.TextFormat.RichText)
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.matrices = QWidget()
        self.matrices_layout = QVBoxLayout(self.matrices)
        self.matrices_layout.setContentsMargins(0, 0, 0, 0)
        self.example = ExampleView(it, look)
        self.example.selected.connect(self._select)
        self.example.index.installEventFilter(self)
        split = QSplitter()
        split.addWidget(self.matrices)
        split.addWidget(self.example)
        split.setSizes([900, 500])

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
        buttons = QHBoxLayout()
        buttons.addWidget(self.progress)
        buttons.addStretch(1)
        for button in (self.leave_button, self.previous_button, self.next_button, self.apply_button):
            buttons.addWidget(button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.equation)
        layout.addWidget(self.explanation)
        layout.addWidget(split, 1)
        layout.addLayout(buttons)
        available = self.screen().availableGeometry()  # on a 1280x720 projector too, Apply stays in view
        self.resize(
            min(int(1500 * look.zoom), available.width()), min(int(900 * look.zoom), available.height())
        )
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # a click outside the field takes the keys back
        self.show_stage(0)
        self.setFocus()  # held until the window shows: the first key walks the stages

    @property
    def stage(self):
        return self.stages[self.position]

    def show_stage(self, position: int) -> None:
        self.position = max(0, min(position, len(self.stages) - 1))
        stage = self.stage
        self.heading.setText(f"{GROUP_NAMES[stage.group]}: {stage.title}")
        self.equation.setText(stage.equation)
        self.explanation.setText(stage.explanation)
        while self.matrices_layout.count():
            widget = self.matrices_layout.takeAt(0).widget()
            widget.deleteLater()
        for matrix in stage.matrices:
            view = MatrixView(matrix, self.selected, self.look)
            self.matrices_layout.addWidget(view, view.stretch)
        self._keys_stay_with_the_dialog()
        last = self.position == len(self.stages) - 1
        moved_on = " — the run has moved on: nothing to apply" if not self.apply_button.isEnabled() else ""
        self.progress.setText(f"stage {self.position + 1} of {len(self.stages)}{moved_on}")
        self.previous_button.setEnabled(self.position > 0)
        self.next_button.setEnabled(not last)
        self.apply_button.setVisible(last)

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
        if snapshot.running or snapshot.pending is not self.it:
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

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter or Esc in the example field: done editing. The keys go back to the stages; the
        key itself neither walks on, nor applies, nor leaves."""
        if event.type() == QEvent.Type.KeyPress and event.key() in DONE_EDITING:
            self.setFocus()
            return True
        return super().eventFilter(watched, event)

    def _keys_stay_with_the_dialog(self) -> None:
        """No plot, scroll area or splitter takes the focus (pyqtgraph's views would by default, and
        swallow the arrows); a click on one gives it to the dialog, the nearest that accepts it."""
        field = self.example.index
        for widget in self.findChildren(QWidget):
            if widget is not field and not field.isAncestorOf(widget):
                widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def _select(self, example: int) -> None:
        self.selected = example
        for index in range(self.matrices_layout.count()):
            self.matrices_layout.itemAt(index).widget().select(example)

    def matrix_views(self) -> list[MatrixView]:
        return [self.matrices_layout.itemAt(i).widget() for i in range(self.matrices_layout.count())]
