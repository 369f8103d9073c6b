"""Start the window: settings from the command line over the last session's, then the event loop."""

from __future__ import annotations

import os
import sys
import tempfile
from argparse import Namespace
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QWidget

from nnviz.data import EMBEDDED, DataError, load_dataset
from nnviz.errors import UserError
from nnviz.files import check_writable
from nnviz.session import Setup, setup_from_options
from nnviz.ui.last_session import carried_over
from nnviz.ui.look import configure_drawing
from nnviz.ui.persistence import forget_unusable_layout, load_setup, unsaved_warning
from nnviz.ui.pictures import save_image
from nnviz.ui.recording import Photographer
from nnviz.ui.window import MainWindow
from nnviz.worker.snapshot import Snapshot

SCREENSHOT_SIZE = (1600, 1000)


def run_app(options: Namespace) -> int:
    if (options.after or options.view != "window") and not options.screenshot:
        raise DataError("--after and --view go with --screenshot; give --screenshot FILE.png too")
    if options.screenshot and (problem := check_writable(Path(options.screenshot))):
        raise DataError(f"{options.screenshot}: cannot write here: {problem}")
    with open_window(options, scripted=bool(options.screenshot)) as (app, window):
        if options.screenshot:
            view = scripted_view(window, options.view)
            window.resize(*SCREENSHOT_SIZE)  # the same picture whatever the screen, even offscreen
            _screenshot_when_done(window, Path(options.screenshot), options.after, view)
        window.show()
        return app.exec()


@contextmanager
def open_window(options: Namespace, *, scripted: bool) -> Iterator[tuple[QApplication, MainWindow]]:
    """The window of `options`' run settings, over the last session's; a `scripted` one (a screenshot,
    a recording) starts from the defaults instead and leaves the user's settings alone."""
    if problem := _no_display():
        raise DataError(problem)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("nnviz")
    app.setOrganizationName("nnviz")
    configure_drawing()
    with tempfile.TemporaryDirectory() as scratch:
        settings = QSettings(f"{scratch}/nnviz.ini", QSettings.Format.IniFormat) if scripted else QSettings()
        yield app, _window(options, settings)


def scripted_view(window: MainWindow, name: str) -> QWidget:
    """The view `--view NAME` names, brought into sight; an unknown name ends in one line."""
    if name not in window.views:
        window.close()
        raise DataError(f"--view {name}: no such view; one of {', '.join(window.views)}")
    return window.show_view(name)


def _window(options: Namespace, settings: QSettings) -> MainWindow:
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
    return MainWindow(setup, data, settings, speed_limit, carried)


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


def _screenshot_when_done(window: MainWindow, path: Path, iterations: int, view: QWidget) -> None:
    """Run `iterations` iterations, photograph the view once they are drawn, save it, quit."""
    photographer = Photographer(window, view, [iterations])
    saved = {}

    def save(image, _iteration: int) -> None:
        try:
            save_image(image, path)
        except (OSError, UserError) as err:
            print(f"nnviz: error: could not write {path} ({err})", file=sys.stderr)
        else:
            saved["ok"] = True
            print(f"saved {path}", file=sys.stderr)

    def finish(stopped: Snapshot | None) -> None:
        if stopped is not None and stopped.error:
            print(f"nnviz: error: training stopped: {stopped.error}", file=sys.stderr)
        elif stopped is not None and stopped.divergence:  # pictured: say why it is short
            print(f"nnviz: {stopped.divergence.message()}", file=sys.stderr)
        QApplication.instance().exit(0 if saved.get("ok") else 1)
        window.close()

    photographer.photographed.connect(save)
    photographer.finished.connect(finish)
    photographer.start()
