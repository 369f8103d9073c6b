"""The run's numbers for a notebook: File > Export metrics as CSV round-trips to the history (and is
the very file `nnviz train --metrics-csv` writes for the same run); W1/W2 as .npy (exact) or CSV."""

from __future__ import annotations

import csv

import numpy as np
import pytest
from driving import run_to
from PySide6.QtWidgets import QFileDialog, QInputDialog
from test_cli import run

from nnviz.run_data import METRICS_COLUMNS, array_bytes


@pytest.fixture
def answers(monkeypatch):
    """The dialogs answered as `answers` says: the file (and its format), and which array."""
    given = {"path": "", "format": "", "array": "W1"}
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: (given["path"], given["format"]))
    monkeypatch.setattr(QInputDialog, "getItem", lambda *args: (given["array"], True))
    return given


def test_the_metrics_csv_round_trips_to_the_history(qtbot, window, answers, tmp_path):
    history = run_to(qtbot, window, 25).history
    answers.update(path=str(tmp_path / "metrics"), format="CSV (*.csv)")
    assert window.exports.export_metrics() == tmp_path / "metrics.csv"
    with (tmp_path / "metrics.csv").open() as file:
        rows = list(csv.DictReader(file))
    assert tuple(rows[0]) == METRICS_COLUMNS
    assert [int(row["iteration"]) for row in rows] == list(range(26)) == history["iteration"].tolist()
    for column in ("alpha", "train_loss", "train_accuracy"):
        np.testing.assert_allclose([float(row[column]) for row in rows], history[column], rtol=1e-8)
    dev = [row for row in rows if row["dev_loss"]]
    assert [int(row["iteration"]) for row in dev] == history["dev_iteration"].tolist() == [0, 10, 20]
    for column in ("dev_loss", "dev_accuracy"):
        np.testing.assert_allclose([float(row[column]) for row in dev], history[column], rtol=1e-8)


def test_the_window_and_nnviz_train_write_the_same_metrics_file(qtbot, window, answers, tmp_path, capsys):
    """One code for both: the same run (defaults, seed 0) gives the same bytes."""
    run(capsys, "train", "--iterations", "15", "--metrics-csv", tmp_path / "cli.csv", "--quiet")
    run_to(qtbot, window, 15)
    answers.update(path=str(tmp_path / "window.csv"), format="CSV (*.csv)")
    window.exports.export_metrics()
    assert (tmp_path / "window.csv").read_bytes() == (tmp_path / "cli.csv").read_bytes()


def test_w1_as_npy_is_exact_and_w2_as_csv_has_its_shape(qtbot, window, answers, tmp_path):
    params = run_to(qtbot, window, 5).params
    answers.update(path=str(tmp_path / "filters"), format="NumPy array (*.npy)", array="W1")
    assert window.exports.export_weights() == tmp_path / "filters.npy"
    np.testing.assert_array_equal(np.load(tmp_path / "filters.npy", allow_pickle=False), params.W1)
    answers.update(path=str(tmp_path / "votes.csv"), format="NumPy array (*.npy)", array="W2")
    assert window.exports.export_weights() == tmp_path / "votes.csv"  # the name's ending wins
    W2 = np.loadtxt(tmp_path / "votes.csv", delimiter=",")
    assert W2.shape == params.W2.shape == (10, 10)
    np.testing.assert_allclose(W2, params.W2, rtol=1e-8)


def test_a_bias_column_is_written_as_rows_a_notebook_reads_back():
    b1 = np.arange(3.0).reshape(3, 1) / 7
    np.testing.assert_allclose(
        np.loadtxt(array_bytes(b1, ".csv").decode().splitlines(), delimiter=","), b1[:, 0]
    )
    with pytest.raises(ValueError, match="no array format"):
        array_bytes(b1, ".xlsx")
