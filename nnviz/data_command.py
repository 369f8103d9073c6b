"""`nnviz data info` and `nnviz data download`: look at data, or fetch full MNIST."""

from __future__ import annotations

from argparse import Namespace

from nnviz.data import MIRRORS, download_mnist, load_dataset


def run_data(options: Namespace) -> int:
    if options.data_command == "info":
        data = load_dataset(options.path, part=options.part)
        counts = "  ".join(f"{label}: {count}" for label, count in enumerate(data.counts_per_label()))
        print(f"{data.name}: {len(data):,} examples of 28x28 pixels (uint8 0-255)")
        print(f"per label  {counts}")
        return 0
    mirrors = tuple(options.mirror) if options.mirror else MIRRORS
    dest = download_mnist(mirrors=mirrors)
    print(f"full MNIST is in {dest}; train on it with --data mnist (test: --test mnist)")
    return 0
