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


@dataclass(frozen=True)
class TileColours:
    background: str
    ink: str  # the digit's strokes
    truth: str  # the bar of the true digit
    other: str  # the bars of the other guesses

    def rgb(self, name: str) -> np.ndarray:
        colour = QColor(getattr(self, name))
        return np.array([colour.red(), colour.green(), colour.blue()], dtype=np.float32)


def bar_centre_y(rank: int) -> float:
    """The middle of bar `rank` (0 = the most probable) within its tile."""
    return BAR_Y + rank * BAR_PITCH + BAR_H / 2


def tile_mosaic(
    X: np.ndarray,
    labels: np.ndarray,
    top_digits: np.ndarray,
    top_probabilities: np.ndarray,
    grid: tuple[int, int],
    colours: TileColours,
) -> np.ndarray:
    """n tiles (X (784, n) in 0-1, labels (n,), top guesses (k, n)) on a grid of (rows, columns),
    left to right then down, as an RGBA uint8 image; places beyond n stay background."""
    rows, columns = grid
    n, k = labels.size, top_digits.shape[0]
    background, ink = colours.rgb("background"), colours.rgb("ink")
    tiles = np.empty((rows * columns, TILE_H, TILE_W, 4), dtype=np.uint8)
    tiles[..., :3] = background
    tiles[..., 3] = 255
    if n:
        pixels = X.T.reshape(n, SIDE, SIDE, 1)
        tiles[:n, LABEL_H : LABEL_H + SIDE, :SIDE, :3] = background + (ink - background) * pixels
        track = background + (ink - background) * 0.1  # the full length, faintly: the scale of a bar
        lengths = np.rint(top_probabilities.T * BAR_LEN).astype(int)  # (n, k)
        filled = np.arange(BAR_LEN) < lengths[..., None]  # (n, k, BAR_LEN)
        is_truth = (labels[:, None] == top_digits.T)[..., None]  # (n, k, 1)
        bar_colours = np.where(is_truth, colours.rgb("truth"), colours.rgb("other")).astype(np.uint8)
        for rank in range(k):
            top = BAR_Y + rank * BAR_PITCH
            bars = tiles[:n, top : top + BAR_H, BAR_X : BAR_X + BAR_LEN, :3]
            bars[:] = track
            np.copyto(bars, bar_colours[:, rank, None, None, :], where=filled[:, rank, None, :, None])
    mosaic = tiles.reshape(rows, columns, TILE_H, TILE_W, 4).transpose(0, 2, 1, 3, 4)
    return mosaic.reshape(rows * TILE_H, columns * TILE_W, 4)
