"""Text that is not a duty has no say: pay, location, benefits, blurbs, requirements and traits leave the decision be.

The lines below were written for this test (they are not in the statement bank). Each block leans to one
side by its words, as real postings' non-duty text often does; it is appended to documents of the other
side, where it would pull hardest if it were read as duties.
"""

from __future__ import annotations

import numpy as np
import pytest

LEANING_PRODUCT = [
    "Salary: $150,000 - $185,000 base plus equity, Product Management band P4",
    "Location: remote within the EU; the product and design teams meet in Porto twice a year",
    "We offer a yearly budget for product conferences, books and user research courses",
    "Founded in 2015, Brightloop builds apps that help 4 million people budget and save",
    "Experience owning a product roadmap and prioritising a backlog by customer value",
    "You have run discovery interviews, A/B tests and pricing experiments before",
    "Strong product sense, curiosity about users and comfort with ambiguity",
    "Certified Scrum Product Owner (CSPO) or similar is a plus",
    "Please send a short note about a product you launched and what you learnt from it",
    "Tools we use: Amplitude, Figma, Productboard, Jira",
]
LEANING_PROJECT = [
    "Salary: £52,000 per annum (Project Manager, Grade 7), plus overtime for site visits",
    "Based at the Riverside construction site with travel to our Leeds office; 12-month fixed-term contract",
    "Benefits include a funded PRINCE2 Practitioner course and paid PMP exam fees",
    "Hollis & Grant is a main contractor delivering schools, hospitals and rail projects across the north",
    "Proven experience managing project budgets over £5m, schedules and RAID logs",
    "Familiarity with MS Project, Primavera P6 and earned value reporting",
    "Highly organised, calm under pressure and never misses a deadline",
    "Track record of delivering programmes on time and within budget for public-sector clients",
    "Applications close on 14 March; interviews will be held at our head office the following week",
    "This job description is not exhaustive and may change in line with the needs of the programme",
]


@pytest.fixture(scope="module")
def documents(corpus):
    sided = corpus[(corpus.origin == "handwritten") & corpus.label.isin(["product", "project", "hybrid"])]
    return sided.groupby("label").sample(40, random_state=11)


def appended(text: str, label: str) -> str:
    block = LEANING_PROJECT if label == "product" else LEANING_PRODUCT
    return text + "\n\nAbout the role and you\n" + "\n".join(block) + "\n"


def test_non_duty_lines_that_lean_either_way_move_the_label_probability_by_at_most_005(shipped_model, documents):
    texts, labels = documents.text.tolist(), documents.label.tolist()
    padded = [appended(text, label) for text, label in zip(texts, labels, strict=True)]
    before, after = shipped_model.predict_proba(texts), shipped_model.predict_proba(padded)
    predicted = np.argmax(before, axis=1)
    moved = np.abs(after[np.arange(len(texts)), predicted] - before[np.arange(len(texts)), predicted])
    assert len(texts) == 120
    assert moved.max() <= 0.05, f"{(moved > 0.05).sum()} documents moved more than 0.05 (largest {moved.max():.3f})"


def test_the_same_lines_read_as_duties_would_move_it(documents):
    # Without the duty stage's judgement (a model that takes every statement for a duty), the lines do move the
    # decision: the test above can fail.
    from rolecls.estimator import RoleClassifier

    sample = documents.head(30)
    model = RoleClassifier(duty_threshold=0.0, duty_full=1e-9).fit(documents.text.tolist(), documents.label.tolist())
    texts, labels = sample.text.tolist(), sample.label.tolist()
    padded = [appended(text, label) for text, label in zip(texts, labels, strict=True)]
    before, after = model.predict_proba(texts), model.predict_proba(padded)
    predicted = np.argmax(before, axis=1)
    assert np.abs(after[np.arange(len(texts)), predicted] - before[np.arange(len(texts)), predicted]).max() > 0.05
