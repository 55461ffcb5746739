"""Explain decisions: split each class's decision value exactly over the document's phrases.

The model is linear over L2-normalised TF-IDF term counts, so every occurrence of a term
adds ``coef[:, j] * idf[j] / norm`` to the decision values. Summing occurrences per
responsibility phrase gives each phrase's contribution; these, the rest of the text and the
intercept add up to the model's decision value for every class.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from rolecls.estimator import LABELS, RoleClassifier
from rolecls.features import Occurrences, table_occurrences
from rolecls.phrases import table_phrases
from rolecls.preprocess import TokenTable
from rolecls.results import Classification, Evidence, Skipped

SIDES = ("product", "project")
# Phrases pulling less than this share of the strongest phrase are left out of the evidence;
# their contributions go to ``remainder`` so that the decomposition stays exact.
MIN_EVIDENCE_SHARE = 0.05
# A lone word ("EXPERIENCE", "Requirements") is a heading, not a responsibility.
MIN_EVIDENCE_WORDS = 2
NO_EVIDENCE_NOTE = "no responsibility phrase the model knows: the label rests on the model's prior alone"


def _token_phrases(ranges: np.ndarray, count: int) -> np.ndarray:
    """The phrase holding each of ``count`` tokens (phrases do not overlap), or -1."""
    found = np.full(count, -1, dtype=np.int64)
    lengths = ranges[:, 1] - ranges[:, 0]
    phrase = np.repeat(np.arange(len(ranges)), lengths)
    found[np.arange(len(phrase)) - np.repeat(np.cumsum(lengths) - lengths - ranges[:, 0], lengths)] = phrase
    return found


class _Units(NamedTuple):
    """Rows of a contributions matrix: per document, one row per phrase, then one for the rest of its text."""

    ranges: np.ndarray  # token ranges of all phrases, in table order
    phrase_doc: np.ndarray  # document of each phrase
    phrase_row: np.ndarray  # row of each phrase
    rest_row: np.ndarray  # row of each document's rest
    block_start: np.ndarray  # first row of each document, then the number of rows


def _units(phrases: Sequence[tuple[int, int]] | np.ndarray, offsets: np.ndarray) -> _Units:
    ranges = np.asarray(phrases, dtype=np.int64).reshape(-1, 2)
    documents = len(offsets) - 1
    phrase_doc = np.searchsorted(offsets, ranges[:, 0], side="right") - 1
    block_start = np.concatenate([[0], np.cumsum(np.bincount(phrase_doc, minlength=documents) + 1)])
    return _Units(ranges, phrase_doc, np.arange(len(ranges)) + phrase_doc, block_start[1:] - 1, block_start)


def _contributions(
    model: RoleClassifier,
    occurrences: Occurrences,
    units: _Units,
    offsets: np.ndarray,
    table: TokenTable | None = None,
) -> np.ndarray:
    """Each unit's contribution to each class's decision value (rows as in ``units``).

    ``table``, the token table the occurrences were found in, lets single words be looked up faster.

    A term occurrence belongs to the phrase that holds all its tokens; occurrences in lead-in
    filler, headings or across two phrases go to the rest of their document.
    """
    idf = model.vectorizer_.idf_
    coef, _ = model.coefficients()
    documents = len(offsets) - 1
    contributions = np.zeros((int(units.block_start[-1]), len(model.classes_)))
    columns = model.term_index().lookup(occurrences, table)
    known = columns >= 0
    if not known.any():
        return contributions
    features, first, last = columns[known], occurrences.first[known], occurrences.last[known]
    document = np.searchsorted(offsets, first, side="right") - 1
    token_phrase = _token_phrases(units.ranges, int(offsets[-1]))
    phrase = token_phrase[first]
    within = (phrase >= 0) & (phrase == token_phrase[last])
    rows = np.where(within, units.phrase_row[np.maximum(phrase, 0)], units.rest_row[document])
    # L2 norm of each document's TF-IDF vector, from its distinct terms and their counts
    # (a stable sort: occurrences come in runs by document, which merge sort takes faster than np.unique)
    keys = np.sort(document * len(idf) + features, kind="stable")
    new_key = np.empty(len(keys), dtype=bool)
    new_key[0] = True
    np.not_equal(keys[1:], keys[:-1], out=new_key[1:])
    first_of_key = np.flatnonzero(new_key)
    pairs, counts = keys[first_of_key], np.diff(np.append(first_of_key, len(keys)))
    squares = (counts * idf[pairs % len(idf)]) ** 2
    norms = np.sqrt(np.bincount(pairs // len(idf), weights=squares, minlength=documents))
    weights = idf[features] / norms[document]
    for column in range(len(model.classes_)):
        contributions[:, column] = np.bincount(
            rows, weights=coef[column, features] * weights, minlength=len(contributions)
        )
    return contributions


class Decisions(NamedTuple):
    """A batch's decisions and evidence as arrays (one row per text; evidence phrases in display order).

    Label columns follow ``labels`` (product, project, hybrid first). Evidence rows are grouped by
    text, ``evidence_bounds[i]:evidence_bounds[i + 1]`` for text ``i``, and sorted as shown: phrases for
    the predicted side first, strongest first (for hybrid, both sides by strength). ``evidence_pull``
    is the product minus the project contribution: positive pulls toward product. :meth:`classifications`
    turns them into :class:`Classification` objects; bulk scoring reads the arrays directly.
    """

    texts: list[str]
    labels: list[str]
    predicted: np.ndarray  # column of each text's label in ``labels``
    probabilities: np.ndarray
    decision: np.ndarray
    intercept: np.ndarray
    remainder: np.ndarray
    unlisted_margin: np.ndarray
    mix: np.ndarray  # (texts, 2): product and project share of the evidence's pull
    titles: list[tuple[str, str] | None]  # text and side of each text's first role title
    evidence_bounds: np.ndarray
    evidence_start: np.ndarray  # character offsets in the text
    evidence_end: np.ndarray
    evidence_pull: np.ndarray
    evidence_contributions: np.ndarray  # (phrases, labels)
    evidence_margin: np.ndarray
    skipped: list[list[tuple[int, int, str]]] | None = None  # per text: character ranges not read, and why

    def label(self, index: int) -> str:
        return self.labels[int(self.predicted[index])]

    def title_disagrees(self) -> np.ndarray:
        """Whether each text's first role title names the other side than its label (and it has evidence)."""
        has_evidence = np.diff(self.evidence_bounds) > 0
        flags = np.zeros(len(self.texts), dtype=bool)
        for index, title in enumerate(self.titles):
            label = self.label(index)
            if title is not None and has_evidence[index] and title[1] in SIDES and label in SIDES:
                flags[index] = title[1] != label
        return flags

    def classifications(self, sources: Sequence[str | None]) -> list[Classification]:
        """One :class:`Classification` per text."""
        names = self.labels
        starts, ends = self.evidence_start.tolist(), self.evidence_end.tolist()
        pulls, margins = self.evidence_pull.tolist(), self.evidence_margin.tolist()
        contributions = self.evidence_contributions.tolist()
        bounds = self.evidence_bounds.tolist()
        probabilities, decision = self.probabilities.tolist(), self.decision.tolist()
        remainder, intercept = self.remainder.tolist(), self.intercept.tolist()
        mix, unlisted, disagrees = self.mix.tolist(), self.unlisted_margin.tolist(), self.title_disagrees().tolist()

        def by_label(values: list[float]) -> dict[str, float]:
            return dict(zip(names, values, strict=True))

        results = []
        for index, (text, title, source) in enumerate(zip(self.texts, self.titles, sources, strict=True)):
            evidence = [
                Evidence(
                    text=text[starts[k] : ends[k]],
                    start=starts[k],
                    end=ends[k],
                    label=SIDES[0] if pulls[k] > 0 else SIDES[1],
                    weight=abs(pulls[k]),
                    contributions=by_label(contributions[k]),
                    margin=margins[k],
                )
                for k in range(bounds[index], bounds[index + 1])
            ]
            results.append(
                Classification(
                    label=self.label(index),
                    scores=by_label(probabilities[index]),
                    evidence=evidence,
                    mix=dict(zip(SIDES, mix[index], strict=True)),
                    title=title[0] if title is not None else None,
                    title_label=title[1] if title is not None else None,
                    title_disagrees=disagrees[index],
                    decision=by_label(decision[index]),
                    intercept=by_label(intercept),
                    remainder=by_label(remainder[index]),
                    low_confidence=not evidence,
                    notes=[] if evidence else [NO_EVIDENCE_NOTE],
                    unlisted_margin=unlisted[index],
                    source=source,
                    skipped=[
                        Skipped(text[start:end], start, end, reason)
                        for start, end, reason in (self.skipped[index] if self.skipped else ())
                    ],
                )
            )
        return results


