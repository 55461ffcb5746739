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

from rolecls.estimator import RoleClassifier
from rolecls.features import Occurrence
from rolecls.preprocess import TITLE_SPANS_KEY
from rolecls.results import Classification, Evidence

_BULLET_LIKE = frozenset("•·▪▫►▸◦●○■□‣⁃✓✔➢➤-–—*+>#|")
_TRAILING = frozenset({".", ",", ";", ":", "!", "?", "…", "-", "–", "—", "*", "|"})
SIDES = ("product", "project")


def statement_contributions(model: RoleClassifier, doc: Doc, occurrences: Sequence[Occurrence]) -> np.ndarray:
    """Per-statement contributions to each class's decision value, shape (statements, classes)."""
    vocabulary = model.vectorizer_.vocabulary_
    idf = model.vectorizer_.idf_
    coef = model.classifier_.coef_
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
    contributions = statement_contributions(model, doc, occurrences)
    intercept = model.classifier_.intercept_
    decision = contributions.sum(axis=0) + intercept
    probabilities = model.proba_from_decision(decision[np.newaxis, :])[0]
    label = classes[int(np.argmax(decision))]
    predicted = classes.index(label)

    evidence: list[tuple[float, Evidence]] = []
    sides = [classes.index(side) for side in SIDES]
    for statement, row in zip(doc.sents, contributions, strict=True):
        pull = float(row[sides[0]] - row[sides[1]])
        if abs(pull) <= 1e-9:
            continue
        bounds = phrase_bounds(statement)
        if bounds is None:
            continue
        start, end = bounds
        phrase = Evidence(
            text=doc.text[start:end],
            start=start,
            end=end,
            label=SIDES[0] if pull > 0 else SIDES[1],
            weight=abs(pull),
            contributions={name: float(value) for name, value in zip(classes, row, strict=True)},
        )
        support = abs(pull) if label not in SIDES else float(row[predicted] - row.mean())
        evidence.append((support, phrase))
    evidence.sort(key=lambda pair: (-pair[0], pair[1].start))
    phrases = [phrase for _, phrase in evidence]

    titles = doc.spans.get(TITLE_SPANS_KEY, [])
    title = titles[0] if len(titles) else None
    title_label = title.label_ if title is not None else None
    disagrees = title_label in SIDES and label in SIDES and title_label != label
    return Classification(
        label=label,
        scores={name: float(p) for name, p in zip(classes, probabilities, strict=True)},
        evidence=phrases,
        mix=role_mix(phrases),
        title=title.text if title is not None else None,
        title_label=title_label,
        title_disagrees=disagrees,
        decision={name: float(value) for name, value in zip(classes, decision, strict=True)},
        intercept={name: float(value) for name, value in zip(classes, intercept, strict=True)},
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
