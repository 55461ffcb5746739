"""The reader: statements, lemmas and title masking, with offsets into the raw text."""

from __future__ import annotations

import numpy
import pytest

from rolecls.features import statement_terms
from rolecls.preprocess import read_batch, tokenizer
from rolecls.titles import find_role_titles


def statements_of(text: str) -> list[str]:
    return read_batch([text]).statement_texts(0)


def terms_of(text: str) -> set[str]:
    batch = read_batch([text])
    return set(statement_terms(batch.table, batch.strings, with_strings=True).terms or [])


def test_the_reader_is_spacys_blank_english_tokenizer_and_nothing_else():
    nlp = tokenizer()
    assert nlp.lang == "en"
    assert nlp.pipe_names == []


def test_bullets_and_line_breaks_split_statements():
    text = (
        "Responsibilities:\n- Own the roadmap\n- Track milestones and budget\n• Interview customers • Run experiments"
    )
    assert statements_of(text) == [
        "Responsibilities:",
        "- Own the roadmap",
        "- Track milestones and budget",
        "• Interview customers",
        "• Run experiments",
    ]


def test_sentences_split_statements():
    assert statements_of("You will own the roadmap. You will also run discovery! Great?") == [
        "You will own the roadmap.",
        "You will also run discovery!",
        "Great?",
    ]


def test_line_broken_inside_a_sentence_is_one_statement():
    text = "Maintain the integrated schedule and\nreport variances to the board.\nRun the risk register."
    assert statements_of(text) == [
        "Maintain the integrated schedule and\nreport variances to the board.",
        "Run the risk register.",
    ]


def test_markdown_bold_and_numbered_items_do_not_split_inside_statements():
    text = "**What you'll do**\n1. Own the roadmap\n2. Define pricing"
    assert statements_of(text) == ["**What you'll do**", "1. Own the roadmap", "2. Define pricing"]


def test_a_long_run_on_statement_is_cut_before_the_verbs_that_open_duties():
    duties = [
        "managed the migration of the billing platform to the cloud for twelve regional offices",
        "led a team of six analysts through the quarterly close and the annual audit",
        "defined the roadmap for the mobile app after interviews with forty customers",
        "reported progress to the steering group every month",
    ]
    run_on = " ".join(duties)  # no punctuation, no line breaks: one statement of 52 words
    assert statements_of(run_on) == duties
    short = "managed the budget led the team"  # too short to cut
    assert statements_of(short) == [short]


def test_role_titles_are_found_with_their_side():
    text = "Senior Product Manager wanted. Reports to the PMO lead; works with TPMs and the Head of Product at 5 pm."
    found = [(text[s:e], side) for s, e, side in find_role_titles(text)]
    assert found == [
        ("Senior Product Manager", "product"),
        ("PMO lead", "project"),
        ("TPMs", "project"),
        ("Head of Product", "product"),
    ]


def test_masked_titles_do_not_become_terms():
    batch = read_batch(["As Senior Program Manager you will own the roadmap."])
    assert batch.title(0) == ("Senior Program Manager", "project")
    terms = terms_of("As Senior Program Manager you will own the roadmap.")
    assert "program" not in terms and "own roadmap" in terms


def test_lemmas_are_case_insensitive_lookups():
    assert {"own", "budget", "manage", "schedule"} <= terms_of("Owned budgets. MANAGED schedules.")


def test_html_entities_are_markup_not_words():
    assert "amp" not in terms_of("Track milestones &amp; risks")
    assert len(statements_of("Track milestones &amp; risks")) == 1


def test_tokens_index_the_raw_text():
    text = "**Own**\tthe\r\nroadmap &amp; café\u00a0budgets"
    batch = read_batch([text, "Plan the budget"])
    table, doc = batch.table, tokenizer().make_doc(text)
    assert [text[i : i + n] for i, n in zip(table.idx[: len(doc)], table.length[: len(doc)], strict=True)] == [
        token.text for token in doc
    ]


