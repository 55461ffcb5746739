"""Result objects: a classification with its evidence, convertible to dicts and JSON."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Evidence:
    """A responsibility phrase and how it moved the decision.

    ``text == input[start:end]`` for the input exactly as given. ``label`` is the side the
    phrase pulls toward (``product`` or ``project``) and ``weight`` how strongly: the gap it
    adds between the product and project decision values. ``contributions`` holds its exact
    share of every class's decision value; ``margin`` is how far it moves the predicted label's
    decision value away from the mean of all labels (absolute; see ``decision_share``).
    """

    text: str
    start: int
    end: int
    label: str
    weight: float
    contributions: dict[str, float]
    margin: float = 0.0

    def span(self) -> dict[str, Any]:
        """The phrase as a compact record: ``text``, ``start``, ``end``, ``label``, ``weight``."""
        return {"text": self.text, "start": self.start, "end": self.end, "label": self.label, "weight": self.weight}


@dataclass(frozen=True)
class Skipped:
    """A passage the model did not read, and why (``text == input[start:end]``).

    ``reason`` is ``"boilerplate section"`` (text under a heading such as "About us" or "Benefits") or
    ``"employer's voice"`` (a statement in which the employer describes itself).
    """

    text: str
    start: int
    end: int
    reason: str


@dataclass(frozen=True)
class Classification:
    """The label of one text, the probability of every label, and the evidence for it.

    ``decision`` holds the model's decision value per label; it equals ``intercept`` plus the
    ``contributions`` of every evidence phrase plus ``remainder`` (the text not shown as evidence).
    ``scores`` is the softmax of ``decision``. ``mix`` is the share of product versus project pull
    among the evidence phrases. ``low_confidence`` is set when the result deserves less trust than its
    scores suggest (for example a text that is not in English); ``notes`` say why. ``skipped`` lists
    the passages that were not read because they describe the employer or the person, not the role.
    """

    label: str
    scores: dict[str, float]
    evidence: list[Evidence]
    mix: dict[str, float]
    title: str | None = None
    title_label: str | None = None
    title_disagrees: bool = False
    decision: dict[str, float] = field(default_factory=dict)
    intercept: dict[str, float] = field(default_factory=dict)
    remainder: dict[str, float] = field(default_factory=dict)
    unlisted_margin: float = 0.0
    source: str | None = None
    low_confidence: bool = False
    notes: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def decision_share(self, top: int | None = None) -> float:
        """Share of the decision (summed absolute margins) carried by the first ``top`` phrases."""
        shown = self.evidence if top is None else self.evidence[:top]
        total = sum(phrase.margin for phrase in self.evidence) + self.unlisted_margin
        return sum(phrase.margin for phrase in shown) / total if total > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        """A plain dict (JSON-serialisable); ``evidence_share`` is the share of the decision its phrases carry."""
        record = asdict(self)
        record["evidence_share"] = self.decision_share()
        return record

    def to_json(self, **kwargs: Any) -> str:
        """The result as a JSON object."""
        return json.dumps(self.to_dict(), ensure_ascii=False, **kwargs)
