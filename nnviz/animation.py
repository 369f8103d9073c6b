"""Frames (RGB arrays, all of one size) into an animated GIF or an MP4, written whole or not at all.

GIF needs only Pillow, and the same frames give the same bytes. MP4 is encoded by ffmpeg through
imageio (the `video` extra ships ffmpeg inside a wheel: `pip install "nnviz[video]"`). Nothing Qt
here: the frames come from the window's views, or from anywhere else.
"""

from __future__ import annotations

import importlib.util
import shutil
import tempfile
from pathlib import Path

import numpy as np

from nnviz.errors import UserError
from nnviz.files import write_atomically

FORMATS = (".gif", ".mp4")
FPS_RANGE = (1, 60)
PALETTE_SAMPLE = 8  # frames a GIF's palette is made from
VIDEO_MISSING = (
    'MP4 needs imageio with ffmpeg, an optional extra: pip install "nnviz[video]" (or record a .gif)'
)


class AnimationError(UserError):
    """An animation nnviz cannot write as asked; the message names the file or setting."""


def format_of(path: Path) -> str:
    """'.gif' or '.mp4', from the file's name; anything else is refused, naming the file."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise AnimationError(f"{path}: the format comes from the name's ending: .gif or .mp4")
    return suffix


def check_can_write(path: Path, size: tuple[int, int]) -> None:
    """Everything that would stop `path` being written at `size`, said before any frame is made."""
    if format_of(path) == ".mp4":
        if not video_available():
            raise AnimationError(VIDEO_MISSING)
        if size[0] % 2 or size[1] % 2:
            raise AnimationError(f"--size {size[0]}x{size[1]}: an MP4 needs an even width and height")


def video_available() -> bool:
    return all(importlib.util.find_spec(name) is not None for name in ("imageio", "imageio_ffmpeg"))


class Animation:
    """Frames are added one by one; `close` writes the file (atomically), `discard` leaves no trace.

    A GIF keeps its frames until the end (for one palette made from all of them); an MP4 streams
    them to ffmpeg, into a temporary file copied into place at the end.
    """

    def __init__(self, path: Path, fps: int) -> None:
        self.path, self.fps = Path(path), fps
        self.format = format_of(self.path)
        self.frames = 0
        self.size: tuple[int, int] | None = None  # width, height
        self._gif_frames: list = []
        self._scratch: tempfile.TemporaryDirectory | None = None
        self._video = None

    def add(self, rgb: np.ndarray) -> None:
        """One frame: height x width x 3, uint8. An MP4 drops an odd last row or column (the video's
        colour planes are at half resolution: its sides must be even)."""
        if self.format == ".mp4":
            rgb = rgb[: rgb.shape[0] // 2 * 2, : rgb.shape[1] // 2 * 2]
        height, width, _ = rgb.shape
        if self.size is None:
            self.size = (width, height)
        elif self.size != (width, height):
            raise ValueError(f"frame of {width}x{height} in an animation of {self.size[0]}x{self.size[1]}")
        if self.format == ".gif":
            self._gif_frames.append(np.ascontiguousarray(rgb).copy())
        else:
            self._video_writer().append_data(np.ascontiguousarray(rgb))
        self.frames += 1

    def close(self) -> None:
        """Write the file; with no frame at all, nothing is written."""
        try:
            if self.frames and self.format == ".gif":
                write_atomically(self.path, self._write_gif)
            elif self.frames:
                self._video.close()
                encoded = Path(self._scratch.name) / "video.mp4"
                with encoded.open("rb") as source:
                    write_atomically(self.path, lambda target: shutil.copyfileobj(source, target))
        finally:
            self.discard()

    def discard(self) -> None:
        self._gif_frames = []
        if self._video is not None and not self._video.closed:
            self._video.close()
        if self._scratch is not None:
            self._scratch.cleanup()
            self._scratch = None

    def _write_gif(self, file) -> None:
        first, *rest = _on_one_palette(self._gif_frames)
        duration = round(1000 / self.fps)  # GIF counts in hundredths of a second
        first.save(file, format="GIF", save_all=True, append_images=rest, duration=duration, loop=0)

    def _video_writer(self):
        if self._video is None:
            import imageio.v2 as imageio

            self._scratch = tempfile.TemporaryDirectory(prefix="nnviz-video-")
            self._video = imageio.get_writer(
                Path(self._scratch.name) / "video.mp4",
                format="FFMPEG",
                fps=self.fps,
                codec="libx264",
                pixelformat="yuv420p",  # what every player and slide program plays
                macro_block_size=2,
                ffmpeg_log_level="error",
            )
        return self._video


def _on_one_palette(frames: list[np.ndarray]) -> list:
    """The frames on one palette of 256 colours, made from a few of them spread over the recording:
    what stays the same from frame to frame then has the same bytes, and the GIF is a third smaller
    than with a palette per frame. No dithering: the panels' colours are flat."""
    from PIL import Image

    sample = frames[:: max(1, len(frames) // PALETTE_SAMPLE)]
    palette = Image.fromarray(np.concatenate(sample), "RGB").quantize(
        colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
    )
    return [Image.fromarray(rgb, "RGB").quantize(palette=palette, dither=Image.Dither.NONE) for rgb in frames]
