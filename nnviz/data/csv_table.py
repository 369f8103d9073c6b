"""Read digits from a CSV table, label first: Kaggle's train.csv and the tutorials' mnist_*.csv."""

from __future__ import annotations

import gzip
import warnings
from dataclasses import replace
from pathlib import Path
from typing import TextIO

import numpy as np

from nnviz.data.dataset import PIXELS, DataError, Dataset, make_dataset

COLUMNS = 1 + PIXELS
ENCODING = "utf-8-sig"  # tolerate the byte-order mark spreadsheet programs write
READ_ERRORS = (OSError, EOFError, UnicodeDecodeError)  # unreadable, gzip cut short, not text


def load_csv(path: Path) -> Dataset:
    """Load a table of rows `label, pixel0, ..., pixel783`, with Kaggle's header line or none."""
    path = Path(path)
    first = _first_line(path)
    if not first.strip():
        raise DataError(f"{path}: the file is empty")
    cells = first.split(",")
    if len(cells) != COLUMNS:
        hint = " (a Kaggle test.csv, which has no labels?)" if len(cells) == PIXELS else ""
        raise DataError(
            f"{path}: found {len(cells)} columns, expected {COLUMNS} = label + {PIXELS} pixels" + hint
        )
    table = _parse(path, header_lines=0 if _is_number(cells[0]) else 1)
    return replace(make_dataset(table[:, 1:], table[:, 0], str(path)), name=path.name)


def _open(path: Path) -> TextIO:
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding=ENCODING)
    return path.open(encoding=ENCODING)


def _first_line(path: Path) -> str:
    try:
        with _open(path) as lines:
            return lines.readline()
    except READ_ERRORS as err:
        raise DataError(f"{path}: cannot read it as text ({err})") from err


def _parse(path: Path, header_lines: int) -> np.ndarray:
    """The whole table in one pass of numpy's C parser, as float32 (n, 785).

    float32 takes any spelling of a number ("7", "7.0"); make_dataset then rejects fractions
    and values out of range with a clearer message than a parser could give.
    """
    try:
        with warnings.catch_warnings():
            # A header with no rows under it is reported by make_dataset as "no examples".
            warnings.filterwarnings("ignore", "loadtxt: input contained no data")
            table = np.loadtxt(
                path, np.float32, delimiter=",", skiprows=header_lines, ndmin=2, encoding=ENCODING
            )
    except READ_ERRORS as err:
        raise DataError(f"{path}: cannot read it as text ({err})") from err
    except ValueError as err:
        raise DataError(f"{path}: {_first_bad_line(path, header_lines) or err}") from err
    if table.size == 0:
        return table.reshape(0, COLUMNS)  # a header alone: make_dataset says "no examples"
    if table.shape[1] != COLUMNS:  # the header was right, the rows are not
        problem = (
            _first_bad_line(path, header_lines) or f"rows have {table.shape[1]} columns, expected {COLUMNS}"
        )
        raise DataError(f"{path}: {problem}")
    return table


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _first_bad_line(path: Path, header_lines: int) -> str | None:
    """Where the table goes wrong, counting lines as an editor does (numpy's row numbers do not)."""
    with _open(path) as lines:
        for number, line in enumerate(lines, start=1):
            if number <= header_lines or not line.strip():
                continue
            cells = line.split(",")
            if len(cells) != COLUMNS:
                return f"line {number} has {len(cells)} columns, expected {COLUMNS}"
            bad = next((cell.strip() for cell in cells if not _is_number(cell)), None)
            if bad is not None:
                return f"line {number}: {bad!r} is not a number"
    return None
