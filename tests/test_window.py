"""The live window, driven as a user drives it: buttons, keys, the alpha field, a bad file, closing."""

import os
import subprocess
import sys
import threading
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from driving import WAIT_MS, handled, run_to, type_into
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QMessageBox, QToolTip

import nnviz.worker.worker as worker_module
from nnviz.engine.trainer import TrainConfig
from nnviz.session import Setup, load_splits, make_trainer
from nnviz.ui.app import SCREENSHOT_SIZE
from nnviz.ui.envelope import MOST_BLOCKS
from nnviz.ui.look import LECTURE_ZOOM, PROJECTOR_DARK, Look
from nnviz.ui.window import MainWindow
from nnviz.worker.snapshot import Snapshot


def reference_trainer(digits, steps=0):
    """The engine on its own, from the same setup: what the window must agree with."""
    setup = Setup()
    trainer = make_trainer(load_splits(setup, digits), setup.config)
    for _ in range(steps):
        trainer.step()
    return trainer


def run_to_pause(qtbot, window):
    """Space (pause), and the frame that shows the run paused."""
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert not handled(qtbot, window).running


def test_opens_paused_at_iteration_zero_with_every_panel_drawn(window):
    assert window.state.iteration == 0 and not window.state.running
    assert all(panel.frames_shown >= 1 for panel in window._in_sight())  # the pages behind: when shown
    assert window.filters.tiles.image.image is not None
    assert "mnist-5k" in window.status.line.full_text


def test_start_advances_the_counter_and_feeds_every_panel(qtbot, window):
    window.buttons["toggle_running"].click()
    qtbot.waitUntil(lambda: window.state.iteration >= 20, timeout=WAIT_MS)
    in_sight = window._in_sight()
    frames = [panel.frames_shown for panel in in_sight]
    qtbot.waitUntil(
        lambda: all(p.frames_shown > f for p, f in zip(in_sight, frames, strict=True)), timeout=WAIT_MS
    )
    x, y = window.loss.curves["train_loss"].getData()
    assert x.size >= 20 and np.all(np.isfinite(y))
    assert window.accuracy.curves["dev_accuracy"].getData()[0].size >= 2  # dev evaluated every 10
    assert window.figures.values["iteration"].text() != "0"


def test_while_training_no_snapshot_is_made_that_is_not_drawn(qtbot, window, monkeypatch):
    """Making a snapshot costs training time: the worker makes one only when a frame is due."""
    made, drawn = [], []
    make = Snapshot.of.__func__

    def counted(cls, *args, **kwargs):
        made.append(kwargs.get("running", False))
        return make(cls, *args, **kwargs)

    monkeypatch.setattr(Snapshot, "of", classmethod(counted))
    window.snapshot_shown.connect(lambda snapshot: drawn.append(snapshot.running))
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: len(drawn) >= 10 and window.state.iteration > 100, timeout=WAIT_MS)
    run_to_pause(qtbot, window)
    # Every one made while training is drawn, but the last asked for: Pause's own may overwrite it.
    assert sum(made) <= sum(drawn) + 1, (sum(made), sum(drawn))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads thread names from /proc")
def test_painting_stays_in_the_gui_thread_leaving_the_cores_to_training(qtbot, window):
    """Qt's raster engine would hand big fills to a pool of helper threads ("Thread (pooled)")."""
    qtbot.keyClick(window, Qt.Key.Key_Space)
    frames = window.filters.frames_shown
    qtbot.waitUntil(lambda: window.filters.frames_shown >= frames + 10, timeout=WAIT_MS)
    run_to_pause(qtbot, window)
    threads = [Path(task, "comm").read_text().strip() for task in Path("/proc/self/task").iterdir()]
    assert "Thread (pooled)" not in threads, threads


def test_a_curve_is_handed_to_pyqtgraph_again_only_when_it_grew(qtbot, window, monkeypatch):
    fed = []
    for name, curve in window.loss.curves.items():
        monkeypatch.setattr(curve, "setData", lambda *data, name=name: fed.append(name))
    window.loss.show_snapshot(window.state)  # the frame already drawn, once more
    assert fed == []
    qtbot.keyClick(window, Qt.Key.Key_S)
    assert handled(qtbot, window).iteration == 1
    assert fed == ["train_loss"]  # dev is measured every 10 iterations: its curve did not change


