"""The network view and the drawing pad, driven as a user drives them: the numbers they show are the
engine's, the example follows every choice, and a digit drawn with the mouse flows through the network."""

import os
import subprocess
import sys

import numpy as np
import pytest
from driving import WAIT_MS, handled
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QImage, QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from test_window import reference_trainer

from nnviz.data.prepare import prepare_digit
from nnviz.engine.network import Params, backward_prop, forward_prop, one_hot
from nnviz.engine.trainer import TrainConfig
from nnviz.session import Setup
from nnviz.ui.panels.draw import PREDICT_MS
from nnviz.ui.panels.network import FEW_UNITS
from nnviz.ui.panels.unit_card import number, output_card
from nnviz.ui.window import MainWindow
from nnviz.worker import Choose
from nnviz.worker.snapshot import Example


def on_screen(panel, kind: str, row: int) -> QPoint:
    """Where a unit's centre is, in the panel's graphics view (for the mouse)."""
    centre = panel.diagram.mapToScene(panel.diagram.unit_centre(kind, row))
    return panel.graphics.mapFromScene(centre)


def move_mouse(widget, where: QPoint) -> None:
    """A mouse move as the widget receives it. Not QTest.mouseMove: it goes through the window
    system, whose cursor state earlier tests' windows leave behind (a move can be dropped)."""
    local = QPointF(where)
    QApplication.sendEvent(widget, QMouseEvent(QEvent.Type.MouseMove, local, widget.mapToGlobal(local),
                                               Qt.MouseButton.NoButton, Qt.MouseButton.NoButton,
                                               Qt.KeyboardModifier.NoModifier))  # fmt: skip


def hover(qtbot, panel, kind: str, row: int):
    """Move the mouse onto a unit, as a user does; the card it shows."""
    unit = (kind, int(panel.diagram.picture.units[row]) if kind == "hidden" else row)
    move_mouse(panel.graphics.viewport(), on_screen(panel, kind, row))
    qtbot.waitUntil(lambda: panel.card.isVisible() and panel.card_unit == unit)
    return panel.card_shown


def dev_column(digits, index: int) -> np.ndarray:
    """Dev example `index` as the network sees it, split as the app splits the embedded digits."""
    from nnviz.session import load_splits

    dev = load_splits(Setup(), digits).dev
    return (dev.images[index].astype(np.float32) / np.float32(255)).reshape(784, 1)


@pytest.mark.parametrize("steps", [0, 3])
def test_the_view_and_its_cards_show_the_engines_numbers_for_the_chosen_example(qtbot, window, digits, steps):
    """A1, A2 and every card's z equal forward_prop of that one column, at the desk and after steps."""
    for _ in range(steps):
        handled(qtbot, window, window.run.step())
    panel = window.show_view("network")
    state = handled(qtbot, window, window.worker.send(Choose("dev", 7)))
    params = reference_trainer(digits, steps).params
    x = dev_column(digits, 7)
    expected = forward_prop(params, x)
    np.testing.assert_array_equal(state.example.x, x)
    picture = panel.diagram.picture
    np.testing.assert_allclose(picture.outputs, expected.A2[:, 0], rtol=1e-5)
    assert picture.label == state.example.label and picture.prediction == int(np.argmax(expected.A2))
    for unit in range(10):
        card = hover(qtbot, panel, "hidden", unit)
        assert card.values["z"] == pytest.approx(float(expected.Z1[unit, 0]), rel=1e-5, abs=1e-6)
        assert card.values["a"] == pytest.approx(float(expected.A1[unit, 0]), rel=1e-5, abs=1e-6)
        assert card.values["wx"] + card.values["b"] == pytest.approx(card.values["z"], abs=1e-6)
    for digit in range(10):
        card = hover(qtbot, panel, "output", digit)
        assert card.values["z"] == pytest.approx(float(expected.Z2[digit, 0]), rel=1e-5, abs=1e-6)
        assert card.values["p"] == pytest.approx(float(expected.A2[digit, 0]), rel=1e-5, abs=1e-7)
    move_mouse(panel.graphics.viewport(), QPoint(2, 2))  # off every unit: the card goes
    qtbot.waitUntil(lambda: not panel.card.isVisible())


