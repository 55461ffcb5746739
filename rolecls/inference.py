"""Classify texts with a model: the entry points the CLI and Python users share."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from rolecls.errors import LanguageWarning, TruncationWarning
from rolecls.estimator import RoleClassifier
from rolecls.explain import explain
from rolecls.persistence import load_model
from rolecls.reading import NON_ENGLISH_NOTE, prepare_text
from rolecls.results import Classification

_loaded: dict[str, RoleClassifier] = {}
PARALLEL_CHUNK = 64

ModelLike = RoleClassifier | str | Path | None


def get_model(model: ModelLike = None) -> RoleClassifier:
    """A fitted model: ``model`` itself, the model at a path, or the shipped model (loaded once)."""
    if isinstance(model, RoleClassifier):
        return model
    key = str(model) if model is not None else ""
    if key not in _loaded:
        _loaded[key] = load_model(model)
    return _loaded[key]


def _explain_parallel(
    model: RoleClassifier, texts: list[str], names: list[str | None], n_jobs: int
) -> list[Classification]:
    """``explain`` over the texts, split across ``n_jobs`` worker processes when there is enough work."""
    if n_jobs == 1 or len(texts) < 2 * PARALLEL_CHUNK:
        return explain(model, texts, names)
    from joblib import Parallel, delayed

    bounds = range(0, len(texts), PARALLEL_CHUNK)
    chunks = Parallel(n_jobs=n_jobs)(
        delayed(explain)(model, texts[i : i + PARALLEL_CHUNK], names[i : i + PARALLEL_CHUNK]) for i in bounds
    )
    return [result for chunk in chunks for result in chunk]


def classify(text: str, model: ModelLike = None, source: str | None = None) -> Classification:
    """Classify one posting or resume and explain the decision."""
    return _classify_many([text], model, [source], 1)[0]


def classify_many(
    texts: Sequence[str], model: ModelLike = None, sources: Sequence[str | None] | None = None, n_jobs: int = 1
) -> list[Classification]:
    """Classify many texts in batches; raises ``InputError`` for an empty text.

    Texts over ``rolecls.limits.MAX_CHARS`` characters are cut at the last whitespace before it
    (``TruncationWarning`` and a note); a text that does not look like English gets ``low_confidence``,
    a note and a ``LanguageWarning``. ``n_jobs`` > 1 (or -1 for every core) spreads the work over
    worker processes in chunks of ``PARALLEL_CHUNK`` texts; results keep the input order.
    """
    if isinstance(texts, str):
        raise TypeError("classify_many takes a list of texts; use classify for one text")
    return _classify_many(texts, model, sources, n_jobs)


def _classify_many(
    texts: Sequence[str], model: ModelLike, sources: Sequence[str | None] | None, n_jobs: int
) -> list[Classification]:
    for text in texts:
        if not isinstance(text, str):
            raise TypeError(f"rolecls classifies texts (str), not {type(text).__name__}")
    names: list[str | None] = list(sources) if sources is not None else [None] * len(texts)
    prepared = []
    for index, (text, name) in enumerate(zip(texts, names, strict=True)):
        # messages name the text: by its source, its place in the list, or plainly "text" when it is alone
        label = name or (f"text {index}" if len(texts) > 1 else "text")
        kept, notes, non_english = prepare_text(text, label)
        for note in notes:
            category = LanguageWarning if note == NON_ENGLISH_NOTE else TruncationWarning
            warnings.warn(f"{label}: {note}", category, stacklevel=3)  # the caller of classify(_many)
        prepared.append((kept, notes, non_english))
    results = _explain_parallel(get_model(model), [kept for kept, _, _ in prepared], names, n_jobs)
    for index, (result, (_, notes, non_english)) in enumerate(zip(results, prepared, strict=True)):
        if notes:
            results[index] = replace(
                result, low_confidence=result.low_confidence or non_english, notes=[*notes, *result.notes]
            )
    return results
