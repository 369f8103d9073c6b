"""What each loader accepts, and how it refuses what it cannot use (always naming the file)."""

from __future__ import annotations

import gzip
import re
import struct
from pathlib import Path

import numpy as np
import pytest
from idx_files import digits, idx_bytes, write_broken_pair, write_idx, write_pair

from nnviz.data import EMBEDDED, DataError, load_dataset
from nnviz.data.csv_table import load_csv
from nnviz.data.idx import load_idx
from nnviz.data.npz import load_npz
from nnviz.data.parts import check_part

IMAGES, LABELS = digits(20)
HEADER = "label," + ",".join(f"pixel{i}" for i in range(784)) + "\n"


def assert_same_digits(data, images=IMAGES, labels=LABELS):
    assert data.images.dtype == np.uint8 and data.images.shape == (len(images), 784)
    assert data.labels.dtype == np.int64
    np.testing.assert_array_equal(data.images, images.reshape(len(images), 784))
    np.testing.assert_array_equal(data.labels, labels)


def raises_naming(path: Path, fragment: str):
    """pytest.raises for a DataError that names `path` and says `fragment`."""
    return pytest.raises(DataError, match=f"{re.escape(path.name)}.*{re.escape(fragment)}")


# IDX


@pytest.mark.parametrize("gz", [False, True], ids=["raw", "gz"])
@pytest.mark.parametrize("dotted", [False, True], ids=["dashed", "dotted"])
def test_idx_directory_round_trips_raw_or_gz_in_either_spelling(tmp_path, gz, dotted):
    write_pair(tmp_path, IMAGES, LABELS, gz=gz, dotted=dotted)
    assert_same_digits(load_idx(tmp_path))


@pytest.mark.parametrize("part", ["test", "t10k"])
def test_idx_directory_test_part_reads_the_t10k_files(tmp_path, part):
    write_pair(tmp_path, IMAGES, LABELS, prefix="train")
    test_images, test_labels = digits(10, seed=1)
    write_pair(tmp_path, test_images, test_labels, prefix="t10k", gz=True)
    assert_same_digits(load_idx(tmp_path, part), test_images, test_labels)


@pytest.mark.parametrize("gz", [False, True], ids=["raw", "gz"])
@pytest.mark.parametrize("dotted", [False, True], ids=["dashed", "dotted"])
@pytest.mark.parametrize("given", ["images", "labels"])
def test_idx_either_file_of_a_pair_finds_its_partner_beside_it(tmp_path, gz, dotted, given):
    images_path, labels_path = write_pair(tmp_path, IMAGES, LABELS, gz=gz, dotted=dotted)
    data = load_idx(images_path if given == "images" else labels_path)
    assert_same_digits(data)


def test_idx_partner_may_be_compressed_when_the_given_file_is_not(tmp_path):
    images_path = write_idx(tmp_path / "train-images-idx3-ubyte", IMAGES)
    write_idx(tmp_path / "train-labels-idx1-ubyte.gz", LABELS)
    assert_same_digits(load_idx(images_path))


def test_idx_names_are_short_enough_for_a_status_bar(tmp_path):
    directory = tmp_path / "digits"
    directory.mkdir()
    images_path, _ = write_pair(directory, IMAGES, LABELS)
    write_pair(directory, IMAGES, LABELS, prefix="t10k")
    assert load_idx(directory).name == "digits"
    assert load_idx(directory, "test").name == "digits (test)"
    assert load_idx(images_path).name == "train-images-idx3-ubyte"


