"""Remake the README's pictures of the Mistakes page, at a desk and in lecture-hall mode.

    python scripts/make_mistakes_screenshots.py docs/

Draws offscreen on a virtual 1280x720 screen (a common projector), from default settings (the
user's saved settings are not read or changed), after TRAINED iterations on the embedded digits.
The picture of the page alone is `nnviz --screenshot docs/mistakes.png --after 100 --view confusion`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

SCREEN = {
    "name": "projector",
    "x": 0,
    "y": 0,
    "width": 1280,
    "height": 720,
    "logicalDpiX": 96,
    "logicalDpiY": 96,
}
TRAINED = 100
CELL = (4, 9)  # a confusion the embedded digits show early: its digits in the desk picture's gallery


def main(out: Path) -> None:
    scratch = tempfile.mkdtemp()
    screen = Path(scratch) / "screen.json"
    screen.write_text(json.dumps({"screens": [SCREEN]}))
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={screen}"

    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from nnviz.data import EMBEDDED, load_dataset
    from nnviz.session import Setup
    from nnviz.ui.look import configure_drawing
    from nnviz.ui.window import MainWindow

    app = QApplication(sys.argv[:1])
    configure_drawing()
    settings = QSettings(str(Path(scratch) / "nnviz.ini"), QSettings.Format.IniFormat)
    window = MainWindow(Setup(), load_dataset(EMBEDDED), settings)
    window.showMaximized()

    def save(name: str) -> None:
        path = out / name
        window.grab().save(str(path))
        print(f"saved {path}")

    steps = [
        lambda: window.show_mistakes(True),
        lambda: window.mistakes.show_cell(*CELL),
        lambda: save("mistakes-desk.png"),
        lambda: window.presentation.set_lecture_mode(True),
        lambda: window.mistakes.gallery.selections.setCurrentIndex(1),  # every mistake, most confident first
        lambda: save("mistakes-lecture.png"),
        window.close,  # the application ends with its last window
    ]

    def next_step() -> None:
        steps.pop(0)()
        if steps:
            QTimer.singleShot(400, next_step)  # let each change be laid out and painted

    def shown(snapshot) -> None:
        if snapshot.iteration >= TRAINED and not snapshot.running:
            window.snapshot_shown.disconnect(shown)
            QTimer.singleShot(300, next_step)

    window.snapshot_shown.connect(shown)
    window.run_until(TRAINED)
    app.exec()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    main(parser.parse_args().out)
