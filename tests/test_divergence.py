"""Divergence and dead networks: caught, undone back to before the climb, explained, and training
goes on with a lower alpha. Short runs only: the long ones are `python -m benchmarks.false_alarms`."""

import warnings

import numpy as np
import pytest

from benchmarks.false_alarms import BAR, HEALTHY, healthy, too_large
from nnviz.cli import main
from nnviz.engine.checkpoint import load_checkpoint, save_checkpoint
from nnviz.engine.divergence import number, start_of_climb
from nnviz.engine.network import Params
from nnviz.engine.trainer import TrainConfig, Trainer


def trainer_on(examples, **config) -> Trainer:
    train, dev = examples
    return Trainer(train, dev, TrainConfig(**config))


def run_until_caught(trainer: Trainer, limit: int = 10) -> None:
    for _ in range(limit):
        if not trainer.apply(trainer.prepare()):
            return
    raise AssertionError(f"not caught within {limit} updates")


def assert_same_history(a, b) -> None:
    for name, column in a.as_arrays().items():
        np.testing.assert_array_equal(column, b.as_arrays()[name], err_msg=name)


@pytest.mark.parametrize(
    ("losses", "start"),
    [
        ([2.32, 82.0], 0),  # alpha 50: one update, caught at once
        ([2.32, 4.41, 5.76, 11.2], 0),  # alpha 5 from iteration 0: a climb of three updates
        ([0.339, 0.315, 0.298, 0.880, 156.0], 2),  # alpha 5 after 300 iterations at 0.1
        ([0.5, 0.4, 0.4, 30.0], 2),  # a level stretch is not a climb
        ([0.3, 0.2, float("nan")], 1),  # a non-finite loss after the caught update
    ],
)
def test_the_climb_starts_at_the_last_loss_that_did_not_rise(losses, start):
    assert start_of_climb(losses) == start


@pytest.mark.parametrize("alpha", [10, 50, 1000])
def test_a_too_large_alpha_is_caught_within_two_updates_and_undone(embedded_examples, alpha):
    t = trainer_on(embedded_examples, alpha=alpha)
    start = t.params
    run_until_caught(t, limit=2)
    d = t.divergence
    assert d.kind == "diverged" and d.restored == 0 and d.loss_after > BAR
    assert t.params is start and t.iteration == 0 and len(t.history) == 1
    assert f"alpha {alpha:g}" in d.message() and "parameters restored to iteration 0" in d.message()


def test_at_alpha_5_the_whole_climb_is_undone_not_just_its_last_update(embedded_examples):
    """From iteration 0, alpha = 5 takes the loss 2.3 -> 4.4 -> 5.8 before an update passes the bar:
    those updates were damage too, and the parameters of iteration 0 come back."""
    t = trainer_on(embedded_examples, alpha=5, eval_every=1)
    start, fresh = t.params, trainer_on(embedded_examples, alpha=5, eval_every=1)
    run_until_caught(t)
    d = t.divergence
    assert d.undone > 1 and d.restored == 0 and t.iteration == 0 and t.params is start
    assert list(d.losses) == sorted(d.losses) and d.losses[0] == t.history["train_loss"][0]
    assert_same_history(t.history, fresh.history)  # the train and dev records of the climb are gone too
    assert list(t.confusions.views().iterations) == [0]  # and the confusion matrices it was measured by
    assert t.dev_evaluation.iteration == 0
    np.testing.assert_array_equal(t.dev_evaluation.confusion, fresh.dev_evaluation.confusion)
    message = d.message()
    assert f"climbed {' -> '.join(number(v) for v in d.losses)} over {d.undone} updates" in message
    assert (
        f"parameters restored to iteration 0 (loss {number(d.losses[0])}), from before the climb" in message
    )


def test_after_a_climb_is_undone_the_run_is_the_one_that_never_took_it(embedded_examples, tmp_path):
    """Counter, history, parameters and a checkpoint all agree: saved, resumed and continued, the run
    is bit for bit the one that stopped before alpha = 5 (here after 40 updates at 0.5 on 500
    digits: the loss climbs for two updates at 5 before one passes the bar)."""
    train, dev = embedded_examples
    small = (train.take(np.arange(500)), dev.take(np.arange(100)))
    t, reference = trainer_on(small, alpha=0.5, eval_every=1), trainer_on(small, alpha=0.5, eval_every=1)
    for _ in range(40):
        t.step()
        reference.step()
    t.set_alpha(5)
    run_until_caught(t)
    assert t.divergence.restored == 40 and t.divergence.undone >= 2 and t.iteration == 40
    for name, array in t.params.arrays().items():
        np.testing.assert_array_equal(array, reference.params.arrays()[name])
    save_checkpoint(tmp_path / "run.npz", t, {"source": "mnist-5k", "dev_size": None})
    saved = load_checkpoint(tmp_path / "run.npz")
    resumed = Trainer(
        *small, saved.config, params=saved.params, iteration=saved.iteration, history=saved.history
    )
    for _ in range(3):
        resumed.step()
        reference.step()
    np.testing.assert_array_equal(resumed.params.W1, reference.params.W1)
    assert_same_history(resumed.history, reference.history)


def test_nnviz_train_at_alpha_5_saves_and_reports_the_parameters_it_restored(
    capsys, tmp_path, embedded_examples
):
    code = main(["train", "--alpha", "5", "--quiet", "--save", str(tmp_path / "run.npz"),
                 "--metrics-csv", str(tmp_path / "metrics.csv")])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 3 and len(err.strip().splitlines()) == 1
    assert "diverged at iteration 3 with alpha 5" in err and "parameters restored to iteration 0" in err
    saved = load_checkpoint(tmp_path / "run.npz")
    start = trainer_on(embedded_examples).params  # the seed's weights, iteration 0
    assert saved.iteration == 0 and len(saved.history) == 1
    np.testing.assert_array_equal(saved.params.W1, start.W1)
    assert (tmp_path / "metrics.csv").read_text().count("\n") == 2  # the header and iteration 0


def test_one_unlucky_batch_above_the_bar_is_not_a_divergence(embedded_examples):
    """Mini-batch updates are judged on a fixed probe: after the first update with batches of 4 at
    alpha 1 the next batch's own loss is above the bar, the probe's is not."""
    t = trainer_on(embedded_examples, alpha=1.0, batch_size=4)
    t.step()
    assert t.divergence is None and t.iteration == 1
    assert t.prepare().loss > BAR and t.evaluate(t.probe)[0] < BAR


@pytest.mark.parametrize("settings", [settings for settings, _ in HEALTHY], ids=str)
def test_large_or_noisy_but_healthy_settings_stay_well_below_the_bar(settings):
    figure = healthy(settings, iterations=20)
    assert figure.met, (figure.value, figure.detail)


def test_the_benchmark_reports_how_fast_a_too_large_alpha_is_caught():
    figure = too_large(50.0)
    assert figure.value == 1 and figure.met


def test_an_update_that_kills_the_network_is_caught_undone_and_explained(embedded_examples):
    """Three units and plain SGD: at iteration 68 one example's step silences all three for good
    (left to run, no unit fires on any of 2,000 examples 1,000 iterations later; dev accuracy 9%)."""
    t = trainer_on(embedded_examples, hidden=3, batch_size=1)
    while t.divergence is None and t.iteration < 500:
        before = t.params
        t.step()
    assert t.divergence.kind == "dead" and t.params is before and t.divergence.undone == 1
    assert "every hidden unit outputs 0" in t.divergence.message()
    assert f"parameters restored to iteration {t.iteration}" in t.divergence.message()


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
