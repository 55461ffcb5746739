"""`rolecls evaluate` and `rolecls doctor`, as a user runs them."""

from __future__ import annotations

import json

from click.testing import CliRunner

from rolecls.cli import main


def write_labelled(corpus, path):
    sample = corpus.groupby("label").sample(8, random_state=11)
    sample.to_csv(path, index=False)
    return sample


def test_evaluate_prints_figures_as_text_and_json(corpus, tmp_path):
    path = tmp_path / "labelled.csv"
    write_labelled(corpus, path)
    runner = CliRunner()
    text = runner.invoke(main, ["evaluate", str(path)])
    assert text.exit_code == 0, text.output
    assert "Evaluation on `labelled.csv`" in text.stdout and "kind: posting" in text.stdout
    assert "Brier score" in text.stdout and "Confusion matrix" in text.stdout
    record = json.loads(runner.invoke(main, ["evaluate", "--format", "json", str(path)]).stdout)
    overall = record["overall"]
    assert overall["rows"] == 24 and 0 <= overall["accuracy"] <= 1
    assert {"brier", "ece", "macro_f1", "per_label", "confusion_matrix"} <= set(overall)


def test_evaluate_draws_a_plot(corpus, tmp_path):
    path = tmp_path / "labelled.csv"
    write_labelled(corpus, path)
    plot = tmp_path / "eval.png"
    result = CliRunner().invoke(main, ["evaluate", str(path), "--plot", str(plot)])
    assert result.exit_code == 0, result.output
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_evaluate_refuses_unknown_labels(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("text,label\nOwn the roadmap,marketing\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["evaluate", str(path)])
    assert result.exit_code == 1 and "unknown labels" in result.stderr


def test_doctor_reports_versions_checks_and_card():
    result = CliRunner().invoke(main, ["doctor"])
    assert result.exit_code == 0, result.output
    for expected in (
        "scikit-learn:",
        "spacy:",
        "[ok] model card: sha256",
        "[ok] model loads and classifies",
        "accuracy",
    ):
        assert expected in result.stdout


def test_doctor_fails_on_a_tampered_model(tmp_path):
    import shutil

    from rolecls.persistence import card_path, shipped_model_path

    model = tmp_path / "rolecls-model.joblib"
    shutil.copy(shipped_model_path(), model)
    shutil.copy(card_path(shipped_model_path()), card_path(model))
    model.write_bytes(model.read_bytes()[:-10])
    result = CliRunner().invoke(main, ["doctor", "--model", str(model)])
    assert result.exit_code == 1
    assert "[FAIL] model card" in result.stdout and "Traceback" not in result.stdout
