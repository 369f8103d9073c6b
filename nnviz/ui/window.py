"""The main window: wiring between the controls, the training thread and the panels.

Commands go to the worker; a timer in the GUI thread takes the newest snapshot (at most
~30 a second) and hands it to every panel. No training math runs here.
"""

from __future__ import annotations

import math
import time
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSizePolicy,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from nnviz.data import (
    DOWNLOADED,
    EMBEDDED,
    DataError,
    Dataset,
    download_mnist,
    is_downloaded,
    load_dataset,
    mnist_dir,
)
from nnviz.session import Setup, Splits, load_splits, make_trainer
from nnviz.ui.controls import ALPHA_FACTOR, AlphaControl, SpeedControl
from nnviz.ui.download_dialog import DownloadDialog, Fetch
from nnviz.ui.inspector import InspectorDialog
from nnviz.ui.look import DESK, LECTURE_ZOOM, PROJECTOR, ZOOM_RANGE, ZOOM_STEP, Look
from nnviz.ui.panels import (
    AccuracyPanel,
    ActivationsPanel,
    FiguresBar,
    FiltersPanel,
    LossPanel,
    OutputWeightsPanel,
)
from nnviz.ui.persistence import save_setup
from nnviz.ui.settings_panel import RunSettingsPanel
from nnviz.ui.shortcuts import ShortcutsDialog
from nnviz.worker import Replace, SetAlpha, SetSpeedLimit, Start, Step, Toggle, TrainingWorker
from nnviz.worker.snapshot import Snapshot

POLL_INTERVAL_MS = 10  # cheap: a look at the worker's slot; a snapshot is made only for a due frame
MIN_FRAME_SECONDS = 1 / 30
# While training runs, drawing may take at most this share of the GUI thread's time: BLAS uses
# every core, so each millisecond spent painting is taken from training, nearly one for one.
# Frames are paced by their cost: 5-6 a second at full batch on 41,000 digits, about 5 on the
# embedded digits (a frame there carries more curve), for ~6% of training (BENCHMARKS.md).
FRAME_BUDGET = 0.06
# Training runs this many nice levels below the GUI thread (Linux): the window answers at once.
TRAINING_NICE = 5
DATA_FILTER = "MNIST-like data (*.gz *ubyte *.idx *.csv *.npz);;All files (*)"
CLOSING_WAIT_SECONDS = 2.0  # for a cancelled download to clean up before the app exits


