"""Read a whole labelled table (CSV, JSONL or Parquet, by extension) into a DataFrame."""

from __future__ import annotations

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
