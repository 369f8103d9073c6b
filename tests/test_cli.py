"""`nnviz train` and `nnviz data`: the engine from the command line, and one-line errors with exit code 2."""

import csv
import json
import math
import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from idx_files import digits, write_broken_pair, write_pair
from test_loaders import BAD_CSV, BAD_IDX, BAD_NPZ, IMAGES, LABELS

from nnviz.cli import main
from nnviz.engine.trainer import Trainer


def run(capsys, *args: str) -> tuple[int, str, str]:
    """Run the CLI in this process; returns (exit code, stdout, stderr)."""
    try:
        code = main([str(a) for a in args])
    except SystemExit as exit_:
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err


def summary(out: str) -> dict:
    return json.loads(out.strip().splitlines()[-1])


def test_uniform_init_reproduces_the_seed_notebooks_curve_on_the_embedded_digits(capsys):
    code, out, _ = run(
        capsys, "train", "--init", "uniform", "--alpha", "0.1", "--iterations", "500", "--json", "--quiet"
    )
    result = summary(out)
    assert code == 0
    assert result["iterations"] == 500 and result["train_examples"] == 4000 and result["dev_examples"] == 1000
    assert result["dev_accuracy"] >= 0.80
    assert result["test_accuracy"] is None
    assert result["iterations_per_second"] > 0 and result["seconds"] > 0


def test_json_summary_has_every_documented_field(capsys):
    _, out, _ = run(capsys, "train", "--iterations", "3", "--json", "--quiet")
    expected = {
        "iterations", "alpha", "hidden", "init", "batch_size", "train_examples", "dev_examples",
        "train_loss", "train_accuracy", "dev_accuracy", "test_accuracy", "seconds", "iterations_per_second",
    }  # fmt: skip
    assert expected <= summary(out).keys()


def test_progress_lines_every_k_iterations_on_stdout_and_a_bar_on_stderr(capsys):
    code, out, err = run(capsys, "train", "--iterations", "30", "--eval-every", "10")
    lines = [line for line in out.splitlines() if line.startswith("iteration")]
    assert code == 0 and len(lines) == 3
    assert lines[-1].split()[1] == "30" and "dev acc" in lines[-1]
    assert "30/30" in err


def test_test_accuracy_from_idx_gz_files_laid_out_as_the_official_t10k(capsys, tmp_path):
    images, labels = digits(50, seed=3)
    write_pair(tmp_path, images, labels, prefix="t10k", gz=True)
    for test in (tmp_path, tmp_path / "t10k-images-idx3-ubyte.gz"):
        code, out, _ = run(capsys, "train", "--iterations", "2", "--test", test, "--json", "--quiet")
        result = summary(out)
        assert code == 0 and result["test_examples"] == 50 and 0 <= result["test_accuracy"] <= 1


def test_mini_batches_and_other_settings_reach_the_engine(capsys):
    code, out, _ = run(
        capsys, "train", "--iterations", "5", "--batch-size", "64", "--hidden", "7", "--init", "uniform",
        "--seed", "3", "--dev-size", "500", "--json", "--quiet",
    )  # fmt: skip
    result = summary(out)
    assert code == 0
    assert (result["batch_size"], result["hidden"], result["init"], result["seed"]) == (64, 7, "uniform", 3)
    assert (result["train_examples"], result["dev_examples"]) == (4500, 500)


def test_same_seed_same_numbers(capsys):
    results = [summary(run(capsys, "train", "--iterations", "5", "--json", "--quiet")[1]) for _ in range(2)]
    assert results[0]["train_loss"] == results[1]["train_loss"]


def test_resume_continues_exactly_like_an_uninterrupted_run(capsys, tmp_path):
    options = ("--batch-size", "500", "--eval-every", "4", "--quiet")
    run(capsys, "train", "--iterations", "12", "--save", tmp_path / "straight.npz", *options)
    run(capsys, "train", "--iterations", "5", "--save", tmp_path / "half.npz", *options)
    code, out, _ = run(
        capsys, "train", "--resume", tmp_path / "half.npz", "--iterations", "7", "--save", tmp_path / "b.npz",
        "--json", "--quiet",
    )  # fmt: skip
    assert code == 0 and summary(out)["iterations"] == 12
    with np.load(tmp_path / "straight.npz") as a, np.load(tmp_path / "b.npz") as b:
        for name in ("W1", "b1", "W2", "b2", "history_train_loss", "history_dev_accuracy"):
            np.testing.assert_array_equal(a[name], b[name], err_msg=name)


def test_resume_refuses_settings_that_would_change_the_run(capsys, tmp_path):
    run(capsys, "train", "--iterations", "2", "--save", tmp_path / "run.npz", "--quiet")
    code, _, err = run(capsys, "train", "--resume", tmp_path / "run.npz", "--hidden", "20")
    assert code == 2 and "--hidden 20 differs from the resumed run's (10)" in err


