"""The training thread: commands between iterations, latest-wins snapshots, a clean stop."""

import os
import sys
import time

import numpy as np
import pytest

from nnviz.engine.trainer import Examples, TrainConfig, Trainer
from nnviz.worker import Pause, Replace, SetAlpha, SetSpeedLimit, Start, Step, Toggle, TrainingWorker


def make_trainer(seed=0, **config):
    rng = np.random.default_rng(seed)
    examples = Examples.from_pixels(rng.integers(0, 256, (40, 784), dtype=np.uint8), rng.integers(0, 10, 40))
    return Trainer(examples, None, TrainConfig(seed=seed, **config))


def wait_for(worker, condition, timeout=5.0):
    """Poll snapshots as the window does, until one satisfies `condition`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        snapshot = worker.take_snapshot()
        if snapshot is not None and condition(snapshot):
            return snapshot
        time.sleep(0.005)
    raise AssertionError("no snapshot satisfied the condition in time")


@pytest.fixture
def worker():
    w = TrainingWorker(make_trainer())
    w.start()
    yield w
    assert w.stop(timeout=1.0)


def test_publishes_the_initial_state_paused(worker):
    snapshot = wait_for(worker, lambda s: True)
    assert snapshot.iteration == 0 and not snapshot.running
    assert snapshot.W1.shape == (10, 784) and snapshot.activations.A2.counts.sum() == 400


def test_start_trains_until_paused(worker):
    worker.send(Start())
    wait_for(worker, lambda s: s.iteration >= 20)
    worker.send(Pause())
    paused = wait_for(worker, lambda s: not s.running)
    time.sleep(0.1)
    assert worker.take_snapshot() is None  # nothing new: the counter stopped
    assert paused.history["iteration"].size == paused.iteration + 1  # iterations 0 to n


def test_step_moves_exactly_one_iteration_with_the_engines_parameters(worker):
    worker.send(Step())
    snapshot = wait_for(worker, lambda s: s.iteration == 1)
    reference = make_trainer()
    reference.step()
    np.testing.assert_array_equal(snapshot.W1, reference.params.W1)


def test_start_until_pauses_at_exactly_that_iteration(worker):
    worker.send(Start(until=7))
    snapshot = wait_for(worker, lambda s: not s.running and s.iteration > 0)
    assert snapshot.iteration == 7


def test_alpha_change_is_used_from_the_next_iteration(worker):
    worker.send(Start(until=3))
    wait_for(worker, lambda s: s.iteration == 3 and not s.running)
    worker.send(SetAlpha(0.01))
    worker.send(Start(until=5))
    snapshot = wait_for(worker, lambda s: s.iteration == 5 and not s.running)
    assert list(snapshot.history["alpha"]) == pytest.approx([0.1] * 4 + [0.01] * 2)  # iterations 0-5


def test_replace_starts_over_with_the_new_trainer(worker):
    worker.send(Start(until=5))
    wait_for(worker, lambda s: s.iteration == 5)
    worker.send(Replace(lambda: make_trainer(seed=4, hidden=3)))
    snapshot = wait_for(worker, lambda s: s.iteration == 0)
    assert snapshot.W1.shape == (3, 784)


def test_speed_limit_slows_training_down(worker):
    worker.send(SetSpeedLimit(20))
    started = time.monotonic()
    worker.send(Start())
    time.sleep(0.5)
    worker.send(Pause())
    snapshot = wait_for(worker, lambda s: not s.running)
    elapsed = time.monotonic() - started
    assert 1 <= snapshot.iteration <= 20 * elapsed + 2


def test_snapshots_are_latest_wins_not_queued(worker):
    worker.send(Start(until=200))
    wait_for(worker, lambda s: s.iteration == 200 and not s.running)
    assert worker.take_snapshot() is None


def test_while_training_a_snapshot_is_made_only_once_asked_for(worker):
    worker.send(SetSpeedLimit(200))  # ~40 iterations below: far from any stop of its own
    worker.send(Start())
    taken = wait_for(worker, lambda s: s.running and s.iteration > 0)
    time.sleep(0.2)  # training goes on, but nobody has found the slot empty since
    assert worker.peek() is None
    asked = wait_for(worker, lambda s: True)  # an empty slot asks: the next comes after one iteration
    assert asked.running and asked.iteration > taken.iteration
    worker.send(Pause())


def test_an_error_in_training_pauses_and_is_reported():
    trainer = make_trainer()
    w = TrainingWorker(trainer)
    w.start()
    try:
        wait_for(w, lambda s: True)
        w.send(Replace(lambda: (_ for _ in ()).throw(MemoryError("no room"))))
        snapshot = wait_for(w, lambda s: s.error is not None)
        assert "no room" in snapshot.error and not snapshot.running
        w.send(Step())  # the old trainer is still there and still works
        wait_for(w, lambda s: s.iteration == 1)
    finally:
        assert w.stop()


def test_stop_while_training_returns_within_a_second():
    w = TrainingWorker(make_trainer())
    w.start()
    w.send(Start())
    wait_for(w, lambda s: s.iteration > 5)
    assert w.stop(timeout=1.0)
    assert not w.is_alive


def test_toggle_is_decided_by_the_worker(worker):
    worker.send(Toggle())
    worker.send(Toggle())
    snapshot = wait_for(worker, lambda s: True)
    time.sleep(0.1)
    latest = worker.take_snapshot() or snapshot
    assert not latest.running


def test_step_while_running_is_ignored(worker):
    worker.send(Start(until=30))
    worker.send(Step())
    snapshot = wait_for(worker, lambda s: not s.running and s.iteration > 0)
    assert snapshot.iteration == 30


def test_step_applies_only_the_very_iteration_it_expects_with_its_alpha(worker):
    first = wait_for(worker, lambda s: True).pending
    worker.send(Step(expect=first, alpha=0.3))
    second = wait_for(worker, lambda s: s.iteration == 1)
    assert second.alpha == pytest.approx(0.3)
    worker.send(Step(expect=first))  # stale: iteration 1 was already applied
    worker.send(SetAlpha(0.2))  # a sentinel: once its frame is out, the stale step was handled
    settled = wait_for(worker, lambda s: s.alpha == pytest.approx(0.2))
    assert settled.iteration == 1


def test_speed_limit_does_not_burst_after_a_pause(worker):
    worker.send(SetSpeedLimit(5))
    time.sleep(0.6)  # idle: a limit that counted from before would owe three steps now
    started = time.monotonic()
    worker.send(Start())
    first = wait_for(worker, lambda s: s.iteration >= 1)
    elapsed = time.monotonic() - started
    assert first.iteration <= 5 * elapsed + 1


def test_in_slow_motion_every_step_is_published(worker):
    worker.send(SetSpeedLimit(20))
    worker.send(Start(until=8))
    seen = set()
    wait_for(worker, lambda s: seen.add(s.iteration) or (s.iteration == 8 and not s.running))
    assert seen >= set(range(1, 9))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="threads have their own nice value on Linux")
def test_training_can_run_below_the_threads_around_it():
    worker = TrainingWorker(make_trainer(), nice=5)
    worker.start()
    try:
        wait_for(worker, lambda s: s.iteration == 0)
        training = worker._thread.native_id
        assert os.getpriority(os.PRIO_PROCESS, training) == os.getpriority(os.PRIO_PROCESS, 0) + 5
    finally:
        worker.stop()
