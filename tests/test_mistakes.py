"""'Next mistake' finds the first example from a position on that the network gets wrong."""

import numpy as np
import pytest

import nnviz.engine.mistakes as mistakes
from nnviz.engine.mistakes import next_mistake
from nnviz.engine.network import forward_prop, init_params


@pytest.fixture
def network_and_examples():
    rng = np.random.default_rng(3)
    params = init_params(8, "he", rng)
    X = rng.random((784, 50), dtype=np.float32)
    guesses = np.argmax(forward_prop(params, X).A2, axis=0)
    return params, X, guesses


@pytest.mark.parametrize("chunk", [1024, 4])  # one forward pass, or many that cut the search up
def test_the_first_wrong_example_from_the_start_going_round(monkeypatch, network_and_examples, chunk):
    monkeypatch.setattr(mistakes, "CHUNK", chunk)
    params, X, guesses = network_and_examples
    labels = guesses.copy()
    labels[[7, 30]] = (guesses[[7, 30]] + 1) % 10  # wrong only about examples 7 and 30
    assert next_mistake(params, X, labels, 0) == 7
    assert next_mistake(params, X, labels, 7) == 7  # from `start` on, itself included
    assert next_mistake(params, X, labels, 8) == 30
    assert next_mistake(params, X, labels, 31) == 7  # past the end: round to the beginning
    assert next_mistake(params, X, labels, 50 + 8) == 30  # a start beyond the end counts round


def test_none_when_every_example_is_right(network_and_examples):
    params, X, guesses = network_and_examples
    assert next_mistake(params, X, guesses, 12) is None
