"""`nnviz evaluate`: a saved network on every example of a data set (no dev split held out), as a
table on a terminal or one JSON object: loss, accuracy, the confusion matrix, accuracy per digit."""

from __future__ import annotations

import json
from argparse import Namespace
from pathlib import Path

import numpy as np

from nnviz.data import load_dataset
from nnviz.engine.checkpoint import load_checkpoint
from nnviz.engine.evaluation import Evaluation, evaluate
from nnviz.engine.trainer import Examples


def run_evaluate(options: Namespace) -> int:
    checkpoint = load_checkpoint(Path(options.checkpoint))
    data = load_dataset(options.data, part=options.part)
    examples = Examples.from_pixels(data.images, data.labels)
    evaluation = evaluate(checkpoint.params, examples.X, examples.labels, checkpoint.iteration)
    summary = {
        "checkpoint": str(options.checkpoint),
        "iteration": checkpoint.iteration,
        "hidden": checkpoint.params.hidden,
        "data": data.name,
        "examples": evaluation.m,
        "loss": evaluation.loss,
        "accuracy": evaluation.accuracy,
        "confusion": evaluation.confusion.tolist(),  # rows = true digit, columns = predicted
        "accuracy_per_digit": [None if np.isnan(a) else float(a) for a in evaluation.accuracy_per_digit],
    }
    print(json.dumps(summary) if options.json else table(summary, evaluation))
    return 0


def table(summary: dict, evaluation: Evaluation) -> str:
    """For a terminal: what was evaluated, the loss and accuracy, and the matrix with each row's accuracy."""
    lines = [
        f"{summary['checkpoint']} (iteration {summary['iteration']:,}, {summary['hidden']} hidden units) "
        f"on {summary['data']}: {summary['examples']:,} digits",
        f"loss {evaluation.loss:.4f}   accuracy {evaluation.accuracy:.2%}",
        "",
        "rows: true digit, columns: predicted digit",
    ]
    width = max(5, len(f"{evaluation.confusion.max():,}") + 1)
    lines.append("true " + "".join(f"{d:>{width}}" for d in range(10)) + "     right")
    for digit, (row, share) in enumerate(
        zip(evaluation.confusion, evaluation.accuracy_per_digit, strict=True)
    ):
        right = "      -" if np.isnan(share) else f"{share:8.1%}"
        lines.append(f"{digit:>4} " + "".join(f"{count:>{width},}" for count in row) + f" {right}")
    return "\n".join(lines)
