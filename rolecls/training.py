"""Train a model from a labelled CSV or JSONL file and describe it in a model card."""

from __future__ import annotations

import datetime as dt
import hashlib
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

MIN_PER_LABEL = 10


@dataclass(frozen=True)
class LabelledData:
    """Texts with labels, and optional grouping columns (kind, source, group)."""

    texts: list[str]
    labels: list[str]
    extra: pd.DataFrame
    source: str


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a CSV, JSONL or Parquet file into a DataFrame, by extension."""
    path = Path(path)
    if not path.is_file():
        raise TrainingDataError(f"{path}: no such file")
    suffix = path.suffix.lower()
    try:
        if suffix in {".jsonl", ".ndjson"}:
            return pd.read_json(path, lines=True, dtype=False)
        if suffix == ".parquet":
            return pd.read_parquet(path)
        return pd.read_csv(path, dtype=str, keep_default_na=False)
    except (ValueError, OSError, pd.errors.ParserError) as exc:
        raise TrainingDataError(f"{path}: cannot be read as a table ({exc})") from None


def read_labelled(
    path: str | Path, text_column: str = "text", label_column: str = "label", min_per_label: int = MIN_PER_LABEL
) -> LabelledData:
    """Read and check labelled data: known labels, no empty texts, enough examples per label."""
    frame = read_table(path)
    for column in (text_column, label_column):
        if column not in frame.columns:
            raise TrainingDataError(f"{path}: no column {column!r} (columns: {', '.join(map(str, frame.columns))})")
    labels = frame[label_column].astype(str).str.strip().str.lower()
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
    counts = Counter(labels)
    for label in LABELS:
        if counts[label] < min_per_label:
            raise TrainingDataError(
                f"{path}: label {label!r} has {counts[label]} examples; at least {min_per_label} are needed"
            )
    extra = frame.drop(columns=[text_column, label_column])
    return LabelledData(texts=texts.astype(str).tolist(), labels=labels.tolist(), extra=extra, source=str(path))


def file_sha256(path: str | Path) -> str:
    """Hex sha256 of a file."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def predict_labelled(model: RoleClassifier, data: LabelledData) -> tuple[list[str], np.ndarray, list[str]]:
    """Predicted labels, probabilities (one column per class) and the class order, for labelled data."""
    proba = model.predict_proba(data.texts)
    classes = [str(c) for c in model.classes_]
    predicted = [classes[i] for i in np.argmax(proba, axis=1)]
    return predicted, proba, classes


def evaluate_model(
    model: RoleClassifier,
    data: LabelledData,
    group_columns: tuple[str, ...] = (),
    plot: str | Path | None = None,
) -> dict[str, Any]:
    """Figures for ``model`` on labelled data, overall and per group column it has; optionally plot them."""
    predicted, proba, classes = predict_labelled(model, data)
    groups = {name: data.extra[name].astype(str).tolist() for name in group_columns if name in data.extra.columns}
    report = grouped_scores(data.labels, predicted, proba, groups, classes)
    if plot is not None:
        from rolecls.plots import plot_evaluation

        plot_evaluation(report["overall"], data.labels, proba, classes, plot)
    return report


def evaluate_file(
    path: str | Path,
    model: RoleClassifier,
    text_column: str = "text",
    label_column: str = "label",
    plot: str | Path | None = None,
) -> dict[str, Any]:
    """Figures for ``model`` on a labelled CSV, JSONL or Parquet file (per ``kind`` and ``source_repo`` too)."""
    data = read_labelled(path, text_column, label_column, min_per_label=0)
    return evaluate_model(model, data, ("kind", "source_repo"), plot)


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
    return {
        "name": "rolecls",
        "description": "Product vs project vs hybrid management role, judged from responsibility statements.",
        "training_date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "trained_on": {
            "file": Path(data.source).name,
            "sha256": file_sha256(data.source),
            "documents": len(data.texts),
            "documents_per_label_and_kind": counts,
        },
        "parameters": model.get_params(),
        "notes": list(notes),
        "classes": [str(c) for c in model.classes_],
        "vocabulary_size": len(model.vectorizer_.vocabulary_),
        "versions": versions(),
    }


def train(data: LabelledData, model: RoleClassifier | None = None) -> RoleClassifier:
    """Fit ``model`` (default parameters if ``None``) on labelled data."""
    estimator = model if model is not None else RoleClassifier()
    return estimator.fit(data.texts, data.labels)
