"""TrainConfig's fields as they come from outside (a checkpoint's JSON, the window's saved
settings): each value checked against the type its dataclass field declares and the engine's
range for it, field by field, so nothing half-valid reaches the engine and no field is re-typed
by hand elsewhere."""

from __future__ import annotations

import math
import types
import typing
from collections.abc import Mapping
from dataclasses import replace

from nnviz.engine.trainer import TrainConfig

FIELD_TYPES: dict[str, object] = typing.get_type_hints(TrainConfig)


def is_optional(name: str) -> bool:
    """Whether field `name` may be None (batch_size: None is the full batch)."""
    return type(None) in typing.get_args(FIELD_TYPES[name])


def checked_value(name: str, value: object) -> object:
    """`value` for field `name` if it has the field's type (10.0 is no hidden size, True no seed)
    and the engine takes it; else ValueError naming the field."""
    if name not in FIELD_TYPES:
        raise ValueError(f"unknown setting {name!r}")
    kind = FIELD_TYPES[name]
    if not _is_of(value, kind):
        raise ValueError(f"{name} = {value!r} is not {_described(kind)}")
    if kind is float:
        value = float(value)
    replace(TrainConfig(), **{name: value})  # the engine's own range check, on this field alone
    return value


def parsed_value(name: str, text: object) -> object:
    """Field `name`'s value from its spelling as text (a settings file), checked as above."""
    if name not in FIELD_TYPES:
        raise ValueError(f"unknown setting {name!r}")
    kind = _without_none(FIELD_TYPES[name])
    if isinstance(text, str) and kind in (int, float):
        text = kind(text.strip())  # ValueError if it is not spelled as one
    return checked_value(name, text)


def config_from(values: Mapping[str, object]) -> TrainConfig:
    """A TrainConfig from exactly its fields, each checked; ValueError naming the first bad one."""
    unknown = sorted(set(values) - set(FIELD_TYPES))
    if unknown:
        raise ValueError(f"unknown setting {unknown[0]!r}")
    missing = [name for name in FIELD_TYPES if name not in values]
    if missing:
        raise ValueError(f"setting {missing[0]!r} is missing")
    return TrainConfig(**{name: checked_value(name, values[name]) for name in FIELD_TYPES})


def _is_of(value: object, kind: object) -> bool:
    if isinstance(value, bool):
        return False
    if kind is int:
        return isinstance(value, int)
    if kind is float:
        return isinstance(value, int | float) and math.isfinite(value)
    if typing.get_origin(kind) is typing.Literal:
        return value in typing.get_args(kind)
    return value is None or _is_of(value, _without_none(kind))


def _without_none(kind: object) -> object:
    if isinstance(kind, types.UnionType) or typing.get_origin(kind) is typing.Union:
        return next(arg for arg in typing.get_args(kind) if arg is not type(None))
    return kind


def _described(kind: object) -> str:
    if kind is int:
        return "a whole number"
    if kind is float:
        return "a finite number"
    if typing.get_origin(kind) is typing.Literal:
        return "one of " + ", ".join(map(str, typing.get_args(kind)))
    return f"{_described(_without_none(kind))} or null"
