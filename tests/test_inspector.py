"""Stepping through one iteration: the real values, computed once, and Apply is exactly Step."""

import re

import numpy as np
import pyqtgraph as pg
import pytest
from driving import handled, run_to
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFontMetricsF, QImage, QPainter
from PySide6.QtWidgets import QApplication

from nnviz.engine.network import dW1_of_example, relu_deriv
from nnviz.session import Setup, load_splits, make_trainer
from nnviz.ui.axes import IndexAxis, ReadableAxis, index_step
from nnviz.ui.inspector.stages import build_stages
from nnviz.ui.inspector.views import MatrixView
from nnviz.ui.look import LECTURE_ZOOM, PROJECTOR_LIGHT, TICK_POINTS, Look

WALKED = 5  # iterations trained before the walk


def reference_trainer(digits, steps):
    setup = Setup()
    trainer = make_trainer(load_splits(setup, digits), setup.config)
    for _ in range(steps):
        trainer.step()
    return trainer


@pytest.fixture
def window(window, qtbot):
    """The window paused after WALKED iterations."""
    run_to(qtbot, window, WALKED)
    return window


def test_every_stage_shows_the_engines_values_for_this_state(window, digits):
    dialog = window.inspect()
    expected = reference_trainer(digits, WALKED).prepare()
    f, g, p = expected.forward, expected.grads, expected.params
    engine = {
        "X": expected.batch.X, "Y": expected.batch.Y,
        "W<sup>[1]": p.W1, "b<sup>[1]": p.b1, "W<sup>[2]": p.W2, "b<sup>[2]": p.b2,
        "Z<sup>[1]": f.Z1, "A<sup>[1]": f.A1, "Z<sup>[2]": f.Z2, "A<sup>[2]": f.A2,
        "dZ<sup>[2]": g.dZ2, "dW<sup>[2]": g.dW2, "db<sup>[2]": g.db2,
        "dZ<sup>[1]": g.dZ1, "dW<sup>[1]": g.dW1, "db<sup>[1]": g.db1,
        "ReLU′": relu_deriv(f.Z1),
    }  # fmt: skip
    checked = set()
    for stage in dialog.stages:
        for matrix in stage.matrices:
            plain = matrix.name.replace("<i>", "").replace("</i>", "")
            key = next((k for k in engine if plain.startswith(k) and "before" not in plain), None)
            if key is not None and plain.split(" ")[0] in (key.split(" ")[0], plain):
                np.testing.assert_array_equal(matrix.values, engine[key], err_msg=plain)
                checked.add(key)
    assert checked == set(engine)
    assert dialog.stages[5].equation.count(f"{expected.loss:.4f}") == 1


def test_the_walk_covers_forward_loss_backward_and_update_in_order(window):
    dialog = window.inspect()
    groups = [stage.group for stage in dialog.stages]
    assert groups == sorted(groups, key=["forward", "loss", "backward", "update"].index)
    assert "<sup>[1]</sup>" in dialog.stages[1].equation  # typeset, not ASCII


def opened(qtbot, window):
    """The inspector, opened as the I key opens it and waited on until it holds the keyboard."""
    dialog = window.inspect()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    return dialog


def press(qtbot, key, times=1):
    """Keys as a keyboard (or a presenter's clicker) sends them: to whatever has the focus."""
    for _ in range(times):
        qtbot.keyClick(QApplication.focusWidget(), key)


def test_right_arrow_walks_every_stage_from_the_moment_it_opens_and_enter_applies_one_step(
    qtbot, window, digits
):
    dialog = opened(qtbot, window)
    press(qtbot, Qt.Key.Key_Right, len(dialog.stages) - 1)
    assert dialog.progress.text() == f"stage {len(dialog.stages)} of {len(dialog.stages)}"
    assert dialog.apply_button.isVisible() and dialog.example.index.value() == 0  # stages, not examples
    shown_after = named(dialog.stage, "W[1] after").values
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.state.iteration == WALKED + 1)
    stepped = reference_trainer(digits, WALKED + 1)
    np.testing.assert_array_equal(window.state.W1, stepped.params.W1)
    np.testing.assert_array_equal(shown_after, stepped.params.W1)  # the "after" shown is what happened
    np.testing.assert_array_equal(window.state.history["train_loss"][-1], stepped.history["train_loss"][-1])


