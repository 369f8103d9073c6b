"""python -m benchmarks [--quick] [--json] [--only PART]: every figure against its target."""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
from pathlib import Path

import numpy as np

# Offscreen, on a virtual 1920x1080 screen: lecture mode fills a projector's screen.
SCREEN = Path(tempfile.mkdtemp()) / "screen.json"
SCREEN.write_text(json.dumps({"screens": [{"name": "projector", "width": 1920, "height": 1080}]}))
os.environ.setdefault("QT_QPA_PLATFORM", f"offscreen:configfile={SCREEN}")

from benchmarks import engine, motion, rewind, window  # noqa: E402 (Qt reads QT_QPA_PLATFORM on import)
from benchmarks.report import as_json, table  # noqa: E402
from nnviz.allocator import keep_freed_memory  # noqa: E402

PARTS = ("engine", "scaling", "window", "motion", "rewind")


def machine() -> dict:
    blas = np.show_config(mode="dicts").get("Build Dependencies", {}).get("blas", {})
    return {
        "cpu": platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "blas": f"{blas.get('name', '?')} {blas.get('version', '')}".strip(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split(":")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats and a shorter memory run")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    parser.add_argument("--only", choices=PARTS, action="append", help="run only these parts")
    options = parser.parse_args()
    keep_freed_memory()  # as nnviz's entry points do
    parts = options.only or PARTS
    quick = options.quick
    figures = []
    if "engine" in parts:
        figures += engine.figures(repeats=3 if quick else 7)
    if "motion" in parts:
        figures += motion.figures(seconds=3 if quick else 6, rounds=3)
        figures += motion.cli_speed(iterations=30 if quick else 100, rounds=3)
    if "window" in parts:
        figures += window.responsiveness(seconds=4 if quick else 10)
        figures += window.frame_cost(frames=40 if quick else 120)
        figures += window.startup(runs=3 if quick else 5)
        figures += window.memory(iterations=20_000 if quick else 200_000)
        figures += window.mistakes_page(seconds=4 if quick else 10)
    if "rewind" in parts:
        figures += rewind.figures(iterations=20_000 if quick else 200_000)
    if "scaling" in parts:
        figures += engine.scaling(repeats=2 if quick else 3)
    print(as_json(figures, machine()) if options.json else table(figures))
    return 0 if all(f.met is not False for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
