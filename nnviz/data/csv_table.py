"""Read digits from a CSV table, label first: Kaggle's train.csv and the tutorials' mnist_*.csv."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np

from nnviz.data.dataset import CLASSES, PIXELS, DataError, Dataset, loader, make_dataset
from nnviz.files import open_input

COLUMNS = 1 + PIXELS
ENCODING = "utf-8-sig"  # tolerate the byte-order mark spreadsheet programs write
# A row of 785 numbers, however spelled ("255", "2.55e+02"), is far shorter than this; a longer
# line is not a row of digits, and is refused before it is held in memory.
MAX_LINE = 65_536
BLOCK_ROWS = 2048  # parsed together: numpy's C parser is fast per block, and a block is small
HIGHEST = {"label": CLASSES - 1, "pixel": 255}


@loader
def load_csv(path: Path) -> Dataset:
    """Load a table of rows `label, pixel0, ..., pixel783`, with Kaggle's header line or none.

    Read a block of rows at a time, each kept only as bytes: a table costs little more than
    its digits (785 bytes a row), never the text and a float table besides.
    """
    path = Path(path)
    with open_input(path) as stream, io.TextIOWrapper(stream, encoding=ENCODING) as text:
        try:
            images, labels = _read_rows(path, _lines(path, text))
        except UnicodeDecodeError as err:
            raise DataError(f"{path}: cannot read it as text ({err})") from None
    return replace(make_dataset(images, labels, str(path)), name=path.name)


def _lines(path: Path, text: io.TextIOWrapper) -> Iterator[tuple[int, str]]:
    """(line number, line) for each line that is not blank, none longer than MAX_LINE."""
    number = 0
    while line := text.readline(MAX_LINE + 1):
        number += 1
        if len(line) > MAX_LINE:
            raise DataError(
                f"{path}: line {number} is longer than {MAX_LINE:,} characters; a row of "
                f"{COLUMNS} numbers is far shorter"
            )
        if line.strip():
            yield number, line


def _read_rows(path: Path, lines: Iterator[tuple[int, str]]) -> tuple[np.ndarray, np.ndarray]:
    first = next(lines, None)
    if first is None:
        raise DataError(f"{path}: the file is empty")
    cells = first[1].split(",")
    if len(cells) != COLUMNS:
        hint = " (a Kaggle test.csv, which has no labels?)" if len(cells) == PIXELS else ""
        raise DataError(
            f"{path}: found {len(cells)} columns, expected {COLUMNS} = label + {PIXELS} pixels" + hint
        )
    block = [] if _is_header(cells) else [first]
    images, labels = [], []
    for numbered in lines:
        block.append(numbered)
        if len(block) == BLOCK_ROWS:
            _add_block(path, block, images, labels)
            block = []
    _add_block(path, block, images, labels)
    if not labels:
        return np.empty((0, PIXELS), np.uint8), np.empty(0, np.uint8)
    return np.concatenate(images), np.concatenate(labels)


def _is_header(cells: list[str]) -> bool:
    """Kaggle's `label,pixel0,...`: a first cell that is a word. A row whose label reads "#5" is
    not a header (nor a comment): it is refused as not a number."""
    first = cells[0].strip().strip('"')
    return first[:1].isalpha() and not _is_number(first)


def _add_block(path: Path, block: list[tuple[int, str]], images: list, labels: list) -> None:
    """Parse a block of rows and keep it as uint8, once every value is known to be a digit's."""
    if not block:
        return
    table = _parse(path, block)
    for column, what in ((slice(0, 1), "label"), (slice(1, None), "pixel")):
        _check_values(path, block, table[:, column], what)
    labels.append(table[:, 0].astype(np.uint8))
    images.append(table[:, 1:].astype(np.uint8))


def _parse(path: Path, block: list[tuple[int, str]]) -> np.ndarray:
    """The block as whole numbers (fast), or as float32 where cells are spelled "7.0" or "1e2"."""
    rows = [line for _, line in block]
    for dtype in (np.int16, np.float32):
        try:
            table = np.loadtxt(rows, dtype, delimiter=",", comments=None, ndmin=2)
        except ValueError:
            continue
        if table.shape[1] == COLUMNS:
            return table
        break
    raise DataError(f"{path}: {_first_bad_line(block)}")


def _check_values(path: Path, block: list[tuple[int, str]], values: np.ndarray, what: str) -> None:
    high = HIGHEST[what]
    bad = ~((values >= 0) & (values <= high))  # also true for nan
    if values.dtype.kind == "f":
        bad |= values != np.round(values)
    if bad.any():
        row, column = np.argwhere(bad)[0]
        raise DataError(
            f"{path}: line {block[row][0]}: {what} {values[row, column]:g} is not a whole number "
            f"from 0 to {high}"
        )


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _first_bad_line(block: list[tuple[int, str]]) -> str:
    """Where the block goes wrong, counting lines as an editor does."""
    for number, line in block:
        cells = line.split(",")
        if len(cells) != COLUMNS:
            return f"line {number} has {len(cells)} columns, expected {COLUMNS}"
        bad = next((cell.strip() for cell in cells if not _is_number(cell)), None)
        if bad is not None:
            return f"line {number}: {bad!r} is not a number"
    return f"lines {block[0][0]}-{block[-1][0]} cannot be read as numbers"
