"""Trim statements into evidence phrases: without bullets, lead-in filler or end punctuation.

"• You will own the roadmap." becomes "own the roadmap". A phrase is a token range of the batch's table,
so its character offsets index the input exactly as given. A statement is never cut in two: it is one
duty, counted for one decision.
"""

from __future__ import annotations

import numpy
from spacy.strings import StringStore, get_string_id

from rolecls.chars import BULLET_CHARS, LINE_BULLETS
from rolecls.features import combine
from rolecls.idlookup import Column, IdTable, WordSets
from rolecls.preprocess import LEXICON, TokenTable, lexicon_rows

_TRAILING = frozenset(
    {".", ",", ";", ":", "!", "?", "…", "-", "–", "—", "*", "|", "&", "and", "or", "then", "while", "also"}
)
_LEADING_PUNCT = BULLET_CHARS | (LINE_BULLETS - {"o"}) | frozenset("#|,;:&")

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

_SETS = WordSets(trailing=_TRAILING, leading=_LEADING_PUNCT, filler=frozenset(filler[0] for filler in FILLERS))
_TRAILING_BIT, _LEADING, _FILLER = (_SETS.bit(name) for name in _SETS.names)
_LOWER_FLAGS = Column(
    "phrase_lower", lambda strings, texts: [_SETS.flags_of(text.lower()) for text in texts], numpy.uint8
)
_ORTH_FLAGS = Column("phrase_orth", lambda strings, texts: [_SETS.flags_of(text) for text in texts], numpy.uint8)
# Whether a token whose first character has this code point (up to U+FFFE) opens with leading punctuation.
_LEADING_FIRST = numpy.zeros(0xFFFF, dtype=bool)
_LEADING_FIRST[[ord(char) for char in _LEADING_PUNCT]] = True


class _Words:
    """Token flags of a table that trimming reads, as arrays."""

    def __init__(self, table: TokenTable, lower_flags: numpy.ndarray, orth_flags: numpy.ndarray) -> None:
        count = len(table.orth)
        leading_first = _LEADING_FIRST[numpy.minimum(table.first_code, len(_LEADING_FIRST) - 1)]
        # Where a phrase's start moves on (bullets, markup, punctuation), and where its end moves back.
        lead = table.space | table.markup | leading_first
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
    """Token ranges of statements without bullets, markup, lead-in filler and end punctuation."""
    starts, ends = pieces[:, 0], pieces[:, 1]
    trimmed_starts = numpy.minimum(words.next_start[starts], ends)
    opening = words.next_word[trimmed_starts]
    fillers = numpy.flatnonzero((opening < ends) & words.filler[opening])
    trimmed_starts[fillers] = _skip_fillers(words, trimmed_starts[fillers], ends[fillers])
    trimmed_ends = numpy.maximum(words.last_end[ends - 1] + 1, trimmed_starts)
    return numpy.stack([trimmed_starts, trimmed_ends], axis=1)


def statement_phrases(table: TokenTable, strings: StringStore) -> numpy.ndarray:
    """Each statement's evidence phrase as a token range, an (statements, 2) array; empty where nothing is left."""
    count = len(table.orth)
    bounds = table.statement_bounds()
    if not count:
        return numpy.zeros((0, 2), dtype=numpy.int64)
    rows = lexicon_rows(table, strings)
    words = _Words(table, LEXICON.column(_LOWER_FLAGS, rows), LEXICON.column(_ORTH_FLAGS, rows))
    return _trim_all(words, numpy.stack([bounds[:-1], bounds[1:]], axis=1))
