"""The training thread: numbered commands between iterations, new runs built (and their data
loaded) in the thread, latest-wins snapshots, a clean stop."""

import os
import sys
import threading
import time

import numpy as np
import pytest

import nnviz.worker.worker as worker_module
from nnviz.data import DataError, Dataset
from nnviz.engine.trainer import Examples, TrainConfig, Trainer
from nnviz.session import Setup
from nnviz.worker import (
    Choose,
    Evaluate,
    Pause,
    Replace,
    SetAlpha,
    SetSpeedLimit,
    Start,
    Step,
    Toggle,
    TrainingWorker,
)

TIMEOUT = 20.0  # generous: only a broken worker takes this long, also on a loaded machine


def make_trainer(seed=0, **config):
    rng = np.random.default_rng(seed)
    examples = Examples.from_pixels(rng.integers(0, 256, (40, 784), dtype=np.uint8), rng.integers(0, 10, 40))
    return Trainer(examples, None, TrainConfig(seed=seed, **config))


def small_data(n=50, name="small"):
    rng = np.random.default_rng(1)
    return Dataset(rng.integers(0, 256, (n, 784), dtype=np.uint8), np.arange(n) % 10, name)


def wait_for(worker, condition, timeout=TIMEOUT):
    """Poll snapshots as the window does, until one satisfies `condition`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        snapshot = worker.take_snapshot()
        if snapshot is not None and condition(snapshot):
            return snapshot
        time.sleep(0.002)
    raise AssertionError("no snapshot satisfied the condition in time")


def handled(worker, number):
    """The first snapshot that shows command `number` handled."""
    return wait_for(worker, lambda s: s.acknowledged >= number)


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
    paused = handled(worker, worker.send(Pause()))
    assert not paused.running
    assert worker.iterations_done == paused.iteration  # nothing after the pause
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


def test_replace_starts_over_with_a_run_built_from_its_setup(worker):
    worker.send(Start(until=5))
    wait_for(worker, lambda s: s.iteration == 5)
    setup = Setup("small", None, TrainConfig(hidden=3, seed=4))
    snapshot = handled(worker, worker.send(Replace(setup, data=small_data())))
    assert snapshot.iteration == 0 and snapshot.W1.shape == (3, 784) and snapshot.run == 1
    assert snapshot.setup == setup and snapshot.data_name == "small" and snapshot.data_examples == 50
    assert (snapshot.train_examples, snapshot.dev_examples) == (40, 10)  # a fifth held out


def test_the_data_of_a_new_run_is_loaded_in_the_training_thread(worker, monkeypatch):
    loaded_in = []

    def load(spec):
        loaded_in.append(threading.current_thread().name)
        return small_data(name=spec)

    monkeypatch.setattr(worker_module, "load_dataset", load)
    snapshot = handled(worker, worker.send(Replace(Setup("digits.csv"))))
    assert loaded_in == ["nnviz-training"] and snapshot.data_name == "digits.csv"
    handled(worker, worker.send(Replace(Setup("digits.csv", None, TrainConfig(seed=3)))))
    assert len(loaded_in) == 1  # a reset on the same data does not read it again
    handled(worker, worker.send(Replace(Setup("digits.csv"), reload=True)))
    assert len(loaded_in) == 2  # File > Open does


def test_while_data_loads_the_current_run_is_shown_with_what_is_loading(worker, monkeypatch):
    release = threading.Event()

    def slow_load(spec):
        release.wait(TIMEOUT)
        return small_data(name=spec)

    monkeypatch.setattr(worker_module, "load_dataset", slow_load)
    handled(worker, worker.send(Step()))
    number = worker.send(Replace(Setup("/data/big.csv")))
    waiting = wait_for(worker, lambda s: s.loading is not None)
    assert waiting.loading == "big.csv" and waiting.iteration == 1 and waiting.acknowledged < number
    release.set()
    assert handled(worker, number).data_name == "/data/big.csv"


def test_data_that_cannot_be_used_is_refused_in_one_line_and_the_run_goes_on(worker, monkeypatch):
    def refuse(spec):
        raise DataError(f"{spec}: line 2: 'oops' is not a pixel value")

    monkeypatch.setattr(worker_module, "load_dataset", refuse)
    handled(worker, worker.send(Step()))
    number = worker.send(Replace(Setup("bad.csv")))
    snapshot = handled(worker, number)
    assert snapshot.refusal.command == number and "bad.csv: line 2" in snapshot.refusal.message
    assert snapshot.iteration == 1 and snapshot.run == 0 and snapshot.error is None
    assert handled(worker, worker.send(Step())).iteration == 2
    too_large = Setup("small", 1000)  # a dev set larger than the data
    refused = handled(worker, worker.send(Replace(too_large, data=small_data())))
    assert "dev" in refused.refusal.message and refused.iteration == 2


def test_at_start_up_data_that_cannot_be_used_gives_way_to_the_fallback(monkeypatch):
    def load(spec):
        if spec == "gone.csv":
            raise DataError(f"{spec}: no such file")
        return small_data(name=spec)

    monkeypatch.setattr(worker_module, "load_dataset", load)
    w = TrainingWorker()
    w.start()
    try:
        fallback = Setup("small")
        snapshot = handled(w, w.send(Replace(Setup("gone.csv"), fallback=fallback)))
        assert snapshot.setup == fallback and "gone.csv: no such file" in snapshot.refusal.message
    finally:
        assert w.stop()


def test_a_newer_replace_supersedes_those_still_waiting(monkeypatch):
    built = []
    make = worker_module.make_trainer

    def counted(splits, config):
        built.append(config.seed)
        return make(splits, config)

    monkeypatch.setattr(worker_module, "make_trainer", counted)
    w = TrainingWorker(make_trainer())  # not started: every command waits
    numbers = [
        w.send(Replace(Setup("small", None, TrainConfig(seed=s)), data=small_data())) for s in range(50)
    ]
    w.start()
    try:
        snapshot = handled(w, numbers[-1])
        assert built == [49] and snapshot.setup.config.seed == 49
    finally:
        assert w.stop()


def test_speed_limit_slows_training_down(worker):
    worker.send(SetSpeedLimit(20))
    started = time.monotonic()
    worker.send(Start())
    wait_for(worker, lambda s: s.iteration >= 4)
    snapshot = handled(worker, worker.send(Pause()))
    elapsed = time.monotonic() - started
    assert snapshot.iteration <= 20 * elapsed + 2  # a machine under load only makes it slower


def test_snapshots_are_latest_wins_not_queued(worker):
    worker.send(Start(until=200))
    wait_for(worker, lambda s: s.iteration == 200 and not s.running)
    assert worker.take_snapshot() is None


def advance(worker, iterations):
    """Wait (polling, not taking) until the worker has applied `iterations` more."""
    target = worker.iterations_done + iterations
    deadline = time.monotonic() + TIMEOUT
    while worker.iterations_done < target and time.monotonic() < deadline:
        time.sleep(0.002)
    assert worker.iterations_done >= target


def test_while_training_one_snapshot_is_made_for_each_one_taken(worker):
    """Taking a snapshot (a frame) asks for the next, made after the next iteration and kept for
    the next frame; without a take, none is made: the slot keeps that one, not a later one."""
    worker.send(SetSpeedLimit(200))  # below it, slow motion would publish every step
    worker.send(Start())
    wait_for(worker, lambda s: s.running and s.iteration > 0)  # taken
    advance(worker, 4)
    for _ in range(3):
        waiting = worker.peek()
        before = worker.iterations_done
        assert worker.take_snapshot() is waiting  # a frame takes it, which asks for the next
        after = worker.iterations_done  # however late this is read, the bounds below hold
        advance(worker, 4)
        made = worker.peek()
        assert made is not waiting and made.running and before <= made.iteration <= after + 1
    worker.send(Pause())


def test_nothing_is_made_for_a_window_that_takes_nothing(worker):
    worker.send(SetSpeedLimit(200))
    worker.send(Start())
    wait_for(worker, lambda s: s.running and s.iteration > 0)  # taken: one more is made ...
    advance(worker, 2)
    made = worker.peek()
    advance(worker, 4)
    assert worker.peek() is made  # ... and no other, however long training goes on
    worker.send(Pause())


def test_an_error_in_training_pauses_and_is_reported(monkeypatch):
    def broken(splits, config):
        raise RuntimeError("a bug")

    trainer = make_trainer()
    w = TrainingWorker(trainer)
    w.start()
    try:
        wait_for(w, lambda s: True)
        monkeypatch.setattr(worker_module, "make_trainer", broken)
        snapshot = handled(w, w.send(Replace(Setup("small"), data=small_data())))
        assert "a bug" in snapshot.error and not snapshot.running
        snapshot = handled(w, w.send(Step()))  # the old trainer is still there and still works
        assert snapshot.iteration == 1 and snapshot.error is None
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
    assert not handled(worker, worker.send(Toggle())).running


def test_step_while_running_is_ignored(worker):
    worker.send(Start(until=30))
    worker.send(Step())
    snapshot = wait_for(worker, lambda s: not s.running and s.iteration > 0)
    assert snapshot.iteration == 30


def test_step_applies_only_the_very_iteration_it_expects_at_the_alpha_shown(worker):
    shown = wait_for(worker, lambda s: True)
    worker.send(SetAlpha(0.3))  # alpha changed since the iteration was shown
    refused = handled(worker, worker.send(Step(expect=shown.pending, alpha=shown.alpha)))
    assert refused.iteration == 0 and refused.alpha == pytest.approx(0.3)  # neither applied nor alpha undone
    applied = handled(worker, worker.send(Step(expect=refused.pending, alpha=refused.alpha)))
    assert applied.iteration == 1
    settled = handled(
        worker, worker.send(Step(expect=refused.pending))
    )  # stale: iteration 1 was already applied
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
def test_training_and_blas_run_below_the_main_thread():
    """BLAS's worker threads do most of training's work; started by numpy's import in the main
    thread, they would compete with the GUI thread at its own priority if they kept it."""
    idle = threading.Event()
    unnamed = threading.Thread(target=idle.wait, daemon=True)  # as BLAS's: no name of its own
    unnamed.start()
    worker = TrainingWorker(make_trainer(), nice=5)
    worker.start()
    try:
        wait_for(worker, lambda s: s.iteration == 0)
        main = os.getpriority(os.PRIO_PROCESS, os.getpid())
        for thread in (worker._thread.native_id, unnamed.native_id):
            assert os.getpriority(os.PRIO_PROCESS, thread) == main + 5
        assert os.getpriority(os.PRIO_PROCESS, 0) == main  # the calling (main) thread is left alone
    finally:
        worker.stop()
        idle.set()


def test_the_chosen_example_goes_through_the_network_at_each_snapshots_parameters(worker):
    """The views' digit: by default the first of the dev split (here: the training split, there is
    no dev split), its forward pass the engine's for that one column, at the current parameters."""
    from nnviz.engine.network import forward_prop

    snapshot = handled(worker, worker.send(Step()))
    example = snapshot.example
    assert (example.source, example.index, example.x.shape) == ("train", 0, (784, 1))
    expected = forward_prop(snapshot.params, example.x)
    np.testing.assert_array_equal(example.forward.A2, expected.A2)
    chosen = handled(worker, worker.send(Choose("dev", 7)))  # no dev split: the same position in train
    assert (chosen.example.source, chosen.example.index) == ("train", 7)
    drawn = np.zeros(784)
    drawn[300:310] = 255
    mine = handled(worker, worker.send(Choose(pixels=drawn))).example
    assert mine.source == "drawn" and mine.label is None and mine.x.max() == 1.0
    np.testing.assert_allclose(mine.forward.A2.sum(), 1.0, rtol=1e-6)


