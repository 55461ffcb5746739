"""Find the duties: give every statement a duty class and weigh the management duties and the other work.

The statement classifier is linear over TF-IDF statement terms (``rolecls.features``), in two steps: a
multinomial logistic regression tells what kind a statement is (``DUTY_KINDS``: not a duty, such as
requirements, pay, blurbs or generic teamwork; a management duty; or other work, the duties of jobs that
manage neither: coding, nursing, selling), and a binary one tells a management duty's side from its content
words (not from how the statement starts). Their product gives the probabilities of ``DUTY_CLASSES``. From
them each statement gets a product, a project and a work weight:

- its *management probability* is ``p(product) + p(project)``; its *gate* is how much more likely it is a
  management duty than not, ``2 * p - 1`` where positive (``threshold`` 0.5 and ``full`` 1 in general);
  the same for other work with ``p(work)``;
- its *size* is ``sqrt(words / 10)``, so that a long statement holding several duties counts for more than
  a short one, but not in proportion to its length; a statement with no term the classifier knows
  weighs nothing;
- its product and project weights are ``gate * size`` split in proportion to the two probabilities; its
  work weight is its work gate times its size.

The document's decision is made from these weights alone (``rolecls.decision``), so text that is not a
duty has no say; other work speaks only for ``neither``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy
import scipy.sparse

from rolecls.features import Occurrences, TermIndex
from rolecls.preprocess import Batch

DUTY_CLASSES = ("none", "product", "project", "work")
"""The statement classifier's classes; a classifier fitted without ``work`` statements never finds other work."""
REQUIRED_CLASSES = ("none", "product", "project")
MANAGEMENT = "management"
DUTY_KINDS = ("none", MANAGEMENT, "work")
"""What kind a statement is, before its side: the first step's classes."""
REFERENCE_WORDS = 10
"""A statement of this many words has size 1."""


class DutyWeights(NamedTuple):
    """A fitted statement classifier, as plain arrays: vocabulary, term weights and decision weights."""

    terms: TermIndex
    idf: numpy.ndarray
    kinds: tuple[str, ...]  # the kinds fitted, in DUTY_KINDS order
    kind_coef: numpy.ndarray  # (kinds, terms), rows in ``kinds`` order
    kind_intercept: numpy.ndarray
    side_coef: numpy.ndarray  # (terms,): log-odds of product over project
    side_intercept: float
    sublinear_tf: bool
    threshold: float
    full: float


class StatementDuties(NamedTuple):
    """Every statement of a batch: its text, its words, its duty probabilities and its weights."""

    document: numpy.ndarray  # the text each statement belongs to
    words: numpy.ndarray  # words read (alphabetic, not skipped)
    probabilities: numpy.ndarray  # (statements, 4), columns in DUTY_CLASSES order
    product: numpy.ndarray  # product weight
    project: numpy.ndarray  # project weight
    work: numpy.ndarray  # weight as other work

    @property
    def weight(self) -> numpy.ndarray:
        """Each statement's management duty weight (product plus project)."""
        return self.product + self.project

    def weights(self) -> numpy.ndarray:
        """The product, project and work weights as a (statements, 3) array."""
        return numpy.column_stack([self.product, self.project, self.work])


def per_text(values: numpy.ndarray, document: numpy.ndarray, count: int) -> numpy.ndarray:
    """Per-statement values summed over each of ``count`` texts: (statements, k) -> (count, k)."""
    return numpy.column_stack(
        [numpy.bincount(document, weights=values[:, k], minlength=count) for k in range(values.shape[1])]
    )


class TfidfEntries(NamedTuple):
    """The nonzero entries of an L2-normalised TF-IDF matrix of statements: row, column and value of each."""

    rows: numpy.ndarray
    columns: numpy.ndarray
    values: numpy.ndarray


def tfidf_entries(
    columns: numpy.ndarray, statements: numpy.ndarray, idf: numpy.ndarray, sublinear_tf: bool
) -> TfidfEntries:
    """The TF-IDF entries of statements from their term occurrences' columns and statements, in row order.

    A term counts ``1 + log(count)`` times in a statement with ``sublinear_tf``, else ``count`` times; each
    row is scaled to unit length. Occurrences outside the vocabulary (column -1) are left out.
    """
    known = columns >= 0
    keys = numpy.sort(statements[known].astype(numpy.int64) * len(idf) + columns[known])
    if not len(keys):
        empty = numpy.zeros(0, dtype=numpy.int64)
        return TfidfEntries(empty, empty, numpy.zeros(0))
    new = numpy.concatenate([[True], keys[1:] != keys[:-1]])
    first = numpy.flatnonzero(new)
    counts = numpy.diff(numpy.append(first, len(keys))).astype(float)
    rows, terms = numpy.divmod(keys[first], len(idf))
    values = (1.0 + numpy.log(counts) if sublinear_tf else counts) * idf[terms]
    norms = numpy.sqrt(numpy.bincount(rows, weights=values**2))
    return TfidfEntries(rows, terms, values / norms[rows])


