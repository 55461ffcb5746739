"""Train a model from a labelled CSV or JSONL file and describe it in a model card."""

from __future__ import annotations

import datetime as dt
import platform
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from rolecls.errors import RoleclsError, TrainingDataError
from rolecls.estimator import LABELS, RoleClassifier
from rolecls.evaluation import grouped_scores
from rolecls.persistence import sha256_file
from rolecls.statement_bank import read_statements, statements_path
from rolecls.tables import check_counts, label_values, read_columns

MIN_PER_LABEL = 10
REQUIRED_LABELS = ("product", "project")
"""Labels training data must hold; ``hybrid`` and ``neither`` are learnt when present."""


@dataclass(frozen=True)
class LabelledData:
    """Texts with labels, and optional grouping columns (kind, source, group)."""

    texts: list[str]
    labels: list[str]
    extra: pd.DataFrame
    source: str


def read_labelled(
    path: str | Path, text_column: str = "text", label_column: str = "label", min_per_label: int = MIN_PER_LABEL
) -> LabelledData:
    """Read and check labelled data: known labels, no empty texts, enough examples of every label it holds.

    Product and project rows are required; hybrid and neither rows are optional (a model trained without
    them never gives those labels).
    """
    frame = read_columns(path, (text_column, label_column))
    labels = label_values(frame[label_column])
    unknown = sorted(set(labels) - set(LABELS))
    if unknown:
        rows = [int(i) + 2 for i in np.flatnonzero(~labels.isin(LABELS))[:5]]
        raise TrainingDataError(
            f"{path}: unknown labels {unknown} (rows {rows}...); labels must be one of {', '.join(LABELS)}"
        )
    texts = frame[text_column]
    empty = texts.isna() | (texts.astype(str).str.strip() == "")
    if empty.any():
        rows = [int(i) + 2 for i in np.flatnonzero(empty.to_numpy())[:5]]
        count = int(empty.sum())
        raise TrainingDataError(f"{path}: {count} empty text{'s' if count > 1 else ''} (rows {rows}...)")
    check_counts(Counter(labels), LABELS, REQUIRED_LABELS, min_per_label, str(path), "label")
    extra = frame.drop(columns=[text_column, label_column])
    return LabelledData(texts=texts.astype(str).tolist(), labels=labels.tolist(), extra=extra, source=str(path))


GROUP_COLUMNS = ("kind", "source_repo")
"""Columns of an evaluation file whose values get figures of their own, where the file has them."""


def _labels_of(data: LabelledData, column: str) -> list[str]:
    if column not in data.extra.columns:
        raise TrainingDataError(f"{data.source}: no label column {column!r}")
    labels = label_values(data.extra[column])
    unknown = sorted(set(labels) - set(LABELS))
    if unknown:
        raise TrainingDataError(f"{data.source}: unknown labels {unknown} in {column!r}; use {', '.join(LABELS)}")
    return labels.tolist()


def _shares_of(data: LabelledData, column: str) -> np.ndarray:
    if column not in data.extra.columns:
        raise TrainingDataError(f"{data.source}: no share column {column!r}")
    shares = pd.to_numeric(data.extra[column], errors="coerce")
    if shares.isna().any() or not shares.between(0, 100).all():
        raise TrainingDataError(f"{data.source}: {column!r} must hold numbers from 0 to 100 on every row")
    return shares.to_numpy(dtype=float)


