"""View > Record…: a view recorded while it trains, a frame every STEP iterations, into a GIF or an MP4
that reads back with its frames and size; the status bar shows the recording and its progress;
Stop (or the action again, or Pause) ends it early and keeps what was recorded."""

from __future__ import annotations

import pytest
from driving import WAIT_MS, handled
from PIL import Image
from PySide6.QtWidgets import QFileDialog

from nnviz.ui.window_recording import RecordDialog, RecordingPlan


@pytest.fixture
def answers(monkeypatch):
    """What to record and where, as the dialogs would be answered."""
    given = {"plan": None, "path": ""}
    monkeypatch.setattr(RecordDialog, "ask", lambda views, iteration, parent: given["plan"](iteration))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: (given["path"], ""))
    return given


def recorded(qtbot, window) -> None:
    qtbot.waitUntil(lambda: not window.exports.recorder.recording, timeout=WAIT_MS)


def test_the_filters_recorded_while_training_read_back_frame_by_frame(qtbot, window, answers, tmp_path):
    answers.update(plan=lambda now: RecordingPlan("filters", now, now + 12, 3, 5), path=str(tmp_path / "f"))
    seen, filters = [], window.filters.size()
    window.exports.recorder.status.progress.valueChanged.connect(seen.append)
    window.action("record").trigger()
    assert window.action("record").isChecked()
    assert window.exports.recorder.status.isVisible()
    assert "● Recording filters" in window.exports.recorder.status.label.text()
    recorded(qtbot, window)
    assert not window.action("record").isChecked()
    with Image.open(tmp_path / "f.gif") as gif:
        assert gif.n_frames == 5 and gif.size == (filters.width(), filters.height())  # as it started
    assert seen[-1] == 5 and window.state.iteration == 12 and not window.state.running
    status = window.exports.recorder.status
    assert status.isVisible() and "Saved" in status.label.text() and not status.stop.isVisible()


def test_an_mp4_of_the_window_reads_back_with_even_sides(qtbot, window, answers, tmp_path):
    imageio = pytest.importorskip("imageio.v2")
    pytest.importorskip("imageio_ffmpeg")
    answers.update(
        plan=lambda now: RecordingPlan("window", now, now + 4, 2, 10), path=str(tmp_path / "w.mp4")
    )
    width, height = window.width(), window.height()
    window.action("record").trigger()
    recorded(qtbot, window)
    with imageio.get_reader(tmp_path / "w.mp4") as video:
        assert video.count_frames() == 3
        assert video.get_meta_data()["size"] == (width // 2 * 2, height // 2 * 2)


@pytest.mark.parametrize("how", ["the action again", "Stop", "Pause"])
def test_stopping_early_keeps_what_was_recorded(qtbot, window, answers, tmp_path, how):
    answers.update(
        plan=lambda now: RecordingPlan("loss", now, now + 100_000, 1, 10), path=str(tmp_path / "l.gif")
    )
    window.action("record").trigger()
    qtbot.waitUntil(lambda: window.exports.recorder.status.progress.value() >= 3, timeout=WAIT_MS)
    {
        "the action again": window.action("record").trigger,
        "Stop": window.exports.recorder.status.stop.click,
        "Pause": window.action("toggle_running").trigger,  # Space: at a frame's pause too, never Start
    }[how]()
    recorded(qtbot, window)
    with Image.open(tmp_path / "l.gif") as gif:
        assert 3 <= gif.n_frames < 1000
    qtbot.waitUntil(lambda: not handled(qtbot, window).running, timeout=WAIT_MS)


def test_cancelling_the_dialog_records_nothing(qtbot, window, answers):
    answers.update(plan=lambda now: None)
    window.action("record").trigger()
    assert not window.action("record").isChecked() and not window.exports.recorder.recording
