"""RoleClassifier behaves like any scikit-learn classifier on lists of raw texts."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer

from rolecls.estimator import RoleClassifier


@pytest.fixture(scope="module")
def sample(corpus):
    rows = corpus.groupby("label").sample(30, random_state=7)
    return rows.text.tolist(), rows.label.tolist()


def test_fit_predict_and_fitted_attributes(sample):
    texts, labels = sample
    model = RoleClassifier(C=2.0).fit(texts, labels)
    assert list(model.classes_) == ["hybrid", "neither", "product", "project"]
    assert model.predict(texts[:5]).shape == (5,)
    proba = model.predict_proba(texts[:5])
    assert proba.shape == (5, 4) and np.allclose(proba.sum(axis=1), 1)
    assert model.decision_function(texts[:5]).shape == (5, 4)
    assert set(model.predict(texts)) <= set(model.classes_)
    assert model.duty_kinds_ == ["none", "management", "work"] and len(model.vocabulary_) == len(model.idf_)
    found = model.predictions(texts[:5])
    assert np.array_equal(found.labels, model.predict(texts[:5])) and np.allclose(found.probabilities, proba)


def test_params_and_clone():
    model = RoleClassifier(C=0.5, ngram_max=1)
    assert model.get_params()["C"] == 0.5
    model.set_params(C=3.0, hybrid_weight=1.0)
    copy = clone(model)
    assert copy.get_params() == model.get_params() and not hasattr(copy, "kind_coef_")


def test_gate_parameters_set_after_fitting_are_the_ones_used(sample):
    texts, labels = sample
    model = RoleClassifier().fit(texts, labels)
    before = model.predict_proba(texts)
    model.set_params(duty_threshold=0.95)
    after = model.predict_proba(texts)
    assert not np.allclose(before, after)
    model.set_params(duty_threshold=0.5)
    assert np.allclose(model.predict_proba(texts), before)


def test_labelled_statements_of_your_own_train_the_duty_stage(sample, tmp_path):
    import pandas as pd

    from rolecls.statement_bank import read_statements

    texts, labels = sample
    bank, bank_labels = read_statements()
    own = pd.DataFrame({"text": bank, "label": bank_labels}).groupby("label").head(300)
    own = own[own.label != "work"]  # work statements are optional
    own.to_csv(tmp_path / "statements.csv", index=False)
    model = RoleClassifier(statements=tmp_path / "statements.csv").fit(texts, labels)
    assert model.duty_kinds_ == ["none", "management"]
    assert model.predictions(texts[:3]).mix.shape == (3, 2)
    (tmp_path / "bad.csv").write_text("text,label\nOwn the roadmap,maybe\n", encoding="utf-8")
    from rolecls.errors import TrainingDataError

    with pytest.raises(TrainingDataError, match="unknown statement labels"):
        RoleClassifier(statements=tmp_path / "bad.csv").fit(texts, labels)


def test_unfitted_model_says_so():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        RoleClassifier().predict(["Own the roadmap"])


def test_non_text_input_is_refused_clearly():
    with pytest.raises(TypeError, match="raw texts"):
        RoleClassifier().fit([1, 2, 3], ["product", "project", "hybrid"])
    with pytest.raises(ValueError, match="unknown labels"):
        RoleClassifier().fit(["Own the roadmap", "Run the plan"], ["product", "programme"])


def test_inside_a_pipeline(sample):
    texts, labels = sample
    pipeline = Pipeline(
        [("strip", FunctionTransformer(lambda xs: [x.strip() for x in xs])), ("role", RoleClassifier())]
    )
    pipeline.fit(texts, labels)
    assert pipeline.score(texts, labels) > 0.8


def test_grid_search_and_cross_val_score(sample):
    texts, labels = sample
    search = GridSearchCV(RoleClassifier(), {"C": [0.5, 2.0]}, cv=3).fit(texts, labels)
    assert search.best_params_["C"] in {0.5, 2.0}
    scores = cross_val_score(RoleClassifier(), texts, labels, cv=3)
    assert scores.shape == (3,) and (scores > 0.3).all()


def test_statement_tfidf_matches_scikit_learns_and_decisions_match_a_sparse_product(sample):
    import scipy.sparse
    from sklearn.feature_extraction.text import TfidfTransformer

    from rolecls.duties import linear, tfidf_entries, tfidf_rows

    rng = np.random.default_rng(3)
    columns = rng.integers(-1, 40, 600)
    statements = np.sort(rng.integers(0, 50, 600))
    known = columns >= 0
    counts = scipy.sparse.csr_matrix(
        (np.ones(known.sum()), (statements[known], columns[known])), shape=(50, 40)
    ).toarray()
    transformer = TfidfTransformer(sublinear_tf=True).fit(counts)
    ours = tfidf_rows(columns, statements, 50, transformer.idf_, True).toarray()
    assert np.allclose(ours, transformer.transform(counts).toarray(), atol=1e-12)
    coef = rng.normal(size=(3, 40))
    entries = tfidf_entries(columns, statements, transformer.idf_, True)
    assert np.allclose(linear(entries, coef, 50), ours @ coef.T, atol=1e-12)
