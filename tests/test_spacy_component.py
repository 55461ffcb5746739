"""rolecls inside any spaCy pipeline, found by name through the spacy_factories entry point."""

from __future__ import annotations

import subprocess
import sys

import spacy

TEXTS = [
    "Own the product roadmap.\nInterview customers every week.\nSet pricing and packaging for new plans.",
    "Manage the schedule and the budget.\nRun the risk register.\nReport status to the steering group.",
]


def test_add_pipe_by_name_sets_label_scores_and_evidence_spans():
    nlp = spacy.blank("en")
    nlp.add_pipe("rolecls")
    doc = nlp(TEXTS[0])
    assert doc._.role_label == "product"
    assert set(doc._.role_scores) == {"product", "project", "hybrid", "neither"}
    spans = doc.spans["role_evidence"]
    assert spans and all(span.label_ in {"product", "project"} for span in spans)
    for item in doc._.role_evidence:
        assert doc.text[item["start"] : item["end"]] == item["text"]


def test_the_component_lists_the_passages_it_did_not_read():
    nlp = spacy.blank("en")
    nlp.add_pipe("rolecls")
    text = "We build apps for farmers.\n" + TEXTS[0] + "\n\nBenefits\n- A pension"
    doc = nlp(text)
    assert [(item["reason"], item["text"]) for item in doc._.role_skipped] == [
        ("employer's voice", "We build apps for farmers."),
        ("boilerplate section", "Benefits\n- A pension"),
    ]
    assert nlp(TEXTS[0])._.role_skipped == []


def test_results_survive_multiprocessing():
    nlp = spacy.blank("en")
    nlp.add_pipe("rolecls", config={"top": 3})
    single = [(d._.role_label, d._.role_scores, [s.text for s in d.spans["role_evidence"]]) for d in nlp.pipe(TEXTS)]
    multi = [
        (d._.role_label, d._.role_scores, [s.text for s in d.spans["role_evidence"]])
        for d in nlp.pipe(TEXTS * 2, n_process=2, batch_size=1)
    ]
    assert multi == single * 2
    assert [label for label, _, _ in single] == ["product", "project"]


def test_factory_is_found_without_importing_rolecls():
    code = (
        "import sys, spacy\n"
        "nlp = spacy.blank('en'); nlp.add_pipe('rolecls')\n"
        "print(nlp('Track milestones and the project budget.')._.role_label)\n"
    )
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert completed.stdout.strip() == "project"


def test_a_doc_without_management_duties_says_neither_with_a_note():
    nlp = spacy.blank("en")
    nlp.add_pipe("rolecls")
    doc = nlp("Assess patients, give medicines and record observations on the ward.")
    assert doc._.role_label == "neither" and doc._.role_evidence == []
    assert doc._.role_notes == ["no product or project management duties found"]
