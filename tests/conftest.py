"""Shared fixtures. Tests run headless: Qt draws offscreen (set before any test module imports Qt)."""

import os
from pathlib import Path

import numpy as np
import pytest

from nnviz.engine.trainer import Examples

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

RESOURCES = Path(__file__).resolve().parent.parent / "resources"


@pytest.fixture(scope="session")
def embedded_examples():
    """The embedded digits as (train 4,000, dev 1,000) Examples, split as the app splits them."""
    with np.load(RESOURCES / "mnist_5k.npz") as npz:
        X, y = npz["X"], npz["y"]
    order = np.random.default_rng(0).permutation(len(y))
    return (
        Examples.from_pixels(X[order[1000:]], y[order[1000:]]),
        Examples.from_pixels(X[order[:1000]], y[order[:1000]]),
    )
