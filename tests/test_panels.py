"""The live panels on their own: divergence marks that stay where their losses are, curves that
follow an undone climb, and colour scales that start afresh with each run."""

import itertools
from dataclasses import replace

import numpy as np
import pytest
from driving import WAIT_MS, enter_alpha
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QImage
from PySide6.QtWidgets import QCheckBox, QStyle, QStyleOptionButton

from nnviz.engine.divergence import Divergence
from nnviz.engine.trainer import TrainConfig, Trainer
from nnviz.ui.look import DESK, LECTURE_ZOOM, PROJECTOR_DARK, PROJECTOR_LIGHT, Look
from nnviz.ui.panels import ActivationsPanel, FiltersPanel, LossPanel, OutputWeightsPanel
from nnviz.ui.panels.divergence_mark import CEILING
from nnviz.worker.snapshot import Snapshot


@pytest.fixture
def trainer(embedded_examples):
    return Trainer(*embedded_examples, TrainConfig())


@pytest.fixture
def loss_panel(qtbot):
    panel = LossPanel()
    qtbot.addWidget(panel)
    panel.resize(700, 450)
    panel.show()
    panel.apply_look(Look())
    qtbot.waitUntil(lambda: panel.plot.vb.width() > 400)
    return panel


def diverged(iteration: int, losses: tuple[float, ...], restored: int | None = None) -> Divergence:
    restored = iteration - len(losses) + 1 if restored is None else restored
    return Divergence("diverged", iteration, 5.0, restored, losses, 4000, True)


def show_divergence(panel: LossPanel, snapshot: Snapshot, divergence: Divergence):
    panel.show_snapshot(replace(snapshot, divergence=divergence))
    return panel.divergence_marks[divergence]


def caught_at(mark) -> tuple[float, float]:
    x, y = mark.points.getData()
    return float(x[-1]), float(y[-1])


def test_a_mark_beyond_the_axis_waits_at_its_top_and_moves_to_its_loss_when_the_axis_grows(
    loss_panel, trainer
):
    """It once stayed where the axis had its top when it was made: 'loss 46.5' sat at y = 2.5."""
    mark = show_divergence(loss_panel, Snapshot.of(trainer), diverged(1, (2.3, 46.5)))
    _, (bottom, top) = loss_panel.plot.vb.viewRange()
    assert top < 46.5 and caught_at(mark) == pytest.approx((1, top - CEILING * (top - bottom)))
    assert mark.points.data["symbol"][-1] == "t1"  # a triangle: beyond the top
    loss_panel.plot.setYRange(0, 60, padding=0)
    assert caught_at(mark) == pytest.approx((1, 46.5))
    assert mark.points.data["symbol"][-1] == "x"


def test_on_a_log_axis_a_mark_sits_at_the_log_of_its_losses(loss_panel, trainer):
    mark = show_divergence(loss_panel, Snapshot.of(trainer), diverged(3, (2.32, 4.41, 5.76, 11.2)))
    loss_panel.log_scale.setChecked(True)
    loss_panel.plot.setYRange(-1, 2, padding=0)  # 0.1 to 100
    x, y = mark.points.getData()
    np.testing.assert_allclose(x, [1, 2, 3])  # the two undone updates, then the caught one
    np.testing.assert_allclose(y, np.log10([4.41, 5.76, 11.2]))
    np.testing.assert_allclose(mark.path.getData()[1], np.log10([2.32, 4.41, 5.76, 11.2]))
    loss_panel.log_scale.setChecked(False)
    loss_panel.plot.setYRange(0, 12, padding=0)
    np.testing.assert_allclose(mark.points.getData()[1], [4.41, 5.76, 11.2])


@pytest.mark.parametrize("iteration", [1, 10])
def test_a_marks_label_is_whole_inside_the_plot_and_never_cuts_a_number_short(loss_panel, trainer, iteration):
    """'ss 10.6' (cut at the left edge) and 'diverged: loss 8' (for 895.3) were both seen."""
    loss_panel.plot.setXRange(0, 10, padding=0)
    mark = show_divergence(loss_panel, Snapshot.of(trainer), diverged(iteration, (0.4, 895.3), iteration - 1))
    assert "loss 895," in mark.label.toPlainText()
    label, view = mark.label.sceneBoundingRect(), loss_panel.plot.vb.sceneBoundingRect()
    assert view.contains(label), (label, view)
    assert not label.intersects(loss_panel.legend.sceneBoundingRect())


