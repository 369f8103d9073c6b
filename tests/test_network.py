"""The network's math, checked against the equations written out directly and against finite differences."""

import sys

import numpy as np
import pytest

from nnviz.engine.network import (
    Params,
    backward_prop,
    cross_entropy,
    forward_prop,
    init_params,
    one_hot,
    predictions,
    softmax,
    update_params,
)


def small_problem(m=7, hidden=5, seed=1):
    rng = np.random.default_rng(seed)
    params = init_params(hidden, "uniform", rng, np.float64)
    X = rng.random((784, m))
    labels = rng.integers(0, 10, m)
    return params, X, labels


def transcription(params, X, labels):
    """The seed's notebook, line by line: one-hot by np.eye, softmax by exp/sum, ReLU' by Z > 0."""
    W1, b1, W2, b2 = params.W1, params.b1, params.W2, params.b2
    m = X.shape[1]
    Z1 = W1.dot(X) + b1
    A1 = np.maximum(Z1, 0)
    Z2 = W2.dot(A1) + b2
    A2 = np.exp(Z2) / sum(np.exp(Z2))
    Y = np.eye(10)[labels].T
    dZ2 = A2 - Y
    dW2 = 1 / m * dZ2.dot(A1.T)
    db2 = 1 / m * np.sum(dZ2, axis=1, keepdims=True)
    dZ1 = W2.T.dot(dZ2) * (Z1 > 0)
    dW1 = 1 / m * dZ1.dot(X.T)
    db1 = 1 / m * np.sum(dZ1, axis=1, keepdims=True)
    return dict(Z1=Z1, A1=A1, Z2=Z2, A2=A2, dZ2=dZ2, dW2=dW2, db2=db2, dZ1=dZ1, dW1=dW1, db1=db1)


def test_forward_and_backward_match_the_equations_written_out():
    params, X, labels = small_problem()
    fwd = forward_prop(params, X)
    grads = backward_prop(params, X, one_hot(labels, np.float64), fwd)
    expected = transcription(params, X, labels)
    for name, value in expected.items():
        ours = getattr(fwd, name, None)
        ours = getattr(grads, name) if ours is None else ours
        np.testing.assert_allclose(ours, value, rtol=1e-12, atol=1e-14, err_msg=name)


def test_shapes_follow_one_column_per_example():
    params, X, labels = small_problem(m=7, hidden=5)
    fwd = forward_prop(params, X)
    grads = backward_prop(params, X, one_hot(labels, np.float64), fwd)
    assert (fwd.Z1.shape, fwd.A1.shape, fwd.Z2.shape, fwd.A2.shape) == (
        (5, 7),
        (5, 7),
        (10, 7),
        (10, 7),
    )
    assert (grads.dW1.shape, grads.db1.shape, grads.dW2.shape, grads.db2.shape) == (
        (5, 784),
        (5, 1),
        (10, 5),
        (10, 1),
    )
    np.testing.assert_allclose(fwd.A2.sum(axis=0), 1.0)


@pytest.mark.parametrize("name", ["W1", "b1", "W2", "b2"])
def test_gradients_agree_with_finite_differences(name):
    params, X, labels = small_problem()
    grads = backward_prop(params, X, one_hot(labels, np.float64), forward_prop(params, X))
    analytic = getattr(grads, "d" + name)
    array = params.arrays()[name]
    numeric = np.zeros_like(array)
    eps = 1e-6
    for index in np.ndindex(array.shape):
        original = array[index]
        losses = []
        for shifted in (original + eps, original - eps):
            array[index] = shifted
            fwd = forward_prop(params, X)
            losses.append(cross_entropy(fwd.A2, fwd.Z2, labels))
        array[index] = original
        numeric[index] = (losses[0] - losses[1]) / (2 * eps)
    relative = np.linalg.norm(numeric - analytic) / (np.linalg.norm(numeric) + np.linalg.norm(analytic))
    assert relative < 1e-6


