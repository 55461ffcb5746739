"""Explain decisions: split each class's decision value exactly over the document's phrases.

The model is linear over L2-normalised TF-IDF term counts, so every occurrence of a term
adds ``coef[:, j] * idf[j] / norm`` to the decision values. Summing occurrences per
responsibility phrase gives each phrase's contribution; these, the rest of the text and the
intercept add up to the model's decision value for every class.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from spacy.tokens import Doc

from rolecls.estimator import LABELS, RoleClassifier
from rolecls.features import Occurrences, doc_occurrences
from rolecls.phrases import PHRASE_SPANS_KEY, phrase_ranges
from rolecls.preprocess import TITLE_SPANS_KEY, TokenTable, doc_text, token_table
from rolecls.results import Classification, Evidence

SIDES = ("product", "project")
# Phrases pulling less than this share of the strongest phrase are left out of the evidence;
# their contributions go to ``remainder`` so that the decomposition stays exact.
MIN_EVIDENCE_SHARE = 0.05
# A lone word ("EXPERIENCE", "Requirements") is a heading, not a responsibility.
MIN_EVIDENCE_WORDS = 2
NO_EVIDENCE_NOTE = "no responsibility phrase the model knows: the label rests on the model's prior alone"


def unit_contributions(
    model: RoleClassifier, doc: Doc, occurrences: Occurrences, phrases: Sequence[tuple[int, int]]
) -> np.ndarray:
    """Contributions to each class's decision value, one row per phrase plus a last row for the rest.

    A term occurrence belongs to the phrase that holds all its tokens; occurrences in lead-in
    filler, headings or across two phrases go to the last row.
    """
    idf = model.vectorizer_.idf_
    coef, _ = model.coefficients()
    outside = len(phrases)
    contributions = np.zeros((outside + 1, len(model.classes_)))
    columns = model.term_index().lookup(occurrences)
    known = columns >= 0
    if not known.any():
        return contributions
    features, first, last = columns[known], occurrences.first[known], occurrences.last[known]
    ranges = np.asarray(phrases, dtype=np.int64).reshape(-1, 2)

    def unit(tokens: np.ndarray) -> np.ndarray:
        """The phrase holding each token (phrases are in text order and do not overlap), or ``outside``."""
        index = np.searchsorted(ranges[:, 0], tokens, side="right") - 1
        inside = (index >= 0) & (tokens < ranges[np.maximum(index, 0), 1]) if len(ranges) else index < -1
        return np.where(inside, index, outside)

    first_unit = unit(first)
    units = np.where(first_unit == unit(last), first_unit, outside)
    present, counts = np.unique(features, return_counts=True)
    norm = float(np.sqrt(np.sum((counts * idf[present]) ** 2)))
    weights = idf[features] / norm
    values = coef[:, features] * weights
    for column, row in enumerate(values):
        contributions[:, column] = np.bincount(units, weights=row, minlength=outside + 1)
    return contributions


def role_mix(evidence: Sequence[Evidence]) -> dict[str, float]:
    """Share of product versus project pull among the evidence phrases (sums to 1, or 0 if none)."""
    pulls = {side: 0.0 for side in SIDES}
    for phrase in evidence:
        difference = phrase.contributions.get("product", 0.0) - phrase.contributions.get("project", 0.0)
        pulls["product" if difference > 0 else "project"] += abs(difference)
    total = sum(pulls.values())
    return {side: (pull / total if total > 0 else 0.0) for side, pull in pulls.items()}


def explain_doc(
    model: RoleClassifier,
    doc: Doc,
    occurrences: Occurrences,
    source: str | None = None,
    phrases: Sequence[tuple[int, int]] | None = None,
    table: TokenTable | None = None,
) -> Classification:
    """Classify one processed document and attribute its decision to its phrases (token ranges).

    Without ``phrases``, they come from ``doc.spans["phrases"]`` or are computed; ``table`` is
    ``token_table(doc)`` when the caller has it already.
    """
    classes = [str(label) for label in model.classes_]
    if not set(SIDES) <= set(classes):
        raise ValueError(f"explanations need a model trained with both {SIDES} labels, not {classes}")
    table = table if table is not None else token_table(doc)
    if phrases is None:
        spans = doc.spans.get(PHRASE_SPANS_KEY)
        phrases = [(span.start, span.end) for span in spans] if spans is not None else phrase_ranges(doc, table)
    contributions = unit_contributions(model, doc, occurrences, phrases)
    _, intercept = model.coefficients()
    decision = contributions.sum(axis=0) + intercept
    probabilities = model.proba_from_decision(decision[np.newaxis, :])[0]
    predicted = int(np.argmax(decision))
    label = classes[predicted]
    order = sorted(range(len(classes)), key=lambda i: (LABELS.index(classes[i]) if classes[i] in LABELS else 99, i))

    def by_label(values: np.ndarray) -> dict[str, float]:
        return {classes[i]: float(values[i]) for i in order}

    margins = np.abs(contributions[:, predicted] - contributions.mean(axis=1))
    product, project = classes.index(SIDES[0]), classes.index(SIDES[1])
    pulls = contributions[:-1, product] - contributions[:-1, project]
    strongest = float(np.abs(pulls).max(initial=0.0))
    alpha = np.concatenate([[0], np.cumsum(table.alpha)])
    text = doc_text(doc)
    ranges = np.asarray(phrases, dtype=np.int64).reshape(-1, 2)
    strength = np.abs(pulls)
    listed = np.flatnonzero(
        (strength > 1e-9)
        & (strength >= MIN_EVIDENCE_SHARE * strongest)
        & (alpha[ranges[:, 1]] - alpha[ranges[:, 0]] >= MIN_EVIDENCE_WORDS)
    )
    last_tokens = ranges[listed, 1] - 1
    starts = table.idx[ranges[listed, 0]].tolist()
    ends = (table.idx[last_tokens] + table.length[last_tokens]).tolist()
    rows = contributions[listed].tolist()
    evidence = [
        Evidence(
            text=text[start:end],
            start=start,
            end=end,
            label=SIDES[0] if pull > 0 else SIDES[1],
            weight=abs(pull),
            contributions={classes[i]: row[i] for i in order},
            margin=margin,
        )
        for start, end, pull, row, margin in zip(
            starts, ends, pulls[listed].tolist(), rows, margins[listed].tolist(), strict=True
        )
    ]
    # Phrases for the predicted side come first, strongest first; for hybrid, both sides by strength.
    evidence.sort(key=lambda phrase: (label in SIDES and phrase.label != label, -phrase.weight, phrase.start))
    remainder = decision - intercept - contributions[listed].sum(axis=0)
    unlisted_margin = float(margins.sum() - margins[listed].sum())

    titles = doc.spans.get(TITLE_SPANS_KEY, [])
    title = titles[0] if len(titles) else None
    title_label = title.label_ if title is not None else None
    disagrees = title_label in SIDES and label in SIDES and title_label != label
    return Classification(
        label=label,
        scores=by_label(probabilities),
        evidence=evidence,
        mix=role_mix(evidence),
        title=title.text if title is not None else None,
        title_label=title_label,
        title_disagrees=disagrees,
        decision=by_label(decision),
        intercept=by_label(intercept),
        remainder=by_label(remainder),
        low_confidence=not evidence,
        notes=[] if evidence else [NO_EVIDENCE_NOTE],
        unlisted_margin=unlisted_margin,
        source=source,
    )


def explain(
    model: RoleClassifier, texts: Sequence[str], sources: Sequence[str | None] | None = None
) -> list[Classification]:
    """Classify and explain raw texts."""
    docs = model.process(texts)
    names = list(sources) if sources is not None else [None] * len(docs)
    results = []
    for doc, source in zip(docs, names, strict=True):
        table = token_table(doc)  # read once for the terms, the phrases and the evidence
        occurrences = doc_occurrences(doc, model.ngram_max, table, strings=False)
        results.append(explain_doc(model, doc, occurrences, source, phrase_ranges(doc, table), table))
    return results
