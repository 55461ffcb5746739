"""Turn the statements of a token table into terms: lemmas, two-word terms and how each statement starts.

A statement's terms are the lemmas of its content words (``content_mask``), the pairs of consecutive
content words, and its *start*: its first word and first two words, stop words included ("^ experience",
"^ you will", "^ we"), which tell a duty ("Own the roadmap") from a requirement ("Experience owning a
roadmap") or a company blurb ("We own...") that names the same work. Each occurrence is tied to its
statement and tokens; ``TermIndex`` finds a fitted vocabulary's columns by key, without building strings.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import combinations, pairwise
from typing import NamedTuple

import numpy
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.strings import StringStore, get_string_id

from rolecls.idlookup import Column, IdTable, WordSets, with_room
from rolecls.preprocess import LEMMA, LEXICON, LOWER, TokenTable, lexicon_rows

# Words that name a role rather than describe work; a masked title often leaves them behind.
ROLE_WORDS = frozenset(
    {"manager", "managers", "management", "role", "position", "candidate", "job", "title", "senior", "junior"}
)
# Function words; spaCy's list also holds verbs that describe work ("own", "make"), which stay.
WORK_WORDS = frozenset(
    {
        "own",
        "make",
        "take",
        "give",
        "show",
        "move",
        "put",
        "call",
        "done",
        "used",
        "using",
        "full",
        "part",
        "top",
        "front",
        "first",
        "last",
        "back",
        "serious",
        "various",
        "see",
        "keep",
        "get",
        "go",
        "become",
        "whole",
        "bottom",
        "side",
        "empty",
        "alone",
        "together",
    }
)
IGNORED_WORDS = (frozenset(STOP_WORDS) - WORK_WORDS) | ROLE_WORDS


_IGNORED = WordSets(ignored=IGNORED_WORDS)
IGNORED = Column("ignored", lambda strings, texts: [_IGNORED.flags_of(text.lower()) for text in texts], numpy.uint8)

START = "^"
"""The mark that opens a start term: "^ you will" is a statement that starts with "you will"."""
START_WORDS = 2
"""Start terms hold up to this many words."""
_START_ID = numpy.uint64(get_string_id(START))


class Occurrences(NamedTuple):
    """Term occurrences: each term's key, how many parts it has, its first token and its statement.

    ``terms`` holds the term strings the vocabulary is fitted on, or ``None`` where they were not asked
    for; ``keys`` identify the same terms without building strings (see ``TermIndex``).
    """

    terms: list[str] | None
    keys: numpy.ndarray
    parts: numpy.ndarray
    first: numpy.ndarray
    statement: numpy.ndarray


_MIX = numpy.uint64(0x9E3779B97F4A7C15)


def combine(left: numpy.ndarray, right: numpy.ndarray) -> numpy.ndarray:
    """Key of a term from the key of its first parts and the id of its last part (wraps at 2**64)."""
    with numpy.errstate(over="ignore"):
        return left * _MIX + right


class TermIndex:
    """Vocabulary columns by term key: finds a table's known terms without building their strings.

    A term of ``n`` parts has key ``combine(...combine(id(p1), id(p2))..., id(pn))`` over spaCy string
    ids. A lemma may hold a space, so every way to cut a vocabulary term into up to ``max_parts`` parts is
    indexed: any cut that matches a statement's words spells the same string.
    """

    def __init__(self, vocabulary: Mapping[str, int], max_parts: int) -> None:
        found: dict[int, tuple[list[list[int]], list[int]]] = {
            n: ([[] for _ in range(n)], []) for n in range(1, max_parts + 1)
        }
        for term, column in vocabulary.items():
            words = term.split(" ")
            for n in range(1, min(max_parts, len(words)) + 1):
                for cuts in combinations(range(1, len(words)), n - 1):
                    positions, columns = found[n]
                    for position, (i, j) in zip(positions, pairwise((0, *cuts, len(words))), strict=True):
                        position.append(get_string_id(" ".join(words[i:j])))
                    columns.append(column)
        self.tables: dict[int, IdTable] = {}
        for n, (positions, columns) in found.items():
            keys = numpy.array(positions[0], dtype=numpy.uint64)
            for position in positions[1:]:
                keys = combine(keys, numpy.array(position, dtype=numpy.uint64))
            self.tables[n] = IdTable(keys, numpy.array(columns, dtype=numpy.int64), -1)
        none = numpy.zeros(0, dtype=numpy.int64)
        self._by_row: tuple[int, numpy.ndarray, numpy.ndarray, int] = (-1, none, none, 0)

    def lookup(self, occurrences: Occurrences, table: TokenTable, strings: StringStore) -> numpy.ndarray:
        """The vocabulary column of each occurrence found in ``table``, or -1 for a term outside it.

        Single words are looked up by their tokens' lexicon rows: once per string, not once per occurrence.
        """
        result = numpy.full(len(occurrences.keys), -1, dtype=numpy.int64)
        for n, index in self.tables.items():
            rows = numpy.flatnonzero(occurrences.parts == n)
            if not len(rows):
                continue
            if n == 1:
                first = occurrences.first[rows]
                result[rows] = self._word_columns(lexicon_rows(table, strings)[first], table.lemma[first] != 0)
            else:
                result[rows] = index.get(occurrences.keys[rows])
        return result

    def _word_columns(self, rows: numpy.ndarray, by_lemma: numpy.ndarray) -> numpy.ndarray:
        """The column of the lemma (where ``by_lemma``) or the lower-case form of the words at lexicon ``rows``."""
        generation, lemma_columns, lower_columns, filled = self._by_row
        if generation != LEXICON.generation:
            lemma_columns = lower_columns = numpy.zeros(0, dtype=numpy.int64)
            filled = 0
        if filled < LEXICON.count:
            new = numpy.arange(filled, LEXICON.count)
            lemmas = LEXICON.column(LEMMA, new)
            lemma_columns = with_room(lemma_columns, LEXICON.count)
            lower_columns = with_room(lower_columns, LEXICON.count)
            lemma_columns[new] = numpy.where(lemmas != 0, self.tables[1].get(lemmas), -1)
            lower_columns[new] = self.tables[1].get(LEXICON.column(LOWER, new))
            filled = LEXICON.count
        self._by_row = (LEXICON.generation, lemma_columns, lower_columns, filled)
        return numpy.where(by_lemma, lemma_columns[rows], lower_columns[rows])


def content_mask(table: TokenTable, strings: StringStore) -> numpy.ndarray:
    """Which tokens are content words that are read: alphabetic, longer than one letter, not a stop or role word
    (``IGNORED_WORDS``), and not markup, a masked title or skipped text."""
    ignored = LEXICON.column(IGNORED, lexicon_rows(table, strings))
    return table.alpha & (table.length > 1) & (ignored == 0) & ~table.skipped


def word_ids(table: TokenTable, tokens: numpy.ndarray) -> numpy.ndarray:
    """The id of each token's word as terms use it: its lemma, or its lower-case form where it has none."""
    return numpy.where(table.lemma[tokens] != 0, table.lemma[tokens], table.lower[tokens])


