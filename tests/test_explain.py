"""Evidence is the duty statements, faithful to the model, with offsets that index the input exactly as given."""

from __future__ import annotations

import numpy as np
import pytest

from rolecls.explain import explain

TRICKY = [
    "## Responsibilities\r\n- **Own** the product roadmap &amp; vision\r\n- Track milestones,\tbudget & risks\r\n",
    "<ul><li>Définir la stratégie — own pricing and packaging</li><li>Manage the schedule</li></ul>",
    "  \n\n• Interview customers 👩‍💻 weekly • Maintain the RAID log  \n",
    "OWN THE ROADMAP\nMANAGE VENDORS AND CONTRACTS\nCafé crème résumé naïve",
]


@pytest.mark.parametrize("text", TRICKY)
def test_evidence_offsets_index_the_input_exactly(shipped_model, text):
    result = explain(shipped_model, [text])[0]
    assert result.evidence, "expected some evidence"
    for phrase in result.evidence:
        assert text[phrase.start : phrase.end] == phrase.text
        assert phrase.text == phrase.text.strip()
        assert phrase.label in {"product", "project"}
        assert phrase.weight > 0


def test_duty_contributions_plus_intercept_equal_the_decision_function(small_model, corpus):
    texts = corpus.text.sample(60, random_state=1).tolist()
    expected = small_model.decision_function(texts)
    results = explain(small_model, texts)
    classes = [str(c) for c in small_model.classes_]
    for row, result in zip(expected, results, strict=True):
        assert [result.decision[c] for c in classes] == pytest.approx(list(row), abs=1e-6)
        summed = np.array([result.intercept[c] + result.remainder[c] for c in classes])
        for phrase in result.evidence:
            summed += np.array([phrase.contributions[c] for c in classes])
        assert list(summed) == pytest.approx(list(row), abs=1e-6)


def test_scores_are_the_model_probabilities(small_model, corpus):
    texts = corpus.text.head(20).tolist()
    proba = small_model.predict_proba(texts)
    classes = [str(c) for c in small_model.classes_]
    for row, result in zip(proba, explain(small_model, texts), strict=True):
        assert list(result.scores) == ["product", "project", "hybrid", "neither"]
        assert [result.scores[c] for c in classes] == pytest.approx(list(row), abs=1e-9)
        assert sum(result.scores.values()) == pytest.approx(1.0)
        assert result.label == max(result.scores, key=result.scores.get)


def test_role_mix_is_the_product_share_of_the_duty_weight(shipped_model):
    texts = [
        "Own the product roadmap.\nInterview customers every week.\nSet pricing for the new plans.",
        "Own the product roadmap.\nManage the project budget and schedule.\nRun the risk register.",
    ]
    results = explain(shipped_model, texts)
    mixes = shipped_model.predictions(texts).mix
    for result, mix in zip(results, mixes, strict=True):
        assert [result.mix["product"], result.mix["project"]] == pytest.approx(list(mix), abs=1e-12)
        assert sum(result.mix.values()) == pytest.approx(1.0)
    assert results[0].mix["product"] > 0.8
    assert results[0].mix["product"] > results[1].mix["product"] > 0.1


def test_title_that_disagrees_with_responsibilities_is_flagged(shipped_model):
    text = (
        "Product Manager\n- Build and maintain the project schedule and critical path\n"
        "- Control the budget and report variances\n- Run the risk and issue register\n"
        "- Manage change requests and vendor contracts"
    )
    result = explain(shipped_model, [text])[0]
    assert result.label == "project"
    assert result.title == "Product Manager" and result.title_label == "product"
    assert result.title_disagrees is True


def test_evidence_for_the_predicted_side_comes_first_strongest_first(shipped_model, corpus):
    for result in explain(shipped_model, corpus.text.head(60).tolist()):
        if result.label not in ("product", "project"):
            weights = [phrase.weight for phrase in result.evidence]
            assert weights == sorted(weights, reverse=True)
            continue
        sides = [phrase.label == result.label for phrase in result.evidence]
        assert sides == sorted(sides, reverse=True)
        same = [phrase.weight for phrase in result.evidence if phrase.label == result.label]
        assert same == sorted(same, reverse=True)


def test_a_product_versus_project_model_is_explained_too(corpus):
    from rolecls.estimator import RoleClassifier

    sided = corpus[corpus.label.isin(["product", "project"])].groupby("label").sample(40, random_state=5)
    model = RoleClassifier().fit(sided.text, sided.label)
    texts = corpus.text.head(10).tolist()
    results = explain(model, texts)
    assert [r.label for r in results] == list(model.predict(texts))
    decision = model.decision_function(texts)
    assert decision.shape == (10,)
    for value, result in zip(decision, results, strict=True):
        assert result.decision["project"] - result.decision["product"] == pytest.approx(value, abs=1e-9)


def test_evidence_is_duties_not_headings_titles_requirements_or_pay(shipped_model):
    text = (
        "Senior manager – Mobile Banking App\n"
        "Main duties\n"
        "- Own the product roadmap for the app and decide what the team builds next\n"
        "- Run discovery interviews with customers and turn what you learn into priorities\n"
        "- Set pricing and packaging for the premium tier\n"
        "Person specification\n"
        "- Experience owning a product roadmap and running discovery\n"
        "- 5+ years in product management; knowledge of pricing\n"
        "Salary: £70,000 - £85,000 plus bonus\n"
        "Location: London, hybrid (2 days in the office)\n"
    )
    (result,) = explain(shipped_model, [text])
    listed = [phrase.text for phrase in result.evidence]
    assert result.label == "product" and len(listed) >= 3
    assert all(phrase.startswith(("Own the", "Run discovery", "Set pricing")) for phrase in listed), listed
