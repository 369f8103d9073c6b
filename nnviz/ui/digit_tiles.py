"""Digits with their top guesses drawn as tiles of one RGBA image, as ConvNetJS shows test digits.

A tile: room for its label on top ("4 → 9", painted as text by the gallery), the digit, and
beside it the network's three most probable digits as bars as long as their probability, green
for the true digit. Only the tiles in sight are drawn, all into one array: thousands of digits
scroll at the cost of the few dozen shown.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtGui import QColor

SIDE = 28
LABEL_H = 10  # above the digit, for its label
GAP = 6  # between tiles
BAR_X = SIDE + 10  # where the bars start (the digit each stands for is painted left of it)
BAR_LEN = 26
BAR_H = 6
BAR_PITCH = 9
BAR_Y = LABEL_H + 3  # the first bar's top
TILE_W = BAR_X + BAR_LEN + GAP
TILE_H = LABEL_H + SIDE + GAP
# One meaning each, in the matrix and the gallery alike, on every palette: Okabe-Ito's bluish green
# and vermillion, told apart by colour-blind eyes too.
RIGHT = "#009e73"  # the diagonal, the true digit's bar
WRONG = "#d55e00"  # the cells off the diagonal, a mistaken tile's label


# The mosaic is first drawn in codes, then coloured through a table: 0-255 are the digit's ink
# (0 the background), then the bar's track, the true digit's bar and the other guesses' bars.
TRACK, TRUTH, OTHER = 256, 257, 258


@dataclass(frozen=True)
class TileColours:
    background: str
    ink: str  # the digit's strokes
    truth: str  # the bar of the true digit
    other: str  # the bars of the other guesses

    def table(self) -> np.ndarray:
        """RGBA (259, 4) uint8 of each code: the ink blended into the background, then the bars."""

        def rgb(name: str) -> np.ndarray:
            colour = QColor(getattr(self, name))
            return np.array([colour.red(), colour.green(), colour.blue()], dtype=float)

        background, ink = rgb("background"), rgb("ink")
        shades = np.linspace(0.0, 1.0, 256)[:, None]
        track = background + (ink - background) * 0.1  # the full length, faintly: the scale of a bar
        table = np.empty((OTHER + 1, 4), dtype=np.uint8)
        table[:, 3] = 255
        table[:TRACK, :3] = np.rint(background + (ink - background) * shades)
        table[TRACK:, :3] = np.rint([track, rgb("truth"), rgb("other")])
        return table


def bar_centre_y(rank: int) -> float:
    """The middle of bar `rank` (0 = the most probable) within its tile."""
    return BAR_Y + rank * BAR_PITCH + BAR_H / 2


def tile_mosaic(
    X: np.ndarray,
    labels: np.ndarray,
    top_digits: np.ndarray,
    top_probabilities: np.ndarray,
    grid: tuple[int, int],
    table: np.ndarray,
) -> np.ndarray:
    """n tiles (X (784, n) in 0-1, labels (n,), top guesses (k, n)) on a grid of (rows, columns),
    left to right then down, as an RGBA uint8 image coloured by `table` (TileColours.table); places
    beyond n stay background. Small integer codes first: a few dozen tiles cost well under a ms."""
    rows, columns = grid
    n, k = labels.size, top_digits.shape[0]
    tiles = np.zeros((rows * columns, TILE_H, TILE_W), dtype=np.uint16)
    if n:
        tiles[:n, LABEL_H : LABEL_H + SIDE, :SIDE] = np.rint(X.T * 255).reshape(n, SIDE, SIDE)
        lengths = np.rint(top_probabilities.T * BAR_LEN)  # (n, k)
        filled = np.arange(BAR_LEN) < lengths[..., None]  # (n, k, BAR_LEN)
        bar = np.where(labels[:, None] == top_digits.T, TRUTH, OTHER)  # (n, k)
        codes = np.where(filled, bar[..., None], TRACK)  # (n, k, BAR_LEN)
        for rank in range(k):
            top = BAR_Y + rank * BAR_PITCH
            tiles[:n, top : top + BAR_H, BAR_X : BAR_X + BAR_LEN] = codes[:, rank, None, :]
    mosaic = tiles.reshape(rows, columns, TILE_H, TILE_W).transpose(0, 2, 1, 3)
    return np.take(table, mosaic.reshape(rows * TILE_H, columns * TILE_W), axis=0)  # 8x table[...]
