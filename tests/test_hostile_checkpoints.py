"""Crafted checkpoints: every field's type, range and finiteness is checked, and the history must
add up, so a bad file is refused with one line naming it (exit 2), never a traceback or a run
that starts from nonsense."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from test_cli import one_line_error, run

from nnviz.engine.checkpoint import CheckpointError, load_checkpoint, save_checkpoint
from nnviz.engine.trainer import Examples, TrainConfig, Trainer


def examples(n: int, seed: int) -> Examples:
    rng = np.random.default_rng(seed)
    return Examples.from_pixels(rng.integers(0, 256, (n, 784), dtype=np.uint8), rng.integers(0, 10, n))


@pytest.fixture(scope="module")
def good_arrays(tmp_path_factory) -> dict[str, np.ndarray]:
    """The arrays of a real checkpoint, three iterations in, dev every 2."""
    trainer = Trainer(examples(40, 0), examples(10, 1), TrainConfig(hidden=4, eval_every=2))
    for _ in range(3):
        trainer.step()
    path = tmp_path_factory.mktemp("good") / "run.npz"
    save_checkpoint(path, trainer, {"source": "mnist-5k", "dev_size": None})
    with np.load(path) as npz:
        return dict(npz)


def with_settings(change):
    def crafted(arrays):
        settings = json.loads(str(arrays["settings"]))
        arrays["settings"] = np.array(json.dumps(change(settings)))

    return crafted


def with_config(**values):
    return with_settings(lambda s: {**s, "config": {**s["config"], **values}})


def with_array(name, value):
    def crafted(arrays):
        arrays[name] = np.asarray(value)

    return crafted


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


CRAFTED = {
    # name: (how the good arrays are changed, what the one line says)
    "alpha -1": (with_array("alpha", -1.0), "alpha = -1.0 is out of range"),
    "alpha 0": (with_array("alpha", 0.0), "alpha = 0.0 is out of range"),
    "alpha nan": (with_array("alpha", np.nan), "alpha = nan is not a finite number"),
    "alpha 1e308": (with_array("alpha", 1e308), "alpha = 1e+308 is out of range"),
    "config alpha nan": (with_config(alpha=math.nan), "alpha = nan is not a finite number"),
    "alpha a text": (with_array("alpha", "fast"), "alpha is <U4 (), expected a number"),
    "settings a list": (with_settings(lambda s: [s]), "settings are list, expected a JSON object"),
    "settings a string": (with_settings(lambda s: "settings"), "settings are str, expected a JSON object"),
    "settings a number": (with_settings(lambda s: 7), "settings are int, expected a JSON object"),
    "config a list": (
        with_settings(lambda s: {**s, "config": [1]}),
        "config are list, expected a JSON object",
    ),
    "data a string": (with_settings(lambda s: {**s, "data": "mnist-5k"}), "does not say which data"),
    "data a list": (with_settings(lambda s: {**s, "data": ["mnist-5k"]}), "does not say which data"),
    "dev_size abc": (
        with_settings(lambda s: {**s, "data": {"source": "x", "dev_size": "abc"}}),
        "dev_size = 'abc' is not a whole number",
    ),
    "dev_size 10.5": (
        with_settings(lambda s: {**s, "data": {"source": "x", "dev_size": 10.5}}),
        "dev_size = 10.5 is not a whole number",
    ),
    "seed 1.5": (with_config(seed=1.5), "seed = 1.5 is not a whole number"),
    "batch_size 2.5": (with_config(batch_size=2.5), "batch_size = 2.5 is not a whole number or null"),
    "hidden 10.0": (with_config(hidden=4.0), "hidden = 4.0 is not a whole number"),
    "hidden true": (with_config(hidden=True), "hidden = True is not a whole number"),
    "init zeros": (with_config(init="zeros"), "init = 'zeros' is not one of he, uniform"),
    "a setting missing": (
        with_settings(lambda s: {**s, "config": {"hidden": 4}}),
        "setting 'alpha' is missing",
    ),
    "settings 200,000 deep": (
        with_array("settings", nested(200_000)),
        "expected a JSON text of at most 65,536",
    ),
    "settings 30,000 deep": (with_array("settings", nested(30_000)), "settings are nested too deeply"),
    "settings not JSON": (with_array("settings", "{"), "settings are not JSON"),
    "iteration -5": (
        with_array("iteration", np.int64(-5)),
        "iteration is -5, expected a whole number from 0",
    ),
    "iteration 3.7": (with_array("iteration", 3.7), "iteration is float64 (), expected a whole number"),
    "iteration past the history": (with_array("iteration", np.int64(9)), "history_iteration is float64 (4,)"),
    "W1 nan": (
        with_array("W1", np.full((4, 784), np.nan, np.float32)),
        "W1 holds values that are not finite",
    ),
    "b2 inf": (with_array("b2", np.full((10, 1), np.inf, np.float32)), "b2 holds values that are not finite"),
    "W2 of ints": (with_array("W2", np.zeros((10, 4), np.int64)), "W2 is int64 (10, 4), expected float"),
    "history nan": (
        with_array("history_train_loss", [2.3, np.nan, 1.0, 0.9]),
        "history_train_loss holds values that are not finite numbers from 0 up",
    ),
    "history empty": (
        with_array("history_train_accuracy", np.zeros(0)),
        "history_train_accuracy is float64 (0,)",
    ),
    "history 2-D": (with_array("history_alpha", np.full((4, 1), 0.1)), "history_alpha is float64 (4, 1)"),
    "history miscounted": (
        with_array("history_iteration", [0.0, 1.0, 1.0, 3.0]),
        "history_iteration does not count 0, 1, ... 3",
    ),
    "history accuracy above 1": (
        with_array("history_dev_accuracy", [0.1, 1.5]),
        "history_dev_accuracy holds values that are not finite numbers from 0 to 1",
    ),
    "dev evaluations out of order": (
        with_array("history_dev_iteration", [2.0, 0.0]),
        "history_dev_iteration is not increasing whole numbers from 0 to 3",
    ),
    "dev evaluations of another length": (
        with_array("history_dev_loss", [2.3]),
        "history_dev_loss is float64 (1,), expected float (2,)",
    ),
    "an array missing": (lambda arrays: arrays.pop("history_dev_loss"), "no history_dev_loss array"),
}


@pytest.mark.parametrize(("craft", "says"), CRAFTED.values(), ids=CRAFTED.keys())
def test_a_crafted_checkpoint_is_refused_naming_the_file_and_the_field(tmp_path, good_arrays, craft, says):
    arrays = dict(good_arrays)
    craft(arrays)
    path = tmp_path / "crafted.npz"
    np.savez(path, **arrays)
    with pytest.raises(CheckpointError) as refused:
        load_checkpoint(path)
    message = str(refused.value)
    assert message.startswith(f"{path}: ") and says in message and "\n" not in message


@pytest.mark.parametrize("name", ["alpha nan", "settings a list", "seed 1.5", "iteration -5", "history nan"])
def test_a_crafted_checkpoint_given_to_resume_exits_2_with_one_line(capsys, tmp_path, good_arrays, name):
    arrays = dict(good_arrays)
    CRAFTED[name][0](arrays)
    path = tmp_path / "crafted.npz"
    np.savez(path, **arrays)
    one_line_error(
        *run(capsys, "train", "--resume", path, "--iterations", "1")[::2], "crafted.npz", CRAFTED[name][1]
    )


def test_the_good_checkpoint_loads(tmp_path, good_arrays):
    path = tmp_path / "good.npz"
    np.savez(path, **good_arrays)
    checkpoint = load_checkpoint(path)
    assert checkpoint.iteration == 3 and checkpoint.config.hidden == 4 and len(checkpoint.history) == 4
