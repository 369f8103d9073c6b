"""Live panels: each takes a Snapshot and updates pyqtgraph items it made once."""

from nnviz.ui.panels.activations import ActivationsPanel
from nnviz.ui.panels.confusion import ConfusionPanel
from nnviz.ui.panels.curves import AccuracyPanel, LossPanel
from nnviz.ui.panels.draw import DrawPanel
from nnviz.ui.panels.example_chooser import ExampleChooser
from nnviz.ui.panels.figures import FiguresBar
from nnviz.ui.panels.network import NetworkOptions, NetworkPanel
from nnviz.ui.panels.weights import FiltersPanel, OutputWeightsPanel

__all__ = [
    "AccuracyPanel",
    "ActivationsPanel",
    "ConfusionPanel",
    "DrawPanel",
    "ExampleChooser",
    "FiguresBar",
    "FiltersPanel",
    "LossPanel",
    "NetworkOptions",
    "NetworkPanel",
    "OutputWeightsPanel",
]
