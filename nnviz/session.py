"""From "which data, which settings" to a ready Trainer: the one set-up the CLI and the window share."""

from __future__ import annotations

from argparse import Namespace
from dataclasses import dataclass, field, replace
from pathlib import Path

from nnviz.data import DOWNLOADED, EMBEDDED, Dataset, load_dataset
from nnviz.data.split import split_dev
from nnviz.engine.checkpoint import Checkpoint, CheckpointError
from nnviz.engine.trainer import Examples, TrainConfig, Trainer

FIXED_BY_CHECKPOINT = ("hidden", "batch_size", "init", "seed")

SEED_DEV_SIZE = 1000


def default_dev_size(n: int) -> int:
    """1,000 as in the seed, or a fifth of a smaller data set, so small files still train."""
    return min(SEED_DEV_SIZE, n // 5)


@dataclass(frozen=True)
class Setup:
    """Everything that fixes a run from iteration 0: changing any of it means a reset."""

    data: str = EMBEDDED  # "mnist-5k", "mnist" or a path
    dev_size: int | None = None  # None: default_dev_size
    config: TrainConfig = field(default_factory=TrainConfig)

    def data_record(self) -> dict[str, object]:
        """How to find the data again, for a checkpoint; paths made absolute."""
        source = self.data if self.data in (EMBEDDED, DOWNLOADED) else str(Path(self.data).resolve())
        return {"source": source, "dev_size": self.dev_size}


@dataclass(frozen=True)
class Splits:
    train: Dataset
    dev: Dataset | None


def load_splits(setup: Setup, data: Dataset | None = None) -> Splits:
    """Load (unless given) and split the training data; raises DataError on bad data."""
    data = data if data is not None else load_dataset(setup.data)
    dev_size = default_dev_size(len(data)) if setup.dev_size is None else setup.dev_size
    train, dev = split_dev(data, dev_size, setup.config.seed)
    return Splits(train, dev)


def make_trainer(splits: Splits, config: TrainConfig, **state) -> Trainer:
    """A Trainer on these splits; `state` (params, iteration, history) resumes a run."""
    dev = Examples.from_pixels(splits.dev.images, splits.dev.labels) if splits.dev else None
    train = Examples.from_pixels(splits.train.images, splits.train.labels)
    return Trainer(train, dev, config, **state)


def setup_from_options(options: Namespace, base: Setup | None = None, *, fixed: bool = False) -> Setup:
    """Settings from command-line options (None: not given) laid over `base` (default: defaults).

    With `fixed` (a resumed run), the settings that shaped the run must not change: giving a
    different hidden size, init, batch size, seed or dev size is refused, not silently ignored.
    """
    base = base or Setup()
    names = ("hidden", "alpha", "batch_size", "init", "seed", "eval_every")
    given = {name: getattr(options, name) for name in names if getattr(options, name, None) is not None}
    if given.get("batch_size") == "full":
        given["batch_size"] = None
    dev_size = getattr(options, "dev_size", base.dev_size)
    data = getattr(options, "data", None) or base.data
    if fixed:
        differing = {k: (v, getattr(base.config, k)) for k, v in given.items() if k in FIXED_BY_CHECKPOINT}
        differing["dev_size"] = (dev_size, base.dev_size)
        differing["data"] = (_source(data), _source(base.data))
        for name, (value, recorded) in differing.items():
            if value != recorded:
                raise CheckpointError(
                    f"--{name.replace('_', '-')} {_shown(value)} differs from the resumed run's "
                    f"({_shown(recorded)}); leave it out to resume"
                )
    return Setup(data=data, dev_size=dev_size, config=replace(base.config, **given))


def _shown(value: object) -> object:
    """A setting as the command line spells it: None is the default (dev size) or full (batch)."""
    return "default" if value is None else value


def _source(data: str) -> str:
    """The data spec as a checkpoint records it: paths absolute, so two spellings of one file agree."""
    return Setup(data=data).data_record()["source"]


def setup_of_checkpoint(checkpoint: Checkpoint) -> Setup:
    """The run as it stood when saved, alpha included (it may have changed since iteration 0)."""
    config = replace(checkpoint.config, alpha=checkpoint.alpha)
    return Setup(checkpoint.data["source"], checkpoint.data.get("dev_size"), config)
