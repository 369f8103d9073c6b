"""Driving the window as a user does, and knowing when it has done what was asked: every command
is numbered, and each frame says up to which number the training thread has handled them."""

from __future__ import annotations

WAIT_MS = 30_000  # only a broken window takes this long, also on a machine under load


def handled(qtbot, window, number: int | None = None):
    """The snapshot of the first frame drawn after command `number` (default: the last one sent,
    by a key, a button or a call) was handled by the training thread."""
    number = window.worker.sent if number is None else number
    qtbot.waitUntil(lambda: window.state is not None and window.state.acknowledged >= number, timeout=WAIT_MS)
    return window.state


def run_to(qtbot, window, iteration: int):
    """Train until `iteration` and pause there; the snapshot of that pause."""
    window.run_until(iteration)
    qtbot.waitUntil(
        lambda: window.state is not None and window.state.iteration == iteration and not window.state.running,
        timeout=WAIT_MS,
    )
    return window.state


def type_into(qtbot, field, text: str) -> None:
    """Select what the field holds and type `text` over it, as a user does."""
    field.setFocus()
    field.lineEdit().selectAll()
    qtbot.keyClicks(field, text)


def enter_alpha(qtbot, window, alpha: float):
    """Type alpha into its field and press Enter, as a lecturer does; the frame that shows it in force."""
    from PySide6.QtCore import Qt

    type_into(qtbot, window.alpha_control.spin, f"{alpha:g}")
    qtbot.keyClick(window.alpha_control.spin, Qt.Key.Key_Return)
    return handled(qtbot, window)
