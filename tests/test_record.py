"""`nnviz record`: a view photographed every STEP iterations, headless, into a GIF or an MP4 that reads
back with the number of frames and the size asked for; the same seed gives the same GIF, byte for
byte; bad usage ends in one line and exit code 2, with nothing written."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from PIL import Image, ImageSequence
from test_cli import one_line_error, run

from nnviz import animation
from nnviz.exit_codes import EXIT_DIVERGED


def record(tmp_path, *args: str) -> subprocess.CompletedProcess:
    """`nnviz record ...` in a process of its own (it opens a window offscreen and runs its event loop)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path / "config")}
    return subprocess.run(
        [sys.executable, "-m", "nnviz", "record", *map(str, args)],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )  # fmt: skip


def gif_frames(path) -> list[Image.Image]:
    with Image.open(path) as gif:
        return [frame.convert("RGB") for frame in ImageSequence.Iterator(gif)]


def test_a_gif_of_the_filters_has_a_frame_per_step_at_the_size_asked(tmp_path):
    out = tmp_path / "filters.gif"
    done = record(tmp_path, "--out", out, "--view", "filters", "--iterations", "0:20:5", "--size", "320x200")
    assert done.returncode == 0, done.stderr
    frames = gif_frames(out)
    assert len(frames) == 5 and {frame.size for frame in frames} == {(320, 200)}
    assert frames[0].tobytes() != frames[-1].tobytes()  # the filters moved
    assert "5/5" in done.stderr and "saved" in done.stderr  # the progress bar, and what was written
    assert not (tmp_path / "config").exists() or not any((tmp_path / "config").rglob("*.conf"))


def test_the_same_seed_gives_the_same_gif_byte_for_byte(tmp_path):
    """Also of the whole window in lecture-hall mode on a 1280x720 projector: curves, figures and
    scales included."""
    args = ("--view", "window", "--iterations", "3:12:3", "--size", "1280x720", "--lecture", "--seed", "4")
    first, second = (
        record(tmp_path, "--out", tmp_path / "a.gif", *args),
        record(tmp_path, "--out", tmp_path / "b.gif", *args),
    )
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    assert (tmp_path / "a.gif").read_bytes() == (tmp_path / "b.gif").read_bytes()
    assert len(gif_frames(tmp_path / "a.gif")) == 4


def test_an_mp4_reads_back_with_its_frames_size_and_rate(tmp_path):
    imageio = pytest.importorskip("imageio.v2")
    pytest.importorskip("imageio_ffmpeg")
    out = tmp_path / "loss.mp4"
    done = record(
        tmp_path, "--out", out, "--view", "loss", "--iterations", "0:12:2", "--size", "320x240", "--fps", "5"
    )
    assert done.returncode == 0, done.stderr
    with imageio.get_reader(out) as video:
        assert video.count_frames() == 7
        assert video.get_meta_data()["size"] == (320, 240) and video.get_meta_data()["fps"] == 5
    assert not [name for name in os.listdir(tmp_path) if name.endswith(".part")]


def test_a_run_that_diverges_is_recorded_up_to_where_it_stopped(tmp_path):
    out = tmp_path / "diverged.gif"
    done = record(tmp_path, "--out", out, "--iterations", "0:50:5", "--alpha", "1000", "--size", "160x120")
    assert done.returncode == EXIT_DIVERGED and "the recording ends there" in done.stderr
    assert 1 <= len(gif_frames(out)) < 11


@pytest.mark.parametrize(
    ("iterations", "says"),
    [
        ("5:2:1", "comes before the first"),
        ("0:10:0", "the step must be at least 1"),
        ("-1:10:1", "at least 0"),
        ("a:b:c", "whole numbers"),
        ("0:10:2:3", "is not A:B:STEP"),
        ("500", "is not A:B:STEP"),
        ("0:999999:1", "frames; at most"),
    ],
)
def test_a_bad_range_exits_2_in_one_line_naming_it(capsys, tmp_path, iterations, says):
    code, _, err = run(capsys, "record", "--out", tmp_path / "x.gif", f"--iterations={iterations}")
    one_line_error(code, err, "--iterations", says)
    assert not (tmp_path / "x.gif").exists()


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--size", "1280"), "--size"),
        (("--size", "8x8"), "from 16 to 7680"),
        (("--fps", "0"), "--fps"),
        (("--out", "x.avi"), ".gif or .mp4"),
        (("--out", "no-such-folder/x.gif"), "does not exist"),
        (("--out", "."), ".gif or .mp4"),
    ],
)
def test_bad_usage_exits_2_in_one_line(capsys, tmp_path, monkeypatch, args, says):
    monkeypatch.chdir(tmp_path)
    given = dict(zip(args[::2], args[1::2], strict=True))
    options = {"--out": "x.gif", "--iterations": "0:10:5", **given}
    code, _, err = run(capsys, "record", *[part for pair in options.items() for part in pair])
    one_line_error(code, err, says)


def test_a_directory_as_out_is_refused_naming_it(capsys, tmp_path):
    (tmp_path / "here.gif").mkdir()
    code, _, err = run(capsys, "record", "--out", tmp_path / "here.gif", "--iterations", "0:10:5")
    one_line_error(code, err, "here.gif", "a directory")


def test_mp4_without_the_video_extra_says_how_to_get_it(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(animation, "video_available", lambda: False)
    code, _, err = run(capsys, "record", "--out", tmp_path / "x.mp4", "--iterations", "0:10:5")
    one_line_error(code, err, 'pip install "nnviz[video]"')


def test_an_mp4_of_odd_size_is_refused_before_anything_runs(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(animation, "video_available", lambda: True)
    code, _, err = run(
        capsys, "record", "--out", tmp_path / "x.mp4", "--iterations", "0:10:5", "--size", "321x240"
    )
    one_line_error(code, err, "--size 321x240", "even")


def test_an_unknown_view_is_refused_in_one_line(tmp_path):
    done = record(tmp_path, "--out", tmp_path / "x.gif", "--view", "nope", "--iterations", "0:10:5")
    lines = [line for line in done.stderr.splitlines() if "propagateSizeHints" not in line]
    assert done.returncode == 2 and len(lines) == 1 and "--view nope: no such view" in lines[0]
    assert not (tmp_path / "x.gif").exists()
