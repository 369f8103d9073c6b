"""The network and its training, in plain numpy: no Qt here, usable from scripts and notebooks."""

from nnviz.engine.history import History
from nnviz.engine.network import (
    Forward,
    Gradients,
    Params,
    backward_prop,
    forward_prop,
    init_params,
    one_hot,
    update_params,
)
from nnviz.engine.trainer import Batch, Examples, Iteration, TrainConfig, Trainer

__all__ = [
    "Batch",
    "Examples",
    "Forward",
    "Gradients",
    "History",
    "Iteration",
    "Params",
    "TrainConfig",
    "Trainer",
    "backward_prop",
    "forward_prop",
    "init_params",
    "one_hot",
    "update_params",
]
