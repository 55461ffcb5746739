"""Cut statements into responsibility phrases: clauses, without bullets, lead-in filler or end punctuation.

"You will own the roadmap, and manage the launch budget." becomes two phrases, "own the
roadmap" and "manage the launch budget". Phrases are token ranges of the document, so their
character offsets index the input exactly as given. The ``rolecls_phrases`` component stores
them in ``doc.spans["phrases"]``.
"""

from __future__ import annotations

import numpy
from spacy.lang.lex_attrs import is_alpha
from spacy.language import Language
from spacy.strings import StringStore, get_string_id
from spacy.tokens import Doc, Span

from rolecls.features import combine
from rolecls.idlookup import IdTable, WordSets
from rolecls.preprocess import LEXICON, TokenTable, lemma_of, lexicon_rows, token_table

PHRASE_SPANS_KEY = "phrases"

# Verbs that open a responsibility; a clause boundary is placed before one that follows
# a comma, "and", "or" or "while" (lemmas, as the lookup lemmatizer gives them).
RESPONSIBILITY_VERBS = frozenset(
    """
    own define manage lead drive build run track plan coordinate prepare maintain deliver develop create
    write conduct analyse analyze identify prioritise prioritize launch measure monitor report control
    oversee ensure facilitate organise organize schedule negotiate communicate collaborate partner
    support establish set shape research interview understand translate gather document review assess
    evaluate forecast allocate escalate mitigate resolve chair present champion advocate experiment test
    iterate grow increase reduce improve optimise optimize design implement execute align engage liaise
    procure handle produce draft update deploy migrate install commission close onboard recruit train
    mentor guide decide balance synthesise synthesize validate discover explore map size price package
    position sell pitch supervise administer arrange book chase collect compile file invoice log record
    submit uncover segment model spec specify articulate evangelise evangelize refine groom sequence
    budget staff resource steer sponsor direct hire secure win retain convert activate
    """.split()
)
# Words that are as often nouns ("the budget", "a status report"): they open a clause only
# in the past tense ("and reported progress", "budgeted").
NOUN_LIKE_VERBS = frozenset(
    """
    budget schedule plan report control design review support test document model map package price size
    position sequence staff resource record file log book sponsor direct secure win retain convert spec
    segment pitch commission close experiment research partner set lead run track update train
    """.split()
)
_JOINERS = frozenset({",", "and", "or", "while", "then", "&"})
# Words that may stand between a joiner and the verb it introduces ("and also manage").
_ADVERBS = frozenset({"also"})
_HARD_BREAKS = frozenset({":", "–", "—", "|", "•"})
_LEADING_PUNCT = frozenset("•·▪▫►▸◦●○■□‣⁃✓✔➢➤-–—*+>#|,;:&")
_TRAILING = frozenset(
    {".", ",", ";", ":", "!", "?", "…", "-", "–", "—", "*", "|", "&", "and", "or", "then", "while", "also"}
)
# Lead-in filler trimmed from a phrase's start, longest first (lower-case token texts).
FILLERS: tuple[tuple[str, ...], ...] = tuple(
    sorted(
        (
            tuple(pattern.split())
            for pattern in (
                "you will be responsible for",
                "you will be accountable for",
                "you'll be responsible for",
                "you are responsible for",
                "you will also",
                "you will",
                "you 'll",
                "you'll",
                "you'll also",
                "you 'll also",
                "you would",
                "you must",
                "you can",
                "you",
                "will be responsible for",
                "will be accountable for",
                "will also",
                "will",
                "responsible for",
                "accountable for",
                "the successful candidate will",
                "the candidate will",
                "the role holder will",
                "the post holder will",
                "the postholder will",
                "this role will",
                "this person will",
                "this position will",
                "in this role you will",
                "in this role , you will",
                "key responsibilities include",
                "responsibilities include",
                "duties include",
                "we need you to",
                "we want you to",
                "i",
                "we",
                "she",
                "he",
                "they",
                "also",
                "and",
                "then",
                "to",
            )
        ),
        key=len,
        reverse=True,
    )
)


MIN_CLAUSE_WORDS = 2


