"""RoleClassifier: a scikit-learn estimator on raw texts (spaCy preprocessing + TF-IDF + logistic regression)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.utils.validation import check_is_fitted
from spacy.tokens import Doc

from rolecls.features import Occurrences, TermIndex, doc_occurrences, passthrough, terms
from rolecls.preprocess import Batch, build_pipeline, make_docs, read_batch, reading_pipeline

LABELS: tuple[str, ...] = ("product", "project", "hybrid")


def class_weights(labels: np.ndarray, hybrid_weight: float) -> dict[str, float]:
    """Balanced class weights, with hybrid multiplied by ``hybrid_weight``."""
    classes, counts = np.unique(labels, return_counts=True)
    return {
        str(label): len(labels) / (len(classes) * count) * (hybrid_weight if label == "hybrid" else 1.0)
        for label, count in zip(classes, counts, strict=True)
    }


def _as_texts(X: Iterable[str]) -> list[str]:
    texts = list(X)
    for text in texts:
        if not isinstance(text, str):
            raise TypeError(f"RoleClassifier takes raw texts (str), got {type(text).__name__}")
    return texts


class RoleClassifier(ClassifierMixin, BaseEstimator):
    """Classify raw posting or resume texts as product, project or hybrid.

    Parameters
    ----------
    C : inverse regularisation strength of the logistic regression.
    ngram_max : longest n-gram of consecutive content words used as a term.
    min_df : a term must occur in at least this many training documents.
    mask_titles : hide role titles ("Senior Product Manager") from the features.
    lemmatize : use lookup lemmas instead of lower-cased words.
    hybrid_weight : weight of hybrid examples relative to class-balanced weights; below 1 encodes
        that hybrid roles are a minority among real postings.
    use_idf : weight terms by inverse document frequency (``TfidfVectorizer``'s option).
    sublinear_tf : count a term ``1 + log(count)`` times (``TfidfVectorizer``'s option).
    skip_boilerplate : leave out sections under boilerplate headings (company blurb, benefits,
        equal opportunity, how to apply; a resume's education, interests, references); see
        ``rolecls.sections``.
    skip_employer_voice : leave out statements in the employer's voice ("We build products that...",
        "Acme is a construction group"); see ``rolecls.voice``.
    max_iter : passed to ``LogisticRegression``.
    batch_size : texts per ``nlp.pipe`` batch.
    """

    def __init__(
        self,
        C: float = 1.0,
        ngram_max: int = 2,
        min_df: int = 2,
        mask_titles: bool = True,
        lemmatize: bool = True,
        hybrid_weight: float = 0.6,
        use_idf: bool = True,
        sublinear_tf: bool = False,
        skip_boilerplate: bool = True,
        skip_employer_voice: bool = True,
        max_iter: int = 2000,
        batch_size: int = 64,
    ) -> None:
        self.C = C
        self.ngram_max = ngram_max
        self.min_df = min_df
        self.mask_titles = mask_titles
        self.lemmatize = lemmatize
        self.hybrid_weight = hybrid_weight
        self.use_idf = use_idf
        self.sublinear_tf = sublinear_tf
        self.skip_boilerplate = skip_boilerplate
        self.skip_employer_voice = skip_employer_voice
        self.max_iter = max_iter
        self.batch_size = batch_size

    def process(self, X: Iterable[str], phrases: bool = False) -> list[Doc]:
        """Run the spaCy preprocessing pipeline over raw texts (with evidence phrases if ``phrases``)."""
        nlp = build_pipeline(self.mask_titles, self.lemmatize, phrases, self.skip_boilerplate, self.skip_employer_voice)
        return list(nlp.pipe(make_docs(nlp, _as_texts(X)), batch_size=self.batch_size))

    def read(self, X: Iterable[str]) -> Batch:
        """Read raw texts into one token table, as the preprocessing pipeline sees them (see ``read_batch``)."""
        skips = (self.skip_boilerplate, self.skip_employer_voice)
        nlp = reading_pipeline(self.mask_titles, self.lemmatize, *skips)
        return read_batch(nlp, _as_texts(X), self.mask_titles, self.lemmatize, *skips)

    def occurrences(self, docs: Sequence[Doc]) -> list[Occurrences]:
        """Term occurrences of each processed document."""
        return [doc_occurrences(doc, self.ngram_max) for doc in docs]

    def fit(self, X: Iterable[str], y: Iterable[str]) -> RoleClassifier:
        """Learn the vocabulary and the classifier from texts and their labels."""
        occurrences = self.occurrences(self.process(X))
        labels = np.asarray(list(y))
        if len(labels) != len(occurrences):
            raise ValueError(f"{len(occurrences)} texts but {len(labels)} labels")
        self.vectorizer_ = TfidfVectorizer(
            analyzer=passthrough,
            lowercase=False,
            min_df=self.min_df,
            norm="l2",
            use_idf=self.use_idf,
            sublinear_tf=self.sublinear_tf,
        )
        matrix = self.vectorizer_.fit_transform([terms(found) for found in occurrences])
        weights = class_weights(labels, self.hybrid_weight)
        self.classifier_ = LogisticRegression(C=self.C, class_weight=weights, max_iter=self.max_iter)
        self.classifier_.fit(matrix, labels)
        self.classes_ = self.classifier_.classes_
        return self

    def matrix(self, occurrences: Sequence[Occurrences]) -> Any:
        """TF-IDF matrix of documents given their term occurrences."""
        check_is_fitted(self, "classifier_")
        return self.vectorizer_.transform([terms(found) for found in occurrences])

    def coefficients(self) -> tuple[np.ndarray, np.ndarray]:
        """Weights and intercepts with one row per class in ``classes_`` (binary models included)."""
        check_is_fitted(self, "classifier_")
        cached = getattr(self, "_coefficients", None)
        if cached is not None and cached[0] is self.classifier_:
            return cached[1], cached[2]
        coef, intercept = self.classifier_.coef_, self.classifier_.intercept_
        if coef.shape[0] == 1:  # binary: the first class's decision value is 0
            coef = np.vstack([np.zeros_like(coef), coef])
            intercept = np.concatenate([[0.0], intercept])
        self._coefficients = (self.classifier_, coef, intercept)
        return coef, intercept

    def term_index(self) -> TermIndex:
        """The fitted vocabulary indexed by term key (built on first use)."""
        check_is_fitted(self, "vectorizer_")
        cached = getattr(self, "_term_index", None)
        if cached is not None and cached[0] is self.vectorizer_:
            return cached[1]
        index = TermIndex(self.vectorizer_.vocabulary_, self.ngram_max)
        self._term_index = (self.vectorizer_, index)
        return index

    def __getstate__(self) -> dict[str, Any]:
        state = dict(super().__getstate__())
        for cache in ("_coefficients", "_term_index"):  # rebuilt on use; not worth storing
            state.pop(cache, None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        # Models saved before these parameters existed were fitted with TfidfVectorizer's defaults
        # and read every section and statement.
        super().__setstate__(
            {"use_idf": True, "sublinear_tf": False, "skip_boilerplate": False, "skip_employer_voice": False, **state}
        )

    def decision_from_docs(self, docs: Sequence[Doc]) -> np.ndarray:
        """Decision values (one column per class in ``classes_``) of processed documents."""
        coef, intercept = self.coefficients()
        return np.asarray(self.matrix(self.occurrences(docs)) @ coef.T) + intercept

    def proba_from_decision(self, decision: np.ndarray) -> np.ndarray:
        """Class probabilities from decision values (softmax, as the logistic regression does)."""
        shifted = decision - decision.max(axis=1, keepdims=True)
        exp = np.exp(shifted)
        return exp / exp.sum(axis=1, keepdims=True)

    def decision_function(self, X: Iterable[str]) -> np.ndarray:
        """Decision values for raw texts: one column per class, or one value per text for two classes."""
        decision = self.decision_from_docs(self.process(X))
        return decision[:, 1] if decision.shape[1] == 2 else decision

    def predict_proba(self, X: Iterable[str]) -> np.ndarray:
        """Class probabilities for raw texts, one column per class in ``classes_``."""
        return self.proba_from_decision(self.decision_from_docs(self.process(X)))

    def predict(self, X: Iterable[str]) -> np.ndarray:
        """The most probable label for each raw text."""
        decision = self.decision_from_docs(self.process(X))
        return self.classes_[np.argmax(decision, axis=1)]
