"""What the window draws, taken from the trainer in the training thread: small, copied, safe to pass
between threads. It carries the worker's state (running, rate, error) beside the network's, and
summaries made for display (histograms), so it lives with the worker, not in the engine."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from nnviz.engine.confusions import PastConfusions
from nnviz.engine.divergence import Divergence
from nnviz.engine.evaluation import Evaluation
from nnviz.engine.network import Forward, Params, forward_prop
from nnviz.engine.trainer import Iteration, Trainer
from nnviz.session import Setup

HISTOGRAM_BINS = 40
HISTOGRAM_EXAMPLES = 2048  # histograms of a fixed sample of the batch: a frame must not cost an iteration


@dataclass(frozen=True)
class Histogram:
    edges: np.ndarray  # bins + 1 edges
    counts: np.ndarray

    @classmethod
    def of(cls, values: np.ndarray, value_range: tuple[float, float] | None = None) -> Histogram:
        finite = values[np.isfinite(values)]
        if value_range is None:
            value_range = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
        if value_range[0] == value_range[1]:
            value_range = (value_range[0] - 0.5, value_range[1] + 0.5)
        counts, edges = np.histogram(finite, bins=HISTOGRAM_BINS, range=value_range)
        return cls(edges, counts)


@dataclass(frozen=True)
class Activations:
    """How the current batch flows through the network: Z1, A1 (after ReLU) and A2 (softmax)."""

    Z1: Histogram
    A1_positive: Histogram  # A1 without its zeros, which ReLU makes plentiful
    A1_zero_fraction: float
    dead_units: int  # hidden units that output 0 for every example of the batch
    A2: Histogram

    @classmethod
    def of(cls, Z1: np.ndarray, A1: np.ndarray, A2: np.ndarray) -> Activations:
        """Histograms of the first HISTOGRAM_EXAMPLES examples; dead units over the whole batch."""
        sample = slice(0, HISTOGRAM_EXAMPLES)
        A1_sample = A1[:, sample]
        active = A1_sample > 0
        return cls(
            Z1=Histogram.of(Z1[:, sample]),
            A1_positive=Histogram.of(A1_sample[active]),
            A1_zero_fraction=float(1 - active.mean()),
            dead_units=int(np.sum(A1.max(axis=1) <= 0)),
            A2=Histogram.of(A2[:, sample], (0.0, 1.0)),
        )


@dataclass(frozen=True)
class Example:
    """The example the views follow (the chosen one), through the network at the snapshot's
    parameters: one column of X, computed by the engine's own forward_prop."""

    x: np.ndarray  # (784, 1): pixels / 255, as the network sees them
    label: int | None  # None for a drawn digit
    source: str  # "dev", "train" or "drawn"
    index: int | None  # its position in its split
    forward: Forward  # Z1, A1 (h, 1); Z2, A2 (10, 1)

    @classmethod
    def of(cls, params: Params, x: np.ndarray, label: int | None, source: str, index: int | None) -> Example:
        with np.errstate(all="ignore"):  # a diverging run overflows; the views show it as it is
            return cls(x, label, source, index, forward_prop(params, x))


@dataclass(frozen=True)
class Refusal:
    """A command the worker could not carry out (data that cannot be used): said once, in one line."""

    command: int  # the number `TrainingWorker.send` gave the command
    message: str


@dataclass(frozen=True)
class Snapshot:
    iteration: int
    alpha: float
    W1: np.ndarray  # (h, 784)
    W2: np.ndarray  # (10, h)
    activations: Activations  # of the batch the next step will use, at the current parameters
    pending: Iteration  # that next step, computed and not applied: what Step (or the inspector) applies
    history: dict[str, np.ndarray]  # read-only views: History only ever appends
    train_examples: int
    dev_examples: int
    batch_size: int
    run: int = 0  # which run this is: a new one after every reset or new data
    running: bool = False
    iterations_per_second: float = 0.0
    error: str | None = None
    divergence: Divergence | None = None  # the last update, undone because it diverged or killed the net
    acknowledged: int = 0  # every command numbered up to this has been handled
    refusal: Refusal | None = None  # the last command refused, if any
    loading: str | None = None  # data being loaded for a new run, which will replace this one
    setup: Setup | None = None  # what this run was started with (alpha: see `alpha`)
    data_name: str = ""
    data_examples: int = 0  # before the dev split
    params: Params | None = None  # W1, b1, W2, b2 (W1 and W2 above are the same arrays)
    example: Example | None = None  # the chosen example, through the network
    evaluation: Evaluation | None = None  # the last of the split the views look at: every example
    evaluated_split: str = "dev"  # which split that is: "dev" or "train"
    confusions: PastConfusions | None = None  # dev's matrix at past evaluations (read-only views)
    every_step: bool = False  # slow motion: this step is to be shown, as is every other
    made_at: float = field(default_factory=time.perf_counter)  # when the worker made it (perf_counter)

    @classmethod
    def of(cls, trainer: Trainer, **worker_state) -> Snapshot:
        """Everything a frame needs; the pending iteration's forward pass is reused by the next step."""
        pending = trainer.prepare()
        fwd = pending.forward
        return cls(
            iteration=trainer.iteration,
            alpha=trainer.alpha,
            # Shared, not copied: the engine never writes into arrays it handed out.
            W1=trainer.params.W1,
            W2=trainer.params.W2,
            params=trainer.params,
            activations=Activations.of(fwd.Z1, fwd.A1, fwd.A2),
            pending=pending,  # shared, not copied: the engine never writes into arrays it handed out
            history=trainer.history.views(),
            train_examples=trainer.train.m,
            dev_examples=trainer.dev.m if trainer.dev is not None else 0,
            batch_size=trainer.batch_size,
            divergence=trainer.divergence,
            confusions=trainer.confusions.views(),
            **worker_state,
        )

    def last(self, name: str) -> float | None:
        values = self.history[name]
        return float(values[-1]) if values.size else None
