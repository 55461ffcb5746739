"""Evidence phrases: clauses a person recognises as responsibilities, with exact offsets."""

from __future__ import annotations

import pytest

from rolecls.phrases import PHRASE_SPANS_KEY
from rolecls.preprocess import process


def phrases(text: str) -> list[str]:
    doc = process([text])[0]
    found = [span.text for span in doc.spans[PHRASE_SPANS_KEY]]
    for span in doc.spans[PHRASE_SPANS_KEY]:
        assert text[span.start_char : span.end_char] == span.text
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


def test_coordinated_responsibilities_become_separate_phrases():
    assert phrases("Ran the risk log and reported progress to the steering group, then chaired reviews.") == [
        "Ran the risk log",
        "reported progress to the steering group",
        "chaired reviews",
    ]


def test_a_list_inside_one_clause_stays_whole():
    assert phrases("Manage scope, schedule, budget and risks for the programme.") == [
        "Manage scope, schedule, budget and risks for the programme"
    ]


def test_a_colon_after_a_label_starts_a_new_phrase():
    assert phrases("Control the capital budget: forecast spend monthly and reported variances to the board") == [
        "Control the capital budget",
        "forecast spend monthly",
        "reported variances to the board",
    ]


def test_a_noun_that_can_be_a_verb_does_not_split_a_clause():
    assert phrases("Forecast spend and budget for the programme") == ["Forecast spend and budget for the programme"]


def test_offsets_hold_for_markup_entities_tabs_and_crlf():
    text = "**Own**\tthe roadmap &amp; pricing\r\n* Track the budget — and manage vendors\r\n"
    found = phrases(text)
    assert "manage vendors" in found
    assert all(text.count(phrase) >= 1 for phrase in found)


def test_a_list_of_activities_stays_one_phrase():
    assert phrases("Work with marketing on positioning, pricing and the launch plan.") == [
        "Work with marketing on positioning, pricing and the launch plan"
    ]


def test_a_filler_is_trimmed_only_when_words_follow_it():
    # "you will be responsible for" would leave nothing, so the longest filler that leaves a word goes
    assert phrases("You will be responsible for") == ["be responsible for"]


def test_a_verb_after_and_also_starts_a_new_phrase():
    assert phrases("Own the product roadmap and also manage the release schedule.") == [
        "Own the product roadmap",
        "manage the release schedule",
    ]