def test_a_clickers_page_keys_page_the_stages_as_the_arrows_do(qtbot, window):
    dialog = opened(qtbot, window)
    press(qtbot, Qt.Key.Key_PageDown, 3)
    press(qtbot, Qt.Key.Key_PageUp)
    press(qtbot, Qt.Key.Key_Left)
    assert dialog.position == 1
    dialog.show_stage(len(dialog.stages) - 2)
    press(qtbot, Qt.Key.Key_PageDown, 2)  # one too many: stays on the last
    assert dialog.position == len(dialog.stages) - 1 and dialog.isVisible()


def test_the_example_field_has_the_keys_only_while_it_is_edited(qtbot, window):
    dialog = opened(qtbot, window)
    field = dialog.example.index
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)  # into the field: its keys are its own
    assert QApplication.focusWidget() is field
    press(qtbot, Qt.Key.Key_Up, 3)
    assert field.value() == 3 and dialog.position == 0
    press(qtbot, Qt.Key.Key_Return)  # done: Enter confirms the example, it does not walk on
    assert dialog.position == 0 and dialog.isVisible()
    press(qtbot, Qt.Key.Key_Right)
    assert dialog.position == 1 and field.value() == 3
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
    press(qtbot, Qt.Key.Key_Escape)  # Esc in the field gives the keys back; it does not leave
    assert dialog.isVisible()
    press(qtbot, Qt.Key.Key_PageDown)
    assert dialog.position == 2
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.matrix_views()[0].graphics, Qt.MouseButton.LeftButton)  # a click elsewhere
    press(qtbot, Qt.Key.Key_Right)
    assert dialog.position == 3 and field.value() == 3


class WindowsShown(QObject):
    """Every top-level window that shows, while installed on the application."""

    def __init__(self) -> None:
        super().__init__()
        self.shown = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and watched.isWidgetType() and watched.isWindow():
            self.shown.append(type(watched).__name__)
        return False


def test_walking_the_stages_flashes_no_stray_window_and_applying_gives_the_keys_back(qtbot, window):
    spy = WindowsShown()
    QApplication.instance().installEventFilter(spy)
    try:
        dialog = opened(qtbot, window)
        press(qtbot, Qt.Key.Key_Right, 2)
        dialog.show_stage(len(dialog.stages) - 1)
        qtbot.wait(50)  # what a widget's layout shows at the next turn of the event loop
        press(qtbot, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: window.state.iteration == WALKED + 1)
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    finally:
        QApplication.instance().removeEventFilter(spy)
    assert spy.shown == ["InspectorDialog"]


def test_leaving_early_changes_nothing(qtbot, window, digits):
    before = window.state.W1.copy()
    dialog = window.inspect()
    qtbot.keyClick(dialog, Qt.Key.Key_Right)
    qtbot.keyClick(dialog, Qt.Key.Key_Right)
    sent = window.worker.sent
    dialog.leave_button.click()
    assert window.worker.sent == sent  # nothing asked of the run
    assert window.state.iteration == WALKED
    np.testing.assert_array_equal(window.state.W1, before)
    assert handled(qtbot, window, window.run.step()).iteration == WALKED + 1
    np.testing.assert_array_equal(window.state.W1, reference_trainer(digits, WALKED + 1).params.W1)


def test_an_apply_after_a_reset_applies_nothing(qtbot, window):
    dialog = window.inspect()
    assert handled(qtbot, window, window.run.reset()).iteration == 0
    assert not dialog.apply_button.isEnabled() and "moved on" in dialog.progress.text()
    dialog.apply_requested.emit()  # as if pressed anyway: the worker refuses it too
    assert handled(qtbot, window).iteration == 0


