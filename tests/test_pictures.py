"""Every view hands itself over as a picture: right-click it (or View > Export…) for a PNG at 1x, 2x or
3x its size or an SVG that holds its items, or copy it; File > Export window as PNG. Files are
written whole: a folder that cannot be written gets a warning and no file, nor half of one."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from driving import WAIT_MS
from PySide6.QtCore import QPoint, Qt, QThread
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QMenu, QMessageBox

from nnviz.ui.exports import PNG_FILTERS, SVG_FILTER

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def save_as(monkeypatch):
    """The save dialog answered with `save_as.answer` (a path and the format chosen); what it was asked."""

    class Answer:
        answer: tuple[str, str] = ("", "")
        asked: list = []  # noqa: RUF012

    def dialog(parent, title, suggested, filters):
        Answer.asked.append((title, suggested, filters))
        return Answer.answer

    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)
    return Answer


@pytest.fixture(scope="module")
def trained(qapp, digits, tmp_path_factory):
    """One window, trained to iteration 20, for every test here: they only photograph it (a window
    of its own for each of 37 tests took a quarter of the suite's time)."""
    import time

    from PySide6.QtCore import QSettings

    from nnviz.session import Setup
    from nnviz.ui.window import MainWindow

    settings = QSettings(str(tmp_path_factory.mktemp("pictures") / "nnviz.ini"), QSettings.Format.IniFormat)
    window = MainWindow(Setup(), digits, settings)
    window.show()
    window.run_until(20)
    deadline = time.monotonic() + WAIT_MS / 1000  # only a broken window takes this long
    while not (window.state is not None and window.state.iteration == 20 and not window.state.running):
        assert time.monotonic() < deadline, "the window did not train to iteration 20"
        qapp.processEvents()
        QThread.msleep(5)  # events come from the training thread: wait for them, not for a time
    yield window
    window.close()
    window.deleteLater()


@pytest.mark.parametrize("name", ["filters", "loss", "figures", "confusion", "network", "draw"])
@pytest.mark.parametrize("scale", [1, 2, 3])
def test_a_png_has_the_views_size_times_the_scale(trained, save_as, tmp_path, name, scale):
    view = trained.show_view(name)
    path = tmp_path / f"{name}.png"
    save_as.answer = (str(path), PNG_FILTERS[scale - 1])
    assert trained.exports.save_view(name) == path
    image = QImage(str(path))
    assert (image.width(), image.height()) == (view.width() * scale, view.height() * scale)
    assert name in save_as.asked[-1][0] and save_as.asked[-1][1].endswith(f"nnviz-{name}.png")


def test_a_png_at_twice_the_size_is_drawn_again_not_enlarged(trained, save_as, tmp_path):
    """Text and lines at 2x have their own sharp edges: more distinct colours than a 1x picture blown up."""
    for scale in (1, 2):
        save_as.answer = (str(tmp_path / f"{scale}.png"), PNG_FILTERS[scale - 1])
        trained.exports.save_view("loss")
    small, large = QImage(str(tmp_path / "1.png")), QImage(str(tmp_path / "2.png"))
    blown_up = small.scaled(large.size())
    assert large != blown_up


def svg_of(trained, save_as, tmp_path, name: str) -> ET.Element:
    trained.show_view(name)
    path = tmp_path / f"{name}.svg"
    save_as.answer = (str(path), SVG_FILTER)
    assert trained.exports.save_view(name) == path
    return ET.parse(path).getroot()  # it parses as XML


def texts(root: ET.Element) -> str:
    return " ".join("".join(element.itertext()) for element in root.iter(f"{SVG}text"))


def test_the_svg_of_the_filters_holds_its_title_tiles_and_colour_bar(trained, save_as, tmp_path):
    root = svg_of(trained, save_as, tmp_path, "filters")
    assert root.tag == f"{SVG}svg"
    assert int(root.get("width").removesuffix("mm").split(".")[0]) > 0 or root.get("viewBox")
    written = texts(root)
    assert "W1 filter" in written and "weight" in written and "Each tile" in written
    assert len(list(root.iter(f"{SVG}image"))) >= 1  # the tiles' pixels


def test_the_svg_of_the_loss_holds_its_curves_as_lines_and_its_axes_as_text(trained, save_as, tmp_path):
    root = svg_of(trained, save_as, tmp_path, "loss")
    written = texts(root)
    assert "Loss" in written and "iteration" in written and "train" in written and "dev" in written
    segments = sum(len(line.get("points").split()) - 1 for line in root.iter(f"{SVG}polyline"))
    assert segments >= 20  # the train curve, a segment per iteration (and the axes' ticks)


def test_the_svg_of_the_network_holds_its_units(trained, save_as, tmp_path):
    root = svg_of(trained, save_as, tmp_path, "network")
    assert "A1 = ReLU" in texts(root)
    assert len(list(root.iter(f"{SVG}circle"))) + len(list(root.iter(f"{SVG}path"))) >= 20


def test_a_name_without_an_ending_gets_the_one_of_the_format_chosen(trained, save_as, tmp_path):
    save_as.answer = (str(tmp_path / "slide"), SVG_FILTER)
    assert trained.exports.save_view("w2") == tmp_path / "slide.svg"
    save_as.answer = (str(tmp_path / "slide"), PNG_FILTERS[0])
    assert trained.exports.save_view("w2") == tmp_path / "slide.png"
    assert (tmp_path / "slide.svg").exists() and (tmp_path / "slide.png").exists()


def test_cancelling_the_dialog_writes_nothing(trained, save_as, tmp_path):
    save_as.answer = ("", "")
    assert trained.exports.save_view("filters") is None
    assert list(tmp_path.iterdir()) == [tmp_path / "nnviz.ini"] or not list(tmp_path.glob("*.png"))


def test_a_folder_that_cannot_be_written_gets_a_warning_and_no_file(trained, save_as, tmp_path, monkeypatch):
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warned.append(text))
    (tmp_path / "taken.png").mkdir()  # a directory where the file would go
    save_as.answer = (str(tmp_path / "taken.png"), PNG_FILTERS[0])
    assert trained.exports.save_view("filters") is None
    assert len(warned) == 1 and "taken.png" in warned[0] and "directory" in warned[0]
    assert not list(tmp_path.glob(".*.part"))


