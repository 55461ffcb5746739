"""Figures for an evaluation: the confusion matrix and a reliability diagram (needs matplotlib)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from rolecls.errors import RoleclsError
from rolecls.evaluation import reliability_bins


def _pyplot() -> Any:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise RoleclsError(
            "plots need matplotlib: pip install 'rolecls[plot]' (from a checkout: pip install '.[plot]')"
        ) from None
    return plt


def plot_evaluation(
    figures: dict[str, Any], y_true: Sequence[str], proba: np.ndarray, classes: Sequence[str], path: str | Path
) -> Path:
    """Draw the confusion matrix and the reliability diagram side by side into a PNG file."""
    plt = _pyplot()
    matrix = np.array(figures["confusion_matrix"]["rows_true_columns_predicted"])
    labels = figures["confusion_matrix"]["labels"]
    figure, (left, right) = plt.subplots(1, 2, figsize=(11, 4.8))
    left.imshow(matrix, cmap="Blues")
    left.set_xticks(range(len(labels)), labels)
    left.set_yticks(range(len(labels)), labels)
    left.set_xlabel("predicted")
    left.set_ylabel("true")
    left.set_title(f"Confusion matrix (accuracy {figures['accuracy']:.3f})")
    for row in range(len(labels)):
        for column in range(len(labels)):
            value = matrix[row, column]
            colour = "white" if value > matrix.max() / 2 else "black"
            left.text(column, row, str(value), ha="center", va="center", color=colour)
    points = reliability_bins(y_true, proba, classes)
    right.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfect calibration")
    if points:
        confidence, accuracy, _ = zip(*points, strict=True)
        right.plot(confidence, accuracy, marker="o", label="rolecls")
        for x, y, n in points:
            right.annotate(str(n), (x, y), textcoords="offset points", xytext=(4, -10), fontsize=8)
    right.set_xlim(0, 1.02)
    right.set_ylim(0, 1.08)
    right.set_xlabel("confidence of the predicted label")
    right.set_ylabel("share correct")
    ece = figures.get("ece")
    right.set_title("Reliability" + (f" (ECE {ece:.3f})" if ece is not None else ""))
    right.legend(loc="lower right")
    figure.tight_layout()
    target = Path(path)
    figure.savefig(target, dpi=110)
    plt.close(figure)
    return target
