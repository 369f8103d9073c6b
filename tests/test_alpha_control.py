"""The learning-rate control on its own, used as a lecturer uses it: typed values, Up/Down, the slider.

alpha must reach training as it was typed or stepped, exactly; an entry that cannot stand is
refused whole and explained at the field, never turned into another number.
"""

import math
import random

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtWidgets import QLineEdit, QSlider, QToolTip, QVBoxLayout, QWidget

from nnviz.engine.trainer import ALPHA_RANGE
from nnviz.ui.controls import AlphaControl, slider_position
from nnviz.ui.fields import DISPLAY_DIGITS, LogField, shown

LOW, HIGH = ALPHA_RANGE


class Desk:
    """The control beside another field, in a shown window, recording what it announces."""

    def __init__(self, qtbot, alpha: float = 0.1) -> None:
        self.window = QWidget()
        qtbot.addWidget(self.window)
        self.control = AlphaControl(alpha)
        self.elsewhere = QLineEdit()
        layout = QVBoxLayout(self.window)
        layout.addWidget(self.control)
        layout.addWidget(self.elsewhere)
        self.window.show()
        qtbot.waitExposed(self.window)
        self.sent: list[float] = []
        self.control.alpha_changed.connect(self.sent.append)
        self.qtbot = qtbot

    @property
    def field(self) -> LogField:
        return self.control.spin

    def type(self, text: str) -> None:
        self.field.setFocus()
        self.field.lineEdit().selectAll()
        if text:
            self.qtbot.keyClicks(self.field, text)
        else:
            self.qtbot.keyClick(self.field, Qt.Key.Key_Delete)

    def enter(self, text: str) -> None:
        self.type(text)
        self.qtbot.keyClick(self.field, Qt.Key.Key_Return)


@pytest.fixture
def desk(qtbot):
    return Desk(qtbot)


@pytest.fixture(autouse=True)
def no_tooltip_left_over():
    yield
    QToolTip.hideText()
    QCoreApplication.processEvents()


def says(qtbot, message: str) -> None:
    """The message is on screen at the field (and stays there after the event that caused it)."""
    qtbot.waitUntil(lambda: QToolTip.isVisible() and QToolTip.text() == message, timeout=2000)


# --- typing ---


@pytest.mark.parametrize(
    "typed, alpha",
    [
        ("1e-3", 0.001),
        ("5E-4", 0.0005),
        ("1e+2", 100.0),
        (".05", 0.05),
        ("0.123456", 0.123456),  # more decimals than the old 5-decimal box kept
        ("1.234567e-05", 1.234567e-05),  # more significant digits than the field shows
        ("1e-5", LOW),
        ("10000", HIGH),
        ("1,000", 1000.0),  # the locale's group separator, as in the other fields
    ],
)
def test_a_typed_alpha_is_sent_exactly_as_typed(desk, typed, alpha):
    desk.enter(typed)
    assert desk.sent == [alpha] and desk.control.alpha == alpha
    assert desk.control.slider.value() == slider_position(alpha)


def test_nothing_is_sent_while_typing_and_partial_entries_stay_as_typed(desk):
    desk.type("1")
    for end in range(2, len("1e-3") + 1):
        desk.qtbot.keyClicks(desk.field, "1e-3"[end - 1])
        assert desk.field.lineEdit().text() == "1e-3"[:end]  # "1e" and "1e-" are kept, not dropped
    assert desk.sent == [] and desk.control.alpha == 0.1
    desk.qtbot.keyClick(desk.field, Qt.Key.Key_Return)
    assert desk.sent == [0.001]


def test_focus_leaving_the_field_finishes_the_entry(desk):
    desk.type("2e-2")
    desk.elsewhere.setFocus()
    assert desk.sent == [0.02]


