"""The Mistakes page, driven as a user drives it: a click on a cell, the gallery's orders, a click on a
digit, the past on a slider, the training split, the hover text; and in the window, the matrix the
worker counted, M, and the chosen example following a click."""

import copy
import os
import subprocess
import sys

import numpy as np
import pytest
from driving import handled, run_to
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QFontMetricsF, QImage
from test_fit import SCREENS, lay_out

from nnviz.engine.trainer import TrainConfig, Trainer
from nnviz.ui.digit_tiles import TILE_H, TILE_W
from nnviz.ui.look import LECTURE_ZOOM, PROJECTOR_LIGHT, Look
from nnviz.ui.panels import ConfusionPanel
from nnviz.ui.panels.confusion import describe_cell
from nnviz.worker import Choose, Evaluate
from nnviz.worker.snapshot import Example, Snapshot


@pytest.fixture(scope="module")
def trainer(embedded_examples):
    """The embedded digits after 30 full-batch steps: some digits right, many wrong."""
    train, dev = embedded_examples
    trainer = Trainer(train, dev, TrainConfig())
    for _ in range(30):
        trainer.step()
    return trainer


def snapshot_of(trainer, **state) -> Snapshot:
    evaluation = trainer.dev_evaluation
    evaluation.top  # noqa: B018 (made before the view sees it, as the worker does)
    return Snapshot.of(trainer, evaluation=evaluation, evaluated_split="dev", **state)


@pytest.fixture
def panel(qtbot, trainer):
    """The view on its own, as large as on a 1920 x 1080 desk; what it sends is kept in `sent`."""
    sent = []
    view = ConfusionPanel(sent.append)
    view.sent = sent
    qtbot.addWidget(view)
    view.apply_look(Look())
    view.resize(900, 900)
    view.show()
    qtbot.waitExposed(view)
    view.show_snapshot(snapshot_of(trainer))
    return view


def on_screen(graphics, view_box, point: QPointF) -> QPoint:
    """Where a point of a pyqtgraph view lies on its widget, for a mouse event."""
    return graphics.mapFromScene(view_box.mapViewToScene(point))


def click(qtbot, graphics, view_box, point: QPointF) -> None:
    qtbot.mouseClick(graphics.viewport(), Qt.MouseButton.LeftButton, pos=on_screen(graphics, view_box, point))


def a_confusion(confusion: np.ndarray) -> tuple[int, int]:
    """The biggest cell off the diagonal."""
    off = confusion * ~np.eye(10, dtype=bool)
    true, predicted = np.unravel_index(np.argmax(off), off.shape)
    assert off[true, predicted] >= 2
    return int(true), int(predicted)


def test_the_matrix_writes_colours_and_explains_the_counts(trainer, panel):
    evaluation = trainer.dev_evaluation
    assert [placed.text for placed in panel.numbers.texts] == [
        f"{n:,}" for n in evaluation.confusion.reshape(-1)
    ]
    np.testing.assert_allclose(panel.bars.opts["width"], evaluation.accuracy_per_digit)
    right = int(np.trace(evaluation.confusion))
    assert panel.readout.full_text.startswith(f"dev at iteration 30: {right} of 1,000 right")
    colours = panel.cells.image
    true, predicted = a_confusion(evaluation.confusion)
    assert colours.shape == (10, 10, 4)
    assert colours[true, true, 1] > colours[true, true, 0]  # the diagonal green
    assert colours[true, predicted, 0] > colours[true, predicted, 2]  # a confusion orange
    assert len(panel.numbers.frames) == 10  # the diagonal set apart

    at = on_screen(panel.graphics, panel.matrix.vb, QPointF(predicted + 0.5, true + 0.5))
    panel._hovered(panel.graphics.mapToScene(at))
    count, total = evaluation.confusion[true, predicted], evaluation.confusion[true].sum()
    said = f"true {true}, predicted {predicted}: {count} digits ({100 * count / total:.1f} % of the {true}s)"
    assert panel.readout.full_text == said == describe_cell(evaluation.confusion, true, predicted)


