"""Settings that shape a run from iteration 0: they apply on Reset, and the panel says so."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel, QSpinBox

from nnviz.engine.network import INITS
from nnviz.engine.trainer import BATCH_SIZE_RANGE, EVAL_EVERY_RANGE, HIDDEN_RANGE, SEED_RANGE, TrainConfig
from nnviz.session import Setup
from nnviz.ui.fields import IntField


class RunSettingsPanel(QGroupBox):
    def __init__(self) -> None:
        super().__init__("Run settings (applied on Reset)")
        self.hidden = self._spin(
            "Hidden units",
            *HIDDEN_RANGE,
            "Hidden units h: how many ReLU units (and W1 filters). Typical: 10; try 32 or 64.",
        )
        self.init = QComboBox()
        self.init.addItems(INITS)
        self.init.setToolTip(
            "Initial weights. he: N(0, 2/fan_in), trains well. uniform: [-0.5, 0.5), the classic notebook's."
        )
        self.batch = self._spin(
            "Batch size",
            0,  # shown as "full"
            BATCH_SIZE_RANGE[1],
            "Examples per iteration. full: every training example (plain gradient descent, as in "
            "the lectures); 64 or 128 for faster, noisier steps.",
        )
        self.batch.setSpecialValueText("full")
        self.seed = self._spin(
            "Seed",
            *SEED_RANGE,
            "Random seed for the initial weights, the dev split and the batch order. Same seed, same run.",
        )
        self.dev_size = self._spin(
            "Dev examples", 0, 1_000_000, "Examples held out to measure honest (dev) accuracy. Typical: 1000."
        )
        self.eval_every = self._spin(
            "Dev every K", *EVAL_EVERY_RANGE, "Evaluate the dev set every K iterations. Typical: 10."
        )
        self.data = QLabel()
        self.data.setWordWrap(True)
        self.data.setToolTip("The training data. File > Open data… to choose IDX, CSV or NPZ files.")
        self.pending = QLabel("")
        self.pending.setObjectName("pending")
        self.pending.setWordWrap(True)
        form = QFormLayout(self)
        for label, widget in (
            ("Data", self.data),
            ("Hidden units", self.hidden),
            ("Init", self.init),
            ("Batch size", self.batch),
            ("Dev examples", self.dev_size),
            ("Seed", self.seed),
            ("Dev every K", self.eval_every),
        ):
            form.addRow(label, widget)
        form.addRow(self.pending)
        self.init.currentIndexChanged.connect(self._edited)
        self._data_spec = ""
        self._default_dev: int | None = None

    def fields(self) -> list[QSpinBox]:
        return [self.hidden, self.batch, self.seed, self.dev_size, self.eval_every]

    def _spin(self, what: str, low: int, high: int, tip: str) -> QSpinBox:
        spin = IntField(what)
        spin.setRange(low, high)
        spin.setGroupSeparatorShown(True)
        spin.setKeyboardTracking(False)
        spin.setToolTip(tip)
        spin.valueChanged.connect(self._edited)
        return spin

    def show_setup(self, setup: Setup, data_name: str, dev_size: int) -> None:
        """Display the settings in force; clears the 'reset to apply' note."""
        config = setup.config
        for widget, value in (
            (self.hidden, config.hidden),
            (self.batch, config.batch_size or 0),
            (self.seed, config.seed),
            (self.dev_size, dev_size),
            (self.eval_every, config.eval_every),
        ):
            with QSignalBlocker(widget):
                widget.setValue(value)
        with QSignalBlocker(self.init):
            self.init.setCurrentText(config.init)
        self._data_spec = setup.data
        self._default_dev = dev_size if setup.dev_size is None else None  # the data's own default, shown
        self.data.setText(data_name)
        self.pending.setText("")

    def setup(self, alpha: float, data: str | None = None) -> Setup:
        """The settings as edited, with the alpha in force and optionally other data."""
        config = TrainConfig(
            hidden=self.hidden.value(),
            init=self.init.currentText(),
            batch_size=self.batch.value() or None,
            seed=self.seed.value(),
            eval_every=self.eval_every.value(),
            alpha=alpha,
        )
        dev_size = self.dev_size.value()
        if dev_size == self._default_dev:
            dev_size = None  # still the default: other data gets its own, and nothing to carry over
        return Setup(data=data or self._data_spec, dev_size=dev_size, config=config)

    def _edited(self) -> None:
        self.pending.setText("Changed: press Reset (R) to start over with these settings.")
