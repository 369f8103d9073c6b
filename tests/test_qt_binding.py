"""The Qt binding must not leak or drop references: the app emits signals for hours.

PySide6 6.12.0 dropped a reference to True on every emit and to None on most calls, which
crashed the window after a few thousand frames on Python < 3.12 (where None and True are not
immortal). This is why pyproject.toml caps the version; lift the cap only if this passes.
"""

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction


class Emitter(QObject):
    fired = Signal(object)


def test_signals_and_slots_keep_the_refcounts_of_none_and_true(qapp):
    emitter, action = Emitter(), QAction("probe")
    emitter.fired.connect(lambda value: None)
    action.triggered.connect(lambda: None)
    before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(500):
        emitter.fired.emit(None)
        action.trigger()
        action.setText("probe")
    after = sys.getrefcount(None), sys.getrefcount(True)
    assert abs(after[0] - before[0]) < 50 and abs(after[1] - before[1]) < 50
