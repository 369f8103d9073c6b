"""`nnviz train --resume CKPT --at N`: a saved run continued from any of its iterations, rebuilt exactly
from the keyframes the checkpoint carries; old checkpoints, without keyframes, still load."""

import numpy as np
import pytest
from test_cli import one_line_error, run, summary

import nnviz.engine.checkpoint

PARAMS = ("W1", "b1", "W2", "b2")
HISTORY = tuple(
    f"history_{name}" for name in ("iteration", "alpha", "train_loss", "dev_iteration", "dev_loss")
)


@pytest.fixture(autouse=True)
def few_saved_keyframes(monkeypatch):
    """Checkpoints keep at most 8 keyframes of h = 10: going back replays most iterations."""
    monkeypatch.setattr(nnviz.engine.checkpoint, "SAVED_KEYFRAMES", 8 * 31_840)


def assert_same_run(a_path, b_path, names=PARAMS + HISTORY):
    with np.load(a_path) as a, np.load(b_path) as b:
        for name in names:
            np.testing.assert_array_equal(a[name], b[name], err_msg=name)


def test_going_back_to_100_is_the_run_that_stopped_at_100(capsys, tmp_path):
    quiet = ("--quiet", "--eval-every", "7")
    run(capsys, "train", "--iterations", "150", "--save", tmp_path / "a.npz", *quiet)
    with np.load(tmp_path / "a.npz") as a:
        kept = a["keyframe_iterations"]
    assert len(kept) <= 8 and 100 not in kept  # rebuilt, not read
    code, out, _ = run(
        capsys, "train", "--resume", tmp_path / "a.npz", "--at", "100", "--iterations", "0",
        "--save", tmp_path / "b.npz", "--json", *quiet,
    )  # fmt: skip
    assert code == 0 and summary(out)["iterations"] == 100
    run(capsys, "train", "--iterations", "100", "--save", tmp_path / "c.npz", *quiet)
    assert_same_run(tmp_path / "b.npz", tmp_path / "c.npz")
    with np.load(tmp_path / "b.npz") as b:
        assert b["keyframe_iterations"][-1] <= 100


def test_a_branch_with_another_alpha_is_the_run_that_changed_alpha_there(capsys, tmp_path):
    mini = ("--batch-size", "64", "--quiet")
    run(capsys, "train", "--iterations", "120", "--save", tmp_path / "a.npz", *mini)
    run(
        capsys, "train", "--resume", tmp_path / "a.npz", "--at", "50", "--alpha", "0.3", "--iterations", "30",
        "--save", tmp_path / "branch.npz", *mini,
    )  # fmt: skip
    run(capsys, "train", "--iterations", "50", "--save", tmp_path / "c.npz", *mini)
    run(
        capsys, "train", "--resume", tmp_path / "c.npz", "--alpha", "0.3", "--iterations", "30",
        "--save", tmp_path / "d.npz", *mini,
    )  # fmt: skip
    assert_same_run(tmp_path / "branch.npz", tmp_path / "d.npz")
    with np.load(tmp_path / "branch.npz") as branch:
        assert branch["history_alpha"][50] == 0.1 and branch["history_alpha"][51] == 0.3


def test_going_back_needs_a_run_and_an_iteration_it_reached(capsys, tmp_path):
    one_line_error(*run(capsys, "train", "--at", "5")[::2], "--at N needs --resume")
    run(capsys, "train", "--iterations", "10", "--save", tmp_path / "run.npz", "--quiet")
    code, _, err = run(capsys, "train", "--resume", tmp_path / "run.npz", "--at", "11")
    one_line_error(code, err, "run.npz", "--at 11 is past the run's last iteration (10)")


def without_keyframes(path, to):
    with np.load(path) as npz:
        arrays = {name: npz[name] for name in npz.files if not name.startswith("keyframe_")}
    np.savez(to, **arrays)


def test_a_checkpoint_saved_before_keyframes_resumes_and_says_why_it_cannot_go_back(capsys, tmp_path):
    run(capsys, "train", "--iterations", "10", "--save", tmp_path / "run.npz", "--quiet")
    without_keyframes(tmp_path / "run.npz", tmp_path / "old.npz")
    code, out, _ = run(
        capsys, "train", "--resume", tmp_path / "old.npz", "--iterations", "2", "--json", "--quiet"
    )
    assert code == 0 and summary(out)["iterations"] == 12
    code, _, err = run(capsys, "train", "--resume", tmp_path / "old.npz", "--at", "4")
    one_line_error(code, err, "old.npz", "from iteration 10 on only")


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda a: a.pop("keyframe_W2"), "no keyframe_W2 array"),
        (lambda a: a.update(keyframe_iterations=a["keyframe_iterations"][::-1].copy()), "not increasing"),
        (lambda a: a.update(keyframe_iterations=a["keyframe_iterations"] + 50), "not increasing"),
        (lambda a: a.update(keyframe_b1=a["keyframe_b1"] * np.nan), "keyframe_b1 holds values that are not"),
        (lambda a: a.update(keyframe_W1=a["keyframe_W1"][:, :3]), "keyframe_W1 is float32"),
    ],
    ids=["missing", "decreasing", "past the end", "not finite", "wrong shape"],
)
def test_bad_keyframes_are_refused_in_one_line(capsys, tmp_path, change, expected):
    run(capsys, "train", "--iterations", "10", "--save", tmp_path / "run.npz", "--quiet")
    with np.load(tmp_path / "run.npz") as npz:
        arrays = {name: npz[name] for name in npz.files}
    change(arrays)
    np.savez(tmp_path / "bad.npz", **arrays)
    one_line_error(*run(capsys, "train", "--resume", tmp_path / "bad.npz")[::2], "bad.npz", expected)
