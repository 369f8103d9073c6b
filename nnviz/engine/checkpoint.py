"""Checkpoints: one .npz with the parameters, the counter, alpha, settings and metric history.

Plain arrays and a JSON string only, loaded with allow_pickle=False, so opening a checkpoint
can never run code. Written to a temporary file and renamed, so a crash mid-save leaves the
previous checkpoint intact.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from nnviz.engine.history import EVAL_FIELDS, STEP_FIELDS, History
from nnviz.engine.network import INPUTS, OUTPUTS, Params
from nnviz.engine.trainer import DTYPE, TrainConfig, Trainer
from nnviz.files import write_atomically

FORMAT = "nnviz-checkpoint-1"


class CheckpointError(Exception):
    """A checkpoint that cannot be used; the message names the file."""


@dataclass(frozen=True)
class Checkpoint:
    params: Params
    iteration: int
    alpha: float
    config: TrainConfig
    data: dict[str, Any]  # where the examples came from: {"source": ..., "dev_size": ...}
    history: History


def save_checkpoint(path: Path, trainer: Trainer, data: dict[str, Any]) -> None:
    settings = {"format": FORMAT, "config": asdict(trainer.config), "data": data}
    arrays = {
        **trainer.params.arrays(),
        "iteration": np.int64(trainer.iteration),
        "alpha": np.float64(trainer.alpha),
        "settings": np.array(json.dumps(settings)),
        **{f"history_{k}": v for k, v in trainer.history.as_arrays().items()},
    }
    write_atomically(Path(path), lambda f: np.savez(f, **arrays))


def load_checkpoint(path: Path) -> Checkpoint:
    if not Path(path).is_file():
        raise CheckpointError(f"{path}: no such file")
    if not zipfile.is_zipfile(path):  # else numpy would try, and advise, unpickling it
        raise CheckpointError(f"{path}: not an nnviz checkpoint (not an .npz archive)")
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
    except Exception as err:  # a damaged archive makes numpy's parser raise almost anything
        reason = "it holds pickled objects, which nnviz never loads" if "pickle" in str(err) else str(err)
        raise CheckpointError(f"{path}: not a readable nnviz checkpoint ({reason})") from None
    try:
        return _parse(arrays)
    except (KeyError, ValueError, TypeError) as err:
        raise CheckpointError(f"{path}: not a valid nnviz checkpoint ({err})") from None


def _parse(arrays: dict[str, np.ndarray]) -> Checkpoint:
    if "settings" not in arrays:
        raise ValueError("no settings")
    settings = json.loads(str(arrays["settings"]))
    if settings.get("format") != FORMAT:
        raise ValueError(f"format {settings.get('format')!r}, expected {FORMAT!r}")
    config = TrainConfig(**settings["config"])  # validates every field
    if not isinstance(settings.get("data", {}).get("source"), str):
        raise ValueError("it does not say which data it was trained on")
    h = config.hidden
    expected = {"W1": (h, INPUTS), "b1": (h, 1), "W2": (OUTPUTS, h), "b2": (OUTPUTS, 1)}
    for name, shape in expected.items():
        array = arrays[name]
        if array.shape != shape or array.dtype.kind != "f":
            raise ValueError(f"{name} is {array.dtype} {array.shape}, expected float {shape}")
    history = History.from_arrays({name: arrays[f"history_{name}"] for name in STEP_FIELDS + EVAL_FIELDS})
    return Checkpoint(
        params=Params(*(arrays[n].astype(DTYPE) for n in expected)),
        iteration=int(arrays["iteration"]),
        alpha=float(arrays["alpha"]),
        config=config,
        data=dict(settings["data"]),
        history=history,
    )
