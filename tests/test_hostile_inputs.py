"""Hostile files against the command line and the loaders the window uses: outputs that would
destroy something, inputs that are pipes or devices, files that expand to gigabytes.

Each case ends in exit code 2 and one line naming the file, with nothing written and every input
unchanged; bombs are small files built at test time, run in child processes side by side with
their peak memory measured; a pipe can never hang the suite (every wait has a deadline).
"""

from __future__ import annotations

import gzip
import os
import stat
import struct
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest
from bombs import GIB, gzip_bomb, npz_with_junk
from child_process import nnviz_command, run_all
from driving import handled
from idx_files import digits, idx_bytes, write_idx, write_pair
from test_cli import one_line_error, run
from test_loaders import csv_row

from nnviz.data import DataError, load_dataset
from nnviz.engine.checkpoint import CheckpointError, load_checkpoint, save_checkpoint
from nnviz.engine.trainer import Examples, TrainConfig, Trainer

IMAGES, LABELS = digits(30)
BOUND_MB = 300
PIPE_SECONDS = 5


def snapshot(folder: Path) -> dict[str, object]:
    """Everything in `folder`, hidden files included: name -> (kind, content or link target)."""
    seen = {}
    for path in sorted(folder.rglob("*")):
        mode = path.lstat().st_mode
        if stat.S_ISLNK(mode):
            seen[str(path)] = ("link", os.readlink(path))
        elif stat.S_ISREG(mode):
            seen[str(path)] = ("file", path.read_bytes())
        else:
            seen[str(path)] = ("other", stat.S_IFMT(mode))
    return seen


def small_npz(path: Path) -> Path:
    np.savez(path, X=IMAGES, y=LABELS)
    return path


def hard_link(existing: Path, link: Path) -> Path:
    os.link(existing, link)
    return link


def symlink(link: Path, target: str) -> Path:
    link.symlink_to(target)
    return link


# 1. An output never destroys anything: not a pipe, a link or a device, and never an input.


def fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def symlink_to_a_file(path: Path) -> Path:
    target = path.with_name("target.txt")
    target.write_text("the user's file")
    path.symlink_to(target)
    return path


def device(path: Path) -> Path:
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # what /dev/null is
    except PermissionError:
        pytest.skip("creating a device node needs privileges this machine does not give")
    return path


@pytest.mark.parametrize("option", ["--save", "--metrics-csv"])
@pytest.mark.parametrize("make", [fifo, symlink_to_a_file, device], ids=["named pipe", "symlink", "device"])
def test_an_output_that_is_not_a_regular_file_is_refused_and_left_alone(capsys, tmp_path, option, make):
    target = make(tmp_path / "out")
    before = snapshot(tmp_path)
    code, _, err = run(capsys, "train", "--iterations", "1", option, target, "--quiet")
    one_line_error(code, err, str(target), "nnviz replaces only regular files")
    assert snapshot(tmp_path) == before


OVERLAPS = {
    # name: (arguments given a tmp_path, the path named in the error, what the error says)
    "save over --data": (
        lambda t: ["--data", small_npz(t / "mine.npz"), "--save", t / "mine.npz"],
        "mine.npz",
        "--save would overwrite a file that --data reads",
    ),
    "metrics over --data": (
        lambda t: ["--data", t / "digits.csv", "--metrics-csv", t / "digits.csv"],
        "digits.csv",
        "--metrics-csv would overwrite a file that --data reads",
    ),
    "save over --test": (
        lambda t: ["--test", small_npz(t / "t.npz"), "--save", t / "t.npz"],
        "t.npz",
        "--save would overwrite a file that --test reads",
    ),
    "metrics over --resume": (
        lambda t: ["--resume", t / "run.npz", "--metrics-csv", t / "run.npz"],
        "run.npz",
        "--metrics-csv would overwrite a file that --resume reads",
    ),
    "save and metrics in one file": (
        lambda t: ["--save", t / "s", "--metrics-csv", t / "s"],
        "s",
        "--metrics-csv and --save name the same file",
    ),
    "save over a file of an IDX folder": (
        lambda t: ["--data", t / "idx", "--save", t / "idx" / "train-labels-idx1-ubyte"],
        "train-labels-idx1-ubyte",
        "--save would overwrite a file that --data reads",
    ),
    "save over a hard link to --data": (
        lambda t: ["--data", small_npz(t / "a.npz"), "--save", hard_link(t / "a.npz", t / "b.npz")],
        "b.npz",
        "--save would overwrite a file that --data reads",
    ),
    "save over --data spelled otherwise": (
        lambda t: ["--data", small_npz(t / "a.npz"), "--save", t / "idx" / ".." / "a.npz"],
        "a.npz",
        "--save would overwrite",
    ),
}


