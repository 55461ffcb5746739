"""Find the duties: give every statement a duty class (product duty, project duty, or not a duty) and a weight.

The statement classifier is linear over TF-IDF statement terms (``rolecls.features``): a multinomial
logistic regression whose classes are ``DUTY_CLASSES``. From its probabilities each statement gets a
product weight and a project weight:

- its *duty probability* is ``p(product) + p(project)``; below ``threshold`` the statement is not a duty
  and weighs nothing, above ``full`` it counts fully, and in between in proportion (the *gate*);
- its *size* is ``sqrt(words / 10)``, so that a long statement holding several duties counts for more than
  a short one, but not in proportion to its length; a statement with no term the classifier knows
  weighs nothing;
- its weight is ``gate * size``, split between the sides in proportion to their probabilities.

The document's decision is made from these weights alone (``rolecls.explain``), so text that is not a
duty has no say.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy
import scipy.sparse

from rolecls.features import Occurrences, TermIndex
from rolecls.preprocess import Batch

DUTY_CLASSES = ("none", "product", "project")
"""The statement classifier's classes, in the order of its coefficient rows."""
REFERENCE_WORDS = 10
"""A statement of this many words has size 1."""


class DutyWeights(NamedTuple):
    """A fitted statement classifier, as plain arrays: vocabulary, term weights and decision weights."""

    terms: TermIndex
    idf: numpy.ndarray
    coef: numpy.ndarray  # (classes, terms), rows in DUTY_CLASSES order
    intercept: numpy.ndarray
    sublinear_tf: bool
    ngram_max: int
    threshold: float
    full: float


class StatementDuties(NamedTuple):
    """Every statement of a batch: its text, its words, its duty probabilities and its side weights."""

    document: numpy.ndarray  # the text each statement belongs to
    words: numpy.ndarray  # words read (alphabetic, not skipped)
    probabilities: numpy.ndarray  # (statements, 3), columns in DUTY_CLASSES order
    product: numpy.ndarray  # product weight
    project: numpy.ndarray  # project weight

    @property
    def weight(self) -> numpy.ndarray:
        """Each statement's duty weight (product plus project)."""
        return self.product + self.project


def tfidf_rows(
    columns: numpy.ndarray,
    statements: numpy.ndarray,
    count: int,
    idf: numpy.ndarray,
    sublinear_tf: bool,
) -> scipy.sparse.csr_matrix:
    """The L2-normalised TF-IDF matrix of ``count`` statements from their term occurrences' columns.

    Occurrences outside the vocabulary (column -1) are left out; a statement with none is a zero row.
    """
    known = columns >= 0
    counts = scipy.sparse.csr_matrix(
        (numpy.ones(int(known.sum())), (statements[known], columns[known])), shape=(count, len(idf))
    )
    counts.sum_duplicates()
    if sublinear_tf:
        counts.data = 1.0 + numpy.log(counts.data)
    weighted = counts.multiply(idf[numpy.newaxis, :]).tocsr()
    norms = numpy.sqrt(numpy.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    return scipy.sparse.diags(numpy.divide(1.0, norms, out=numpy.zeros_like(norms), where=norms > 0)) @ weighted


def softmax(decision: numpy.ndarray) -> numpy.ndarray:
    """Probabilities from decision values, row by row (as a multinomial logistic regression gives them)."""
    shifted = decision - decision.max(axis=1, keepdims=True)
    exp = numpy.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


def statement_probabilities(weights: DutyWeights, batch: Batch, occurrences: Occurrences) -> numpy.ndarray:
    """Each statement's probability of each duty class (``DUTY_CLASSES`` order), and whether it holds a known term.

    Returns a (statements, 4) array: the three probabilities, then 1 where the statement holds a term
    of the vocabulary.
    """
    count = batch.table.statements
    columns = weights.terms.lookup(occurrences, batch.table, batch.strings)
    rows = tfidf_rows(columns, occurrences.statement, count, weights.idf, weights.sublinear_tf)
    probabilities = softmax(numpy.asarray(rows @ weights.coef.T) + weights.intercept)
    known = numpy.bincount(occurrences.statement[columns >= 0], minlength=count) > 0
    return numpy.column_stack([probabilities, known])


def statement_duties(weights: DutyWeights, batch: Batch, occurrences: Occurrences) -> StatementDuties:
    """The duty probabilities and side weights of every statement of ``batch`` (see the module docstring)."""
    table = batch.table
    found = statement_probabilities(weights, batch, occurrences)
    probabilities, known = found[:, :3], found[:, 3] > 0
    words = numpy.bincount(table.statement[table.word()], minlength=table.statements)
    product, project = probabilities[:, 1], probabilities[:, 2]
    duty = product + project
    gate = numpy.clip((duty - weights.threshold) / (weights.full - weights.threshold), 0.0, 1.0)
    size = numpy.where(known, numpy.sqrt(words / REFERENCE_WORDS), 0.0)
    scale = numpy.divide(gate * size, duty, out=numpy.zeros_like(duty), where=duty > 0)
    return StatementDuties(batch.statement_documents(), words, probabilities, scale * product, scale * project)
