"""Every command the menus, the buttons and the F1 sheet promise, pressed as a user presses it (its
key, and its menu entry), does what it says, and the window's check marks agree with what is on."""

from __future__ import annotations

import numpy as np
import pytest
from driving import WAIT_MS, handled
from PIL import Image
from PySide6.QtGui import QImage, QKeySequence
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox
from test_network_view import stroke

from nnviz.ui.actions import ACTIONS
from nnviz.ui.frames import FAST_TRAINING_FRAMES_PER_SECOND, FRAMES_PER_SECOND
from nnviz.ui.inspector import InspectorDialog
from nnviz.ui.look import PROJECTOR_DARK
from nnviz.ui.shortcuts import ShortcutsDialog
from nnviz.ui.window_recording import RecordDialog, RecordingPlan


def press_key(qtbot, window, key: str) -> None:
    combination = QKeySequence(key)[0]
    qtbot.keyClick(window, combination.key(), combination.keyboardModifiers())


def menu_entry(window, name: str):
    """The entry of the menu bar that stands for the action `name` (what a click there triggers)."""
    for menu_action in window.menuBar().actions():
        for entry in menu_action.menu().actions():
            if entry is window.action(name):
                return entry
    raise AssertionError(f"{name} is in no menu")


@pytest.fixture
def csv_digits(tmp_path, digits):
    """A small data file of the user's: 60 embedded digits as a headerless CSV."""
    path = tmp_path / "my digits.csv"
    rows = [
        ",".join(map(str, [label, *image]))
        for image, label in zip(digits.images[::80], digits.labels[::80], strict=True)
    ]
    path.write_text("\n".join(rows) + "\n")
    return path


@pytest.fixture
def dialogs(monkeypatch, csv_digits):
    """The modal dialogs, answered as a user would answer them, and what they were asked."""
    asked: dict[str, list] = {
        "open": [],
        "question": [],
        "shortcuts": [],
        "save": [],
        "which view": [],
        "record": [],
    }

    def open_file(*args, **kwargs):
        asked["open"].append(args)
        return str(csv_digits), ""

    def question(parent, title, text):
        asked["question"].append(text)
        return QMessageBox.StandardButton.No

    def save_file(parent, title, suggested, filters):
        asked["save"].append(title)
        formats = filters.split(";;")  # pictures: PNG at 2x; weights: CSV; a recording: GIF
        chosen = formats[1] if len(formats) > 1 and title.startswith("Export") else formats[0]
        return str(csv_digits.parent / f"export {len(asked['save'])}"), chosen

    def which_one(parent, title, label, names, current, editable):
        asked["which view"].append(names)
        return ("W2" if "W2" in names else "loss"), True

    monkeypatch.setattr(QFileDialog, "getOpenFileName", open_file)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_file)
    monkeypatch.setattr(QInputDialog, "getItem", which_one)

    def what_to_record(views, iteration, parent):
        asked["record"].append(views)
        return RecordingPlan("filters", iteration, iteration + 4, 2, 10)

    monkeypatch.setattr(RecordDialog, "ask", what_to_record)
    monkeypatch.setattr(QMessageBox, "question", question)
    monkeypatch.setattr(ShortcutsDialog, "exec", lambda dialog: asked["shortcuts"].append(dialog.rows) or 0)
    monkeypatch.setenv("NNVIZ_DATA_DIR", str(csv_digits.parent / "no-mnist-here"))
    return asked