def _decisions(
    model: RoleClassifier,
    texts: Sequence[str],
    titles: Sequence[tuple[str, str] | None],
    table: TokenTable,
    offsets: np.ndarray,
    occurrences: Occurrences,
    phrases: Sequence[tuple[int, int]] | np.ndarray,
    skipped: list[list[tuple[int, int, str]]] | None = None,
) -> Decisions:
    """Classify and explain texts whose tokens, terms and phrases are read into one table.

    ``titles`` holds the text and side of each text's first role title, or ``None``; ``skipped``
    the character ranges of each text that were not read (``Batch.skipped``).
    """
    classes = [str(label) for label in model.classes_]
    if not set(SIDES) <= set(classes):
        raise ValueError(f"explanations need a model trained with both {SIDES} labels, not {classes}")
    units = _units(phrases, offsets)
    contributions = _contributions(model, occurrences, units, offsets, table)
    _, intercept = model.coefficients()
    documents = len(texts)
    blocks = units.block_start[:-1]
    decision = np.add.reduceat(contributions, blocks, axis=0) + intercept
    probabilities = model.proba_from_decision(decision)
    predicted = np.argmax(decision, axis=1)
    order = sorted(range(len(classes)), key=lambda i: (LABELS.index(classes[i]) if classes[i] in LABELS else 99, i))

    row_doc = np.repeat(np.arange(documents), np.diff(units.block_start))
    margins = np.abs(contributions[np.arange(len(contributions)), predicted[row_doc]] - contributions.mean(axis=1))
    product, project = classes.index(SIDES[0]), classes.index(SIDES[1])
    strength = np.abs(contributions[:, product] - contributions[:, project])
    strength[units.rest_row] = 0.0
    strongest = np.maximum.reduceat(strength, blocks)
    alpha = np.concatenate([[0], np.cumsum(table.alpha)])
    ranges, rows = units.ranges, units.phrase_row
    listed = np.flatnonzero(
        (strength[rows] > 1e-9)
        & (strength[rows] >= MIN_EVIDENCE_SHARE * strongest[units.phrase_doc])
        & (alpha[ranges[:, 1]] - alpha[ranges[:, 0]] >= MIN_EVIDENCE_WORDS)
    )
    listed_rows, listed_doc = rows[listed], units.phrase_doc[listed]
    shown = np.stack(
        [
            np.bincount(listed_doc, weights=contributions[listed_rows, k], minlength=documents)
            for k in range(len(classes))
        ],
        axis=1,
    )
    remainder = decision - intercept - shown
    unlisted_margin = np.add.reduceat(margins, blocks) - np.bincount(
        listed_doc, weights=margins[listed_rows], minlength=documents
    )
    pulls = contributions[listed_rows, product] - contributions[listed_rows, project]
    # Display order within each text: the predicted side first (unless hybrid), strongest first, then by position.
    label_side = np.array([SIDES.index(c) if c in SIDES else -1 for c in classes])[predicted][listed_doc]
    phrase_side = np.where(pulls > 0, 0, 1)
    other_side = (label_side >= 0) & (phrase_side != label_side)
    first_token = ranges[listed, 0]
    shown_order = np.lexsort((first_token, -np.abs(pulls), other_side, listed_doc))
    listed, listed_rows, listed_doc = listed[shown_order], listed_rows[shown_order], listed_doc[shown_order]
    pulls, phrase_side = pulls[shown_order], phrase_side[shown_order]
    last_tokens = ranges[listed, 1] - 1
    mix_pull = np.zeros((documents, 2))
    for side in (0, 1):
        on_side = phrase_side == side
        mix_pull[:, side] = np.bincount(listed_doc[on_side], weights=np.abs(pulls[on_side]), minlength=documents)
    total = mix_pull.sum(axis=1, keepdims=True)
    mix = np.divide(mix_pull, total, out=np.zeros_like(mix_pull), where=total > 0)
    return Decisions(
        texts=list(texts),
        labels=[classes[i] for i in order],
        predicted=np.argsort(order)[predicted],
        probabilities=probabilities[:, order],
        decision=decision[:, order],
        intercept=intercept[order],
        remainder=remainder[:, order],
        unlisted_margin=unlisted_margin,
        mix=mix,
        titles=list(titles),
        evidence_bounds=np.searchsorted(listed_doc, np.arange(documents + 1)),
        evidence_start=table.idx[ranges[listed, 0]],
        evidence_end=table.idx[last_tokens] + table.length[last_tokens],
        evidence_pull=pulls,
        evidence_contributions=contributions[listed_rows][:, order],
        evidence_margin=margins[listed_rows],
        skipped=skipped,
    )


def decide(model: RoleClassifier, texts: Sequence[str]) -> Decisions:
    """Classify and explain raw texts in one batch, as arrays (see :class:`Decisions`)."""
    batch = model.read(texts)
    occurrences = table_occurrences(batch.table, model.ngram_max)
    phrases = table_phrases(batch.table, batch.strings)
    titles = [batch.title(document) for document in range(len(batch.texts))]
    return _decisions(model, batch.texts, titles, batch.table, batch.offsets, occurrences, phrases, batch.skipped)


def explain(
    model: RoleClassifier, texts: Sequence[str], sources: Sequence[str | None] | None = None
) -> list[Classification]:
    """Classify and explain raw texts (in one batch: their tokens are read into one table)."""
    decisions = decide(model, texts)
    names = list(sources) if sources is not None else [None] * len(decisions.texts)
    return decisions.classifications(names)
