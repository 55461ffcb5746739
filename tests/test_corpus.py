"""The training corpus: its size and mix, and that the generator reproduces it from its seed."""

from __future__ import annotations

import subprocess
import sys

from .conftest import CORPUS, ROOT


def test_corpus_has_enough_documents_per_label_and_kind(corpus):
    counts = corpus.groupby(["label", "kind"]).size()
    assert len(corpus) >= 1200
    for label, least in (("product", 350), ("project", 350), ("hybrid", 300), ("neither", 250)):
        assert counts[label].sum() >= least
        assert counts[(label, "posting")] >= 30 and counts[(label, "resume")] >= 30
    assert (corpus.kind == "resume").mean() >= 0.30
    assert (corpus.origin == "handwritten").sum() >= 300
    assert ((corpus.label == "neither") & (corpus.origin == "handwritten")).sum() >= 150


def test_the_statement_bank_holds_labelled_duties_and_at_least_2000_new_non_duty_lines():
    import pandas as pd

    statements = pd.read_csv(ROOT / "models" / "rolecls-statements.csv", dtype=str, keep_default_na=False)
    assert set(statements.label) == {"product", "project", "none", "work"}
    assert statements.text.is_unique and (statements.text.str.strip() != "").all()
    assert (statements.source.str.startswith("nonduty/") & (statements.label == "none")).sum() >= 2000
    counts = statements.label.value_counts()
    assert counts["product"] >= 2000 and counts["project"] >= 2000 and counts["work"] >= 1000


def test_corpus_texts_are_non_empty_and_ids_unique(corpus):
    assert corpus.text.str.strip().str.len().min() > 0
    assert corpus.id.is_unique


def test_generator_reproduces_the_corpus_and_the_statement_bank_from_its_seed(tmp_path):
    output, statements = tmp_path / "corpus.csv", tmp_path / "statements.csv"
    command = [
        sys.executable,
        str(ROOT / "data" / "compose_corpus.py"),
        "-o",
        str(output),
        "--statements",
        str(statements),
    ]
    subprocess.run(command, check=True, capture_output=True)
    assert output.read_bytes() == CORPUS.read_bytes()
    assert statements.read_bytes() == (ROOT / "models" / "rolecls-statements.csv").read_bytes()


def test_corpus_spans_short_to_long_documents(corpus):
    words = corpus.text.str.split().str.len()
    assert words.min() >= 40 and words.max() <= 1500
    assert (words > 1000).sum() >= 20 and (words < 80).sum() >= 20


def test_setting_words_do_not_mark_a_side(corpus):
    # Words that name a setting, not a duty, must not tell product documents from project documents.
    sided = corpus[corpus.label.isin(["product", "project"])]
    # "supplier" was on this list until the labelling guide named "vendors, suppliers, contractors and
    # contracts" as project duties: it names a duty, not a setting.
    for word in ("api", "app", "developer", "digital", "online", "platform", "site", "equipment"):
        holds = sided.text.str.contains(rf"\b{word}s?\b", case=False, regex=True)
        product, project = holds[sided.label == "product"].mean(), holds[sided.label == "project"].mean()
        assert max(product, project) <= 2 * min(product, project), word