def walk_every_action(qtbot, window, dialogs, press) -> set[str]:
    """Press every action once (some twice, to see them undone) and check what each did."""
    checked = set()

    def did(name: str) -> None:
        checked.add(name)

    start = handled(qtbot, window)
    press("step")
    assert handled(qtbot, window).iteration == start.iteration + 1
    did("step")

    press("step_back")
    back = handled(qtbot, window)
    assert back.iteration == start.iteration and back.latest == start.iteration + 1
    press("to_end")
    assert handled(qtbot, window).iteration == start.iteration + 1 and window.state.latest is None
    press("to_start")
    assert handled(qtbot, window).iteration == 0 and window.loss.shown_line.isVisible()
    press("to_end")
    assert handled(qtbot, window).latest is None and not window.loss.shown_line.isVisible()
    did("step_back"), did("to_start"), did("to_end")

    press("toggle_running")
    assert handled(qtbot, window).running and window.action("toggle_running").text() == "Pause"
    press("toggle_running")
    assert not handled(qtbot, window).running and window.action("toggle_running").text() == "Start"
    did("toggle_running")

    press("inspect")
    qtbot.waitUntil(lambda: window.findChild(InspectorDialog) is not None)
    dialog = window.findChild(InspectorDialog)
    assert dialog.isVisible() and dialog.it is window.state.pending
    dialog.reject()
    did("inspect")

    walk_the_network_actions(qtbot, window, press)
    checked |= NETWORK_ACTIONS

    alpha = window.state.alpha
    press("alpha_up")
    assert handled(qtbot, window).alpha == alpha * 2
    press("alpha_down")
    assert handled(qtbot, window).alpha == alpha
    did("alpha_up"), did("alpha_down")

    press("slower")
    slower = window.speed_control.limit
    assert slower is not None
    press("faster")
    assert window.speed_control.limit is None or window.speed_control.limit > slower
    did("slower"), did("faster")

    run = window.state.run
    press("reset")
    assert handled(qtbot, window).run == run + 1 and window.state.iteration == 0
    did("reset")

    press("alpha_up")
    press("restore_defaults")
    state = handled(qtbot, window)
    assert state.run == run + 2 and state.alpha == pytest.approx(0.1)
    did("restore_defaults")

    press("show_mistakes")
    assert window.mistakes.isVisible() and window.action("show_mistakes").isChecked()
    press("show_mistakes")
    assert window.filters.isVisible() and not window.action("show_mistakes").isChecked()
    did("show_mistakes")

    press("set_log_loss")
    assert window.loss.log_scale.isChecked() and window.loss.plot.getAxis("left").logMode
    assert window.action("set_log_loss").isChecked()
    press("set_log_loss")
    assert not window.loss.log_scale.isChecked() and not window.action("set_log_loss").isChecked()
    window.loss.log_scale.click()  # the checkbox above the plot: the menu's check mark follows
    assert window.action("set_log_loss").isChecked()
    window.loss.log_scale.click()
    did("set_log_loss")

    press("set_full_screen")
    qtbot.waitUntil(window.isFullScreen)
    assert window.action("set_full_screen").isChecked()
    press("set_full_screen")
    qtbot.waitUntil(lambda: not window.isFullScreen())
    assert not window.action("set_full_screen").isChecked()
    did("set_full_screen")

    press("set_lecture_mode")
    assert window.lecture_mode and window.action("set_lecture_mode").isChecked()
    assert window.isFullScreen() and window.action("set_full_screen").isChecked()  # it is full screen
    press("set_dark")
    assert window.look.palette is PROJECTOR_DARK and window.action("set_dark").isChecked()
    press("set_dark")
    assert window.look.palette is not PROJECTOR_DARK
    did("set_dark")
    press("set_lecture_mode")
    assert not window.lecture_mode and not window.action("set_lecture_mode").isChecked()
    did("set_lecture_mode")

    press("set_fast_training")
    assert window.pacer.frames_per_second == FAST_TRAINING_FRAMES_PER_SECOND
    assert window.action("set_fast_training").isChecked()
    press("set_fast_training")
    assert window.pacer.frames_per_second == FRAMES_PER_SECOND
    did("set_fast_training")

    zoom = window.look.zoom
    press("zoom_in")
    assert window.look.zoom > zoom
    press("zoom_out")
    press("zoom_out")
    assert window.look.zoom < zoom
    press("zoom_reset")
    assert window.look.zoom == 1.0
    did("zoom_in"), did("zoom_out"), did("zoom_reset")

    press("show_shortcuts")
    assert len(dialogs["shortcuts"]) == 1
    did("show_shortcuts")

    press("use_full_mnist")  # not downloaded: it asks first (answered No)
    assert len(dialogs["question"]) == 1 and "not on this computer yet" in dialogs["question"][0]
    did("use_full_mnist")

    press("open_data")
    qtbot.waitUntil(lambda: window.state.data_name == "my digits.csv", timeout=30_000)
    assert len(dialogs["open"]) == 1 and window.state.train_examples + window.state.dev_examples == 63
    did("open_data")

    press("use_embedded")
    qtbot.waitUntil(lambda: window.state.data_name == "mnist-5k", timeout=30_000)
    did("use_embedded")

    walk_the_export_actions(qtbot, window, dialogs, press)
    checked |= EXPORT_ACTIONS

    press("close")
    qtbot.waitUntil(lambda: not window.isVisible())
    assert not window.worker.is_alive
    did("close")
    return checked