@pytest.fixture
def inputs(tmp_path, capsys):
    """A CSV of digits, a folder of IDX files and a checkpoint, as inputs a run might be given."""
    (tmp_path / "idx").mkdir()
    write_pair(tmp_path / "idx", IMAGES, LABELS)
    (tmp_path / "digits.csv").write_text("".join(csv_row(label, fill=label) for label in range(10)) * 3)
    run(capsys, "train", "--iterations", "1", "--save", tmp_path / "run.npz", "--quiet")
    capsys.readouterr()
    return tmp_path


@pytest.mark.parametrize(("arguments", "named", "says"), OVERLAPS.values(), ids=OVERLAPS.keys())
def test_an_output_that_is_an_input_or_another_output_is_refused_before_anything_runs(
    capsys, inputs, arguments, named, says
):
    given = arguments(inputs)
    before = snapshot(inputs)
    code, out, err = run(capsys, "train", "--iterations", "1", "--json", *given)
    one_line_error(code, err, named, says)
    assert out == "" and snapshot(inputs) == before


def test_continuing_a_run_into_its_own_checkpoint_is_allowed(capsys, inputs):
    code, _, _ = run(
        capsys, "train", "--resume", inputs / "run.npz", "--iterations", "1", "--save", inputs / "run.npz"
    )
    assert code == 0 and load_checkpoint(inputs / "run.npz").iteration == 2


@pytest.mark.parametrize("option", ["--save", "--metrics-csv", "--data", "--test", "--resume"])
def test_an_empty_path_is_refused_not_taken_as_none(capsys, option):
    one_line_error(
        *run(capsys, "train", "--iterations", "1", option, "")[::2], option, "an empty path names no file"
    )


# 3. Non-regular inputs are refused at once: a named pipe never hangs a run or the window.


@contextmanager
def pipe_released_after_deadline(pipe: Path) -> Iterator[None]:
    """If a reader is still blocked on `pipe` after PIPE_SECONDS, keep opening its other end,
    so that every blocked open gets an empty file and the test ends (and fails) instead of
    hanging."""
    done, released = threading.Event(), []

    def release() -> None:
        if done.wait(PIPE_SECONDS):
            return
        while not done.wait(0.05):
            try:
                os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))  # fails unless a reader waits
                released.append(True)
            except OSError:
                pass

    releaser = threading.Thread(target=release, daemon=True)
    releaser.start()
    try:
        yield
    finally:
        done.set()
        releaser.join()
    assert not released, f"{pipe} blocked its reader until released"


PIPES = {
    # name: (where the pipe goes, what loads it)
    "csv": ("digits.csv", lambda t: load_dataset(t / "digits.csv")),
    "npz": ("digits.npz", lambda t: load_dataset(t / "digits.npz")),
    "idx images in a folder": ("train-images-idx3-ubyte", lambda t: load_dataset(t)),
    "idx images given": ("train-images-idx3-ubyte", lambda t: load_dataset(t / "train-labels-idx1-ubyte")),
    "test data": ("t10k.csv", lambda t: load_dataset(t / "t10k.csv", part="test")),
    "checkpoint": ("run.npz", lambda t: load_checkpoint(t / "run.npz")),
}


@pytest.mark.parametrize(("name", "load"), PIPES.values(), ids=PIPES.keys())
def test_a_named_pipe_as_any_input_is_refused_at_once(tmp_path, name, load):
    write_idx(tmp_path / "train-labels-idx1-ubyte", LABELS)
    pipe = fifo(tmp_path / name)
    with pipe_released_after_deadline(pipe), pytest.raises((DataError, CheckpointError)) as refused:
        load(tmp_path)
    assert str(refused.value).startswith(str(pipe)) and "named pipe" in str(refused.value)