def test_in_slow_motion_a_step_waits_until_the_last_one_was_taken(worker):
    """Every step is to be seen: a window that falls behind for a moment must not miss one."""
    worker.send(SetSpeedLimit(20))
    worker.send(Start())
    shown = wait_for(worker, lambda s: s.every_step)
    time.sleep(0.3)  # six step intervals, with nobody taking the step waiting in the slot
    waiting = worker.peek()
    assert waiting is not None and waiting.every_step
    assert worker.iterations_done == waiting.iteration <= shown.iteration + 1
    assert worker.take_snapshot() is waiting
    advance(worker, 1)  # taken: the next step comes
    worker.send(Pause())


def test_the_chosen_example_carries_its_errors_from_the_engines_backward_pass(worker):
    """dZ2 = A2 - Y and dZ1 for that one example, as backward_prop computes them; none for a drawing."""
    from nnviz.engine.network import backward_prop, one_hot

    snapshot = handled(worker, worker.send(Choose("train", 3)))
    example = snapshot.example
    expected = backward_prop(snapshot.params, example.x, one_hot(np.array([example.label])), example.forward)
    np.testing.assert_array_equal(example.grads.dZ2, expected.dZ2)
    np.testing.assert_array_equal(example.grads.dZ1, expected.dZ1)
    assert example.grads.dZ2[example.label, 0] < 0  # the true digit's score should go up
    assert handled(worker, worker.send(Choose(pixels=np.full(784, 9)))).example.grads is None