def test_a_clicked_card_stays_and_follows_the_run_live(qtbot, window):
    panel = window.show_view("network")
    handled(qtbot, window)
    QTest.mouseClick(panel.graphics.viewport(), Qt.MouseButton.LeftButton, pos=on_screen(panel, "output", 3))
    qtbot.waitUntil(lambda: panel.card_unit == ("output", 3) and panel.card.isVisible())
    shown = panel.card_shown.values["p"]
    frames = panel.frames_shown
    window.run.toggle_running()

    def live() -> bool:  # frames while training, the card on each one's numbers, the mouse nowhere
        state, card = window.state, panel.card_shown
        return (
            state.running
            and panel.frames_shown > frames + 1
            and panel.card.isVisible()
            and card.values["p"] != shown
            and card.values["p"] == pytest.approx(float(state.example.forward.A2[3, 0]))
        )

    qtbot.waitUntil(live, timeout=WAIT_MS)
    window.run.toggle_running()
    assert "output 3" in panel.card.text()


def test_errors_show_the_nudges_of_the_backward_pass_and_what_flows_weights_the_lines(qtbot, window):
    panel = window.show_view("network")
    state = handled(qtbot, window, window.run.step())
    example, params = state.example, state.params
    window.action("set_errors").trigger()
    picture = panel.diagram.picture
    grads = backward_prop(params, example.x, one_hot(np.array([example.label])), example.forward)
    np.testing.assert_allclose(picture.nudges_output, -grads.dZ2[:, 0], rtol=1e-6)  # Y - A2: up for the truth
    assert (
        picture.nudges_output[example.label] > 0
        and (np.delete(picture.nudges_output, example.label) <= 0).all()
    )
    assert np.sign(picture.nudges_hidden).tolist() == np.sign(-grads.dZ1[:, 0]).tolist()
    assert hover(qtbot, panel, "output", example.label).values["dZ2"] == pytest.approx(
        grads.dZ2[example.label, 0]
    )
    window.action("set_what_flows").trigger()  # with the errors on: what flows back, dZ2[d] W2[d, j]
    flows_back = params.W2 * grads.dZ2
    np.testing.assert_allclose(
        panel.diagram.picture.edges * np.abs(flows_back).max(), flows_back, atol=1e-6, rtol=0.6
    )
    assert np.sign(panel.diagram.picture.edges).tolist() == np.sign(flows_back).tolist()
    window.action("set_errors").trigger()  # forward: what flows into each output, A1[j] W2[d, j]
    flows = params.W2 * example.forward.A1[:, 0]
    assert np.sign(panel.diagram.picture.edges).tolist() == np.sign(flows).tolist()
    edges = panel.diagram.picture.edges
    assert np.argmax(np.abs(edges)) == np.argmax(np.abs(flows))  # one scale: the largest is the largest
    assert panel.diagram.picture.nudges_output is None


def test_with_many_hidden_units_the_most_active_are_drawn_and_the_rest_counted(qtbot, digits, settings):
    window = MainWindow(Setup(config=TrainConfig(hidden=64)), digits, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.state is not None, timeout=WAIT_MS)
    try:
        panel = window.show_view("network")
        state = handled(qtbot, window, window.run.step())
        A1 = state.example.forward.A1[:, 0]
        picture = panel.diagram.picture
        assert len(picture.units) == FEW_UNITS and picture.hidden == 64
        assert list(picture.units) == sorted(np.argsort(-A1, kind="stable")[:FEW_UNITS])
        assert A1[picture.units].min() >= np.delete(A1, picture.units).max()
        assert "8 of 64 units" in picture.headings[1]
        row = 2
        assert hover(qtbot, panel, "hidden", row).values["a"] == pytest.approx(float(A1[picture.units[row]]))
    finally:
        window.close()


