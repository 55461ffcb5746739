"""The decision rests on responsibilities: swapping the role title changes nothing."""

from __future__ import annotations

import re

import pytest

from rolecls.explain import explain

SWAPS = {
    "product manager": "project manager",
    "project manager": "product manager",
    "product owner": "program manager",
    "program manager": "product owner",
}
PATTERN = re.compile("|".join(SWAPS), re.IGNORECASE)


def swap_titles(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        new = SWAPS[match.group(0).lower()]
        return new.title() if match.group(0)[0].isupper() else new

    return PATTERN.sub(replace, text)


def test_swapping_title_keeps_label_and_scores(shipped_model, corpus):
    titled = corpus[corpus.text.str.contains(PATTERN)].head(40)
    assert len(titled) >= 20
    originals = titled.text.tolist()
    swapped = [swap_titles(text) for text in originals]
    assert all(a != b for a, b in zip(originals, swapped, strict=True))
    for before, after in zip(explain(shipped_model, originals), explain(shipped_model, swapped), strict=True):
        assert after.label == before.label
        assert after.scores == pytest.approx(before.scores, abs=1e-12)


def test_swapping_title_in_a_written_posting(shipped_model):
    posting = (
        "We are hiring a Senior Product Manager. As Product Manager you will own the roadmap, "
        "interview customers and define pricing."
    )
    before, after = explain(shipped_model, [posting, swap_titles(posting)])
    assert "Project Manager" in swap_titles(posting)
    assert (after.label, after.scores) == (before.label, pytest.approx(before.scores, abs=1e-12))