GOOD = {"images": idx_bytes(IMAGES), "labels": idx_bytes(LABELS)}
BAD_IDX = {
    "wrong magic": (
        "images",
        struct.pack(">I", 2049) + GOOD["images"][4:],
        "magic number is 2049 (0x00000801), expected 2051 (0x00000803)",
    ),
    "truncated": (
        "images",
        GOOD["images"][:-100],
        "truncated: the header declares 20 images, which need 15696 bytes, but the file has 15596",
    ),
    "trailing bytes": ("labels", GOOD["labels"] + b"\0\0\0", "3 unexpected bytes after the 20"),
    "not 28x28": ("images", idx_bytes(np.zeros((20, 32, 32))), "images are 32x32, expected 28x28"),
    "label above 9": (
        "labels",
        idx_bytes(np.where(LABELS == 3, 12, LABELS)),
        "label values run from 0 to 12, expected 0-9",
    ),
    "counts differ": ("labels", idx_bytes(LABELS[:19]), "20 images but 19 labels"),
    "empty": ("images", b"", "the file is empty"),
    "shorter than a header": ("labels", b"\0\0\x08", "only 3 bytes, too short"),
    "not gzip": ("images.gz", b"plain bytes, not gzip", "corrupt or truncated gzip data"),
    "gzip cut short": ("labels.gz", gzip.compress(GOOD["labels"])[:-12], "truncated gzip"),
}


@pytest.mark.parametrize(("broken", "content", "fragment"), BAD_IDX.values(), ids=BAD_IDX.keys())
def test_idx_bad_file_raises_data_error_naming_it(tmp_path, broken, content, fragment):
    bad = write_broken_pair(tmp_path, IMAGES, LABELS, broken, content)
    with raises_naming(bad, fragment):
        load_idx(tmp_path)


def test_idx_header_declaring_a_billion_images_is_refused_before_allocating(tmp_path):
    path = tmp_path / "train-images-idx3-ubyte"
    path.write_bytes(struct.pack(">4I", 2051, 10**9, 28, 28) + IMAGES.tobytes())
    write_idx(tmp_path / "train-labels-idx1-ubyte", LABELS)
    with raises_naming(path, "declares 1000000000 images, which need 784000000016 bytes"):
        load_idx(path)


def test_idx_file_without_its_partner_says_which_name_it_looked_for(tmp_path):
    images_path = write_idx(tmp_path / "t10k-images.idx3-ubyte.gz", IMAGES)
    with raises_naming(images_path, "partner file t10k-labels.idx1-ubyte (raw or .gz) is not"):
        load_idx(images_path)


def test_idx_labels_file_without_its_images_says_which_name_it_looked_for(tmp_path):
    labels_path = write_idx(tmp_path / "train-labels-idx1-ubyte", LABELS)
    with raises_naming(labels_path, "partner file train-images-idx3-ubyte"):
        load_idx(labels_path)


def test_idx_directory_without_the_files_says_what_it_looked_for(tmp_path):
    with raises_naming(tmp_path, "no MNIST IDX files for the test part here (looked for t10k"):
        load_idx(tmp_path, "test")


def test_idx_directory_with_only_the_images_names_the_missing_labels(tmp_path):
    write_idx(tmp_path / "train-images-idx3-ubyte.gz", IMAGES)
    with raises_naming(tmp_path, "has train-images-idx3-ubyte.gz but not train-labels-idx1-ubyte"):
        load_idx(tmp_path)


def test_idx_file_whose_name_says_neither_images_nor_labels_is_refused(tmp_path):
    path = write_idx(tmp_path / "digits-idx3-ubyte", IMAGES)
    with raises_naming(path, "cannot tell whether this IDX file holds images or labels"):
        load_idx(path)


def test_part_must_be_train_or_test():
    assert check_part("t10k") == "test"
    with pytest.raises(ValueError, match="'dev'"):
        check_part("dev")


# CSV


def write_csv(path: Path, header: bool) -> Path:
    table = np.column_stack([LABELS, IMAGES.reshape(len(IMAGES), 784)])
    first_line = HEADER.strip() if header else ""
    np.savetxt(path, table, fmt="%d", delimiter=",", header=first_line, comments="")
    return path


