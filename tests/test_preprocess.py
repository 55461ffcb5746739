"""The spaCy pipeline: statements, lemmas and title masking, with offsets into the raw text."""

from __future__ import annotations

import pytest

from rolecls.features import doc_occurrences, is_content
from rolecls.preprocess import TITLE_SPANS_KEY, build_pipeline, find_role_titles, process, statements


def texts_of_statements(text: str) -> list[str]:
    return [s.text.strip() for s in statements(process([text])[0])]


def test_pipeline_is_blank_english_with_rolecls_components():
    nlp = build_pipeline()
    assert nlp.lang == "en"
    assert nlp.pipe_names == [
        "rolecls_markup",
        "rolecls_boilerplate",
        "rolecls_statements",
        "rolecls_employer_voice",
        "rolecls_lemmas",
        "rolecls_title_mask",
        "rolecls_phrases",
    ]
    assert not any(name in nlp.pipe_names for name in ("tagger", "parser", "ner"))


def test_bullets_and_line_breaks_split_statements():
    text = (
        "Responsibilities:\n- Own the roadmap\n- Track milestones and budget\n• Interview customers • Run experiments"
    )
    assert texts_of_statements(text) == [
        "Responsibilities:",
        "- Own the roadmap",
        "- Track milestones and budget",
        "• Interview customers",
        "• Run experiments",
    ]


def test_sentences_split_statements():
    assert texts_of_statements("You will own the roadmap. You will also run discovery! Great?") == [
        "You will own the roadmap.",
        "You will also run discovery!",
        "Great?",
    ]


def test_line_broken_inside_a_sentence_is_one_statement():
    text = "Maintain the integrated schedule and\nreport variances to the board.\nRun the risk register."
    assert texts_of_statements(text) == [
        "Maintain the integrated schedule and\nreport variances to the board.",
        "Run the risk register.",
    ]


def test_markdown_bold_and_numbered_items_do_not_split_inside_statements():
    text = "**What you'll do**\n1. Own the roadmap\n2. Define pricing"
    assert texts_of_statements(text) == ["**What you'll do**", "1. Own the roadmap", "2. Define pricing"]


def test_role_titles_are_found_with_their_side():
    text = "Senior Product Manager wanted. Reports to the PMO lead; works with TPMs and the Head of Product at 5 pm."
    found = [(text[s:e], side) for s, e, side in find_role_titles(text)]
    assert found == [
        ("Senior Product Manager", "product"),
        ("PMO lead", "project"),
        ("TPMs", "project"),
        ("Head of Product", "product"),
    ]


def test_masked_titles_do_not_become_features():
    doc = process(["As Senior Program Manager you will own the roadmap."])[0]
    masked = [t.text for t in doc if t._.is_masked]
    assert masked == ["Senior", "Program", "Manager"]
    assert [s.text for s in doc.spans[TITLE_SPANS_KEY]] == ["Senior Program Manager"]
    terms = set(doc_occurrences(doc).terms or [])
    assert "program" not in terms and "own roadmap" in terms


def test_lemmas_are_case_insensitive_lookups():
    doc = process(["Owned budgets. MANAGED schedules."])[0]
    assert [t.lemma_ for t in doc if is_content(t)] == ["own", "budget", "manage", "schedule"]


def test_html_entities_are_markup_not_words():
    doc = process(["Track milestones &amp; risks"])[0]
    assert "amp" not in set(doc_occurrences(doc).terms or [])
    assert len(statements(doc)) == 1


def test_tokens_index_the_raw_text():
    text = "**Own**\tthe\r\nroadmap &amp; café\u00a0budgets"
    doc = process([text])[0]
    assert doc.text == text
    for token in doc:
        assert text[token.idx : token.idx + len(token.text)] == token.text


def test_term_keys_find_the_same_columns_as_term_strings():
    from rolecls.estimator import RoleClassifier

    texts = [
        "Own the product roadmap and interview customers.",
        "Manage the project schedule, the budget and vendor contracts.",
        "Agent onboarding: own the roadmap; manage the schedule.",  # "agent" is a spaCy symbol id
    ] * 2
    model = RoleClassifier(min_df=1).fit(texts, ["product", "project", "hybrid"] * 2)
    for doc in model.process(texts):
        found = doc_occurrences(doc, model.ngram_max)
        by_string = [model.vectorizer_.vocabulary_.get(term, -1) for term in found.terms or []]
        assert model.term_index().lookup(found).tolist() == by_string


