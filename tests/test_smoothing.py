"""TensorBoard's smoothing: the block-wise numpy computation gives the loop's numbers, grown or not."""

import numpy as np
import pytest

from nnviz.ui.smoothing import Smoothing, smoothed_reference


def noisy(n=2000, seed=0):
    y = np.random.default_rng(seed).normal(1.0, 0.5, n)
    y[[3, 700, 701, 1999]] = [np.nan, np.inf, -np.inf, np.nan]
    return y


@pytest.mark.parametrize("weight", [0.0, 0.3, 0.9, 0.99, 0.999])
def test_the_same_numbers_as_tensorboards_loop(weight):
    y = noisy()
    np.testing.assert_allclose(Smoothing(weight).of(y), smoothed_reference(y, weight), rtol=1e-10, atol=1e-12)


def test_non_finite_points_pass_through_and_change_nothing():
    y = noisy()
    out = Smoothing(0.9).of(y)
    assert np.isnan(out[3]) and out[700] == np.inf and out[701] == -np.inf
    without = Smoothing(0.9).of(np.delete(y, [3, 700, 701, 1999]))
    np.testing.assert_allclose(np.delete(out, [3, 700, 701, 1999]), without, rtol=1e-12)


def test_debiasing_keeps_the_start_where_the_data_is():
    out = Smoothing(0.99).of(np.full(50, 2.5))
    np.testing.assert_allclose(out, 2.5, rtol=1e-12)


def test_a_growing_curve_is_smoothed_as_if_all_at_once():
    y, smoothing = noisy(3000), Smoothing(0.95)
    for end in (1, 2, 300, 301, 2999, 3000):
        grown = smoothing.of(y[:end])
    np.testing.assert_allclose(grown, Smoothing(0.95).of(y), rtol=1e-12)
    smoothing.set_weight(0.5)  # another weight: smoothed again from the start
    np.testing.assert_allclose(smoothing.of(y), smoothed_reference(y, 0.5), rtol=1e-10)