class KeysStayInFields(QObject):
    """While a field has the focus, the keys it uses itself (arrows, Space, typing) are its own:
    Up in 'Hidden units' must raise the hidden units, not double alpha."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and not event.modifiers() & ~KEYPAD:
            typed = bool(event.text()) and event.text().isprintable()
            if event.key() in FIELD_KEYS or typed:
                event.accept()  # the field gets the key; no shortcut fires
        return False


KEYPAD = Qt.KeyboardModifier.KeypadModifier
FIELD_KEYS = frozenset(
    {Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_PageUp,
     Qt.Key.Key_PageDown, Qt.Key.Key_Home, Qt.Key.Key_End, Qt.Key.Key_Space}
)  # fmt: skip


class MainWindow(QMainWindow):
    snapshot_shown = Signal(object)  # each Snapshot once every panel has drawn it

    def __init__(
        self, setup: Setup, data: Dataset, settings: QSettings, speed_limit: float | None = None
    ) -> None:
        super().__init__()
        self.setWindowTitle("nnviz: a neural network learning digits")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # so the window itself can hold the keyboard
        self._settings = settings
        self._setup, self._data = setup, data
        splits = load_splits(setup, data)
        self.worker = TrainingWorker(make_trainer(splits, setup.config), nice=TRAINING_NICE)
        self.state: Snapshot | None = None
        self._next_frame_at = self._frame_started = self._frame_cost = 0.0
        self.look = Look(DESK, self._saved_zoom("look/desk_zoom", 1.0))
        self._lecture_zoom = self._saved_zoom("look/lecture_zoom", LECTURE_ZOOM)
        projector = str(settings.value("look/projector", "light"))
        self._projector = projector if projector in PROJECTOR else "light"
        self._desk_layout: dict[str, bytes] | None = None  # splitter states, kept while in lecture mode
        self._desk_window_state = Qt.WindowState.WindowNoState
        self.fetch_mnist: Fetch = download_mnist  # File > Full MNIST fetches with it (tests: a local server)
        self.download: DownloadDialog | None = None  # the one under way, if any

        self.figures = FiguresBar()
        self.banner = QLabel()  # what stopped the run, in plain words
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.loss, self.accuracy = LossPanel(), AccuracyPanel()
        self.accuracy.plot.setXLink(self.loss.plot)
        # Panning either linked plot by hand stops the loss plot (which leads the x axis) following.
        self.accuracy.plot.vb.sigRangeChangedManually.connect(self.loss._stop_following)
        self.filters, self.output_weights, self.activations = (
            FiltersPanel(),
            OutputWeightsPanel(),
            ActivationsPanel(),
        )
        self.panels = [
            self.figures,
            self.loss,
            self.accuracy,
            self.filters,
            self.output_weights,
            self.activations,
        ]
        self.alpha_control = AlphaControl(setup.config.alpha)
        self.speed_control = SpeedControl()
        self.speed_control.set_limit(speed_limit)
        self.run_settings = RunSettingsPanel()
        self.status = QLabel()
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.statusBar().addPermanentWidget(self.status, 1)

        self._make_actions()
        self._make_menus()
        self._lay_out()
        self._show_setup(splits)
        self._restore_layout()
        self.apply_look(self.look)

        self.alpha_control.alpha_changed.connect(self._set_alpha)
        self._keys_stay_in_fields = KeysStayInFields(self)
        for field in (self.alpha_control.spin, *self.run_settings.fields()):
            field.editingFinished.connect(self.setFocus)  # done typing: the keys are shortcuts again
            field.installEventFilter(self._keys_stay_in_fields)
        self.run_settings.init.installEventFilter(self._keys_stay_in_fields)
        self.speed_control.limit_changed.connect(lambda limit: self.worker.send(SetSpeedLimit(limit)))
        self.worker.send(SetSpeedLimit(self.speed_control.limit))
        self.frame_timer = QTimer(self, interval=POLL_INTERVAL_MS)  # a pause shows within 10 ms
        self.frame_timer.timeout.connect(self.show_latest)
        self.worker.start()
        self.frame_timer.start()
        self.setFocus()  # keys go to the shortcuts, not to the first spin box

    # --- building ---

    def _action(self, text: str, tip: str, keys: list[str], slot, checkable: bool = False) -> QAction:
        action = QAction(text, self)
        action.setShortcuts([QKeySequence(k) for k in keys])
        shortcut = " or ".join(keys)
        action.setToolTip(f"{tip} ({shortcut})" if keys else tip)
        action.setStatusTip(tip)
        action.setCheckable(checkable)
        action.triggered.connect(slot)
        self.addAction(action)  # shortcuts work even when the menu bar is hidden (full screen)
        return action

    def _make_actions(self) -> None:
        self.act_start = self._action("Start", "Start or pause training", ["Space"], self.toggle_running)
        self.act_step = self._action(
            "Step", "Run exactly one iteration (while paused)", ["Right", "S"], self.step
        )
        self.act_inspect = self._action(
            "Step through one iteration…",
            "Walk the next iteration equation by equation with its real numbers (while paused)",
            ["I"],
            self.inspect,
        )
        self.act_inspect.setIconText("Step through…")  # the button's shorter text
        self.act_reset = self._action(
            "Reset",
            "Start over from new weights, with the run settings on the left",
            ["R"],
            self.reset,
        )
        self.act_defaults = self._action(
            "Restore default settings",
            "Start over with the defaults: 10 hidden units, He init, full batch, alpha 0.1, no speed limit",
            [],
            self.restore_defaults,
        )
        self.act_alpha_up = self._action(
            "α × 2",
            "Double the learning rate",
            ["Up"],
            lambda: self.alpha_control.scale(ALPHA_FACTOR),
        )
        self.act_alpha_down = self._action(
            "α ÷ 2",
            "Halve the learning rate",
            ["Down"],
            lambda: self.alpha_control.scale(1 / ALPHA_FACTOR),
        )
        self.act_slower = self._action(
            "Slower",
            "Lower the speed limit (for narrating: 1-5 iterations per second)",
            ["["],
            self.speed_control.slower,
        )
        self.act_faster = self._action(
            "Faster", "Raise the speed limit, up to no limit", ["]"], self.speed_control.faster
        )
        self.act_fullscreen = self._action(
            "Full screen",
            "Fill the screen (for a projector)",
            ["F11"],
            self._toggle_fullscreen,
            checkable=True,
        )
        self.act_log_loss = self._action(
            "Log-scale loss",
            "Loss on a logarithmic axis",
            ["L"],
            self.loss.log_scale.setChecked,
            checkable=True,
        )
        self.loss.log_scale.toggled.connect(self.act_log_loss.setChecked)
        self.act_lecture = self._action(
            "Lecture-hall mode",
            "Projector colours, large type, thick lines, full screen",
            ["F5"],
            self.set_lecture_mode,
            checkable=True,
        )
        self.act_dark = self._action(
            "Dark projector theme", "In lecture-hall mode: white on black", [], self._set_dark, checkable=True
        )
        self.act_dark.setChecked(self._projector == "dark")
        self.act_zoom_in = self._action(
            "Zoom in", "Larger type and lines", ["Ctrl++", "Ctrl+="], self.zoom_in
        )
        self.act_zoom_out = self._action("Zoom out", "Smaller type and lines", ["Ctrl+-"], self.zoom_out)
        self.act_zoom_reset = self._action(
            "Normal size", "Type and lines at their normal size", ["Ctrl+0"], self.zoom_reset
        )
        self.act_shortcuts = self._action(
            "Keyboard shortcuts", "List every shortcut", ["F1", "?"], self.show_shortcuts
        )
        self.act_open = self._action(
            "Open data…", "Train on digits from IDX, CSV or NPZ files", ["Ctrl+O"], self.open_data
        )
        self.act_embedded = self._action(
            f"Embedded digits ({EMBEDDED})",
            "The 5,000 digits shipped with nnviz",
            [],
            lambda: self.use_data(EMBEDDED),
        )
        self.act_mnist = self._action(
            "Full MNIST (60,000 digits)…",
            "All 60,000 training digits; downloaded once (11 MB) the first time",
            [],
            self.use_full_mnist,
        )
        self.act_quit = self._action("Quit", "Close nnviz", ["Ctrl+Q"], self.close)

    def _make_menus(self) -> None:
        menus = {
            "&File": [self.act_open, self.act_embedded, self.act_mnist, None, self.act_quit],
            "&Run": [
                self.act_start,
                self.act_step,
                self.act_inspect,
                self.act_reset,
                self.act_defaults,
                None,
                self.act_alpha_up,
                self.act_alpha_down,
                self.act_slower,
                self.act_faster,
            ],
            "&View": [
                self.act_log_loss,
                self.act_fullscreen,
                None,
                self.act_lecture,
                self.act_dark,
                self.act_zoom_in,
                self.act_zoom_out,
                self.act_zoom_reset,
            ],
            "&Help": [self.act_shortcuts],
        }
        for title, actions in menus.items():
            menu = self.menuBar().addMenu(title)
            for action in actions:
                if action is None:
                    menu.addSeparator()
                else:
                    menu.addAction(action)

    def _button(self, action: QAction) -> QToolButton:
        button = QToolButton()
        button.setDefaultAction(action)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys go to the window's shortcuts
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.setMinimumHeight(34)
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        return button

    def _lay_out(self) -> None:
        training = QGroupBox("Training")
        form = QFormLayout(training)
        self.start_button, self.step_button, self.inspect_button, self.reset_button = (
            self._button(a) for a in (self.act_start, self.act_step, self.act_inspect, self.act_reset)
        )
        for button in (self.start_button, self.step_button, self.inspect_button, self.reset_button):
            form.addRow(button)
        form.addRow("α (learning rate)", self.alpha_control)
        form.addRow("Speed limit", self.speed_control)
        sidebar = self.sidebar = QWidget()
        sidebar.setObjectName("sidebar")
        side = QVBoxLayout(sidebar)
        side.addWidget(training)
        side.addWidget(self.run_settings)
        side.addStretch(1)
        sidebar.setFixedWidth(290)

        self.curves_split = QSplitter(Qt.Orientation.Vertical)
        self.curves_split.addWidget(self.loss)
        self.curves_split.addWidget(self.accuracy)
        self.lower_split = QSplitter(Qt.Orientation.Horizontal)
        self.lower_split.addWidget(self.output_weights)
        self.lower_split.addWidget(self.activations)
        self.lower_split.setSizes([280, 620])
        self.weights_split = QSplitter(Qt.Orientation.Vertical)
        self.weights_split.addWidget(self.filters)
        self.weights_split.addWidget(self.lower_split)
        self.weights_split.setSizes([480, 420])
        self.main_split = QSplitter(Qt.Orientation.Horizontal)
        self.main_split.addWidget(self.curves_split)
        self.main_split.addWidget(self.weights_split)
        self.main_split.setSizes([560, 760])

        body = QSplitter(Qt.Orientation.Horizontal)
        body.addWidget(sidebar)
        body.addWidget(self.main_split)
        body.setStretchFactor(1, 1)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.addWidget(self.figures)
        layout.addWidget(self.banner)
        layout.addWidget(body, 1)
        self.setCentralWidget(central)

    def _splitters(self) -> dict[str, QSplitter]:
        return {
            "curves": self.curves_split,
            "lower": self.lower_split,
            "weights": self.weights_split,
            "main": self.main_split,
        }

    def _restore_layout(self) -> None:
        geometry = self._settings.value("window/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            screen = QGuiApplication.primaryScreen().availableGeometry()
            self.resize(min(1600, screen.width()), min(950, screen.height()))
        for name, splitter in self._splitters().items():
            state = self._settings.value(f"window/split_{name}")
            if state is not None:
                splitter.restoreState(state)

    # --- commands ---

    def toggle_running(self) -> None:
        self.worker.send(Toggle())

    def step(self) -> None:
        self.worker.send(Step())  # the worker ignores it while running

    def inspect(self) -> InspectorDialog | None:
        """Open the walk through the next iteration (paused only); Apply sends exactly that one."""
        if self.state is None or self.state.running:
            return None
        shown = self.state
        dialog = InspectorDialog(shown.pending, shown.alpha, self.look, self)
        dialog.apply_requested.connect(
            lambda: self.worker.send(Step(expect=shown.pending, alpha=shown.alpha))
        )
        self.snapshot_shown.connect(dialog.run_moved_on)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda: self.snapshot_shown.disconnect(dialog.run_moved_on))
        dialog.finished.connect(self.activateWindow)  # keys go back to the window's shortcuts
        dialog.open()
        return dialog

    def run_until(self, iteration: int) -> None:
        self.worker.send(Start(until=iteration))

    def reset(self) -> None:
        """Start over with the settings panel's values (and the current alpha)."""
        self._restart(self.run_settings.setup(self.alpha_control.alpha), self._data)

    def restore_defaults(self) -> None:
        """After a demonstration of alpha = 100, one click back to a run that learns."""
        defaults = Setup(data=self._setup.data)
        self.alpha_control.set_alpha(defaults.config.alpha)
        self.speed_control.set_limit(None)
        if self._restart(defaults, self._data):
            self.worker.send(SetSpeedLimit(None))

    def _set_alpha(self, alpha: float) -> None:
        self.worker.send(SetAlpha(alpha))

    def open_data(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open MNIST-like data", str(Path.home()), DATA_FILTER)
        if path:
            self.use_data(path)

    def use_data(self, spec: str) -> bool:
        """Load `spec` and start over on it; a bad file is explained and changes nothing."""
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            data = load_dataset(spec)
        except DataError as err:
            QGuiApplication.restoreOverrideCursor()
            QMessageBox.warning(self, "Cannot use this data", str(err))
            return False
        QGuiApplication.restoreOverrideCursor()
        setup = self.run_settings.setup(self.alpha_control.alpha, data=spec)
        return self._restart(Setup(setup.data, None, setup.config), data)

    def use_full_mnist(self) -> None:
        """Train on full MNIST, offering to download it first if it is not on this computer."""
        if is_downloaded():
            self.use_data(DOWNLOADED)
            return
        answer = QMessageBox.question(
            self,
            "Download full MNIST?",
            "Full MNIST (70,000 digits, 11 MB) is not on this computer yet.\n\n"
            f"Download it now into {mnist_dir()}? Training goes on meanwhile.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.download_full_mnist()

    def download_full_mnist(self) -> DownloadDialog:
        """Fetch full MNIST with progress and Cancel; train on it once every file is in."""
        self.download = DownloadDialog(self.fetch_mnist, self)
        self.download.downloaded.connect(lambda: self.use_data(DOWNLOADED))
        self.download.failed.connect(lambda reason: QMessageBox.warning(self, "Download failed", reason))
        self.download.ended.connect(self._download_over)
        self.act_mnist.setEnabled(False)
        self.download.start()
        return self.download

    def _download_over(self) -> None:
        self.download = None
        self.act_mnist.setEnabled(True)

    def _restart(self, setup: Setup, data: Dataset) -> bool:
        try:
            splits = load_splits(setup, data)
        except DataError as err:
            QMessageBox.warning(self, "Cannot use these settings", str(err))
            return False
        self._setup, self._data = setup, data
        self.worker.send(Replace(lambda: make_trainer(splits, setup.config)))
        self._show_setup(splits)
        return True

    # --- looks ---

    def apply_look(self, look: Look) -> None:
        """Restyle everything: Qt widgets through the style sheet, pyqtgraph items panel by panel."""
        self.look = look
        app = QGuiApplication.instance()
        app.setStyleSheet(look.style_sheet())
        for panel in self.panels[1:]:  # the figures bar is all Qt widgets: the style sheet did it
            panel.apply_look(look)

    def _saved_zoom(self, key: str, default: float) -> float:
        """A remembered zoom, within ZOOM_RANGE; anything unreadable gives the default."""
        try:
            zoom = float(self._settings.value(key, default))
        except (TypeError, ValueError):
            return default
        return min(max(zoom, ZOOM_RANGE[0]), ZOOM_RANGE[1]) if math.isfinite(zoom) else default

    @property
    def lecture_mode(self) -> bool:
        return self.act_lecture.isChecked()

    def set_lecture_mode(self, on: bool) -> None:
        """F5: the presentation layout. Projector look, full screen, every plot larger: the sidebar
        and the captions make way (keys, menus and F1 still do everything; the lecturer explains).
        F5 again restores the desk layout exactly as it was."""
        if on == (self._desk_layout is not None):  # already in (or out of) lecture mode
            return
        self.act_lecture.setChecked(on)
        if on:
            self._desk_layout = {name: s.saveState() for name, s in self._splitters().items()}
            self._desk_window_state = self.windowState()
            self.apply_look(Look(PROJECTOR[self._projector], self._lecture_zoom))
            self.showFullScreen()
            width = self.main_split.width()
            self.main_split.setSizes([int(width * 0.42), int(width * 0.58)])
            self.lower_split.setSizes([int(width * 0.58 * 0.36), int(width * 0.58 * 0.64)])
        else:
            self.apply_look(Look(DESK, self._saved_zoom("look/desk_zoom", 1.0)))
            self.setWindowState(self._desk_window_state)  # maximised, full screen or normal, as it was
            self.act_fullscreen.setChecked(bool(self._desk_window_state & Qt.WindowState.WindowFullScreen))
            for name, state in self._desk_layout.items():
                self._splitters()[name].restoreState(state)
            self._desk_layout = None
        self.sidebar.setVisible(not on)
        for panel in self.panels[1:]:
            panel.caption.setVisible(not on)

    def _set_dark(self, dark: bool) -> None:
        self._projector = "dark" if dark else "light"
        self._settings.setValue("look/projector", self._projector)
        if self.lecture_mode:
            self.apply_look(Look(PROJECTOR[self._projector], self.look.zoom))

    def zoom_in(self) -> None:
        self._zoom(ZOOM_STEP)

    def zoom_out(self) -> None:
        self._zoom(1 / ZOOM_STEP)

    def zoom_reset(self) -> None:
        """Back to the mode's own size: 1 at a desk, LECTURE_ZOOM in lecture mode."""
        self._zoom((LECTURE_ZOOM if self.lecture_mode else 1.0) / self.look.zoom)

    def _zoom(self, factor: float) -> None:
        look = self.look.zoomed(factor)
        key = "look/lecture_zoom" if self.lecture_mode else "look/desk_zoom"
        self._settings.setValue(key, look.zoom)
        if self.lecture_mode:
            self._lecture_zoom = look.zoom
        self.apply_look(look)

    def show_shortcuts(self) -> None:
        ShortcutsDialog(self.actions(), self).exec()

    def _toggle_fullscreen(self, on: bool) -> None:
        if on:
            self.showFullScreen()
        else:
            self.showNormal()

    # --- showing ---

    def show_latest(self) -> None:
        """Timer tick: show the newest snapshot, if a frame is due. While training, frames are paced
        by what they cost (FRAME_BUDGET), and only a due frame asks the worker for a snapshot (by
        finding the slot empty), so none is made for nothing and what a due frame draws is at most
        one iteration old; a snapshot that is not training (a pause, a step, a reset) is shown at
        once. The panels update their items here and Qt paints them all in its next pass, once each
        (`event` adds what that pass costs to the frame)."""
        training = self.state is not None and self.state.running
        if training and time.perf_counter() < self._next_frame_at:
            newest = self.worker.peek()
            if newest is None or newest.running:
                return  # not due; a pause, an error or a divergence is shown at once
        snapshot = self.worker.take_snapshot()
        if snapshot is None:
            return
        started = time.perf_counter()
        self.state = snapshot
        self._show_state(snapshot)
        for panel in self.panels:
            panel.show_snapshot(snapshot)
        self._frame_started, self._frame_cost = started, time.perf_counter() - started
        self._pace()
        self.snapshot_shown.emit(snapshot)

    @property
    def frame_drawn(self) -> bool:
        """Every panel's items show `state` (Qt paints them in its next pass)."""
        return self.state is not None

    def event(self, event: QEvent) -> bool:
        if event.type() != QEvent.Type.UpdateRequest:  # not a paint pass
            return super().event(event)
        started = time.perf_counter()
        handled = super().event(event)
        self._frame_cost += time.perf_counter() - started
        self._pace()
        return handled

    def _pace(self) -> None:
        """The next frame may start once this one's cost is FRAME_BUDGET of the time since it began."""
        pause = max(MIN_FRAME_SECONDS, self._frame_cost / FRAME_BUDGET)
        self._next_frame_at = self._frame_started + pause

    def _show_state(self, s: Snapshot) -> None:
        self.act_start.setText("Pause" if s.running else "Start")
        self.act_step.setEnabled(not s.running)
        self.act_inspect.setEnabled(not s.running)
        state = "training" if s.running else "paused"
        if s.error:
            state = f"stopped by an error: {s.error}"
        trouble = s.divergence.message() if s.divergence else s.error
        if trouble and not s.running:
            text = trouble[0].upper() + trouble[1:]
            if self.banner.text() != text:
                self.banner.setText(text)
            self.banner.show()
        else:
            self.banner.hide()
        batch = "full batch" if s.batch_size == s.train_examples else f"batches of {s.batch_size}"
        status = (
            f"{self._data.name}: {s.train_examples:,} train / {s.dev_examples:,} dev digits · {batch} · "
            f"α = {s.alpha:g} · {state}   —   Space start/pause · → step · ↑↓ α · R reset · F11 full screen"
        )
        if status != self.status.text():
            self.status.setText(status)

    def _show_setup(self, splits: Splits) -> None:
        dev = len(splits.dev) if splits.dev is not None else 0
        name = f"{self._data.name} ({len(self._data):,} digits)"
        self.run_settings.show_setup(self._setup, name, dev)

    # --- closing ---

    def closeEvent(self, event: QCloseEvent) -> None:
        self.frame_timer.stop()
        if self.download is not None:  # nothing half-downloaded may stay behind
            self.download.cancel_download(wait=CLOSING_WAIT_SECONDS)
        self.worker.stop(timeout=1.0)
        self._save_settings()
        event.accept()

    def _save_settings(self) -> None:
        if self._desk_layout is not None:  # closed in lecture mode: remember the desk layout
            self.set_lecture_mode(False)
        in_force = replace(self._setup, config=replace(self._setup.config, alpha=self.alpha_control.alpha))
        save_setup(self._settings, in_force, self.speed_control.limit)
        self._settings.setValue("window/geometry", self.saveGeometry())
        for name, splitter in self._splitters().items():
            self._settings.setValue(f"window/split_{name}", splitter.saveState())
        self._settings.sync()
