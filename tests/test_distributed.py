"""Scoring on a Dask cluster gives the same rows as scoring in one process."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

from rolecls.cli import main  # noqa: E402
from rolecls.distributed import score_dask_frame  # noqa: E402
from rolecls.scoring import added_columns, score_file  # noqa: E402

from .test_scoring import GERMAN, PRODUCT, PROJECT, postings  # noqa: E402


@pytest.fixture(scope="module")
def cluster():
    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as local,
        distributed.Client(local) as client,
    ):
        yield local, client


@pytest.fixture
def table(tmp_path) -> Path:
    rows = postings(60)
    rows[3][2] = ""
    rows[7][2] = "12345"
    rows[11][2] = PRODUCT
    rows[12][2] = PROJECT
    rows[20][2] = GERMAN
    path = tmp_path / "in.csv"
    pd.DataFrame(rows, columns=["id", "title", "text"]).to_csv(path, index=False)
    return path


def local_scores(source: Path, target: Path, **options) -> pd.DataFrame:
    score_file(source, target, ["title", "text"], jobs=1, **options)
    if target.suffix == ".jsonl":
        return pd.read_json(target, lines=True, dtype=False)
    return pd.read_csv(target, dtype=str, keep_default_na=False)


def assert_same_rows(expected: pd.DataFrame, found: pd.DataFrame) -> None:
    assert len(found) == len(expected)
    assert found["id"].astype(str).tolist() == expected["id"].astype(str).tolist()
    for column in ("label", "error"):
        left = ["" if pd.isna(v) else str(v) for v in expected[column]]
        right = ["" if pd.isna(v) else str(v) for v in found[column]]
        assert left == right, column
    for column in ("p_product", "p_project", "p_hybrid"):
        left = pd.to_numeric(expected[column].replace("", None)).fillna(-1).to_numpy(dtype=float)
        right = pd.to_numeric(found[column].replace("", None)).fillna(-1).to_numpy(dtype=float)
        assert abs(left - right).max() <= 1e-9, column


def test_score_dask_frame_equals_single_process_scoring(cluster, table, tmp_path):
    import dask.dataframe as dd

    expected = local_scores(table, tmp_path / "local.csv")
    frame = pd.read_csv(table, dtype=str, keep_default_na=False)
    ddf = dd.from_pandas(frame, npartitions=4)
    scored = score_dask_frame(ddf, ["title", "text"])
    assert list(scored.columns) == ["id", "title", "text", *added_columns()]
    found = scored.compute()
    assert_same_rows(expected, found)
    assert found.error.iloc[3] == "title + text: the text is empty"


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_cli_scheduler_writes_the_same_rows_in_order(cluster, table, tmp_path, suffix):
    local, _ = cluster
    expected = local_scores(table, tmp_path / "local.csv")
    target = tmp_path / f"dask{suffix}"
    args = ["score", str(table), "-o", str(target), "--text-column", "title", "--text-column", "text"]
    result = CliRunner().invoke(main, [*args, "--scheduler", local.scheduler_address])
    assert result.exit_code == 0, result.output
    assert not Path(f"{target}.partial").exists()
    if suffix == ".csv":
        found = pd.read_csv(target, dtype=str, keep_default_na=False)
    elif suffix == ".jsonl":
        found = pd.read_json(target, lines=True, dtype=False)
        first = json.loads(target.read_text(encoding="utf-8").splitlines()[0])
        assert first["evidence_spans"] and {"text", "start", "end", "label", "weight"} == set(
            first["evidence_spans"][0]
        )
    else:
        found = pd.read_parquet(target)
    assert_same_rows(expected, found)


def test_cli_scheduler_reads_jsonl_and_parquet(cluster, table, tmp_path):
    local, _ = cluster
    frame = pd.read_csv(table, dtype=str, keep_default_na=False)
    expected = local_scores(table, tmp_path / "local.csv")
    for suffix in (".jsonl", ".parquet"):
        source = tmp_path / f"in{suffix}"
        if suffix == ".jsonl":
            frame.to_json(source, orient="records", lines=True)
        else:
            frame.to_parquet(source, index=False)
        target = tmp_path / f"out-{suffix[1:]}.csv"
        args = ["score", str(source), "-o", str(target), "--text-column", "title", "--text-column", "text"]
        result = CliRunner().invoke(main, [*args, "--scheduler", local.scheduler_address])
        assert result.exit_code == 0, result.output
        assert_same_rows(expected, pd.read_csv(target, dtype=str, keep_default_na=False))


def test_cli_scheduler_reports_user_errors(cluster, table, tmp_path):
    local, _ = cluster
    result = CliRunner().invoke(
        main,
        [
            "score",
            str(table),
            "-o",
            str(tmp_path / "o.csv"),
            "--text-column",
            "body",
            "--scheduler",
            local.scheduler_address,
        ],
    )
    assert result.exit_code == 1 and "no column 'body' (columns: id, title, text)" in result.stderr
