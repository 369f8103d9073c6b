"""A handwritten digit of any size and polarity made into what the network was trained on.

MNIST's digits were made this way (LeCun et al.): the digit's bounding box scaled to fit a 20x20
box keeping its aspect ratio, anti-aliased to grey levels, then placed in a 28x28 field with its
centre of mass at the centre. The drawing pad and `nnviz predict` both use `prepare_digit`, so a
drawn digit and a photo of one are seen exactly as the network's training digits were.
"""

from __future__ import annotations

import numpy as np

from nnviz.data.dataset import IMAGE_SIDE

CENTRE = IMAGE_SIDE / 2 + 0.5  # where the centre of mass goes: the middle of pixel (14, 14)
BOX = 20  # the longer side of the digit's bounding box, in pixels of the 28x28 field
NOISE = 0.1  # ink below this share of the darkest stroke is paper texture or scanner noise, not ink
FAINTEST = 16  # grey levels: less contrast than this between ink and paper is a blank image


class NoDigit(ValueError):
    """An image with no ink on it: nothing to prepare."""

    def __init__(self) -> None:
        super().__init__("draw a digit first")


def prepare_digit(grey: np.ndarray) -> np.ndarray:
    """(28, 28) float32 ink in 0-255 (0 = paper) from a grey image of any size (rows x columns of
    grey levels 0-255): dark ink on light paper or light ink on dark, any scale, anywhere on the page.

    Raises NoDigit for a blank image.
    """
    ink = ink_of(np.asarray(grey, dtype=np.float32))
    rows, columns = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    ink = ink[rows[0] : rows[-1] + 1, columns[0] : columns[-1] + 1]  # the bounding box
    scale = BOX / max(ink.shape)
    rows_down, columns_across = (
        _area_matrix(ink.shape[axis], scale, _offset(ink, axis, scale)) for axis in (0, 1)
    )
    placed = rows_down @ ink @ columns_across.T
    return (placed * (255 / placed.max())).astype(np.float32)


def _offset(ink: np.ndarray, axis: int, scale: float) -> int:
    """Where the box's first pixel goes along `axis` so that the centre of mass lands on pixel 14.

    MNIST's digits have their centre of mass on pixel (14, 14), whose middle is at 14.5; shifted by
    whole pixels, as MNIST's were, a digit that is already centred stays exactly as it is.
    """
    profile = ink.sum(axis=1 - axis)
    centre = float((profile * (np.arange(profile.size) + 0.5)).sum() / profile.sum())
    return round(CENTRE - centre * scale)


def ink_of(grey: np.ndarray) -> np.ndarray:
    """How much ink each pixel holds, 0 (paper) to 1 (the strongest stroke), whatever the polarity.

    The paper is what the border shows (a digit seldom covers its own frame); ink is what differs
    from it, in the direction away from the paper's side of the grey range.
    """
    if grey.ndim != 2 or min(grey.shape) < 1:
        raise ValueError(f"expected a grey image (rows x columns), got an array of shape {grey.shape}")
    if not np.isfinite(grey).all():
        raise ValueError("the image holds values that are not finite")
    frame = np.concatenate([grey[0], grey[-1], grey[:, 0], grey[:, -1]])
    paper, low, high = float(np.median(frame)), float(grey.min()), float(grey.max())
    if high - low < FAINTEST:
        raise NoDigit()
    light_paper = paper > (low + high) / 2
    ink = np.maximum(paper - grey if light_paper else grey - paper, 0)
    ink /= ink.max()  # at least half the contrast: the paper lies at one end of the range
    ink[ink < NOISE] = 0
    return ink


def _area_matrix(length: int, scale: float, offset: int) -> np.ndarray:
    """(28, length): how much of each of the 28 output pixels input pixel k covers once placed at
    [k * scale + offset, (k + 1) * scale + offset). Multiplying by it on both sides averages the ink
    over each output pixel's area: anti-aliased down-scaling, and exact placement."""
    edges = np.arange(length + 1) * scale + offset
    low, high = edges[:-1], edges[1:]
    pixel = np.arange(IMAGE_SIDE)[:, None]
    return np.clip(np.minimum(high, pixel + 1) - np.maximum(low, pixel), 0, None).astype(np.float32)