def test_statements_start_with_a_word_and_tell_duties_from_requirements():
    terms = terms_of("Own the product roadmap.\nExperience owning a product roadmap.")
    assert {"^ own", "^ own the", "^ experience", "^ experience own"} <= terms


def test_term_keys_find_the_same_columns_as_term_strings():
    from rolecls.features import TermIndex

    texts = [
        "Own the product roadmap and interview customers.",
        "Manage the project schedule, the budget and vendor contracts.",
        "Agent onboarding: own the roadmap; manage the schedule.",  # "agent" is a spaCy symbol id
        "You will run discovery. We build products. Experience with Jira.",
    ]
    batch = read_batch(texts)
    found = statement_terms(batch.table, batch.strings, with_strings=True)
    vocabulary = {term: column for column, term in enumerate(sorted(set(found.terms or [])))}
    index = TermIndex(vocabulary, 3)
    assert index.lookup(found, batch.table, batch.strings).tolist() == [vocabulary[t] for t in found.terms or []]


def test_term_index_finds_terms_whose_words_hold_spaces():
    from spacy.strings import get_string_id

    from rolecls.features import Occurrences, TermIndex, combine

    def key(*parts: str) -> int:
        ids = [numpy.array([get_string_id(part)], dtype=numpy.uint64) for part in parts]
        found = ids[0]
        for more in ids[1:]:
            found = combine(found, more)
        return int(found[0])

    index = TermIndex({"going to": 0, "a b c": 1, "own roadmap": 2}, 2)
    cases = [(("going", "to"), 0), (("a b", "c"), 1), (("a", "b c"), 1), (("own", "roadmap"), 2)]
    cases += [(("roadmap", "own"), -1), (("a", "b"), -1)]
    found = Occurrences(
        None,
        numpy.array([key(*parts) for parts, _ in cases], dtype=numpy.uint64),
        numpy.array([len(parts) for parts, _ in cases]),
        numpy.zeros(len(cases), dtype=numpy.int64),
        numpy.zeros(len(cases), dtype=numpy.int64),
    )
    batch = read_batch(["x"])
    assert index.lookup(found, batch.table, batch.strings).tolist() == [column for _, column in cases]


def test_titles_glued_to_the_next_word_are_masked():
    text = "[email]Group Product ManagerProfile: led discovery. Senior Project Manager, Acme"
    found = [(text[start:end], side) for start, end, side in find_role_titles(text)]
    assert found == [("Group Product Manager", "product"), ("Senior Project Manager", "project")]


def test_titles_the_batch_filter_could_miss_are_masked():
    texts = [
        "xyzProduct Manager",
        "x.product managers",
        "Director of ProductProfile",
        "the PMO team",
        "PRODUCT\u00a0MANAGER",
        "Head of\n  Projects",
        "Programme Co-ordinator",
        "Chief Product Officer",
        "Product\n\nOwner",
        "Portfolio  Analysts",
        "Product Management  Lead",
        "programme management\nofficers",
        "\u0130stanbul: Vice President of Delivery",
        "\u017fenior Product \u017ftrategist",
        "Senior Product Manager &amp; <b>PM</b> x",
    ]
    batch = read_batch(texts)
    for number, text in enumerate(texts):
        assert len(batch.titles[number]) == len(find_role_titles(text)), text
    assert sum(title is not None for title in map(batch.title, range(len(texts)))) >= 13


def test_empty_texts_read_as_empty_and_keep_their_places():
    batch = read_batch(["", " ", "Own it", ""])
    assert batch.offsets.tolist()[0] == 0 and len(batch.offsets) == 5
    assert batch.statement_texts(2) == ["Own it"]
    assert batch.statement_texts(0) == [] and batch.statement_texts(3) == []
    documents = batch.statement_documents()
    assert documents.tolist() == sorted(documents.tolist())


