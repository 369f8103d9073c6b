"""Data shipped with nnviz (see README.md here for sources and terms)."""
