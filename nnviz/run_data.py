"""A run's numbers for a notebook: its metrics as CSV (one row per iteration), its weights as .npy or
CSV. `nnviz train --metrics-csv` and the window's File > Export menu write these same bytes."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from nnviz.files import write_atomically

METRICS_COLUMNS = ("iteration", "alpha", "train_loss", "train_accuracy", "dev_loss", "dev_accuracy")
ARRAY_FORMATS = (".npy", ".csv")


def metrics_csv(history: Mapping[str, np.ndarray]) -> bytes:
    """Every series of `history` (a History, or a snapshot's views of one): one row per iteration,
    the dev columns filled where dev was evaluated."""
    dev = {
        int(i): (f"{loss:.9g}", f"{acc:.9g}")
        for i, loss, acc in zip(
            history["dev_iteration"], history["dev_loss"], history["dev_accuracy"], strict=True
        )
    }
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(METRICS_COLUMNS)
    columns = zip(
        history["iteration"].astype(int),
        history["alpha"],
        history["train_loss"],
        history["train_accuracy"],
        strict=True,
    )
    for iteration, alpha, loss, acc in columns:
        dev_loss, dev_acc = dev.get(iteration, ("", ""))
        writer.writerow([iteration, f"{alpha:.9g}", f"{loss:.9g}", f"{acc:.9g}", dev_loss, dev_acc])
    return text.getvalue().encode()


def write_metrics_csv(path: Path, history: Mapping[str, np.ndarray]) -> None:
    data = metrics_csv(history)
    write_atomically(path, lambda file: file.write(data))


def array_bytes(array: np.ndarray, suffix: str) -> bytes:
    """`array` as a .npy file (exact, no pickle) or as CSV (a row per row, 9 significant digits)."""
    buffer = io.BytesIO()
    if suffix == ".npy":
        np.save(buffer, np.asarray(array), allow_pickle=False)
    elif suffix == ".csv":
        np.savetxt(buffer, np.atleast_2d(array), fmt="%.9g", delimiter=",")
    else:
        raise ValueError(f"no array format {suffix!r}; one of {', '.join(ARRAY_FORMATS)}")
    return buffer.getvalue()


def write_array(path: Path, array: np.ndarray) -> None:
    """`array` into `path`, as its name's ending says (.npy or .csv), written whole."""
    data = array_bytes(array, Path(path).suffix.lower())
    write_atomically(path, lambda file: file.write(data))