def test_an_apply_is_refused_even_when_the_new_run_is_at_the_same_iteration_number(qtbot, window):
    handled(qtbot, window, window.run.reset())  # back to iteration 0 ...
    dialog = window.inspect()  # ... walk iteration 1 of this run ...
    window.run_settings.seed.setValue(7)
    # ... and start another run, whose next iteration is also number 1
    assert handled(qtbot, window, window.run.reset()).pending is not dialog.it
    dialog.apply_requested.emit()
    assert handled(qtbot, window).iteration == 0


def test_an_apply_after_alpha_changed_applies_nothing_and_keeps_the_new_alpha(qtbot, window):
    dialog = window.inspect()
    changed = handled(qtbot, window, window.run.set_alpha(0.4))  # as a script or a second window could
    assert not dialog.apply_button.isEnabled() and "moved on" in dialog.progress.text()
    dialog.apply_requested.emit()
    refused = handled(qtbot, window)
    assert refused.iteration == changed.iteration and refused.alpha == changed.alpha == pytest.approx(0.4)


def test_the_walk_names_the_colours_of_the_palette_in_use(qtbot, window):
    window.action("set_lecture_mode").trigger()
    palette = window.presentation.look.palette
    dialog = window.inspect()
    explained = dialog.stages[1].explanation
    assert f"{palette.positive} is inked, minus {palette.negative}" in explained and "red" not in explained


def test_the_share_of_zeros_is_shown_for_relu_outputs(window):
    dialog = window.inspect()
    relu_stage = dialog.stages[2]
    A1 = relu_stage.matrices[1]
    assert "zeros" in A1.stats() and A1.stats()["zeros"] == pytest.approx(np.mean(A1.values == 0))
    assert "zeros" not in relu_stage.matrices[0].stats()  # Z1's zeros mean nothing


def test_inspect_is_only_offered_while_paused(qtbot, window):
    assert handled(qtbot, window, window.run.toggle_running()).running
    assert not window.action("inspect").isEnabled() and window.inspect() is None


def test_choosing_an_example_marks_its_column_everywhere(qtbot, window):
    dialog = window.inspect()
    dialog.show_stage(1)  # W1, b1, Z1
    dialog.example.index.setValue(7)
    z1_view = dialog.matrix_views()[-1]
    assert z1_view.marker.isVisible() and z1_view.marker.rect().x() == 7
    assert f"label <b>{int(dialog.it.batch.labels[7])}</b>" in dialog.example.verdict.text()


def test_per_example_terms_summed_and_divided_by_m_are_dW1(digits):
    it = reference_trainer(digits, 3).prepare()
    X, dZ1 = it.batch.X, it.grads.dZ1
    m = X.shape[1]
    total = sum(dW1_of_example(dZ1, X, i) for i in range(m)) / m
    np.testing.assert_allclose(total, it.grads.dW1, rtol=1e-4, atol=1e-6)


def named(stage, start: str):
    """The matrix of `stage` whose name, without its markup, starts with `start` ("W[1] after")."""
    return next(m for m in stage.matrices if re.sub("<[^>]+>", "", m.name).startswith(start))


def test_update_stage_after_is_the_engines_update_with_the_alpha_in_force(digits):
    it = reference_trainer(digits, 2).prepare()
    stage = build_stages(it, alpha=0.37)[-2]
    np.testing.assert_array_equal(
        named(stage, "b[2] before").values[:, 1], (it.params.b2 - 0.37 * it.grads.db2)[:, 0]
    )
    np.testing.assert_array_equal(named(stage, "−α dW[2]").values, -0.37 * it.grads.dW2)
    np.testing.assert_array_equal(named(stage, "W[2] after").values, it.params.W2 - 0.37 * it.grads.dW2)


def drawn_labels(axis) -> list[str]:
    """The tick labels pyqtgraph would paint on `axis` at its present size (not those it drops)."""
    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        return [text for *_, text in axis.generateDrawSpecs(painter)[2]]
    finally:
        painter.end()