def test_marks_are_drawn_in_the_palettes_alarm_colour(loss_panel, trainer):
    from nnviz.ui.look import PROJECTOR_DARK

    mark = show_divergence(loss_panel, Snapshot.of(trainer), diverged(1, (2.3, 46.5)))
    loss_panel.apply_look(Look(PROJECTOR_DARK))
    assert mark.label.color.name() == PROJECTOR_DARK.alarm
    assert mark.path.opts["pen"].color().name() == PROJECTOR_DARK.alarm


def test_after_a_climb_is_undone_the_curve_and_the_alpha_marks_follow_the_history(
    loss_panel, embedded_examples
):
    """The history is cut back and grows again: at the same length as before, with other values."""
    train, dev = embedded_examples
    t = Trainer(train.take(np.arange(500)), dev.take(np.arange(100)), TrainConfig(alpha=0.5))
    for _ in range(40):
        t.step()
    t.set_alpha(5)
    t.step()  # 41: the climb begins
    loss_panel.show_snapshot(Snapshot.of(t))
    shown = len(t.history)
    assert len(loss_panel._alpha_marks) == 1
    while t.divergence is None:
        t.step()
    assert t.iteration == 40 and t.rollbacks == 1
    loss_panel.show_snapshot(Snapshot.of(t))
    assert loss_panel._alpha_marks == []  # the alpha change went with the undone updates
    t.set_alpha(0.25)
    t.step()
    assert len(t.history) == shown  # as long as the curve drawn before, not the same
    loss_panel.show_snapshot(Snapshot.of(t))
    np.testing.assert_array_equal(
        loss_panel.curves["train_loss"].getOriginalDataset()[1], t.history["train_loss"]
    )
    assert [mark.label.format for mark in loss_panel._alpha_marks] == ["α=0.25"]
    assert len(loss_panel.divergence_marks) == 1  # the undone climb stays marked


@pytest.mark.parametrize("make", [FiltersPanel, OutputWeightsPanel])
def test_a_new_run_starts_its_colour_scale_afresh(qtbot, trainer, make):
    """The seed's weights filled ±0.15 on launch and ±0.3 after a Reset that followed training."""
    panel = make()
    qtbot.addWidget(panel)
    launch = Snapshot.of(trainer)
    bar = panel.tiles.colour_bar if make is FiltersPanel else panel.colour_bar
    panel.show_snapshot(launch)
    fresh = bar.levels()
    panel.show_snapshot(replace(launch, W1=2 * launch.W1, W2=2 * launch.W2))  # trained: larger weights
    assert bar.levels()[1] > fresh[1]
    panel.show_snapshot(replace(launch, run=1))  # Reset: the same seed's weights again
    assert bar.levels() == fresh


def test_a_new_run_starts_its_histogram_ranges_afresh(qtbot, trainer):
    panel = ActivationsPanel()
    qtbot.addWidget(panel)
    launch = Snapshot.of(trainer)
    panel.show_snapshot(launch)
    fresh = panel.plots["Z1"].vb.viewRange()[0]
    wide = replace(
        launch.activations, Z1=replace(launch.activations.Z1, edges=1.5 * launch.activations.Z1.edges)
    )
    panel.show_snapshot(replace(launch, activations=wide))
    assert panel.plots["Z1"].vb.viewRange()[0] != fresh
    panel.show_snapshot(replace(launch, run=1))
    assert panel.plots["Z1"].vb.viewRange()[0] == fresh


def test_at_alpha_5_the_window_goes_back_to_before_the_climb_and_shows_it(qtbot, window):
    """A real run on the embedded digits: 2.3 -> 4.4 -> 5.8 -> 11 at alpha 5 from iteration 0."""
    enter_alpha(qtbot, window, 5)
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.state.divergence is not None, timeout=WAIT_MS)
    state = window.state
    assert state.iteration == 0 and not state.running and list(state.history["iteration"]) == [0]
    assert "parameters restored to iteration 0" in window.status.banner.text()
    assert window.figures.values["iteration"].text() == "0"
    np.testing.assert_array_equal(window.loss.curves["train_loss"].getOriginalDataset()[0], [0])
    (divergence,) = window.loss.divergence_marks
    assert divergence.restored == 0 and divergence.undone == 3


def indicator_pixels(box: QCheckBox) -> np.ndarray:
    """The check box's indicator, as the user sees it: an RGB array."""
    option = QStyleOptionButton()
    box.initStyleOption(option)
    rect = box.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, box)
    image = box.grab(rect).toImage().convertToFormat(QImage.Format.Format_RGB888)
    pixels = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    return pixels[:, : 3 * image.width()].reshape(image.height(), image.width(), 3).astype(int)