def test_clicking_a_cell_shows_exactly_its_digits_most_confident_first(qtbot, trainer, panel):
    evaluation = trainer.dev_evaluation
    true, predicted = a_confusion(evaluation.confusion)
    click(qtbot, panel.graphics, panel.matrix.vb, QPointF(predicted + 0.5, true + 0.5))
    gallery = panel.gallery
    in_cell = np.flatnonzero((evaluation.labels == true) & (evaluation.predicted == predicted))
    assert sorted(gallery.shown) == list(in_cell) and in_cell.size == evaluation.confusion[true, predicted]
    assert np.all(np.diff(evaluation.A2[predicted, gallery.shown]) <= 0)
    assert gallery.selections.currentText() == f"True {true}, predicted {predicted}"
    assert gallery.count.full_text.startswith(
        f"{in_cell.size} dev digits: true {true}, predicted {predicted}"
    )
    assert panel.numbers.frames[-1].rect.topLeft() == QPointF(predicted, true)  # the cell marked
    labels = [placed.text for placed in gallery.labels.texts if "→" in placed.text]
    assert labels and labels == [f"{true} → {predicted}"] * len(labels)


def test_the_gallery_shows_each_selection_in_its_order_drawing_only_what_is_in_sight(trainer, panel):
    evaluation, gallery = trainer.dev_evaluation, panel.gallery
    orders = {
        "Mistakes, most confident": evaluation.mistakes("confident"),
        "Mistakes, most unsure": evaluation.mistakes("unsure"),
        "All 7s": evaluation.of_digit(7),
    }
    for entry, order in orders.items():
        gallery.selections.setCurrentIndex(gallery.selections.findText(entry))
        np.testing.assert_array_equal(gallery.shown, order)
        rows, columns = gallery.grid
        assert gallery.shown.size > rows * columns  # more than fit
        assert gallery.image.image.shape[:2] == (rows * TILE_H, columns * TILE_W)  # only those in sight
        gallery.scroll.setValue(2)
        np.testing.assert_array_equal(gallery._in_sight(), order[2 * columns : (2 + rows) * columns])
    digits = [int(p.text) for p in gallery.labels.texts if p.text.isdigit()]
    guesses = evaluation.top[0][:, gallery._in_sight()]
    assert digits == list(guesses.T.reshape(-1))  # each tile's top three, in order


def test_clicking_a_digit_asks_for_it_as_the_chosen_example(qtbot, trainer, panel):
    gallery = panel.gallery
    assert gallery.grid[1] >= 2
    click(qtbot, gallery.graphics, gallery.view, QPointF(TILE_W + 14, 20))  # the second tile's digit
    (chosen,) = panel.sent
    assert isinstance(chosen, Choose) and (chosen.split, chosen.index) == ("dev", gallery.shown[1])
    assert gallery.labels.frames == []
    index, dev = chosen.index, trainer.dev
    example = Example.of(trainer.params, dev.X[:, index : index + 1], int(dev.labels[index]), "dev", index)
    panel.show_snapshot(snapshot_of(trainer, example=example))  # the worker's answer
    assert len(gallery.labels.frames) == 1  # the chosen digit is framed
    assert gallery.labels.frames[0].rect.left() < TILE_W + 14 < gallery.labels.frames[0].rect.right()


def test_the_slider_shows_a_past_evaluation_while_training_goes_on(trainer, panel):
    past = trainer.confusions.views()
    assert list(past.iterations) == [0, 10, 20, 30] and panel.past.maximum() == 4
    panel.past.setValue(1)
    np.testing.assert_array_equal(panel._shown, past.matrices[1])
    assert panel.readout.full_text.startswith("dev back at iteration 10 (slider right: live): ")
    later = Trainer(trainer.train, trainer.dev, trainer.config, params=trainer.params, iteration=30)
    later.history, later.confusions = copy.deepcopy(trainer.history), copy.deepcopy(trainer.confusions)
    for _ in range(20):
        later.step()
    panel.show_snapshot(snapshot_of(later))
    assert panel.past.maximum() == 6 and panel.past.value() == 1
    np.testing.assert_array_equal(panel._shown, past.matrices[1])  # still iteration 10
    panel.past.setValue(panel.past.maximum())
    np.testing.assert_array_equal(panel._shown, later.dev_evaluation.confusion)
    assert panel.readout.full_text.startswith("dev at iteration 50: ")
    panel.past.setValue(1)
    panel.show_snapshot(snapshot_of(later, run=1))  # a reset: the new run's matrix, live
    assert panel.past.value() == panel.past.maximum() and panel.readout.full_text.startswith(
        "dev at iteration 50"
    )