@pytest.mark.parametrize(
    "typed, problem",
    [
        ("-1", "-1 is too small"),
        ("0", "0 is too small"),
        ("20000", "20000 is too large"),
        ("1e5", "1e5 is too large"),
        ("inf", "inf is too large"),
        ("nan", "“nan” is not a number"),
        ("1e", "“1e” is not a number"),
        ("1e-", "“1e-” is not a number"),
        ("0,05", "“0,05” is not a number"),  # ',' is not this locale's decimal point
        ("1e-3x", "“1e-3x” is not a number"),
    ],
)
def test_an_entry_that_cannot_stand_is_refused_whole_and_explained(desk, qtbot, typed, problem):
    desk.type(typed)
    assert desk.field.lineEdit().text() == typed  # no keystroke dropped: "20000" never becomes 2000
    qtbot.keyClick(desk.field, Qt.Key.Key_Return)
    says(qtbot, f"α must be from 1e-05 to 10000: {problem}.")
    assert desk.sent == [] and desk.control.alpha == 0.1
    assert desk.field.lineEdit().text() == "0.1"


def test_an_emptied_field_keeps_its_value_and_says_so(desk, qtbot):
    desk.enter("")
    says(qtbot, "α must be from 1e-05 to 10000; left empty, it keeps its value.")
    assert desk.sent == [] and desk.field.lineEdit().text() == "0.1"


def test_a_refusal_on_leaving_the_field_by_the_keyboard_is_explained(desk, qtbot):
    desk.type("20000")
    desk.elsewhere.setFocus()  # focus changes close tooltips: the message must come after
    says(qtbot, "α must be from 1e-05 to 10000: 20000 is too large.")
    assert desk.sent == []


def test_a_refusal_on_clicking_elsewhere_is_shown_after_the_click(desk, qtbot):
    desk.type("20000")
    qtbot.mousePress(desk.elsewhere, Qt.MouseButton.LeftButton)
    assert desk.elsewhere.hasFocus()
    QCoreApplication.processEvents()  # while the button is down; its release closes any tooltip
    qtbot.mouseRelease(desk.elsewhere, Qt.MouseButton.LeftButton)
    says(qtbot, "α must be from 1e-05 to 10000: 20000 is too large.")
    assert desk.sent == []


def test_typing_follows_the_locale_of_the_rest_of_the_app(desk, qtbot):
    desk.field.setLocale(QLocale("de_DE"))
    assert desk.field.lineEdit().text() == "0,1"
    desk.enter("0,05")
    desk.enter("1,5E-4")
    assert desk.sent == [0.05, 0.00015]
    desk.enter("0.05")  # '.' groups thousands in German: refused, not read as 5 or 0.05
    says(qtbot, "α must be from 1e-05 to 10000: “0.05” is not a number.")
    assert desk.control.alpha == 0.00015


# --- Up and Down: exact, and explained at the edges ---


def down_then_up(control: AlphaControl, count: int) -> None:
    for factor in [0.5] * count + [2.0] * count:
        control.scale(factor)


def steps_down_in_range(alpha: float) -> int:
    count = 0
    while alpha * 2.0 ** -(count + 1) >= LOW:
        count += 1
    return count


def test_the_issues_sequences_return_exactly(qtbot):
    control = AlphaControl(0.1)
    qtbot.addWidget(control)
    down_then_up(control, 5)
    assert control.alpha == 0.1
    control.set_alpha(1.0)
    down_then_up(control, 14)
    assert control.alpha == 1.0
    control.set_alpha(3e-5)
    down_then_up(control, 1)
    assert control.alpha == 3e-5


def test_down_then_up_returns_exactly_from_anywhere_in_range(qtbot):
    """Property-style: random starts (log-uniform, short typed values, slider values) and counts."""
    rng = random.Random(11)
    control = AlphaControl(0.1)
    qtbot.addWidget(control)
    sent = []
    control.alpha_changed.connect(sent.append)
    starts = [10 ** rng.uniform(math.log10(LOW), math.log10(HIGH)) for _ in range(60)]
    starts += [float(f"{10 ** rng.uniform(-5, 4):.{rng.randint(1, 4)}g}") for _ in range(60)]
    starts += [float(f"{10 ** (p / 20):.2g}") for p in range(-100, 81, 4)]  # where the slider sets it
    for start in starts:
        most = steps_down_in_range(start)
        for count in {rng.randint(0, most), most}:
            control.set_alpha(start)
            sent.clear()
            down_then_up(control, count)
            assert control.alpha == start, (start, count)
            assert sent == [start * 2.0**-k for k in range(1, count + 1)] + [
                start * 2.0**-k for k in range(count - 1, -1, -1)
            ]


