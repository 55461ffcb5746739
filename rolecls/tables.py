"""Read a whole labelled table (CSV, JSONL or Parquet, by extension) into a DataFrame, and check it."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path

import pandas as pd

from rolecls.errors import TrainingDataError


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a CSV, JSONL or Parquet file into a DataFrame, by extension; CSV cells are read as text."""
    path = Path(path)
    if not path.is_file():
        raise TrainingDataError(f"{path}: no such file")
    suffix = path.suffix.lower()
    try:
        if suffix in {".jsonl", ".ndjson"}:
            return pd.read_json(path, lines=True, dtype=False)
        if suffix in {".parquet", ".pq"}:
            return pd.read_parquet(path)
        return pd.read_csv(path, dtype=str, keep_default_na=False)
    except (ValueError, OSError, pd.errors.ParserError) as exc:
        raise TrainingDataError(f"{path}: cannot be read as a table ({exc})") from None


def read_columns(path: str | Path, columns: Collection[str]) -> pd.DataFrame:
    """``read_table``, refused unless the table has every one of ``columns``."""
    frame = read_table(path)
    for column in columns:
        if column not in frame.columns:
            raise TrainingDataError(f"{path}: no column {column!r} (columns: {', '.join(map(str, frame.columns))})")
    return frame


def label_values(column: pd.Series) -> pd.Series:
    """A label column as labels are compared: text, stripped, lower-cased."""
    return column.astype(str).str.strip().str.lower()


def check_counts(
    counts: Mapping[str, int], labels: Collection[str], required: Collection[str], minimum: int, source: str, noun: str
) -> None:
    """Refuse a table in which a required label, or any label present, has fewer than ``minimum`` examples."""
    for label in labels:
        found = counts.get(label, 0)
        if (label in required or found) and found < minimum:
            raise TrainingDataError(f"{source}: {noun} {label!r} has {found} examples; at least {minimum} are needed")