def test_the_chooser_picks_by_position_split_neighbour_and_the_next_mistake(qtbot, window):
    window.show_view("network")
    chooser = window.network.chooser
    chooser.index.setValue(41)
    assert handled(qtbot, window).example.index == 41
    window.action("next_example").trigger()
    window.action("next_example").trigger()  # twice before the first is answered: 43, not 42 twice
    assert handled(qtbot, window).example.index == 43
    window.action("previous_example").trigger()
    assert handled(qtbot, window).example.index == 42
    chooser.split.setCurrentText("train")
    chooser.split.activated.emit(1)
    state = handled(qtbot, window)
    assert (state.example.source, state.example.index) == ("train", 42)
    chooser.choose("dev", 0)
    window.action("previous_example").trigger()  # round the start, to the end
    assert handled(qtbot, window).example.index == 999
    assert chooser.index.value() == 999 and chooser.index.maximum() == 999
    window.action("next_mistake").trigger()
    state = handled(qtbot, window)
    example = state.example
    assert int(np.argmax(example.forward.A2)) != example.label  # one the untrained network gets wrong
    assert example.source == "dev" and (example.index >= 0)


@pytest.fixture
def drawing_page(qtbot, window):
    page = window.show_view("draw")
    handled(qtbot, window)
    return page


def stroke(qtbot, pad, points, release=True):
    """Press, move through `points` (on the paper, 0-1) and release, with QTest's mouse events."""
    paper = pad.paper()

    def at(p):
        return QPoint(round(paper.x() + p[0] * paper.width()), round(paper.y() + p[1] * paper.height()))

    QTest.mousePress(pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at(points[0]))
    for point in points[1:]:
        QTest.mouseMove(pad, at(point))
    if release:
        QTest.mouseRelease(pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at(points[-1]))


def test_a_digit_drawn_with_the_mouse_is_prepared_as_mnists_were_and_flows_through_the_network(
    qtbot, window, drawing_page
):
    pad = drawing_page.pad
    shown = handled(qtbot, window).example  # before any drawing: the chosen example, said so
    assert (
        drawing_page.network.title.full_text
        == f"The network, on {shown.source} #{shown.index} until you draw"
    )
    one = [(0.5, 0.15 + 0.07 * i) for i in range(11)]  # a "1": one stroke straight down
    stroke(qtbot, pad, one)
    assert len(pad.strokes) == 1 and len(pad.strokes[0]) == len(one)
    np.testing.assert_allclose(pad.strokes[0], one, atol=1.5 / pad.paper().width())
    prepared = prepare_digit(pad.render())
    np.testing.assert_array_equal(drawing_page.pixels, prepared)
    columns = np.flatnonzero(prepared.sum(axis=0))
    assert columns.min() >= 12 and columns.max() <= 16 and np.flatnonzero(prepared.sum(axis=1)).size == 20
    state = handled(qtbot, window)
    assert state.example.source == "drawn" and state.example.label is None
    np.testing.assert_allclose(state.example.x[:, 0], prepared.reshape(-1) / 255, rtol=1e-6)
    expected = forward_prop(state.params, state.example.x).A2[:, 0]
    np.testing.assert_allclose(drawing_page.network.diagram.picture.outputs, expected)
    assert drawing_page.network.diagram.picture.prediction == int(np.argmax(expected))
    assert not drawing_page.blank_note.isVisible()
    assert drawing_page.network.title.full_text == "The network, on your drawing"


def test_predictions_come_while_the_pen_is_still_down_and_undo_and_clear_take_strokes_back(
    qtbot, window, drawing_page
):
    pad = drawing_page.pad
    sent = window.worker.sent
    stroke(qtbot, pad, [(0.3, 0.2), (0.7, 0.2), (0.5, 0.5)], release=False)
    qtbot.waitUntil(lambda: window.worker.sent > sent, timeout=10 * PREDICT_MS)  # pen still down
    assert handled(qtbot, window).example.source == "drawn"
    QTest.mouseRelease(pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(100, 100))
    stroke(qtbot, pad, [(0.5, 0.5), (0.4, 0.9)])
    first = drawing_page.pixels.copy()
    assert len(pad.strokes) == 2
    window.action("undo_stroke").trigger()
    assert len(pad.strokes) == 1 and not np.array_equal(drawing_page.pixels, first)
    np.testing.assert_array_equal(drawing_page.pixels, prepare_digit(pad.render()))
    window.action("clear_drawing").trigger()
    assert pad.strokes == [] and drawing_page.pixels is None and drawing_page.blank_note.isVisible()
    state = handled(qtbot, window)
    assert state.example.source == "drawn" and not state.example.x.any()  # the network's view of nothing


