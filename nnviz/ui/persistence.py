"""What the window remembers between launches (QSettings): layout and the last run settings."""

from __future__ import annotations

from dataclasses import asdict, fields

from PySide6.QtCore import QSettings

from nnviz.engine.trainer import TrainConfig
from nnviz.session import Setup

CONFIG_TYPES = {"hidden": int, "alpha": float, "init": str, "seed": int, "eval_every": int, "batch_size": int}


def save_setup(settings: QSettings, setup: Setup, speed_limit: float | None) -> None:
    settings.setValue("run/data", setup.data)
    settings.setValue("run/dev_size", -1 if setup.dev_size is None else setup.dev_size)
    for name, value in asdict(setup.config).items():
        settings.setValue(f"run/{name}", 0 if value is None else value)
    settings.setValue("run/speed_limit", 0 if speed_limit is None else speed_limit)


def load_setup(settings: QSettings) -> tuple[Setup, float | None]:
    """The last run's settings; anything missing, unreadable or out of range: the defaults."""
    try:
        values = {
            f.name: CONFIG_TYPES[f.name](settings.value(f"run/{f.name}", getattr(TrainConfig(), f.name) or 0))
            for f in fields(TrainConfig)
        }
        values["batch_size"] = values["batch_size"] or None
        config = TrainConfig(**values)  # validates every field
        dev_size = int(settings.value("run/dev_size", -1))
        speed = float(settings.value("run/speed_limit", 0)) or None
    except (TypeError, ValueError):
        return Setup(), None
    data = str(settings.value("run/data", Setup().data))
    return Setup(data=data, dev_size=None if dev_size < 0 else dev_size, config=config), speed
