"""Start the window: settings from the command line over the last session's, then the event loop."""

from __future__ import annotations

import sys
from argparse import Namespace
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from nnviz.data import EMBEDDED, DataError, load_dataset
from nnviz.engine.snapshot import Snapshot
from nnviz.session import Setup, setup_from_options
from nnviz.ui.look import configure_pyqtgraph
from nnviz.ui.persistence import load_setup
from nnviz.ui.window import MainWindow

SCREENSHOT_SIZE = (1600, 1000)


def run_app(options: Namespace) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("nnviz")
    app.setOrganizationName("nnviz")
    configure_pyqtgraph()
    settings = QSettings()
    saved, speed_limit = load_setup(settings)
    setup = setup_from_options(options, saved)
    try:
        data = load_dataset(setup.data)
    except DataError:
        if options.data:  # asked for on the command line: say so and stop (exit code 2)
            raise
        setup = Setup(
            EMBEDDED, None, setup.config
        )  # last session's file is gone: start on the embedded digits
        data = load_dataset(EMBEDDED)
    window = MainWindow(setup, data, settings, speed_limit)
    if options.screenshot:
        window.resize(*SCREENSHOT_SIZE)  # the same picture whatever the screen, even offscreen
        window.remember = False  # and the user's own window size and settings stay as they were
        _screenshot_when_done(window, Path(options.screenshot), options.after)
    window.show()
    return app.exec()


def _screenshot_when_done(window: MainWindow, path: Path, iterations: int) -> None:
    """Run `iterations` iterations, wait for their frame to be drawn, save the window, quit."""

    def shown(snapshot: Snapshot) -> None:
        if snapshot.iteration >= iterations and not snapshot.running:
            window.snapshot_shown.disconnect(shown)
            QTimer.singleShot(200, save)

    def save() -> None:
        ok = window.grab().save(str(path))
        print(f"saved {path}" if ok else f"nnviz: error: could not write {path}", file=sys.stderr)
        QApplication.instance().exit(0 if ok else 1)
        window.close()

    window.snapshot_shown.connect(shown)
    if iterations:
        window.run_until(iterations)