def test_id_table_finds_every_key_and_nothing_else():
    from rolecls.idlookup import IdTable

    rng = numpy.random.default_rng(0)
    keys = rng.integers(0, 2**63, 5000, dtype=numpy.uint64)
    table = IdTable(keys, numpy.arange(5000), -1)
    others = rng.integers(0, 2**63, 2000, dtype=numpy.uint64)
    assert table.get(keys).tolist() == list(range(5000))
    assert (table.get(others[~numpy.isin(others, keys)]) == -1).all()
    assert IdTable(numpy.array([401, 7, 401], dtype=numpy.uint64), numpy.array([1, 2, 3]), 0).get(
        numpy.array([401, 7, 8], dtype=numpy.uint64)
    ).tolist() == [1, 2, 0]


def test_id_table_keeps_every_key_as_it_grows():
    from rolecls.idlookup import IdTable

    rng = numpy.random.default_rng(1)
    keys = rng.integers(0, 2**64 - 1, 9000, dtype=numpy.uint64)
    table = IdTable(keys[:10], numpy.arange(10), -1)
    for start, stop in ((10, 100), (100, 3000), (3000, 9000)):
        table.add(keys[start:stop], numpy.arange(start, stop))
        assert table.get(keys[:stop]).tolist() == list(range(stop))
    assert table.count == 9000 and 4 * table.count <= len(table.keys)


def test_reading_renews_a_tokenizer_whose_vocabulary_grew_large(monkeypatch, small_model):
    import rolecls.preprocess as preprocess
    from rolecls.explain import explain

    texts = [
        "Own the product roadmap.\nInterview customers.\nDefine pricing.",
        "Manage the schedule.\nTrack the budget.\nRun the vendors.",
    ]
    before = explain(small_model, texts)
    first = preprocess.tokenizer()
    monkeypatch.setattr(preprocess, "VOCABULARY_LIMIT", len(first.vocab.strings) - 1)
    renewed = preprocess.tokenizer()
    assert renewed is not first
    after = explain(small_model, texts)
    assert [r.label for r in after] == [r.label for r in before]
    assert [r.scores for r in after] == [r.scores for r in before]
    assert [[e.text for e in r.evidence] for r in after] == [[e.text for e in r.evidence] for r in before]


def test_lexicon_gives_each_string_one_row_and_computes_columns_once():
    from spacy.strings import StringStore

    from rolecls.idlookup import Column, Lexicon

    words = [f"word{i}" for i in range(300)]
    strings = StringStore(words)
    computed: list[str] = []
    size = Column("size", lambda store, texts: computed.extend(texts) or [len(t) for t in texts], numpy.int64)
    lexicon = Lexicon()
    ids = numpy.array([strings[w] for w in words[:10] * 3], dtype=numpy.uint64)
    rows = lexicon.rows(strings, ids)
    assert rows[:10].tolist() == rows[10:20].tolist() and len(set(rows.tolist())) == 10
    assert lexicon.column(size, rows).tolist() == [len(w) for w in words[:10] * 3]
    more = numpy.array([strings[w] for w in words], dtype=numpy.uint64)  # grows past the first allocation
    assert lexicon.column(size, lexicon.rows(strings, more)).tolist() == [len(w) for w in words]
    assert sorted(computed) == sorted(words)
    generation = lexicon.generation
    other = StringStore(words)
    assert lexicon.column(size, lexicon.rows(other, more[:5])).tolist() == [len(w) for w in words[:5]]
    assert lexicon.generation == generation + 1


@pytest.mark.parametrize("lemmatize", [True, False])
def test_word_lookup_by_lexicon_row_finds_the_columns_of_the_words(corpus, lemmatize):
    from rolecls.features import TermIndex

    batch = read_batch(corpus.text.tolist()[:60], True, lemmatize)
    found = statement_terms(batch.table, batch.strings, with_strings=True)
    vocabulary = {term: column for column, term in enumerate(sorted(set(found.terms or [])))}
    columns = TermIndex(vocabulary, 3).lookup(found, batch.table, batch.strings)
    assert columns.tolist() == [vocabulary[term] for term in found.terms or []]
