"""Classify texts with a model: the entry points the CLI and Python users share."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from rolecls.errors import LanguageWarning, TruncationWarning
from rolecls.estimator import RoleClassifier
from rolecls.explain import explain
from rolecls.limits import MAX_CHARS, looks_non_english, truncate
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
    """Classify many texts in batches; raises ``InputError`` for an empty text.

    Texts over ``rolecls.limits.MAX_CHARS`` characters are cut there (``TruncationWarning``); a text
    that does not look like English gets ``low_confidence`` and a ``LanguageWarning``.
    """
    names = list(sources) if sources is not None else [None] * len(texts)
    prepared = []
    for index, (text, name) in enumerate(zip(texts, names, strict=True)):
        label = name or f"text {index}"
        check_text(text, label)
        kept, truncated = truncate(text, MAX_CHARS)
        if truncated:
            warnings.warn(
                f"{label}: longer than {MAX_CHARS:,} characters; only the first {len(kept):,} are classified",
                TruncationWarning,
                stacklevel=2,
            )
        prepared.append(kept)
    results = explain(get_model(model), prepared, names)
    for index, (text, result) in enumerate(zip(prepared, results, strict=True)):
        if looks_non_english(text):
            note = "the text does not look like English; rolecls reads English postings, so trust this result less"
            warnings.warn(f"{names[index] or f'text {index}'}: {note}", LanguageWarning, stacklevel=2)
            results[index] = replace(result, low_confidence=True, notes=[*result.notes, note])
    return results
