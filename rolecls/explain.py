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
from rolecls.features import Occurrence, doc_occurrences
from rolecls.phrases import PHRASE_SPANS_KEY, phrase_ranges
from rolecls.preprocess import TITLE_SPANS_KEY, doc_text, token_strings
from rolecls.results import Classification, Evidence

SIDES = ("product", "project")
# Phrases pulling less than this share of the strongest phrase are left out of the evidence;
# their contributions go to ``remainder`` so that the decomposition stays exact.
MIN_EVIDENCE_SHARE = 0.05
# A lone word ("EXPERIENCE", "Requirements") is a heading, not a responsibility.
MIN_EVIDENCE_WORDS = 2
NO_EVIDENCE_NOTE = "no responsibility phrase the model knows: the label rests on the model's prior alone"


def unit_contributions(
    model: RoleClassifier, doc: Doc, occurrences: Sequence[Occurrence], phrases: Sequence[tuple[int, int]]
) -> np.ndarray:
    """Contributions to each class's decision value, one row per phrase plus a last row for the rest.

    A term occurrence belongs to the phrase that holds all its tokens; occurrences in lead-in
    filler, headings or across two phrases go to the last row.
    """
    vocabulary = model.vectorizer_.vocabulary_
    idf = model.vectorizer_.idf_
    coef, _ = model.coefficients()
    outside = len(phrases)
    contributions = np.zeros((outside + 1, len(model.classes_)))
    token_unit = np.full(len(doc), outside, dtype=np.int64)
    for index, (start, end) in enumerate(phrases):
        token_unit[start:end] = index
    known = [
        (column, found.first_token, found.last_token)
        for found in occurrences
        if (column := vocabulary.get(found.term)) is not None
    ]
    if not known:
        return contributions
    columns = np.array(known, dtype=np.int64)
    features, first, last = columns[:, 0], columns[:, 1], columns[:, 2]
    units = np.where(token_unit[first] == token_unit[last], token_unit[first], outside)
    counts = np.bincount(features, minlength=len(idf))
    norm = float(np.sqrt(np.sum((counts * idf) ** 2)))
    weights = idf[features] / norm
    np.add.at(contributions, units, (coef[:, features] * weights).T)
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
    occurrences: Sequence[Occurrence],
    source: str | None = None,
    phrases: Sequence[tuple[int, int]] | None = None,
) -> Classification:
    """Classify one processed document and attribute its decision to its phrases (token ranges).

    Without ``phrases``, they come from ``doc.spans["phrases"]`` or are computed.
    """
    classes = [str(label) for label in model.classes_]
    if not set(SIDES) <= set(classes):
        raise ValueError(f"explanations need a model trained with both {SIDES} labels, not {classes}")
    if phrases is None:
        spans = doc.spans.get(PHRASE_SPANS_KEY)
        phrases = [(span.start, span.end) for span in spans] if spans is not None else phrase_ranges(doc)
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
    alpha = np.cumsum(np.concatenate([[0], doc.to_array("IS_ALPHA")]))
    text = doc_text(doc)
    starts = doc.to_array("IDX").tolist()
    bounds = [(start, end, starts[start], starts[end - 1] + len(doc[end - 1].text)) for start, end in phrases]
    listed = [
        index
        for index, pull in enumerate(pulls)
        if abs(pull) > 1e-9
        and abs(pull) >= MIN_EVIDENCE_SHARE * strongest
        and alpha[bounds[index][1]] - alpha[bounds[index][0]] >= MIN_EVIDENCE_WORDS
    ]
    evidence = [
        Evidence(
            text=text[bounds[index][2] : bounds[index][3]],
            start=bounds[index][2],
            end=bounds[index][3],
            label=SIDES[0] if pulls[index] > 0 else SIDES[1],
            weight=float(abs(pulls[index])),
            contributions=by_label(contributions[index]),
            margin=float(margins[index]),
        )
        for index in listed
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
        strings = token_strings(doc)  # read once for the terms and the phrases
        occurrences = doc_occurrences(doc, model.ngram_max, strings)
        results.append(explain_doc(model, doc, occurrences, source, phrase_ranges(doc, strings)))
    return results
