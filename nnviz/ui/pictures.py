"""A view as a picture for slides and notes: PNG at 1x, 2x or 3x its size on screen (for projectors
and print, drawn again at that resolution, not enlarged), SVG, or the clipboard. Files are written
whole or not at all (nnviz.files.write_atomically)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPoint, QRect
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QWidget

from nnviz.files import write_atomically

SCALES = (1, 2, 3)


def picture(widget: QWidget, scale: int = 1) -> QImage:
    """`widget` drawn at `scale` times its size: lines, text and curves drawn at that resolution."""
    image = QImage(widget.size() * scale, QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(scale)
    image.fill(widget.palette().window().color())
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    widget.render(painter, QPoint())
    painter.end()
    image.setDevicePixelRatio(1)  # a file's pixels are its size
    return image


def svg(widget: QWidget) -> bytes:
    """`widget` as SVG: curves, text and shapes as vectors, the pictures (filters, digits) as images."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(widget.size())
    generator.setViewBox(QRect(0, 0, widget.width(), widget.height()))
    generator.setTitle(widget.windowTitle() or type(widget).__name__)
    generator.setDescription("Drawn by nnviz")
    painter = QPainter(generator)
    widget.render(painter, QPoint())
    painter.end()
    return bytes(buffer.data())


def save_image(image: QImage, path: Path, format: str = "PNG") -> None:
    """Write `image` to `path` whole (a temp file renamed over it); OSError or FileRefused if it cannot."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, format):
        raise OSError(f"cannot encode the picture as {format}")
    encoded = bytes(data)
    write_atomically(Path(path), lambda file: file.write(encoded))


def save_picture(widget: QWidget, path: Path, scale: int | None = 1) -> None:
    """`widget` into `path`: SVG if its name ends in .svg (`scale` is then ignored), else PNG at `scale`."""
    path = Path(path)
    if path.suffix.lower() == ".svg":
        drawing = svg(widget)
        write_atomically(path, lambda file: file.write(drawing))
    else:
        save_image(picture(widget, scale or 1), path)


def copy_picture(widget: QWidget) -> QImage:
    """`widget`'s picture onto the clipboard, as a slide program pastes it."""
    image = picture(widget)
    QGuiApplication.clipboard().setImage(image)
    return image
