"""`nnviz predict`: held-out digits saved as pictures, at other sizes, places and polarities, are
classified as the same digits given directly; what is not a picture of a digit is refused in one line."""

import json
import os

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from test_cli import run

from nnviz.data.prepare import prepare_digit
from nnviz.engine.checkpoint import save_checkpoint
from nnviz.engine.network import forward_prop, predictions
from nnviz.engine.trainer import TrainConfig
from nnviz.predict_command import classify, read_grey
from nnviz.session import Setup, load_splits, make_trainer

HELD_OUT = 40
QUICK = TrainConfig(alpha=0.5, batch_size=100)  # 80% on dev within a second: enough to tell digits apart
TRAINING_STEPS = 200


@pytest.fixture(scope="module")
def trained(digits, tmp_path_factory):
    """A network trained briefly on the embedded train split, saved; and the dev split it never saw."""
    splits = load_splits(Setup(), digits)
    trainer = make_trainer(splits, QUICK)
    for _ in range(TRAINING_STEPS):
        trainer.step()
    path = tmp_path_factory.mktemp("checkpoint") / "net.npz"
    save_checkpoint(path, trainer, Setup().data_record())
    return path, trainer.params, splits.dev


def save_picture(
    path, digit: np.ndarray, side: int, page: tuple[int, int], corner: tuple[int, int], dark_ink: bool
):
    """A 28x28 digit smoothly enlarged to `side` pixels, placed at `corner` of a page, saved by Qt."""
    image = QImage(digit.astype(np.uint8).tobytes(), 28, 28, 28, QImage.Format.Format_Grayscale8).scaled(
        side, side, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
    )
    enlarged = np.frombuffer(image.constBits(), np.uint8).reshape(side, image.bytesPerLine())[:, :side]
    sheet = np.zeros(page, dtype=np.uint8)
    sheet[corner[0] : corner[0] + side, corner[1] : corner[1] + side] = enlarged
    if dark_ink:
        sheet = 255 - sheet
    picture = QImage(sheet.tobytes(), page[1], page[0], page[1], QImage.Format.Format_Grayscale8)
    assert picture.save(str(path))
    return path


def test_held_out_digits_as_pictures_are_classified_as_well_as_the_digits_themselves(
    capsys, trained, tmp_path
):
    checkpoint, params, dev = trained
    rng = np.random.default_rng(0)
    files = []
    for i in range(HELD_OUT):
        side = int(rng.integers(50, 200))
        page = (side + int(rng.integers(0, 150)), side + int(rng.integers(0, 150)))
        corner = (int(rng.integers(0, page[0] - side + 1)), int(rng.integers(0, page[1] - side + 1)))
        name = tmp_path / f"digit {i}.{'jpg' if i % 4 == 0 else 'png'}"
        files.append(
            save_picture(name, dev.images[i].reshape(28, 28), side, page, corner, dark_ink=i % 2 == 1)
        )
    code, out, err = run(capsys, "predict", *files, "--checkpoint", checkpoint, "--json")
    assert code == 0 and err == ""
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["file"] for r in records] == [str(f) for f in files]
    from_pictures = np.array([r["prediction"] for r in records])
    direct = predictions(forward_prop(params, dev.images[:HELD_OUT].T.astype(np.float32) / 255).A2)
    labels = dev.labels[:HELD_OUT]
    assert np.mean(direct == labels) >= 0.7  # a network that has learnt something
    assert np.mean(from_pictures == labels) >= np.mean(direct == labels) - 0.1
    for record in records:
        assert len(record["probabilities"]) == 10 and sum(record["probabilities"]) == pytest.approx(
            1, abs=1e-4
        )
        assert record["prediction"] == int(np.argmax(record["probabilities"]))


def test_a_picture_is_prepared_by_the_pads_own_function_then_classified_by_the_engine(trained, tmp_path):
    _, params, dev = trained
    path = save_picture(tmp_path / "seven.png", dev.images[3].reshape(28, 28), 90, (140, 120), (30, 10), True)
    grey = read_grey(path)
    assert grey.shape == (140, 120) and grey[0, 0] == pytest.approx(255)  # white paper
    expected = forward_prop(params, prepare_digit(grey).reshape(784, 1) / np.float32(255)).A2[:, 0]
    np.testing.assert_allclose(classify(params, grey), expected, rtol=1e-6)


def test_one_readable_line_per_picture(capsys, trained, tmp_path):
    checkpoint, params, dev = trained
    path = save_picture(tmp_path / "a.png", dev.images[0].reshape(28, 28), 56, (80, 80), (10, 20), False)
    code, out, _ = run(capsys, "predict", path, "--checkpoint", checkpoint)
    probabilities = classify(params, read_grey(path))
    first, second = np.argsort(-probabilities)[:2]
    assert code == 0
    assert (
        out == f"{path}: {first} ({probabilities[first]:.1%}), then {second} ({probabilities[second]:.1%})\n"
    )


def test_a_picture_with_a_transparent_background_is_ink_on_white(trained, tmp_path):
    dev = trained[2]
    ink = dev.images[5].reshape(28, 28)
    rgba = np.zeros((28, 28, 4), dtype=np.uint8)  # black ink whose opacity is the digit, on nothing
    rgba[..., 3] = ink
    QImage(rgba.tobytes(), 28, 28, 28 * 4, QImage.Format.Format_RGBA8888).save(str(tmp_path / "t.png"))
    np.testing.assert_allclose(read_grey(tmp_path / "t.png"), 255 - ink, atol=1)


def test_what_is_not_a_picture_of_a_digit_is_refused_in_one_line_and_the_rest_classified(
    capsys, trained, tmp_path
):
    checkpoint, _, dev = trained
    text = tmp_path / "notes.png"
    text.write_text("not a picture")
    blank = tmp_path / "blank.png"
    white = QImage(50, 50, QImage.Format.Format_Grayscale8)
    white.fill(255)
    white.save(str(blank))
    good = save_picture(tmp_path / "good.png", dev.images[0].reshape(28, 28), 28, (28, 28), (0, 0), False)
    code, out, err = run(
        capsys, "predict", text, good, blank, tmp_path / "missing.png", "--checkpoint", checkpoint
    )
    lines = err.splitlines()
    assert code == 2 and len(out.splitlines()) == 1 and out.startswith(f"{good}: ")
    assert lines == [
        f"nnviz: error: {text}: not an image (Unsupported image format)",
        f"nnviz: error: {blank}: no digit in it (the image is blank)",
        f"nnviz: error: {tmp_path / 'missing.png'}: no such file",
    ]


def test_a_named_pipe_given_as_a_picture_is_refused_at_once_not_waited_on(capsys, trained, tmp_path):
    pipe = tmp_path / "digit.png"
    os.mkfifo(pipe)  # opening it to read would wait for a writer forever
    code, out, err = run(capsys, "predict", pipe, "--checkpoint", trained[0])
    assert (
        code == 2
        and out == ""
        and err == f"nnviz: error: {pipe}: it is a named pipe; nnviz reads only regular files\n"
    )


def test_a_checkpoint_that_is_not_one_is_refused_in_one_line(capsys, tmp_path):
    bad = tmp_path / "net.npz"
    bad.write_text("nope")
    code, out, err = run(capsys, "predict", tmp_path / "x.png", "--checkpoint", bad)
    assert code == 2 and out == "" and err.count("\n") == 1 and str(bad) in err
    code, _, err = run(capsys, "predict", "--checkpoint", bad)
    assert code == 2 and "IMAGE" in err and err.count("\n") == 1
