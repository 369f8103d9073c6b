"""`nnviz predict IMAGE... --checkpoint CKPT`: what a saved network makes of pictures of digits.

Each image (PNG, JPEG, ...: what Qt reads) is prepared as the drawing pad's digits are and as
MNIST's were (nnviz.data.prepare), so a photo of a digit on paper works as well as a scan.
"""

from __future__ import annotations

import json
import os
import sys
from argparse import Namespace
from pathlib import Path

import numpy as np
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QImage, QImageReader

from nnviz.cli import one_line
from nnviz.data.prepare import NoDigit, prepare_digit
from nnviz.engine.checkpoint import load_checkpoint
from nnviz.engine.network import Params, forward_prop
from nnviz.engine.trainer import DTYPE
from nnviz.exit_codes import EXIT_USAGE
from nnviz.files import FileRefused, open_regular

PICTURE_BYTES = 64 * 2**20  # more than any photo of a digit; a larger file is not read
LARGEST_SIDE = 1024  # pixels: a 12-megapixel photo is read at this size (the digit ends up 20 wide)
LUMINANCE = np.array([0.299, 0.587, 0.114], dtype=np.float32)  # ITU-R BT.601, as Qt's own grey


class NotAnImage(Exception):
    """A file Qt cannot decode as an image (or too large to be one); the message says why."""


def run_predict(options: Namespace) -> int:
    params = load_checkpoint(Path(options.checkpoint)).params
    failed = False
    for name in options.images:
        try:
            probabilities = classify(params, read_grey(Path(name)))
        except FileRefused as err:  # its message names the file
            problem = one_line(err)
        except NotAnImage as err:
            problem = f"{name}: {err}"
        except NoDigit:
            problem = f"{name}: no digit in it (the image is blank)"
        else:
            print(json.dumps(_record(name, probabilities)) if options.json else _line(name, probabilities))
            continue
        print(f"nnviz: error: {problem}", file=sys.stderr)
        failed = True
    return EXIT_USAGE if failed else 0


def read_grey(path: Path) -> np.ndarray:
    """The image's grey levels (rows x columns, 0-255); transparent parts count as white paper.

    Read as nnviz reads every file (nnviz.files: a regular file only, never a pipe or a device),
    then decoded from memory by Qt, the format told by the content, not by the name.
    """
    with open_regular(path) as file:
        size = os.fstat(file.fileno()).st_size
        if size > PICTURE_BYTES:
            raise NotAnImage(
                f"{size / 2**20:,.0f} MB, more than a picture of a digit ({PICTURE_BYTES >> 20} MB)"
            )
        data = QByteArray(file.read(PICTURE_BYTES + 1))
    device = QBuffer(data)
    device.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(device)
    reader.setAutoTransform(True)  # a phone photo's EXIF orientation: upright, as it was taken
    image = reader.read()
    if image.isNull():
        raise NotAnImage(f"not an image ({reader.errorString()})")
    if max(image.width(), image.height()) > LARGEST_SIDE:
        image = image.scaled(
            LARGEST_SIDE,
            LARGEST_SIDE,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    image = image.convertToFormat(QImage.Format.Format_RGBA8888)
    rows = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(image.height(), image.bytesPerLine())
    rgba = rows[:, : image.width() * 4].reshape(image.height(), image.width(), 4).astype(np.float32)
    opacity = rgba[..., 3] / 255
    return rgba[..., :3] @ LUMINANCE * opacity + 255 * (1 - opacity)


def classify(params: Params, grey: np.ndarray) -> np.ndarray:
    """The network's probabilities (10,) for the digit in a grey image, prepared as MNIST's were
    (NoDigit for a blank one)."""
    x = prepare_digit(grey).reshape(-1, 1).astype(DTYPE) / DTYPE(
        255
    )  # as the training thread makes a drawn digit
    with np.errstate(all="ignore"):
        return forward_prop(params, x).A2[:, 0]


def _record(name: str, probabilities: np.ndarray) -> dict:
    first, second = np.argsort(-probabilities, kind="stable")[:2]
    return {
        "file": name,
        "prediction": int(first),
        "probability": float(probabilities[first]),
        "runner_up": int(second),
        "probabilities": [round(float(p), 6) for p in probabilities],
    }


def _line(name: str, probabilities: np.ndarray) -> str:
    record = _record(name, probabilities)
    runner_up = record["runner_up"]
    return (
        f"{name}: {record['prediction']} ({record['probability']:.1%}), "
        f"then {runner_up} ({probabilities[runner_up]:.1%})"
    )
