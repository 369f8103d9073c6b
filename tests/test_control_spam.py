"""A seeded storm of user actions against the real window: no deadlock, no crash, and after it
the counter and parameters are exactly what the engine gives for the iterations recorded."""

import os

import numpy as np
import pytest
from driving import handled
from PySide6.QtCore import Qt

from nnviz.data import EMBEDDED
from nnviz.session import load_splits, make_trainer
from nnviz.worker import Pause

# A longer storm: NNVIZ_SPAM_ACTIONS=1000 pytest tests/test_control_spam.py
ACTIONS = int(os.environ.get("NNVIZ_SPAM_ACTIONS", "120"))


def replayed(window, digits):
    """The model: the run's own setup, stepped with the alpha recorded for each applied iteration."""
    setup = window.state.setup
    trainer = make_trainer(load_splits(setup, digits), setup.config)
    for alpha in window.state.history["alpha"][1:]:
        trainer.set_alpha(float(alpha))
        trainer.step()
    return trainer


def settle(qtbot, window):
    """Pause, and wait until a frame shows the worker has handled everything sent before."""
    assert not handled(qtbot, window, window.worker.send(Pause())).running


def spam(qtbot, window, digits, actions: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    for n in range(actions):
        action = rng.choice(
            ["start", "pause", "step", "alpha", "speed", "reset", "reload", "inspect", "wait"]
        )
        if action == "start":
            qtbot.keyClick(window, Qt.Key.Key_Space)
        elif action == "pause":
            window.run.toggle_running()
        elif action == "step":
            qtbot.keyClick(window, Qt.Key.Key_Right)
        elif action == "alpha":
            alpha = float(rng.choice([0.01, 0.05, 0.1, 0.3, 1.0]))
            window.alpha_control.set_alpha(alpha)
            window.run.set_alpha(alpha)
        elif action == "speed":
            window.speed_control.set_limit(None if rng.random() < 0.5 else float(rng.choice([5, 50, 500])))
        elif action == "reset":
            window.run_settings.seed.setValue(int(rng.integers(0, 3)))
            window.run.reset()
        elif action == "reload":
            window.use_data(EMBEDDED)
        elif action == "inspect" and not window.state.running:
            dialog = window.inspect()
            if dialog is not None:
                dialog.show_stage(int(rng.integers(0, len(dialog.stages))))
                if rng.random() < 0.5:
                    dialog.apply()
                else:
                    dialog.reject()
        qtbot.wait(int(rng.integers(0, 30)))
        if n % 20 == 19:
            settle(qtbot, window)
            check(window, digits)


def check(window, digits) -> None:
    state = window.state
    assert state.iteration == state.history["iteration"][-1] == state.history["iteration"].size - 1
    np.testing.assert_array_equal(state.W1, replayed(window, digits).params.W1)


@pytest.mark.parametrize("seed", [1, 2])
def test_random_actions_leave_the_counter_and_parameters_consistent(qtbot, window, digits, seed):
    spam(qtbot, window, digits, ACTIONS, seed)
    settle(qtbot, window)
    check(window, digits)
    assert window.worker.is_alive and window.state.error is None
