"""At start-up, say plainly which of the last session's settings are in force, with one click back
to the defaults: a demonstration that ended at alpha = 1000 (or 1e-5) must not make the next
lecture's first run diverge at once (or draw a flat line) without a word."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton

from nnviz.session import Setup


def describe(setup: Setup, speed_limit: float | None) -> dict[str, str]:
    """Each run setting as a lecturer would say it, by name."""
    config = setup.config
    return {
        "alpha": f"α = {config.alpha:g}",
        "hidden": f"{config.hidden} hidden units",
        "init": f"{config.init} init",
        "batch_size": "full batch" if config.batch_size is None else f"batches of {config.batch_size:,}",
        "seed": f"seed {config.seed}",
        "dev_size": "default dev set" if setup.dev_size is None else f"{setup.dev_size:,} dev digits",
        "eval_every": f"dev every {config.eval_every}",
        "speed_limit": "no speed limit" if speed_limit is None else f"at most {speed_limit:g} iterations/s",
    }


def carried_over(saved: Setup, saved_speed: float | None, in_force: Setup, speed: float | None) -> list[str]:
    """The saved settings that differ from the defaults and are in force now (not overridden by an
    option on the command line)."""
    default, remembered, now = (
        describe(Setup(), None),
        describe(saved, saved_speed),
        describe(in_force, speed),
    )
    return [text for name, text in remembered.items() if text != default[name] and now[name] == text]


class LastSessionBar(QFrame):
    """'Settings from your last session are in force: alpha = 1000, 32 hidden units.'
    [Use the defaults] [Keep them]"""

    def __init__(self, carried: list[str], use_defaults: Callable[[], object]) -> None:
        super().__init__()
        self.setObjectName("notice")
        self.label = QLabel(f"Settings from your last session are in force: {', '.join(carried)}.")
        self.label.setWordWrap(True)
        self.defaults_button = QPushButton("Use the defaults")
        self.defaults_button.setToolTip(
            "Start over with 10 hidden units, alpha 0.1, full batch, no speed limit"
        )
        self.keep_button = QPushButton("Keep them")
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 2, 8, 2)
        row.addWidget(self.label, 1)
        row.addWidget(self.defaults_button)
        row.addWidget(self.keep_button)
        for button in (self.defaults_button, self.keep_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Space must stay Start, not press a button
        self.defaults_button.clicked.connect(use_defaults)
        self.defaults_button.clicked.connect(self.hide)
        self.keep_button.clicked.connect(self.hide)
        self.setVisible(bool(carried))
