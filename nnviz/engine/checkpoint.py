"""Checkpoints: one .npz with the parameters, the counter, alpha, settings, metric history and the
run's keyframes (so that any earlier iteration can be rebuilt: `nnviz train --resume CKPT --at N`).

Plain arrays and a JSON string only, never unpickled, so opening a checkpoint can never run
code; only the arrays a checkpoint has are read, each once its declared shape is the one the
settings imply, and every value is checked (types, ranges, finiteness, a history that adds up),
so a crafted file is refused with one line rather than loaded as nonsense. Written to a
temporary file and renamed, so a crash mid-save leaves the previous checkpoint intact.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from nnviz.engine.config_values import checked_value, config_from
from nnviz.engine.history import EVAL_FIELDS, STEP_FIELDS, History
from nnviz.engine.keyframes import Keyframes
from nnviz.engine.network import INPUTS, OUTPUTS, Params
from nnviz.engine.trainer import ALPHA_RANGE, DTYPE, TrainConfig, Trainer
from nnviz.errors import UserError
from nnviz.files import FileRefused, open_regular, write_atomically
from nnviz.npz_archive import ArchiveError, NotAnArchive, NpzArchive

FORMAT = "nnviz-checkpoint-1"
MAX_SETTINGS_CHARS = 65_536  # the settings are a few hundred characters of JSON
PARAMS = ("W1", "b1", "W2", "b2")
HISTORY = tuple(f"history_{name}" for name in STEP_FIELDS + EVAL_FIELDS)
# Keyframes: their iterations, and each parameter stacked, keyframe_W1 (k, h, 784) and so on. A
# checkpoint saved before they existed has none: its run can only go on from its last iteration.
KEYFRAMES = ("keyframe_iterations", *(f"keyframe_{name}" for name in PARAMS))
SAVED_KEYFRAMES = 32 * 2**20  # bytes at most in a file: thinned to fit (longer replays, same result)


class CheckpointError(UserError):
    """A checkpoint that cannot be used; the message names the file."""


@dataclass(frozen=True)
class Checkpoint:
    params: Params
    iteration: int
    alpha: float
    config: TrainConfig
    data: dict[str, Any]  # where the examples came from: {"source": ..., "dev_size": ...}
    history: History
    keyframes: Keyframes | None = None  # None: saved without (by an older nnviz)


def save_checkpoint(path: Path, trainer: Trainer, data: dict[str, Any]) -> None:
    settings = {"format": FORMAT, "config": asdict(trainer.config), "data": data}
    arrays = {
        **trainer.params.arrays(),
        "iteration": np.int64(trainer.iteration),
        "alpha": np.float64(trainer.alpha),
        "settings": np.array(json.dumps(settings)),
        **{f"history_{k}": v for k, v in trainer.history.as_arrays().items()},
        **_keyframe_arrays(trainer.keyframes),
    }
    write_atomically(Path(path), lambda f: np.savez(f, **arrays))


def _keyframe_arrays(keyframes: Keyframes) -> dict[str, np.ndarray]:
    iterations, params = keyframes.thinned(SAVED_KEYFRAMES)
    return {
        "keyframe_iterations": np.array(iterations, dtype=np.int64),
        **{f"keyframe_{name}": np.stack([getattr(p, name) for p in params]) for name in PARAMS},
    }


def load_checkpoint(path: Path) -> Checkpoint:
    try:
        with open_regular(path) as file, NpzArchive(file) as archive:
            return _parse(archive)
    except FileRefused as err:
        raise CheckpointError(str(err)) from None
    except NotAnArchive:  # said plainly: numpy would advise unpickling it
        raise CheckpointError(f"{path}: not an nnviz checkpoint (not an .npz archive)") from None
    except ArchiveError as err:
        raise CheckpointError(f"{path}: not a readable nnviz checkpoint ({err})") from None
    except ValueError as err:
        raise CheckpointError(f"{path}: not a valid nnviz checkpoint ({err})") from None
    except MemoryError:
        raise CheckpointError(f"{path}: not enough memory to load it") from None


def _parse(archive: NpzArchive) -> Checkpoint:
    missing = [
        name for name in ("settings", *PARAMS, "iteration", "alpha", *HISTORY) if name not in archive.names
    ]
    if missing:
        raise ValueError(f"no {missing[0]} array" if missing[0] != "settings" else "no settings")
    settings = _settings(archive)
    config = config_from(_mapping(settings.get("config"), "config"))
    data = _data_record(settings.get("data"))
    iteration = _scalar(archive, "iteration", "iu")
    if iteration < 0:
        raise ValueError(f"iteration is {iteration}, expected a whole number from 0")
    alpha = checked_value("alpha", _scalar(archive, "alpha", "f"))
    h = config.hidden
    shapes = {"W1": (h, INPUTS), "b1": (h, 1), "W2": (OUTPUTS, h), "b2": (OUTPUTS, 1)}
    params = {name: _array(archive, name, shapes[name]) for name in PARAMS}
    for name, array in params.items():
        if not np.all(np.isfinite(array)):
            raise ValueError(f"{name} holds values that are not finite")
    return Checkpoint(
        params=Params(*(params[n].astype(DTYPE) for n in PARAMS)),
        iteration=iteration,
        alpha=alpha,
        config=config,
        data=data,
        history=_history(archive, iteration),
        keyframes=_keyframes(archive, iteration, shapes),
    )


def _settings(archive: NpzArchive) -> dict[str, Any]:
    shape, dtype = archive.declared("settings")
    if shape != () or dtype.kind != "U" or dtype.itemsize > 4 * MAX_SETTINGS_CHARS:
        raise ValueError(
            f"settings are {dtype} {shape}, expected a JSON text of at most {MAX_SETTINGS_CHARS:,}"
        )
    try:
        settings = json.loads(str(archive.read("settings")[()]))
    except RecursionError:
        raise ValueError("settings are nested too deeply") from None
    except json.JSONDecodeError as err:
        raise ValueError(f"settings are not JSON ({err})") from None
    settings = _mapping(settings, "settings")
    if settings.get("format") != FORMAT:
        raise ValueError(f"format {settings.get('format')!r}, expected {FORMAT!r}")
    return settings


def _mapping(value: object, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"{what} are {type(value).__name__}, expected a JSON object")
    return value


def _data_record(data: object) -> dict[str, Any]:
    if not isinstance(data, dict) or not isinstance(data.get("source"), str) or not data["source"]:
        raise ValueError("it does not say which data it was trained on")
    dev_size = data.get("dev_size")
    if dev_size is not None and (type(dev_size) is not int or dev_size < 0):
        raise ValueError(f"dev_size = {dev_size!r} is not a whole number from 0")
    return {key: data[key] for key in ("source", "dev_size") if key in data}


def _scalar(archive: NpzArchive, name: str, kinds: str) -> Any:
    shape, dtype = archive.declared(name)
    if shape != () or dtype.kind not in kinds:
        expected = "a whole number" if kinds == "iu" else "a number"
        raise ValueError(f"{name} is {dtype} {shape}, expected {expected}")
    return archive.read(name)[()].item()


def _array(archive: NpzArchive, name: str, shape: tuple[int, ...]) -> np.ndarray:
    """Array `name`, read only once its header says it is a float array of `shape`."""
    declared, dtype = archive.declared(name)
    if declared != shape or dtype.kind != "f":
        raise ValueError(f"{name} is {dtype} {declared}, expected float {shape}")
    return archive.read(name)


def _history(archive: NpzArchive, iteration: int) -> History:
    """The metric history, checked to add up: a step for each iteration 0..iteration, and dev
    evaluations at increasing iterations among them, every value finite and in range."""
    steps = {name: _array(archive, f"history_{name}", (iteration + 1,)) for name in STEP_FIELDS}
    evaluations = archive.declared("history_dev_iteration")[0]
    if len(evaluations) != 1 or evaluations[0] > iteration + 1:
        raise ValueError(
            f"history_dev_iteration has shape {evaluations}, expected at most {iteration + 1} values"
        )
    evals = {name: _array(archive, f"history_{name}", evaluations) for name in EVAL_FIELDS}
    if not np.array_equal(steps["iteration"], np.arange(iteration + 1)):
        raise ValueError(f"history_iteration does not count 0, 1, ... {iteration}")
    at = evals["dev_iteration"]
    if not (np.all(at == np.round(at)) and np.all(np.diff(at) > 0) and np.all((at >= 0) & (at <= iteration))):
        raise ValueError(f"history_dev_iteration is not increasing whole numbers from 0 to {iteration}")
    within = {
        "train_loss": (0, np.inf),
        "dev_loss": (0, np.inf),
        "train_accuracy": (0, 1),
        "dev_accuracy": (0, 1),
        "alpha": ALPHA_RANGE,
    }
    columns = {**steps, **evals}
    for name, (low, high) in within.items():
        values = columns[name]
        if not np.all(np.isfinite(values) & (values >= low) & (values <= high)):
            expected = f"from {low:g} up" if high == np.inf else f"from {low:g} to {high:g}"
            raise ValueError(f"history_{name} holds values that are not finite numbers {expected}")
    return History.from_arrays({**steps, **evals})


def _keyframes(archive: NpzArchive, iteration: int, shapes: dict[str, tuple[int, ...]]) -> Keyframes | None:
    """The keyframes, checked: increasing iterations from 0 to `iteration`, finite parameters of
    the run's shapes. None if the checkpoint has none (saved before nnviz kept them)."""
    present = [name for name in KEYFRAMES if name in archive.names]
    if not present:
        return None
    if len(present) < len(KEYFRAMES):
        missing = next(name for name in KEYFRAMES if name not in archive.names)
        raise ValueError(f"no {missing} array beside {present[0]}")
    count = archive.declared("keyframe_iterations")[0]
    if len(count) != 1 or not 1 <= count[0] <= iteration + 1:
        raise ValueError(f"keyframe_iterations has shape {count}, expected 1 to {iteration + 1} values")
    if archive.declared("keyframe_iterations")[1].kind not in "iu":
        raise ValueError("keyframe_iterations are not whole numbers")
    at = archive.read("keyframe_iterations").astype(np.int64)
    if not (np.all(np.diff(at) > 0) and at[0] >= 0 and at[-1] <= iteration):
        raise ValueError(f"keyframe_iterations are not increasing whole numbers from 0 to {iteration}")
    stacks = {name: _array(archive, f"keyframe_{name}", (count[0], *shapes[name])) for name in PARAMS}
    for name, stack in stacks.items():
        if not np.all(np.isfinite(stack)):
            raise ValueError(f"keyframe_{name} holds values that are not finite")
    params = [Params(*(stacks[n][k].astype(DTYPE) for n in PARAMS)) for k in range(count[0])]
    keyframes = Keyframes()
    keyframes.restore([int(i) for i in at], params)
    return keyframes
