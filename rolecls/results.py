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
    share of every class's decision value.
    """

    text: str
    start: int
    end: int
    label: str
    weight: float
    contributions: dict[str, float]


@dataclass(frozen=True)
class Classification:
    """The label of one text, the probability of every label, and the evidence for it.

    ``decision`` holds the model's decision value per label; it equals ``intercept`` plus the
    ``contributions`` of every evidence phrase plus ``remainder`` (the text not shown as evidence).
    ``scores`` is the softmax of ``decision``. ``mix`` is the share of product versus project pull
    among the evidence phrases.
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
    source: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """A plain dict (JSON-serialisable)."""
        return asdict(self)

    def to_json(self, **kwargs: Any) -> str:
        """The result as a JSON object."""
        return json.dumps(self.to_dict(), ensure_ascii=False, **kwargs)
