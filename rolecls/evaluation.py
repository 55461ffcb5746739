"""Evaluation figures: accuracy, per-label scores, confusions, calibration, overall and per group."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import Any

import numpy as np
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support

from rolecls.estimator import LABELS

SIDES = ("product", "project")
Labels = Sequence[str] | np.ndarray


def reliability_bins(
    y_true: Labels, proba: np.ndarray, classes: Sequence[str], bins: int = 10
) -> list[tuple[float, float, int]]:
    """For each equal-width bin of top-label confidence that holds predictions: (mean confidence, accuracy, count)."""
    truth = np.asarray(y_true)
    confidence = proba.max(axis=1)
    correct = np.asarray(classes)[proba.argmax(axis=1)] == truth
    edges = np.linspace(0.0, 1.0, bins + 1)
    found = []
    for low, high in pairwise(edges):
        inside = (confidence > low) & (confidence <= high)
        if inside.any():
            found.append((float(confidence[inside].mean()), float(correct[inside].mean()), int(inside.sum())))
    return found


def expected_calibration_error(y_true: Labels, proba: np.ndarray, classes: Sequence[str], bins: int = 10) -> float:
    """Expected calibration error of the top-label probability, over equal-width bins."""
    total = len(np.asarray(y_true))
    return float(
        sum(
            count / total * abs(accuracy - confidence)
            for confidence, accuracy, count in reliability_bins(y_true, proba, classes, bins)
        )
    )


def brier_score(y_true: Labels, proba: np.ndarray, classes: Sequence[str]) -> float:
    """Multi-class Brier score: mean squared distance between probabilities and the one-hot truth."""
    truth = np.asarray(y_true)
    onehot = (truth[:, None] == np.asarray(classes)[None, :]).astype(float)
    return float(np.mean(np.sum((proba - onehot) ** 2, axis=1)))


def _macro_f1(truth: np.ndarray, predicted: np.ndarray, labels: Sequence[str]) -> float:
    """Macro-F1 over the labels that occur in ``truth`` (0 when there are no rows)."""
    present = [label for label in labels if label in set(truth.tolist())]
    if not present:
        return 0.0
    return float(f1_score(truth, predicted, labels=present, average="macro", zero_division=0))


def scores(
    y_true: Labels, y_pred: Labels, proba: np.ndarray | None = None, classes: Sequence[str] = LABELS
) -> dict[str, Any]:
    """All figures for one set of predictions.

    ``side_confusions`` counts product rows predicted project and the reverse; ``hybrid_predictions``
    counts product or project rows predicted hybrid; both are also given as shares of those rows.
    """
    truth, predicted = np.asarray(y_true), np.asarray(y_pred)
    labels = list(classes)
    precision, recall, f1, support = precision_recall_fscore_support(truth, predicted, labels=labels, zero_division=0)
    sided = np.isin(truth, SIDES)
    side_confusions = int(np.sum(sided & np.isin(predicted, SIDES) & (predicted != truth)))
    hybrid_predictions = int(np.sum(sided & (predicted == "hybrid")))
    n_sided = int(sided.sum())
    result: dict[str, Any] = {
        "rows": len(truth),
        "accuracy": float(accuracy_score(truth, predicted)) if len(truth) else 0.0,
        "per_label": {
            label: {"precision": float(p), "recall": float(r), "f1": float(f), "support": int(s)}
            for label, p, r, f, s in zip(labels, precision, recall, f1, support, strict=True)
        },
        "macro_f1": _macro_f1(truth, predicted, labels),
        "macro_f1_product_project": _macro_f1(truth[sided], predicted[sided], SIDES),
        "side_confusions": side_confusions,
        "side_confusion_rate": side_confusions / n_sided if n_sided else 0.0,
        "hybrid_predictions": hybrid_predictions,
        "hybrid_prediction_rate": hybrid_predictions / n_sided if n_sided else 0.0,
        "confusion_matrix": {
            "labels": labels,
            "rows_true_columns_predicted": confusion_matrix(truth, predicted, labels=labels).tolist(),
        },
    }
    if proba is not None and len(truth):
        result["brier"] = brier_score(truth, proba, labels)
        result["ece"] = expected_calibration_error(truth, proba, labels)
    return result


def grouped_scores(
    y_true: Labels,
    y_pred: Labels,
    proba: np.ndarray | None,
    groups: dict[str, Sequence[str]],
    classes: Sequence[str] = LABELS,
) -> dict[str, Any]:
    """Figures overall and for each value of each grouping column (for example ``kind``, ``source``)."""
    truth, predicted = np.asarray(y_true), np.asarray(y_pred)
    report: dict[str, Any] = {"overall": scores(truth, predicted, proba, classes)}
    for name, values in groups.items():
        column = np.asarray(values)
        report[f"by_{name}"] = {
            str(value): scores(
                truth[column == value],
                predicted[column == value],
                None if proba is None else proba[column == value],
                classes,
            )
            for value in sorted(set(column.tolist()))
        }
    return report
