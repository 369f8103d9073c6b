"""nnviz: watch the two-layer numpy network of the from-scratch lectures learn MNIST, live."""

__version__ = "0.1.0"
