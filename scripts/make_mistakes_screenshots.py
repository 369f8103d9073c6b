"""Remake the README's pictures of the Mistakes page, at a desk and in lecture-hall mode.

    python scripts/make_mistakes_screenshots.py docs/

Draws offscreen on a virtual 1280x720 screen (a common projector), from default settings (the
user's saved settings are not read or changed), after TRAINED iterations on the embedded digits.
The picture of the page alone is `nnviz --screenshot docs/mistakes.png --after 100 --view confusion`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import make_screenshots as screenshots  # scripts/ is on the path when a script in it runs

SCREEN = {**screenshots.SCREEN, "name": "projector", "width": 1280, "height": 720}
TRAINED = 100
CELL = (4, 9)  # a confusion the embedded digits show early: its digits in the desk picture's gallery


def main(out: Path) -> None:
    app, window = screenshots.offscreen_window(SCREEN)
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
    screenshots.when_trained(window, TRAINED, lambda: steps)
    app.exec()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    main(parser.parse_args().out)
