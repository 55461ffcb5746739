"""RoleClassifier: a scikit-learn estimator on raw texts that judges a role by its duty statements.

Two stages, both logistic regressions, both reading text through ``rolecls.preprocess.read_batch``:

1. the *duty stage* gives every statement a duty class: a product duty, a project duty, other work (the
   duties of jobs that manage neither) or not a duty (``rolecls.duties``); it is fitted on labelled
   statements (``statements``: the project's statement bank, shipped with rolecls, unless another file is
   named);
2. the *document stage* decides product, project, hybrid or neither from the statements' weights alone
   (``rolecls.decision``, ``rolecls.stagefit``); it is fitted on the labelled documents given to ``fit``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.utils.validation import check_is_fitted

from rolecls.decision import LABELS, SIDES, DocumentStage, decision_values, mass_features, masses, role_mix
from rolecls.duties import (
    DUTY_CLASSES,
    DUTY_KINDS,
    MANAGEMENT,
    REQUIRED_CLASSES,
    DutyWeights,
    per_text,
    softmax,
    statement_duties,
    tfidf_rows,
)
from rolecls.features import START, START_WORDS, Occurrences, TermIndex, statement_terms, term_strings
from rolecls.preprocess import Batch, read_batch
from rolecls.stagefit import fit_stage
from rolecls.statement_bank import read_statements

__all__ = ["LABELS", "Predictions", "RoleClassifier", "class_weights"]


class Predictions(NamedTuple):
    """What ``RoleClassifier.predictions`` finds for each text: label, probabilities and role mix."""

    labels: np.ndarray
    probabilities: np.ndarray  # columns in ``classes_``
    mix: np.ndarray  # (texts, 2): product and project share of the duty weight


def class_weights(labels: np.ndarray, hybrid_weight: float, neither_weight: float = 1.0) -> dict[str, float]:
    """Balanced class weights, with hybrid multiplied by ``hybrid_weight`` and neither by ``neither_weight``."""
    classes, counts = np.unique(labels, return_counts=True)
    factors = {"hybrid": hybrid_weight, "neither": neither_weight}
    return {
        str(label): len(labels) / (len(classes) * count) * factors.get(str(label), 1.0)
        for label, count in zip(classes, counts, strict=True)
    }


def checked_texts(X: Iterable[str], owner: str = "RoleClassifier") -> list[str]:
    """``X`` as a list, refused with a ``TypeError`` naming ``owner`` unless every item is a ``str``."""
    texts = list(X)
    for text in texts:
        if not isinstance(text, str):
            raise TypeError(f"{owner} takes raw texts (str), got {type(text).__name__}")
    return texts


def checked_labels(y: Iterable[str], n_texts: int) -> np.ndarray:
    """``y`` as an array of labels, refused with a ``ValueError`` unless it has ``n_texts`` labels among ``LABELS``."""
    labels = np.asarray([str(label) for label in y])
    if len(labels) != n_texts:
        raise ValueError(f"{n_texts} texts but {len(labels)} labels")
    unknown = sorted(set(labels.tolist()) - set(LABELS))
    if unknown:
        raise ValueError(f"unknown labels {unknown}; labels must be among {', '.join(LABELS)}")
    return labels


class RoleClassifier(ClassifierMixin, BaseEstimator):
    """Classify raw posting or resume texts as product, project, hybrid or neither, from their duties.

    Parameters
    ----------
    statements : labelled statements for the duty stage: a CSV, JSONL or Parquet file with ``text`` and
        ``label`` (``product``, ``project``, ``none`` and, optionally, ``work``) columns; ``None`` for the
        project's statement bank, shipped with rolecls (``rolecls.statement_bank``).
    C : inverse regularisation strength of the duty stage's first logistic regression, which tells what kind
        a statement is: not a duty, a management duty or other work.
    side_C : the same for its second, which tells a management duty's side from its content words alone
        (not from how the statement starts).
    ngram_max : longest run of consecutive content words used as a statement term.
    min_df : a term must occur in at least this many training statements.
    sublinear_tf : count a term ``1 + log(count)`` times in a statement.
    duty_threshold, duty_full : a statement whose management (or work) probability is at most
        ``duty_threshold`` weighs nothing as such; from ``duty_full`` on it counts fully (``rolecls.duties``).
    scale : the duty mass at which the document stage's features reach half their limit
        (``rolecls.decision``): how many duties it takes to be sure a text has some.
    hybrid_share : a text is hybrid when each side holds at least this share of its management duty
        weight (the labelling guide's "roughly 40% or more"); otherwise it leans to the larger side.
    document_C : inverse regularisation strength of the document stage's logistic regression.
    hybrid_weight : weight of hybrid documents relative to class-balanced weights in the document stage.
    neither_weight : the same for neither documents. Below 1 shifts the document stage from the corpus's share
        of neither documents (18%) to the smaller share of texts without management duties among real
        postings and resumes; the guide asks for neither "sparingly".
    mask_titles : hide role titles ("Senior Product Manager") from the features.
    lemmatize : use lookup lemmas instead of lower-cased words.
    skip_boilerplate : leave out sections under boilerplate headings (``rolecls.sections``).
    skip_employer_voice : leave out statements in the employer's voice (``rolecls.voice``).
    max_iter : passed to both logistic regressions.
    batch_size : texts read at a time.
    """

    def __init__(
        self,
        statements: str | Path | None = None,
        C: float = 4.0,
        side_C: float = 4.0,
        ngram_max: int = 2,
        min_df: int = 2,
        sublinear_tf: bool = True,
        duty_threshold: float = 0.5,
        duty_full: float = 1.0,
        scale: float = 1.0,
        hybrid_share: float = 0.4,
        document_C: float = 100.0,
        hybrid_weight: float = 1.0,
        neither_weight: float = 0.25,
        mask_titles: bool = True,
        lemmatize: bool = True,
        skip_boilerplate: bool = True,
        skip_employer_voice: bool = True,
        max_iter: int = 3000,
        batch_size: int = 256,
    ) -> None:
        self.statements = statements
        self.C = C
        self.side_C = side_C
        self.ngram_max = ngram_max
        self.min_df = min_df
        self.sublinear_tf = sublinear_tf
        self.duty_threshold = duty_threshold
        self.duty_full = duty_full
        self.scale = scale
        self.hybrid_share = hybrid_share
        self.document_C = document_C
        self.hybrid_weight = hybrid_weight
        self.neither_weight = neither_weight
        self.mask_titles = mask_titles
        self.lemmatize = lemmatize
        self.skip_boilerplate = skip_boilerplate
        self.skip_employer_voice = skip_employer_voice
        self.max_iter = max_iter
        self.batch_size = batch_size

    # -- reading -------------------------------------------------------------------------------

    def read(self, X: Iterable[str]) -> Batch:
        """Read raw texts into one token table, as the model reads them (``rolecls.preprocess.read_batch``)."""
        return read_batch(
            checked_texts(X), self.mask_titles, self.lemmatize, self.skip_boilerplate, self.skip_employer_voice
        )

    def terms(self, batch: Batch, with_strings: bool = False) -> Occurrences:
        """The statement terms of a batch (``rolecls.features.statement_terms``)."""
        return statement_terms(batch.table, batch.strings, self.ngram_max, with_strings)

    def _batches(self, texts: Sequence[str]) -> Iterable[Batch]:
        for start in range(0, len(texts), self.batch_size):
            yield self.read(texts[start : start + self.batch_size])

    # -- fitting -------------------------------------------------------------------------------

    def fit(self, X: Iterable[str], y: Iterable[str]) -> RoleClassifier:
        """Fit the duty stage on the labelled statements, then the document stage on texts ``X`` and labels ``y``."""
        texts = checked_texts(X)
        labels = checked_labels(y, len(texts))
        self.fit_duties(*read_statements(self.statements))
        mass = np.concatenate([self.masses(batch) for batch in self._batches(texts)]) if texts else np.zeros((0, 3))
        weights = class_weights(labels, self.hybrid_weight, self.neither_weight)
        features = mass_features(mass, self.scale)
        fitted = fit_stage(features, labels.tolist(), weights, self.hybrid_share, self.document_C, self.max_iter)
        self.classes_, self.coef_, self.intercept_ = fitted
        return self

    def fit_duties(self, texts: Sequence[str], labels: Sequence[str]) -> RoleClassifier:
        """Fit the duty stage alone on labelled statements (``fit`` does it with ``statements``).

        Each text is read like any other and cut into statements; every statement of a text gets its label.
        """
        texts = checked_texts(texts)
        found_terms: list[str] = []
        found_statements, statement_labels, offset = [], [], 0
        label_array = np.asarray([str(label) for label in labels])
        unknown = sorted(set(label_array.tolist()) - set(DUTY_CLASSES))
        if unknown:
            raise ValueError(f"unknown statement labels {unknown}; labels must be among {', '.join(DUTY_CLASSES)}")
        for start in range(0, len(texts), self.batch_size):
            batch = self.read(texts[start : start + self.batch_size])
            occurrences = self.terms(batch, with_strings=True)
            found_terms += term_strings(occurrences)
            found_statements.append(occurrences.statement + offset)
            statement_labels.append(label_array[start + batch.statement_documents()])
            offset += batch.table.statements
        statements = np.concatenate(found_statements)
        truth = np.concatenate(statement_labels)
        names, codes = np.unique(np.asarray(found_terms, dtype=object).astype(str), return_inverse=True)
        pairs = np.unique(statements * len(names) + codes)  # each term once per statement
        frequency = np.bincount(pairs % len(names), minlength=len(names))
        keep = frequency >= self.min_df
        self.vocabulary_ = {str(name): column for column, name in enumerate(names[keep].tolist())}
        columns = np.where(keep, np.cumsum(keep) - 1, -1)[codes]
        self.idf_ = np.log((1 + offset) / (1 + frequency[keep])) + 1.0
        matrix = tfidf_rows(columns, statements, offset, self.idf_, self.sublinear_tf)
        has_terms = np.asarray(matrix.getnnz(axis=1)) > 0
        present = set(truth[has_terms].tolist())
        missing = [name for name in REQUIRED_CLASSES if name not in present]
        if missing:
            raise ValueError(f"the labelled statements hold no {', '.join(missing)} statements")
        # What kind of statement: not a duty, a management duty, or other work (all terms).
        kinds = np.where(np.isin(truth, SIDES), MANAGEMENT, truth)
        kind_stage = LogisticRegression(C=self.C, class_weight="balanced", max_iter=self.max_iter)
        kind_stage.fit(matrix[has_terms], kinds[has_terms])
        fitted = [str(name) for name in kind_stage.classes_]
        coef, intercept = kind_stage.coef_, kind_stage.intercept_
        if coef.shape[0] == 1:  # two kinds: the first kind's decision value is 0
            coef, intercept = np.vstack([np.zeros_like(coef), coef]), np.concatenate([[0.0], intercept])
        self.duty_kinds_ = [name for name in DUTY_KINDS if name in fitted]
        order = [fitted.index(name) for name in self.duty_kinds_]
        self.kind_coef_, self.kind_intercept_ = coef[order], intercept[order]
        # Which side a management duty is on: from what it is about, not from how the sentence starts.
        sided = has_terms & np.isin(truth, SIDES)
        content = np.array([not term.startswith(START) for term in self.vocabulary_], dtype=bool)
        side_stage = LogisticRegression(C=self.side_C, class_weight="balanced", max_iter=self.max_iter)
        side_stage.fit(matrix[sided][:, np.flatnonzero(content)], truth[sided] == SIDES[0])
        self.side_coef_ = np.zeros(len(self.vocabulary_))
        self.side_coef_[content] = side_stage.coef_[0]
        self.side_intercept_ = float(side_stage.intercept_[0])
        return self

    # -- the fitted stages -----------------------------------------------------------------------

    def duty_weights(self) -> DutyWeights:
        """The fitted duty stage as plain arrays, with the current gate parameters."""
        check_is_fitted(self, "kind_coef_")
        return DutyWeights(
            terms=self._term_index(),
            idf=self.idf_,
            kinds=tuple(self.duty_kinds_),
            kind_coef=self.kind_coef_,
            kind_intercept=self.kind_intercept_,
            side_coef=self.side_coef_,
            side_intercept=self.side_intercept_,
            sublinear_tf=self.sublinear_tf,
            threshold=self.duty_threshold,
            full=self.duty_full,
        )

    def _term_index(self) -> TermIndex:
        """The index of the fitted vocabulary, built on first use and kept while the vocabulary is the same."""
        longest = max(self.ngram_max, START_WORDS + 1)
        cached = getattr(self, "_terms", None)
        if cached is not None and cached[0] is self.vocabulary_ and cached[1] == longest:
            return cached[2]
        index = TermIndex(self.vocabulary_, longest)
        self._terms = (self.vocabulary_, longest, index)
        return index

    def document_stage(self) -> DocumentStage:
        """The fitted document stage."""
        check_is_fitted(self, "coef_")
        return DocumentStage([str(label) for label in self.classes_], self.coef_, self.intercept_, self.scale)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(super().__getstate__())
        state.pop("_terms", None)  # rebuilt on use; not worth storing
        return state

    # -- predicting ----------------------------------------------------------------------------

    def masses(self, batch: Batch) -> np.ndarray:
        """The product, project and work mass of each text of a read batch (``rolecls.decision.masses``)."""
        duties = statement_duties(self.duty_weights(), batch, self.terms(batch))
        return masses(duties, len(batch.texts))

    def predictions(self, X: Iterable[str]) -> Predictions:
        """Labels, probabilities (columns in ``classes_``) and role mix of raw texts, read once."""
        texts = checked_texts(X)
        stage = self.document_stage()
        found = [self.masses(batch) for batch in self._batches(texts)]
        mass = np.concatenate(found) if found else np.zeros((0, 3))
        probabilities = softmax(decision_values(stage, mass))
        return Predictions(self.classes_[np.argmax(probabilities, axis=1)], probabilities, role_mix(mass))

    def duty_proba(self, X: Iterable[str]) -> np.ndarray:
        """Each text's duty-class probabilities (columns in ``DUTY_CLASSES``): its statements', weighted by words.

        For a text of one statement these are the statement's; a text without words gets the mean of
        its statements.
        """
        weights = self.duty_weights()
        found = []
        for batch in self._batches(checked_texts(X)):
            duties = statement_duties(weights, batch, self.terms(batch))
            weighted = duties.probabilities * (duties.words + 1e-9)[:, np.newaxis]
            total = per_text(weighted, duties.document, len(batch.texts))
            found.append(total / np.maximum(total.sum(axis=1, keepdims=True), 1e-300))
        return np.concatenate(found) if found else np.zeros((0, len(DUTY_CLASSES)))

    def _decision(self, X: Iterable[str]) -> np.ndarray:
        texts = checked_texts(X)
        stage = self.document_stage()
        found = [decision_values(stage, self.masses(batch)) for batch in self._batches(texts)]
        return np.concatenate(found) if found else np.zeros((0, len(stage.classes)))

    def decision_function(self, X: Iterable[str]) -> np.ndarray:
        """Decision values for raw texts: one column per class, or one value per text for two classes."""
        decision = self._decision(X)
        return decision[:, 1] - decision[:, 0] if decision.shape[1] == 2 else decision

    def predict_proba(self, X: Iterable[str]) -> np.ndarray:
        """Class probabilities for raw texts, one column per class in ``classes_``."""
        return softmax(self._decision(X))

    def predict(self, X: Iterable[str]) -> np.ndarray:
        """The most probable label for each raw text."""
        decision = self._decision(X)
        return self.classes_[np.argmax(decision, axis=1)]
