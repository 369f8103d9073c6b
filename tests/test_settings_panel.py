"""The run settings panel on its own."""

import pytest

from nnviz.session import Setup
from nnviz.ui.settings_panel import RunSettingsPanel


@pytest.mark.parametrize("failing", ["batch", "init"])
def test_a_failure_while_showing_settings_leaves_no_field_deaf(qtbot, monkeypatch, failing):
    """Showing a setup silences the fields' signals; an error half-way must not leave them silenced,
    or every later edit would go unnoticed (no 'press Reset' note)."""
    panel = RunSettingsPanel()
    qtbot.addWidget(panel)
    widget = getattr(panel, failing)

    def broken(*args):
        raise RuntimeError("cannot show this value")

    monkeypatch.setattr(widget, "setCurrentText" if failing == "init" else "setValue", broken)
    with pytest.raises(RuntimeError):
        panel.show_setup(Setup(), "mnist-5k", 1000)
    assert not widget.signalsBlocked()