@pytest.mark.parametrize("name", ["digits.csv", "digits.csv.gz"])
@pytest.mark.parametrize("header", [True, False], ids=["kaggle-header", "no-header"])
def test_csv_round_trips_with_or_without_the_kaggle_header(tmp_path, name, header):
    data = load_csv(write_csv(tmp_path / name, header))
    assert_same_digits(data)
    assert data.name == name


def csv_row(*first: object, fill: object = 0, width: int = 785) -> str:
    """A CSV line starting with the cells `first`, padded with `fill` to `width` cells."""
    return ",".join(map(str, [*first] + [fill] * (width - len(first)))) + "\n"


BAD_CSV = {
    "empty": ("", "the file is empty"),
    "too few columns": (csv_row(width=10), "found 10 columns, expected 785 = label + 784 pixels"),
    "kaggle test.csv": (csv_row(width=784), "784 pixels (a Kaggle test.csv, which has no labels?)"),
    "non-numeric cell": (HEADER + csv_row(1) + csv_row(2, "x"), "line 3: 'x' is not a number"),
    "ragged row": (csv_row(1) + csv_row(2) + csv_row(3, width=784), "line 3 has 784 columns"),
    "pixel above 255": (csv_row(1, 0, fill=300), "line 1: pixel 300 is not a whole number from 0 to 255"),
    "label above 9": (
        HEADER + csv_row(2) + csv_row(10),
        "line 3: label 10 is not a whole number from 0 to 9",
    ),
    "fractional pixel": (csv_row(1, fill=0.5), "line 1: pixel 0.5 is not a whole number"),
    "header only": (HEADER, "no examples"),
}


@pytest.mark.parametrize(("text", "fragment"), BAD_CSV.values(), ids=BAD_CSV.keys())
def test_csv_bad_table_raises_data_error_naming_it(tmp_path, text, fragment):
    path = tmp_path / "table.csv"
    path.write_text(text)
    with raises_naming(path, fragment):
        load_csv(path)


# npz


def test_npz_keras_layout_gives_train_or_test_part(tmp_path):
    test_images, test_labels = digits(10, seed=1)
    path = tmp_path / "mnist.npz"
    np.savez(path, x_train=IMAGES, y_train=LABELS, x_test=test_images, y_test=test_labels)
    train, test = load_npz(path), load_npz(path, "test")
    assert_same_digits(train)
    assert_same_digits(test, test_images, test_labels)
    assert (train.name, test.name) == ("mnist.npz", "mnist.npz (test)")


@pytest.mark.parametrize("shape", [(20, 784), (20, 28, 28)])
@pytest.mark.parametrize("part", ["train", "test"])
def test_npz_x_y_layout_is_read_whatever_the_part(tmp_path, shape, part):
    path = tmp_path / "digits.npz"
    np.savez_compressed(path, X=IMAGES.reshape(shape), y=LABELS)
    data = load_npz(path, part)
    assert_same_digits(data)
    assert data.name == "digits.npz"


def cut_short(path: Path) -> None:
    np.savez(path, X=IMAGES, y=LABELS)
    path.write_bytes(path.read_bytes()[:5000])


def corrupt_member(path: Path) -> None:
    np.savez(path, X=IMAGES, y=LABELS)
    content = bytearray(path.read_bytes())
    content[400] ^= 0xFF  # inside X's pixels: the zip's CRC check fails
    path.write_bytes(bytes(content))


