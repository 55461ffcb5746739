"""Boilerplate sections (company blurb, benefits, how to apply...) stay out of the decision when asked."""

from __future__ import annotations

import itertools

import numpy
import pytest

from rolecls.sections import boilerplate_ranges

POSTING = (
    "What you'll do\n"
    "- Own the product roadmap and decide what the team builds next\n"
    "- Run discovery interviews with customers and turn them into priorities\n"
    "- Define success metrics for each release and report on outcomes\n"
)
PROJECT_LEANING_BLURB = (
    "We deliver construction projects and programmes for public clients on time and on budget. "
    "Our project managers plan schedules, track milestones and manage contractors and risks."
)
BENEFITS = "- A flexible schedule\n- An annual training budget\n- Paid PRINCE2 certification\n"


def skipped_texts(text: str) -> list[str]:
    return [text[start:end] for start, end in boilerplate_ranges(text)]


@pytest.mark.parametrize(
    "heading",
    [
        "About us",
        "## Benefits",
        "**What we offer:**",
        "WHO WE ARE",
        "<h2>Perks</h2>",
        "Equal opportunities",
        "INTERESTS",
    ],
)
def test_a_boilerplate_heading_starts_a_section_holding_the_block_under_it(heading):
    text = f"{POSTING}\n{heading}\n{PROJECT_LEANING_BLURB}\n\nRequirements\n- Five years in software"
    assert skipped_texts(text) == [f"{heading}\n{PROJECT_LEANING_BLURB}\n"]


def test_blank_lines_right_under_the_heading_stay_in_the_section():
    text = f"## Benefits\n\n{BENEFITS}\n## What you'll do\n- Own the roadmap"
    assert skipped_texts(text) == [f"## Benefits\n\n{BENEFITS}"]


def test_a_section_ends_at_the_next_heading_even_without_a_blank_line():
    text = f"About us\r\n{PROJECT_LEANING_BLURB}\r\nKey duties:\r\n- Own the roadmap"
    assert skipped_texts(text) == [f"About us\r\n{PROJECT_LEANING_BLURB}\r\n"]


def test_a_missing_end_heading_costs_at_most_one_block():
    duties = "In this role you will own the roadmap and run discovery with customers."
    text = f"About us\n{PROJECT_LEANING_BLURB}\n\n{duties}"
    assert skipped_texts(text) == [f"About us\n{PROJECT_LEANING_BLURB}\n"]


@pytest.mark.parametrize(
    "text",
    [
        "Benefits include health cover and a pension.",
        "About us: we plan projects for public clients.",
        "We offer great benefits\nand a flexible schedule.",
        "About the role\nOwn the roadmap.",
        "About you\nYou have planned budgets.",
        "Skills\nMS Project, Jira",
        "Requirements\n- PMP certification",
        "- Benefits\n- Education",
    ],
)
def test_mentions_and_duty_headings_start_no_section(text):
    assert boilerplate_ranges(text) == []


@pytest.fixture(scope="module")
def models(corpus):
    from rolecls.estimator import RoleClassifier

    sample = corpus.groupby("label").sample(60, random_state=1)
    texts, labels = sample.text.tolist(), sample.label.tolist()
    return {skip: RoleClassifier(skip_boilerplate=skip).fit(texts, labels) for skip in (False, True)}


def with_employer_sections(text: str) -> str:
    return f"About us\n{PROJECT_LEANING_BLURB}\n\n{text}\n**Benefits**\n{BENEFITS}"


def test_with_skip_boilerplate_employer_sections_do_not_move_the_scores(models):
    from rolecls.explain import explain

    model = models[True]
    plain, padded = explain(model, [POSTING, with_employer_sections(POSTING)])
    assert plain.scores == pytest.approx(padded.scores, abs=1e-12)
    assert numpy.allclose(model.predict_proba([POSTING]), model.predict_proba([with_employer_sections(POSTING)]))
    sections = boilerplate_ranges(with_employer_sections(POSTING))
    assert [(passage.start, passage.reason) for passage in padded.skipped] == [
        (start, "boilerplate section") for start, _ in sections
    ]
    assert not plain.skipped
    assert padded.evidence and all(
        not (start <= phrase.start < end) for phrase in padded.evidence for start, end in sections
    )


def test_without_skip_boilerplate_the_sections_are_read_and_the_duty_stage_finds_no_duty_in_them(models):
    from rolecls.explain import explain

    plain, padded = explain(models[False], [POSTING, with_employer_sections(POSTING)])
    assert all(passage.reason != "boilerplate section" for passage in padded.skipped)
    assert plain.scores == pytest.approx(padded.scores, abs=0.05)
    assert all(phrase.start >= with_employer_sections(POSTING).index(POSTING) for phrase in padded.evidence)


def test_heading_detection_takes_linear_time_on_long_runs_of_spaces():
    import time

    def slowest(size: int) -> float:
        texts = [
            "Benefits\nHealth cover," + " " * size + "gym.",
            "About us" + " " * size + "x",
            "Benefits\n**" + "*" * size + "x",
        ]
        times = []
        for _ in range(5):
            start = time.perf_counter()
            for text in texts:
                boilerplate_ranges(text)
            times.append(time.perf_counter() - start)
        return min(times)

    # Ten times the input: about ten times the time if linear, a hundred if quadratic.
    assert slowest(40_000) / slowest(4_000) < 40


@pytest.mark.parametrize(
    "text",
    [
        "We build apps\nperks\nfree lunch,\nand gym\n\nPlan the budget and track milestones.",
        "About us\n\nrun the budget and plan the roadmap",
        "Plan the budget\nwhat we offer\n\nfree lunch.",
        "Own the roadmap and\nbenefits\nfree lunch\nand run discovery with customers.",
    ],
)
def test_passages_not_read_and_evidence_never_overlap(models, text):
    from rolecls.explain import explain

    (result,) = explain(models[True], [text])
    spans = sorted([(p.start, p.end) for p in result.skipped] + [(p.start, p.end) for p in result.evidence])
    assert result.skipped and all(end <= start for (_, end), (start, _) in itertools.pairwise(spans))
    for passage in result.skipped:
        assert text[passage.start : passage.end] == passage.text
