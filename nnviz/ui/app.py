"""Start the window: settings from the command line over the last session's, then the event loop."""

from __future__ import annotations

import os
import sys
import tempfile
from argparse import Namespace
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from nnviz.data import EMBEDDED, DataError, load_dataset
from nnviz.files import check_writable
from nnviz.session import Setup, setup_from_options
from nnviz.ui.last_session import carried_over
from nnviz.ui.look import configure_drawing
from nnviz.ui.persistence import forget_unusable_layout, load_setup, unsaved_warning
from nnviz.ui.window import MainWindow
from nnviz.worker.snapshot import Snapshot

SCREENSHOT_SIZE = (1600, 1000)


def run_app(options: Namespace) -> int:
    if problem := _no_display():
        raise DataError(problem)
    if (options.after or options.view != "window") and not options.screenshot:
        raise DataError("--after and --view go with --screenshot; give --screenshot FILE.png too")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("nnviz")
    app.setOrganizationName("nnviz")
    configure_drawing()
    scratch = tempfile.TemporaryDirectory() if options.screenshot else None
    if options.screenshot and (problem := check_writable(Path(options.screenshot))):
        raise DataError(f"{options.screenshot}: cannot write here: {problem}")
    # A scripted screenshot starts from the defaults (and the options given), never from what the
    # user last had, and leaves the user's settings alone.
    settings = QSettings(f"{scratch.name}/nnviz.ini", QSettings.Format.IniFormat) if scratch else QSettings()
    if warning := unsaved_warning(settings):
        print(f"nnviz: {warning}", file=sys.stderr)
    forget_unusable_layout(settings)
    saved, speed_limit = load_setup(settings)
    setup = setup_from_options(options, saved)
    try:
        data = load_dataset(setup.data)
    except DataError:
        if getattr(options, "data", None):  # asked for on the command line: say so, exit code 2
            raise
        # The last session's file is gone (or unusable): start on the embedded digits.
        setup = Setup(EMBEDDED, None, setup.config)
        data = load_dataset(EMBEDDED)
    if (
        setup.dev_size is not None
        and setup.dev_size >= len(data)
        and getattr(options, "dev_size", None) is None
    ):
        setup = replace(setup, dev_size=None)  # the saved dev size no longer fits the data
    carried = carried_over(saved, speed_limit, setup, speed_limit)
    window = MainWindow(setup, data, settings, speed_limit, carried)
    if options.screenshot:
        if options.view not in window.views:
            window.close()
            raise DataError(f"--view {options.view}: no such view; one of {', '.join(window.views)}")
        window.resize(*SCREENSHOT_SIZE)  # the same picture whatever the screen, even offscreen
        _screenshot_when_done(window, Path(options.screenshot), options.after, options.view)
    window.show()
    try:
        return app.exec()
    finally:
        if scratch:
            scratch.cleanup()


def _no_display() -> str | None:
    """On Linux without a display Qt aborts with a misleading message; say what to do instead."""
    platform_set = os.environ.get("QT_QPA_PLATFORM")
    has_display = os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    if sys.platform.startswith("linux") and not platform_set and not has_display:
        return (
            "no display to open the window on (DISPLAY is not set): train with `nnviz train`, or "
            "set QT_QPA_PLATFORM=offscreen for `nnviz --screenshot`"
        )
    return None


def _screenshot_when_done(window: MainWindow, path: Path, iterations: int, view: str) -> None:
    """Run `iterations` iterations, wait for their frame to be drawn, save the view, quit."""

    def shown(snapshot: Snapshot) -> None:
        if snapshot.error:
            print(f"nnviz: error: training stopped: {snapshot.error}", file=sys.stderr)
            finish(1)
        elif not snapshot.running and (snapshot.iteration >= iterations or snapshot.divergence):
            if snapshot.divergence:  # the run stopped itself: picture it, and say why it is short
                print(f"nnviz: {snapshot.divergence.message()}", file=sys.stderr)
            window.snapshot_shown.disconnect(shown)
            QTimer.singleShot(200, save)

    def save() -> None:
        ok = window.views[view].grab().save(str(path))
        print(f"saved {path}" if ok else f"nnviz: error: could not write {path}", file=sys.stderr)
        finish(0 if ok else 1)

    def finish(code: int) -> None:
        QApplication.instance().exit(code)
        window.close()

    window.show_view(view)  # in sight from the start: it draws every frame, as a user would see it
    window.snapshot_shown.connect(shown)
    if iterations:
        window.run_until(iterations)
