"""`nnviz evaluate` and the per-digit fields of `nnviz train --json` agree with a direct computation
from forward_prop and the labels; bad input ends in one line and exit code 2."""

import json

import numpy as np
import pytest
from idx_files import digits, write_pair
from test_cli import run

from nnviz.cli import main
from nnviz.data import EMBEDDED, load_dataset
from nnviz.engine.checkpoint import load_checkpoint
from nnviz.engine.network import forward_prop
from nnviz.engine.trainer import Examples
from nnviz.session import Setup, load_splits


def direct(params, images: np.ndarray, labels: np.ndarray) -> dict:
    """The lecture's forward pass and a count, one example at a time."""
    A2 = forward_prop(params, Examples.from_pixels(images, labels).X).A2.astype(np.float64)
    confusion = np.zeros((10, 10), dtype=int)
    for column, label in zip(A2.T, labels, strict=True):
        confusion[label, int(np.argmax(column))] += 1
    return {
        "confusion": confusion,
        "loss": float(np.mean(-np.log(A2[labels, np.arange(labels.size)]))),
        "per_digit": [
            confusion[d, d] / confusion[d].sum() if confusion[d].sum() else None for d in range(10)
        ],
    }


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory):
    """A network trained for 40 iterations on the embedded digits, saved."""
    path = tmp_path_factory.mktemp("evaluate") / "run.npz"
    assert main(["train", "--iterations", "40", "--quiet", "--save", str(path)]) == 0
    return path


def test_evaluate_agrees_with_a_direct_computation_on_every_example(capsys, checkpoint):
    code, out, _ = run(capsys, "evaluate", "--checkpoint", checkpoint, "--data", EMBEDDED, "--json")
    result = json.loads(out)
    data = load_dataset(EMBEDDED)
    expected = direct(load_checkpoint(checkpoint).params, data.images, data.labels)
    assert code == 0 and result["examples"] == 5000 and result["iteration"] == 40
    assert result["confusion"] == expected["confusion"].tolist()
    assert np.sum(result["confusion"], axis=1).tolist() == data.counts_per_label().tolist()
    assert result["accuracy"] == np.trace(expected["confusion"]) / 5000
    assert result["accuracy_per_digit"] == pytest.approx(expected["per_digit"])
    assert result["loss"] == pytest.approx(expected["loss"], rel=1e-5)


def test_evaluate_on_a_terminal_prints_a_readable_table(capsys, checkpoint):
    code, out, _ = run(capsys, "evaluate", "--checkpoint", checkpoint, "--data", EMBEDDED)
    lines = out.splitlines()
    data = load_dataset(EMBEDDED)
    confusion = direct(load_checkpoint(checkpoint).params, data.images, data.labels)
    assert code == 0 and "5,000 digits" in lines[0] and lines[1].startswith("loss ")
    header = lines.index("rows: true digit, columns: predicted digit") + 1
    assert lines[header].split() == ["true", *map(str, range(10)), "right"]
    rows = [line.split() for line in lines[header + 1 : header + 11]]
    assert [[int(n.replace(",", "")) for n in row[1:11]] for row in rows] == confusion["confusion"].tolist()
    assert all(row[-1].endswith("%") for row in rows)


def test_a_digit_missing_from_the_data_has_no_accuracy(capsys, checkpoint, tmp_path):
    images, labels = digits(30, seed=4)
    keep = labels != 7
    write_pair(tmp_path, images[keep], labels[keep])
    code, out, _ = run(capsys, "evaluate", "--checkpoint", checkpoint, "--data", tmp_path, "--json")
    result = json.loads(out)
    assert code == 0 and result["examples"] == keep.sum() and result["accuracy_per_digit"][7] is None
    code, out, _ = run(capsys, "evaluate", "--checkpoint", checkpoint, "--data", tmp_path)
    assert code == 0 and out.splitlines()[-3].split()[-1] == "-"  # digit 7's row


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["--checkpoint", "missing.npz", "--data", EMBEDDED], "missing.npz: no such file"),
        (["--checkpoint", "{ckpt}", "--data", "missing.csv"], "missing.csv: no such file"),
        (["--checkpoint", "{data}", "--data", EMBEDDED], "not an nnviz checkpoint"),
        (["--data", EMBEDDED], "required: --checkpoint"),
    ],
)
def test_bad_input_exits_2_with_one_line(capsys, checkpoint, tmp_path, args, fragment):
    data = tmp_path / "digits.csv"
    data.write_text("1," + ",".join(["0"] * 784) + "\n")
    filled = [a.format(ckpt=checkpoint, data=data) for a in args]
    code, out, err = run(capsys, "evaluate", *filled)
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1 and fragment in err


def test_train_json_carries_the_dev_and_test_confusion_as_counted_directly(capsys, tmp_path):
    images, labels = digits(60, seed=5)
    write_pair(tmp_path, images, labels, prefix="t10k")
    saved = tmp_path / "run.npz"
    args = ("train", "--iterations", "20", "--quiet", "--json", "--save", saved, "--test", tmp_path)
    code, out, _ = run(capsys, *args)
    result = json.loads(out.strip().splitlines()[-1])
    params = load_checkpoint(saved).params
    dev = load_splits(Setup()).dev
    expected_dev, expected_test = (
        direct(params, dev.images, dev.labels),
        direct(params, images.reshape(60, -1), labels),
    )
    assert code == 0
    assert result["dev_confusion"] == expected_dev["confusion"].tolist()
    assert result["dev_accuracy_per_digit"] == pytest.approx(expected_dev["per_digit"])
    assert np.trace(result["dev_confusion"]) / 1000 == result["dev_accuracy"]
    assert result["test_confusion"] == expected_test["confusion"].tolist()
    assert result["test_accuracy_per_digit"] == pytest.approx(expected_test["per_digit"])
    code, out, _ = run(capsys, "train", "--iterations", "1", "--quiet", "--json")
    assert json.loads(out)["test_confusion"] is None and len(json.loads(out)["dev_confusion"]) == 10