_SETS = WordSets(
    joiner=_JOINERS,
    hard_break=_HARD_BREAKS,
    trailing=_TRAILING,
    leading=_LEADING_PUNCT,
    filler=frozenset(filler[0] for filler in FILLERS),
    adverb=_ADVERBS,
)
_JOINER, _HARD_BREAK, _TRAILING_BIT, _LEADING, _FILLER, _ADVERB = (_SETS.bit(name) for name in _SETS.names)
# Whether a token whose first character has this code point (up to U+FFFE) opens with leading punctuation.
_LEADING_FIRST = numpy.zeros(0xFFFF, dtype=bool)
_LEADING_FIRST[[ord(char) for char in _LEADING_PUNCT]] = True
_COMMA_ID = get_string_id(",")


# Bits of ``_bits`` (the ``word_bits_*`` lexicon columns): a word whose lower-cased form is a
# responsibility verb, a verb often used as a noun, and a word ending in "ed" or "ing".
_VERB, _NOUN_LIKE, _ED, _ING = 1, 2, 4, 8


def _bits(text: str) -> int:
    lower = text.lower()
    return (
        _VERB * (lower in RESPONSIBILITY_VERBS)
        | _NOUN_LIKE * (lower in NOUN_LIKE_VERBS)
        | _ED * text.endswith("ed")
        | _ING * text.endswith("ing")
    )


def _lemma_bits(strings: StringStore, texts: list[str]) -> list[int]:
    """``_bits`` of each alphabetic text's lemma, as ``rolecls_lemmas`` sets it (of its lower-case form for others)."""
    return [_bits(lemma_of(text.lower()) if is_alpha(text) else text.lower()) for text in texts]


LEXICON.register("phrase_lower", lambda strings, texts: [_SETS.flags_of(text.lower()) for text in texts], numpy.uint8)
LEXICON.register("phrase_orth", lambda strings, texts: [_SETS.flags_of(text) for text in texts], numpy.uint8)
LEXICON.register("word_bits_lower", lambda strings, texts: [_bits(text.lower()) for text in texts], numpy.uint8)
LEXICON.register("word_bits_lemma", _lemma_bits, numpy.uint8)


class _Words:
    """Token flags of a table that trimming reads, as arrays."""

    def __init__(self, table: TokenTable, lower_flags: numpy.ndarray, orth_flags: numpy.ndarray) -> None:
        count = len(table.orth)
        leading_first = _LEADING_FIRST[numpy.minimum(table.first_code, len(_LEADING_FIRST) - 1)]
        markup = numpy.zeros(count, dtype=bool)
        markup[list(table.markup)] = True
        # Where a clause's start moves on (bullets, markup, punctuation), and where its end moves back.
        lead = table.space | markup | leading_first
        trail = table.space | ((lower_flags & _TRAILING_BIT) > 0)
        self.lower = table.lower
        # The first token from ``i`` on that a clause may start with, the first non-space token from
        # ``i`` on, the first that a clause may start with after a filler, and the last token before
        # ``i`` it may end with.
        positions = numpy.arange(count + 1)
        self.next_start = _next_where(~lead, positions)
        self.next_word = _next_where(~table.space, positions)
        self.next_after_filler = _next_where(~(table.space | ((orth_flags & _LEADING) > 0)), positions)
        self.filler = numpy.append((lower_flags & _FILLER) > 0, False)
        self.last_end = numpy.maximum.accumulate(numpy.where(numpy.append(~trail, False), positions, -1))


def _next_where(flags: numpy.ndarray, positions: numpy.ndarray) -> numpy.ndarray:
    """For each position up to ``len(flags)``: the first index from there on where ``flags`` holds (or the end)."""
    found = numpy.where(numpy.append(flags, True), positions, len(flags))
    return numpy.minimum.accumulate(found[::-1])[::-1]


# The fillers as rows of word ids (0 past a filler's end), longest first, their lengths, and for each
# length the keys (``combine`` of their word ids) of the fillers that long.
_FILLER_WINDOW, _FILLER_WORDS = 12, max(len(filler) for filler in FILLERS) + 1
_FILLER_IDS = numpy.zeros((len(FILLERS), _FILLER_WORDS), dtype=numpy.uint64)
for _row, _filler in enumerate(FILLERS):
    _FILLER_IDS[_row, : len(_filler)] = [get_string_id(word) for word in _filler]