def test_the_update_stage_draws_the_step_on_its_own_scale_with_its_values_and_says_how_small(qtbot, digits):
    it = reference_trainer(digits, WALKED).prepare()
    stage = build_stages(it, alpha=0.1)[-1]
    before, after, step = named(stage, "W[1] before"), named(stage, "W[1] after"), named(stage, "−α dW[1]")
    assert before.levels == after.levels and before.levels[0] == -before.levels[1]  # one scale, both
    view = MatrixView(step, 0, Look(PROJECTOR_LIGHT, LECTURE_ZOOM))
    qtbot.addWidget(view)
    view.resize(600, 220)
    view.show()
    qtbot.waitExposed(view)
    top = view.tiles.colour_bar.levels()[1]
    assert np.percentile(np.abs(step.values), 99.5) <= top <= before.levels[1] / 10  # its own, ~100x smaller
    assert {f"{-top:.2g}", "0", f"{top:.2g}"} <= set(drawn_labels(view.tiles.colour_bar.axis))
    share = np.linalg.norm(step.values) / np.linalg.norm(before.values)
    assert f"{share:.2%}" in stage.explanation and "own" in stage.explanation


def test_the_bias_update_is_bars_of_before_and_after_beside_bars_of_the_step(qtbot, digits):
    it = reference_trainer(digits, WALKED).prepare()
    stage = build_stages(it, alpha=0.1)[-1]
    both, step = named(stage, "b[1] before"), named(stage, "−α db[1]")
    assert both.bars and step.bars
    np.testing.assert_array_equal(both.values, np.hstack([it.params.b1, it.params.b1 - 0.1 * it.grads.db1]))
    view = MatrixView(both, 0, Look(PROJECTOR_LIGHT, LECTURE_ZOOM))
    qtbot.addWidget(view)
    drawn = [item.opts["height"] for item in view.plot.items if isinstance(item, pg.BarGraphItem)]
    np.testing.assert_array_equal(np.array(drawn).T, both.values)


@pytest.mark.parametrize("rows", [10, 64, 1024])
def test_row_numbers_never_overlap_however_short_the_axis(qtbot, rows):
    axis = IndexAxis("left")
    axis.setStyle(tickFont=Look(PROJECTOR_LIGHT, LECTURE_ZOOM).font(TICK_POINTS))
    height = QFontMetricsF(axis.style["tickFont"]).height()
    for pixels in (40, 90, 250, 900):
        spacing, values = axis.tickValues(0, rows, pixels)[0]
        assert all((v - 0.5).is_integer() for v in values)  # on the cells' centres
        assert len(values) == 1 or spacing * pixels / rows >= height, (pixels, values)


def test_index_steps_are_round(qtbot):
    assert [index_step(10, room) for room in (10, 5, 3, 1)] == [1, 2, 5, 10]
    assert index_step(1024, 8) == 200


def test_value_labels_are_thinned_to_fit_keeping_zero_or_else_the_farthest_reach(qtbot):
    axis = ReadableAxis("left")
    axis.setStyle(tickFont=Look(PROJECTOR_LIGHT, LECTURE_ZOOM).font(TICK_POINTS))
    (_, crowded), *_ = pg.AxisItem("left").tickValues(-5.9, 4.1, 100)
    (_, thinned), *_ = axis.tickValues(-5.9, 4.1, 100)
    assert len(thinned) < len(crowded) and 0.0 in thinned  # multiples of a round step, standing whole
    (_, one), *_ = axis.tickValues(-3.9, 2.1, 60)  # room for one label: the farthest reach that stands whole
    assert one == [-2.0]


def test_live_filters_can_show_the_next_step_instead_of_the_weights(qtbot, window):
    window.filters.show_step.setChecked(True)
    shown = window.filters.tiles._shown[0]
    np.testing.assert_array_equal(shown, -window.state.alpha * window.state.pending.grads.dW1)
    window.filters.show_step.setChecked(False)
    np.testing.assert_array_equal(window.filters.tiles._shown[0], window.state.W1)