def tfidf_rows(
    columns: numpy.ndarray, statements: numpy.ndarray, count: int, idf: numpy.ndarray, sublinear_tf: bool
) -> scipy.sparse.csr_matrix:
    """The L2-normalised TF-IDF matrix of ``count`` statements (``tfidf_entries``), to fit the duty stage on."""
    found = tfidf_entries(columns, statements, idf, sublinear_tf)
    return scipy.sparse.csr_matrix((found.values, (found.rows, found.columns)), shape=(count, len(idf)))


def linear(entries: TfidfEntries, coef: numpy.ndarray, count: int) -> numpy.ndarray:
    """``matrix @ coef.T`` for the TF-IDF matrix given by ``entries`` (``count`` rows, in row order) and rows of
    ``coef``: each row's entries summed at once for every coefficient row."""
    coef = numpy.atleast_2d(coef)
    found = numpy.zeros((count, len(coef)))
    if len(entries.rows):
        starts = numpy.flatnonzero(numpy.concatenate([[True], entries.rows[1:] != entries.rows[:-1]]))
        products = coef[:, entries.columns].T * entries.values[:, numpy.newaxis]
        found[entries.rows[starts]] = numpy.add.reduceat(products, starts, axis=0)
    return found


def softmax(decision: numpy.ndarray) -> numpy.ndarray:
    """Probabilities from decision values, row by row (as a multinomial logistic regression gives them)."""
    shifted = decision - decision.max(axis=1, keepdims=True)
    exp = numpy.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


def statement_probabilities(weights: DutyWeights, batch: Batch, occurrences: Occurrences) -> numpy.ndarray:
    """Each statement's probability of each duty class (``DUTY_CLASSES`` order), and whether it holds a known term.

    Returns a (statements, 5) array: the four probabilities (0 for a class the classifier was not fitted
    on), then 1 where the statement holds a term of the vocabulary.
    """
    count = batch.table.statements
    columns = weights.terms.lookup(occurrences, batch.table, batch.strings)
    entries = tfidf_entries(columns, occurrences.statement, weights.idf, weights.sublinear_tf)
    kind = softmax(linear(entries, weights.kind_coef, count) + weights.kind_intercept)
    product_side = 1.0 / (1.0 + numpy.exp(-(linear(entries, weights.side_coef, count)[:, 0] + weights.side_intercept)))
    management = kind[:, weights.kinds.index(MANAGEMENT)]
    probabilities = numpy.zeros((count, len(DUTY_CLASSES) + 1))
    probabilities[:, 0] = kind[:, weights.kinds.index("none")]
    probabilities[:, 1] = management * product_side
    probabilities[:, 2] = management * (1.0 - product_side)
    if "work" in weights.kinds:
        probabilities[:, 3] = kind[:, weights.kinds.index("work")]
    probabilities[:, -1] = numpy.bincount(occurrences.statement[columns >= 0], minlength=count) > 0
    return probabilities


def _gate(probability: numpy.ndarray, weights: DutyWeights) -> numpy.ndarray:
    return numpy.clip((probability - weights.threshold) / (weights.full - weights.threshold), 0.0, 1.0)


def statement_duties(weights: DutyWeights, batch: Batch, occurrences: Occurrences) -> StatementDuties:
    """The duty probabilities and weights of every statement of ``batch`` (see the module docstring)."""
    table = batch.table
    found = statement_probabilities(weights, batch, occurrences)
    probabilities, known = found[:, :-1], found[:, -1] > 0
    words = numpy.bincount(table.statement[table.word()], minlength=table.statements)
    size = numpy.where(known, numpy.sqrt(words / REFERENCE_WORDS), 0.0)
    product, project, work = probabilities[:, 1], probabilities[:, 2], probabilities[:, 3]
    duty = product + project
    scale = numpy.divide(_gate(duty, weights) * size, duty, out=numpy.zeros_like(duty), where=duty > 0)
    return StatementDuties(
        batch.statement_documents(), words, probabilities, scale * product, scale * project, _gate(work, weights) * size
    )
