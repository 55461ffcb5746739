"""The training corpus: its size and mix, and that the generator reproduces it from its seed."""

from __future__ import annotations

import subprocess
import sys

from .conftest import CORPUS, ROOT


def test_corpus_has_enough_documents_per_label_and_kind(corpus):
    counts = corpus.groupby(["label", "kind"]).size()
    assert len(corpus) >= 1200
    for label, least in (("product", 350), ("project", 350), ("hybrid", 300)):
        assert counts[label].sum() >= least
        assert counts[(label, "posting")] >= 30 and counts[(label, "resume")] >= 30
    assert (corpus.kind == "resume").mean() >= 0.30
    assert (corpus.origin == "handwritten").sum() >= 300


def test_corpus_texts_are_non_empty_and_ids_unique(corpus):
    assert corpus.text.str.strip().str.len().min() > 0
    assert corpus.id.is_unique


def test_generator_reproduces_the_corpus_from_its_seed(tmp_path):
    output = tmp_path / "corpus.csv"
    subprocess.run(
        [sys.executable, str(ROOT / "data" / "compose_corpus.py"), "-o", str(output)], check=True, capture_output=True
    )
    assert output.read_bytes() == CORPUS.read_bytes()


def test_corpus_spans_short_to_long_documents(corpus):
    words = corpus.text.str.split().str.len()
    assert words.min() >= 40 and words.max() <= 1500
    assert (words > 1000).sum() >= 20 and (words < 80).sum() >= 20


def test_setting_words_do_not_mark_a_side(corpus):
    # Words that name a setting, not a duty, must not tell product documents from project documents.
    sided = corpus[corpus.label.isin(["product", "project"])]
    for word in ("api", "app", "developer", "digital", "online", "platform", "site", "equipment", "supplier"):
        holds = sided.text.str.contains(rf"\b{word}s?\b", case=False, regex=True)
        product, project = holds[sided.label == "product"].mean(), holds[sided.label == "project"].mean()
        assert max(product, project) <= 2 * min(product, project), word