def test_the_training_split_is_asked_of_the_worker_and_shown(trainer, panel):
    panel.split.setCurrentIndex(panel.split.findData("train"))
    assert panel.sent == [Evaluate("train")]
    evaluation = trainer.evaluation(trainer.train)
    evaluation.top  # noqa: B018
    panel.show_snapshot(Snapshot.of(trainer, evaluation=evaluation, evaluated_split="train"))
    assert panel._shown.sum() == 4000 and not panel.past.isEnabled()  # dev alone keeps a past
    assert panel.past.value() == panel.past.maximum()  # held at "live", not at the start of time
    assert "train digits predicted wrong" in panel.gallery.count.full_text


def test_a_frame_without_a_new_evaluation_redraws_nothing(trainer, panel, monkeypatch):
    """Frames must stay cheap: the matrix and the gallery are drawn again only when there is news."""
    drawn = []
    monkeypatch.setattr(panel.cells, "setImage", lambda *a, **k: drawn.append("matrix"))
    monkeypatch.setattr(panel.gallery.image, "setImage", lambda *a, **k: drawn.append("gallery"))
    panel.show_snapshot(snapshot_of(trainer))
    assert drawn == []


def test_in_the_window_the_page_draws_what_the_worker_counted_and_m_brings_it_forward(qtbot, window):
    action = window.action("show_mistakes")
    qtbot.keyClick(window, Qt.Key.Key_M)
    assert window.mistakes.isVisible() and action.isChecked()
    state = run_to(qtbot, window, 10)
    qtbot.waitUntil(lambda: window.mistakes._drawn == (state.run, "dev", 10))
    np.testing.assert_array_equal(window.mistakes._shown, state.evaluation.confusion)
    gallery = window.mistakes.gallery
    click(qtbot, gallery.graphics, gallery.view, QPointF(14, 20))  # the first digit: the views follow it
    example = handled(qtbot, window).example
    assert (example.source, example.index) == ("dev", gallery.shown[0])
    qtbot.keyClick(window, Qt.Key.Key_M)
    assert window.filters.isVisible() and not window.mistakes.isVisible() and not action.isChecked()
    window.layout_.views.setCurrentWidget(window.mistakes)  # its tab, clicked: the check mark follows
    assert action.isChecked()


def test_the_screenshot_command_photographs_the_mistakes_page(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path / "config")}
    out = tmp_path / "mistakes.png"
    done = subprocess.run(
        [sys.executable, "-m", "nnviz", "--screenshot", str(out), "--after", "10", "--view", "confusion"],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    image = QImage(str(out))
    assert 400 < image.width() < 1600 and image.height() > 400  # the page, not the whole window
    colours = {
        image.pixelColor(x, y).name() for x in range(0, image.width(), 5) for y in range(0, image.height(), 5)
    }
    assert "#009e73" in colours and len(colours) > 50  # the matrix's diagonal, and a drawn gallery


def test_on_a_projector_the_page_fits_with_a_readable_matrix_and_several_digits(qtbot, window):
    window.presentation.set_lecture_mode(True)
    window.show_mistakes(True)
    page = window.mistakes
    for size in SCREENS:  # 1280x720, 1024x768, 1920x1080
        lay_out(qtbot, window, size)
        handled(qtbot, window, window.run.step())
        assert page.minimumSizeHint().width() <= page.width(), size  # nothing pushed out of sight
        cells = page.matrix.vb.width() / 10, page.matrix.vb.height() / 10
        assert min(cells) >= 20, (size, cells)  # a count fits, in type large enough to read
        rows, columns = page.gallery.grid
        assert rows * columns >= 4 and page.gallery._in_sight().size >= 4, size


def test_on_a_narrow_projector_page_every_share_stands_whole_beside_or_inside_its_bar(qtbot, trainer):
    view = ConfusionPanel(lambda command: None)
    qtbot.addWidget(view)
    view.apply_look(Look(PROJECTOR_LIGHT, LECTURE_ZOOM))
    view.resize(560, 420)  # the Mistakes page of a 1280x720 projector in lecture mode
    view.show()
    qtbot.waitExposed(view)
    view.show_snapshot(snapshot_of(trainer))
    width = view.per_digit.vb.width()
    metrics = QFontMetricsF(view.bar_numbers.font)
    for placed in view.bar_numbers.texts:
        text = metrics.horizontalAdvance(placed.text)
        if placed.align == "right":  # inside the bar, from its end leftwards
            assert text <= placed.x * width, placed
        else:  # past the bar's end
            assert placed.x * width + text <= width, placed
