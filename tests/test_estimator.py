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
    assert list(model.classes_) == ["hybrid", "product", "project"]
    assert model.predict(texts[:5]).shape == (5,)
    proba = model.predict_proba(texts[:5])
    assert proba.shape == (5, 3) and np.allclose(proba.sum(axis=1), 1)
    assert model.decision_function(texts[:5]).shape == (5, 3)
    assert set(model.predict(texts)) <= set(model.classes_)


def test_params_and_clone():
    model = RoleClassifier(C=0.5, ngram_max=1)
    assert model.get_params()["C"] == 0.5
    model.set_params(C=3.0, hybrid_weight=1.0)
    copy = clone(model)
    assert copy.get_params() == model.get_params() and not hasattr(copy, "classifier_")


@pytest.mark.parametrize(("use_idf", "sublinear_tf"), [(True, False), (False, True)])
def test_term_weighting_options_reach_the_vectorizer(sample, use_idf, sublinear_tf):
    texts, labels = sample
    model = RoleClassifier(use_idf=use_idf, sublinear_tf=sublinear_tf).fit(texts, labels)
    assert model.vectorizer_.use_idf is use_idf and model.vectorizer_.sublinear_tf is sublinear_tf
    assert hasattr(model.vectorizer_, "idf_") is use_idf


def test_a_model_pickled_before_the_weighting_and_section_options_still_loads(sample):
    texts, labels = sample
    model = RoleClassifier().fit(texts, labels)
    state = model.__getstate__()
    for name in ("use_idf", "sublinear_tf", "skip_boilerplate", "skip_employer_voice"):
        del state[name]
    old = RoleClassifier.__new__(RoleClassifier)
    old.__setstate__(state)
    assert old.get_params()["use_idf"] is True and old.get_params()["sublinear_tf"] is False
    assert old.get_params()["skip_boilerplate"] is False and old.get_params()["skip_employer_voice"] is False
    assert (old.predict(texts[:5]) == model.predict(texts[:5])).all()


def test_unfitted_model_says_so():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        RoleClassifier().predict(["Own the roadmap"])


def test_non_text_input_is_refused_clearly():
    with pytest.raises(TypeError, match="raw texts"):
        RoleClassifier().fit([1, 2, 3], ["product", "project", "hybrid"])


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
