"""Baselines count and fit as documented; grouped cross-validation keeps each group on one side."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone

from rolecls.baselines import KeywordBaseline, RawTfidfBaseline
from rolecls.crossval import grouped_cross_validation
from rolecls.estimator import RoleClassifier


@pytest.fixture(scope="module")
def keywords() -> KeywordBaseline:
    return KeywordBaseline().fit(["x", "y"], ["product", "project"])


@pytest.mark.parametrize(
    ("text", "hits"),
    [
        ("Own the product roadmap and talk to customers every week.", [2, 0]),
        ("Track the budget, the schedule and every milestone.", [0, 3]),
        ("OWN THE ROADMAP. Keep the Budget.", [1, 1]),  # case-insensitive
        ("Lead marketing campaigns; budgetary sign-off; roadmapping.", [0, 0]),  # whole words only
        ("Find product-market fit.", [1, 0]),  # one phrase, not also "market"
        ("Plan user\nresearch and keep the change-request log.", [1, 1]),  # spaces or hyphens in phrases
        ("Write the weekly status report and update the RAID log.", [0, 2]),
    ],
)
def test_keyword_counts(keywords, text, hits):
    assert keywords.counts([text]).tolist() == [hits]


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Own the roadmap, pricing and discovery.", "product"),  # 3 vs 0
        ("Own the roadmap, pricing and discovery; manage the budget.", "product"),  # 3 vs 1: too few project hits
        ("Own the roadmap, pricing and discovery; manage the budget and vendors.", "hybrid"),  # 3 vs 2: 67%
        ("Own the roadmap, strategy, pricing, discovery and metrics; manage the budget and risks.", "product"),  # 40%
        ("Own the roadmap and the budget; track milestones and talk to customers.", "hybrid"),  # 2 vs 2
        ("Own the roadmap, pricing and the budget; track milestones.", "hybrid"),  # 2 vs 2 at a 100% ratio
        ("Own the roadmap, the customer relationship and the budget and the schedule.", "hybrid"),
        ("Own the roadmap and pricing and strategy; watch the budget.", "product"),
        ("Own the roadmap and the budget.", "neither"),  # two hits in all: hardly names the work
        ("Coordinate the team and write documentation.", "neither"),  # no hits
        ("Run the schedule, risks and milestones.", "project"),
    ],
)
def test_keyword_rule(keywords, text, label):
    assert keywords.predict([text]).tolist() == [label]


def test_keyword_default_and_scores():
    model = KeywordBaseline(default="product", neither_max_hits=0).fit(["x"], ["hybrid"])
    texts = [
        "Write documentation.",
        "Own the roadmap and pricing; manage the budget and vendors.",
        "Track risks.",
        "Own the roadmap and the budget.",
    ]
    assert model.predict(texts).tolist() == ["neither", "hybrid", "project", "product"]
    proba = model.predict_proba(texts)
    assert np.allclose(proba.sum(axis=1), 1.0)
    assert model.classes_[proba.argmax(axis=1)].tolist() == model.predict(texts).tolist()
    # half on the rule's label, half split by the smoothed share of hits: (0 + 0.5) / (0 + 1 + 1) for product
    track_risks = dict(zip(model.classes_, proba[2], strict=True))
    assert track_risks == pytest.approx({"product": 0.125, "project": 0.875, "hybrid": 0.0, "neither": 0.0})


def test_keyword_baseline_refuses_unknown_labels():
    with pytest.raises(ValueError, match="unknown labels"):
        KeywordBaseline().fit(["x"], ["marketing"])


def test_raw_tfidf_fits_predicts_and_clones(corpus):
    sample = corpus.groupby("label").sample(30, random_state=0)
    model = RawTfidfBaseline().fit(sample.text.tolist(), sample.label.tolist())
    assert set(model.classes_) == {"product", "project", "hybrid", "neither"}
    assert set(model.predict(sample.text.tolist()[:10])) <= set(model.classes_)
    assert np.allclose(model.predict_proba(sample.text.tolist()[:5]).sum(axis=1), 1.0)
    assert "manager" in model.vectorizer_.vocabulary_  # no title masking
    copy = clone(model)
    assert copy.get_params() == model.get_params() and not hasattr(copy, "classifier_")
    with pytest.raises(TypeError, match="raw texts"):
        model.predict([["not", "a", "string"]])


def test_raw_tfidf_weights_classes_like_role_classifier(corpus):
    from rolecls.estimator import class_weights

    sample = corpus.groupby("label").head(12).iloc[:40]
    texts, labels = sample.text.tolist(), sample.label.tolist()
    raw = RawTfidfBaseline().fit(texts, labels)
    assert raw.classifier_.class_weight == pytest.approx(class_weights(np.asarray(labels), 1.0))
    assert raw.hybrid_weight == RoleClassifier().hybrid_weight


def test_grouped_cross_validation_keeps_groups_apart():
    statements = {
        "product": "Own the roadmap and pricing and interview customers about discovery",
        "project": "Track the schedule budget and milestones and the risk register",
        "hybrid": "Own the roadmap and pricing and track the schedule and budget",
    }
    texts, labels, groups = [], [], []
    for group in range(12):
        for label, text in statements.items():
            texts.append(f"{text} in area {group}")
            labels.append(label)
            groups.append(f"g{group}")
    result = grouped_cross_validation(texts, labels, groups, RawTfidfBaseline(min_df=1), n_splits=4)
    assert len(result["folds"]) == 4
    tested = np.concatenate([fold["test"] for fold in result["folds"]])
    assert sorted(tested.tolist()) == list(range(len(texts)))  # every row held out exactly once
    group_array = np.asarray(groups)
    for fold in result["folds"]:
        assert not set(group_array[fold["train"]]) & set(group_array[fold["test"]])
    assert len(result["predicted"]) == len(texts) and result["proba"].shape == (len(texts), 4)
    assert result["scores"]["rows"] == len(texts)
