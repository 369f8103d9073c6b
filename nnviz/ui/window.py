"""The main window: wiring between the controls, the training thread and the views.

Commands go to the worker (RunControl); the FramePacer takes the worker's newest snapshot when a
frame is due and the window hands it to every view in sight. Where things sit is Layout's, how
they look is Presentation's, and what each command is called and bound to is the ACTIONS table's.
No training math and no file reading happen in this thread.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QEvent, QSettings, Qt, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QMainWindow,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from nnviz.data import EMBEDDED, Dataset
from nnviz.engine.trainer import Iteration
from nnviz.session import Setup, default_dev_size
from nnviz.ui.actions import Actions
from nnviz.ui.controls import AlphaControl, SpeedControl
from nnviz.ui.exports import Exports
from nnviz.ui.fields import KeysStayInFields
from nnviz.ui.frames import FramePacer
from nnviz.ui.full_mnist import FullMnist
from nnviz.ui.inspector import InspectorDialog
from nnviz.ui.last_session import LastSessionBar
from nnviz.ui.layout import Layout
from nnviz.ui.lecture import Presentation
from nnviz.ui.look import Look
from nnviz.ui.panels import (
    AccuracyPanel,
    ActivationsPanel,
    ConfusionPanel,
    DrawPanel,
    ExampleChooser,
    FiguresBar,
    FiltersPanel,
    LossPanel,
    NetworkOptions,
    NetworkPanel,
    OutputWeightsPanel,
)
from nnviz.ui.persistence import save_setup
from nnviz.ui.run_control import RunControl
from nnviz.ui.settings_panel import RunSettingsPanel
from nnviz.ui.shortcuts import ShortcutsDialog
from nnviz.ui.status import RunStatus
from nnviz.ui.timeline import Timeline
from nnviz.worker import Choose, Replace, Step, TrainingWorker
from nnviz.worker.snapshot import Snapshot

# Training runs this many nice levels below the GUI thread (Linux): the window answers at once.
TRAINING_NICE = 5
DATA_FILTER = "MNIST-like data (*.gz *ubyte *.idx *.csv *.npz);;All files (*)"
CLOSING_WAIT_SECONDS = 2.0  # for a cancelled download to clean up before the app exits
DEFAULT_SIZE = (1600, 950)


class MainWindow(QMainWindow):
    snapshot_shown = Signal(object)  # each Snapshot once the views in sight whose turn it is drew it

    def __init__(
        self,
        setup: Setup,
        data: Dataset | None,
        settings: QSettings,
        speed_limit: float | None = None,
        carried_over: list[str] | None = None,
    ) -> None:
        """`data`: `setup`'s data if already loaded; otherwise the training thread loads it (and
        falls back to the embedded digits if it cannot). `carried_over`: the last session's
        settings in force, said at the top until dismissed."""
        super().__init__()
        self.setWindowTitle("nnviz: a neural network learning digits")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # so the window itself can hold the keyboard
        self._settings = settings
        self.worker = TrainingWorker(nice=TRAINING_NICE)
        self.worker.send(Replace(setup, data=data, fallback=Setup(EMBEDDED, None, setup.config)))
        self._setup_at_start = setup
        self._run_shown: int | None = None  # the run whose settings the sidebar shows
        self._frames = 0  # drawn so far: whose turn it is among the panels that take turns

        self.figures = FiguresBar()
        self.loss, self.accuracy = LossPanel(), AccuracyPanel()
        self.accuracy.plot.setXLink(self.loss.plot)
        self.loss.smoothing_control.changed.connect(self.accuracy.set_smoothing)
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
        self.views = {  # by the names `nnviz --screenshot FILE --view NAME` takes
            "window": self,
            "figures": self.figures,
            "loss": self.loss,
            "accuracy": self.accuracy,
            "filters": self.filters,
            "w2": self.output_weights,
            "activations": self.activations,
        }
        self.alpha_control = AlphaControl(setup.config.alpha)
        self.speed_control = SpeedControl()
        self.speed_control.set_limit(speed_limit)
        self.run_settings = RunSettingsPanel()
        self._show_setup_before_the_first_run(setup, data)
        self.run = RunControl(self.worker, self.alpha_control, self.speed_control, self.run_settings)
        self.pacer = FramePacer(self.worker, lambda: self.isVisible() and not self.isMinimized(), self)
        self.status = RunStatus(self)

        self.actions_ = Actions(self, self._slots())
        self.actions_.fill_menus(self.menuBar())
        self.last_session = LastSessionBar(carried_over or [], self.run.restore_defaults)
        self.layout_ = Layout(
            [self.figures, self.status.banner, self.last_session],
            [self._training_box(), self.run_settings],
            [self.loss, self.accuracy],
            [self.filters, self.output_weights, self.activations],
        )
        self.setCentralWidget(self.layout_.central)
        self.presentation = Presentation(self, self.layout_, settings, self.actions_)
        self.presentation.look_changed.connect(self.apply_look)
        self.presentation.lecture_changed.connect(self._captions_make_way)
        self._page_before_mistakes = 0
        self.mistakes = ConfusionPanel(self.worker.send)
        self.add_view("confusion", "Mistakes", self.mistakes)
        self.layout_.views.currentChanged.connect(self._page_changed)
        self.full_mnist = FullMnist(self, self.actions_["use_full_mnist"], self.use_data)
        self.loss.log_scale.toggled.connect(self.actions_["set_log_loss"].setChecked)
        self._restore_geometry()
        self.apply_look(self.presentation.look)
        self._add_network_views()
        self.timeline = Timeline(self.worker.send, self.actions_, self.alpha_control.set_alpha)
        self.accuracy.layout().insertWidget(2, self.timeline)  # under the curves, above the caption
        self.snapshot_shown.connect(self.timeline.show_snapshot)
        self.exports = Exports(self)  # every view's right-click menu; the export actions

        KeysStayInFields(self)
        for field in (self.alpha_control.spin, *self.run_settings.fields()):
            field.editingFinished.connect(self.setFocus)  # done typing: the keys are shortcuts again
        self.pacer.frame.connect(self._show)
        self.layout_.views.currentChanged.connect(self._catch_up)
        self.run.set_speed_limit(self.speed_control.limit)
        self.worker.start()
        self.pacer.start()
        self.setFocus()  # keys go to the shortcuts, not to the first spin box

    # --- building ---

    def _slots(self) -> dict[str, object]:
        run = self.run  # Presentation is made after the actions (it needs them): its slots look it up late
        return {
            "open_data": self.open_data,
            "use_embedded": lambda: self.use_data(EMBEDDED),
            "use_full_mnist": lambda: self.full_mnist.offer(),
            "close": self.close,
            # While recording, the run pauses at every frame: Space means "stop", never "start".
            "toggle_running": lambda: (
                self.exports.record(False) if self.exports.recorder.recording else run.toggle_running()
            ),
            "step": run.step,
            "step_back": lambda: self.timeline.back(),
            "to_start": lambda: self.timeline.to_start(),
            "to_end": lambda: self.timeline.to_end(),
            "inspect": self.inspect,
            "reset": run.reset,
            "restore_defaults": self.restore_defaults,
            "alpha_up": run.alpha_up,
            "alpha_down": run.alpha_down,
            "slower": self.speed_control.slower,
            "faster": self.speed_control.faster,
            "show_mistakes": self.show_mistakes,
            "set_log_loss": self.loss.log_scale.setChecked,
            "set_full_screen": lambda on: self.presentation.set_full_screen(on),
            "set_lecture_mode": lambda on: self.presentation.set_lecture_mode(on),
            "set_dark": lambda on: self.presentation.set_dark(on),
            "set_fast_training": lambda on: self.pacer.set_fast_training(on),
            "zoom_in": lambda: self.presentation.zoom_in(),
            "zoom_out": lambda: self.presentation.zoom_out(),
            "zoom_reset": lambda: self.presentation.zoom_reset(),
            "show_shortcuts": self.show_shortcuts,
            "show_weights": lambda: self.show_view("filters"),
            "show_network": lambda: self.show_view("network"),
            "show_draw": lambda: self.show_view("draw"),
            "set_what_flows": lambda on: self.network_options.set_flows(on),
            "set_errors": lambda on: self.network_options.set_errors(on),
            "next_example": lambda: self.network.chooser.step(1),
            "previous_example": lambda: self.network.chooser.step(-1),
            "random_example": lambda: self.network.chooser.random(),
            "next_mistake": lambda: self.network.chooser.next_mistake(),
            "my_drawing": lambda: self.draw.send_drawing(),
            "undo_stroke": lambda: self.draw.pad.undo(),
            "clear_drawing": lambda: self.draw.pad.clear(),
            "export_view": lambda: self.exports.export_view(),
            "export_window": lambda: self.exports.export_window(),
            "export_metrics": lambda: self.exports.export_metrics(),
            "export_weights": lambda: self.exports.export_weights(),
            "record": lambda on: self.exports.record(on),
        }

    def _add_network_views(self) -> None:
        """The network view and the drawing pad (with the network beside it), a page each."""
        self.network_options = options = NetworkOptions()
        chooser = ExampleChooser(self.worker.send, lambda: self.state, self.actions_)
        self.network = NetworkPanel(options, chooser)
        self.draw = DrawPanel(options, self.worker.send, self.actions_)
        chooser.drawing_wanted.connect(self.draw.send_drawing)
        options.changed.connect(lambda: self.actions_["set_what_flows"].setChecked(options.flows))
        options.changed.connect(lambda: self.actions_["set_errors"].setChecked(options.errors))
        self.add_view("network", "Network", self.network)
        self.add_view("draw", "Draw a digit", self.draw)

    def _training_box(self) -> QGroupBox:
        training = QGroupBox("Training")
        form = QFormLayout(training)
        self.buttons: dict[str, QToolButton] = {}
        for name in ("toggle_running", "step", "inspect", "reset"):
            button = self.buttons[name] = QToolButton()
            button.setDefaultAction(self.actions_[name])
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys go to the window's shortcuts
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setMinimumHeight(34)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            form.addRow(button)
        form.addRow("α (learning rate)", self.alpha_control)
        form.addRow("Speed limit", self.speed_control)
        return training

    def _restore_geometry(self) -> None:
        geometry = self._settings.value("window/geometry")
        try:
            restored = geometry is not None and self.restoreGeometry(geometry)
        except TypeError:  # not a byte array: a damaged settings file
            restored = False
        if not restored:
            screen = QGuiApplication.primaryScreen().availableGeometry()
            self.resize(min(DEFAULT_SIZE[0], screen.width()), min(DEFAULT_SIZE[1], screen.height()))
        self.layout_.restore(self._settings)

    def _show_setup_before_the_first_run(self, setup: Setup, data: Dataset | None) -> None:
        """The sidebar says what is being set up at once; the first run's snapshot confirms it."""
        if data is None:
            self.run_settings.show_setup(setup, f"{Path(setup.data).name} (loading…)", setup.dev_size or 0)
            return
        dev = default_dev_size(len(data)) if setup.dev_size is None else setup.dev_size
        self.run_settings.show_setup(setup, f"{data.name} ({len(data):,} digits)", dev)

    # --- what the window does itself (the rest is RunControl's and Presentation's) ---

    @property
    def state(self) -> Snapshot | None:
        """The snapshot drawn last."""
        return self.pacer.state

    def action(self, name: str):
        return self.actions_[name]

    def add_view(self, name: str, title: str, view: QWidget) -> None:
        """A page of its own beside the curves (the network, the confusion matrix, ...). `view` is a
        panel: it draws every frame while its page is in sight, and follows the look."""
        self.layout_.views.add_page(name, title, view)
        self.panels.append(view)
        self.views[name] = view
        view.apply_look(self.look)
        if self.state is not None:
            view.show_snapshot(self.state)

    def show_view(self, name: str) -> QWidget:
        """Bring the view `name` into sight (its page forward) and return it, e.g. to photograph it."""
        view = self.views[name]
        tabs = self.layout_.views
        for page_name, page in tabs.pages.items():
            if page is view or page.isAncestorOf(view):
                tabs.show_page(page_name)
        return view

    def show_mistakes(self, on: bool) -> None:
        """M: the Mistakes page forward, or back to the page shown before it."""
        if on:
            self.show_view("confusion")
        else:
            self.layout_.views.setCurrentIndex(self._page_before_mistakes)

    def _page_changed(self, index: int) -> None:
        on = self.layout_.views.widget(index) is self.mistakes
        self.actions_["show_mistakes"].setChecked(on)
        if not on:
            self._page_before_mistakes = index

    def inspect(self) -> InspectorDialog | None:
        """Open the walk through the next iteration (paused only); Apply sends exactly that one."""
        shown = self.state
        if shown is None or shown.running:
            return None
        dialog = InspectorDialog(shown.pending, shown.alpha, self.presentation.look, self)
        dialog.apply_requested.connect(
            lambda: self.worker.send(Step(expect=shown.pending, alpha=shown.alpha))
        )
        self._follow_inspector(dialog, shown.pending)
        self.snapshot_shown.connect(dialog.run_moved_on)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda: self.snapshot_shown.disconnect(dialog.run_moved_on))
        dialog.finished.connect(self.activateWindow)  # keys go back to the window's shortcuts
        dialog.open()
        return dialog

    def _follow_inspector(self, dialog: InspectorDialog, it: Iteration) -> None:
        """With the inspector open, the network views show its example: a column of the batch, which
        is a training digit."""

        def follow(column: int) -> None:
            self.worker.send(Choose("train", int(it.batch.index[column])))

        follow(dialog.selected)
        dialog.example.selected.connect(follow)

    def run_until(self, iteration: int) -> int:
        return self.run.run_until(iteration)

    def restore_defaults(self) -> int:
        self.last_session.hide()
        return self.run.restore_defaults()

    def open_data(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open MNIST-like data", str(Path.home()), DATA_FILTER)
        if path:
            self.use_data(path)

    def use_data(self, spec: str) -> int:
        """Train on `spec` from now on: read in the training thread; data that cannot be used is
        explained (RunStatus) and the current run goes on."""
        return self.run.use_data(spec)

    def show_shortcuts(self) -> None:
        ShortcutsDialog(self.actions(), self).exec()

    @property
    def look(self) -> Look:
        return self.presentation.look

    @property
    def lecture_mode(self) -> bool:
        return self.presentation.lecture_mode

    def apply_look(self, look: Look) -> None:
        """Restyle everything: Qt widgets through the style sheet, pyqtgraph items panel by panel."""
        self.setStyleSheet(look.style_sheet())  # this window and its dialogs; not the whole application
        for panel in self.panels:
            panel.apply_look(look)
        self.layout_.sidebar.fit(look.zoom, self.width())

    def _captions_make_way(self, lecture: bool) -> None:
        for panel in self.panels[1:]:
            panel.caption.setVisible(not lecture)
        self.network.chooser.setVisible(not lecture)  # its keys and the Example menu stay

    # --- showing ---

    def _show(self, snapshot: Snapshot) -> None:
        """A frame: every view in sight draws the snapshot (a page out of sight catches up when shown)."""
        if snapshot.setup is not None and snapshot.run != self._run_shown:
            self._run_shown = snapshot.run
            self.run_settings.show_setup(
                snapshot.setup,
                f"{snapshot.data_name} ({snapshot.data_examples:,} digits)",
                snapshot.dev_examples,
            )
        self.status.show_snapshot(snapshot)
        self.run.show_snapshot(snapshot)
        self._show_controls(snapshot)
        free = snapshot.running and not snapshot.every_step  # anything else: every view, at once
        for turn, panel in enumerate(self._in_sight(), start=self._frames):
            if not free or turn % panel.motion_every == 0:  # slow pictures take turns
                panel.show_snapshot(snapshot)
        self._frames += 1
        self.snapshot_shown.emit(snapshot)

    def _in_sight(self) -> list[QWidget]:
        """The views someone can see: not those on a page behind, nor any while minimised."""
        return [] if self.isMinimized() else [panel for panel in self.panels if panel.isVisible()]

    def _catch_up(self) -> None:
        """A page brought forward, or the window shown again: its views draw the latest frame."""
        if self.state is not None:
            for panel in self._in_sight():
                panel.show_snapshot(self.state)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._catch_up()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.WindowStateChange and not self.isMinimized():
            self._catch_up()

    def _show_controls(self, s: Snapshot) -> None:
        self.actions_["toggle_running"].setText("Pause" if s.running else "Start")
        self.actions_["step"].setEnabled(not s.running)
        self.actions_["inspect"].setEnabled(not s.running)

    def event(self, event: QEvent) -> bool:
        if event.type() != QEvent.Type.UpdateRequest:  # not a paint pass
            return super().event(event)
        started = time.perf_counter()
        handled = super().event(event)
        self.pacer.painted(time.perf_counter() - started)
        return handled

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.layout_.sidebar.fit(self.look.zoom, self.width())

    # --- closing ---

    def closeEvent(self, event: QCloseEvent) -> None:
        self.pacer.stop()
        self.full_mnist.cancel(wait=CLOSING_WAIT_SECONDS)
        self.worker.stop(timeout=1.0)
        self._save_settings()
        event.accept()

    def _save_settings(self) -> None:
        self.presentation.leave_lecture_mode()  # what is remembered is the desk layout
        setup = self.state.setup if self.state is not None and self.state.setup else self._setup_at_start
        in_force = replace(setup, config=replace(setup.config, alpha=self.alpha_control.alpha))
        save_setup(self._settings, in_force, self.speed_control.limit)
        self._settings.setValue("window/geometry", self.saveGeometry())
        self.layout_.save(self._settings)
        self._settings.sync()
