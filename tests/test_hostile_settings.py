"""Saved settings can never lock the window out: each one is read on its own, a bad one falls back
to its default and the rest are kept, and the window opens whatever the settings file holds."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from test_cli import one_line_error, run

from nnviz.engine.trainer import TrainConfig
from nnviz.session import Setup
from nnviz.ui.app import run_app
from nnviz.ui.persistence import load_setup, save_setup
from nnviz.ui.window import MainWindow

KEPT = {"run/hidden": "7", "run/seed": "3"}  # good values beside each bad one: they must survive


def settings_file(path: Path, values: dict[str, str]) -> QSettings:
    """A settings file as a user might have edited it: every value text, as INI stores it."""
    lines = {}
    for key, value in values.items():
        group, name = key.split("/")
        lines.setdefault(group, []).append(f"{name}={value}")
    path.write_text("".join(f"[{group}]\n" + "\n".join(names) + "\n" for group, names in lines.items()))
    return QSettings(str(path), QSettings.Format.IniFormat)


BAD = {
    "run/speed_limit": ["nan", "inf", "-inf", "-5", "1e9", "fast"],
    "run/batch_size": ["99999999999", "3000000000", "-3", "2.5", "abc", "1,2"],
    "run/eval_every": ["99999999999", "0", "ten"],
    "run/alpha": ["abc", "nan", "inf", "1e308", "-1", "0"],
    "run/hidden": ["10.0", "0", "5000", "many"],
    "run/seed": ["1.5", "-1", "99999999999"],
    "run/init": ["zeros", "1"],
    "run/dev_size": ["abc", "-7", "10.5"],
    "run/data": ["", "a,b"],
}
CASES = [(key, value) for key, values in BAD.items() for value in values]


@pytest.mark.parametrize(("key", "value"), CASES, ids=[f"{k}={v}" for k, v in CASES])
def test_a_bad_saved_setting_falls_back_to_its_default_and_keeps_the_others(tmp_path, key, value):
    kept = {k: v for k, v in KEPT.items() if k != key}
    setup, speed_limit = load_setup(settings_file(tmp_path / "nnviz.ini", {**kept, key: value}))
    defaults = Setup()
    name = key.split("/")[1]
    if name == "speed_limit":
        assert speed_limit is None
    elif name in ("data", "dev_size"):
        assert getattr(setup, name) == getattr(defaults, name)
    else:
        assert getattr(setup.config, name) == getattr(defaults.config, name)
    for kept_key, kept_value in kept.items():
        assert getattr(setup.config, kept_key.split("/")[1]) == int(kept_value)


def test_good_settings_come_back_as_saved(settings):
    setup = Setup("some.csv", 250, TrainConfig(hidden=12, alpha=0.05, batch_size=64, init="uniform", seed=9))
    save_setup(settings, setup, 2.5)
    settings.sync()
    assert load_setup(QSettings(settings.fileName(), QSettings.Format.IniFormat)) == (setup, 2.5)


def test_full_batch_and_no_speed_limit_come_back_as_saved(settings):
    save_setup(settings, Setup(), None)
    assert load_setup(settings) == (Setup(), None)


@pytest.fixture
def user_settings(tmp_path, monkeypatch):
    """Where the window's own QSettings() live during the test: a folder of the test's."""
    config = tmp_path / "config"
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(config))
    yield config / "nnviz" / "nnviz.conf"
    home = os.environ.get("XDG_CONFIG_HOME", str(Path.home() / ".config"))
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, home)


@pytest.fixture
def opened(monkeypatch):
    """run_app with its event loop replaced by a look at what opened (then it is closed)."""
    seen: list[MainWindow] = []

    def look(self=None) -> int:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        seen.extend(windows)
        for w in windows:
            w.close()
        return 0

    monkeypatch.setattr(QApplication, "exec", look)
    return seen


def test_the_window_opens_whatever_garbage_its_settings_file_holds(qtbot, tmp_path, user_settings, opened):
    pipe = tmp_path / "last.csv"
    os.mkfifo(pipe)  # the last data file, since replaced by a named pipe
    user_settings.parent.mkdir(parents=True)
    settings_file(
        user_settings,
        {
            "window/geometry": "garbage",
            "window/split_main": "1,2,3",
            "window/split_curves": "@ByteArray(not a state)",
            "look/desk_zoom": "nan",
            "look/projector": "neon",
            "run/data": str(pipe),
            "run/dev_size": "4999999",  # larger than the data (the file shrank)
            "run/speed_limit": "inf",
            "run/batch_size": "99999999999",
            "run/eval_every": "99999999999",
            "run/alpha": "abc",
            "run/hidden": "7",
        },
    )
    assert run_app(run_options()) == 0
    assert len(opened) == 1
    window = opened[0]
    assert window.run_settings.hidden.value() == 7  # kept beside the bad ones
    assert window.run_settings.dev_size.value() == 1000  # the default: the saved one cannot fit
    assert "mnist-5k" in window.run_settings.data.text()


def test_a_read_only_settings_file_is_said_once_and_the_window_still_opens(
    qtbot, tmp_path, user_settings, opened, capsys
):
    user_settings.parent.parent.mkdir(parents=True)
    user_settings.parent.write_text("a file where the settings folder should be")
    assert run_app(run_options()) == 0
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(opened) == 1 and len(lines) == 1 and "settings cannot be saved" in lines[0]


def run_options():
    from nnviz.cli import build_parser

    return build_parser().parse_args([])


def test_a_batch_size_too_large_for_the_window_is_refused_on_the_command_line(capsys):
    one_line_error(*run(capsys, "--batch-size", "3000000000")[::2], "--batch-size", "1,000,000")