def test_metrics_csv_has_a_row_per_iteration_and_dev_every_k(capsys, tmp_path):
    path = tmp_path / "metrics.csv"
    run(capsys, "train", "--iterations", "20", "--eval-every", "5", "--metrics-csv", path, "--quiet")
    rows = list(csv.DictReader(path.open()))
    assert [int(r["iteration"]) for r in rows] == list(range(21))  # iteration 0 is the starting point
    assert [r["iteration"] for r in rows if r["dev_accuracy"]] == ["0", "5", "10", "15", "20"]
    assert float(rows[0]["train_loss"]) > float(rows[-1]["train_loss"])


def one_line_error(code: int, err: str, *fragments: str) -> None:
    lines = err.strip().splitlines()
    assert code == 2, err
    assert len(lines) == 1, err
    for fragment in fragments:
        assert fragment in lines[0]


@pytest.mark.parametrize(("broken", "content", "fragment"), BAD_IDX.values(), ids=BAD_IDX.keys())
def test_bad_idx_data_exits_2_with_one_line_naming_the_file(capsys, tmp_path, broken, content, fragment):
    bad = write_broken_pair(tmp_path, IMAGES, LABELS, broken, content)
    one_line_error(*run(capsys, "train", "--data", tmp_path)[::2], bad.name, fragment)


@pytest.mark.parametrize(("text", "fragment"), BAD_CSV.values(), ids=BAD_CSV.keys())
def test_bad_csv_data_exits_2_with_one_line_naming_the_file(capsys, tmp_path, text, fragment):
    path = tmp_path / "table.csv"
    path.write_text(text)
    one_line_error(*run(capsys, "train", "--data", path)[::2], "table.csv", fragment)


@pytest.mark.parametrize(("write", "fragment"), BAD_NPZ.values(), ids=BAD_NPZ.keys())
def test_bad_npz_test_data_exits_2_with_one_line_naming_the_file(capsys, tmp_path, write, fragment):
    path = tmp_path / "digits.npz"
    write(path)
    one_line_error(*run(capsys, "train", "--iterations", "1", "--test", path)[::2], "digits.npz", fragment)


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--hidden", "0"], "--hidden: 0 must be at least 1"),
        (["--hidden", "2000"], "at most 1024"),
        (["--alpha", "fast"], "'fast' is not a number"),
        (["--alpha", "0"], "--alpha: 0 must be at least 1e-05"),
        (["--seed", "99999999999"], "--seed"),
        (["--alpha", "nan"], "--alpha"),
        (["--batch-size", "0"], "neither a whole number from 1 to 1,000,000 nor 'full'"),
        (["--hidden", "3.5"], "'3.5' is not a whole number"),
        (["--init", "zeros"], "invalid choice"),
        (["--iterations", "-5"], "--iterations"),
        (["--dev-size", "5000"], "dev size 5000"),
        (["--data", "no/such/file.csv"], "no/such/file.csv: no such file"),
        (["--resume", "missing.npz"], "missing.npz"),
        (["--test", "mnist-5k"], "mnist-5k has no test part"),
    ],
)
def test_bad_usage_exits_2_with_one_line(capsys, args, fragment):
    one_line_error(*run(capsys, "train", "--iterations", "1", *args)[::2], fragment)


@pytest.mark.parametrize("option", ["--save", "--metrics-csv"])
@pytest.mark.parametrize("where", ["missing folder", "a directory"])
def test_an_unwritable_output_is_refused_before_training(capsys, tmp_path, option, where):
    target = tmp_path / "no" / "such.npz" if where == "missing folder" else tmp_path
    code, _, err = run(capsys, "train", "--iterations", "3", option, target, "--quiet")
    one_line_error(code, err, str(target), "cannot write here")


def test_options_before_the_subcommand_count_too(capsys):
    _, out, _ = run(capsys, "--hidden", "7", "train", "--iterations", "1", "--json", "--quiet")
    assert summary(out)["hidden"] == 7


def test_resume_refuses_other_data(capsys, tmp_path):
    run(capsys, "train", "--iterations", "2", "--save", tmp_path / "run.npz", "--quiet")
    images, labels = digits(30)
    write_pair(tmp_path, images, labels)
    code, _, err = run(capsys, "train", "--resume", tmp_path / "run.npz", "--data", tmp_path)
    one_line_error(code, err, "--data", "differs from the resumed run's (mnist-5k)")


