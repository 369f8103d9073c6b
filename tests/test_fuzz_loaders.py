"""Every loader, fed thousands of damaged files: only a valid Dataset or a DataError comes out.

A seeded mutation loop over valid files (so a failure is reproducible from its seed): flipped
bytes, truncations, inserted bytes, rewritten IDX header fields and huge declared counts.
"""

import gzip
import io
import struct
import zipfile

import numpy as np
import pytest
from idx_files import digits, idx_bytes

from nnviz.data import DataError, load_dataset

MUTATIONS_PER_FORMAT = 500
IMAGES, LABELS = digits(12, seed=7)


def valid_files() -> dict[str, dict[str, bytes]]:
    """name -> {file name: content} for one valid example of each format nnviz reads."""
    header = "label," + ",".join(f"pixel{i}" for i in range(784)) + "\n"
    rows = "".join(
        f"{y}," + ",".join(map(str, x.ravel())) + "\n" for x, y in zip(IMAGES, LABELS, strict=True)
    )
    keras, xy = io.BytesIO(), io.BytesIO()
    np.savez(keras, x_train=IMAGES, y_train=LABELS, x_test=IMAGES, y_test=LABELS)
    np.savez_compressed(xy, X=IMAGES.reshape(12, 784), y=LABELS)
    images, labels = idx_bytes(IMAGES), idx_bytes(LABELS)
    return {
        "idx": {"train-images-idx3-ubyte": images, "train-labels-idx1-ubyte": labels},
        "idx.gz": {
            "train-images-idx3-ubyte.gz": gzip.compress(images),
            "train-labels-idx1-ubyte.gz": gzip.compress(labels),
        },
        "csv": {"digits.csv": (header + rows).encode()},
        "csv, no header": {"digits.csv": rows.encode()},
        "npz keras": {"mnist.npz": keras.getvalue()},
        "npz X y": {"digits.npz": xy.getvalue()},
    }


def mutate(content: bytes, rng: np.random.Generator) -> bytes:
    data = bytearray(content)
    kind = rng.integers(6)
    if kind == 0 and data:  # flip a few bytes
        for i in rng.integers(0, len(data), rng.integers(1, 8)):
            data[i] ^= int(rng.integers(1, 256))
    elif kind == 1:  # cut short
        del data[int(rng.integers(0, len(data) + 1)) :]
    elif kind == 2:  # insert random bytes
        at = int(rng.integers(0, len(data) + 1))
        data[at:at] = rng.integers(0, 256, rng.integers(1, 64), dtype=np.uint8).tobytes()
    elif kind == 3 and len(data) >= 16:  # rewrite a header field (IDX: magic, count, rows or cols)
        field = int(rng.integers(0, 4))
        data[4 * field : 4 * field + 4] = struct.pack(
            ">I", int(rng.choice([0, 1, 28, 2051, 2**31 - 1, 10**9]))
        )
    elif kind == 4:  # replace it all with noise
        data = bytearray(rng.integers(0, 256, rng.integers(0, 2000), dtype=np.uint8).tobytes())
    else:  # duplicate a stretch
        start = int(rng.integers(0, len(data) + 1))
        data += data[start : start + int(rng.integers(1, 500))]
    return bytes(data)


@pytest.mark.parametrize("name", list(valid_files()))
def test_damaged_files_give_a_dataset_or_a_data_error_and_write_nothing(tmp_path, name):
    files = valid_files()[name]
    rng = np.random.default_rng(sum(map(ord, name)))  # a fixed seed per format: failures reproduce
    for trial in range(MUTATIONS_PER_FORMAT):
        folder = tmp_path / f"{trial}"
        folder.mkdir()
        victim = sorted(files)[trial % len(files)]
        for file_name, content in files.items():
            (folder / file_name).write_bytes(mutate(content, rng) if file_name == victim else content)
        before = sorted(p.name for p in folder.iterdir())
        target = folder if name.startswith("idx") else folder / victim
        try:
            data = load_dataset(target)
        except DataError as err:
            assert str(err), f"{name} trial {trial}: empty message"
        except (MemoryError, zipfile.LargeZipFile) as err:  # pragma: no cover - the point of the test
            pytest.fail(f"{name} trial {trial}: {type(err).__name__}")
        else:
            assert data.images.dtype == np.uint8 and data.images.shape[1] == 784
            assert data.labels.min() >= 0 and data.labels.max() <= 9 and len(data.labels) == len(data.images)
        assert sorted(p.name for p in folder.iterdir()) == before, f"{name} trial {trial} wrote a file"
