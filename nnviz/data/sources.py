"""From what a user types (--data mnist-5k, mnist, or a path) to a loaded Dataset."""

from __future__ import annotations

from dataclasses import replace
from importlib import resources
from pathlib import Path

from nnviz.data.csv_table import load_csv
from nnviz.data.dataset import DataError, Dataset
from nnviz.data.download import is_downloaded, mnist_dir
from nnviz.data.idx import idx_files, load_idx
from nnviz.data.npz import load_npz
from nnviz.data.parts import check_part, part_name

EMBEDDED = "mnist-5k"  # 5,000 digits shipped inside nnviz: works offline, at once
DOWNLOADED = "mnist"  # the full 70,000, once `nnviz data download mnist` has fetched them
EMBEDDED_FILE = resources.files("nnviz.resources") / "mnist_5k.npz"


def load_dataset(spec: str | Path, part: str = "train") -> Dataset:
    """Load the embedded digits, downloaded MNIST, or a file or directory, as `spec` says.

    A string naming a source is that source; a Path is always a path. `part` picks train or
    test where a source holds both (IDX directories, Keras .npz) and is ignored by single
    files; the embedded digits are a training set only.
    """
    if spec == EMBEDDED:
        return _embedded(part)
    if spec == DOWNLOADED:
        return _downloaded(part)
    return _from_path(Path(spec), part)


def input_files(spec: str | Path, part: str = "train") -> tuple[Path, ...]:
    """The files load_dataset(spec, part) reads, so that no output is ever written over one.

    Raises DataError where load_dataset would (no such file, an IDX file without its partner).
    """
    if spec == EMBEDDED:
        return (Path(str(EMBEDDED_FILE)),)
    if spec == DOWNLOADED:
        return idx_files(mnist_dir(), part) if is_downloaded() else ()
    path = Path(spec)
    return idx_files(path, part) if path.is_dir() or _format(path) == "idx" else (path,)


def _embedded(part: str) -> Dataset:
    if check_part(part) != "train":
        raise DataError(f"{EMBEDDED} has no test part: give a file, or {DOWNLOADED} after downloading it")
    with resources.as_file(EMBEDDED_FILE) as path:
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
    kind = _format(path)
    if kind == "npz":
        return load_npz(path, part)
    if kind == "csv":
        return load_csv(path)
    if kind == "idx":
        return load_idx(path, part)
    raise DataError(f"{path}: unknown format (expected IDX, .csv or .npz)")


def _format(path: Path) -> str | None:
    """The format a file's name says it is in: npz, csv, idx, or None."""
    name = path.name.lower()
    if name.endswith(".npz"):
        return "npz"
    if name.endswith((".csv", ".csv.gz")):
        return "csv"
    return "idx" if "idx" in name else None
