"""Explain decisions: every label's decision value, split exactly over the text's duty statements.

The decision is made from duty statements alone (``rolecls.decision``), each contributing its share of
every label's decision value; statements that are not duties contribute nothing. The evidence is the
duty statements themselves (trimmed of bullets and lead-in filler, ``rolecls.phrases``), with their
contributions; the duties too weak to list go to ``remainder``, so that the listed contributions plus
``remainder`` plus ``intercept`` add up to the decision value of every label.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from rolecls.decision import LABELS, SIDES, contributions, masses, role_mix
from rolecls.duties import StatementDuties, per_text, softmax, statement_duties
from rolecls.estimator import RoleClassifier
from rolecls.phrases import statement_phrases
from rolecls.preprocess import Batch
from rolecls.results import Classification, Evidence, Skipped

# Duties pulling less than this share of the strongest duty are left out of the evidence; their
# contributions go to ``remainder`` so that the decomposition stays exact.
MIN_EVIDENCE_SHARE = 0.05
# A lone word ("EXPERIENCE", "Requirements") is a heading, not a duty.
MIN_EVIDENCE_WORDS = 2
NEITHER_NOTE = "no product or project management duties found"
NO_EVIDENCE_NOTE = "no product or project management duties found: the label rests on the model's prior alone"


class Decisions(NamedTuple):
    """A batch's decisions and evidence as arrays (one row per text; evidence statements in display order).

    Label columns follow ``labels`` (product, project, hybrid, neither: those the model knows). Evidence
    rows are grouped by text, ``evidence_bounds[i]:evidence_bounds[i + 1]`` for text ``i``, and sorted as
    shown: for a product or project label the duties of that side first, then strongest first.
    ``evidence_pull`` is the product minus the project contribution: positive pulls toward product.
    ``duty_mass`` is each text's summed duty weight. :meth:`classifications` turns the arrays into
    :class:`Classification` objects; bulk scoring reads them directly.
    """

    texts: list[str]
    labels: list[str]
    predicted: np.ndarray  # column of each text's label in ``labels``
    probabilities: np.ndarray
    decision: np.ndarray
    intercept: np.ndarray
    remainder: np.ndarray
    unlisted_margin: np.ndarray
    mix: np.ndarray  # (texts, 2): product and project share of the duty weight
    duty_mass: np.ndarray
    titles: list[tuple[str, str] | None]  # text and side of each text's first role title
    evidence_bounds: np.ndarray
    evidence_start: np.ndarray  # character offsets in the text
    evidence_end: np.ndarray
    evidence_pull: np.ndarray
    evidence_contributions: np.ndarray  # (phrases, labels)
    evidence_margin: np.ndarray
    skipped: list[list[tuple[int, int, str]]]  # per text: character ranges not read, and why

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

    def warnings(self, index: int) -> list[str]:
        """Why to trust the result of text ``index`` less: it holds no duty, yet the model cannot say neither."""
        return [NO_EVIDENCE_NOTE] if self.duty_mass[index] == 0 and self.label(index) != "neither" else []

    def notes(self, index: int) -> list[str]:
        """What to know about the result of text ``index``: that it holds no duties, or why to trust it less."""
        return [NEITHER_NOTE] if self.label(index) == "neither" else self.warnings(index)

    def classifications(self, sources: Sequence[str | None]) -> list[Classification]:
        """One :class:`Classification` per text."""
        names = self.labels
        starts, ends = self.evidence_start.tolist(), self.evidence_end.tolist()
        pulls, margins = self.evidence_pull.tolist(), self.evidence_margin.tolist()
        shares = self.evidence_contributions.tolist()
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
                    contributions=by_label(shares[k]),
                    margin=margins[k],
                )
                for k in range(bounds[index], bounds[index + 1])
            ]
            notes = self.notes(index)
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
                    low_confidence=bool(self.warnings(index)),
                    notes=notes,
                    unlisted_margin=unlisted[index],
                    source=source,
                    skipped=[
                        Skipped(text[start:end], start, end, reason) for start, end, reason in self.skipped[index]
                    ],
                )
            )
        return results


def _decisions(model: RoleClassifier, batch: Batch, duties: StatementDuties) -> Decisions:
    """Classify and explain the texts of a read batch from their statements' duties."""
    stage = model.document_stage()
    classes = stage.classes
    if not set(SIDES) <= set(classes):
        raise ValueError(f"explanations need a model trained with both {SIDES} labels, not {classes}")
    documents = len(batch.texts)
    mass = masses(duties, documents)
    shares = contributions(stage, duties, mass)  # (statements, labels)
    decision = stage.intercept + per_text(shares, duties.document, documents)
    predicted = np.argmax(decision, axis=1)
    order = sorted(range(len(classes)), key=lambda i: (LABELS.index(classes[i]) if classes[i] in LABELS else 99, i))

    product, project = classes.index(SIDES[0]), classes.index(SIDES[1])
    pull = shares[:, product] - shares[:, project]
    strength = np.abs(pull)
    strength[duties.weight == 0] = 0.0  # other work speaks for neither only: it is not listed as evidence
    strongest = np.zeros(documents)
    np.maximum.at(strongest, duties.document, strength)
    phrases = statement_phrases(batch.table, batch.strings)
    words = np.concatenate([[0], np.cumsum(batch.table.alpha)])
    listed = np.flatnonzero(
        (duties.weight > 0)
        & (strength > 1e-9)
        & (strength >= MIN_EVIDENCE_SHARE * strongest[duties.document])
        & (words[phrases[:, 1]] - words[phrases[:, 0]] >= MIN_EVIDENCE_WORDS)
    )
    listed_doc = duties.document[listed]
    margins = np.abs(shares[np.arange(len(shares)), predicted[duties.document]] - shares.mean(axis=1))
    shown = per_text(shares[listed], listed_doc, documents)
    remainder = decision - stage.intercept - shown
    unlisted_margin = np.bincount(duties.document, weights=margins, minlength=documents) - np.bincount(
        listed_doc, weights=margins[listed], minlength=documents
    )
    # Display order within each text: the predicted side first (for product or project), strongest first,
    # then by position.
    label_side = np.array([SIDES.index(c) if c in SIDES else -1 for c in classes])[predicted][listed_doc]
    phrase_side = np.where(pull[listed] > 0, 0, 1)
    other_side = (label_side >= 0) & (phrase_side != label_side)
    shown_order = np.lexsort((phrases[listed, 0], -strength[listed], other_side, listed_doc))
    listed, listed_doc = listed[shown_order], listed_doc[shown_order]
    evidence_start, evidence_end = batch.table.char_span(phrases[listed, 0], phrases[listed, 1])
    return Decisions(
        texts=list(batch.texts),
        labels=[classes[i] for i in order],
        predicted=np.argsort(order)[predicted],
        probabilities=softmax(decision)[:, order],
        decision=decision[:, order],
        intercept=np.asarray(stage.intercept)[order],
        remainder=remainder[:, order],
        unlisted_margin=unlisted_margin,
        mix=role_mix(mass),
        duty_mass=mass[:, :2].sum(axis=1),
        titles=[batch.title(document) for document in range(documents)],
        evidence_bounds=np.searchsorted(listed_doc, np.arange(documents + 1)),
        evidence_start=evidence_start,
        evidence_end=evidence_end,
        evidence_pull=pull[listed],
        evidence_contributions=shares[listed][:, order],
        evidence_margin=margins[listed],
        skipped=batch.skipped,
    )


def decide(model: RoleClassifier, texts: Sequence[str]) -> Decisions:
    """Classify and explain raw texts in one batch, as arrays (see :class:`Decisions`)."""
    batch = model.read(texts)
    duties = statement_duties(model.duty_weights(), batch, model.terms(batch))
    return _decisions(model, batch, duties)


def explain(
    model: RoleClassifier, texts: Sequence[str], sources: Sequence[str | None] | None = None
) -> list[Classification]:
    """Classify and explain raw texts (in one batch: their tokens are read into one table)."""
    decisions = decide(model, texts)
    names = list(sources) if sources is not None else [None] * len(decisions.texts)
    return decisions.classifications(names)