def test_an_existing_picture_is_replaced_whole(trained, save_as, tmp_path):
    path = tmp_path / "filters.png"
    path.write_bytes(b"an old picture")
    save_as.answer = (str(path), PNG_FILTERS[1])
    trained.exports.save_view("filters")
    assert QImage(str(path)).width() == 2 * trained.filters.width()
    assert not list(tmp_path.glob(".*.part"))


def test_copy_puts_the_views_picture_on_the_clipboard(trained):
    QGuiApplication.clipboard().clear()
    trained.exports.copy_view("filters")
    copied = QGuiApplication.clipboard().image()
    assert (copied.width(), copied.height()) == (trained.filters.width(), trained.filters.height())


def test_view_export_asks_which_view_then_where(trained, save_as, tmp_path, monkeypatch):
    monkeypatch.setattr(QInputDialog, "getItem", lambda *args: ("accuracy", True))
    save_as.answer = (str(tmp_path / "accuracy.png"), PNG_FILTERS[2])
    trained.action("export_view").trigger()
    image = QImage(str(tmp_path / "accuracy.png"))
    assert image.width() == 3 * trained.accuracy.width()


def test_the_window_exports_as_a_png_at_2x(trained, save_as, tmp_path):
    save_as.answer = (str(tmp_path / "window.png"), PNG_FILTERS[1])
    trained.action("export_window").trigger()
    image = QImage(str(tmp_path / "window.png"))
    assert (image.width(), image.height()) == (2 * trained.width(), 2 * trained.height())


def popup_after(qtbot, click) -> QMenu:
    click()
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu))
    menu = QApplication.activePopupWidget()
    entries = [action.text() for action in menu.actions()]
    menu.close()
    return entries


def right_click(qtbot, widget, at: QPoint) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.RightButton, pos=at)


@pytest.mark.parametrize("name", ["filters", "w2", "activations", "figures", "confusion", "network", "draw"])
def test_a_right_click_on_any_view_offers_the_same_entries(qtbot, trained, name):
    view = trained.show_view(name)
    qtbot.waitUntil(view.isVisible)
    graphics = getattr(view, "graphics", None)
    if graphics is not None:  # in the picture: the tiles, the matrix, the network, the digit seen
        spot = graphics.viewport()
        at = spot.rect().center()
        if hasattr(view, "plot"):  # W2: on its heatmap, not on its colour bar (a menu of colour maps)
            at = graphics.mapFromScene(view.plot.vb.sceneBoundingRect().center())
        entries = popup_after(qtbot, lambda: right_click(qtbot, spot, at))
        assert "Save picture (PNG 1×/2×/3×, SVG)…" in entries and "Copy picture" in entries
        assert "Export..." not in entries  # pyqtgraph's, which saves one item, not the panel
    title = getattr(view, "title", view)  # on the title (the figures bar: anywhere)
    spot = QPoint(5, 5)
    trained.exports.menus[name].close()
    view.customContextMenuRequested.emit(title.mapTo(view, spot))
    qtbot.waitUntil(lambda: trained.exports.menus[name].isVisible())
    trained.exports.menus[name].close()


def test_a_right_click_on_a_plot_keeps_pyqtgraphs_entries_and_adds_ours(qtbot, trained):
    spot = trained.loss.graphics.viewport()
    entries = popup_after(qtbot, lambda: right_click(qtbot, spot, spot.rect().center()))
    assert "View All" in entries and "Save picture (PNG 1×/2×/3×, SVG)…" in entries
    assert "Export..." not in entries
