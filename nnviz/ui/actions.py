"""Every command of the window as one table: its text, keys, menu and tooltip, read by the menus,
the buttons and the F1 cheat sheet alike. The window says what each one does (a slot by name)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenuBar, QWidget

from nnviz.data import EMBEDDED
from nnviz.ui.frames import FAST_TRAINING_FRAMES_PER_SECOND, FRAMES_PER_SECOND

MENUS = ("&File", "&Run", "&View", "&Example", "&Help")


@dataclass(frozen=True)
class ActionSpec:
    name: str  # the window's slot of this name does it
    text: str
    tip: str  # the status tip, and the cheat sheet's description
    keys: tuple[str, ...] = ()
    menu: str = ""  # one of MENUS
    checkable: bool = False
    separator: bool = False  # a separator above it in its menu
    button_text: str | None = None  # a shorter text on a button
    sheet_text: str | None = None  # the F1 sheet's name for it, if its text changes with the state


ACTIONS = (
    ActionSpec("open_data", "Open data…", "Train on digits from IDX, CSV or NPZ files", ("Ctrl+O",), "&File"),
    ActionSpec(
        "use_embedded", f"Embedded digits ({EMBEDDED})", "The 5,000 digits shipped with nnviz", (), "&File"
    ),
    ActionSpec(
        "use_full_mnist",
        "Full MNIST (70,000 digits)…",
        "All of MNIST: 60,000 training and 10,000 test digits; downloaded once (11 MB) the first time",
        (),
        "&File",
    ),
    ActionSpec(
        "export_window",
        "Export window as PNG…",
        "Save a picture of the whole window, at 1×, 2× or 3× its size for slides and print",
        (),
        "&File",
        separator=True,
    ),
    ActionSpec(
        "export_metrics",
        "Export metrics as CSV…",
        "Every series of the run's history (loss, accuracy, alpha; dev every K) as CSV, a row per iteration",
        (),
        "&File",
    ),
    ActionSpec(
        "export_weights",
        "Export weights (W1, W2) as .npy or CSV…",
        "One of W1, W2, b1, b2 as it is now, as a NumPy .npy file or as CSV, for a notebook",
        (),
        "&File",
    ),
    ActionSpec("close", "Quit", "Close nnviz", ("Ctrl+Q",), "&File", separator=True),
    ActionSpec(
        "toggle_running", "Start", "Start or pause training", ("Space",), "&Run", sheet_text="Start / pause"
    ),  # its text says what a press does now: Start or Pause
    ActionSpec("step", "Step", "Run exactly one iteration (while paused)", ("Right", "S"), "&Run"),
    ActionSpec(
        "step_back",
        "Step back",
        "Show the network as it was one iteration earlier (while paused; Space continues from there)",
        ("Left",),
        "&Run",
    ),
    ActionSpec("to_start", "Go to the start", "Show the network as it was at iteration 0", ("Home",), "&Run"),
    ActionSpec("to_end", "Go to the end", "Back to the run's latest iteration", ("End",), "&Run"),
    ActionSpec(
        "inspect",
        "Step through one iteration…",
        "Walk the next iteration equation by equation with its real numbers (while paused)",
        ("I",),
        "&Run",
        button_text="Step through…",
    ),
    ActionSpec(
        "reset", "Reset", "Start over from new weights, with the run settings on the left", ("R",), "&Run"
    ),
    ActionSpec(
        "restore_defaults",
        "Restore default settings",
        "Start over with the defaults: 10 hidden units, He init, full batch, alpha 0.1, no speed limit",
        (),
        "&Run",
    ),
    ActionSpec("alpha_up", "α × 2", "Double the learning rate", ("Up",), "&Run", separator=True),
    ActionSpec("alpha_down", "α ÷ 2", "Halve the learning rate", ("Down",), "&Run"),
    ActionSpec(
        "slower", "Slower", "Lower the speed limit (for narrating: 1-5 iterations per second)", ("[",), "&Run"
    ),
    ActionSpec("faster", "Faster", "Raise the speed limit, up to no limit", ("]",), "&Run"),
    ActionSpec(
        "show_mistakes",
        "Mistakes page",
        "Where the network is wrong: the confusion matrix, accuracy per digit, the gallery of mistakes",
        ("M",),
        "&View",
        checkable=True,
    ),
    ActionSpec(
        "set_log_loss", "Log-scale loss", "Loss on a logarithmic axis", ("L",), "&View", checkable=True
    ),
    ActionSpec(
        "set_full_screen",
        "Full screen",
        "Fill the screen (for a projector)",
        ("F11",),
        "&View",
        checkable=True,
    ),
    ActionSpec(
        "set_fast_training",
        "Fast training (few frames)",
        f"Draw {FAST_TRAINING_FRAMES_PER_SECOND} frames a second instead of {FRAMES_PER_SECOND}, "
        "for a long run nobody watches closely",
        (),
        "&View",
        checkable=True,
    ),
    ActionSpec(
        "set_lecture_mode",
        "Lecture-hall mode",
        "Projector colours, large type, thick lines, full screen",
        ("F5",),
        "&View",
        checkable=True,
        separator=True,
    ),
    ActionSpec(
        "set_dark",
        "Dark projector theme",
        "In lecture-hall mode: white on black",
        (),
        "&View",
        checkable=True,
    ),
    ActionSpec(
        "show_weights", "Weights page", "The filters, W2 and the activations", ("W",), "&View", separator=True
    ),
    ActionSpec(
        "show_network", "Network page", "One digit flowing through the network, live", ("N",), "&View"
    ),
    ActionSpec(
        "show_draw", "Draw page", "Draw a digit and see what the network makes of it", ("D",), "&View"
    ),
    ActionSpec(
        "set_what_flows",
        "Lines: what flows (a·w)",
        "In the network views, weight the lines by what flows for this digit, A1·W2, not by W2 alone",
        ("F",),
        "&View",
        checkable=True,
    ),
    ActionSpec(
        "set_errors",
        "Errors (backward pass)",
        "In the network views, show the nudges backpropagation asks for: −dZ2 and −dZ1",
        ("E",),
        "&View",
        checkable=True,
    ),
    ActionSpec("zoom_in", "Zoom in", "Larger type and lines", ("Ctrl++", "Ctrl+="), "&View", separator=True),
    ActionSpec("zoom_out", "Zoom out", "Smaller type and lines", ("Ctrl+-",), "&View"),
    ActionSpec("zoom_reset", "Normal size", "Type and lines at their normal size", ("Ctrl+0",), "&View"),
    ActionSpec(
        "export_view",
        "Export…",
        "Save one view as a picture: PNG at 1×, 2× or 3× its size, or SVG (or right-click the view)",
        (),
        "&View",
        separator=True,
    ),
    ActionSpec(
        "record",
        "Record…",
        "Record a view or the window as a GIF or MP4 while it trains, a frame every N iterations "
        "(checked while recording; again, or Pause, stops it)",
        (),
        "&View",
        checkable=True,
    ),
    ActionSpec(
        "next_example", "Next example", "The next digit of the split", (".",), "&Example", button_text="▶"
    ),
    ActionSpec(
        "previous_example",
        "Previous example",
        "The previous digit of the split",
        (",",),
        "&Example",
        button_text="◀",
    ),
    ActionSpec(
        "random_example",
        "Random example",
        "A digit of the split at random",
        (),
        "&Example",
        button_text="Random",
    ),
    ActionSpec(
        "next_mistake",
        "Next mistake",
        "The next digit the network gets wrong",
        ("X",),
        "&Example",
        button_text="Mistake",
    ),
    ActionSpec(
        "my_drawing", "My drawing", "The digit drawn on the Draw page", (), "&Example", button_text="Drawing"
    ),
    ActionSpec(
        "undo_stroke",
        "Undo stroke",
        "Take back the last stroke on the drawing pad",
        ("Ctrl+Z",),
        "&Example",
        separator=True,
        button_text="Undo",
    ),
    ActionSpec(
        "clear_drawing", "Clear drawing", "Wipe the drawing pad", ("C",), "&Example", button_text="Clear"
    ),
    ActionSpec("show_shortcuts", "Keyboard shortcuts", "List every shortcut", ("F1", "?"), "&Help"),
)


class Actions:
    """The QActions of `specs`, on `owner` (so their keys work even with the menu bar hidden),
    each connected to `slots[spec.name]`: a checkable one passes its new state, others nothing."""

    def __init__(
        self, owner: QWidget, slots: Mapping[str, Callable], specs: tuple[ActionSpec, ...] = ACTIONS
    ):
        self.specs = specs
        self._actions: dict[str, QAction] = {}
        for spec in specs:
            action = QAction(spec.text, owner)
            action.setShortcuts([QKeySequence(k) for k in spec.keys])
            shortcut = " or ".join(spec.keys)
            action.setToolTip(f"{spec.tip} ({shortcut})" if spec.keys else spec.tip)
            action.setStatusTip(spec.tip)
            action.setCheckable(spec.checkable)
            if spec.button_text:
                action.setIconText(spec.button_text)
            action.setData(spec.sheet_text)
            slot = slots[spec.name]
            if spec.checkable:
                action.triggered.connect(lambda checked, slot=slot: slot(bool(checked)))
            else:
                action.triggered.connect(lambda _checked=False, slot=slot: slot())
            owner.addAction(action)
            self._actions[spec.name] = action

    def __getitem__(self, name: str) -> QAction:
        return self._actions[name]

    def __iter__(self):
        return iter(self._actions.values())

    def fill_menus(self, menu_bar: QMenuBar) -> None:
        for title in MENUS:
            menu = menu_bar.addMenu(title)
            for spec in self.specs:
                if spec.menu == title:
                    if spec.separator:
                        menu.addSeparator()
                    menu.addAction(self._actions[spec.name])
