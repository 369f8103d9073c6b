"""Divergence and dead networks: caught, undone, explained, and training goes on with a lower alpha."""

import warnings

import numpy as np
import pytest

from nnviz.engine.divergence import BLIND_GUESS, EXPLOSION
from nnviz.engine.network import Params
from nnviz.engine.trainer import TrainConfig, Trainer


def trainer_on(examples, **config) -> Trainer:
    train, dev = examples
    return Trainer(train, dev, TrainConfig(**config))


@pytest.mark.parametrize("alpha", [10, 50, 1000])
def test_a_too_large_alpha_is_caught_within_two_updates_and_undone(embedded_examples, alpha):
    t = trainer_on(embedded_examples, alpha=alpha)
    for _ in range(2):
        before, iteration, recorded = t.params, t.iteration, len(t.history)
        if not t.apply(t.prepare()):
            break
    assert t.divergence is not None and t.divergence.kind == "diverged"
    assert t.params is before and t.iteration == iteration and len(t.history) == recorded
    assert t.divergence.loss_after > EXPLOSION * BLIND_GUESS
    assert f"alpha {alpha:g}" in t.divergence.message() and "parameters restored" in t.divergence.message()


def test_default_training_runs_thousands_of_iterations_without_a_false_alarm(embedded_examples):
    t = trainer_on(embedded_examples)
    for _ in range(2500):
        t.step()
        assert t.divergence is None, t.divergence.message()
    assert t.iteration == 2500


@pytest.mark.parametrize(
    ("config", "iterations"),
    [
        ({"alpha": 1.0}, 300),
        ({"alpha": 0.5, "batch_size": 64}, 1000),
        ({"init": "uniform"}, 300),
        ({"batch_size": 1}, 3000),  # plain SGD: single examples are noisy, not divergent
        ({"batch_size": 4}, 3000),
        ({"alpha": 0.5, "batch_size": 16}, 3000),
        ({"hidden": 2, "batch_size": 8}, 2000),
    ],
)
def test_large_or_noisy_but_healthy_settings_raise_no_alarm(embedded_examples, config, iterations):
    t = trainer_on(embedded_examples, **config)
    for _ in range(iterations):
        t.step()
        assert t.divergence is None, t.divergence.message()


def test_an_update_that_kills_the_network_is_caught_undone_and_explained(embedded_examples):
    """Three units and plain SGD: at iteration 68 one example's step silences all three for good
    (left to run, no unit fires on any of 2,000 examples 1,000 iterations later; dev accuracy 9%)."""
    t = trainer_on(embedded_examples, hidden=3, batch_size=1)
    while t.divergence is None and t.iteration < 500:
        before = t.params
        t.step()
    assert t.divergence.kind == "dead" and t.params is before
    assert "every hidden unit outputs 0" in t.divergence.message()


def test_a_network_dead_from_the_start_is_not_blamed_on_an_update(embedded_examples):
    t = trainer_on(embedded_examples)
    p = t.params
    t.params = Params(p.W1, np.full_like(p.b1, -1e3), p.W2, p.b2)  # no unit can ever fire
    t._pending = None
    t.step()
    assert t.divergence is None and t.iteration == 1


def test_after_a_divergence_a_lower_alpha_just_continues(embedded_examples):
    t = trainer_on(embedded_examples, alpha=50)
    t.step()
    assert t.divergence is not None
    t.set_alpha(0.1)
    t.step()
    assert t.divergence is None and t.iteration == 1


def test_overflow_never_reaches_the_terminal_as_numpy_warnings(embedded_examples):
    t = trainer_on(embedded_examples, alpha=1000)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for _ in range(3):
            t.step()
    assert t.divergence is not None