def test_update_moves_every_parameter_against_its_gradient():
    params, X, labels = small_problem()
    grads = backward_prop(params, X, one_hot(labels, np.float64), forward_prop(params, X))
    new = update_params(params, grads, alpha=0.5)
    np.testing.assert_array_equal(new.W1, params.W1 - 0.5 * grads.dW1)
    np.testing.assert_array_equal(new.b2, params.b2 - 0.5 * grads.db2)


def test_softmax_and_loss_stay_finite_for_huge_scores():
    Z2 = np.array([[1e4, -1e4], [0.0, 1e4]] + [[0.0, 0.0]] * 8)
    params = Params(np.zeros((1, 784)), np.zeros((1, 1)), np.zeros((10, 1)), Z2[:, :1])
    A2 = forward_prop(params, np.zeros((784, 1))).A2
    assert np.all(np.isfinite(A2))
    loss = cross_entropy(softmax(Z2), Z2, np.array([1, 0]))
    assert np.isfinite(loss) and loss == pytest.approx((1e4 + 2e4) / 2)


def shifted_softmax(Z: np.ndarray) -> np.ndarray:
    E = np.exp(Z.astype(np.float64) - Z.max(axis=0))
    return E / E.sum(axis=0)


@pytest.mark.parametrize("offset", [0.0, 80.0, -80.0, -200.0, 1e3])
def test_softmax_matches_the_shifted_form_wherever_the_scores_lie(offset):
    Z = (np.random.default_rng(6).normal(0, 5, (10, 200)) + offset).astype(np.float32)
    Z[:, 0] = 0.0  # one tame column among them
    A = softmax(Z)
    assert A.dtype == np.float32 and np.all(np.isfinite(A))
    np.testing.assert_allclose(A, shifted_softmax(Z), rtol=1e-5, atol=1e-30)


def test_loss_of_a_uniform_guess_is_ln_10():
    Z2 = np.zeros((10, 4))
    assert cross_entropy(softmax(Z2), Z2, np.array([0, 3, 5, 9])) == pytest.approx(np.log(10))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_loss_from_A2_equals_log_sum_exp_of_Z2(dtype):
    rng = np.random.default_rng(4)
    Z2 = (rng.normal(0, 30, (10, 500))).astype(dtype)  # wide scores: some A2[label] underflow
    labels = rng.integers(0, 10, 500)
    shifted = Z2.astype(np.float64) - Z2.max(axis=0)
    exact = np.mean(np.log(np.exp(shifted).sum(axis=0)) - shifted[labels, np.arange(500)])
    assert cross_entropy(softmax(Z2), Z2, labels) == pytest.approx(exact, rel=1e-5)


def test_predictions_are_argmax_with_ties_to_the_smaller_digit():
    rng = np.random.default_rng(5)
    A2 = rng.random((10, 1000)).astype(np.float32)
    A2[:, :10] = 0.1  # all tied
    A2[3, 10:20] = A2[7, 10:20] = 2.0  # tied between 3 and 7
    np.testing.assert_array_equal(predictions(A2), np.argmax(A2, axis=0))


def test_a_column_that_is_not_a_number_predicts_0():
    A2 = np.full((10, 3), 0.1, dtype=np.float32)
    A2[:, 1] = np.nan
    A2[4, 1] = 0.9
    assert list(predictions(A2)) == [0, 0, 0]


@pytest.mark.parametrize("init", ["he", "uniform"])
def test_initialisations_have_their_documented_scale(init):
    params = init_params(256, init, np.random.default_rng(0), np.float64)
    if init == "he":
        assert params.W1.std() == pytest.approx(np.sqrt(2 / 784), rel=0.02)
        assert not params.b1.any() and not params.b2.any()
    else:
        for array in params.arrays().values():
            assert array.min() >= -0.5 and array.max() < 0.5


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc only")
def test_freed_memory_is_kept_for_the_next_iteration_on_linux():
    from nnviz.allocator import keep_freed_memory

    assert keep_freed_memory() is True
