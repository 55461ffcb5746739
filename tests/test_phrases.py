"""Evidence phrases: each statement without bullets, lead-in filler or end punctuation, with exact offsets."""

from __future__ import annotations

import pytest

from rolecls.phrases import statement_phrases
from rolecls.preprocess import read_batch


def phrases(text: str) -> list[str]:
    batch = read_batch([text])
    table = batch.table
    found = []
    for start, end in statement_phrases(table, batch.strings).tolist():
        if end > start:
            first, last = int(table.idx[start]), int(table.idx[end - 1] + table.length[end - 1])
            found.append(text[first:last])
    return found


def test_bullets_and_end_punctuation_are_trimmed():
    assert phrases("- Own the product roadmap.\n• Track milestones and budget;") == [
        "Own the product roadmap",
        "Track milestones and budget",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "You will own the product roadmap.",
        "You'll own the product roadmap.",
        "The successful candidate will own the product roadmap.",
        "Responsible for own the product roadmap.",
        "I own the product roadmap.",
        "And then you will also own the product roadmap.",  # one filler after another
        "- You will be responsible for: own the product roadmap.",  # the longest filler, then punctuation
        "In this role, you will own the product roadmap.",
    ],
)
def test_lead_in_filler_is_trimmed(text):
    assert phrases(text) == ["own the product roadmap"]


def test_a_duty_is_never_cut_in_two():
    text = "Ran the risk log and reported progress to the steering group, then chaired reviews."
    assert phrases(text) == ["Ran the risk log and reported progress to the steering group, then chaired reviews"]
    assert phrases("Define the product strategy and launch plans") == ["Define the product strategy and launch plans"]


def test_offsets_hold_for_markup_entities_tabs_and_crlf():
    text = "**Own**\tthe roadmap &amp; pricing\r\n* Track the budget — and manage vendors\r\n"
    found = phrases(text)
    assert found == ["Own**\tthe roadmap &amp; pricing", "Track the budget — and manage vendors"]
    assert all(phrase in text for phrase in found)


def test_a_filler_is_trimmed_only_when_words_follow_it():
    # "you will be responsible for" would leave nothing, so the longest filler that leaves a word goes
    assert phrases("You will be responsible for") == ["be responsible for"]
