"""Step through one iteration, equation by equation, with the real numbers of the run."""

from nnviz.ui.inspector.dialog import InspectorDialog

__all__ = ["InspectorDialog"]
