"""Time travel in the training thread: Rewind shows the run as it was, rebuilt exactly; the run stays
whole until it is continued from the past, and then what came after is dropped."""

import numpy as np
import pytest
from test_keyframes import assert_same
from test_worker import handled, wait_for

from nnviz.engine.trainer import TrainConfig, Trainer
from nnviz.worker import Rewind, SetAlpha, Start, Step, TrainingWorker

CONFIG = TrainConfig(batch_size=100, eval_every=5)


def new_trainer(embedded_examples) -> Trainer:
    train, dev = embedded_examples
    trainer = Trainer(train, dev, CONFIG)
    trainer.keyframes.budget = 0  # the fewest keyframes: most iterations are replayed
    return trainer


@pytest.fixture
def original(embedded_examples):
    """The parameters after each of 40 updates, with alpha 0.1 then 0.3 from iteration 20 on."""
    trainer, seen = new_trainer(embedded_examples), []
    seen.append(trainer.params)
    for n in range(40):
        trainer.set_alpha(0.3 if n >= 20 else 0.1)
        trainer.step()
        seen.append(trainer.params)
    return seen


@pytest.fixture
def worker(embedded_examples):
    """The same run, trained in the worker to iteration 40."""
    w = TrainingWorker(new_trainer(embedded_examples))
    w.start()
    w.send(Start(until=20))
    paused_at(w, 20)
    handled(w, w.send(SetAlpha(0.3)))
    handled(w, w.send(Start(until=40)))
    yield w
    assert w.stop(timeout=5.0)


def paused_at(worker, iteration):
    return wait_for(worker, lambda s: s.iteration == iteration and not s.running)


def test_rewind_shows_the_network_as_it_was_and_keeps_the_run_whole(worker, original):
    paused_at(worker, 40)
    shown = handled(worker, worker.send(Rewind(to=17)))
    assert shown.iteration == 17 and shown.latest == 40 and shown.alpha == 0.1
    assert_same(shown.params, original[17])
    assert shown.history["iteration"].size == 41  # the curves still show the whole run
    assert shown.last("train_loss") == shown.history["train_loss"][17]
    assert shown.last("dev_loss") == shown.history["dev_loss"][3]  # evaluated at 15, the last by 17
    assert shown.evaluation.iteration == 17 and shown.pending.number == 18
    assert shown.divergence is None and shown.first == 0
    expected = shown.params.W1 @ shown.example.x + shown.params.b1
    np.testing.assert_allclose(shown.example.forward.Z1, expected, rtol=1e-5)


def test_steps_back_add_up_stop_at_the_start_and_the_end_is_live_again(worker, original):
    paused_at(worker, 40)
    for _ in range(3):
        worker.send(Rewind(by=-1))
    shown = handled(worker, worker.sent)
    assert shown.iteration == 37 and shown.latest == 40
    assert_same(shown.params, original[37])
    shown = handled(worker, worker.send(Rewind(by=-100)))
    assert shown.iteration == 0 and shown.latest == 40
    shown = handled(worker, worker.send(Rewind(to=10**9)))
    assert shown.iteration == 40 and shown.latest is None
    assert_same(shown.params, original[40])


def test_a_step_the_run_took_moves_along_it_and_drops_nothing(worker, original):
    paused_at(worker, 40)
    handled(worker, worker.send(Rewind(to=38)))
    shown = handled(worker, worker.send(Step()))
    assert shown.iteration == 39 and shown.latest == 40 and shown.history["iteration"].size == 41
    assert_same(shown.params, original[39])
    shown = handled(worker, worker.send(Step()))
    assert shown.iteration == 40 and shown.latest is None  # at the end: live
    shown = handled(worker, worker.send(Step()))
    assert shown.iteration == 41 and shown.history["iteration"].size == 42


def test_continuing_from_the_past_drops_what_came_after(worker, embedded_examples):
    paused_at(worker, 40)
    handled(worker, worker.send(Rewind(to=10)))
    worker.send(Start(until=25))  # alpha 0.1 as it was at 10: the same run up to 20, then 0.1 still
    shown = paused_at(worker, 25)
    assert shown.latest is None and shown.history["iteration"].size == 26
    straight = new_trainer(embedded_examples)
    for _ in range(25):
        straight.step()
    assert_same(shown.params, straight.params)
    assert np.all(shown.history["alpha"] == 0.1)
    assert shown.rollbacks >= 1  # the curves know the history was cut back


def test_another_alpha_in_the_past_branches_there(worker, original):
    paused_at(worker, 40)
    handled(worker, worker.send(Rewind(to=30)))
    shown = handled(worker, worker.send(SetAlpha(0.05)))
    assert shown.iteration == 30 and shown.alpha == 0.05 and shown.latest == 40
    shown = handled(worker, worker.send(Step()))
    assert shown.iteration == 31 and shown.latest is None and shown.history["iteration"].size == 32
    assert shown.history["alpha"][31] == 0.05 and shown.history["alpha"][30] == 0.3


def test_a_rewind_while_training_pauses_there(embedded_examples):
    worker = TrainingWorker(new_trainer(embedded_examples))
    worker.start()
    try:
        worker.send(Start())
        wait_for(worker, lambda s: s.iteration >= 5)
        shown = handled(worker, worker.send(Rewind(by=-2)))
        assert not shown.running and shown.latest is not None and shown.iteration == shown.latest - 2
    finally:
        assert worker.stop(timeout=5.0)
