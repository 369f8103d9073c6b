"""Mini-batch runs read well: figures and curves are means over the last ~1,000 digits and say so,
the raw per-batch values stay visible (faint), and activations and dead units are judged on enough
digits. The history keeps the raw values (its columns and the file formats are unchanged)."""

from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import pytest

from nnviz.engine.trainer import TrainConfig, Trainer
from nnviz.ui.envelope import MOST_BLOCKS
from nnviz.ui.look import Look
from nnviz.ui.panels import AccuracyPanel, ActivationsPanel, FiguresBar, LossPanel
from nnviz.ui.panels.curves import faint
from nnviz.ui.trailing_mean import TrailingMean
from nnviz.worker.snapshot import ENOUGH_EXAMPLES, Snapshot


def reference_means(y: np.ndarray, window: int) -> np.ndarray:
    """The definition, one window at a time: the mean of the finite values among the last `window`."""
    means = []
    for i in range(y.size):
        values = y[max(0, i - window + 1) : i + 1]
        values = values[np.isfinite(values)]
        means.append(values.mean() if values.size else np.nan)
    return np.array(means)


@pytest.fixture
def batch_of_one(embedded_examples):
    return Trainer(*embedded_examples, TrainConfig(batch_size=1))


def with_history(snapshot: Snapshot, accuracy: np.ndarray, loss: np.ndarray) -> Snapshot:
    """The snapshot of a run that recorded these per-batch values (dev as at iteration 0)."""
    n = accuracy.size
    history = dict(snapshot.history)
    history.update(iteration=np.arange(n, dtype=float), train_accuracy=accuracy, train_loss=loss,
                   alpha=np.full(n, 0.1))  # fmt: skip
    return replace(snapshot, history=history, iteration=n - 1)


def test_the_trailing_mean_grown_a_frame_at_a_time_is_each_windows_mean():
    rng = np.random.default_rng(0)
    y = rng.random(5_000)
    y[[7, 2_000, 2_001]] = [np.nan, np.inf, np.nan]  # left out of the means, as TensorBoard does
    trailing = TrailingMean(window=300)
    for n in range(0, y.size + 1, 677):
        trailing.of(y[:n])
    np.testing.assert_allclose(trailing.of(y), reference_means(y, 300), rtol=1e-12)
    shorter = rng.random(100)  # not the same series any more: start again
    np.testing.assert_allclose(trailing.of(shorter), reference_means(shorter, 300), rtol=1e-12)


