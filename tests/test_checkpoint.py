"""Checkpoints: a resumed run continues exactly; a bad file is refused with its name."""

import contextlib
import json
import subprocess
import sys
import time

import numpy as np
import pytest

from nnviz.engine.checkpoint import CheckpointError, load_checkpoint, save_checkpoint
from nnviz.engine.trainer import Examples, TrainConfig, Trainer


def data(n, seed):
    rng = np.random.default_rng(seed)
    return Examples.from_pixels(rng.integers(0, 256, (n, 784), dtype=np.uint8), rng.integers(0, 10, n))


def new_trainer(config, **state):
    return Trainer(data(50, 0), data(10, 1), config, **state)


@pytest.mark.parametrize("batch_size", [None, 16])
def test_save_and_resume_gives_the_same_parameters_as_an_uninterrupted_run(tmp_path, batch_size):
    config = TrainConfig(batch_size=batch_size, eval_every=3, alpha=0.2)
    straight = new_trainer(config)
    for _ in range(10):
        straight.step()

    first = new_trainer(config)
    for _ in range(5):
        first.step()
    save_checkpoint(tmp_path / "run.npz", first, {"source": "test"})
    ckpt = load_checkpoint(tmp_path / "run.npz")
    resumed = new_trainer(ckpt.config, params=ckpt.params, iteration=ckpt.iteration, history=ckpt.history)
    resumed.set_alpha(ckpt.alpha)
    for _ in range(5):
        resumed.step()

    for name, value in straight.params.arrays().items():
        np.testing.assert_array_equal(resumed.params.arrays()[name], value)
    for name, value in straight.history.as_arrays().items():
        np.testing.assert_array_equal(resumed.history.as_arrays()[name], value)
    assert ckpt.data == {"source": "test"}


def test_checkpoint_saving_leaves_no_temporary_files(tmp_path):
    save_checkpoint(tmp_path / "a.npz", new_trainer(TrainConfig()), {"source": "test"})
    assert [p.name for p in tmp_path.iterdir()] == ["a.npz"]


@pytest.mark.parametrize(
    "content",
    [b"", b"not a zip at all", b"PK\x03\x04truncated"],
    ids=["empty", "garbage", "truncated-zip"],
)
def test_unreadable_checkpoint_is_refused_with_its_name(tmp_path, content):
    path = tmp_path / "broken.npz"
    path.write_bytes(content)
    with pytest.raises(CheckpointError, match=r"broken\.npz"):
        load_checkpoint(path)


def test_foreign_npz_is_refused(tmp_path):
    path = tmp_path / "weights.npz"
    np.savez(path, W1=np.zeros((3, 3)))
    with pytest.raises(CheckpointError, match=r"weights\.npz.*not a valid nnviz checkpoint"):
        load_checkpoint(path)


def test_checkpoint_with_wrong_shapes_is_refused(tmp_path):
    path = tmp_path / "ckpt.npz"
    save_checkpoint(path, new_trainer(TrainConfig(hidden=4)), {"source": "test"})
    with np.load(path) as npz:
        arrays = dict(npz)
    arrays["W1"] = np.zeros((4, 100), dtype=np.float32)
    np.savez(path, **arrays)
    with pytest.raises(CheckpointError, match="W1"):
        load_checkpoint(path)


def test_missing_checkpoint_is_named(tmp_path):
    with pytest.raises(CheckpointError, match=r"nothing\.npz"):
        load_checkpoint(tmp_path / "nothing.npz")


def rewrite_settings(path, change):
    with np.load(path) as npz:
        arrays = dict(npz)
    settings = json.loads(str(arrays["settings"]))
    change(settings)
    arrays["settings"] = np.array(json.dumps(settings))
    np.savez(path, **arrays)


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (lambda s: s.update(data={}), "which data"),
        (lambda s: s["config"].update(eval_every=0), "eval_every"),
        (lambda s: s["config"].update(hidden=5000), "hidden"),
        (lambda s: s["config"].update(alpha=-1), "alpha"),
        (lambda s: s["config"].update(colour="red"), "colour"),
    ],
    ids=["no data source", "eval_every 0", "hidden 5000", "negative alpha", "unknown setting"],
)
def test_checkpoint_settings_are_validated_before_use(tmp_path, change, fragment):
    path = tmp_path / "ckpt.npz"
    save_checkpoint(path, new_trainer(TrainConfig()), {"source": "test"})
    rewrite_settings(path, change)
    with pytest.raises(CheckpointError, match=fragment):
        load_checkpoint(path)


def test_damaged_checkpoints_give_a_checkpoint_error_and_nothing_else(tmp_path):
    """Seeded mutations of a real checkpoint: flipped bytes, truncations, inserted noise."""
    from test_fuzz_loaders import mutate

    good = tmp_path / "good.npz"
    save_checkpoint(good, new_trainer(TrainConfig()), {"source": "test"})
    content, rng = good.read_bytes(), np.random.default_rng(11)
    for trial in range(300):
        path = tmp_path / f"damaged{trial}.npz"
        path.write_bytes(mutate(content, rng))
        with contextlib.suppress(CheckpointError):  # any other exception fails the test
            load_checkpoint(path)


SAVE_FOREVER = """
import sys
import numpy as np
from nnviz.engine.checkpoint import save_checkpoint
from nnviz.engine.trainer import Examples, TrainConfig, Trainer
rng = np.random.default_rng(0)
examples = Examples.from_pixels(rng.integers(0, 256, (50, 784), dtype=np.uint8), rng.integers(0, 10, 50))
trainer = Trainer(examples, None, TrainConfig(hidden=1024))  # 3 MB of W1: a save takes a while
print("ready", flush=True)
while True:
    save_checkpoint(sys.argv[1], trainer, {"source": "test"})
    trainer.step()
"""


def test_a_process_killed_while_saving_leaves_the_previous_checkpoint_intact(tmp_path):
    path = tmp_path / "run.npz"
    rng = np.random.default_rng(3)
    for _ in range(5):
        process = subprocess.Popen(
            [sys.executable, "-c", SAVE_FOREVER, str(path)], stdout=subprocess.PIPE, text=True
        )
        assert process.stdout.readline().strip() == "ready"
        time.sleep(0.3 + float(rng.random()))  # somewhere in the middle of one of many saves
        process.kill()
        process.wait(timeout=30)
        if path.exists():  # the first kill may come before any save finished
            checkpoint = load_checkpoint(path)
            assert checkpoint.params.W1.shape == (1024, 784)
    assert path.exists()
