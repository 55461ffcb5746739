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
        ("Own the roadmap and the budget.", "project"),  # a 1-1 tie gives the default
        ("Coordinate the team and write documentation.", "project"),  # no hits gives the default
        ("Run the schedule, risks and milestones.", "project"),
    ],
)
def test_keyword_rule(keywords, text, label):
    assert keywords.predict([text]).tolist() == [label]


def test_keyword_default_and_scores():
    model = KeywordBaseline(default="product").fit(["x"], ["hybrid"])
    texts = ["Write documentation.", "Own the roadmap and pricing; manage the budget and vendors.", "Track risks."]
    assert model.predict(texts).tolist() == ["product", "hybrid", "project"]
    proba = model.predict_proba(texts)
    assert np.allclose(proba.sum(axis=1), 1.0)
    assert model.classes_[proba.argmax(axis=1)].tolist() == model.predict(texts).tolist()
    # half on the rule's label, half split by the smoothed share of hits: (0 + 0.5) / (0 + 1 + 1) for product
    track_risks = dict(zip(model.classes_, proba[2], strict=True))
    assert track_risks == pytest.approx({"product": 0.125, "project": 0.875, "hybrid": 0.0})


def test_keyword_baseline_refuses_unknown_labels():
    with pytest.raises(ValueError, match="unknown labels"):
        KeywordBaseline().fit(["x"], ["marketing"])


def test_raw_tfidf_fits_predicts_and_clones(corpus):
    sample = corpus.groupby("label").sample(30, random_state=0)
    model = RawTfidfBaseline().fit(sample.text.tolist(), sample.label.tolist())
    assert set(model.classes_) == {"product", "project", "hybrid"}
    assert set(model.predict(sample.text.tolist()[:10])) <= set(model.classes_)
    assert np.allclose(model.predict_proba(sample.text.tolist()[:5]).sum(axis=1), 1.0)
    assert "manager" in model.vectorizer_.vocabulary_  # no title masking
    copy = clone(model)
    assert copy.get_params() == model.get_params() and not hasattr(copy, "classifier_")
    with pytest.raises(TypeError, match="raw texts"):
        model.predict([["not", "a", "string"]])


def test_raw_tfidf_weights_classes_like_role_classifier(corpus):
    sample = corpus.groupby("label").head(12).iloc[:30]
    texts, labels = sample.text.tolist(), sample.label.tolist()
    raw = RawTfidfBaseline().fit(texts, labels)
    ours = RoleClassifier().fit(texts, labels)
    assert raw.classifier_.class_weight == pytest.approx(ours.classifier_.class_weight)
    assert raw.C == ours.C and raw.hybrid_weight == ours.hybrid_weight


def test_raw_tfidf_defaults_follow_role_classifier():
    ours, raw = RoleClassifier().get_params(), RawTfidfBaseline().get_params()
    shared = {"C", "min_df", "hybrid_weight", "use_idf", "sublinear_tf", "max_iter"}
    assert shared <= ours.keys() & raw.keys()
    assert {name: raw[name] for name in shared} == {name: ours[name] for name in shared}


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
    assert len(result["predicted"]) == len(texts) and result["proba"].shape == (len(texts), 3)
    assert result["scores"]["rows"] == len(texts)
