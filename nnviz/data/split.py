"""Hold out a dev split, as the seed does (1,000 examples), reproducibly from a seed."""

from __future__ import annotations

import numpy as np

from nnviz.data.dataset import DataError, Dataset


def split_dev(data: Dataset, dev_size: int, seed: int) -> tuple[Dataset, Dataset | None]:
    """Shuffle with `seed`, keep the first `dev_size` examples as dev and the rest as train."""
    if not 0 <= dev_size < len(data):
        raise DataError(
            f"{data.name}: dev size {dev_size} must be at least 0 and less than the "
            f"{len(data)} examples, so that some are left to train on"
        )
    order = np.random.default_rng(seed).permutation(len(data))
    train = data.subset(order[dev_size:], data.name)
    dev = data.subset(order[:dev_size], f"{data.name} (dev)") if dev_size else None
    return train, dev
