"""Time travel in the engine: keyframes within a budget, and any past iteration rebuilt bit for bit."""

import numpy as np
import pytest

from nnviz.engine.keyframes import MIN_KEPT, Keyframes
from nnviz.engine.network import Params
from nnviz.engine.trainer import TrainConfig, Trainer

SMALL_BUDGET = 12 * 31_840  # twelve keyframes of h = 10, so MIN_KEPT: the runs below thin them


def params_of(value: float, hidden: int = 10) -> Params:
    return Params(
        *(np.full(shape, value, np.float32) for shape in ((hidden, 784), (hidden, 1), (10, hidden), (10, 1)))
    )


def recorded_run(embedded_examples, iterations, alphas, budget=SMALL_BUDGET, **config):
    """A run of `iterations` whose alpha changes as `alphas` says ({iteration: alpha}), with the
    parameters after every update recorded: the original run that rebuilt ones are held against."""
    train, dev = embedded_examples
    trainer = Trainer(train, dev, TrainConfig(eval_every=7, **config))
    trainer.keyframes.budget = budget
    seen = [trainer.params]
    for n in range(iterations):
        if n in alphas:
            trainer.set_alpha(alphas[n])
        trainer.step()
        assert trainer.iteration == n + 1 and trainer.divergence is None
        seen.append(trainer.params)
    return trainer, seen


def assert_same(rebuilt: Params, original: Params) -> None:
    for name, value in original.arrays().items():
        assert rebuilt.arrays()[name].dtype == value.dtype
        np.testing.assert_array_equal(rebuilt.arrays()[name], value, err_msg=name)


@pytest.mark.parametrize("batch_size", [None, 32], ids=["full batch", "mini-batch"])
def test_rebuilt_parameters_are_bit_identical_to_the_original_run(embedded_examples, batch_size):
    trainer, seen = recorded_run(
        embedded_examples, 120, {0: 0.1, 40: 0.35, 41: 0.02, 90: 0.5}, batch_size=batch_size
    )
    assert trainer.keyframes.stride > 1  # thinned: most iterations are replayed, not kept
    chosen = np.random.default_rng(15).choice(121, 12, replace=False)
    for n in [0, 1, 39, 40, 41, 42, 119, 120, *chosen]:
        assert_same(trainer.rebuild(int(n)), seen[n])


def test_the_alpha_of_each_update_is_the_one_it_was_applied_with(embedded_examples):
    trainer, _ = recorded_run(embedded_examples, 20, {0: 0.1, 5: 0.4})
    assert [trainer.alpha_at(n) for n in (0, 5, 6, 20)] == [0.1, 0.1, 0.4, 0.4]


def test_keyframes_stay_within_the_budget_evenly_spread_the_first_kept():
    keyframes = Keyframes(budget=8 * 31_840)
    for n in range(1000):
        keyframes.offer(n, params_of(0.0))
    assert len(keyframes) <= MIN_KEPT * 2 and keyframes.nbytes <= max(keyframes.budget, MIN_KEPT * 31_840)
    assert keyframes.first == 0
    spacing = np.diff(keyframes.iterations)
    assert np.all(spacing == keyframes.stride)
    assert keyframes.iterations[-1] > 1000 - keyframes.stride  # the end is as near as any other part


def test_a_rewind_cuts_the_run_back_and_continuing_is_a_fresh_run_from_there(embedded_examples):
    trainer, seen = recorded_run(embedded_examples, 60, {0: 0.1, 30: 0.5}, batch_size=64)
    trainer.rewind(25)
    assert trainer.iteration == 25 and len(trainer.history) == 26
    assert trainer.history["dev_iteration"][-1] <= 25 and trainer.confusions.views().iterations[-1] <= 25
    assert trainer.keyframes.iterations[-1] <= 25
    assert trainer.alpha == 0.1  # the alpha in force at 25
    assert_same(trainer.params, seen[25])
    for n in range(25, 60):
        trainer.set_alpha(0.5 if n >= 30 else 0.1)
        trainer.step()
    assert_same(trainer.params, seen[60])  # the same choices again: the same run
    trainer.rewind(40, alpha=0.05)
    trainer.step()
    assert trainer.history["alpha"][-1] == 0.05 and trainer.iteration == 41