def test_next_mistake_chooses_the_first_example_from_there_the_network_gets_wrong(worker):
    from nnviz.engine.network import forward_prop, predictions

    snapshot = handled(worker, worker.send(Choose("train", 5, next_mistake=True)))
    trainer = worker._trainer
    wrong = np.flatnonzero(
        predictions(forward_prop(snapshot.params, trainer.train.X).A2) != trainer.train.labels
    )
    expected = next(i for i in np.concatenate([np.arange(5, 40), np.arange(5)]) if i in wrong)
    assert (snapshot.example.source, snapshot.example.index) == ("train", expected)
    assert snapshot.example.label != int(np.argmax(snapshot.example.forward.A2))


def test_next_mistake_changes_nothing_when_the_network_gets_every_example_right():
    from nnviz.engine.network import forward_prop, predictions

    trainer = make_trainer()
    right = predictions(forward_prop(trainer.params, trainer.train.X).A2)
    worker = TrainingWorker(Trainer(Examples(trainer.train.X, right), None, trainer.config))
    worker.start()
    try:
        handled(worker, worker.send(Choose("train", 9)))
        assert handled(worker, worker.send(Choose("train", 10, next_mistake=True))).example.index == 9
    finally:
        worker.stop()


def test_each_snapshot_carries_the_last_dev_evaluation_its_guesses_made_in_the_training_thread():
    from nnviz.engine.evaluation import evaluate

    rng = np.random.default_rng(3)
    train = Examples.from_pixels(rng.integers(0, 256, (40, 784), dtype=np.uint8), rng.integers(0, 10, 40))
    dev = Examples.from_pixels(rng.integers(0, 256, (30, 784), dtype=np.uint8), rng.integers(0, 10, 30))
    worker = TrainingWorker(Trainer(train, dev, TrainConfig(eval_every=5)))
    worker.start()
    try:
        worker.send(Start(until=12))
        snapshot = wait_for(worker, lambda s: s.iteration == 12 and not s.running)
        evaluation = snapshot.evaluation
        assert snapshot.evaluated_split == "dev" and evaluation.iteration == 10 and evaluation.X is dev.X
        assert "top" in vars(evaluation)  # made before the snapshot was handed over, not by the window
        assert list(snapshot.confusions.iterations) == [0, 5, 10]
        np.testing.assert_array_equal(snapshot.confusions.matrices[-1], evaluation.confusion)

        watched = handled(worker, worker.send(Evaluate("train")))  # evaluated at once, at iteration 12
        assert watched.evaluated_split == "train" and watched.evaluation.iteration == 12
        expected = evaluate(watched.params, train.X, train.labels)
        np.testing.assert_array_equal(watched.evaluation.confusion, expected.confusion)
        assert "top" in vars(watched.evaluation)
        worker.send(Start(until=17))
        later = wait_for(worker, lambda s: s.iteration == 17 and not s.running)
        assert later.evaluation.iteration == 15  # then again with dev, every K iterations
        back = handled(worker, worker.send(Evaluate("dev")))
        assert back.evaluated_split == "dev" and back.evaluation.iteration == 15
    finally:
        worker.stop()


def test_without_a_dev_split_the_training_split_is_looked_at(worker):
    snapshot = handled(worker, worker.send(Evaluate("dev")))
    assert snapshot.evaluated_split == "train" and snapshot.evaluation.m == 40


def test_the_training_split_is_evaluated_only_within_its_share_of_the_training_time(worker):
    """A pass over the whole training split may cost more than many mini-batch steps: it is made again
    only once the time since the last one is ten times what that one took."""
    first = handled(worker, worker.send(Evaluate("train"))).evaluation  # no dev split: train, at once
    worker._train_evaluation_cost = 1e6  # as if the last one had taken very long
    worker.send(Start(until=30))
    assert wait_for(worker, lambda s: s.iteration == 30 and not s.running).evaluation is first
    worker._train_evaluation_cost = 0.0  # as if it cost nothing: every K iterations again
    worker.send(Start(until=40))
    assert wait_for(worker, lambda s: s.iteration == 40 and not s.running).evaluation.iteration == 40
