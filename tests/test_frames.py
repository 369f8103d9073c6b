"""How the window paces its frames: display rate while training, every step in slow motion, and
nothing at all (not even a snapshot made by the worker) while nobody can see the window."""

from __future__ import annotations

from collections import Counter

import pytest
from driving import WAIT_MS, handled, run_to

from nnviz.ui.frames import FRAMES_PER_SECOND, MOST_TIME_DRAWING


def test_in_slow_motion_every_step_is_drawn_exactly_once(qtbot, window):
    shown = []
    window.snapshot_shown.connect(lambda snapshot: shown.append(snapshot.iteration))
    window.run.set_speed_limit(FRAMES_PER_SECOND)  # as fast as slow motion goes
    run_to(qtbot, window, 20)
    training = Counter(iteration for iteration in shown if iteration > 0)
    assert sorted(training) == list(range(1, 21)), sorted(training)
    assert all(count == 1 for iteration, count in training.items() if iteration < 20), training
    # (20 may show twice: the step, then the pause at it; both are news)


def test_frames_keep_coming_while_training_each_newer_than_the_last(qtbot, window):
    shown = []
    window.snapshot_shown.connect(lambda snapshot: shown.append((snapshot.iteration, snapshot.made_at)))
    window.run.toggle_running()
    qtbot.waitUntil(lambda: len(shown) >= 15, timeout=WAIT_MS)
    window.run.toggle_running()
    iterations = [iteration for iteration, _ in shown[:15]]
    made = [made_at for _, made_at in shown[:15]]
    assert iterations == sorted(iterations) and len(set(iterations)) == 15  # never an old one again
    assert made == sorted(made)


def test_a_window_nobody_sees_makes_the_worker_make_no_snapshots(qtbot, window):
    window.showMinimized()
    qtbot.waitUntil(window.isMinimized)
    handled(qtbot, window, window.run.toggle_running())
    start = window.worker.iterations_done
    qtbot.waitUntil(lambda: window.worker.iterations_done >= start + 2, timeout=WAIT_MS)
    waiting = window.worker.peek()  # at most the one asked for by the last frame
    qtbot.waitUntil(lambda: window.worker.iterations_done >= start + 10, timeout=WAIT_MS)
    assert window.worker.peek() is waiting
    window.showNormal()
    qtbot.waitUntil(lambda: window.state.iteration >= start + 10, timeout=WAIT_MS)  # drawn again
    window.run.toggle_running()


def test_frames_that_cost_much_come_less_often_so_that_drawing_never_takes_most_of_the_time(window):
    pacer = window.pacer
    pacer.costs.clear()
    assert pacer.interval() == pytest.approx(1 / FRAMES_PER_SECOND)  # nothing known: 30 a second
    pacer.costs.extend([0.005] * 20)  # a desk's frames: 30 a second, 15 % of the time
    assert pacer.interval() == pytest.approx(1 / FRAMES_PER_SECOND)
    pacer.costs.extend([0.040] * 20)  # a software X server's at lecture size
    assert pacer.interval() == pytest.approx(0.040 / MOST_TIME_DRAWING)
    assert 0.040 / pacer.interval() <= MOST_TIME_DRAWING