def statement_terms(
    table: TokenTable, strings: StringStore, ngram_max: int = 2, with_strings: bool = False
) -> Occurrences:
    """Every term occurrence of every statement in ``table``: content n-grams up to ``ngram_max`` words and starts.

    ``with_strings`` also builds the term strings (to fit a vocabulary on).
    """
    content = numpy.flatnonzero(content_mask(table, strings))
    ids = word_ids(table, content)
    words = [strings[word] for word in ids.tolist()] if with_strings else None
    statement = table.statement[content]
    terms = list(words) if words is not None else None
    keys, parts, first = [ids], [numpy.ones(len(content), dtype=numpy.int64)], [content]
    gram = ids
    for n in range(2, ngram_max + 1):
        if len(content) < n:
            break
        gram = combine(gram[:-1], ids[n - 1 :])
        same = numpy.flatnonzero(statement[n - 1 :] == statement[: len(statement) - n + 1])  # n words of one statement
        keys.append(gram[same])
        parts.append(numpy.full(len(same), n, dtype=numpy.int64))
        first.append(content[same])
        if terms is not None and words is not None:
            terms += [" ".join(words[k : k + n]) for k in same.tolist()]
    # Starts: the first read words of each statement, stop words included.
    read = numpy.flatnonzero(table.word())
    owner = table.statement[read]
    opening = numpy.flatnonzero(numpy.r_[True, owner[1:] != owner[:-1]]) if len(read) else read
    key = numpy.full(len(opening), _START_ID, dtype=numpy.uint64)
    heads = [START] * len(opening) if terms is not None else []
    for n in range(1, START_WORDS + 1):
        position = opening + n - 1
        inside = position < len(read)
        inside[inside] = owner[position[inside]] == owner[opening[inside]]
        opening, tokens = opening[inside], read[position[inside]]
        key = combine(key[inside], word_ids(table, tokens))
        keys.append(key)
        parts.append(numpy.full(len(opening), n + 1, dtype=numpy.int64))
        first.append(read[opening])
        if terms is not None:
            kept = [head for head, keep in zip(heads, inside.tolist(), strict=True) if keep]
            heads = [
                f"{head} {strings[word]}" for head, word in zip(kept, word_ids(table, tokens).tolist(), strict=True)
            ]
            terms += heads
    first_tokens = numpy.concatenate(first)
    return Occurrences(
        terms,
        numpy.concatenate(keys),
        numpy.concatenate(parts),
        first_tokens,
        table.statement[first_tokens],
    )


def term_strings(occurrences: Occurrences) -> list[str]:
    """The term strings of ``occurrences``, to fit a vocabulary on."""
    if occurrences.terms is None:
        raise ValueError("these occurrences were read without their strings (with_strings=False)")
    return occurrences.terms
