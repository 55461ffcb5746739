"""Evaluation figures: the four labels, confusions between sides, hybrid and neither found, role mix, calibration.

Rows are named by their true label: *clear* rows are product or project, *management* rows are
product, project or hybrid (they hold management duties), and *neither* rows hold none.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import Any

import numpy as np
from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support

from rolecls.decision import LABELS, SIDES

MANAGEMENT = ("product", "project", "hybrid")
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


def _share(count: int, total: int) -> float:
    return count / total if total else 0.0


def spearman(x: np.ndarray, y: np.ndarray) -> float | None:
    """Spearman's rank correlation (ties get their mean rank), or ``None`` for fewer than 3 rows or a constant."""
    if len(x) < 3:
        return None
    from scipy.stats import spearmanr

    if np.ptp(x) == 0 or np.ptp(y) == 0:
        return None
    return float(spearmanr(x, y).statistic)


def per_label(
    truth: Sequence[str] | np.ndarray, predicted: Sequence[str] | np.ndarray, labels: Sequence[str]
) -> dict[str, dict[str, Any]]:
    """Precision, recall, F1 and support of each of ``labels`` (0 where undefined)."""
    precision, recall, f1, support = precision_recall_fscore_support(
        truth, predicted, labels=list(labels), zero_division=0
    )
    return {
        label: {"precision": float(p), "recall": float(r), "f1": float(f), "support": int(s)}
        for label, p, r, f, s in zip(labels, precision, recall, f1, support, strict=True)
    }


def scores(
    y_true: Labels,
    y_pred: Labels,
    proba: np.ndarray | None = None,
    classes: Sequence[str] = LABELS,
    mix: np.ndarray | None = None,
    share: np.ndarray | None = None,
) -> dict[str, Any]:
    """All figures for one set of predictions.

    ``side_confusions`` counts clear rows predicted as the other side; ``hybrid_predictions`` clear rows
    predicted hybrid; ``hybrid_found`` hybrid rows predicted hybrid; ``neither_found`` neither rows
    predicted neither; ``neither_predictions`` management rows predicted neither; each with its rate.
    ``accuracy`` is the agreement over all labels. With ``mix`` (each row's product share of its duties)
    and ``share`` (the true product share, 0-100), ``mix_spearman`` is their rank correlation over the
    management rows.
    """
    truth, predicted = np.asarray(y_true).astype(str), np.asarray(y_pred).astype(str)
    present = set(truth.tolist()) | set(predicted.tolist()) | set(classes)
    labels = [label for label in LABELS if label in present] + sorted(present - set(LABELS))
    clear, management = np.isin(truth, SIDES), np.isin(truth, MANAGEMENT)
    hybrid, neither = truth == "hybrid", truth == "neither"
    side_confusions = int(np.sum(clear & np.isin(predicted, SIDES) & (predicted != truth)))
    hybrid_predictions = int(np.sum(clear & (predicted == "hybrid")))
    neither_predictions = int(np.sum(management & (predicted == "neither")))
    result: dict[str, Any] = {
        "rows": len(truth),
        "accuracy": float(np.mean(truth == predicted)) if len(truth) else 0.0,
        "per_label": per_label(truth, predicted, labels),
        "macro_f1": _macro_f1(truth, predicted, labels),
        "macro_f1_product_project": _macro_f1(truth[clear], predicted[clear], SIDES),
        "clear_rows": int(clear.sum()),
        "side_confusions": side_confusions,
        "side_confusion_rate": _share(side_confusions, int(clear.sum())),
        "hybrid_predictions": hybrid_predictions,
        "hybrid_prediction_rate": _share(hybrid_predictions, int(clear.sum())),
        "hybrid_rows": int(hybrid.sum()),
        "hybrid_found": int(np.sum(hybrid & (predicted == "hybrid"))),
        "management_rows": int(management.sum()),
        "neither_predictions": neither_predictions,
        "neither_prediction_rate": _share(neither_predictions, int(management.sum())),
        "neither_rows": int(neither.sum()),
        "neither_found": int(np.sum(neither & (predicted == "neither"))),
        "confusion_matrix": {
            "labels": labels,
            "rows_true_columns_predicted": confusion_matrix(truth, predicted, labels=labels).tolist(),
        },
    }
    if mix is not None and share is not None:
        result["mix_spearman"] = spearman(np.asarray(mix)[management], np.asarray(share, dtype=float)[management])
    if proba is not None and len(truth):
        result["brier"] = brier_score(truth, proba, list(classes))
        result["ece"] = expected_calibration_error(truth, proba, list(classes))
    return result


def grouped_scores(
    y_true: Labels,
    y_pred: Labels,
    proba: np.ndarray | None,
    groups: dict[str, Sequence[str]],
    classes: Sequence[str] = LABELS,
    mix: np.ndarray | None = None,
    share: np.ndarray | None = None,
) -> dict[str, Any]:
    """Figures overall and for each value of each grouping column (for example ``kind``, ``source``)."""
    truth, predicted = np.asarray(y_true), np.asarray(y_pred)
    report: dict[str, Any] = {"overall": scores(truth, predicted, proba, classes, mix, share)}
    for name, values in groups.items():
        column = np.asarray(values)
        report[f"by_{name}"] = {
            str(value): scores(
                truth[column == value],
                predicted[column == value],
                None if proba is None else proba[column == value],
                classes,
                None if mix is None else np.asarray(mix)[column == value],
                None if share is None else np.asarray(share)[column == value],
            )
            for value in sorted(set(column.tolist()))
        }
    return report
