"""From what a user types (--data mnist-5k, mnist, or a path) to a loaded Dataset."""

from __future__ import annotations

from dataclasses import replace
from importlib import resources
from pathlib import Path

from nnviz.data.csv_table import load_csv
from nnviz.data.dataset import DataError, Dataset
from nnviz.data.download import is_downloaded, mnist_dir
from nnviz.data.idx import load_idx
from nnviz.data.npz import load_npz
from nnviz.data.parts import part_name

EMBEDDED = "mnist-5k"  # 5,000 digits shipped inside nnviz: works offline, at once
DOWNLOADED = "mnist"  # the full 70,000, once `nnviz data download mnist` has fetched them


def load_dataset(spec: str | Path, part: str = "train") -> Dataset:
    """Load the embedded digits, downloaded MNIST, or a file or directory, as `spec` says.

    A string naming a source is that source; a Path is always a path. `part` picks train or
    test where a source holds both (IDX directories, Keras .npz) and is ignored elsewhere.
    """
    if spec == EMBEDDED:
        return _embedded()
    if spec == DOWNLOADED:
        return _downloaded(part)
    return _from_path(Path(spec), part)


def _embedded() -> Dataset:
    with resources.as_file(resources.files("nnviz.resources") / "mnist_5k.npz") as path:
        return replace(load_npz(path), name=EMBEDDED)


def _downloaded(part: str) -> Dataset:
    if not is_downloaded():
        raise DataError(f"full MNIST is not downloaded yet: run `nnviz data download {DOWNLOADED}`")
    return replace(load_idx(mnist_dir(), part), name=part_name(DOWNLOADED, part))


def _from_path(path: Path, part: str) -> Dataset:
    if not path.exists():
        raise DataError(f"{path}: no such file or directory")
    if path.is_dir():
        return load_idx(path, part)
    name = path.name.lower()
    if name.endswith(".npz"):
        return load_npz(path, part)
    if name.endswith((".csv", ".csv.gz")):
        return load_csv(path)
    if "idx" in name:
        return load_idx(path, part)
    raise DataError(f"{path}: unknown format (expected IDX, .csv or .npz)")
