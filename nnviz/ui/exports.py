"""What the window hands over for slides and notes: every view's right-click menu (save the picture,
copy it), View > Export…, File > Export window as PNG…, metrics and weights (File > Export…), and
recordings (View > Record…); the pictures are pictures.py's, the files run_data.py's, the
recordings window_recording.py's.

Every view answers a right-click the same way, wherever it is clicked: on a plot, its own menu
(pyqtgraph's range and axis entries) ends with these entries instead of pyqtgraph's Export..., which
saves one plot item rather than the panel as it looks; anywhere else in the view, these entries alone.
"""

from __future__ import annotations

from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMenu, QMessageBox, QWidget

from nnviz.errors import UserError
from nnviz.run_data import write_array, write_metrics_csv
from nnviz.ui.pictures import SCALES, copy_picture, save_picture
from nnviz.ui.window_recording import WindowRecorder

PNG_FILTERS = tuple(f"PNG at {scale}× its size (*.png)" if scale > 1 else "PNG (*.png)" for scale in SCALES)
SVG_FILTER = "SVG (*.svg)"
CSV_FILTER = "CSV (*.csv)"
NPY_FILTER = "NumPy array (*.npy)"


class Exports(QObject):
    def __init__(self, window) -> None:
        """`window`: the MainWindow whose `views` (by name) get a right-click menu each."""
        super().__init__(window)
        self.window = window
        self.folder = Path.home()  # where the last file went: the next dialog opens there
        self.menus: dict[str, QMenu] = {}
        for name, view in window.views.items():
            if view is not window:
                self.add_menu(name, view)
        self.recorder = WindowRecorder(window)
        self.recorder.finished.connect(lambda _written: window.action("record").setChecked(False))

    # --- the right-click menu ---

    def add_menu(self, name: str, view: QWidget) -> QMenu:
        menu = self.menus[name] = QMenu(view)
        save = QAction("Save picture (PNG 1×/2×/3×, SVG)…", menu)
        save.triggered.connect(lambda: self.save_view(name))
        copy = QAction("Copy picture", menu)
        copy.triggered.connect(lambda: self.copy_view(name))
        menu.addActions([save, copy])
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)  # titles, captions, figures
        view.customContextMenuRequested.connect(lambda at: menu.popup(view.mapToGlobal(at)))
        for graphics in view.findChildren(pg.GraphicsView):
            # Right-clicks on the plots are pyqtgraph's (it opens its menus on release, as its own).
            graphics.setContextMenuPolicy(Qt.ContextMenuPolicy.PreventContextMenu)
            scene = graphics.scene()
            scene.contextMenu = [save, copy]  # at the end of every plot's own menu

            def clicked(event, menu=menu) -> None:
                if event.button() == Qt.MouseButton.RightButton and not event.isAccepted():
                    menu.popup(QPoint(*map(int, event.screenPos().toTuple())))

            scene.sigMouseClicked.connect(clicked)
        return menu

    # --- the actions ---

    def save_view(self, name: str) -> Path | None:
        """Ask where (and as what: PNG 1x, 2x, 3x or SVG), then write the view `name` there."""
        view = self.window.views[name]
        title = "Export the window" if view is self.window else f"Export the {name} view"

        def write(path: Path, chosen: str) -> None:
            save_picture(view, path, SCALES[PNG_FILTERS.index(chosen)] if chosen in PNG_FILTERS else 1)

        return self._save(title, f"nnviz-{name}.png", (*PNG_FILTERS, SVG_FILTER), write)

    def export_metrics(self) -> Path | None:
        """File > Export metrics as CSV…: every series of the run's history, a row per iteration."""
        shown = self.window.state
        if shown is None:
            return None
        write = lambda path, _chosen: write_metrics_csv(path, shown.history)  # noqa: E731
        return self._save("Export metrics as CSV", "nnviz-metrics.csv", (CSV_FILTER,), write)

    def export_weights(self) -> Path | None:
        """File > Export weights…: which of W1, b1, W2, b2, then where (.npy or CSV), for a notebook."""
        shown = self.window.state
        if shown is None or shown.params is None:
            return None
        names = ["W1", "W2", "b1", "b2"]
        name, ok = QInputDialog.getItem(self.window, "Export weights", "The array:", names, 0, False)
        if not (ok and name):
            return None
        array = getattr(shown.params, name)
        write = lambda path, _chosen: write_array(path, array)  # noqa: E731
        return self._save(f"Export {name}", f"nnviz-{name}.npy", (NPY_FILTER, CSV_FILTER), write)

    def _save(self, title: str, suggested: str, filters: tuple[str, ...], write) -> Path | None:
        """Ask for a file (the ending of the format chosen added if none of `filters`' is given), then
        `write(path, chosen filter)`; a file that cannot be written is said in a warning."""
        path, chosen = QFileDialog.getSaveFileName(
            self.window, title, str(self.folder / suggested), ";;".join(filters)
        )
        if not path:
            return None
        path = Path(path)
        if path.suffix.lower() not in {_ending(f) for f in filters}:  # the name's ending wins, if it has one
            path = path.with_name(path.name + _ending(chosen if chosen in filters else filters[0]))
        try:
            write(path, chosen)
        except (OSError, UserError) as err:
            QMessageBox.warning(self.window, title, f"{path}: could not write it: {_reason(err)}")
            return None
        self.folder = path.parent
        self.recorder.notify(f"Saved {path}")
        return path

    def copy_view(self, name: str) -> None:
        copy_picture(self.window.views[name])
        self.recorder.notify(f"Copied a picture of the {name} view")

    def export_view(self) -> Path | None:
        """View > Export…: which view, then where."""
        names = [name for name in self.window.views if name != "window"]
        asked = "The view to save as a picture:"
        name, ok = QInputDialog.getItem(
            self.window, "Export a view", asked, names, names.index("filters"), False
        )
        return self.save_view(name) if ok and name else None

    def export_window(self) -> Path | None:
        return self.save_view("window")

    def record(self, on: bool) -> None:
        """View > Record… (checked while recording): ask what and where and start; again: stop."""
        if on and not self.recorder.recording and not self.recorder.ask_and_start():
            self.window.action("record").setChecked(False)
        elif not on:
            self.recorder.stop()


def _ending(file_filter: str) -> str:
    """'.png' of 'PNG (*.png)'."""
    return file_filter.rsplit("*", 1)[1].rstrip(")").lower()


def _reason(err: Exception) -> str:
    return getattr(err, "strerror", None) or str(err)