def test_with_batches_of_one_the_big_figures_are_the_mean_of_the_last_1000_digits(qtbot, batch_of_one):
    """Batch 1 once showed 'Train accuracy 0.0 %' whenever the last single digit was wrong."""
    n = 3_000
    accuracy = np.tile([1.0, 1.0, 0.0], n // 3)  # two of three right; the last one wrong
    loss = np.tile([0.2, 0.4, 3.0], n // 3)
    snapshot = with_history(Snapshot.of(batch_of_one), accuracy, loss)
    figures = FiguresBar()
    qtbot.addWidget(figures)
    figures.show_snapshot(snapshot)
    assert snapshot.mean_window == 1000 and snapshot.window_examples == 1000
    assert figures.values["train_accuracy"].text() == f"{accuracy[-1000:].mean():.1%}"  # 66.6%, not 0.0%
    assert figures.values["train_loss"].text() == f"{loss[-1000:].mean():.4f}"
    assert "mean of last 1,000" in figures.captions["train_accuracy"].text()
    assert "1,000 batches of 1" in figures.values["train_accuracy"].toolTip()
    assert figures.captions["dev_accuracy"].text() == "Dev accuracy"  # measured on the whole dev set


def test_full_batch_figures_are_the_values_themselves(qtbot, embedded_examples):
    snapshot = Snapshot.of(Trainer(*embedded_examples, TrainConfig()))
    figures = FiguresBar()
    qtbot.addWidget(figures)
    figures.show_snapshot(snapshot)
    assert snapshot.mean_window == 1
    assert figures.values["train_loss"].text() == f"{snapshot.last('train_loss'):.4f}"
    assert figures.captions["train_loss"].text() == "Train loss"
    assert "every training example" in figures.values["train_loss"].toolTip()


def test_a_batch_large_enough_to_stand_alone_is_called_a_batch_not_every_example(qtbot, embedded_examples):
    snapshot = Snapshot.of(Trainer(*embedded_examples, TrainConfig(batch_size=2500)))  # of 4,000
    figures = FiguresBar()
    qtbot.addWidget(figures)
    figures.show_snapshot(snapshot)
    assert snapshot.mean_window == 1 and figures.captions["train_loss"].text() == "Train loss"
    assert "next batch of 2,500" in figures.values["train_loss"].toolTip()


def test_a_batch_of_one_curve_is_its_trailing_mean_over_the_faint_raw_values(qtbot, batch_of_one):
    accuracy = (np.random.default_rng(1).random(2_500) < 0.7).astype(float)  # 0 or 1 each iteration
    snapshot = with_history(Snapshot.of(batch_of_one), accuracy, 1 - accuracy)
    panel = AccuracyPanel()
    qtbot.addWidget(panel)
    panel.apply_look(Look())
    panel.show_snapshot(snapshot)
    mean = panel.means["train_accuracy"]
    assert mean.isVisible()
    np.testing.assert_allclose(mean.getOriginalDataset()[1], reference_means(accuracy, 1000), rtol=1e-12)
    np.testing.assert_array_equal(panel.curves["train_accuracy"].getOriginalDataset()[1], accuracy)
    raw_pen = panel.curves["train_accuracy"].opts["pen"]
    assert raw_pen.color() == faint(Look().palette.train, Look().palette.background) and raw_pen.widthF() == 1
    assert [label.text for _, label in panel.legend.items] == ["train, mean of last 1,000", "dev"]
    assert "mean over the last 1,000 digits" in panel.caption.full_text
    assert "mean of last 1,000: " in panel.hover_lines(2_000)[0]


def test_a_loss_axis_fits_the_mean_not_single_batches_spikes(qtbot, batch_of_one):
    loss = np.full(3_000, 0.5)
    loss[1::97] = 12.0  # a confidently wrong single digit now and then, from the first on
    loss[0] = np.log(10)  # the blind guess at iteration 0
    snapshot = with_history(Snapshot.of(batch_of_one), np.ones(3_000), loss)
    panel = LossPanel()
    qtbot.addWidget(panel)
    panel.show_snapshot(snapshot)
    _, (_, top) = panel.plot.vb.viewRange()
    assert 2.3 < top < 4  # the mean and the dev loss (2.3 at iteration 0), not 12 nor the first means


def test_a_million_batch_run_costs_a_frame_no_more_than_a_short_one(qtbot):
    """Both curves of a mini-batch run, the raw and the mean, go as envelopes over the whole run."""
    panel = AccuracyPanel()
    qtbot.addWidget(panel)
    n = 1_000_000
    x, accuracy = np.arange(n, dtype=float), np.random.default_rng(0).random(n)
    history = {"iteration": x, "train_accuracy": accuracy, "dev_iteration": x[::1000],
               "dev_accuracy": accuracy[::1000]}  # fmt: skip
    snapshot = SimpleNamespace(run=0, history=history, iteration=n - 1, divergence=None, rollbacks=0,
                               mean_window=16, window_examples=1024, latest=None)  # fmt: skip
    panel.plot.setXRange(0, n, padding=0)
    panel.show_snapshot(snapshot)
    bound = 2 * MOST_BLOCKS + n // MOST_BLOCKS
    assert panel.means["train_accuracy"].getOriginalDataset()[0].size <= bound
    assert panel.curves["train_accuracy"].getOriginalDataset()[0].size <= bound


def test_with_small_batches_activations_and_dead_units_are_of_512_fixed_digits(qtbot, batch_of_one):
    """Judged on one digit, 'dead' meant silent for that digit: 10/10 dead in red on a fresh network."""
    silent_for_the_batch = int(np.sum(batch_of_one.prepare().forward.A1.max(axis=1) <= 0))
    assert silent_for_the_batch > 0  # what the panel used to call dead
    acts = Snapshot.of(batch_of_one).activations
    assert not acts.of_batch and acts.examples == ENOUGH_EXAMPLES
    assert acts.dead_units == 0 and acts.Z1.counts.sum() == ENOUGH_EXAMPLES * 10
    panel = ActivationsPanel()
    qtbot.addWidget(panel)
    panel.show_snapshot(Snapshot.of(batch_of_one))
    assert panel.title.full_text == "Activations of 512 fixed training digits"
    assert panel.dead_text.toPlainText() == ""


def test_large_batches_are_described_by_themselves(embedded_examples):
    trainer = Trainer(*embedded_examples, TrainConfig(batch_size=600))
    acts = Snapshot.of(trainer).activations
    assert acts.of_batch and acts.examples == 600


def test_alpha_halved_from_100_reads_as_three_figures_whole(qtbot, embedded_examples):
    figures = FiguresBar()
    qtbot.addWidget(figures)
    figures.show_snapshot(replace(Snapshot.of(Trainer(*embedded_examples, TrainConfig())), alpha=100 / 2**10))
    shown = figures.values["alpha"]
    assert shown.text() == "0.0977"  # the exact 0.09765625 is in the alpha field
    assert shown.fontMetrics().horizontalAdvance(shown.text()) <= shown.width()
