"""Where the network is wrong, counted: the confusion matrix, accuracy per digit, the top guesses and
the gallery's orders agree with a direct transcription from forward_prop and the labels."""

import numpy as np
import pytest

from nnviz.engine.confusions import ConfusionHistory
from nnviz.engine.evaluation import accuracy_per_digit, evaluate
from nnviz.engine.network import accuracy, forward_prop
from nnviz.engine.trainer import TrainConfig, Trainer


@pytest.fixture(scope="module")
def trained(embedded_examples):
    """A network that is right about most digits but not all: 30 full-batch steps on the embedded digits."""
    train, dev = embedded_examples
    trainer = Trainer(train, dev, TrainConfig(eval_every=10))
    for _ in range(30):
        trainer.step()
    return trainer


def direct_guesses(params, X):
    """argmax of each column of A2, one example at a time, the smaller digit on a tie."""
    A2 = forward_prop(params, X).A2
    return A2, [int(np.flatnonzero(column == column.max())[0]) for column in A2.T]


def test_counts_equal_a_direct_count_from_forward_prop_and_the_labels(trained):
    dev = trained.dev
    evaluation = evaluate(trained.params, dev.X, dev.labels, trained.iteration)
    A2, guesses = direct_guesses(trained.params, dev.X)
    counts = np.zeros((10, 10), dtype=int)
    for true, guess in zip(dev.labels, guesses, strict=True):
        counts[true, guess] += 1
    np.testing.assert_array_equal(evaluation.confusion, counts)
    np.testing.assert_array_equal(evaluation.confusion.sum(axis=1), np.bincount(dev.labels, minlength=10))
    assert evaluation.confusion.sum() == dev.m
    assert np.trace(evaluation.confusion) / dev.m == evaluation.accuracy == accuracy(A2, dev.labels)
    assert 0.5 < evaluation.accuracy < 1  # some right, some wrong: the test means something
    per_digit = [counts[d, d] / counts[d].sum() for d in range(10)]
    np.testing.assert_allclose(evaluation.accuracy_per_digit, per_digit)


def test_the_trainer_records_the_dev_matrix_at_each_evaluation(trained):
    past = trained.confusions.views()
    assert list(past.iterations) == [0, 10, 20, 30]
    last = trained.dev_evaluation
    assert last.iteration == 30 and last.X is trained.dev.X  # the split's own pixels, not a copy
    np.testing.assert_array_equal(past.matrices[-1], last.confusion)
    assert trained.history["dev_accuracy"][-1] == last.accuracy
    assert past.matrices[0].sum() == trained.dev.m


def test_the_training_set_with_full_batches_is_read_off_the_next_iteration(trained):
    fresh = evaluate(trained.params, trained.train.X, trained.train.labels)
    reused = trained.evaluation(trained.train)
    assert reused.A2 is trained.prepare().forward.A2
    np.testing.assert_array_equal(reused.confusion, fresh.confusion)
    assert reused.loss == pytest.approx(fresh.loss, rel=1e-6)


def test_a_digit_with_no_examples_has_no_accuracy_rather_than_zero():
    confusion = np.zeros((10, 10), dtype=int)
    confusion[3, 3], confusion[3, 5] = 3, 1
    shares = accuracy_per_digit(confusion)
    assert shares[3] == 0.75 and np.isnan(shares[[0, 1, 2, 4, 5, 6, 7, 8, 9]]).all()


def test_the_top_three_are_each_examples_three_most_probable_digits(trained):
    evaluation = trained.dev_evaluation
    digits, probabilities = evaluation.top
    assert digits.shape == probabilities.shape == (3, trained.dev.m)
    for i in range(0, trained.dev.m, 37):
        column = evaluation.A2[:, i]
        expected = sorted(range(10), key=lambda d: (-column[d], d))[:3]
        assert list(digits[:, i]) == expected
        np.testing.assert_array_equal(probabilities[:, i], column[expected])
    np.testing.assert_array_equal(digits[0], evaluation.predicted)


def test_a_cell_holds_exactly_its_examples_most_confident_first(trained):
    evaluation = trained.dev_evaluation
    true, guess = np.unravel_index(
        np.argmax(evaluation.confusion - np.diag(np.diag(evaluation.confusion))), (10, 10)
    )
    shown = evaluation.in_cell(true, guess)
    expected = {
        i for i in range(trained.dev.m) if evaluation.labels[i] == true and evaluation.predicted[i] == guess
    }
    assert set(shown) == expected and len(shown) == len(expected) == evaluation.confusion[true, guess] > 1
    confidence = evaluation.A2[guess, shown]
    assert np.all(np.diff(confidence) <= 0)


def test_mistakes_sort_by_confidence_or_by_doubt(trained):
    evaluation = trained.dev_evaluation
    wrong = evaluation.labels != evaluation.predicted
    top1 = evaluation.A2.max(axis=0)
    second = np.sort(evaluation.A2, axis=0)[-2]
    confident = evaluation.mistakes("confident")
    assert set(confident) == set(np.flatnonzero(wrong)) and len(confident) == wrong.sum()
    assert np.all(np.diff(top1[confident]) <= 0)
    unsure = evaluation.mistakes("unsure")
    assert set(unsure) == set(confident)
    assert np.all(np.diff((top1 - second)[unsure]) >= 0)
    assert confident[0] != unsure[0]  # two different orders, not one


def test_all_digits_of_a_class_the_hardest_first(trained):
    evaluation = trained.dev_evaluation
    sevens = evaluation.of_digit(7)
    assert set(sevens) == set(np.flatnonzero(evaluation.labels == 7))
    assert np.all(np.diff(evaluation.A2[7, sevens]) >= 0)


def test_past_matrices_stay_within_their_bound_and_evenly_spread():
    history = ConfusionHistory(max_kept=8)
    taken = []
    for n in range(100):
        history.record(10 * n, np.full((10, 10), n))
        taken.append(history.views())
    past = history.views()
    assert len(past) <= 8 and history.stride == 16
    assert past.iterations[0] == 0  # the untrained network is always there to compare with
    steps = np.diff(past.iterations)
    assert np.all(steps == steps[0]) and steps[0] == 10 * history.stride
    for iteration, matrix in zip(past.iterations, past.matrices, strict=True):
        assert np.all(matrix == iteration // 10)  # each matrix still beside its own iteration
    # A view taken earlier is never rewritten by thinning (another thread may be drawing it).
    early = taken[7]
    assert list(early.iterations) == [10 * n for n in range(8)] and np.all(early.matrices[7] == 7)
    assert past.at(990) == len(past) - 1 and past.at(0) == 0 and past.at(165) == past.at(319) == 1


def test_a_million_iterations_at_k_10_keep_a_few_megabytes():
    history = ConfusionHistory()
    matrix = np.zeros((10, 10), dtype=np.int32)
    for n in range(100_000):
        history.record(10 * n, matrix)
    past = history.views()
    assert len(past) <= 8192 and past.matrices.nbytes + past.iterations.nbytes < 4e6
    assert past.iterations[-1] >= 990_000 - 10 * history.stride
