"""Gradient descent over a training split: batches, iterations, evaluation and history.

An iteration is computed (`prepare`) and then applied (`apply`) in two steps, so that
everything it computed (Z1 ... dW1) can be looked at before the update happens, and what
is applied is exactly what was looked at. `step` does both.

The engine never writes into an array once it has handed it out (an update makes new
parameter arrays), so an Iteration or Params can be read from another thread without a copy.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np

from nnviz.engine.confusions import ConfusionHistory
from nnviz.engine.divergence import (
    BLIND_GUESS,
    EXPLOSION,
    PROBE_EXAMPLES,
    RECENT,
    Divergence,
    exploded,
    finite,
    start_of_climb,
)
from nnviz.engine.evaluation import Evaluation
from nnviz.engine.history import History
from nnviz.engine.keyframes import REPLAYED_BUDGET, Keyframes, replay
from nnviz.engine.network import (
    INITS,
    Forward,
    Gradients,
    Init,
    Params,
    accuracy,
    backward_prop,
    cross_entropy,
    forward_prop,
    init_params,
    one_hot,
    update_params,
)

DTYPE = np.float32
# What the engine accepts; the CLI, the window's fields and checkpoints all check against these.
HIDDEN_RANGE = (1, 1024)
ALPHA_RANGE = (1e-5, 1e4)
SEED_RANGE = (0, 2**31 - 1)
BATCH_SIZE_RANGE = (1, 1_000_000)  # more than any data set here: the batch is then the whole set
EVAL_EVERY_RANGE = (1, 100_000)


@dataclass(frozen=True)
class TrainConfig:
    hidden: int = 10
    alpha: float = 0.1
    batch_size: int | None = None  # None: full batch, every training example each iteration
    init: Init = "he"
    seed: int = 0
    eval_every: int = 10

    def __post_init__(self) -> None:
        """Refuse settings the engine cannot take, with the field's name (ValueError)."""
        checks = {
            "hidden": HIDDEN_RANGE[0] <= self.hidden <= HIDDEN_RANGE[1],
            "alpha": math.isfinite(self.alpha) and ALPHA_RANGE[0] <= self.alpha <= ALPHA_RANGE[1],
            "batch_size": self.batch_size is None
            or BATCH_SIZE_RANGE[0] <= self.batch_size <= BATCH_SIZE_RANGE[1],
            "init": self.init in INITS,
            "seed": SEED_RANGE[0] <= self.seed <= SEED_RANGE[1],
            "eval_every": EVAL_EVERY_RANGE[0] <= self.eval_every <= EVAL_EVERY_RANGE[1],
        }
        for name, ok in checks.items():
            if not ok:
                raise ValueError(f"{name} = {getattr(self, name)!r} is out of range")


@dataclass(frozen=True)
class Examples:
    """Examples as the network sees them: X (784, n) = pixels / 255, one column per example.

    X is stored in that very layout, C order (each pixel's row contiguous): BLAS computes both
    W1 X and dZ1 X^T about 10% faster from it than from the transpose of per-example rows.
    """

    X: np.ndarray = field(repr=False)
    labels: np.ndarray

    @classmethod
    def from_pixels(cls, images: np.ndarray, labels: np.ndarray) -> Examples:
        X = np.empty((images.shape[1], images.shape[0]), dtype=DTYPE)
        np.divide(images.T, DTYPE(255), out=X)
        return cls(X, np.asarray(labels, dtype=np.int64))

    @property
    def m(self) -> int:
        return self.labels.size

    def take(self, index: np.ndarray) -> Examples:
        return Examples(self.X[:, index], self.labels[index])


@dataclass(frozen=True)
class Batch:
    X: np.ndarray
    Y: np.ndarray
    labels: np.ndarray
    index: np.ndarray  # positions of these examples in the training split


@dataclass(frozen=True)
class Iteration:
    """One gradient step, computed and not yet applied: the values of every equation."""

    number: int  # the iteration count once this one is applied (1 for the first)
    params: Params  # before the update
    batch: Batch
    forward: Forward
    grads: Gradients
    loss: float
    accuracy: float


@dataclass(frozen=True)
class Kept:
    """A recent state, to go back to if the loss climbs out of control from here."""

    iteration: int
    params: Params
    loss: float | None  # on the examples updates are judged on, if known already (full batch)


