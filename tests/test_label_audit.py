"""The blinded label audit tool: the auditor sees texts only, the counts come out right."""

from __future__ import annotations

import importlib.util
import json

import pandas as pd
import pytest

from .conftest import ROOT

_SPEC = importlib.util.spec_from_file_location("label_audit", ROOT / "benchmarks" / "label_audit.py")
assert _SPEC is not None and _SPEC.loader is not None
audit = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(audit)


@pytest.fixture
def rows(corpus) -> pd.DataFrame:
    """Stand-in evaluation rows (the project's own corpus texts): 20 product, 20 project, 5 hybrid."""
    parts = [corpus[corpus.label == label].head(count) for label, count in (("product", 20), ("project", 20))]
    parts.append(corpus[corpus.label == "hybrid"].head(5))
    return pd.concat(parts).reset_index(drop=True)[["id", "label", "text"]]


def predictions(rows: pd.DataFrame) -> list[str]:
    """4 product rows called project, 2 called hybrid, 3 project rows called product; the rest right."""
    predicted = rows.label.tolist()
    for i in range(4):
        predicted[i] = "project"
    predicted[4] = predicted[5] = "hybrid"
    for i in range(20, 23):
        predicted[i] = "product"
    return predicted


def test_the_sheet_holds_disputed_rows_and_as_many_controls_without_labels(rows, tmp_path):
    sheet, key = audit.prepare(rows, predictions(rows), tmp_path / "audit")
    assert list(sheet.columns) == ["audit_id", "text", "judgement", "note"]
    written = pd.read_csv(tmp_path / "audit" / "sheet.csv", dtype=str, keep_default_na=False)
    assert list(written.columns) == list(sheet.columns) and set(written.judgement) == {""}
    assert (key.group == "disputed").sum() == 9 and (key.group == "control").sum() == 9
    controls = key[key.group == "control"]
    assert (controls.label == controls.predicted).all()
    assert sorted(controls.label) == sorted(key[key.group == "disputed"].label)  # same label mix
    assert "hybrid" not in set(key.label)  # only product and project rows are audited
    assert key.group.tolist() != sorted(key.group.tolist()) and key.group.tolist() != sorted(key.group, reverse=True)


def test_score_counts_agreement_with_the_title_label_and_with_the_model(rows, tmp_path):
    out = tmp_path / "audit"
    audit.prepare(rows, predictions(rows), out)
    sheet = pd.read_csv(out / "sheet.csv", dtype=str, keep_default_na=False)
    key = pd.read_csv(out / "key.csv", dtype=str, keep_default_na=False).set_index("audit_id")
    # The auditor sides with the model on the disputed rows (and so with the title label on controls).
    sheet["judgement"] = key.loc[sheet.audit_id, "predicted"].tolist()
    sheet.to_csv(out / "sheet.csv", index=False)
    report = audit.score(out)
    assert report["disputed"] == {
        "rows": 9,
        "judged": 9,
        "agrees_with_title_label": 0,
        "agrees_with_model": 9,
        "hybrid": 2,
        "unclear": 0,
    }
    assert report["control"]["agrees_with_title_label"] == report["control"]["agrees_with_model"] == 9
    # A blank judgement is not counted; judgements are read case-insensitively.
    disputed = sheet.index[key.loc[sheet.audit_id, "group"].to_numpy() == "disputed"][0]
    control = sheet.index[key.loc[sheet.audit_id, "group"].to_numpy() == "control"][0]
    sheet.loc[disputed, "judgement"] = ""
    sheet.loc[control, "judgement"] = " Unclear"
    sheet.to_csv(out / "sheet.csv", index=False)
    report = audit.score(out)
    assert report["disputed"]["judged"] == 8
    assert report["control"]["unclear"] == 1 and report["control"]["agrees_with_title_label"] == 8


def test_the_audit_refuses_to_write_into_the_repository(rows):
    with pytest.raises(audit.AuditError, match="inside the repository"):
        audit.prepare(rows, predictions(rows), ROOT / "data" / "audit")
    assert not (ROOT / "data" / "audit").exists()


def test_the_audit_never_overwrites_a_sheet(rows, tmp_path):
    audit.prepare(rows, predictions(rows), tmp_path)
    with pytest.raises(audit.AuditError, match="already holds an audit"):
        audit.prepare(rows, predictions(rows), tmp_path)


def test_score_refuses_unknown_judgements_and_missing_files(rows, tmp_path, capsys):
    assert audit.main(["score", "--out", str(tmp_path / "nothing")]) == 1
    assert "run prepare first" in capsys.readouterr().err
    audit.prepare(rows, predictions(rows), tmp_path)
    sheet = pd.read_csv(tmp_path / "sheet.csv", dtype=str, keep_default_na=False)
    sheet.loc[0, "judgement"] = "programme"
    sheet.to_csv(tmp_path / "sheet.csv", index=False)
    assert audit.main(["score", "--out", str(tmp_path)]) == 1
    assert "judgements must be one of" in capsys.readouterr().err


def test_score_prints_a_table_or_json(rows, tmp_path, capsys):
    audit.prepare(rows, predictions(rows), tmp_path)
    assert audit.main(["score", "--out", str(tmp_path), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["disputed"]["judged"] == 0
    assert audit.main(["score", "--out", str(tmp_path)]) == 0
    assert "| disputed (9) | 0 |" in capsys.readouterr().out