def test_a_random_walk_of_steps_is_undone_exactly(qtbot):
    rng = random.Random(12)
    control = AlphaControl(0.1)
    qtbot.addWidget(control)
    for _ in range(100):
        start = float(f"{10 ** rng.uniform(-4, 3):.3g}")
        control.set_alpha(start)
        taken = []
        for _ in range(rng.randint(1, 30)):
            factor = rng.choice([0.5, 2.0])
            if LOW <= control.alpha * factor <= HIGH:
                control.scale(factor)
                taken.append(factor)
        for factor in reversed(taken):
            control.scale(1 / factor)
        assert control.alpha == start


@pytest.mark.parametrize("start", [0.1, 0.3, 7e-4, 3e-5, 1e-5, 2500.0])
def test_up_and_down_keys_in_the_field_are_exact_too(desk, qtbot, start):
    desk.control.set_alpha(start)
    desk.field.setFocus()
    count = min(6, steps_down_in_range(start))
    for key in [Qt.Key.Key_Down] * count + [Qt.Key.Key_Up] * count + [Qt.Key.Key_Up]:
        qtbot.keyClick(desk.field, key)
    assert desk.control.alpha == start * 2
    qtbot.keyClick(desk.field, Qt.Key.Key_Return)  # Enter on what is shown keeps the exact value
    desk.elsewhere.setFocus()
    assert desk.control.alpha == start * 2


def test_the_field_shows_few_digits_but_keeps_the_exact_alpha(desk, qtbot):
    desk.control.set_alpha(1.0)
    for _ in range(16):
        desk.control.scale(0.5)
    assert desk.control.alpha == 2.0**-16
    assert desk.field.lineEdit().text() == "1.52588e-05"
    desk.field.setFocus()
    qtbot.keyClick(desk.field, Qt.Key.Key_Return)
    desk.elsewhere.setFocus()
    assert desk.control.alpha == 2.0**-16  # untouched text: not replaced by what it shows
    desk.enter("1.52588e-05")  # typing back what is shown: the same alpha
    assert desk.control.alpha == 2.0**-16 and desk.sent == [2.0**-k for k in range(1, 17)]
    desk.enter("1.5259e-05")  # anything else typed: exactly that
    assert desk.control.alpha == 1.5259e-05


@pytest.mark.parametrize(
    "start, factor, message",
    [
        (1.5e-5, 0.5, "α cannot go below 1e-05: 1.5e-05 ÷ 2 would be 7.5e-06."),
        (1e-5, 0.5, "α cannot go below 1e-05: 1e-05 ÷ 2 would be 5e-06."),
        (8000.0, 2.0, "α cannot go above 10000: 8000 × 2 would be 16000."),
    ],
)
def test_a_step_beyond_the_range_is_refused_and_explained_not_clamped(desk, qtbot, start, factor, message):
    desk.control.set_alpha(start)
    desk.control.scale(factor)
    says(qtbot, message)
    assert desk.control.alpha == start and desk.sent == []


def test_down_in_the_field_at_the_lower_edge_is_refused_and_explained(desk, qtbot):
    desk.control.set_alpha(1e-5)
    desk.field.setFocus()
    qtbot.keyClick(desk.field, Qt.Key.Key_Down)
    says(qtbot, "α cannot go below 1e-05: 1e-05 ÷ 2 would be 5e-06.")
    assert desk.control.alpha == 1e-5 and desk.sent == []


def test_up_in_the_field_finishes_the_entry_first(desk, qtbot):
    desk.type("0.3")
    qtbot.keyClick(desk.field, Qt.Key.Key_Up)
    assert desk.sent == [0.3, 0.6]
    desk.type("1e-")
    qtbot.keyClick(desk.field, Qt.Key.Key_Up)  # an entry that cannot stand: refused, nothing stepped
    says(qtbot, "α must be from 1e-05 to 10000: “1e-” is not a number.")
    assert desk.sent == [0.3, 0.6] and desk.control.alpha == 0.6


