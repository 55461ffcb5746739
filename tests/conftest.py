"""Shared fixtures: the shipped model, a small model trained here, and paths to project data."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "data" / "examples"
CORPUS = ROOT / "data" / "corpus.csv"
DEV_CSV = Path(os.environ.get("ROLECLS_EVAL_DIR", ROOT.parent / "shared" / "eval")) / "real_postings_dev.csv"


@pytest.fixture(scope="session")
def shipped_model():
    from rolecls.persistence import load_model

    return load_model()


@pytest.fixture(scope="session")
def corpus() -> pd.DataFrame:
    return pd.read_csv(CORPUS, dtype=str, keep_default_na=False)


@pytest.fixture(scope="session")
def small_model(corpus):
    """A model trained here on a few hundred corpus documents (fast, independent of the shipped file)."""
    from rolecls.estimator import RoleClassifier

    sample = corpus.groupby("label").sample(80, random_state=0)
    return RoleClassifier().fit(sample.text.tolist(), sample.label.tolist())


@pytest.fixture(scope="session")
def dev_postings() -> pd.DataFrame:
    if not DEV_CSV.is_file():
        pytest.skip(f"evaluation data not present at {DEV_CSV}")
    return pd.read_csv(DEV_CSV, dtype=str, keep_default_na=False)
