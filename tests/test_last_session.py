"""A demonstration that ended at alpha = 1000 must not silently make the next launch diverge: the
window says which remembered settings are in force, with one click back to the defaults."""

from __future__ import annotations

from dataclasses import replace

import pytest
from driving import handled

from nnviz.engine.trainer import TrainConfig
from nnviz.session import Setup
from nnviz.ui.last_session import carried_over
from nnviz.ui.window import MainWindow

DEMO = Setup(config=TrainConfig(alpha=1000.0, hidden=32))


def test_remembered_settings_that_differ_from_the_defaults_are_named():
    assert carried_over(DEMO, 5.0, DEMO, 5.0) == ["α = 1000", "32 hidden units", "at most 5 iterations/s"]
    assert carried_over(Setup(), None, Setup(), None) == []


def test_a_setting_given_on_the_command_line_is_not_called_a_leftover():
    given_alpha = replace(DEMO, config=replace(DEMO.config, alpha=0.5))  # nnviz --alpha 0.5
    assert carried_over(DEMO, None, given_alpha, None) == ["32 hidden units"]


@pytest.fixture
def demo_window(qtbot, digits, settings):
    w = MainWindow(DEMO, digits, settings, None, carried_over(DEMO, None, DEMO, None))
    qtbot.addWidget(w)
    w.show()
    handled(qtbot, w)
    yield w
    w.close()


def test_the_window_says_so_at_start_up_and_one_click_restores_the_defaults(qtbot, demo_window):
    bar = demo_window.last_session
    assert bar.isVisible() and "α = 1000" in bar.label.text() and "32 hidden units" in bar.label.text()
    bar.defaults_button.click()
    state = handled(qtbot, demo_window)
    assert state.alpha == pytest.approx(0.1) and state.W1.shape == (10, 784) and not bar.isVisible()


def test_keeping_them_changes_nothing(qtbot, demo_window):
    sent = demo_window.worker.sent
    demo_window.last_session.keep_button.click()
    assert not demo_window.last_session.isVisible() and demo_window.worker.sent == sent
    assert demo_window.state.alpha == 1000.0


def test_nothing_is_said_when_the_defaults_are_in_force(window):
    assert not window.last_session.isVisible()


def test_after_a_reset_with_new_hidden_units_only_those_are_remembered_as_changed(qtbot, window, settings):
    from nnviz.ui.persistence import load_setup

    window.run_settings.hidden.setValue(32)
    handled(qtbot, window, window.run.reset())
    window.close()  # saves the settings
    saved, speed = load_setup(settings)
    assert saved.dev_size is None  # the data's default dev set, shown as 1,000, is not a change
    assert carried_over(saved, speed, saved, speed) == ["32 hidden units"]
