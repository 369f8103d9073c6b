"""What state the run is in, in words: the status bar, the red banner that says what stopped a run,
data being loaded, and data the worker refused (said once, in a message box)."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QProgressBar

from nnviz.engine.divergence import Divergence
from nnviz.ui.labels import FittedLabel
from nnviz.worker.snapshot import Snapshot

KEYS_REMINDER = "Space start/pause · → step · ← back · ↑↓ α · R reset · F1 all keys"


class RunStatus:
    def __init__(self, window: QMainWindow) -> None:
        self._window = window
        self.banner = QLabel()  # what stopped the run, in plain words
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.line = FittedLabel("Starting…")  # what fits the width (a projector's), the rest in its tooltip
        self.busy = QProgressBar()  # while new data loads: the window is live, the run waits
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(160)
        self.busy.hide()
        window.statusBar().addPermanentWidget(self.line, 1)
        window.statusBar().addPermanentWidget(self.busy)
        self._refusals_shown = 0  # the number of the last refused command explained
        self._divergence: Divergence | None = None  # the last one explained, and how often in a row
        self._repeats = 0

    def show_snapshot(self, s: Snapshot) -> None:
        self._show_banner(s)
        self._explain_refusal(s)
        self.busy.setVisible(s.loading is not None)
        self._set(self.line, self._status_text(s))

    def _status_text(self, s: Snapshot) -> str:
        if s.loading:
            return f"Loading {s.loading}… (the window stays live; the new run starts when it is read)"
        state = "training" if s.running else "paused"
        if s.error:
            state = f"stopped by an error: {s.error}"
        batch = "full batch" if s.batch_size == s.train_examples else f"batches of {s.batch_size}"
        return (
            f"{s.data_name}: {s.train_examples:,} train / {s.dev_examples:,} dev digits · {batch} · "
            f"α = {s.alpha:g} · {state}   —   {KEYS_REMINDER}"
        )

    def _show_banner(self, s: Snapshot) -> None:
        trouble = s.divergence.message() if s.divergence else s.error
        if s.divergence is not None and s.divergence is not self._divergence:  # a new one
            same = self._divergence is not None and trouble == self._divergence.message()
            self._repeats = self._repeats + 1 if same else 1
            self._divergence = s.divergence
        if trouble and s.divergence is not None and self._repeats > 1:
            trouble += f" (caught again: {self._repeats} times in a row)"  # Space at the same alpha
        if trouble and not s.running:
            self._set(self.banner, trouble[0].upper() + trouble[1:])
            self.banner.show()
        else:
            self.banner.hide()

    def _explain_refusal(self, s: Snapshot) -> None:
        refusal = s.refusal
        if refusal is None or refusal.command <= self._refusals_shown:
            return
        self._refusals_shown = refusal.command
        # After this frame, not inside it: a message box runs an event loop of its own.
        QTimer.singleShot(
            0, lambda: QMessageBox.warning(self._window, "Cannot use this data", refusal.message)
        )

    @staticmethod
    def _set(label: QLabel, text: str) -> None:
        shown = label.full_text if isinstance(label, FittedLabel) else label.text()
        if shown != text:  # a new text re-lays out the label: only when it changed
            label.setText(text)