def test_term_index_finds_terms_whose_words_hold_spaces():
    import numpy
    from spacy.strings import get_string_id

    from rolecls.features import Occurrences, TermIndex, combine

    def key(*parts: str) -> int:
        ids = [numpy.array([get_string_id(part)], dtype=numpy.uint64) for part in parts]
        found = ids[0]
        for more in ids[1:]:
            found = combine(found, more)
        return int(found[0])

    index = TermIndex({"going to": 0, "a b c": 1, "own roadmap": 2}, ngram_max=2)
    cases = [(("going to",), 0), (("going", "to"), 0), (("a b", "c"), 1), (("a", "b c"), 1), (("own", "roadmap"), 2)]
    cases += [(("roadmap", "own"), -1), (("own roadmap",), 2), (("a", "b"), -1)]
    found = Occurrences(
        None,
        numpy.array([key(*parts) for parts, _ in cases], dtype=numpy.uint64),
        numpy.array([len(parts) for parts, _ in cases]),
        numpy.zeros(len(cases), dtype=numpy.int64),
        numpy.zeros(len(cases), dtype=numpy.int64),
    )
    assert index.lookup(found).tolist() == [column for _, column in cases]


def test_titles_glued_to_the_next_word_are_masked():
    text = "[email]Group Product ManagerProfile: led discovery. Senior Project Manager, Acme"
    found = [(text[start:end], side) for start, end, side in find_role_titles(text)]
    assert found == [("Group Product Manager", "product"), ("Senior Project Manager", "project")]


@pytest.mark.parametrize(("skip_boilerplate", "skip_employer_voice"), [(False, False), (True, False), (True, True)])
def test_batch_reading_finds_what_the_pipeline_components_find(corpus, skip_boilerplate, skip_employer_voice):
    import numpy

    from rolecls.preprocess import concat_tables, make_docs, read_batch, token_table

    texts = [
        *corpus.text.tolist()[::4],
        "",
        " ",
        "\n\n• 1. Own it\n2. Plan the budget;",
        "Senior Product Manager &amp; <b>PM</b> x",
        "[email]Group Product ManagerProfile: led discovery",
        # titles the batch reader's word-pair filter must not miss, one per text
        *"xyzProduct Manager|x.product managers|Director of ProductProfile|the PMO team".split("|"),
        *"PRODUCT\u00a0MANAGER|Head of\n  Projects|Programme Co-ordinator|Chief Product Officer".split("|"),
        *"Product\n\nOwner|Portfolio  Analysts|Product Management  Lead|programme management\nofficers".split("|"),
        "\u0130stanbul: Vice President of Delivery",
        "\u017fenior Product \u017ftrategist",
        # boilerplate sections: at the start, the end, after blank lines, in HTML, with CRLF line ends
        "Benefits\n- Health cover\n- Learning budget",
        "Own the roadmap.\n\n**About us**\n\nAcme plans projects.\n\nWhat you'll do\n- Plan the budget",
        "<h2>Perks</h2>\n<ul><li>Flexible schedule</li></ul>\nKey duties\n- Run discovery",
        "EDUCATION\r\nMBA, project management\r\nEXPERIENCE\r\n- Led the roadmap",
        # statements in the employer's voice, alone and beside duties
        "We build products.",
        "We build products. Acme is a builder. Plan the budget.",
        "<b>Our</b> teams ship. Our client is looking for you. Own the roadmap",
        "We build products. Our teams ship. Plan the budget.",
        "",  # an empty text last: the texts before it keep their own statements
    ]
    nlp = build_pipeline(True, True, False, skip_boilerplate, skip_employer_voice)
    for first in range(0, len(texts), 100):
        chunk = texts[first : first + 100]
        docs = list(nlp.pipe(make_docs(nlp, chunk)))
        expected, offsets = concat_tables([token_table(doc) for doc in docs])
        batch = read_batch(nlp, chunk, skip_boilerplate=skip_boilerplate, skip_employer_voice=skip_employer_voice)
        assert batch.offsets.tolist() == offsets.tolist()
        assert batch.table.markup == expected.markup
        for name in expected._fields[: expected._fields.index("markup")]:
            assert numpy.array_equal(getattr(batch.table, name), getattr(expected, name)), name
        titles = [
            [
                (span.start + int(offsets[i]), span.end + int(offsets[i]), span.label_)
                for span in doc.spans[TITLE_SPANS_KEY]
            ]
            for i, doc in enumerate(docs)
        ]
        assert batch.titles == titles
        assert [batch.title(i) for i in range(len(docs))] == [
            (doc.spans[TITLE_SPANS_KEY][0].text, doc.spans[TITLE_SPANS_KEY][0].label_)
            if len(doc.spans[TITLE_SPANS_KEY])
            else None
            for doc in docs
        ]


