"""Classify texts with a model: the entry points the CLI and Python users share."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rolecls.estimator import RoleClassifier
from rolecls.explain import explain
from rolecls.persistence import load_model
from rolecls.reading import check_text
from rolecls.results import Classification

_loaded: dict[str, RoleClassifier] = {}

ModelLike = RoleClassifier | str | Path | None


def get_model(model: ModelLike = None) -> RoleClassifier:
    """A fitted model: ``model`` itself, the model at a path, or the shipped model (loaded once)."""
    if isinstance(model, RoleClassifier):
        return model
    key = str(model) if model is not None else ""
    if key not in _loaded:
        _loaded[key] = load_model(model)
    return _loaded[key]


def classify(text: str, model: ModelLike = None, source: str | None = None) -> Classification:
    """Classify one posting or resume and explain the decision."""
    return classify_many([text], model, [source])[0]


def classify_many(
    texts: Sequence[str], model: ModelLike = None, sources: Sequence[str | None] | None = None
) -> list[Classification]:
    """Classify many texts in batches; raises ``InputError`` for an empty text."""
    names = list(sources) if sources is not None else [None] * len(texts)
    for index, (text, name) in enumerate(zip(texts, names, strict=True)):
        check_text(text, name or f"text {index}")
    return explain(get_model(model), texts, names)