def test_pause_stops_the_counter(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.state.iteration >= 5, timeout=WAIT_MS)
    run_to_pause(qtbot, window)
    assert window.worker.iterations_done == window.state.iteration  # none after the pause


@pytest.mark.parametrize("how", ["button", "right arrow", "S key"])
def test_step_adds_exactly_one_iteration_equal_to_the_engines(qtbot, window, digits, how):
    if how == "button":
        window.buttons["step"].click()
    else:
        qtbot.keyClick(window, Qt.Key.Key_Right if how == "right arrow" else Qt.Key.Key_S)
    assert handled(qtbot, window).iteration == 1
    engine = reference_trainer(digits, steps=1).params
    np.testing.assert_array_equal(window.state.W1, engine.W1)
    np.testing.assert_array_equal(window.state.W2, engine.W2)


def test_two_quick_presses_of_space_start_and_pause(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.keyClick(window, Qt.Key.Key_Space)  # within one frame: the worker, not a stale frame, decides
    assert not handled(qtbot, window).running


def test_quick_alpha_changes_are_never_undone_by_an_older_frame(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_Space)
    handled(qtbot, window)
    for _ in range(3):
        qtbot.keyClick(window, Qt.Key.Key_Up)
        handled(qtbot, window, window.worker.sent - 1)  # a frame in between, from before the last press
    assert handled(qtbot, window).alpha == pytest.approx(0.8)
    assert window.alpha_control.alpha == pytest.approx(0.8)


def test_after_typing_a_setting_the_keys_are_shortcuts_again(qtbot, window):
    field = window.run_settings.hidden
    field.setFocus()
    field.editingFinished.emit()
    assert not field.hasFocus()


def test_step_is_disabled_while_training(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert handled(qtbot, window).running
    assert not window.action("step").isEnabled()


def test_alpha_changed_while_training_applies_from_the_next_iteration(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.state.iteration >= 10, timeout=WAIT_MS)
    window.alpha_control.set_alpha(0.05)
    window.run.set_alpha(0.05)
    qtbot.waitUntil(lambda: window.state.history["alpha"][-1] == pytest.approx(0.05), timeout=WAIT_MS)
    run_to_pause(qtbot, window)
    alphas = window.state.history["alpha"]
    switch = int(np.argmax(np.isclose(alphas, 0.05)))
    assert switch >= 10
    assert np.allclose(alphas[:switch], 0.1) and np.allclose(alphas[switch:], 0.05)
    assert len(window.loss._alpha_marks) == 1


def test_up_and_down_keys_double_and_halve_alpha(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_Up)
    assert handled(qtbot, window).alpha == pytest.approx(0.2)
    qtbot.keyClick(window, Qt.Key.Key_Down)
    qtbot.keyClick(window, Qt.Key.Key_Down)
    assert handled(qtbot, window).alpha == pytest.approx(0.05)
    assert "α = 0.05" in window.status.line.full_text


def test_reset_starts_over_from_the_seeds_weights(qtbot, window, digits):
    run_to(qtbot, window, 15)
    qtbot.keyClick(window, Qt.Key.Key_R)
    assert handled(qtbot, window).iteration == 0
    np.testing.assert_array_equal(window.state.W1, reference_trainer(digits).params.W1)
    assert list(window.state.history["iteration"]) == [0]


def test_reset_applies_changed_run_settings(qtbot, window):
    window.run_settings.hidden.setValue(32)
    assert "Reset" in window.run_settings.pending.text()
    window.action("reset").trigger()
    assert handled(qtbot, window).W1.shape == (32, 784)
    assert window.run_settings.pending.text() == ""
    assert len(window.filters.tiles.labels) == 32


def test_a_bad_data_file_is_explained_and_changes_nothing(qtbot, window, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    run_to(qtbot, window, 5)
    bad = tmp_path / "digits.csv"
    bad.write_text("label,pixel0\n3,oops\n")
    refused = handled(qtbot, window, window.use_data(str(bad)))
    qtbot.waitUntil(lambda: len(shown) == 1, timeout=WAIT_MS)
    assert "digits.csv" in shown[0] and refused.refusal.message == shown[0]
    assert refused.iteration == 5 and refused.run == window.state.run
    assert "mnist-5k" in window.status.line.full_text
    window.buttons["step"].click()
    assert handled(qtbot, window).iteration == 6
    assert len(shown) == 1  # said once, not at every frame


def test_new_data_is_read_in_the_training_thread_while_the_window_stays_live(qtbot, window, monkeypatch):
    release, read_in = threading.Event(), []
    load = worker_module.load_dataset

    def slow_load(spec):
        read_in.append(threading.current_thread().name)
        release.wait(WAIT_MS / 1000)
        return load(spec)

    monkeypatch.setattr(worker_module, "load_dataset", slow_load)
    number = window.use_data("mnist-5k")
    qtbot.waitUntil(lambda: window.state.loading is not None, timeout=WAIT_MS)
    assert "Loading mnist-5k" in window.status.line.full_text and window.status.busy.isVisible()
    window.presentation.zoom_in()  # the window answers meanwhile
    release.set()
    loaded = handled(qtbot, window, number)
    assert read_in == ["nnviz-training"] and loaded.loading is None and not window.status.busy.isVisible()


@pytest.mark.parametrize("then", ["reset", "restore_defaults"])
def test_a_reset_right_after_opening_data_keeps_the_data_just_opened(
    qtbot, window, digits, tmp_path, monkeypatch, then
):
    few = tmp_path / "few.npz"
    np.savez(few, X=digits.images[:1500], y=digits.labels[:1500])
    release, load = threading.Event(), worker_module.load_dataset
    held_back = lambda spec: release.wait(WAIT_MS / 1000) and load(spec)  # noqa: E731
    monkeypatch.setattr(worker_module, "load_dataset", held_back)
    window.use_data(str(few))
    qtbot.waitUntil(lambda: window.state.loading is not None, timeout=WAIT_MS)
    window.action(then).trigger()  # before the training thread has read the file
    release.set()
    last = handled(qtbot, window)
    assert last.data_name == "few.npz" and last.data_examples == 1500
    window.action("reset").trigger()  # and once it is in force, a reset keeps it too
    assert handled(qtbot, window).data_name == "few.npz"


def test_a_storm_of_resets_builds_only_the_last_run(qtbot, window, monkeypatch):
    built = []
    make = worker_module.make_trainer
    monkeypatch.setattr(worker_module, "make_trainer", lambda *a, **k: built.append(1) or make(*a, **k))
    for seed in range(100):
        window.run_settings.seed.setValue(seed)
        qtbot.keyClick(window, Qt.Key.Key_R)
    last = handled(qtbot, window)
    assert last.setup.config.seed == 99 and len(built) < 100


def test_closing_while_training_stops_the_worker_cleanly(qtbot, digits, settings):
    w = MainWindow(Setup(), digits, settings)
    qtbot.addWidget(w)
    w.show()
    w.run_until(10_000_000)
    qtbot.waitUntil(lambda: w.state is not None and w.state.iteration > 3, timeout=WAIT_MS)
    w.close()
    assert not w.worker.is_alive


def test_settings_and_layout_persist_between_launches(qtbot, digits, settings):
    first = MainWindow(Setup(), digits, settings)
    first.show()
    first.alpha_control.set_alpha(0.3)
    first.speed_control.set_limit(5)
    first.close()
    from nnviz.ui.persistence import load_setup

    setup, speed = load_setup(settings)
    assert setup.config.alpha == pytest.approx(0.3) and speed == pytest.approx(5, rel=0.1)
    assert settings.value("window/geometry") is not None


def test_screenshot_command_writes_a_picture_of_the_trained_window(tmp_path):
    path = tmp_path / "out.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path / "config")}
    done = subprocess.run(
        [sys.executable, "-m", "nnviz", "--screenshot", str(path), "--after", "20"],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    image = QImage(str(path))
    assert (image.width(), image.height()) == SCREENSHOT_SIZE
    grey = image.convertToFormat(QImage.Format.Format_Grayscale8)  # kept: its pixels are read below
    pixels = np.frombuffer(grey.constBits(), np.uint8).copy()
    assert pixels.std() > 20  # panels drawn, not a blank window
    assert not (tmp_path / "config").exists() or not any((tmp_path / "config").rglob("*.conf"))


def test_hovering_the_loss_plot_reads_out_the_exact_iteration_and_values(qtbot, window):
    run_to(qtbot, window, 25)
    history = window.state.history
    lines = window.loss.hover_lines(12.2)
    assert lines[0] == f"train {history['train_loss'][12]:.4f} at iteration 12"
    assert lines[1] == f"dev {history['dev_loss'][1]:.4f} at iteration 10"
    accuracy = window.accuracy.hover_lines(20)
    assert accuracy[0] == f"train {100 * history['train_accuracy'][20]:.2f}% at iteration 20"


def test_keys_typed_into_a_field_stay_in_the_field(qtbot, window):
    field = window.run_settings.hidden
    field.setFocus()
    sent = window.worker.sent
    qtbot.keyClick(field, Qt.Key.Key_Up)
    assert field.value() == 11
    assert window.alpha_control.alpha == pytest.approx(0.1) and window.worker.sent == sent  # no alpha doubled


def test_arrow_keys_in_a_views_field_stay_in_it(qtbot, window):
    window.show_view("network")
    field = window.network.chooser.index
    field.setFocus()
    before = field.value()
    qtbot.keyClick(field, Qt.Key.Key_Up)
    assert field.value() == before + 1  # the example, not alpha
    assert window.alpha_control.alpha == pytest.approx(0.1)


def test_restore_defaults_brings_back_a_run_that_learns(qtbot, window):
    window.alpha_control.set_alpha(100)
    window.run_settings.hidden.setValue(32)
    state = handled(qtbot, window, window.run.reset())
    assert state.W1.shape == (32, 784) and state.alpha == 100
    window.action("restore_defaults").trigger()
    state = handled(qtbot, window)
    assert state.W1.shape == (10, 784) and state.alpha == pytest.approx(0.1)
    assert window.speed_control.limit is None


def test_beyond_64_filters_the_tiles_carry_no_numbers(qtbot, digits, settings):
    w = MainWindow(Setup(config=TrainConfig(hidden=100)), digits, settings)
    qtbot.addWidget(w)
    w.show()
    handled(qtbot, w)
    assert w.filters.tiles.labels == []
    w.close()


def test_many_dev_points_are_drawn_as_a_line_not_a_band_of_dots(qtbot, digits):
    from nnviz.ui.panels import AccuracyPanel
    from nnviz.worker.snapshot import Snapshot

    setup = Setup(config=TrainConfig(eval_every=1, batch_size=64))
    trainer = make_trainer(load_splits(setup, digits), setup.config)
    panel = AccuracyPanel()
    panel.show_snapshot(Snapshot.of(trainer))
    assert panel.curves["dev_accuracy"].opts["symbol"] == "o"
    for _ in range(AccuracyPanel.MAX_DOTS + 5):
        trainer.step()
    panel.show_snapshot(Snapshot.of(trainer))
    assert panel.curves["dev_accuracy"].opts["symbol"] is None
    legend = ["train, mean of last 1,024", "dev"]  # batches of 64: 16 averaged, each drawn faint
    assert [item.text for _, item in panel.legend.items] == legend
    panel.apply_look(Look(PROJECTOR_DARK, LECTURE_ZOOM))  # a new look between frames: F5, zoom, theme
    assert panel.curves["dev_accuracy"].opts["symbol"] is None


def test_a_long_noisy_curve_is_drawn_as_one_low_high_pair_per_pixel_column(qtbot, window):
    """What a million mini-batch losses look like at that width, without drawing a million lines."""
    window.resize(1600, 1000)
    qtbot.waitUntil(lambda: window.loss.plot.vb.width() > 300)
    n = 200_000
    curve = window.loss.curves["train_loss"]
    curve.setData(np.arange(n, dtype=float), np.random.default_rng(0).random(n))
    window.loss.plot.setXRange(0, n, padding=0)
    x, y = curve.getData()
    columns = window.loss.plot.vb.width()
    assert x.size <= 2.2 * columns, (x.size, columns)
    assert y.min() < 0.001 and y.max() > 0.999  # every column's extremes are kept


def test_a_million_point_run_is_drawn_as_its_envelope_and_zoomed_in_as_its_points(qtbot):
    from nnviz.ui.panels import AccuracyPanel

    panel = AccuracyPanel()
    qtbot.addWidget(panel)
    n = 1_000_000
    x, accuracy = np.arange(n, dtype=float), np.random.default_rng(0).random(n)
    history = {
        "iteration": x,
        "train_accuracy": accuracy,
        "dev_iteration": x[::10],
        "dev_accuracy": accuracy[::10],
    }
    panel.plot.setXRange(0, n, padding=0)
    panel.show_snapshot(
        SimpleNamespace(
            run=1, history=history, iteration=n - 1, divergence=None, rollbacks=0, mean_window=1, latest=None
        )
    )
    curve = panel.curves["train_accuracy"]
    assert curve.getOriginalDataset()[0].size <= 2 * MOST_BLOCKS + n // MOST_BLOCKS
    panel.plot.setXRange(500_000, 501_000, padding=0)  # zoomed in by the user, while paused
    np.testing.assert_array_equal(curve.getOriginalDataset()[1], accuracy)
    panel.plot.setXRange(0, n, padding=0)
    assert curve.getOriginalDataset()[0].size <= 2 * MOST_BLOCKS + n // MOST_BLOCKS


def test_the_a1_notes_never_overlap_even_in_a_narrow_plot(qtbot, window):
    """'10% = 0' and the dead units' count once ran into each other on a projector."""
    window.resize(1600, 1000)
    qtbot.waitUntil(lambda: window.activations.plots["A1"].vb.width() > 80)  # laid out at the new size
    state = window.state
    window.activations.show_snapshot(replace(state, activations=replace(state.activations, dead_units=1)))
    zero, dying = window.activations.zero_text, window.activations.dead_text
    assert dying.toPlainText() == "1/10 dead"
    assert not zero.sceneBoundingRect().intersects(dying.sceneBoundingRect())


def test_a_divergence_pauses_explains_marks_and_lets_a_lower_alpha_continue(qtbot, window):
    before = window.state.W1.copy()
    window.alpha_control.set_alpha(50)
    window.run.set_alpha(50)
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.state.divergence is not None, timeout=WAIT_MS)
    assert not window.state.running and window.state.iteration == 0
    np.testing.assert_array_equal(window.state.W1, before)  # the update was undone
    banner = window.status.banner
    assert banner.isVisible() and "Diverged at iteration 1" in banner.text() and "again" not in banner.text()
    assert [d.iteration for d in window.loss.divergence_marks] == [1]
    qtbot.keyClick(window, Qt.Key.Key_Space)  # at the same alpha: caught again, and the banner says so
    qtbot.waitUntil(lambda: "caught again: 2 times" in banner.text(), timeout=WAIT_MS)
    window.alpha_control.set_alpha(0.1)
    window.run.set_alpha(0.1)
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.state.iteration >= 5, timeout=WAIT_MS)
    assert window.state.divergence is None
    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=WAIT_MS)


def test_a_reset_clears_the_old_runs_marks_even_at_the_same_length(qtbot, window):
    window.alpha_control.set_alpha(1000)
    window.run.set_alpha(1000)
    assert handled(qtbot, window, window.run.step()).divergence is not None
    assert window.loss.divergence_marks
    window.alpha_control.set_alpha(0.1)
    assert handled(qtbot, window, window.run.reset()).divergence is None
    assert not window.loss.divergence_marks and not window.status.banner.isVisible()


def test_closing_with_the_inspector_open_exits_cleanly(qtbot, digits, settings):
    w = MainWindow(Setup(), digits, settings)
    w.show()
    run_to(qtbot, w, 3)
    dialog = w.inspect()
    dialog.show_stage(5)
    w.close()
    assert not w.worker.is_alive


def test_an_error_inside_training_is_shown_and_the_run_still_works(qtbot, window, monkeypatch):
    def broken(splits, config):
        raise RuntimeError("a bug in building the run")

    monkeypatch.setattr(worker_module, "make_trainer", broken)
    state = handled(qtbot, window, window.run.reset())
    banner = window.status.banner
    assert state.error is not None and banner.isVisible() and "a bug in building the run" in banner.text()
    monkeypatch.undo()
    assert handled(qtbot, window, window.run.step()).iteration == 1
    assert handled(qtbot, window, window.run.reset()).error is None and not banner.isVisible()


@pytest.mark.parametrize(
    "typed, problem", [("50000", "50000 is too large"), ("0", "0 is too small"), ("-1", "-1 is too small")]
)
def test_alpha_beyond_its_range_is_refused_whole_at_the_field_and_explained(qtbot, window, typed, problem):
    """Refused whole: "50000" once lost its last 0 and went to training as 5000, "-1" as 1. The
    message must outlast Enter, after which the window takes the keyboard back."""
    field = window.alpha_control.spin
    type_into(qtbot, field, typed)
    assert field.lineEdit().text() == typed
    with qtbot.assertNotEmitted(window.alpha_control.alpha_changed):
        qtbot.keyClick(field, Qt.Key.Key_Return)
    message = f"α must be from 1e-05 to 10000: {problem}."
    qtbot.waitUntil(lambda: QToolTip.isVisible() and QToolTip.text() == message)
    assert not field.hasFocus() and field.lineEdit().text() == "0.1" and window.alpha_control.alpha == 0.1
    QToolTip.hideText()


def test_run_settings_refuse_what_is_not_a_number_and_say_so(qtbot, window):
    type_into(qtbot, window.run_settings.hidden, "x")
    assert QToolTip.text() == "Hidden units must be from 1 to 1024: “x” is not a number."
    type_into(qtbot, window.run_settings.hidden, "-")
    assert "Hidden units must be from 1 to 1024" in QToolTip.text()
    assert window.run_settings.hidden.value() == 10


def test_iteration_axes_read_like_numbers_said_aloud(qtbot):
    from nnviz.ui.panels.curves import CountAxis

    axis = CountAxis("bottom")
    assert axis.tickStrings([0, 250_000, 1_000_000], 1.0, 250_000) == ["0", "250,000", "1,000,000"]
    assert axis.tickStrings([0.5, 1.0], 1.0, 0.5) == ["0.5", "1.0"]  # zoomed in below one iteration


@pytest.mark.parametrize("typed, alpha", [("1e-3", 0.001), ("5E-4", 0.0005), ("0.123456", 0.123456)])
def test_a_typed_alpha_reaches_training_exactly_as_typed(qtbot, window, typed, alpha):
    """Typed "1e-3" once went to training as 13; 0.123456 had more decimals than the field kept."""
    type_into(qtbot, window.alpha_control.spin, typed)
    qtbot.keyClick(window.alpha_control.spin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.state.alpha == alpha, timeout=5000)
    assert window.alpha_control.alpha == alpha


def test_a_view_on_a_page_out_of_sight_draws_nothing_until_its_page_is_shown(qtbot, window):
    from nnviz.ui.panels import AccuracyPanel

    extra = AccuracyPanel()
    window.add_view("extra", "Extra", extra)
    assert window.layout_.views.tabBar().isVisible()  # two pages: the tabs show
    drawn = extra.frames_shown
    handled(qtbot, window, window.run.step())
    assert extra.frames_shown == drawn  # behind the Weights page
    assert window.show_view("extra") is extra and extra.isVisible()
    assert extra.frames_shown == drawn + 1  # caught up at once
    filters = window.filters.frames_shown
    handled(qtbot, window, window.run.step())
    assert extra.frames_shown == drawn + 2 and window.filters.frames_shown == filters
    window.show_view("filters")
    assert window.filters.isVisible() and not extra.isVisible()


def test_a_minimised_window_draws_nothing(qtbot, window):
    window.showMinimized()
    qtbot.waitUntil(window.isMinimized)
    drawn = [panel.frames_shown for panel in window.panels]
    assert handled(qtbot, window, window.run.step()).iteration == 1
    assert [panel.frames_shown for panel in window.panels] == drawn
    window.showNormal()
    qtbot.waitUntil(lambda: window.filters.frames_shown > drawn[3])


def test_the_screenshot_of_an_unknown_view_is_refused_in_one_line(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path / "config")}
    done = subprocess.run(
        [sys.executable, "-m", "nnviz", "--screenshot", str(tmp_path / "x.png"), "--view", "nope"],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    lines = [line for line in done.stderr.splitlines() if "propagateSizeHints" not in line]
    assert done.returncode == 2 and len(lines) == 1 and "--view nope: no such view; one of window" in lines[0]
    assert not (tmp_path / "x.png").exists()


@pytest.mark.parametrize("typed", ["5000", "99999", "-3"])
def test_a_setting_beyond_its_range_is_refused_whole_not_shortened(qtbot, window, typed):
    """Hidden units "5000" once lost its last keystroke and became 500."""
    field = window.run_settings.hidden
    type_into(qtbot, field, typed)
    assert field.lineEdit().text() == typed  # every keystroke kept
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: QToolTip.isVisible() and "Hidden units must be from 1 to 1024" in QToolTip.text())
    assert f"{typed} is too" in QToolTip.text()
    assert field.value() == 10 and window.run_settings.pending.text() == ""
