"""Explain decisions: split each class's decision value exactly over the document's statements.

The model is linear over L2-normalised TF-IDF term counts, so every occurrence of a term
adds ``coef[:, j] * idf[j] / norm`` to the decision values. Summing occurrences per
statement gives each phrase's contribution; these plus the intercept equal the model's
decision value for every class.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from spacy.tokens import Doc, Span

from rolecls.estimator import LABELS, RoleClassifier
from rolecls.features import Occurrence
from rolecls.preprocess import TITLE_SPANS_KEY
from rolecls.results import Classification, Evidence

_BULLET_LIKE = frozenset("•·▪▫►▸◦●○■□‣⁃✓✔➢➤-–—*+>#|")
_TRAILING = frozenset({".", ",", ";", ":", "!", "?", "…", "-", "–", "—", "*", "|"})
SIDES = ("product", "project")
# Phrases pulling less than this share of the strongest phrase are left out of the evidence;
# their contributions go to ``remainder`` so that the decomposition stays exact.
MIN_EVIDENCE_SHARE = 0.05


def statement_contributions(model: RoleClassifier, doc: Doc, occurrences: Sequence[Occurrence]) -> np.ndarray:
    """Per-statement contributions to each class's decision value, shape (statements, classes)."""
    vocabulary = model.vectorizer_.vocabulary_
    idf = model.vectorizer_.idf_
    coef, _ = model.coefficients()
    n_statements = sum(1 for _ in doc.sents)
    contributions = np.zeros((n_statements, len(model.classes_)))
    columns = [(vocabulary.get(found.term), found.statement) for found in occurrences]
    known = [(column, statement) for column, statement in columns if column is not None]
    if not known:
        return contributions
    features = np.fromiter((column for column, _ in known), dtype=np.int64, count=len(known))
    rows = np.fromiter((statement for _, statement in known), dtype=np.int64, count=len(known))
    counts = np.bincount(features, minlength=len(idf))
    norm = float(np.sqrt(np.sum((counts * idf) ** 2)))
    weights = idf[features] / norm
    np.add.at(contributions, rows, (coef[:, features] * weights).T)
    return contributions


def phrase_bounds(statement: Span) -> tuple[int, int] | None:
    """Character bounds of a statement without leading bullets, markup and trailing punctuation."""
    tokens = [
        token
        for token in statement
        if not (token.is_space or token._.is_markup or (token.is_punct and token.text[0] in _BULLET_LIKE))
    ]
    while tokens and tokens[-1].text in _TRAILING:
        tokens.pop()
    while tokens and tokens[0].is_punct and tokens[0].text not in "([\"'“‘":
        tokens.pop(0)
    if not tokens:
        return None
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def role_mix(evidence: Sequence[Evidence]) -> dict[str, float]:
    """Share of product versus project pull among the evidence phrases (sums to 1, or 0 if none)."""
    pulls = {side: 0.0 for side in SIDES}
    for phrase in evidence:
        difference = phrase.contributions.get("product", 0.0) - phrase.contributions.get("project", 0.0)
        pulls["product" if difference > 0 else "project"] += abs(difference)
    total = sum(pulls.values())
    return {side: (pull / total if total > 0 else 0.0) for side, pull in pulls.items()}


def explain_doc(
    model: RoleClassifier, doc: Doc, occurrences: Sequence[Occurrence], source: str | None = None
) -> Classification:
    """Classify one processed document and attribute its decision to its phrases."""
    classes = [str(label) for label in model.classes_]
    if not set(SIDES) <= set(classes):
        raise ValueError(f"explanations need a model trained with both {SIDES} labels, not {classes}")
    contributions = statement_contributions(model, doc, occurrences)
    _, intercept = model.coefficients()
    decision = contributions.sum(axis=0) + intercept
    probabilities = model.proba_from_decision(decision[np.newaxis, :])[0]
    label = classes[int(np.argmax(decision))]
    order = sorted(range(len(classes)), key=lambda i: (LABELS.index(classes[i]) if classes[i] in LABELS else 99, i))

    def by_label(values: np.ndarray) -> dict[str, float]:
        return {classes[i]: float(values[i]) for i in order}

    sides = [classes.index(side) for side in SIDES]
    candidates: list[Evidence] = []
    remainder = np.zeros(len(classes))
    for statement, row in zip(doc.sents, contributions, strict=True):
        pull = float(row[sides[0]] - row[sides[1]])
        bounds = phrase_bounds(statement)
        if bounds is None or abs(pull) <= 1e-9:
            remainder += row
            continue
        start, end = bounds
        candidates.append(
            Evidence(
                text=doc.text[start:end],
                start=start,
                end=end,
                label=SIDES[0] if pull > 0 else SIDES[1],
                weight=abs(pull),
                contributions=by_label(row),
            )
        )
    strongest = max((phrase.weight for phrase in candidates), default=0.0)
    phrases = []
    for phrase in candidates:
        if phrase.weight >= MIN_EVIDENCE_SHARE * strongest:
            phrases.append(phrase)
        else:
            remainder += np.array([phrase.contributions[name] for name in classes])
    # Phrases for the predicted side come first, strongest first; for hybrid, both sides by strength.
    phrases.sort(key=lambda phrase: (label in SIDES and phrase.label != label, -phrase.weight, phrase.start))

    titles = doc.spans.get(TITLE_SPANS_KEY, [])
    title = titles[0] if len(titles) else None
    title_label = title.label_ if title is not None else None
    disagrees = title_label in SIDES and label in SIDES and title_label != label
    return Classification(
        label=label,
        scores=by_label(probabilities),
        evidence=phrases,
        mix=role_mix(phrases),
        title=title.text if title is not None else None,
        title_label=title_label,
        title_disagrees=disagrees,
        decision=by_label(decision),
        intercept=by_label(intercept),
        remainder=by_label(remainder),
        source=source,
    )


def explain(
    model: RoleClassifier, texts: Sequence[str], sources: Sequence[str | None] | None = None
) -> list[Classification]:
    """Classify and explain raw texts."""
    docs = model.process(texts)
    names = list(sources) if sources is not None else [None] * len(docs)
    return [
        explain_doc(model, doc, found, source)
        for doc, found, source in zip(docs, model.occurrences(docs), names, strict=True)
    ]