def test_ctrl_c_stops_between_steps_and_still_saves_a_resumable_checkpoint(tmp_path):
    env = {**os.environ, "NNVIZ_DATA_DIR": str(tmp_path)}
    command = [sys.executable, "-m", "nnviz", "train", "--iterations", "100000", "--batch-size", "64"]
    process = subprocess.Popen(
        [*command, "--save", str(tmp_path / "run.npz"), "--eval-every", "10"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    assert process.stdout.readline().startswith("iteration")  # training has begun
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130 and "interrupted after iteration" in err
    with np.load(tmp_path / "run.npz") as npz:
        done = int(npz["iteration"])
        assert 0 < done < 100000 and npz["history_iteration"][-1] == done


def test_a_run_ends_with_one_line_on_the_whole_train_and_dev_sets(capsys):
    _, out, _ = run(capsys, "train", "--iterations", "25", "--eval-every", "10")
    last = out.strip().splitlines()[-1]
    assert last.startswith("done: iteration 25") and "train loss" in last and "dev loss" in last


def test_a_file_that_is_not_a_checkpoint_gets_no_advice_to_unpickle(capsys, tmp_path):
    path = tmp_path / "picture.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    code, _, err = run(capsys, "train", "--resume", path)
    one_line_error(code, err, "picture.png", "not an nnviz checkpoint")
    assert "pickle" not in err


def test_outputs_are_ordinary_readable_files(capsys, tmp_path):
    run(capsys, "train", "--iterations", "1", "--save", tmp_path / "run.npz", "--quiet")
    assert (tmp_path / "run.npz").stat().st_mode & 0o044  # group and others may read it, umask allowing


def test_window_usage_mistakes_exit_2(capsys, monkeypatch):
    one_line_error(*run(capsys, "--after", "5")[::2], "--after and --view go with --screenshot")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    one_line_error(*run(capsys)[::2], "no display", "nnviz train")


def test_a_corrupt_checkpoint_exits_2_naming_it(capsys, tmp_path):
    path = tmp_path / "run.npz"
    path.write_bytes(b"PK\x03\x04 not really")
    one_line_error(*run(capsys, "train", "--resume", path)[::2], "run.npz")


def test_data_info_counts_examples_per_label(capsys):
    code, out, _ = run(capsys, "data", "info", "mnist-5k")
    assert code == 0 and "5,000 examples" in out and "9: 500" in out


def test_data_info_on_a_bad_file_exits_2(capsys, tmp_path):
    path = tmp_path / "x.npz"
    path.write_text("nope")
    one_line_error(*run(capsys, "data", "info", path)[::2], "x.npz")


def test_download_with_a_checksum_mismatch_fails_cleanly_and_leaves_nothing(
    capsys, tmp_path, monkeypatch, mirrors
):
    monkeypatch.setenv("NNVIZ_DATA_DIR", str(tmp_path / "data"))
    images, labels = digits(20)
    fake = tmp_path / "fake"
    fake.mkdir()
    write_pair(fake, images, labels, gz=True)
    write_pair(fake, images, labels, prefix="t10k", gz=True)
    url = mirrors.publish("mirror", {p.name: p.read_bytes() for p in fake.iterdir()})
    code, _, err = run(capsys, "data", "download", "mnist", "--mirror", url)
    assert code == 2
    assert "train-images-idx3-ubyte.gz: no mirror delivered it intact" in err and "md5" in err
    assert list((tmp_path / "data" / "mnist").iterdir()) == []


def test_the_installed_command_runs_end_to_end(tmp_path):
    env = {**os.environ, "NNVIZ_DATA_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "nnviz", "train", "--iterations", "3", "--json", "--quiet"],
        capture_output=True, text=True, env=env, timeout=120, check=False, cwd=Path(__file__).parent,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert summary(done.stdout)["iterations"] == 3


@pytest.mark.parametrize("alpha", ["10", "1000"])
def test_a_diverging_run_exits_3_and_saves_the_last_good_parameters(capsys, tmp_path, alpha):
    code, _, err = run(capsys, "train", "--alpha", alpha, "--save", tmp_path / "run.npz", "--quiet")
    assert code == 3 and len(err.strip().splitlines()) == 1 and "diverged" in err
    with np.load(tmp_path / "run.npz") as npz:
        assert np.all(np.isfinite(npz["W1"])) and int(npz["iteration"]) <= 1


def test_a_network_that_dies_exits_3_saying_dead(capsys):
    code, _, err = run(
        capsys, "train", "--hidden", "3", "--batch-size", "1", "--iterations", "500", "--quiet"
    )
    assert code == 3 and "dead network at iteration" in err


def test_json_never_prints_a_bare_nan(capsys, monkeypatch):
    monkeypatch.setattr(Trainer, "evaluate", lambda self, examples: (math.nan, math.inf))

    def refuse(constant):
        raise AssertionError(f"{constant} is not JSON")

    code, out, _ = run(capsys, "train", "--iterations", "0", "--json", "--quiet")
    line = out.strip().splitlines()[-1]
    result = json.loads(line, parse_constant=refuse)
    assert code == 0 and result["train_loss"] is None and result["dev_accuracy"] is None
    assert summary(out)["iterations"] == 0