def test_id_table_finds_every_key_and_nothing_else():
    import numpy

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
    import numpy

    from rolecls.idlookup import IdTable

    rng = numpy.random.default_rng(1)
    keys = rng.integers(0, 2**64 - 1, 9000, dtype=numpy.uint64)
    table = IdTable(keys[:10], numpy.arange(10), -1)
    for start, stop in ((10, 100), (100, 3000), (3000, 9000)):
        table.add(keys[start:stop], numpy.arange(start, stop))
        assert table.get(keys[:stop]).tolist() == list(range(stop))
    assert table.count == 9000 and 4 * table.count <= len(table.keys)


def test_string_memo_computes_each_string_once_and_answers_every_id():
    import numpy
    from spacy.strings import StringStore

    from rolecls.idlookup import StringMemo

    strings = StringStore(["Own", "the", "roadmap", "budget"])
    seen = []
    memo = StringMemo(lambda store, text: seen.append(text) or len(text), numpy.int64)
    ids = numpy.array([strings[word] for word in ["Own", "the", "roadmap", "the", "Own"]], dtype=numpy.uint64)
    assert memo.lookup(strings, ids).tolist() == [3, 3, 7, 3, 3]
    more = numpy.array([strings["budget"], strings["the"]], dtype=numpy.uint64)
    assert memo.lookup(strings, more).tolist() == [6, 3]
    assert sorted(seen) == ["Own", "budget", "roadmap", "the"]
    lower_ids = StringMemo(lambda store, text: store.add(text.lower()), numpy.uint64)  # 64-bit values
    expected = [strings[word] for word in ["own", "the", "roadmap", "the", "own"]]
    assert lower_ids.lookup(strings, ids).tolist() == expected


def test_reading_renews_a_pipeline_whose_vocabulary_grew_large(monkeypatch, small_model):
    import rolecls.preprocess as preprocess
    from rolecls.explain import explain

    texts = ["Own the product roadmap and interview customers.", "Manage the schedule, budget and vendors."]
    before = explain(small_model, texts)
    first = preprocess.reading_pipeline()
    monkeypatch.setattr(preprocess, "VOCABULARY_LIMIT", len(first.vocab.strings) - 1)
    renewed = preprocess.reading_pipeline()
    assert renewed is not first
    after = explain(small_model, texts)
    assert [r.label for r in after] == [r.label for r in before]
    assert [r.scores for r in after] == [r.scores for r in before]
    assert [[e.text for e in r.evidence] for r in after] == [[e.text for e in r.evidence] for r in before]


def test_lexicon_gives_each_string_one_row_and_computes_columns_once():
    import numpy
    from spacy.strings import StringStore

    from rolecls.idlookup import Lexicon

    words = [f"word{i}" for i in range(300)]
    strings = StringStore(words)
    computed = []
    lexicon = Lexicon()
    lexicon.register("size", lambda store, texts: computed.extend(texts) or [len(t) for t in texts], numpy.int64)
    ids = numpy.array([strings[w] for w in words[:10] * 3], dtype=numpy.uint64)
    rows = lexicon.rows(strings, ids)
    assert rows[:10].tolist() == rows[10:20].tolist() and len(set(rows.tolist())) == 10
    assert lexicon.column("size", rows).tolist() == [len(w) for w in words[:10] * 3]
    more = numpy.array([strings[w] for w in words], dtype=numpy.uint64)  # grows past the first allocation
    assert lexicon.column("size", lexicon.rows(strings, more)).tolist() == [len(w) for w in words]
    assert sorted(computed) == sorted(words)
    generation = lexicon.generation
    other = StringStore(words)
    assert lexicon.column("size", lexicon.rows(other, more[:5])).tolist() == [len(w) for w in words[:5]]
    assert lexicon.generation == generation + 1


@pytest.mark.parametrize("lemmatize", [True, False])
def test_term_lookup_by_lexicon_row_finds_the_same_columns(shipped_model, corpus, lemmatize):
    from rolecls.features import table_occurrences
    from rolecls.preprocess import read_batch, reading_pipeline

    batch = read_batch(reading_pipeline(True, lemmatize), corpus.text.tolist()[:60], True, lemmatize)
    occurrences = table_occurrences(batch.table, shipped_model.ngram_max)
    index = shipped_model.term_index()
    by_key = index.lookup(occurrences)
    assert (by_key >= 0).sum() > 1000
    assert index.lookup(occurrences, batch.table).tolist() == by_key.tolist()
