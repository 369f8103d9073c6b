"""The train and test parts that IDX directories and Keras .npz files hold side by side."""

from __future__ import annotations

PARTS = ("train", "test")


def check_part(part: str) -> str:
    """`part` as "train" or "test"; "t10k", the IDX files' own word for test, is accepted too."""
    part = "test" if part == "t10k" else part
    if part not in PARTS:
        raise ValueError(f"part must be 'train' or 'test', not {part!r}")
    return part


def part_name(name: str, part: str) -> str:
    """A short name for the status bar: train is the default, so only the test part says so."""
    return name if part == "train" else f"{name} (test)"
