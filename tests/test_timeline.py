"""The timeline in the window: going back shows the network as it was in every view, the curves
marked where it stands; the alpha shown is the one continuing would use; continuing drops the rest."""

import numpy as np
from driving import enter_alpha, handled, run_to
from PySide6.QtCore import Qt
from test_window import reference_trainer


def press(qtbot, window, key, times=1):
    for _ in range(times):
        qtbot.keyClick(window, key)
    return handled(qtbot, window)


def test_every_view_shows_the_network_as_it_was(qtbot, window, digits):
    run_to(qtbot, window, 30)
    shown = press(qtbot, window, Qt.Key.Key_Left, times=3)
    assert shown.iteration == 27 and shown.latest == 30
    np.testing.assert_array_equal(shown.W1, reference_trainer(digits, 27).params.W1)
    assert window.filters._shown is shown.W1
    np.testing.assert_array_equal(window.output_weights.image.image, shown.W2)
    assert window.figures.values["iteration"].text() == "27"
    assert window.loss.shown_line.isVisible() and window.loss.shown_line.value() == 27
    assert window.accuracy.shown_line.value() == 27
    assert window.loss.curves["train_loss"].getData()[0][-1] == 30  # the curves keep the whole run
    assert (window.timeline.slider.value(), window.timeline.slider.maximum()) == (27, 30)
    assert "27 of 30" in window.timeline.label.full_text

    window.show_view("network")
    qtbot.waitUntil(lambda: window.network._last is window.state)
    assert window.network._last.example.forward.Z1 is shown.example.forward.Z1
    window.show_view("confusion")
    qtbot.waitUntil(lambda: window.mistakes._drawn[2] == 27)  # the dev digits, evaluated at 27


def test_dragging_the_scrubber_goes_there_and_end_is_live_again(qtbot, window):
    run_to(qtbot, window, 20)
    window.timeline.slider.setValue(12)  # as a drag or a click on the track does
    assert handled(qtbot, window).iteration == 12
    shown = press(qtbot, window, Qt.Key.Key_Home)
    assert shown.iteration == 0 and window.timeline.slider.value() == 0
    shown = press(qtbot, window, Qt.Key.Key_End)
    assert shown.iteration == 20 and shown.latest is None and not window.loss.shown_line.isVisible()
    assert "live at 20" in window.timeline.label.full_text


def test_the_alpha_shown_in_the_past_is_the_one_continuing_uses(qtbot, window):
    run_to(qtbot, window, 10)
    enter_alpha(qtbot, window, 0.4)
    run_to(qtbot, window, 20)
    press(qtbot, window, Qt.Key.Key_Home)
    assert window.alpha_control.alpha == 0.1
    press(qtbot, window, Qt.Key.Key_End)
    assert window.alpha_control.alpha == 0.4
    shown = press(qtbot, window, Qt.Key.Key_Left, times=5)
    assert shown.iteration == 15 and window.alpha_control.alpha == 0.4
    shown = press(qtbot, window, Qt.Key.Key_Right)  # the step the run took: along it, nothing dropped
    assert shown.iteration == 16 and shown.latest == 20

    window.run_until(18)  # continuing from 16 drops 17-20 and trains them anew
    qtbot.waitUntil(lambda: window.state.iteration == 18 and not window.state.running)
    history = window.state.history["iteration"]
    assert window.state.latest is None and np.array_equal(history, np.arange(19))
    assert window.timeline.slider.maximum() == 18


def test_smoothing_draws_the_training_curves_smoothed_over_their_faint_raw_selves(qtbot, window):
    from nnviz.ui.smoothing import smoothed_reference

    run_to(qtbot, window, 40)
    assert not window.loss.smoothing_control.isVisible()  # a full batch's curves are smooth already
    window.loss.smoothing_control.set_weight(0.9)
    for panel, name in ((window.loss, "train_loss"), (window.accuracy, "train_accuracy")):
        smoothed = panel.means[name]
        assert smoothed.isVisible() and panel.smoothing == 0.9
        np.testing.assert_allclose(
            smoothed.getOriginalDataset()[1], smoothed_reference(window.state.history[name], 0.9)
        )
        assert any("smoothed 0.9" in label.text for _, label in panel.legend.items)
        assert "smoothed with weight 0.9" in panel.caption.full_text
    window.loss.smoothing_control.set_weight(0)
    assert not window.loss.means["train_loss"].isVisible() and window.accuracy.smoothing == 0


def test_with_mini_batches_the_smoothing_slider_is_offered(qtbot, window):
    window.run_settings.batch.setValue(64)
    handled(qtbot, window, window.run.reset())
    assert window.loss.smoothing_control.isVisible()