def test_a_refusal_while_the_field_is_out_of_sight_is_shown_on_its_window(desk, qtbot, monkeypatch):
    """In lecture mode the sidebar is hidden, but Up/Down still reach alpha."""
    anchors = []
    monkeypatch.setattr(QToolTip, "showText", lambda where, text, anchor, **kw: anchors.append(anchor))
    desk.control.set_alpha(8000)
    desk.control.hide()
    desk.control.scale(2.0)
    qtbot.waitUntil(lambda: anchors == [desk.window])


# --- the slider ---


def test_a_typed_or_stepped_alpha_moves_the_slider_without_being_rounded_by_it(desk):
    desk.enter("0.123456")
    assert desk.control.slider.value() == -18  # log10(0.123456) * 20 = -18.17
    desk.control.scale(2.0)
    assert desk.control.slider.value() == -12
    assert desk.sent == [0.123456, 0.246912] and desk.control.alpha == 0.246912


def test_moving_the_slider_sets_a_rounded_alpha_once(desk):
    desk.control.slider.triggerAction(QSlider.SliderAction.SliderSingleStepSub)  # one twentieth of a decade
    assert desk.sent == [0.089] and desk.control.alpha == 0.089  # 10 ** -1.05, to 2 digits
    assert desk.field.lineEdit().text() == "0.089" and desk.control.slider.value() == -21


def test_slider_steps_and_their_rounded_alphas_agree_across_the_range(qtbot):
    control = AlphaControl(0.1)
    qtbot.addWidget(control)
    for position in range(control.slider.minimum(), control.slider.maximum() + 1):
        control.slider.setValue(position)
        assert control.slider.value() == position and LOW <= control.alpha <= HIGH


# --- set by the program ---


@pytest.mark.parametrize("alpha", [0.0, 9e-6, 10001.0, math.nan, math.inf])
def test_an_alpha_out_of_range_from_the_program_is_an_error_not_clamped(qtbot, alpha):
    control = AlphaControl(0.1)
    qtbot.addWidget(control)
    with pytest.raises(ValueError, match="outside 1e-05 to 10000"):
        control.set_alpha(alpha)
    assert control.alpha == 0.1


def test_set_alpha_announces_nothing(qtbot):
    control = AlphaControl(0.1)
    qtbot.addWidget(control)
    with qtbot.assertNotEmitted(control.alpha_changed):
        control.set_alpha(0.7)
    assert control.alpha == 0.7 and control.slider.value() == slider_position(0.7)


@pytest.mark.parametrize("part", ["spin", "slider"])
def test_a_failure_while_showing_alpha_leaves_no_widget_deaf(qtbot, monkeypatch, part):
    control = AlphaControl(0.1)
    qtbot.addWidget(control)
    widget = getattr(control, part)

    def broken(value):
        raise RuntimeError("cannot show this value")

    monkeypatch.setattr(widget, "setValue", broken)
    with pytest.raises(RuntimeError):
        control.set_alpha(0.2)
    assert not widget.signalsBlocked()


# --- what the field shows ---


@pytest.mark.parametrize(
    "alpha, text",
    [
        (0.1, "0.1"),
        (0.003125, "0.003125"),
        (0.0001, "0.0001"),
        (1e-5, "1e-05"),
        (2.0**-16, "1.52588e-05"),
        (250.0, "250"),
        (10000.0, "10000"),
        (0.30000000000000004, "0.3"),
    ],
)
def test_alpha_is_shown_with_the_digits_it_needs_up_to_six(alpha, text):
    assert shown(alpha) == text


def test_what_is_shown_reads_back_as_alpha_whenever_six_digits_hold_it():
    rng = random.Random(13)
    for _ in range(2000):
        alpha = float(f"{10 ** rng.uniform(-5, 4):.{rng.randint(1, DISPLAY_DIGITS)}g}")
        assert float(shown(alpha)) == alpha
        assert float(shown(alpha, ",").replace(",", ".")) == alpha
