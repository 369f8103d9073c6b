"""What the window draws, taken from the trainer in the training thread: small, copied, safe to pass
between threads. It carries the worker's state (running, rate, error) beside the network's, and
summaries made for display (histograms), so it lives with the worker, not in the engine."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from nnviz.engine.confusions import PastConfusions
from nnviz.engine.divergence import PROBE_EXAMPLES, Divergence
from nnviz.engine.evaluation import Evaluation
from nnviz.engine.network import Forward, Gradients, Params, backward_prop, forward_prop, one_hot
from nnviz.engine.trainer import Iteration, Trainer
from nnviz.session import Setup

HISTOGRAM_BINS = 40
# Histograms of a fixed sample of the examples: a frame must not cost an iteration. At most this
# many values each (2,048 examples of 64 units; 128 examples at h = 1,024: the shape is as clear).
HISTOGRAM_VALUES = 2048 * 64
# A batch smaller than this says nothing about how the network treats digits in general: its
# histograms and dead units are those of the fixed training examples the divergence check uses.
ENOUGH_EXAMPLES = PROBE_EXAMPLES
# Mini-batch figures are the mean over the batches that cover about this many recent examples.
WINDOW_EXAMPLES = 1000


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
    """How examples flow through the network: Z1, A1 (after ReLU) and A2 (softmax)."""

    Z1: Histogram
    A1_positive: Histogram  # A1 without its zeros, which ReLU makes plentiful
    A1_zero_fraction: float
    dead_units: int  # hidden units that output 0 for every one of the examples
    A2: Histogram
    examples: int  # how many examples these describe
    of_batch: bool  # the next iteration's batch; else a fixed sample of the training set

    @classmethod
    def of(cls, Z1: np.ndarray, A1: np.ndarray, A2: np.ndarray, of_batch: bool = True) -> Activations:
        """Histograms of the first few examples (HISTOGRAM_VALUES); dead units over all of them."""
        sample = slice(0, max(1, HISTOGRAM_VALUES // A1.shape[0]))
        A1_sample = A1[:, sample]
        active = A1_sample > 0
        return cls(
            Z1=Histogram.of(Z1[:, sample]),
            A1_positive=Histogram.of(A1_sample[active]),
            A1_zero_fraction=float(1 - active.mean()),
            dead_units=int(np.sum(A1.max(axis=1) <= 0)),
            A2=Histogram.of(A2[:, sample], (0.0, 1.0)),
            examples=A1.shape[1],
            of_batch=of_batch,
        )

    @classmethod
    def at(cls, trainer: Trainer) -> Activations:
        """Of the next batch if it holds ENOUGH_EXAMPLES, else of the trainer's fixed probe: a unit
        silent for one example is not dead, nor is one example's histogram a distribution."""
        pending = trainer.prepare()
        if pending.batch.labels.size >= min(ENOUGH_EXAMPLES, trainer.train.m):
            fwd = pending.forward
            return cls.of(fwd.Z1, fwd.A1, fwd.A2)
        with np.errstate(all="ignore"):
            fwd = forward_prop(trainer.params, trainer.probe.X)
        return cls.of(fwd.Z1, fwd.A1, fwd.A2, of_batch=False)


@dataclass(frozen=True)
class Example:
    """The example the views follow (the chosen one), through the network at the snapshot's
    parameters: one column of X, computed by the engine's own forward_prop and backward_prop."""

    x: np.ndarray  # (784, 1): pixels / 255, as the network sees them
    label: int | None  # None for a drawn digit, unless the user said which digit it is
    source: str  # "dev", "train" or "drawn"
    index: int | None  # its position in its split
    forward: Forward  # Z1, A1 (h, 1); Z2, A2 (10, 1)
    grads: Gradients | None = None  # its errors dZ2 = A2 - Y (10, 1), dZ1 (h, 1), ...: with a label only

    @classmethod
    def of(cls, params: Params, x: np.ndarray, label: int | None, source: str, index: int | None) -> Example:
        with np.errstate(all="ignore"):  # a diverging run overflows; the views show it as it is
            forward = forward_prop(params, x)
            grads = None if label is None else backward_prop(params, x, one_hot(np.array([label])), forward)
            return cls(x, label, source, index, forward, grads)


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
    activations: Activations  # at the current parameters: of the next batch, or of enough examples
    pending: Iteration  # that next step, computed and not applied: what Step (or the inspector) applies
    history: dict[str, np.ndarray]  # read-only views: History only ever appends
    train_examples: int
    dev_examples: int
    batch_size: int
    run: int = 0  # which run this is: a new one after every reset or new data
    rollbacks: int = 0  # how often this run's history was cut back (a climb undone): curves redraw it
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
    # Time travel: the run's last iteration when this snapshot shows an earlier one, rebuilt (the
    # network, the activations, the example, the evaluation are of `iteration`; the history is the
    # whole run's); None when it shows the run as it stands. `first`: the earliest that can be shown.
    latest: int | None = None
    first: int = 0
    made_at: float = field(default_factory=time.perf_counter)  # when the worker made it (perf_counter)

    @classmethod
    def of(cls, trainer: Trainer, past: Trainer | None = None, **worker_state) -> Snapshot:
        """Everything a frame needs; the pending iteration's forward pass is reused by the next step.
        `past`: the run as it was at an earlier iteration (`Trainer.as_it_was`), to be shown instead."""
        shown = past if past is not None else trainer
        return cls(
            iteration=shown.iteration,
            alpha=shown.alpha,
            # Shared, not copied: the engine never writes into arrays it handed out.
            W1=shown.params.W1,
            W2=shown.params.W2,
            params=shown.params,
            activations=Activations.at(shown),
            pending=shown.prepare(),
            history=trainer.history.views(),
            train_examples=trainer.train.m,
            dev_examples=trainer.dev.m if trainer.dev is not None else 0,
            batch_size=trainer.batch_size,
            divergence=trainer.divergence if past is None else None,
            rollbacks=trainer.rollbacks,
            confusions=trainer.confusions.views(),
            latest=None if past is None else trainer.iteration,
            first=trainer.keyframes.first or 0,
            **worker_state,
        )

    def _shown(self, name: str) -> np.ndarray:
        """A history column up to the iteration shown (all of it, live)."""
        values = self.history[name]
        if self.latest is None:
            return values
        x = self.history["dev_iteration" if name.startswith("dev_") else "iteration"]
        return values[: int(np.searchsorted(x, self.iteration, side="right"))]

    def last(self, name: str) -> float | None:
        values = self._shown(name)
        return float(values[-1]) if values.size else None

    @property
    def mean_window(self) -> int:
        """How many recent batches a training figure averages: those covering about WINDOW_EXAMPLES
        examples (1 with full batches, whose every value is already of every example)."""
        return (
            max(1, round(WINDOW_EXAMPLES / self.batch_size)) if self.batch_size < self.train_examples else 1
        )

    @property
    def window_examples(self) -> int:
        return self.mean_window * self.batch_size

    def windowed(self, name: str) -> float | None:
        """The mean of a training column's last `mean_window` values (non-finite ones left out)."""
        values = self._shown(name)[-self.mean_window :]
        values = values[np.isfinite(values)]
        return float(values.mean()) if values.size else None
