"""What the window remembers between launches (QSettings): layout and the last run settings.

Every saved setting is read on its own, with the type and range its field declares: one that is
unreadable or out of range falls back to its default and the rest are kept, so no settings file,
however edited or damaged, can keep the window from opening.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, replace
from functools import partial
from typing import TypeVar

from PySide6.QtCore import QByteArray, QSettings

from nnviz.engine.config_values import FIELD_TYPES, is_optional, parsed_value
from nnviz.engine.trainer import TrainConfig
from nnviz.session import Setup
from nnviz.ui.controls import SPEED_MAX, SPEED_MIN

T = TypeVar("T")
# How "none" is saved: full batch (batch_size None) as 0, the default dev size as -1, no speed limit as 0.
NO_BATCH_SIZE, DEFAULT_DEV_SIZE, NO_SPEED_LIMIT = 0, -1, 0


def save_setup(settings: QSettings, setup: Setup, speed_limit: float | None) -> None:
    settings.setValue("run/data", setup.data)
    settings.setValue("run/dev_size", DEFAULT_DEV_SIZE if setup.dev_size is None else setup.dev_size)
    for name, value in asdict(setup.config).items():
        settings.setValue(f"run/{name}", NO_BATCH_SIZE if value is None else value)
    settings.setValue("run/speed_limit", NO_SPEED_LIMIT if speed_limit is None else speed_limit)


def load_setup(settings: QSettings) -> tuple[Setup, float | None]:
    """The last run's settings; each one missing, unreadable or out of range: its default."""
    defaults = Setup()
    config = defaults.config
    for name in FIELD_TYPES:
        config = _read(settings, f"run/{name}", partial(_with_field, config, name), config)
    setup = Setup(
        data=_read(settings, "run/data", _data, defaults.data),
        dev_size=_read(settings, "run/dev_size", _dev_size, defaults.dev_size),
        config=config,
    )
    return setup, _read(settings, "run/speed_limit", _speed_limit, None)


def forget_unusable_layout(settings: QSettings) -> None:
    """Drop saved window geometry and splitter states that are not Qt's bytes (an edited file):
    Qt refuses them with an exception, where damaged bytes it merely ignores."""
    settings.beginGroup("window")
    try:
        for key in settings.childKeys():
            if not isinstance(settings.value(key), QByteArray | bytes):
                settings.remove(key)
    finally:
        settings.endGroup()


def unsaved_warning(settings: QSettings) -> str | None:
    """What to tell the user, once, if this session's settings cannot be saved (a read-only home)."""
    if settings.isWritable():
        return None
    return f"settings cannot be saved to {settings.fileName()}: the file or its folder is read-only"


def _read(settings: QSettings, key: str, parse: Callable[[object], T], default: T) -> T:
    raw = settings.value(key)
    if raw is None:
        return default
    try:
        return parse(raw)
    except (TypeError, ValueError, OverflowError):
        return default


def _with_field(config: TrainConfig, name: str, raw: object) -> TrainConfig:
    """`config` with field `name` as saved, if that is a value the field takes."""
    if is_optional(name) and _whole(raw) == NO_BATCH_SIZE:
        return replace(config, **{name: None})
    return replace(config, **{name: parsed_value(name, raw)})


def _whole(raw: object) -> int | None:
    """A whole number as saved (text in a file, an int within a session), else None."""
    if isinstance(raw, str):
        try:
            return int(raw.strip())
        except ValueError:
            return None
    return raw if isinstance(raw, int) and not isinstance(raw, bool) else None


def _data(raw: object) -> str:
    if not isinstance(raw, str) or not raw:
        raise TypeError("not a data source")
    return raw


def _dev_size(raw: object) -> int | None:
    dev_size = _whole(raw)
    if dev_size is None or dev_size < DEFAULT_DEV_SIZE:
        raise ValueError("not a dev size")
    return None if dev_size == DEFAULT_DEV_SIZE else dev_size


def _speed_limit(raw: object) -> float | None:
    limit = float(raw)
    if limit == NO_SPEED_LIMIT:
        return None
    if not (math.isfinite(limit) and SPEED_MIN <= limit <= SPEED_MAX):
        raise ValueError("not a speed limit")
    return limit
