"""nnviz's benchmark suite: `python -m benchmarks` prints every figure against its target.

Every figure is a ratio or a median against a reference measured in the same run, never a
bare wall-clock time: the machines are shared and noisy.
"""
