"""Evaluation figures, and the shipped model card's figures re-measured on the real postings."""

from __future__ import annotations

import numpy as np
import pytest

from rolecls.evaluation import grouped_scores, scores
from rolecls.persistence import card_path, read_card, shipped_model_path
from rolecls.training import LabelledData, evaluate_model


def test_side_confusions_and_hybrid_predictions_are_counted_apart():
    truth = ["product", "product", "project", "project", "hybrid"]
    predicted = ["product", "project", "hybrid", "project", "product"]
    figures = scores(truth, predicted)
    assert figures["side_confusions"] == 1 and figures["side_confusion_rate"] == pytest.approx(1 / 4)
    assert figures["hybrid_predictions"] == 1 and figures["hybrid_prediction_rate"] == pytest.approx(1 / 4)
    assert figures["accuracy"] == pytest.approx(2 / 5)
    matrix = figures["confusion_matrix"]["rows_true_columns_predicted"]
    assert matrix == [[1, 1, 0], [0, 1, 1], [1, 0, 0]]  # rows product, project, hybrid


def test_calibration_figures_reward_confident_correct_predictions():
    truth = ["product", "project"]
    sharp = np.array([[0.98, 0.01, 0.01], [0.01, 0.98, 0.01]])
    vague = np.array([[0.4, 0.3, 0.3], [0.3, 0.4, 0.3]])
    good = scores(truth, ["product", "project"], sharp)
    poor = scores(truth, ["product", "project"], vague)
    assert good["brier"] < poor["brier"] and good["ece"] < poor["ece"]


def test_grouped_scores_split_by_each_group_value():
    report = grouped_scores(
        ["product", "project", "project"],
        ["product", "product", "project"],
        None,
        {"kind": ["posting", "resume", "resume"]},
    )
    assert report["by_kind"]["posting"]["accuracy"] == 1.0
    assert report["by_kind"]["resume"]["side_confusions"] == 1


def test_shipped_card_figures_are_the_measured_ones(shipped_model, dev_postings):
    data = LabelledData(
        texts=dev_postings.text.tolist(),
        labels=dev_postings.label.tolist(),
        extra=dev_postings.drop(columns=["text", "label"]),
        source="dev",
    )
    measured = evaluate_model(shipped_model, data, ("kind", "source_repo"))
    recorded = read_card(shipped_model_path())["evaluation"]["real_postings_dev.csv"]
    assert measured["overall"]["confusion_matrix"] == recorded["overall"]["confusion_matrix"]
    assert measured["overall"]["accuracy"] == pytest.approx(recorded["overall"]["accuracy"])
    for kind, figures in recorded["by_kind"].items():
        assert measured["by_kind"][kind]["accuracy"] == pytest.approx(figures["accuracy"])
    assert set(recorded["by_source_repo"]) == set(dev_postings.source_repo)


def test_shipped_card_has_a_readable_markdown_twin():
    markdown = card_path(shipped_model_path(), ".card.md").read_text(encoding="utf-8")
    card = read_card(shipped_model_path())
    assert card["sha256"] in markdown
    assert "Evaluation on `real_postings_dev.csv`" in markdown and "kind: resume" in markdown