@pytest.mark.parametrize("palette", [DESK, PROJECTOR_LIGHT, PROJECTOR_DARK], ids=lambda p: p.name)
def test_an_unchecked_box_is_an_empty_outlined_square_and_a_ticked_one_differs(qtbot, palette):
    """On the dark projector theme an unchecked box was a solid white square that looked checked."""
    panel = LossPanel()
    qtbot.addWidget(panel)
    panel.setStyleSheet(Look(palette).style_sheet())  # the window sets it on the application
    panel.apply_look(Look(palette))
    panel.show()
    box = panel.log_scale
    empty = indicator_pixels(box)
    box.setChecked(True)
    ticked = indicator_pixels(box)
    inside = empty[
        empty.shape[0] // 2 - 1 : empty.shape[0] // 2 + 2, empty.shape[1] // 2 - 1 : empty.shape[1] // 2 + 2
    ]
    background = np.array(QColor(palette.background).getRgb()[:3])
    assert np.abs(inside - background).max() <= 40  # empty: the plots' background inside
    window = np.array(QColor(palette.window).getRgb()[:3])
    edge = np.concatenate([empty[0], empty[-1], empty[:, 0], empty[:, -1]])
    assert np.abs(edge - window).sum(axis=1).max() >= 150  # an outline that stands out
    ink = np.array(QColor(palette.ink).getRgb()[:3])
    tick = np.abs(ticked - ink).sum(axis=2) < 200
    assert tick.sum() >= 6 and (np.abs(ticked - empty).sum(axis=2) > 150).sum() >= 6


@pytest.fixture
def filters_of_256(qtbot, embedded_examples):
    trainer = Trainer(*embedded_examples, TrainConfig(hidden=256))
    panel = FiltersPanel()
    qtbot.addWidget(panel)
    panel.resize(900, 500)
    panel.apply_look(Look())
    panel.show()
    qtbot.waitExposed(panel)
    panel.show_snapshot(Snapshot.of(trainer))
    qtbot.waitUntil(lambda: panel.tiles.view.width() > 500)
    panel.show_snapshot(Snapshot.of(trainer))  # laid out for its final size
    return panel, trainer


def click_tile(qtbot, panel: FiltersPanel, unit: int) -> None:
    centre = panel.tiles.view.mapViewToScene(panel.tiles.tile_rect(unit).center())
    qtbot.mouseClick(
        panel.graphics.viewport(), Qt.MouseButton.LeftButton, pos=panel.graphics.mapFromScene(centre)
    )


def test_at_256_units_a_click_on_a_tile_shows_that_filter_large_with_its_number_and_range(
    qtbot, filters_of_256
):
    panel, trainer = filters_of_256
    tile_width = panel.tiles.view.mapViewToScene(panel.tiles.tile_rect(0)).boundingRect().width()
    assert tile_width < 30  # too small to read: what the inset is for
    click_tile(qtbot, panel, 137)
    inset = panel.inset
    assert inset.isVisible() and inset.unit == 137 and "unit 137" in inset.heading.text()
    assert inset.picture.width() >= 4 * tile_width
    W1 = trainer.params.W1
    np.testing.assert_array_equal(inset.image.image, W1[137].reshape(28, 28))
    assert inset.range_text.text() == f"weights from {W1[137].min():.3g} to {W1[137].max():.3g}"
    assert inset.image.levels == pytest.approx(panel.tiles.colour_bar.levels())  # the tiles' colours
    assert panel.graphics.rect().contains(inset.geometry())
    assert not inset.geometry().intersects(
        panel.graphics.mapFromScene(panel.tiles.colour_bar.sceneBoundingRect()).boundingRect()
    )


def test_the_large_filter_follows_training_and_the_next_step_view(qtbot, filters_of_256):
    panel, trainer = filters_of_256
    click_tile(qtbot, panel, 5)
    trainer.step()
    snapshot = Snapshot.of(trainer)
    panel.show_snapshot(snapshot)
    np.testing.assert_array_equal(panel.inset.image.image, snapshot.W1[5].reshape(28, 28))
    panel.show_step.setChecked(True)
    step = -snapshot.alpha * snapshot.pending.grads.dW1[5]
    np.testing.assert_array_equal(panel.inset.image.image, step.reshape(28, 28))
    assert panel.inset.range_text.text().startswith("next step −α·dW1 from")


