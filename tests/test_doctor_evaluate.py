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
    assert "Brier score" in text.stdout and "Confusion matrix" in text.stdout and "neither found" in text.stdout
    record = json.loads(runner.invoke(main, ["evaluate", "--format", "json", str(path)]).stdout)
    overall = record["overall"]
    assert overall["rows"] == 32 and 0 <= overall["accuracy"] <= 1
    assert overall["neither_rows"] == 8 and overall["hybrid_rows"] == 8
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
        "agreement",
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


def test_evaluate_reports_a_second_label_set_and_the_role_mix_against_a_share(corpus, tmp_path):
    path = tmp_path / "labelled.csv"
    sample = write_labelled(corpus, path)
    share = sample.label.map({"product": 85, "project": 10, "hybrid": 50, "neither": 50})
    sample.assign(title_label=sample.label.replace("neither", "project"), share=share).to_csv(path, index=False)
    runner = CliRunner()
    args = [
        "evaluate",
        str(path),
        "--label-column",
        "label",
        "--label-column",
        "title_label",
        "--share-column",
        "share",
    ]
    record = json.loads(runner.invoke(main, [*args, "--format", "json"]).stdout)
    assert record["label_column"] == "label" and "title_label" in record["other_labels"]
    assert record["overall"]["mix_spearman"] > 0.5
    text = runner.invoke(main, args).stdout
    assert "The same predictions against the labels in `title_label`" in text
    bad = runner.invoke(main, ["evaluate", str(path), "--share-column", "kind"])
    assert bad.exit_code == 1 and "numbers from 0 to 100" in bad.stderr