@pytest.mark.parametrize("option", ["--data", "--test", "--resume"])
def test_a_named_pipe_given_on_the_command_line_exits_2(capsys, tmp_path, option):
    pipe = fifo(tmp_path / "input.csv")
    with pipe_released_after_deadline(pipe):
        code, _, err = run(capsys, "train", "--iterations", "1", option, pipe)
    one_line_error(code, err, str(pipe), "named pipe")


def test_the_window_refuses_a_named_pipe_from_file_open(qtbot, window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    pipe = fifo(tmp_path / "digits.csv")
    run = window.state.run
    with pipe_released_after_deadline(pipe):
        refused = handled(qtbot, window, window.use_data(str(pipe)))  # read in the training thread
    qtbot.waitUntil(lambda: len(shown) == 1)
    assert "named pipe" in shown[0] and refused.refusal.message == shown[0] and refused.run == run


# 2 and 3 in child processes: bombs are read only as far as they can be real; devices not at all.


def idx_bomb(folder: Path) -> Path:
    """Ten digits, as the header says, then a gigabyte of zeros, in a 1 MB .gz."""
    folder.mkdir()
    images, labels = digits(10)
    write_idx(folder / "train-labels-idx1-ubyte", labels)
    return gzip_bomb(folder / "train-images-idx3-ubyte.gz", idx_bytes(images))


def checkpoint_with_junk(tmp: Path) -> Path:
    """A real checkpoint and, beside its arrays, a junk array of a gigabyte, in a 1 MB file."""
    trainer = Trainer(Examples.from_pixels(IMAGES.reshape(30, 784), LABELS), None, TrainConfig())
    save_checkpoint(tmp / "real.npz", trainer, {"source": "mnist-5k", "dev_size": None})
    with np.load(tmp / "real.npz") as real:
        arrays = dict(real)
    (tmp / "real.npz").unlink()
    return npz_with_junk(tmp / "junk.npz", arrays)


def urandom_images(folder: Path) -> Path:
    write_idx(folder / "train-labels-idx1-ubyte", LABELS)
    return symlink(folder / "train-images-idx3-ubyte", "/dev/urandom")


def large_csv(path: Path) -> Path:
    """100 MB of valid rows, mostly blank as digits are: 64,000 of them."""
    path.write_text(csv_row(5) * 64_000)
    return path


def out_of_memory(tmp: Path, name: str) -> list[str]:
    """A real 60,000-digit file, loaded with the address space capped below what it needs."""
    images = np.zeros((60_000, 28, 28), np.uint8)
    if name.endswith(".npz"):
        np.savez(tmp / name, X=images, y=np.zeros(60_000, np.uint8))
    else:
        (tmp / name).mkdir()
        write_pair(tmp / name, images, np.zeros(60_000, np.uint8))
    cap = "import resource, runpy, sys; resource.setrlimit(resource.RLIMIT_AS, (250 * 2**20,) * 2); "
    run = (
        "sys.argv = ['nnviz', 'train', '--data', sys.argv[1]]; runpy.run_module('nnviz', run_name='__main__')"
    )
    return [sys.executable, "-c", cap + run, str(tmp / name)]


BOMBS: dict[str, tuple[Callable[[Path], list[str]], str]] = {
    # name: (builds the file and returns the command, what the one line says)
    "idx .gz: 10 digits and 1 GiB of zeros": (
        lambda t: nnviz_command("train", "--data", idx_bomb(t / "idx")),
        "unexpected bytes after the 10 images",
    ),
    "csv .gz: one row of a gigabyte": (
        lambda t: nnviz_command("train", "--data", gzip_bomb(t / "row.csv.gz", b"5,", fill=b"0,")),
        "line 1 is longer than 65,536 characters",
    ),
    "csv .gz: one number of a gigabyte": (
        lambda t: nnviz_command("train", "--data", gzip_bomb(t / "cell.csv.gz", b"5,", fill=b"9")),
        "line 1 is longer than 65,536 characters",
    ),
    "csv .gz: a quarter gigabyte of valid rows": (
        lambda t: nnviz_command(
            "train", "--data", gzip_bomb(t / "rows.csv.gz", b"", fill=b"0," * 784 + b"0\n", size=GIB // 4)
        ),
        "expands to more than",
    ),
    "checkpoint with a 1 GiB junk array": (
        lambda t: nnviz_command("train", "--resume", checkpoint_with_junk(t), "--iterations", "1", "--json"),
        "",
    ),
    "a 100 MB csv": (lambda t: nnviz_command("data", "info", large_csv(t / "big.csv")), ""),
    "/dev/zero behind a symlink": (
        lambda t: nnviz_command("train", "--data", symlink(t / "z.csv", "/dev/zero")),
        "it is a device",
    ),
    "/dev/urandom as IDX images": (
        lambda t: nnviz_command("train", "--data", urandom_images(t)),
        "it is a device",
    ),
    "out of memory reading IDX": (lambda t: out_of_memory(t, "idx"), "not enough memory"),
    "out of memory reading .npz": (lambda t: out_of_memory(t, "oom.npz"), "not enough memory"),
}


@pytest.fixture(scope="module")
def bombs_ended(tmp_path_factory):
    """Every bomb run once, all at the same time: name -> how it ended."""
    commands = {}
    for number, (name, (build, _)) in enumerate(BOMBS.items()):
        folder = tmp_path_factory.mktemp(f"bomb{number}")
        commands[name] = (build(folder), folder, snapshot(folder))
    ended = run_all([command for command, _, _ in commands.values()], timeout=60)
    return {
        name: (result, snapshot(folder) == before)
        for (name, (_, folder, before)), result in zip(commands.items(), ended, strict=True)
    }


@pytest.mark.parametrize("name", BOMBS)
def test_a_bomb_ends_in_one_line_or_loads_within_bounded_memory(bombs_ended, name):
    ended, unchanged = bombs_ended[name]
    says = BOMBS[name][1]
    print(f"{name}: exit {ended.code}, peak {ended.peak_mb:.0f} MB")
    assert not ended.timed_out
    assert ended.peak_mb < BOUND_MB
    assert "Traceback" not in ended.err and unchanged
    if says:
        one_line_error(ended.code, ended.err, says)
    else:
        assert ended.code == 0, ended.err


def test_a_header_that_declares_more_than_the_gz_can_hold_is_refused_before_allocating(tmp_path):
    folder = tmp_path / "idx"
    folder.mkdir()
    write_idx(folder / "train-labels-idx1-ubyte", LABELS)
    images = folder / "train-images-idx3-ubyte.gz"
    images.write_bytes(gzip.compress(struct.pack(">4I", 2051, 10**9, 28, 28) + IMAGES.tobytes()))
    with pytest.raises(
        DataError, match=r"declares 1000000000 images.*more than a \.gz file of its size can hold"
    ):
        load_dataset(folder)


# 9. Smaller: digits are never comments, a file name's newline stays on one line, no test part
# is made up.


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (csv_row("#5") + csv_row(3), "line 1: '#5' is not a number"),
        (csv_row(5) + csv_row("#3") + csv_row(4), "line 2: '#3' is not a number"),
    ],
    ids=["first row", "a later row"],
)
def test_a_hash_in_a_csv_is_refused_not_read_as_a_comment(tmp_path, text, says):
    path = tmp_path / "digits.csv"
    path.write_text(text)
    with pytest.raises(DataError, match=f"digits.csv: {says}"):
        load_dataset(path)


def test_a_newline_in_a_file_name_stays_on_one_line(capsys, tmp_path):
    path = tmp_path / "two\nlines.csv"
    path.write_text("not, digits\n")
    code, _, err = run(capsys, "train", "--data", path)
    one_line_error(code, err, "two\\nlines.csv", "found 2 columns")


def test_the_embedded_digits_have_no_test_part_anywhere(capsys):
    one_line_error(
        *run(capsys, "data", "info", "mnist-5k", "--part", "test")[::2], "mnist-5k has no test part"
    )
    with pytest.raises(DataError, match="mnist-5k has no test part"):
        load_dataset("mnist-5k", part="test")