class Trainer:
    """Owns the parameters and the iteration counter; the only place an update happens."""

    def __init__(
        self,
        train: Examples,
        dev: Examples | None,
        config: TrainConfig,
        *,
        params: Params | None = None,
        iteration: int = 0,
        history: History | None = None,
        keyframes: Keyframes | None = None,
    ) -> None:
        self.train, self.dev, self.config = train, dev, config
        self.alpha = config.alpha
        self.params = (
            params
            if params is not None
            else init_params(config.hidden, config.init, np.random.default_rng(config.seed), DTYPE)
        )
        self.iteration = iteration
        self.history = history if history is not None else History()
        self._pending: Iteration | None = None
        self.divergence: Divergence | None = None  # the last update undone, until one succeeds
        self._epoch_order: tuple[int, np.ndarray] | None = None
        self._full_batch: Batch | None = None
        self._recent: deque[Kept] = deque(maxlen=RECENT)
        self.rollbacks = 0  # how many times the history was cut back to restored parameters
        self.confusions = ConfusionHistory()  # dev's, at each evaluation (not saved in checkpoints)
        self.dev_evaluation: Evaluation | None = None  # the last one, with every example's guesses
        self.keyframes = keyframes if keyframes is not None else Keyframes()
        self._replayed: dict[int, Params] = {}  # states the last replay passed through (see rebuild)
        self.keyframes.offer(self.iteration, self.params)
        if len(self.history) == 0:
            self._record()  # the starting point, iteration 0: the loss of a blind guess
        elif self.dev is not None:  # resumed: where the run stands, without recording it twice
            self.dev_evaluation = self.evaluation(self.dev)
        self._keep()

    @property
    def batch_size(self) -> int:
        return min(self.config.batch_size or self.train.m, self.train.m)

    @property
    def full_batch(self) -> bool:
        return self.batch_size == self.train.m

    @cached_property
    def probe(self) -> Examples:
        """The fixed training examples mini-batch updates are judged on (see divergence.py)."""
        return self.train.take(np.arange(min(PROBE_EXAMPLES, self.train.m)))

    def batch_for(self, iteration: int) -> Batch:
        """Examples of the iteration that follows `iteration` applied ones.

        Mini-batches walk a fresh shuffled order each epoch; the order of epoch e is drawn
        from (seed, e) alone, so a run resumed at any iteration sees the same batches.
        """
        if self.full_batch:
            if self._full_batch is None:
                index = np.arange(self.train.m)
                self._full_batch = Batch(
                    self.train.X, one_hot(self.train.labels, DTYPE), self.train.labels, index
                )
            return self._full_batch
        per_epoch = -(-self.train.m // self.batch_size)
        epoch, k = divmod(iteration, per_epoch)
        if self._epoch_order is None or self._epoch_order[0] != epoch:
            order = np.random.default_rng([self.config.seed, epoch]).permutation(self.train.m)
            self._epoch_order = (epoch, order)
        index = self._epoch_order[1][k * self.batch_size : (k + 1) * self.batch_size]
        chosen = self.train.take(index)
        return Batch(chosen.X, one_hot(chosen.labels, DTYPE), chosen.labels, index)

    def prepare(self) -> Iteration:
        """Compute the next iteration (once: asking again returns the same one)."""
        if self._pending is None:
            self._pending = self._compute(self.params, self.iteration)
        return self._pending

    def _compute(self, params: Params, iteration: int) -> Iteration:
        batch = self.batch_for(iteration)
        with np.errstate(all="ignore"):  # a diverging run overflows; check_update says so in words
            fwd = forward_prop(params, batch.X)
            # Read A2 now, while it is in cache: dW1's product streams all of X through it.
            loss, correct = cross_entropy(fwd.A2, fwd.Z2, batch.labels), accuracy(fwd.A2, batch.labels)
            grads = backward_prop(params, batch.X, batch.Y, fwd)
        return Iteration(iteration + 1, params, batch, fwd, grads, loss, correct)

    def apply(self, it: Iteration) -> bool:
        """W := W - alpha dW with the alpha in force now, then record where that leaves us.

        An update that makes the run diverge or kills the network is undone instead, with the
        climb that led up to it (`_go_back`); `divergence` says what happened and what is in force
        now, and False is returned.
        """
        if it is not self._pending:
            raise ValueError("only the iteration prepared from the current state can be applied")
        with np.errstate(all="ignore"):
            params = update_params(it.params, it.grads, self.alpha)
        upcoming = self._compute(params, it.number)
        kind, loss_before, loss_after = self._check(it, params, upcoming)
        if kind is not None:
            self.divergence = self._go_back(kind, it.number, loss_before, loss_after)
            return False
        self.params, self.iteration, self._pending = params, it.number, upcoming
        self.divergence = None
        self.keyframes.offer(self.iteration, params)
        self._record()
        self._keep()
        return True

    def _check(self, it: Iteration, params: Params, upcoming: Iteration) -> tuple[str | None, float, float]:
        """Did the update from `it` to `params` diverge or kill the network? (see divergence.py)

        Cheap when all is well: the next iteration, computed anyway, is looked at first; only if it
        looks wrong is the loss before and after the update measured on the same examples.
        """
        broken = not finite(params)
        suspect_loss = not upcoming.loss <= EXPLOSION * BLIND_GUESS  # also true for nan
        # A dead network gives no gradient to W1: look at its 7,840 numbers, not A1's h*m.
        suspect_dead = not upcoming.grads.dW1.any() and not upcoming.forward.A1.any()
        if not (broken or suspect_loss or suspect_dead):
            return None, it.loss, upcoming.loss
        if upcoming.batch is it.batch:  # full batch: the same examples, already computed
            before, after = it.loss, upcoming.loss
            alive_before, alive_after = bool(it.forward.A1.any()), not suspect_dead
        else:
            before, alive_before = self._probe(it.params)
            after, alive_after = self._probe(params)
        if broken or exploded(before, after):
            return "diverged", before, after
        if alive_before and not alive_after:
            return "dead", before, after
        return None, before, after

    def _probe(self, params: Params) -> tuple[float, bool]:
        """Loss on the probe examples, and whether any hidden unit fires for any of them."""
        with np.errstate(all="ignore"):
            fwd = forward_prop(params, self.probe.X)
            return cross_entropy(fwd.A2, fwd.Z2, self.probe.labels), bool(fwd.A1.any())

    def _keep(self) -> None:
        """Remember the current state; with full batches its judged loss is the recorded one."""
        loss = self.prepare().loss if self.full_batch else None
        self._recent.append(Kept(self.iteration, self.params, loss))

    def _go_back(self, kind: str, caught: int, loss_before: float, loss_after: float) -> Divergence:
        """Restore the last good parameters: for a divergence, those from before the loss began to
        climb (each kept state judged on the same examples as the caught update); for a dead
        network, those before the update."""
        states = list(self._recent) if kind == "diverged" else [self._recent[-1]]
        losses = [self._judged_loss(state) for state in states[:-1]] + [loss_before, loss_after]
        start = start_of_climb(losses)
        if states[start].iteration != self.iteration:
            self._restore(states[start])
        examples = self.train.m if self.full_batch else self.probe.m
        return Divergence(
            kind, caught, self.alpha, self.iteration, tuple(losses[start:]), examples, self.full_batch
        )

    def _judged_loss(self, state: Kept) -> float:
        return state.loss if state.loss is not None else self._probe(state.params)[0]

    def _restore(self, state: Kept) -> None:
        """Back to a kept state: the parameters, the counter and the history go back together, so
        that all three agree (and a checkpoint saved now resumes exactly)."""
        self._cut_back(state.iteration, state.params)
        self.rollbacks += 1

    def _cut_back(self, iteration: int, params: Params) -> None:
        """Make `params`, after `iteration` updates, the current state, and forget everything after."""
        while self._recent and self._recent[-1].iteration > iteration:
            self._recent.pop()
        self.params, self.iteration, self._pending = params, iteration, None
        self.history.roll_back(iteration)
        self.confusions.roll_back(iteration)
        self.keyframes.roll_back(iteration)
        self._replayed = {}
        if self.dev is not None:  # the evaluation shown is of the parameters in force again
            self.dev_evaluation = self.evaluation(self.dev)
        if not self._recent:
            self._keep()

    def rebuild(self, iteration: int, near: tuple[int, Params] | None = None) -> Params:
        """The parameters as they were after `iteration` updates of this run, bit-identical: replayed
        from the nearest keyframe before it with the batches and alphas of the original updates (or
        from `near`, a state of this run rebuilt already, when it is nearer: stepping through the past).
        ValueError for an iteration the run has not reached or no longer keeps a keyframe before."""
        if not 0 <= iteration <= self.iteration:
            raise ValueError(f"iteration {iteration} is not in this run (0 to {self.iteration})")
        if iteration == self.iteration:
            return self.params
        if iteration in self._replayed:
            return self._replayed[iteration]
        start, params = self.keyframes.at_or_before(iteration)
        candidates = [(k, p) for k, p in self._replayed.items() if k <= iteration]
        for k, p in [*candidates, *([near] if near is not None else [])]:
            if start <= k <= iteration:
                start, params = k, p
        steps, alphas = self.history["iteration"], self.history["alpha"]
        first = int(steps[0])

        def batch_for(k: int) -> tuple[np.ndarray, np.ndarray]:
            batch = self.batch_for(k)
            return batch.X, batch.Y

        kept = max(1, REPLAYED_BUDGET // max(1, self.keyframes.frame_bytes))
        replayed: dict[int, Params] = {}

        def seen(k: int, state: Params) -> None:
            if k > iteration - kept:  # the states nearest the end: where stepping back goes first
                replayed[k] = state

        params = replay(params, start, iteration, batch_for, lambda k: float(alphas[k - first]), seen)
        if replayed:
            self._replayed = replayed
        return params

    def as_it_was(self, iteration: int, near: Trainer | None = None) -> Trainer:
        """This run as it stood after `iteration` updates, to look at: a Trainer on the same examples
        with the parameters rebuilt, the alpha then in force, and the history of that one iteration.
        This run is not changed (to continue from there, `rewind`)."""
        hint = (near.iteration, near.params) if near is not None else None
        params = self.rebuild(iteration, hint)
        at = iteration - int(self.history["iteration"][0])
        history = History.from_arrays(
            {
                name: self.history[name][at : at + 1]
                for name in ("iteration", "train_loss", "train_accuracy", "alpha")
            }
            | {name: np.empty(0) for name in ("dev_iteration", "dev_loss", "dev_accuracy")}
        )
        config = replace(self.config, alpha=self.alpha_at(iteration))
        return Trainer(self.train, self.dev, config, params=params, iteration=iteration, history=history)

    def alpha_at(self, iteration: int) -> float:
        """The alpha of the update that led to `iteration` (at 0: the run's first alpha)."""
        steps = self.history["iteration"]
        return float(self.history["alpha"][iteration - int(steps[0])])

    def rewind(self, iteration: int, alpha: float | None = None, params: Params | None = None) -> None:
        """Go back to `iteration` and continue from there (with `alpha`, else the alpha in force
        then): everything the run did after it is forgotten, as if it had never happened. `params`:
        those of `iteration`, if rebuilt already (`as_it_was`)."""
        params = self.rebuild(iteration) if params is None else params
        alpha = self.alpha_at(iteration) if alpha is None else float(alpha)
        self._cut_back(iteration, params)
        self.alpha, self.divergence = alpha, None
        self.rollbacks += 1

    def _record(self) -> None:
        """Metrics at the current parameters, all at x = iteration: train loss and accuracy from the
        next iteration's forward pass (computed now, used by the next step), dev every K iterations."""
        upcoming = self.prepare()
        self.history.record_step(self.iteration, upcoming.loss, upcoming.accuracy, self.alpha)
        if self.dev is not None and self.iteration % self.config.eval_every == 0:
            evaluation = self.dev_evaluation = self.evaluation(self.dev)
            self.history.record_eval(self.iteration, evaluation.loss, evaluation.accuracy)
            self.confusions.record(self.iteration, evaluation.confusion)

    def step(self) -> Iteration:
        it = self.prepare()
        self.apply(it)
        return it

    def set_alpha(self, alpha: float) -> None:
        """Takes effect at the next `apply`; a prepared iteration does not depend on alpha."""
        self.alpha = float(alpha)

    def evaluate(self, examples: Examples) -> tuple[float, float]:
        """(mean cross-entropy, accuracy) of the current parameters on `examples`."""
        evaluation = self.evaluation(examples)
        return evaluation.loss, evaluation.accuracy

    def evaluation(self, examples: Examples) -> Evaluation:
        """The current parameters on every one of `examples`: loss, accuracy, confusion, guesses.

        The whole training set with full batches costs no forward pass: the next iteration has
        made it already, at these very parameters.
        """
        if examples is self.train and self.batch_size == self.train.m:
            fwd = self.prepare().forward
        else:
            with np.errstate(all="ignore"):
                fwd = forward_prop(self.params, examples.X)
        with np.errstate(all="ignore"):
            return Evaluation.of(fwd.A2, fwd.Z2, examples.X, examples.labels, self.iteration)
