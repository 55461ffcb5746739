"""Training: bad data is refused with clear messages; the same data gives the same model."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from rolecls.cli import main
from rolecls.errors import TrainingDataError
from rolecls.estimator import RoleClassifier
from rolecls.training import read_labelled


def write_csv(path, rows):
    import csv

    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_unknown_labels_are_refused(tmp_path):
    path = write_csv(tmp_path / "d.csv", [{"text": "Own the roadmap", "label": "marketing"}])
    with pytest.raises(TrainingDataError, match=r"unknown labels \['marketing'\].*row"):
        read_labelled(path)


def test_empty_texts_are_refused_with_row_numbers(tmp_path):
    rows = [{"text": "Own the roadmap", "label": "product"}, {"text": "  ", "label": "project"}]
    with pytest.raises(TrainingDataError, match=r"1 empty text \(rows \[3\]"):
        read_labelled(write_csv(tmp_path / "d.csv", rows))


def test_too_few_examples_per_label_are_refused(tmp_path):
    rows = [{"text": f"Own the roadmap {i}", "label": "product"} for i in range(12)]
    rows += [{"text": f"Manage the budget {i}", "label": "project"} for i in range(12)]
    rows += [{"text": "Both", "label": "hybrid"}]
    with pytest.raises(TrainingDataError, match="'hybrid' has 1 examples; at least 10"):
        read_labelled(write_csv(tmp_path / "d.csv", rows))


def test_missing_column_is_named(tmp_path):
    path = write_csv(tmp_path / "d.csv", [{"body": "x", "label": "product"}])
    with pytest.raises(TrainingDataError, match="no column 'text'"):
        read_labelled(path)


def test_same_data_gives_same_predictions(corpus):
    sample = corpus.groupby("label").sample(40, random_state=3)
    probe = corpus.text.tail(25).tolist()
    first = RoleClassifier().fit(sample.text, sample.label).predict_proba(probe)
    second = RoleClassifier().fit(sample.text, sample.label).predict_proba(probe)
    assert (first == second).all()


def test_train_command_writes_model_and_card(corpus, tmp_path):
    sample = corpus.groupby("label").sample(30, random_state=4)
    data = tmp_path / "train.jsonl"
    sample.rename(columns={"text": "body", "label": "role"}).to_json(data, orient="records", lines=True)
    output = tmp_path / "out" / "model.joblib"
    result = CliRunner().invoke(
        main, ["train", str(data), "-o", str(output), "--text-column", "body", "--label-column", "role"]
    )
    assert result.exit_code == 0, result.output
    card = json.loads((tmp_path / "out" / "model.card.json").read_text())
    assert card["trained_on"]["documents"] == 120 and card["classes"] == ["hybrid", "neither", "product", "project"]
    assert card["notes"] == []  # nothing about the shipped model's corpus in a user's card
    assert json.loads(result.stdout)["sha256"] == card["sha256"]
    classify = CliRunner().invoke(
        main, ["classify", "--model", str(output), "--format", "json", "-"], input="Own the roadmap and pricing"
    )
    assert classify.exit_code == 0, classify.output


def test_train_command_refuses_bad_data_without_traceback(tmp_path):
    path = write_csv(tmp_path / "d.csv", [{"text": "Own the roadmap", "label": "marketing"}])
    result = CliRunner().invoke(main, ["train", str(path), "-o", str(tmp_path / "m.joblib")])
    assert result.exit_code == 1 and "unknown labels" in result.stderr and "Traceback" not in result.output


def test_train_command_puts_the_notes_file_in_the_card(corpus, tmp_path):
    data = write_csv(tmp_path / "d.csv", corpus.groupby("label").head(12)[["text", "label"]].to_dict("records"))
    notes = tmp_path / "notes.txt"
    notes.write_text("Labelled by two recruiters,\nwho agreed on 95% of rows.\n\n  \nHybrid means both duties.\n")
    output = tmp_path / "m.joblib"
    result = CliRunner().invoke(main, ["train", str(data), "-o", str(output), "--notes", str(notes)])
    assert result.exit_code == 0, result.output
    card = json.loads((tmp_path / "m.card.json").read_text())
    assert card["notes"] == ["Labelled by two recruiters, who agreed on 95% of rows.", "Hybrid means both duties."]
    assert "Hybrid means both duties." in (tmp_path / "m.card.md").read_text()


def test_train_command_names_a_missing_notes_file(tmp_path, corpus):
    data = write_csv(tmp_path / "d.csv", corpus.groupby("label").head(12)[["text", "label"]].to_dict("records"))
    output = tmp_path / "m.joblib"
    result = CliRunner().invoke(main, ["train", str(data), "-o", str(output), "--notes", str(tmp_path / "nope.txt")])
    assert result.exit_code != 0
    assert "nope.txt" in result.output and "Traceback" not in result.output
    assert not output.exists()  # refused before training


def test_training_without_hybrid_or_neither_rows_gives_a_model_that_never_says_them(corpus, tmp_path):
    sample = corpus[corpus.label.isin(["product", "project"])].groupby("label").sample(20, random_state=6)
    data = tmp_path / "two.csv"
    sample.to_csv(data, index=False)
    output = tmp_path / "two.joblib"
    result = CliRunner().invoke(main, ["train", str(data), "-o", str(output)])
    assert result.exit_code == 0, result.output
    classify = CliRunner().invoke(main, ["classify", "--model", str(output), "--format", "json", "-"], input="Nurse")
    record = json.loads(classify.stdout)
    assert set(record["scores"]) == {"product", "project"} and record["label"] in {"product", "project"}
    assert record["low_confidence"] is True
    few = sample.head(25).assign(label=["product"] * 20 + ["hybrid"] * 5)
    few.to_csv(tmp_path / "few.csv", index=False)
    refused = CliRunner().invoke(main, ["train", str(tmp_path / "few.csv"), "-o", str(tmp_path / "x.joblib")])
    assert refused.exit_code == 1 and "label 'project' has 0 examples" in refused.stderr
