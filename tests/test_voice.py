"""Statements in the employer's voice ("We build products...") stay out of the decision when asked."""

from __future__ import annotations

import numpy
import pytest

from rolecls.preprocess import EMPLOYER_VOICE, read_batch


def voiced_statements(text: str) -> list[str]:
    batch = read_batch([text], skip_boilerplate=False, skip_employer_voice=True)
    return [text[start:end] for start, end, reason in batch.skipped[0] if reason == EMPLOYER_VOICE]


DUTIES = "Own the roadmap and run discovery with customers."


@pytest.mark.parametrize(
    "statement",
    [
        "We build software products that millions of customers use every day.",
        "We're a studio of 85 with a bias toward small teams.",
        "Our project teams plan schedules and manage contractors.",
        "Acme is a construction group delivering public projects.",
        "Northwind was the first bank to open in the valley.",
    ],
)
def test_an_employer_describing_itself_is_not_read(statement):
    assert voiced_statements(f"{statement}\n{DUTIES}") == [statement]


@pytest.mark.parametrize(
    "statement",
    [
        "We are looking for someone to own the roadmap.",
        "We need a manager to plan the budget and schedule.",
        "Our new manager will own the product roadmap.",
        "We expect you to run discovery.",
        "Our ideal candidate has planned large budgets.",
        "Together we delivered the programme on time, under my leadership.",
        "Acme is hiring a manager to plan projects.",
        "Plan the schedule and track milestones.",
        "Experience with discovery is essential.",
    ],
)
def test_statements_about_the_role_or_the_person_are_read(statement):
    assert voiced_statements(f"{statement}\n{DUTIES}") == []


def test_a_long_run_on_statement_is_read():
    run_on = "we build products " + "and plan projects " * 20
    assert voiced_statements(f"{run_on}.\n{DUTIES}") == []


def test_a_document_with_nothing_else_is_read_whole():
    assert voiced_statements("We build products. Our teams ship weekly.") == []


@pytest.fixture(scope="module")
def models(corpus):
    from rolecls.estimator import RoleClassifier

    sample = corpus.groupby("label").sample(60, random_state=2)
    texts, labels = sample.text.tolist(), sample.label.tolist()
    return {skip: RoleClassifier(skip_employer_voice=skip).fit(texts, labels) for skip in (False, True)}


BLURB = (
    "We deliver construction projects and programmes for public clients on time and on budget. "
    "Our project teams plan schedules, track milestones and manage contractors and risks.\n"
)
POSTING = (
    "- Own the product roadmap and decide what the team builds next\n"
    "- Run discovery interviews with customers and turn them into priorities\n"
)


def test_with_skip_employer_voice_a_blurb_without_heading_does_not_move_the_scores(models):
    from rolecls.explain import explain

    plain, padded = explain(models[True], [POSTING, BLURB + POSTING])
    assert plain.scores == pytest.approx(padded.scores, abs=1e-12)
    assert padded.evidence and all(phrase.start >= len(BLURB) for phrase in padded.evidence)
    assert numpy.allclose(models[True].predict_proba([POSTING]), models[True].predict_proba([BLURB + POSTING]))


def test_without_skip_employer_voice_a_blurb_is_read(models):
    plain, padded = models[False].predict_proba([POSTING, BLURB + POSTING])
    assert not numpy.allclose(plain, padded)
