"""The training thread: owns the trainer, takes commands, publishes snapshots (no Qt here)."""

from nnviz.worker.commands import (
    Choose,
    Command,
    Evaluate,
    Pause,
    Replace,
    Rewind,
    SetAlpha,
    SetSpeedLimit,
    Start,
    Step,
    Toggle,
)
from nnviz.worker.worker import TrainingWorker

__all__ = [
    "Choose",
    "Command",
    "Evaluate",
    "Pause",
    "Replace",
    "Rewind",
    "SetAlpha",
    "SetSpeedLimit",
    "Start",
    "Step",
    "Toggle",
    "TrainingWorker",
]
