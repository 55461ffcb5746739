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
    assert matrix == [[1, 1, 0, 0], [0, 1, 1, 0], [1, 0, 0, 0], [0, 0, 0, 0]]  # product, project, hybrid, neither


def test_hybrid_and_neither_found_and_predicted_are_counted_on_their_rows():
    truth = ["product", "project", "hybrid", "hybrid", "neither", "neither", "project"]
    predicted = ["neither", "project", "hybrid", "product", "neither", "project", "hybrid"]
    figures = scores(truth, predicted)
    assert (figures["hybrid_found"], figures["hybrid_rows"]) == (1, 2)
    assert (figures["hybrid_predictions"], figures["clear_rows"]) == (1, 3)
    assert (figures["neither_found"], figures["neither_rows"]) == (1, 2)
    assert (figures["neither_predictions"], figures["management_rows"]) == (1, 5)
    assert figures["neither_prediction_rate"] == pytest.approx(1 / 5)


def test_role_mix_is_ranked_against_the_true_share_on_management_rows_only():
    truth = ["product", "project", "hybrid", "neither", "product"]
    mix = np.array([0.9, 0.1, 0.5, 0.99, 0.7])
    share = np.array([95, 5, 50, 50, 80])
    assert scores(truth, truth, mix=mix, share=share)["mix_spearman"] == pytest.approx(1.0)
    assert scores(truth, truth, mix=mix[::-1], share=share)["mix_spearman"] < 0


def test_calibration_figures_reward_confident_correct_predictions():
    truth = ["product", "project"]
    classes = ["product", "project", "hybrid"]
    sharp = np.array([[0.98, 0.01, 0.01], [0.01, 0.98, 0.01]])
    vague = np.array([[0.4, 0.3, 0.3], [0.3, 0.4, 0.3]])
    good = scores(truth, ["product", "project"], sharp, classes)
    poor = scores(truth, ["product", "project"], vague, classes)
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
        labels=dev_postings.resp_label.tolist(),
        extra=dev_postings.drop(columns=["text", "resp_label"]),
        source="dev",
    )
    measured = evaluate_model(shipped_model, data, ("kind", "source_repo"), None, "resp_product_share", ["label"])
    recorded = read_card(shipped_model_path())["evaluation"]["real_postings_dev.csv"]
    assert recorded["label_column"] == "resp_label" and recorded["share_column"] == "resp_product_share"
    assert measured["overall"]["confusion_matrix"] == recorded["overall"]["confusion_matrix"]
    assert measured["overall"]["accuracy"] == pytest.approx(recorded["overall"]["accuracy"])
    assert measured["overall"]["mix_spearman"] == pytest.approx(recorded["overall"]["mix_spearman"])
    titles = recorded["other_labels"]["label"]["overall"]
    assert measured["other_labels"]["label"]["overall"]["confusion_matrix"] == titles["confusion_matrix"]
    for kind, figures in recorded["by_kind"].items():
        assert measured["by_kind"][kind]["accuracy"] == pytest.approx(figures["accuracy"])
    assert set(recorded["by_source_repo"]) == set(dev_postings.source_repo)


def test_shipped_card_has_a_readable_markdown_twin():
    markdown = card_path(shipped_model_path(), ".card.md").read_text(encoding="utf-8")
    card = read_card(shipped_model_path())
    assert card["sha256"] in markdown
    assert "Evaluation on `real_postings_dev.csv` (labels: `resp_label`)" in markdown and "kind: resume" in markdown
    assert "The same predictions against the labels in `label`" in markdown