def evaluate_model(
    model: RoleClassifier,
    data: LabelledData,
    group_columns: Sequence[str] = GROUP_COLUMNS,
    plot: str | Path | None = None,
    share_column: str | None = None,
    other_label_columns: Sequence[str] = (),
) -> dict[str, Any]:
    """Figures for ``model`` on labelled data, overall and per group column it has; optionally plot them.

    ``share_column`` holds the true product share of each row's duties (0-100): the figures then include
    the rank correlation of the role mix with it. ``other_label_columns`` are further label sets of the
    same rows (for example title-derived labels), scored against the same predictions under
    ``other_labels``.
    """
    found = model.predictions(data.texts)
    predicted, proba, classes = found.labels.astype(str), found.probabilities, [str(c) for c in model.classes_]
    groups = {name: data.extra[name].astype(str).tolist() for name in group_columns if name in data.extra.columns}
    share = _shares_of(data, share_column) if share_column else None
    mix = found.mix[:, 0]
    report = grouped_scores(data.labels, predicted, proba, groups, classes, mix, share)
    if other_label_columns:
        report["other_labels"] = {
            column: grouped_scores(_labels_of(data, column), predicted, proba, groups, classes, mix, share)
            for column in other_label_columns
        }
    if plot is not None:
        from rolecls.plots import plot_evaluation

        plot_evaluation(report["overall"], data.labels, proba, classes, plot)
    return report


def evaluate_file(
    path: str | Path,
    model: RoleClassifier,
    text_column: str = "text",
    label_columns: Sequence[str] = ("label",),
    plot: str | Path | None = None,
    share_column: str | None = None,
) -> dict[str, Any]:
    """Figures for ``model`` on a labelled CSV, JSONL or Parquet file (per ``kind`` and ``source_repo`` too).

    The first of ``label_columns`` is the label set the figures are for; the others are scored beside it.
    """
    data = read_labelled(path, text_column, label_columns[0], min_per_label=0)
    report = evaluate_model(model, data, GROUP_COLUMNS, plot, share_column, label_columns[1:])
    return {"label_column": label_columns[0], "share_column": share_column, **report}


MODEL_PACKAGES = ("rolecls", "spacy", "spacy-lookups-data", "scikit-learn", "numpy", "joblib")


def package_versions(packages: Sequence[str]) -> dict[str, str]:
    """Installed version of each package ("not installed" when it is missing)."""
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for package in packages:
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = "not installed"
    return found


def versions() -> dict[str, str]:
    """Versions of Python and the packages a model depends on."""
    return {"python": platform.python_version(), **package_versions(MODEL_PACKAGES)}


def read_notes(path: str | Path) -> list[str]:
    """The paragraphs of a plain-text notes file (blank lines between them), each joined into one line."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RoleclsError(f"cannot read the notes file {path}: {exc}") from exc
    return [" ".join(paragraph.split()) for paragraph in re.split(r"\n\s*\n", text) if paragraph.strip()]


def training_card(model: RoleClassifier, data: LabelledData, notes: Sequence[str] = ()) -> dict[str, Any]:
    """The parts of a model card known right after training, with ``notes`` about how it was made."""
    counts: dict[str, dict[str, int]] = {}
    kinds = data.extra["kind"].astype(str).tolist() if "kind" in data.extra.columns else ["all"] * len(data.labels)
    for label, kind in zip(data.labels, kinds, strict=True):
        counts.setdefault(label, {}).setdefault(kind, 0)
        counts[label][kind] += 1
    statements = statements_path(model.statements)
    statement_texts, statement_labels = read_statements(model.statements)
    return {
        "name": "rolecls",
        "description": "Product, project, hybrid or neither management role, judged from its duty statements alone.",
        "training_date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "trained_on": {
            "file": Path(data.source).name,
            "sha256": sha256_file(data.source),
            "documents": len(data.texts),
            "documents_per_label_and_kind": counts,
        },
        "statements": {
            "file": statements.name,
            "sha256": sha256_file(statements),
            "statements": len(statement_texts),
            "per_label": dict(sorted(Counter(statement_labels).items())),
        },
        "parameters": {
            key: str(value) if isinstance(value, Path) else value for key, value in model.get_params().items()
        },
        "notes": list(notes),
        "classes": [str(c) for c in model.classes_],
        "vocabulary_size": len(model.vocabulary_),
        "versions": versions(),
    }


def train(data: LabelledData, model: RoleClassifier | None = None) -> RoleClassifier:
    """Fit ``model`` (default parameters if ``None``) on labelled data."""
    estimator = model if model is not None else RoleClassifier()
    return estimator.fit(data.texts, data.labels)
