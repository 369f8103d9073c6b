"""Long curves as low/high envelopes: the same picture as every point, at a bounded size."""

import numpy as np

from nnviz.ui.envelope import MOST_BLOCKS, Envelope


def noisy_run(n, seed=0):
    rng = np.random.default_rng(seed)
    return np.arange(n, dtype=float), np.exp(-np.arange(n) / 2e5) + 0.3 * rng.random(n)


def test_a_short_curve_is_drawn_as_it_is():
    x, y = noisy_run(MOST_BLOCKS)
    xs, ys = Envelope().of(x, y)
    assert xs is x and ys is y


def test_a_long_curve_keeps_every_blocks_lowest_and_highest_point_and_stays_small():
    x, y = noisy_run(1_000_003)
    envelope = Envelope()
    xs, ys = envelope.of(x, y)
    assert xs.size <= 2 * MOST_BLOCKS + envelope.block
    block, blocks = envelope.block, y.size // envelope.block
    chunks = y[: blocks * block].reshape(blocks, block)
    np.testing.assert_array_equal(ys[: 2 * blocks : 2], chunks.min(axis=1))
    np.testing.assert_array_equal(ys[1 : 2 * blocks : 2], chunks.max(axis=1))
    np.testing.assert_array_equal(xs[: 2 * blocks : 2], x[: blocks * block : block])
    np.testing.assert_array_equal(ys[2 * blocks :], y[blocks * block :])  # the tail, point by point
    assert ys.min() == y.min() and ys.max() == y.max()


def test_growing_a_frame_at_a_time_gives_what_the_whole_run_gives_at_once():
    x, y = noisy_run(300_000)
    growing = Envelope()
    for n in range(0, y.size + 1, 7_919):
        growing.of(x[:n], y[:n])
    grown, whole = growing.of(x, y), Envelope().of(x, y)
    np.testing.assert_array_equal(grown[0], whole[0])
    np.testing.assert_array_equal(grown[1], whole[1])


def test_a_new_shorter_run_starts_over():
    envelope = Envelope()
    envelope.of(*noisy_run(100_000))
    x, y = noisy_run(10_000, seed=1)
    again, fresh = envelope.of(x, y), Envelope().of(x, y)
    np.testing.assert_array_equal(again[0], fresh[0])
    np.testing.assert_array_equal(again[1], fresh[1])