EXPORT_ACTIONS = {"export_view", "export_window", "export_metrics", "export_weights", "record"}


def walk_the_export_actions(qtbot, window, dialogs, press) -> None:
    """View > Export… asks which view, then where (here: PNG at 2x); File > Export window as PNG…
    only where; File > Export metrics as CSV… a row per iteration; File > Export weights… which array,
    then where (here: CSV)."""
    saved = len(dialogs["save"])
    exported = lambda n, ending: window.exports.folder / f"export {saved + n}{ending}"  # noqa: E731
    press("export_view")
    assert "filters" in dialogs["which view"][-1] and "window" not in dialogs["which view"][-1]
    assert QImage(str(exported(1, ".png"))).width() == 2 * window.loss.width()
    press("export_window")
    assert QImage(str(exported(2, ".png"))).height() == 2 * window.height()
    press("export_metrics")
    rows = exported(3, ".csv").read_text().splitlines()
    assert rows[0].startswith("iteration,alpha") and len(rows) == 1 + len(window.state.history["iteration"])
    press("export_weights")
    assert dialogs["which view"][-1] == ["W1", "W2", "b1", "b2"]
    assert np.loadtxt(exported(4, ".csv"), delimiter=",").shape == window.state.W2.shape
    press("record")  # View > Record…: the filters, 3 frames, checked until done
    assert window.action("record").isChecked() and "window" in dialogs["record"][-1]
    qtbot.waitUntil(lambda: not window.action("record").isChecked(), timeout=WAIT_MS)
    with Image.open(exported(5, ".gif")) as gif:
        assert gif.n_frames == 3 and gif.size == (window.filters.width(), window.filters.height())


NETWORK_ACTIONS = {
    "show_weights", "show_network", "show_draw", "set_what_flows", "set_errors", "next_example",
    "previous_example", "random_example", "next_mistake", "my_drawing", "undo_stroke", "clear_drawing",
}  # fmt: skip


