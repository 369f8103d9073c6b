"""Read digits from a numpy .npz archive: Keras's mnist.npz, or plain X and y arrays."""

from __future__ import annotations

import zipfile
from dataclasses import replace
from pathlib import Path

import numpy as np

from nnviz.data.dataset import DataError, Dataset, make_dataset
from nnviz.data.parts import check_part, part_name

LAYOUTS = "x_train, y_train, x_test, y_test (as Keras's mnist.npz) or X, y"


def load_npz(path: Path, part: str = "train") -> Dataset:
    """Load `part` of a Keras-layout archive, or the X, y arrays of any other (part ignored).

    Pickle is never allowed: loading a pickled array runs code chosen by whoever made the file.
    """
    path = Path(path)
    part = check_part(part)
    if not zipfile.is_zipfile(path):
        raise DataError(f"{path}: not an .npz archive (it is not a zip file)")
    try:
        with np.load(path, allow_pickle=False) as archive:
            keras = (f"x_{part}", f"y_{part}")
            keys = keras if set(keras) <= set(archive.files) else ("X", "y")
            if not set(keys) <= set(archive.files):
                found = ", ".join(archive.files) or "nothing"
                raise DataError(f"{path}: holds {found}; expected arrays {LAYOUTS}")
            images, labels = archive[keys[0]], archive[keys[1]]
    except DataError:
        raise
    except Exception as err:
        # numpy's parser of a damaged archive raises almost anything (ValueError, SyntaxError,
        # TokenError, zlib.error...): whatever it is, the file is damaged. numpy names
        # allow_pickle when an array holds Python objects.
        if "allow_pickle" in str(err):
            refused = "needs pickle to load, which nnviz refuses for safety"
            raise DataError(f"{path}: {refused}") from err
        raise DataError(f"{path}: corrupt .npz archive ({type(err).__name__}: {err})") from err
    name = part_name(path.name, part) if keys == keras else path.name
    return replace(make_dataset(images, labels, str(path)), name=name)
