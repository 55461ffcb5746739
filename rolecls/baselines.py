"""Baselines to measure RoleClassifier against: keyword counting, and TF-IDF on raw text.

Both are scikit-learn classifiers on raw texts, like ``RoleClassifier``:

- ``KeywordBaseline`` counts product keywords against project keywords and applies a fixed rule;
  it learns nothing.
- ``RawTfidfBaseline`` reads every word of a text as evidence: TF-IDF over the whole raw text and a
  class-weighted logistic regression, with no statements, no duty stage, no lemmas and no title masking
  (rolecls' model before it judged by duties worked the same way, on spaCy-read terms), so what
  RoleClassifier gains or loses against it is the duty stage's and the preprocessing's doing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.utils.validation import check_is_fitted

from rolecls.estimator import LABELS, checked_labels, checked_texts, class_weights

# Words and phrases, matched whole (word boundaries) and case-insensitively; a space or hyphen in a
# phrase matches any run of spaces, line breaks or hyphens. No stemming: variants are listed.
PRODUCT_KEYWORDS: tuple[str, ...] = (
    "roadmap",
    "roadmaps",
    "customer",
    "customers",
    "vision",
    "discovery",
    "user research",
    "user needs",
    "prioritise",
    "prioritize",
    "prioritisation",
    "prioritization",
    "market",
    "markets",
    "go-to-market",
    "product-market fit",
    "competitive",
    "competitors",
    "pricing",
    "launch",
    "launches",
    "metrics",
    "experiment",
    "experiments",
    "experimentation",
    "strategy",
    "adoption",
    "retention",
    "revenue",
    "value proposition",
)
PROJECT_KEYWORDS: tuple[str, ...] = (
    "schedule",
    "schedules",
    "scheduling",
    "budget",
    "budgets",
    "milestone",
    "milestones",
    "deadline",
    "deadlines",
    "risk",
    "risks",
    "scope",
    "resource",
    "resources",
    "resourcing",
    "status report",
    "status reports",
    "status reporting",
    "gantt",
    "deliverable",
    "deliverables",
    "vendor",
    "vendors",
    "change request",
    "change requests",
    "change control",
    "timeline",
    "timelines",
    "raid",
    "critical path",
    "dependencies",
    "governance",
    "logistics",
)


@lru_cache(maxsize=16)
def keyword_pattern(keywords: tuple[str, ...]) -> re.Pattern[str]:
    """One regular expression matching any keyword as whole words, longest keywords first."""
    parts = [
        r"[\s\-]+".join(re.escape(word) for word in re.split(r"[\s\-]+", keyword.strip()))
        for keyword in sorted(set(keywords), key=len, reverse=True)
    ]
    return re.compile(r"\b(?:" + "|".join(parts) + r")\b", re.IGNORECASE)


class KeywordBaseline(ClassifierMixin, BaseEstimator):
    """Count product keywords against project keywords and decide by a fixed rule.

    Matches are whole words or phrases, case-insensitive and non-overlapping, longer phrases first
    ("product-market fit" counts once, as itself, not also as "market"). With ``p`` product hits and
    ``q`` project hits:

    1. **neither** when there are at most ``neither_max_hits`` hits in all (a text that hardly names
       product or project work);
    2. **hybrid** when both sides have at least ``hybrid_min_hits`` hits and the smaller count is at
       least ``hybrid_ratio`` times the larger (the default 2 mirrors the corpus guideline that a
       hybrid holds at least two responsibilities of each side; 0.6 is a near-even split);
    3. otherwise the side with more hits;
    4. a tie gives ``default`` ("project": a role described without product vocabulary is more often a
       delivery or coordination role; hybrid roles are rare).

    ``predict_proba`` is a count-based score, not a calibrated probability: half the mass goes to
    the label the rule picks and half is split over product and project by their smoothed share of
    hits, ``(p + 0.5) / (p + q + 1)``; its argmax is always ``predict``'s label.

    ``fit`` learns nothing: it checks the labels and records ``classes_`` (all four labels, since the
    rule can give any of them).
    """

    def __init__(
        self,
        product_keywords: tuple[str, ...] = PRODUCT_KEYWORDS,
        project_keywords: tuple[str, ...] = PROJECT_KEYWORDS,
        hybrid_ratio: float = 0.6,
        hybrid_min_hits: int = 2,
        neither_max_hits: int = 2,
        default: str = "project",
    ) -> None:
        self.product_keywords = product_keywords
        self.project_keywords = project_keywords
        self.hybrid_ratio = hybrid_ratio
        self.hybrid_min_hits = hybrid_min_hits
        self.neither_max_hits = neither_max_hits
        self.default = default

    def fit(self, X: Iterable[str], y: Iterable[str]) -> KeywordBaseline:
        """Check the labels and record ``classes_``; there is nothing to learn."""
        checked_labels(y, len(checked_texts(X, type(self).__name__)))
        if self.default not in LABELS:
            raise ValueError(f"default must be one of {', '.join(LABELS)}, not {self.default!r}")
        self.classes_ = np.array(sorted(LABELS))
        return self

    def counts(self, X: Iterable[str]) -> np.ndarray:
        """Product and project keyword hits per text, shape (texts, 2)."""
        product = keyword_pattern(tuple(self.product_keywords))
        project = keyword_pattern(tuple(self.project_keywords))
        texts = checked_texts(X, type(self).__name__)
        return np.array(
            [[len(product.findall(text)), len(project.findall(text))] for text in texts], dtype=int
        ).reshape(len(texts), 2)

    def _rule(self, product_hits: int, project_hits: int) -> str:
        smaller, larger = sorted((product_hits, project_hits))
        if product_hits + project_hits <= self.neither_max_hits:
            return "neither"
        if smaller >= self.hybrid_min_hits and smaller >= self.hybrid_ratio * larger:
            return "hybrid"
        if product_hits != project_hits:
            return "product" if product_hits > project_hits else "project"
        return self.default

    def predict(self, X: Iterable[str]) -> np.ndarray:
        """The rule's label for each raw text."""
        check_is_fitted(self, "classes_")
        return np.array([self._rule(int(p), int(q)) for p, q in self.counts(X)], dtype=str)

    def predict_proba(self, X: Iterable[str]) -> np.ndarray:
        """Count-based scores, one column per class in ``classes_`` (see the class docstring)."""
        check_is_fitted(self, "classes_")
        columns = {label: i for i, label in enumerate(self.classes_)}
        hits = self.counts(X)
        proba = np.zeros((len(hits), len(self.classes_)))
        for row, (p, q) in enumerate(hits):
            product_share = (p + 0.5) / (p + q + 1.0)
            proba[row, columns["product"]] = 0.5 * product_share
            proba[row, columns["project"]] = 0.5 * (1.0 - product_share)
            proba[row, columns[self._rule(int(p), int(q))]] += 0.5
        return proba