def walk_the_network_actions(qtbot, window, press) -> None:
    """The pages, the example chooser, the network's toggles and the drawing pad's Undo and Clear."""
    press("show_network")
    assert window.network.isVisible() and not window.filters.isVisible()
    chosen = handled(qtbot, window).example  # the inspector's, just closed: a training digit
    press("next_example")
    assert handled(qtbot, window).example.index == chosen.index + 1
    press("previous_example")
    assert handled(qtbot, window).example.index == chosen.index
    sent = window.worker.sent
    press("random_example")
    state = handled(qtbot, window)
    assert window.worker.sent == sent + 1 and state.example.source == chosen.source  # the split in use
    press("next_mistake")
    example = handled(qtbot, window).example
    assert int(np.argmax(example.forward.A2)) != example.label

    for name, option, box in (
        ("set_what_flows", "flows", window.network.flows_box),
        ("set_errors", "errors", window.network.errors_box),
    ):
        press(name)
        assert getattr(window.network_options, option) and box.isChecked() and window.action(name).isChecked()
        press(name)
        assert not getattr(window.network_options, option) and not box.isChecked()
        assert not window.action(name).isChecked()
    window.network.errors_box.click()  # the box above the view: the menu's check mark follows
    assert (
        window.action("set_errors").isChecked() and window.network.diagram.picture.nudges_output is not None
    )
    window.network.errors_box.click()

    press("show_draw")
    assert window.draw.isVisible()
    pad = window.draw.pad
    stroke(qtbot, pad, [(0.5, 0.2), (0.5, 0.8)])
    stroke(qtbot, pad, [(0.3, 0.2), (0.7, 0.2)])
    press("undo_stroke")
    assert len(pad.strokes) == 1
    press("show_network")
    window.network.chooser.choose("dev", 3)
    press("my_drawing")
    assert handled(qtbot, window).example.source == "drawn"
    press("clear_drawing")
    assert pad.strokes == [] and not handled(qtbot, window).example.x.any()
    press("show_weights")
    assert window.filters.isVisible() and not window.draw.isVisible()


def test_every_action_works_from_its_key(qtbot, window, dialogs):
    keyed = {spec.name: spec for spec in ACTIONS if spec.keys}
    unkeyed = {spec.name for spec in ACTIONS if not spec.keys}

    def press(name: str) -> None:
        if name in keyed:
            press_key(qtbot, window, keyed[name].keys[0])
        else:
            menu_entry(window, name).trigger()

    checked = walk_every_action(qtbot, window, dialogs, press)
    assert checked == {spec.name for spec in ACTIONS}, "an action without a test"
    assert unkeyed == {
        "use_embedded", "use_full_mnist", "restore_defaults", "set_dark", "set_fast_training",
        "random_example", "my_drawing", "export_view", "export_window", "export_metrics",
        "export_weights", "record",
    }  # fmt: skip


def test_every_action_works_from_its_menu_entry(qtbot, window, dialogs):
    checked = walk_every_action(qtbot, window, dialogs, lambda name: menu_entry(window, name).trigger())
    assert checked == {spec.name for spec in ACTIONS}


def test_the_second_keys_work_too(qtbot, window, dialogs):
    """→ and S both step; F1 and ? both open the sheet; Ctrl++ and Ctrl+= both zoom in."""
    for spec in ACTIONS:
        for key in spec.keys[1:]:
            before = (window.worker.sent, window.look.zoom, len(dialogs["shortcuts"]))
            press_key(qtbot, window, key)
            assert (window.worker.sent, window.look.zoom, len(dialogs["shortcuts"])) != before, key


def test_no_two_actions_share_a_key():
    """Qt answers a key two actions claim with neither ("ambiguous shortcut"): it must never happen."""
    keys = [QKeySequence(key).toString() for spec in ACTIONS for key in spec.keys]
    assert len(keys) == len(set(keys)), sorted(key for key in keys if keys.count(key) > 1)


README_KEYS = {
    "Right": "→",
    "Left": "←",
    "Up": "↑",
    "Down": "↓",
    "Ctrl++": "Ctrl +",
    "Ctrl+-": "Ctrl −",
    "Ctrl+0": "Ctrl 0",
}
SAME_KEY_AS = {"Ctrl+=": "Ctrl++"}  # a second spelling of a key the README names once


def test_the_readme_names_every_key(pytestconfig):
    readme = (pytestconfig.rootpath / "README.md").read_text(encoding="utf-8")
    table = readme.split("| key | action |", 1)[1].split("\n\n", 1)[0]
    named = {
        key.strip()
        for row in table.splitlines()[2:]
        for key in row.split("|")[1].replace(" or ", " / ").split(" / ")
    }
    for spec in ACTIONS:
        for key in spec.keys:
            key = SAME_KEY_AS.get(key, key)
            assert README_KEYS.get(key, key) in named, (
                f"{key} ({spec.name}) is missing from the README's key table"
            )
