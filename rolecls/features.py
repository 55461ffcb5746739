"""Turn processed documents into terms, each occurrence tied to its statement and characters."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from itertools import combinations, pairwise
from typing import NamedTuple

import numpy
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.strings import StringStore, get_string_id
from spacy.tokens import Doc, Token

from rolecls.idlookup import IdTable, WordSets, with_room
from rolecls.preprocess import LEXICON, TokenTable, kept_rows, token_table

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
LEXICON.register("ignored", lambda strings, texts: [_IGNORED.flags_of(text.lower()) for text in texts], numpy.uint8)


class Occurrences(NamedTuple):
    """A document's term occurrences: each term's key, size (words) and first and last token.

    ``terms`` holds the term strings the vectorizer reads, or ``None`` where they were not asked
    for; ``keys`` identify the same terms without building strings (see ``TermIndex``).
    """

    terms: list[str] | None
    keys: numpy.ndarray
    sizes: numpy.ndarray
    first: numpy.ndarray
    last: numpy.ndarray


_MIX = numpy.uint64(0x9E3779B97F4A7C15)


def combine(left: numpy.ndarray, right: numpy.ndarray) -> numpy.ndarray:
    """Key of an n-gram from the key of its first n-1 words and the id of its last word (wraps at 2**64)."""
    with numpy.errstate(over="ignore"):
        return left * _MIX + right


class TermIndex:
    """Vectorizer columns by term key: finds a document's known terms without building their strings.

    A term of ``n`` words has key ``combine(...combine(id(w1), id(w2))..., id(wn))`` over spaCy
    string ids. A lemma may hold a space, so every way to cut a vocabulary term into ``n`` parts is
    indexed: any cut that matches a document's words spells the same string.
    """

    def __init__(self, vocabulary: Mapping[str, int], ngram_max: int) -> None:
        self.ngram_max = ngram_max
        # For terms of n parts: the ids of each part position, and the terms' columns.
        found: dict[int, tuple[list[list[int]], list[int]]] = {
            n: ([[] for _ in range(n)], []) for n in range(1, ngram_max + 1)
        }

        def add(parts: list[str], column: int) -> None:
            positions, columns = found[len(parts)]
            for position, part in zip(positions, parts, strict=True):
                position.append(get_string_id(part))
            columns.append(column)

        for term, column in vocabulary.items():
            add([term], column)
            spaces = term.count(" ") if ngram_max > 1 else 0
            if spaces == 1:  # the common case: two words
                left, _, right = term.partition(" ")
                add([left, right], column)
            elif spaces > 1:
                words = term.split(" ")
                for n in range(2, min(ngram_max, len(words)) + 1):
                    for cuts in combinations(range(1, len(words)), n - 1):
                        add([" ".join(words[i:j]) for i, j in pairwise((0, *cuts, len(words)))], column)
        self.tables: dict[int, IdTable] = {}
        for n, (positions, columns) in found.items():
            keys = numpy.array(positions[0], dtype=numpy.uint64)
            for position in positions[1:]:
                keys = combine(keys, numpy.array(position, dtype=numpy.uint64))
            self.tables[n] = IdTable(keys, numpy.array(columns, dtype=numpy.int64), -1)

    def lookup(self, occurrences: Occurrences, table: TokenTable | None = None) -> numpy.ndarray:
        """The vectorizer column of each occurrence, or -1 for a term outside the vocabulary.

        With the ``table`` the occurrences were found in, single words are looked up by their tokens'
        lexicon rows (``kept_rows``): once per string instead of once per occurrence.
        """
        result = numpy.full(len(occurrences.keys), -1, dtype=numpy.int64)
        token_rows = kept_rows(table) if table is not None else None
        for n, index in self.tables.items():
            rows = numpy.flatnonzero(occurrences.sizes == n)
            if not len(rows):
                continue
            if n == 1 and table is not None and token_rows is not None:
                first = occurrences.first[rows]
                result[rows] = self._word_columns(token_rows[first], table.lemma[first] != 0)
            else:
                result[rows] = index.get(occurrences.keys[rows])
        return result

    def _word_columns(self, rows: numpy.ndarray, by_lemma: numpy.ndarray) -> numpy.ndarray:
        """The column of the lemma (where ``by_lemma``) or the lower-case form of the words at lexicon ``rows``."""
        generation, lemma_columns, lower_columns, filled = getattr(self, "_by_row", (None, None, None, 0))
        if generation != LEXICON.generation or lemma_columns is None or lower_columns is None:
            lemma_columns = lower_columns = numpy.zeros(0, dtype=numpy.int64)
            generation, filled = LEXICON.generation, 0
        if filled < LEXICON.count:
            new = numpy.arange(filled, LEXICON.count)
            lemmas = LEXICON.column("lemma", new)
            lemma_columns = with_room(lemma_columns, LEXICON.count)
            lower_columns = with_room(lower_columns, LEXICON.count)
            lemma_columns[new] = numpy.where(lemmas != 0, self.tables[1].get(lemmas), -1)
            lower_columns[new] = self.tables[1].get(LEXICON.column("lower", new))
            filled = LEXICON.count
        self._by_row = (generation, lemma_columns, lower_columns, filled)
        return numpy.where(by_lemma, lemma_columns[rows], lower_columns[rows])


def is_content_word(text: str) -> bool:
    """Whether a word carries meaning for the decision (alphabetic, not one letter, not a stop or role word)."""
    return len(text) > 1 and text.isalpha() and text.lower() not in IGNORED_WORDS


def is_content(token: Token, skipped: Collection[int] = ()) -> bool:
    """Whether a token carries meaning for the decision (not markup, title, stop word or symbol).

    ``skipped`` holds the indices of markup, masked-title, boilerplate and employer-voice tokens
    (``token._`` flags otherwise).
    """
    if not is_content_word(token.text):
        return False
    if skipped:
        return token.i not in skipped
    return not (token._.is_masked or token._.is_markup or token._.is_boilerplate or token._.is_employer_voice)


def content_mask(table: TokenTable) -> numpy.ndarray:
    """Which tokens are content words (``is_content_word``) outside markup and masked titles."""
    rows = kept_rows(table)
    ignored = _IGNORED.flags(table.lower) if rows is None else LEXICON.column("ignored", rows)
    return table.alpha & (table.length > 1) & (ignored == 0) & ~table.skipped


def doc_occurrences(doc: Doc, ngram_max: int = 2, table: TokenTable | None = None, strings: bool = True) -> Occurrences:
    """All term occurrences in ``doc``: lemmas and n-grams of consecutive content words per statement.

    ``table`` is ``token_table(doc)`` when the caller has it already; ``strings=False`` skips
    building the term strings (``TermIndex`` finds terms by key).
    """
    table = table if table is not None else token_table(doc)
    return table_occurrences(table, ngram_max, doc.vocab.strings if strings else None)


def table_occurrences(table: TokenTable, ngram_max: int = 2, strings: StringStore | None = None) -> Occurrences:
    """``doc_occurrences`` for a token table (of one document or several); term strings only with ``strings``."""
    content = numpy.flatnonzero(content_mask(table))
    word_ids = numpy.where(table.lemma[content] != 0, table.lemma[content], table.lower[content])
    words = None if strings is None else [strings[word] for word in word_ids.tolist()]
    statement = table.statement[content]
    terms = list(words) if words is not None else None
    keys, sizes, first, last = [word_ids], [numpy.ones(len(content), dtype=numpy.int64)], [content], [content]
    gram = word_ids
    for n in range(2, ngram_max + 1):
        if len(content) < n:
            break
        gram = combine(gram[:-1], word_ids[n - 1 :])
        # n consecutive content words of one statement
        same = numpy.flatnonzero(statement[n - 1 :] == statement[: len(statement) - n + 1])
        keys.append(gram[same])
        sizes.append(numpy.full(len(same), n, dtype=numpy.int64))
        first.append(content[same])
        last.append(content[same + n - 1])
        if terms is not None and words is not None:
            terms += [" ".join(words[k : k + n]) for k in same.tolist()]
    return Occurrences(
        terms, numpy.concatenate(keys), numpy.concatenate(sizes), numpy.concatenate(first), numpy.concatenate(last)
    )


def terms(occurrences: Occurrences) -> list[str]:
    """The term strings of ``occurrences``, the form the vectorizer reads."""
    if occurrences.terms is None:
        raise ValueError("these occurrences were read without their strings (strings=False)")
    return occurrences.terms


def passthrough(document_terms: list[str]) -> list[str]:
    """Analyzer for scikit-learn vectorizers fed with precomputed terms."""
    return document_terms
