"""Remake the README's pictures of the inspector, of lecture-hall mode, of the network views and of
the Mistakes page.

    python scripts/make_screenshots.py docs/

Draws offscreen on a virtual 1920x1080 screen (the inspector, lecture-hall mode), a 1280x720
projector beside it (the network, drawing and mistakes views, lecture mode) and a 1024x768 one
(lecture mode), from default settings (the user's saved settings are not read or changed). The
main window picture is `nnviz --screenshot`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

SCREENS = [
    {"name": "hall", "x": 0, "y": 0, "width": 1920, "height": 1080, "logicalDpiX": 96, "logicalDpiY": 96},
    {
        "name": "projector",
        "x": 1920,
        "y": 0,
        "width": 1280,
        "height": 720,
        "logicalDpiX": 96,
        "logicalDpiY": 96,
    },
    {
        "name": "old projector",
        "x": 3200,
        "y": 0,
        "width": 1024,
        "height": 768,
        "logicalDpiX": 96,
        "logicalDpiY": 96,
    },
]
TRAINED = 80  # iterations before the pictures: the filters have started to take shape
SHOWN_EXAMPLE = 3  # the dev digit the network view shows
SHOWN_CONFUSION = (4, 9)  # a confusion the embedded digits show early: its digits in the gallery
THREE = [  # a 3 as a hand draws it, on the pad's paper (0-1): two bowls, one stroke
    (0.30, 0.22), (0.42, 0.15), (0.56, 0.14), (0.66, 0.2), (0.68, 0.3), (0.62, 0.4), (0.5, 0.46),
    (0.44, 0.47), (0.56, 0.49), (0.68, 0.56), (0.72, 0.67), (0.68, 0.78), (0.56, 0.85), (0.42, 0.85),
    (0.3, 0.79),
]  # fmt: skip


def main(out: Path) -> None:
    scratch = tempfile.mkdtemp()
    screen = Path(scratch) / "screen.json"
    screen.write_text(json.dumps({"screens": SCREENS}))
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={screen}"

    from PySide6.QtCore import QPoint, QRect, QSettings, QSize, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from nnviz.data import EMBEDDED, load_dataset
    from nnviz.session import Setup
    from nnviz.ui.look import configure_drawing
    from nnviz.ui.shortcuts import ShortcutsDialog
    from nnviz.ui.window import MainWindow

    app = QApplication(sys.argv[:1])
    configure_drawing()
    data = load_dataset(EMBEDDED)
    screens = {screen.name(): screen for screen in app.screens()}
    hall, projector, old_projector = (screens[s["name"]] for s in SCREENS)

    def save(widget, name: str) -> None:
        path = out / name
        widget.grab().save(str(path))
        print(f"saved {path}")

    def pictures(screen, size, make_steps) -> None:
        """A window of `size` on `screen` (None: the whole screen), trained TRAINED iterations; then
        each of `make_steps(window)`, 400 ms apart (each change laid out and painted), and it closes."""
        settings = QSettings(str(Path(scratch) / f"{screen.name()}.ini"), QSettings.Format.IniFormat)
        window = MainWindow(Setup(), data, settings)
        window.setScreen(screen)
        window.setGeometry(screen.availableGeometry() if size is None else QRect(QPoint(), QSize(*size)))
        window.show()
        steps = []

        def next_step() -> None:
            steps.pop(0)()
            QTimer.singleShot(400, next_step if steps else app.quit)

        def shown(snapshot) -> None:
            if snapshot.iteration >= TRAINED and not snapshot.running:
                window.snapshot_shown.disconnect(shown)
                steps.extend(make_steps(window))
                QTimer.singleShot(300, next_step)

        window.snapshot_shown.connect(shown)
        window.run_until(TRAINED)
        app.exec()
        window.close()

    def inspector_and_lecture(window) -> list:
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
        ]

    def network_views(window) -> list:
        """On the 1280x720 projector: the network view with a unit's card open, then the pad, at the
        desk and in lecture-hall mode."""
        return [
            lambda: window.show_view("network"),
            lambda: window.network.chooser.choose("dev", SHOWN_EXAMPLE),
            lambda: window.network.show_card(("hidden", 5), pinned=True),
            lambda: save(window, "network-desk.png"),
            lambda: window.show_view("draw"),
            lambda: draw(window.draw.pad, THREE),
            lambda: save(window, "draw-desk.png"),
            lambda: window.network.show_card(None),
            lambda: window.presentation.set_lecture_mode(True),
            lambda: save(window, "draw-lecture.png"),
            lambda: window.show_view("network"),
            lambda: window.network.chooser.choose("dev", SHOWN_EXAMPLE),
            lambda: window.network_options.set_errors(True),
            lambda: save(window, "network-lecture.png"),
        ]

    def draw(pad, points) -> None:
        """Draw on the pad with the mouse, as a user does."""
        paper = pad.paper()
        at = [
            QPoint(int(paper.x() + x * paper.width()), int(paper.y() + y * paper.height())) for x, y in points
        ]
        QTest.mousePress(pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at[0])
        for point in at[1:]:
            QTest.mouseMove(pad, point)
        QTest.mouseRelease(pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at[-1])

    def mistakes_views(window) -> list:
        """On the 1280x720 projector: the Mistakes page with one confusion's digits, at the desk;
        every mistake, in lecture-hall mode."""
        return [
            lambda: window.show_mistakes(True),
            lambda: window.mistakes.show_cell(*SHOWN_CONFUSION),
            lambda: save(window, "mistakes-desk.png"),
            lambda: window.presentation.set_lecture_mode(True),
            lambda: window.mistakes.gallery.selections.setCurrentIndex(1),  # every mistake, surest first
            lambda: save(window, "mistakes-lecture.png"),
        ]

    pictures(hall, (1600, 1000), inspector_and_lecture)
    pictures(projector, None, network_views)
    pictures(projector, None, mistakes_views)

    def lecture_on(size: str):
        """Lecture-hall mode on a projector of `size`: the whole window, the inspector (a forward
        stage and the update) and the cheat sheet, each as it fits that screen."""

        def steps(window) -> list:
            dialogs = {}

            def open_inspector() -> None:
                dialogs["inspector"] = window.inspect()
                dialogs["inspector"].show_stage(1)

            def open_sheet() -> None:
                dialogs["sheet"] = ShortcutsDialog(window.actions(), window)
                dialogs["sheet"].show()

            return [
                lambda: window.presentation.set_lecture_mode(True),
                lambda: save(window, f"fit-{size}-lecture.png"),
                open_inspector,
                lambda: save(dialogs["inspector"], f"fit-{size}-inspector.png"),
                lambda: dialogs["inspector"].show_stage(len(dialogs["inspector"].stages) - 2),
                lambda: save(dialogs["inspector"], f"fit-{size}-inspector-update.png"),
                lambda: dialogs["inspector"].reject(),
                open_sheet,
                lambda: save(dialogs["sheet"], f"fit-{size}-f1.png"),
                lambda: dialogs["sheet"].close(),
            ]

        return steps

    pictures(projector, None, lecture_on("1280x720"))
    pictures(old_projector, None, lecture_on("1024x768"))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    main(parser.parse_args().out)
