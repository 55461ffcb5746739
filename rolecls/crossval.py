"""Cross-validation on raw texts: out-of-fold predictions and their figures, grouped or not.

The corpus composes many documents from the same statement shard (its ``group`` column), so an
ungrouped split puts the same statements in training and test folds and flatters the model.
``grouped_cross_validation`` keeps each group on one side of every split.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, clone
from sklearn.model_selection import BaseCrossValidator, GroupKFold

from rolecls.duties import DUTY_CLASSES
from rolecls.estimator import LABELS, RoleClassifier
from rolecls.evaluation import per_label, scores


def cross_validation(
    texts: Sequence[str],
    labels: Sequence[str],
    estimator: BaseEstimator,
    splitter: BaseCrossValidator,
    groups: Sequence[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Fit a clone of ``estimator`` per fold of ``splitter`` and predict the held-out texts.

    Returns ``predicted`` (out-of-fold labels, in input order), ``proba`` (out-of-fold probabilities,
    one column per label in ``rolecls.estimator.LABELS``, or ``None`` if the estimator has no
    ``predict_proba``), ``folds`` (the ``train`` and ``test`` row indices of each fold) and ``scores``
    (``rolecls.evaluation.scores`` of the out-of-fold predictions).
    """
    texts, truth = list(texts), np.asarray(list(labels))
    if len(texts) != len(truth):
        raise ValueError(f"{len(texts)} texts but {len(truth)} labels")
    group_array = None if groups is None else np.asarray(list(groups))
    predicted = np.empty(len(texts), dtype=object)
    has_proba = hasattr(estimator, "predict_proba")
    proba = np.zeros((len(texts), len(LABELS))) if has_proba else None
    folds: list[dict[str, np.ndarray]] = []
    for number, (train, test) in enumerate(splitter.split(texts, truth, group_array), start=1):
        if progress is not None:
            progress(f"fold {number}/{splitter.get_n_splits()}: training on {len(train)}, testing on {len(test)}")
        model = clone(estimator).fit([texts[i] for i in train], truth[train])
        held_out = [texts[i] for i in test]
        if proba is not None:
            fold_proba = model.predict_proba(held_out)
            predicted[test] = np.asarray(model.classes_)[np.argmax(fold_proba, axis=1)]
            for column, label in enumerate(model.classes_):
                proba[test, LABELS.index(str(label))] = fold_proba[:, column]
        else:
            predicted[test] = model.predict(held_out)
        folds.append({"train": np.asarray(train), "test": np.asarray(test)})
    predicted_labels = [str(label) for label in predicted]
    return {
        "predicted": predicted_labels,
        "proba": proba,
        "folds": folds,
        "scores": scores(truth, predicted_labels, proba, LABELS),
    }


def grouped_cross_validation(
    texts: Sequence[str],
    labels: Sequence[str],
    groups: Sequence[str],
    estimator: BaseEstimator,
    n_splits: int = 5,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """``cross_validation`` with ``GroupKFold``: no group is ever in both a training and a test fold."""
    return cross_validation(texts, labels, estimator, GroupKFold(n_splits=n_splits), groups, progress)


def statement_cross_validation(
    texts: Sequence[str],
    labels: Sequence[str],
    groups: Sequence[str],
    estimator: RoleClassifier,
    n_splits: int = 5,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Grouped cross-validation of the duty stage alone, on labelled statements (``GroupKFold``).

    Each held-out statement's class is the most probable in ``RoleClassifier.duty_proba``. Returns
    ``predicted`` (in input order) and ``report``: per-class precision, recall, F1 and support, and accuracy.
    """
    texts, truth, group_array = list(texts), np.asarray(list(labels)), np.asarray(list(groups))
    predicted = np.empty(len(texts), dtype=object)
    splitter = GroupKFold(n_splits=n_splits)
    for number, (train, test) in enumerate(splitter.split(texts, truth, group_array), start=1):
        if progress is not None:
            progress(f"statement fold {number}/{n_splits}: training on {len(train)}, testing on {len(test)}")
        model = clone(estimator).fit_duties([texts[i] for i in train], truth[train].tolist())
        found = model.duty_proba([texts[i] for i in test])
        predicted[test] = np.asarray(DUTY_CLASSES)[np.argmax(found, axis=1)]
    predicted_labels = [str(label) for label in predicted]
    report = per_label(truth, predicted_labels, DUTY_CLASSES)
    return {
        "predicted": predicted_labels,
        "report": {"per_class": report, "accuracy": float(np.mean(truth == predicted_labels))},
    }