_FILLER_LENGTHS = numpy.array([len(filler) for filler in FILLERS])
_FILLER_KEYS: dict[int, IdTable] = {}
_keys = _FILLER_IDS[:, 0]
for _length in range(1, _FILLER_WORDS):
    if _length > 1:
        _keys = combine(_keys, _FILLER_IDS[:, _length - 1])
    _rows = numpy.flatnonzero(_length == _FILLER_LENGTHS)
    _FILLER_KEYS[_length] = IdTable(_keys[_rows], _rows, -1)


def _skip_fillers(words: _Words, starts: numpy.ndarray, ends: numpy.ndarray) -> numpy.ndarray:
    """Clause starts moved past lead-in filler ("you will", "responsible for"), as often as one follows another.

    A filler is the longest that matches the clause's first non-space tokens (among the first 12 tokens)
    and leaves a word after it; the clause then starts after it and after any leading punctuation.
    """
    starts = starts.copy()
    active = numpy.arange(len(starts))
    while len(active):
        start, end = starts[active], ends[active]
        limit = numpy.minimum(end, start + _FILLER_WINDOW)
        ahead = numpy.zeros((len(active), _FILLER_WORDS), dtype=numpy.int64)
        ids = numpy.zeros((len(active), _FILLER_WORDS), dtype=numpy.uint64)
        found = numpy.zeros(len(active), dtype=numpy.int64)
        position = start
        for k in range(_FILLER_WORDS):
            word = words.next_word[position]
            inside = word < limit
            ahead[:, k] = word
            ids[inside, k] = words.lower[word[inside]]
            found += inside
            position = numpy.where(inside, word + 1, position)
        # The longest filler whose words start the clause, with a word after it.
        length = numpy.zeros(len(active), dtype=numpy.int64)
        key = ids[:, 0]
        for size in range(1, _FILLER_WORDS):
            if size > 1:
                key = combine(key, ids[:, size - 1])
            row = _FILLER_KEYS[size].get(key)
            same = (row >= 0) & (found > size)
            same[same] = (ids[same, :size] == _FILLER_IDS[row[same], :size]).all(axis=1)  # not a key collision
            length[same] = size
        matched = length > 0
        after = ahead[matched, length[matched] - 1] + 1
        starts[active[matched]] = numpy.minimum(words.next_after_filler[after], end[matched])
        active = active[matched]
    return starts


def _trim_all(words: _Words, pieces: numpy.ndarray) -> numpy.ndarray:
    """Token ranges of clauses without bullets, markup, lead-in filler and end punctuation."""
    starts, ends = pieces[:, 0], pieces[:, 1]
    trimmed_starts = numpy.minimum(words.next_start[starts], ends)
    opening = words.next_word[trimmed_starts]
    fillers = numpy.flatnonzero((opening < ends) & words.filler[opening])
    trimmed_starts[fillers] = _skip_fillers(words, trimmed_starts[fillers], ends[fillers])
    trimmed_ends = numpy.maximum(words.last_end[ends - 1] + 1, trimmed_starts)
    return numpy.stack([trimmed_starts, trimmed_ends], axis=1)