BAD_NPZ = {
    "not a zip": (lambda path: path.write_text("x,y\n1,2\n"), "not an .npz archive"),
    "cut short": (cut_short, "not an .npz archive"),
    "corrupt member": (corrupt_member, "corrupt .npz archive"),
    "object array": (
        lambda path: np.savez(path, X=np.array([IMAGES], dtype=object), y=LABELS),
        "needs pickle to load, which nnviz refuses for safety",
    ),
    "compound type": (
        lambda path: np.savez(path, X=np.zeros(20, dtype=[("pixel", "u1")]), y=LABELS),
        "array X is of a compound type",
    ),
    "unknown keys": (
        lambda path: np.savez(path, images=IMAGES, targets=LABELS),
        "holds images, targets; expected arrays x_train, y_train, x_test, y_test",
    ),
    "keras without a test part": (
        lambda path: np.savez(path, x_train=IMAGES, y_train=LABELS),
        "holds x_train, y_train; expected arrays",
    ),
    "bad labels": (
        lambda path: np.savez(path, X=IMAGES, y=LABELS + 1),
        "label values run from 1 to 10",
    ),
}


@pytest.mark.parametrize(("write", "fragment"), BAD_NPZ.values(), ids=BAD_NPZ.keys())
def test_npz_bad_archive_raises_data_error_naming_it(tmp_path, write, fragment):
    path = tmp_path / "digits.npz"
    write(path)
    with raises_naming(path, fragment):
        load_npz(path, "test")


# load_dataset: sources and paths


def test_embedded_default_is_5000_digits_500_of_each():
    data = load_dataset(EMBEDDED)
    assert data.name == EMBEDDED
    assert data.images.shape == (5000, 784) and data.images.dtype == np.uint8
    np.testing.assert_array_equal(data.counts_per_label(), np.full(10, 500))


def test_embedded_default_looks_like_digits_mostly_blank_background():
    images = load_dataset(EMBEDDED).images
    assert (images == 0).mean() == pytest.approx(0.81, abs=0.03)
    assert images.max() == 255


def write_each_format(directory: Path) -> dict[str, Path]:
    """The same digits in every format load_dataset recognises, keyed by a test id."""
    pair = directory / "pair"
    pair.mkdir()
    write_pair(pair, IMAGES, LABELS, gz=True)
    dotted_images, _ = write_pair(directory, IMAGES, LABELS, dotted=True)
    np.savez(directory / "digits.npz", X=IMAGES, y=LABELS)
    return {
        "directory": pair,
        "idx file": dotted_images,
        "idx.gz file": pair / "train-labels-idx1-ubyte.gz",
        "csv": write_csv(directory / "digits.csv", header=True),
        "csv.gz": write_csv(directory / "digits.csv.gz", header=False),
        "npz": directory / "digits.npz",
    }


@pytest.mark.parametrize("kind", ["directory", "idx file", "idx.gz file", "csv", "csv.gz", "npz"])
def test_load_dataset_recognises_each_format_from_the_path(tmp_path, kind):
    path = write_each_format(tmp_path)[kind]
    assert_same_digits(load_dataset(path))
    assert_same_digits(load_dataset(str(path)))


def test_load_dataset_passes_the_part_on_to_directories(tmp_path):
    test_images, test_labels = digits(10, seed=1)
    write_pair(tmp_path, test_images, test_labels, prefix="t10k")
    assert_same_digits(load_dataset(tmp_path, part="test"), test_images, test_labels)


def test_load_dataset_missing_path_says_so(tmp_path):
    with raises_naming(tmp_path / "nowhere.csv", "no such file or directory"):
        load_dataset(tmp_path / "nowhere.csv")


def test_load_dataset_path_named_like_a_source_is_still_a_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(DataError, match="mnist-5k: no such file or directory"):
        load_dataset(Path(EMBEDDED))


def test_load_dataset_unknown_format_lists_the_known_ones(tmp_path):
    path = tmp_path / "digits.txt"
    path.write_text("1,2,3\n")
    with raises_naming(path, "unknown format (expected IDX, .csv or .npz)"):
        load_dataset(path)


def test_csv_whose_rows_are_narrower_than_its_header_is_refused_naming_the_line(tmp_path):
    path = tmp_path / "table.csv"
    path.write_text(HEADER + csv_row(3, width=418))
    with raises_naming(path, "line 2 has 418 columns"):
        load_csv(path)