class RawTfidfBaseline(ClassifierMixin, BaseEstimator):
    """A whole-text model: every word of a text is evidence.

    scikit-learn's ``TfidfVectorizer`` (lower-cased words and word pairs, English stop words removed,
    ``min_df`` documents) on the raw strings, and a logistic regression with balanced class weights
    (hybrid times ``hybrid_weight``). No statements, no duty stage, no lemmas and no title masking.
    """

    def __init__(
        self,
        C: float = 1.0,
        ngram_range: tuple[int, int] = (1, 2),
        min_df: int = 2,
        hybrid_weight: float = 1.0,
        use_idf: bool = True,
        sublinear_tf: bool = False,
        max_iter: int = 2000,
    ) -> None:
        self.C = C
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.hybrid_weight = hybrid_weight
        self.use_idf = use_idf
        self.sublinear_tf = sublinear_tf
        self.max_iter = max_iter

    def fit(self, X: Iterable[str], y: Iterable[str]) -> RawTfidfBaseline:
        """Learn the vocabulary and the classifier from raw texts and their labels."""
        texts = checked_texts(X, type(self).__name__)
        labels = checked_labels(y, len(texts))
        self.vectorizer_ = TfidfVectorizer(
            ngram_range=tuple(self.ngram_range),
            min_df=self.min_df,
            lowercase=True,
            stop_words="english",
            use_idf=self.use_idf,
            sublinear_tf=self.sublinear_tf,
        )
        matrix = self.vectorizer_.fit_transform(texts)
        self.classifier_ = LogisticRegression(
            C=self.C, class_weight=class_weights(labels, self.hybrid_weight), max_iter=self.max_iter
        )
        self.classifier_.fit(matrix, labels)
        self.classes_ = self.classifier_.classes_
        return self

    def _matrix(self, X: Iterable[str]) -> Any:
        check_is_fitted(self, "classifier_")
        return self.vectorizer_.transform(checked_texts(X, type(self).__name__))

    def decision_function(self, X: Iterable[str]) -> np.ndarray:
        """Decision values for raw texts (as ``LogisticRegression.decision_function``)."""
        return self.classifier_.decision_function(self._matrix(X))

    def predict_proba(self, X: Iterable[str]) -> np.ndarray:
        """Class probabilities for raw texts, one column per class in ``classes_``."""
        return self.classifier_.predict_proba(self._matrix(X))

    def predict(self, X: Iterable[str]) -> np.ndarray:
        """The most probable label for each raw text."""
        return self.classifier_.predict(self._matrix(X))