def test_an_iteration_the_run_has_not_reached_or_no_longer_keeps_is_refused(embedded_examples):
    train, dev = embedded_examples
    resumed = Trainer(train, dev, TrainConfig(), params=params_of(0.01), iteration=50, history=None)
    with pytest.raises(ValueError, match="iteration 49 cannot be rebuilt: they start at 50"):
        resumed.rebuild(49)
    with pytest.raises(ValueError, match="not in this run"):
        resumed.rebuild(51)


def test_a_run_that_undid_a_divergence_is_rebuilt_as_it_went_on(embedded_examples):
    trainer, seen = recorded_run(embedded_examples, 10, {0: 0.1})
    trainer.set_alpha(1000)
    trainer.step()
    assert trainer.divergence is not None
    del seen[trainer.iteration + 1 :]
    assert trainer.keyframes.iterations[-1] <= trainer.iteration
    trainer.set_alpha(0.2)
    for _ in range(10):
        trainer.step()
        seen.append(trainer.params)
    for n, params in enumerate(seen):
        assert_same(trainer.rebuild(n), params)


def test_a_saved_run_is_rebuilt_after_loading_as_before_saving(embedded_examples, tmp_path):
    from nnviz.engine.checkpoint import load_checkpoint, save_checkpoint

    trainer, seen = recorded_run(embedded_examples, 40, {0: 0.1, 17: 0.3}, batch_size=100)
    save_checkpoint(tmp_path / "run.npz", trainer, {"source": "mnist-5k", "dev_size": None})
    saved = load_checkpoint(tmp_path / "run.npz")
    assert saved.keyframes.iterations == trainer.keyframes.iterations
    train, dev = embedded_examples
    loaded = Trainer(
        train,
        dev,
        saved.config,
        params=saved.params,
        iteration=40,
        history=saved.history,
        keyframes=saved.keyframes,
    )
    for n in range(41):
        assert_same(loaded.rebuild(n), seen[n])
    loaded.step()  # the stride the saved keyframes were spaced by goes on
    assert loaded.keyframes.stride == trainer.keyframes.stride


def test_a_look_at_the_past_changes_nothing_and_steps_on_from_a_nearer_state(embedded_examples):
    trainer, seen = recorded_run(embedded_examples, 50, {0: 0.1, 20: 0.3}, batch_size=100)
    past = trainer.as_it_was(33)
    assert past.iteration == 33 and past.alpha == 0.3 and past.dev_evaluation.iteration == 33
    assert_same(past.params, seen[33])
    later = trainer.as_it_was(34, near=past)
    assert_same(later.params, seen[34])
    assert trainer.iteration == 50 and len(trainer.history) == 51  # the run itself is as it was
    trainer.rewind(34, params=later.params)
    assert trainer.iteration == 34 and len(trainer.history) == 35


def test_stepping_back_one_iteration_at_a_time_replays_once(embedded_examples):
    trainer, seen = recorded_run(embedded_examples, 64, {0: 0.1}, batch_size=100)
    replayed = []
    batch_for = trainer.batch_for
    trainer.batch_for = lambda k: replayed.append(k) or batch_for(k)
    stride = trainer.keyframes.stride
    assert stride > 4
    end = trainer.keyframes.iterations[-1] - 1  # just before a keyframe: the longest replay
    for n in range(end, end - 4, -1):
        assert_same(trainer.rebuild(n), seen[n])
    assert len(replayed) == stride - 1  # the first rebuild replayed; the steps back found its states


def test_keyframes_live_in_one_block_of_the_budget_and_are_handed_out_as_copies():
    rng = np.random.default_rng(0)
    frame = Params(
        *(rng.normal(size=shape).astype(np.float32) for shape in ((10, 784), (10, 1), (10, 10), (10, 1)))
    )
    keyframes = Keyframes(budget=40 * keyframes_bytes(frame))
    for iteration in range(1000):
        keyframes.offer(iteration, frame)
    assert keyframes.reserved_bytes == 40 * keyframes_bytes(frame)  # never more, however long the run
    assert keyframes.resident_bytes <= keyframes.reserved_bytes and 20 <= len(keyframes) <= 40
    _, params = keyframes.at_or_before(500)
    params.W1[:] = 0  # a copy: the kept keyframe is untouched
    np.testing.assert_array_equal(keyframes.at_or_before(500)[1].W1, frame.W1)


def keyframes_bytes(params: Params) -> int:
    return sum(a.nbytes for a in params.arrays().values())
