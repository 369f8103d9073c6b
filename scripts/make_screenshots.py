"""Remake the README's pictures of the inspector and of lecture-hall mode.

    python scripts/make_screenshots.py docs/

Draws offscreen on a virtual 1920x1080 screen, from default settings (the user's saved
settings are not read or changed). The main window picture is `nnviz --screenshot`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

SCREEN = {"name": "hall", "x": 0, "y": 0, "width": 1920, "height": 1080, "logicalDpiX": 96, "logicalDpiY": 96}
TRAINED = 80  # iterations before the pictures: the filters have started to take shape


def offscreen_window(screen: dict):
    """(app, window): the window on the embedded digits from default settings, offscreen on a
    virtual `screen`, with settings of its own in a scratch folder."""
    scratch = tempfile.mkdtemp()
    config = Path(scratch) / "screen.json"
    config.write_text(json.dumps({"screens": [screen]}))
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from nnviz.data import EMBEDDED, load_dataset
    from nnviz.session import Setup
    from nnviz.ui.look import configure_drawing
    from nnviz.ui.window import MainWindow

    app = QApplication(sys.argv[:1])
    configure_drawing()
    settings = QSettings(str(Path(scratch) / "nnviz.ini"), QSettings.Format.IniFormat)
    return app, MainWindow(Setup(), load_dataset(EMBEDDED), settings)


def when_trained(window, iterations: int, steps) -> None:
    """Train `iterations`, then take `steps()` (a list of calls) in turn, each laid out and painted
    before the next."""
    from PySide6.QtCore import QTimer

    def next_step(waiting: list) -> None:
        waiting.pop(0)()
        if waiting:
            QTimer.singleShot(400, lambda: next_step(waiting))

    def shown(snapshot) -> None:
        if snapshot.iteration >= iterations and not snapshot.running:
            window.snapshot_shown.disconnect(shown)
            QTimer.singleShot(300, lambda: next_step(steps()))

    window.snapshot_shown.connect(shown)
    window.run_until(iterations)


def main(out: Path) -> None:
    app, window = offscreen_window(SCREEN)
    window.resize(1600, 1000)
    window.show()

    def save(widget, name: str) -> None:
        path = out / name
        widget.grab().save(str(path))
        print(f"saved {path}")

    def inspector() -> list:
        dialog = window.inspect()
        dialog.resize(1600, 1000)
        dialog.example.index.setValue(3)
        return [
            lambda: dialog.show_stage(1),
            lambda: save(dialog, "inspector-forward.png"),
            lambda: dialog.show_stage(9),
            lambda: save(dialog, "inspector-backward.png"),
            dialog.reject,
            lambda: window.presentation.set_lecture_mode(True),
            lambda: save(window, "lecture-light.png"),
            lambda: window.presentation.set_dark(True),
            lambda: save(window, "lecture-dark.png"),
            app.quit,
        ]

    when_trained(window, TRAINED, inspector)
    app.exec()
    window.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    main(parser.parse_args().out)
