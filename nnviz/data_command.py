"""`nnviz data info` and `nnviz data download`: look at data, or fetch full MNIST."""

from __future__ import annotations

from argparse import Namespace

from tqdm import tqdm

from nnviz.data import MIRRORS, Progress, download_mnist, load_dataset
from nnviz.exit_codes import EXIT_OK


def run_data(options: Namespace) -> int:
    if options.data_command == "info":
        data = load_dataset(options.path, part=options.part)
        counts = "  ".join(f"{label}: {count}" for label, count in enumerate(data.counts_per_label()))
        print(f"{data.name}: {len(data):,} examples of 28x28 pixels (uint8 0-255)")
        print(f"per label  {counts}")
        return EXIT_OK
    mirrors = tuple(options.mirror) if options.mirror else MIRRORS
    bars = ProgressBars()
    try:
        dest = download_mnist(mirrors=mirrors, report=bars)
    finally:
        bars.close()
    print(f"full MNIST is in {dest}; train on it with --data mnist (test: --test mnist)")
    return EXIT_OK


class ProgressBars:
    """One tqdm bar on stderr per file (a new one when a file starts over from another mirror)."""

    def __init__(self) -> None:
        self._bar: tqdm | None = None
        self._name = ""

    def __call__(self, progress: Progress) -> None:
        if self._bar is None or progress.name != self._name or progress.done < self._bar.n:
            self.close()
            self._name = progress.name
            self._bar = tqdm(total=progress.total, desc=progress.name, unit="B", unit_scale=True)
        self._bar.update(progress.done - self._bar.n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
