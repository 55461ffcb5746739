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


def test_titles_found_core_first_are_the_matches_of_the_title_pattern(corpus):
    import random
    import re

    from rolecls.titles import TITLE_PATTERN, find_role_titles

    words = (
        "senior sr. junior jr lead principal staff associate assistant group chief global regional digital technical "
        "tech it deputy interim contract product project program programme portfolio delivery manager managers "
        "owner leader director head management strategist coordinator co-ordinator officer analyst administrator "
        "specialist controller of vp vice president pmo projects programs x the and Senior PRODUCT Manager"
    ).split()
    rng = random.Random(7)
    texts = [t for t in corpus.text.tolist()[:400] if not re.search(r"[a-z][A-Z]", t)]
    texts += [" ".join(rng.choice(words) for _ in range(rng.randint(1, 9))) for _ in range(20000)]
    for text in texts:
        expected = [
            (m.start(), m.end(), "product" if m.group("product") else "project") for m in TITLE_PATTERN.finditer(text)
        ]
        found = [title for title in find_role_titles(text) if text[title[0] : title[1]].lower() not in {"pm", "pms"}]
        if "PM" not in text and "CPO" not in text and "APM" not in text:
            assert found == expected, text