def test_the_large_filter_closes_with_escape_or_a_click_elsewhere(qtbot, filters_of_256):
    panel, _ = filters_of_256
    click_tile(qtbot, panel, 3)
    click_tile(qtbot, panel, 200)  # another tile: that one instead
    assert panel.inset.isVisible() and panel.inset.unit == 200
    qtbot.keyClick(panel.inset, Qt.Key.Key_Escape)
    assert not panel.inset.isVisible() and panel.inset.unit is None
    click_tile(qtbot, panel, 3)
    assert panel.inset.isVisible()
    qtbot.mouseClick(panel.caption, Qt.MouseButton.LeftButton)  # anywhere else
    assert not panel.inset.isVisible()


def test_a_new_run_with_fewer_units_closes_the_large_filter(qtbot, filters_of_256, embedded_examples):
    panel, _ = filters_of_256
    click_tile(qtbot, panel, 200)
    panel.show_snapshot(replace(Snapshot.of(Trainer(*embedded_examples, TrainConfig(hidden=10))), run=1))
    assert not panel.inset.isVisible()


def test_hovering_a_tile_outlines_it_and_names_it_with_its_range(qtbot, filters_of_256):
    panel, trainer = filters_of_256
    centre = panel.tiles.view.mapViewToScene(panel.tiles.tile_rect(42).center())
    panel.graphics.scene().sigMouseMoved.emit(centre)
    assert panel.hovered.isVisible() and panel.hovered.rect() == panel.tiles.tile_rect(42)
    W1 = trainer.params.W1[42]
    assert panel.graphics.toolTip() == f"unit 42: from {W1.min():.3g} to {W1.max():.3g}. Click to enlarge."


def test_w2_numbers_as_many_units_as_fit_side_by_side(qtbot, digits):
    """A narrow W2 on a projector once printed 0-9 as one run of digits."""
    from nnviz.session import Setup, load_splits, make_trainer
    from nnviz.ui.panels import OutputWeightsPanel
    from nnviz.worker.snapshot import Snapshot

    setup = Setup(config=TrainConfig(hidden=10))
    snapshot = Snapshot.of(make_trainer(load_splits(setup, digits), setup.config))
    panel = OutputWeightsPanel()
    qtbot.addWidget(panel)
    panel.apply_look(Look(PROJECTOR_LIGHT, 1.6))
    panel.resize(900, 400)
    panel.show()
    qtbot.waitExposed(panel)
    panel.show_snapshot(snapshot)
    ticks = lambda: [label for _, label in panel.plot.getAxis("bottom")._tickLevels[0]]  # noqa: E731
    assert ticks() == [str(u) for u in range(10)]
    panel.resize(260, 400)
    qtbot.waitUntil(lambda: len(ticks()) < 10)
    step = panel._unit_step[0]
    assert step in (2, 5) and ticks() == [str(u) for u in range(0, 10, step)]
    digits = lambda: [label for _, label in panel.plot.getAxis("left")._tickLevels[0]]  # noqa: E731
    assert digits() == [str(d) for d in range(10)]
    panel.resize(260, 150)  # less than a line a digit
    qtbot.waitUntil(lambda: len(digits()) < 10)
    assert digits() in (["0", "2", "4", "6", "8"], ["0", "5"])


def test_tile_labels_that_would_run_together_on_a_projector_are_thinned_not_overprinted(
    qtbot, embedded_examples
):
    trainer = Trainer(*embedded_examples, TrainConfig(hidden=32))
    panel = FiltersPanel()
    qtbot.addWidget(panel)
    panel.resize(400, 200)  # the filters on a 1024x768 projector in lecture mode
    panel.apply_look(Look(PROJECTOR_LIGHT, LECTURE_ZOOM))
    panel.show()
    qtbot.waitExposed(panel)
    panel.show_snapshot(Snapshot.of(trainer))
    labels = panel.tiles.label_item
    qtbot.waitUntil(lambda: bool(labels.painted))
    assert len(labels.painted) < len(labels.texts) == 32  # some left out ...
    rows: dict[float, list] = {}
    for placed in labels.painted:
        rows.setdefault(placed.y, []).append(placed)
    metrics = QFontMetricsF(labels.font)
    scale = panel.tiles.view.mapViewToScene(QRectF(0, 0, 1, 1)).boundingRect().width()
    for row in rows.values():  # ... and those drawn never touch
        for left, right in itertools.pairwise(sorted(row, key=lambda p: p.x)):
            assert left.x * scale + metrics.horizontalAdvance(left.text) < right.x * scale
