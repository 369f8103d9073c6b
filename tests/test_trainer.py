"""The trainer: iterations computed once and applied exactly, reproducible batches, alpha at boundaries."""

import numpy as np
import pytest

from nnviz.engine.network import backward_prop, forward_prop, update_params
from nnviz.engine.trainer import Examples, TrainConfig, Trainer


def examples(n=60, seed=0):
    rng = np.random.default_rng(seed)
    return Examples.from_pixels(rng.integers(0, 256, (n, 784), dtype=np.uint8), rng.integers(0, 10, n))


def trainer(**config):
    return Trainer(examples(), examples(20, seed=1), TrainConfig(**{"eval_every": 5, **config}))


def test_X_has_one_column_per_example_scaled_to_unit_range():
    data = examples(n=3)
    assert data.X.shape == (784, 3) and data.X.dtype == np.float32
    assert data.X.min() >= 0 and data.X.max() <= 1


def test_step_applies_the_equations_with_the_alpha_in_force():
    t = trainer(alpha=0.3)
    before = t.params
    batch = t.batch_for(0)
    grads = backward_prop(before, batch.X, batch.Y, forward_prop(before, batch.X))
    t.step()
    expected = update_params(before, grads, 0.3)
    for name, value in expected.arrays().items():
        np.testing.assert_array_equal(t.params.arrays()[name], value)
    assert t.iteration == 1


def test_prepare_computes_once_and_apply_gives_the_same_as_step():
    walked, stepped = trainer(), trainer()
    it = walked.prepare()
    assert walked.prepare() is it
    assert walked.iteration == 0
    walked.apply(it)
    stepped.step()
    for name, value in stepped.params.arrays().items():
        np.testing.assert_array_equal(walked.params.arrays()[name], value)


def test_prepared_iteration_exposes_every_intermediate():
    it = trainer(hidden=4).prepare()
    shapes = {"Z1": (4, 60), "A1": (4, 60), "Z2": (10, 60), "A2": (10, 60)}
    for name, shape in shapes.items():
        assert getattr(it.forward, name).shape == shape, name
    grads = {"dZ2": (10, 60), "dW2": (10, 4), "db2": (10, 1), "dZ1": (4, 60), "dW1": (4, 784), "db1": (4, 1)}
    for name, shape in grads.items():
        value = getattr(it.grads, name)
        assert value.shape == shape and np.all(np.isfinite(value)), name
    assert it.number == 1 and 0 <= it.accuracy <= 1 and it.loss > 0


def test_a_stale_iteration_cannot_be_applied():
    t = trainer()
    old = t.prepare()
    t.apply(old)
    with pytest.raises(ValueError):
        t.apply(old)


def test_new_alpha_is_used_from_the_next_apply_on():
    t = trainer(alpha=0.1)
    t.step()
    it = t.prepare()
    t.set_alpha(0.7)
    t.apply(it)
    np.testing.assert_array_equal(t.params.W2, update_params(it.params, it.grads, 0.7).W2)
    assert list(t.history["alpha"]) == pytest.approx([0.1, 0.1, 0.7])  # at iterations 0, 1, 2


@pytest.mark.parametrize("batch_size", [None, 16])
def test_same_seed_gives_bit_identical_runs(batch_size):
    a, b = trainer(batch_size=batch_size, seed=3), trainer(batch_size=batch_size, seed=3)
    for _ in range(12):
        a.step()
        b.step()
    for name, value in a.params.arrays().items():
        np.testing.assert_array_equal(b.params.arrays()[name], value)
    np.testing.assert_array_equal(a.history["train_loss"], b.history["train_loss"])


def test_different_seeds_give_different_initialisations():
    assert not np.array_equal(trainer(seed=1).params.W1, trainer(seed=2).params.W1)


def test_mini_batches_cover_each_example_once_per_epoch_in_a_new_order():
    t = trainer(batch_size=16)  # 60 examples: batches of 16, 16, 16, 12
    epoch0 = [t.batch_for(i).index for i in range(4)]
    epoch1 = [t.batch_for(i).index for i in range(4, 8)]
    assert [len(b) for b in epoch0] == [16, 16, 16, 12]
    assert sorted(np.concatenate(epoch0)) == list(range(60))
    assert sorted(np.concatenate(epoch1)) == list(range(60))
    assert not np.array_equal(np.concatenate(epoch0), np.concatenate(epoch1))


def test_full_batch_uses_every_training_example_each_iteration():
    t = trainer()
    assert t.batch_size == 60 and t.batch_for(7).X.shape == (784, 60)


def test_history_records_every_iteration_from_0_and_dev_every_k():
    t = trainer()
    for _ in range(12):
        t.step()
    assert list(t.history["iteration"]) == list(range(13))
    assert list(t.history["dev_iteration"]) == [0, 5, 10]


def test_every_point_at_iteration_n_is_measured_after_n_updates():
    t = trainer()  # full batch: the batch loss is the training loss
    for _ in range(10):
        t.step()
    assert t.history["train_loss"][-1] == pytest.approx(t.evaluate(t.train)[0], rel=1e-6)
    assert t.history["dev_loss"][-1] == pytest.approx(t.evaluate(t.dev)[0], rel=1e-6)
    assert t.history["iteration"][0] == 0
    assert t.history["train_loss"][0] == pytest.approx(np.log(10), rel=0.2)  # near a blind guess


def test_the_recorded_point_is_the_next_iteration_computed_once():
    t = trainer()
    t.step()
    upcoming = t.prepare()
    assert t.history["train_loss"][-1] == upcoming.loss and t.prepare() is upcoming


@pytest.mark.parametrize(
    "bad",
    [{"hidden": 0}, {"hidden": 2000}, {"alpha": 0.0}, {"alpha": float("nan")}, {"batch_size": 0},
     {"init": "zeros"}, {"seed": -1}, {"eval_every": 0}],
)  # fmt: skip
def test_settings_the_engine_cannot_take_are_refused_by_name(bad):
    with pytest.raises(ValueError, match=next(iter(bad))):
        TrainConfig(**bad)


def test_training_lowers_the_loss_on_real_digits(embedded_examples):
    train, dev = embedded_examples
    t = Trainer(train, dev, TrainConfig(alpha=0.5, eval_every=100))
    first_loss, first_acc = t.evaluate(dev)
    for _ in range(100):
        t.step()
    loss, acc = t.evaluate(dev)
    assert first_acc < 0.3 and loss < first_loss / 2 and acc > 0.7