def _clause_starts(table: TokenTable, rows: numpy.ndarray, lower_flags: numpy.ndarray) -> numpy.ndarray:
    """Token index of every clause start, statement starts included, in order.

    A clause starts after a hard break (":", "|", a dash) that is not the statement's first token, and
    at a responsibility verb that follows a joiner ("and", ",", "or", "while"), directly or after a
    space or "also", unless the verb is a noun-like word not in the past tense ("the budget") or an "-ing" form
    after a comma ("planning, scheduling and budgeting" is a list of activities). A clause must hold a
    counted word before the next can start; clauses shorter than ``MIN_CLAUSE_WORDS`` join the clause
    before them (or, for a statement's first clause, the one after).
    """
    count = len(table.orth)
    bounds = numpy.array(table.statement_bounds())
    first_of = bounds[table.statement]  # each token's statement start
    lower_bits = LEXICON.column("word_bits_lower", rows)
    word_bits = numpy.where(table.lemma != 0, LEXICON.column("word_bits_lemma", rows), lower_bits)
    verb = (word_bits & _VERB) > 0
    joiner = (lower_flags & _JOINER) > 0
    hard_before = numpy.zeros(count, dtype=bool)
    hard_before[1:] = (lower_flags[:-1] & _HARD_BREAK) > 0
    # ``counted[i]``: words before token ``i`` that count toward a clause's length
    counted = numpy.concatenate([[0], numpy.cumsum(table.alpha & ~joiner)])

    candidates = numpy.flatnonzero(verb | hard_before)
    candidates = candidates[candidates > first_of[candidates]]
    first = first_of[candidates]
    previous = candidates - 1
    later = candidates > first + 1
    bits, candidate_lower_bits = word_bits[candidates], lower_bits[candidates]
    noun = ((bits & _NOUN_LIKE) > 0) & ((candidate_lower_bits & _ED) == 0)
    listed_activity = ((candidate_lower_bits & _ING) > 0) & (table.orth[previous] == _COMMA_ID)
    before_previous = joiner[numpy.maximum(candidates - 2, 0)] & later
    adverb = (lower_flags[previous] & _ADVERB) > 0
    joined = joiner[previous] | ((table.space[previous] | adverb) & before_previous)
    breaks = candidates[(hard_before[candidates] & later) | (verb[candidates] & ~noun & ~listed_activity & joined)]
    # A break needs a counted word since the last cut: the first break of each run without one.
    words_before = counted[breaks]
    new_run = numpy.ones(len(breaks), dtype=bool)
    new_run[1:] = (table.statement[breaks[1:]] != table.statement[breaks[:-1]]) | (
        words_before[1:] != words_before[:-1]
    )
    cuts = numpy.union1d(bounds[:-1], breaks[new_run & (words_before > counted[first_of[breaks]])])
    ends = numpy.append(cuts[1:], count)
    # Short pieces join the clause before them within their statement.
    opens = (first_of[cuts] == cuts) | (counted[ends] - counted[cuts] >= MIN_CLAUSE_WORDS)
    starts = cuts[opens]
    ends = numpy.append(starts[1:], count)
    # A statement's first clause, if short, joins the second.
    second = numpy.zeros(len(starts), dtype=bool)
    second[1:] = (first_of[starts[1:]] == starts[:-1]) & (first_of[starts[1:]] != starts[1:])
    short_first = numpy.zeros(len(starts), dtype=bool)
    short_first[1:] = counted[ends[:-1]] - counted[starts[:-1]] < MIN_CLAUSE_WORDS
    return starts[~(second & short_first)]


def phrase_ranges(doc: Doc, table: TokenTable | None = None) -> list[tuple[int, int]]:
    """Token ranges ``(start, end)`` of the document's responsibility phrases, in text order.

    ``table`` is ``token_table(doc)`` when the caller has it already.
    """
    if not len(doc):
        return []
    found = table_phrases(table if table is not None else token_table(doc), doc.vocab.strings)
    return [(start, end) for start, end in found.tolist()]


def table_phrases(table: TokenTable, strings: StringStore) -> numpy.ndarray:
    """``phrase_ranges`` for a token table (of one document or several), in table order, as an (n, 2) array."""
    count = len(table.orth)
    if not count:
        return numpy.zeros((0, 2), dtype=numpy.int64)
    rows = lexicon_rows(table, strings)
    lower_flags, orth_flags = LEXICON.column("phrase_lower", rows), LEXICON.column("phrase_orth", rows)
    starts = _clause_starts(table, rows, lower_flags)
    clauses = numpy.stack([starts, numpy.append(starts[1:], count)], axis=1)
    trimmed = _trim_all(_Words(table, lower_flags, orth_flags), clauses)
    letters = numpy.concatenate([[0], numpy.cumsum(table.alpha)])
    return trimmed[letters[trimmed[:, 1]] > letters[trimmed[:, 0]]]


def document_phrases(doc: Doc) -> list[Span]:
    """All responsibility phrases of a document, in text order."""
    return [doc[start:end] for start, end in phrase_ranges(doc)]


@Language.component("rolecls_phrases")
def set_phrases(doc: Doc) -> Doc:
    """Store the document's responsibility phrases in ``doc.spans["phrases"]``."""
    doc.spans[PHRASE_SPANS_KEY] = document_phrases(doc)
    return doc