def test_saying_which_digit_a_drawing_is_gives_it_errors_to_show(qtbot, window, drawing_page):
    stroke(qtbot, drawing_page.pad, [(0.3, 0.2), (0.7, 0.2), (0.45, 0.85)])
    assert handled(qtbot, window).example.grads is None  # no digit said: nothing to be wrong about
    drawing_page.meant.setCurrentIndex(8)  # "7" (after "digit?")
    drawing_page.meant.activated.emit(8)
    state = handled(qtbot, window)
    assert state.example.label == 7 and state.example.source == "drawn"
    window.action("set_errors").trigger()
    picture = drawing_page.network.diagram.picture
    np.testing.assert_allclose(
        picture.nudges_output, one_hot(np.array([7]))[:, 0] - state.example.forward.A2[:, 0]
    )
    assert picture.label == 7
    window.action("clear_drawing").trigger()
    assert drawing_page.meant.currentIndex() == 0 and handled(qtbot, window).example.label is None


def test_the_drawing_stays_while_training_runs_and_the_networks_opinion_of_it_changes(
    qtbot, window, drawing_page
):
    stroke(qtbot, drawing_page.pad, [(0.3, 0.3), (0.7, 0.3), (0.7, 0.7), (0.3, 0.7), (0.3, 0.3)])
    before = handled(qtbot, window).example.forward.A2.copy()
    window.run.run_until(30)
    qtbot.waitUntil(lambda: window.state.iteration == 30 and not window.state.running, timeout=WAIT_MS)
    state = window.state
    assert state.example.source == "drawn"
    np.testing.assert_allclose(state.example.x[:, 0], drawing_page.pixels.reshape(-1) / 255, rtol=1e-6)
    assert not np.allclose(state.example.forward.A2, before)  # what it makes of the drawing moved on
    window.action("show_network").trigger()
    assert window.network.diagram.picture.outputs.tolist() == state.example.forward.A2[:, 0].tolist()


def test_with_the_inspector_open_the_network_shows_the_inspectors_example(qtbot, window):
    window.show_view("network")
    dialog = window.inspect()
    batch = dialog.it.batch
    state = handled(qtbot, window)
    assert (state.example.source, state.example.index) == ("train", int(batch.index[0]))
    dialog.example.index.setValue(5)
    assert handled(qtbot, window).example.index == int(batch.index[5])
    dialog.reject()


@pytest.mark.parametrize("view", ["network", "draw"])
def test_the_screenshot_command_photographs_the_view(tmp_path, view):
    path = tmp_path / f"{view}.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path / "config")}
    done = subprocess.run(
        [sys.executable, "-m", "nnviz", "--screenshot", str(path), "--after", "3", "--view", view],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    grey = QImage(str(path)).convertToFormat(QImage.Format.Format_Grayscale8)  # kept: its pixels are read
    pixels = np.frombuffer(grey.constBits(), np.uint8).reshape(grey.height(), grey.bytesPerLine())
    assert 400 < grey.width() < 1600 and grey.height() > 400  # the view, not the whole window
    assert pixels.std() > 20  # drawn, not blank


def test_an_output_card_of_a_diverging_run_shows_softmax_from_shifted_z_not_infinities(digits):
    rng = np.random.default_rng(0)
    h = 10
    params = Params(
        rng.normal(0, 1, (h, 784)).astype(np.float32), np.zeros((h, 1), np.float32),
        rng.normal(0, 1, (10, h)).astype(np.float32), np.full((10, 1), 800, np.float32),
    )  # fmt: skip  # every z beyond 800: e^z overflows a double
    example = Example.of(params, dev_column(digits, 0), 3, "dev", 0)
    card = output_card(example, params, 3)
    softmax = card.lines[1]
    assert "∞" not in softmax and "nan" not in softmax and "e^(z −" in softmax
    assert softmax.endswith(f"= {number(card.values['p'], 3)}")
