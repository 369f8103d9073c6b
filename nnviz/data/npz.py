"""Read digits from a numpy .npz archive: Keras's mnist.npz, or plain X and y arrays."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from nnviz.data.dataset import DataError, Dataset, loader, make_dataset
from nnviz.data.parts import check_part, part_name
from nnviz.files import open_regular
from nnviz.npz_archive import ArchiveError, NpzArchive

LAYOUTS = "x_train, y_train, x_test, y_test (as Keras's mnist.npz) or X, y"


@loader
def load_npz(path: Path, part: str = "train") -> Dataset:
    """Load `part` of a Keras-layout archive, or the X, y arrays of any other (part ignored).

    Only those two arrays are read, each checked before it is (see npz_archive); pickle is never
    allowed: loading a pickled array runs code chosen by whoever made the file.
    """
    path = Path(path)
    part = check_part(part)
    try:
        with open_regular(path) as file, NpzArchive(file) as archive:
            keras = (f"x_{part}", f"y_{part}")
            keys = keras if set(keras) <= set(archive.names) else ("X", "y")
            if not set(keys) <= set(archive.names):
                found = ", ".join(archive.names) or "nothing"
                raise DataError(f"{path}: holds {found}; expected arrays {LAYOUTS}")
            images, labels = archive.read(keys[0]), archive.read(keys[1])
    except ArchiveError as err:
        raise DataError(f"{path}: {err}") from None
    name = part_name(path.name, part) if keys == keras else path.name
    return replace(make_dataset(images, labels, str(path)), name=name)
