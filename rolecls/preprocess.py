"""Read texts for classification: tokens, statements, lemmas, masked titles and passages not read.

The one way rolecls reads text, for training, prediction, explanation, batch scoring and the spaCy
component alike. Only spaCy's tokenizer (``spacy.blank("en")``: nothing is downloaded) runs per text; the
rest works on the whole batch's token arrays, with each value that depends only on a word's string
computed once per string (``LEXICON``). The tokenizer is non-destructive, so every token's character
offset indexes the input text exactly as given.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy
import spacy
from spacy.attrs import ORTH, SPACY
from spacy.lang.en.lex_attrs import like_num
from spacy.lang.lex_attrs import is_alpha, is_space
from spacy.lang.lex_attrs import lower as lower_case
from spacy.language import Language
from spacy.lookups import Table
from spacy.strings import StringStore, get_string_id

from rolecls.idlookup import Column, Lexicon
from rolecls.sections import boilerplate_ranges
from rolecls.statements import (
    STATEMENT_WORDS,
    StatementTokens,
    char_bits,
    long_statement_cuts,
    opens_duty,
    section_edges,
    statement_starts,
)
from rolecls.titles import find_role_titles, may_hold_abbreviation, may_hold_titles, title_bits
from rolecls.voice import employer_voice

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

# Why a passage was not read (``Batch.skipped``).
BOILERPLATE = "boilerplate section"
EMPLOYER_VOICE = "employer's voice"

_ENTITY_OR_TAG = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{1,6}|#x[0-9a-fA-F]{1,6});|</?[a-zA-Z][^<>\n]{0,200}>")

# The tokenizer's vocabulary keeps every string it has seen; past this many, ``tokenizer`` starts a fresh
# one so that scoring millions of texts keeps its memory bounded. String ids are hashes, so results do
# not depend on which tokenizer read a text.
VOCABULARY_LIMIT = 2_000_000


@lru_cache(maxsize=1)
def _blank() -> Language:
    return spacy.blank("en")


def tokenizer() -> Language:
    """The ``spacy.blank("en")`` pipeline whose tokenizer ``read_batch`` uses, renewed once its vocabulary is large."""
    nlp = _blank()
    if len(nlp.vocab.strings) > VOCABULARY_LIMIT:
        renew_tokenizer()
        nlp = _blank()
    return nlp


def renew_tokenizer() -> None:
    """Start the next ``read_batch`` with a fresh tokenizer (an empty vocabulary and cache)."""
    _blank.cache_clear()


@lru_cache(maxsize=1)
def lemma_table() -> Table:
    """spaCy's English lemma lookup table (spacy-lookups-data)."""
    from spacy.lookups import load_lookups

    return load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")


def lemma_of(lower: str) -> str:
    """The lookup lemma of a lower-cased word (the word itself where the table has none)."""
    return lemma_table().get(lower, lower)


_IS_ALPHA, _IS_SPACE, _LIKE_NUM, _LENGTH_SHIFT = 1, 2, 4, 3


def _lexeme_values(strings: StringStore, texts: list[str]) -> list[int]:
    """Each token's length and its IS_ALPHA, IS_SPACE and LIKE_NUM flags, packed into one integer."""
    return [
        len(text) << _LENGTH_SHIFT
        | _IS_ALPHA * is_alpha(text)
        | _IS_SPACE * is_space(text)
        | _LIKE_NUM * like_num(text)
        for text in texts
    ]


def _lemma_values(strings: StringStore, texts: list[str]) -> list[int]:
    """The lemma id of each alphabetic text (added to ``strings``), case-insensitively; 0 for others."""
    return [strings.add(lemma_of(text.lower())) if is_alpha(text) else 0 for text in texts]


LEXICON = Lexicon()
"""Per-string values of the tokens ``read_batch`` reads; other modules keep their own ``Column``s in it."""
LOWER = Column("lower", lambda strings, texts: [get_string_id(lower_case(text)) for text in texts], numpy.uint64)
LEXEME = Column("lexeme", _lexeme_values, numpy.int32)
LEMMA = Column("lemma", _lemma_values, numpy.uint64)
TITLE = Column("title", lambda strings, texts: [title_bits(text) for text in texts], numpy.uint8)
STATEMENT = Column("statement", lambda strings, texts: [STATEMENT_WORDS.flags_of(text) for text in texts], numpy.uint8)
CHARS = Column("chars", lambda strings, texts: [char_bits(text) for text in texts], numpy.uint8)
OPENS_DUTY = Column(
    "opens_duty", lambda strings, texts: [opens_duty(lemma_of(t.lower()), t) for t in texts], numpy.uint8
)
FIRST_CODE = Column("first_code", lambda strings, texts: [ord(text[0]) if text else 0 for text in texts], numpy.uint32)


class TokenTable(NamedTuple):
    """The tokens of a batch of texts, one entry per token (no spaCy Token objects: they are slow).

    ``orth``, ``lower`` and ``lemma`` are string ids (``lemma`` is 0 where no lemma was set), ``alpha``
    and ``space`` are flags, ``idx`` and ``length`` the character offset and length in the token's text,
    ``first_code`` the code point of the token's first character, ``statement`` the statement index
    (counted over the batch; statements never span two texts), ``skipped`` marks markup, masked-title,
    boilerplate and employer-voice tokens, and ``markup`` the markup tokens alone. ``rows`` are the
    tokens' rows in ``LEXICON``, of its ``generation``.
    """

    orth: numpy.ndarray
    lower: numpy.ndarray
    lemma: numpy.ndarray
    alpha: numpy.ndarray
    space: numpy.ndarray
    length: numpy.ndarray
    idx: numpy.ndarray
    first_code: numpy.ndarray
    statement: numpy.ndarray
    skipped: numpy.ndarray
    markup: numpy.ndarray
    rows: numpy.ndarray
    generation: int

    @property
    def statements(self) -> int:
        """How many statements the table holds."""
        return int(self.statement[-1]) + 1 if len(self.statement) else 0

    def statement_bounds(self) -> numpy.ndarray:
        """Token index where each statement starts, then the number of tokens."""
        return numpy.searchsorted(self.statement, numpy.arange(self.statements + 1))

    def word(self) -> numpy.ndarray:
        """Which tokens are words that are read: alphabetic and not skipped."""
        return self.alpha & ~self.skipped

    def char_span(self, start: int | numpy.ndarray, end: int | numpy.ndarray) -> tuple[Any, Any]:
        """The character offsets, in their text, where tokens ``start`` to ``end`` (exclusive) begin and end.

        Takes token indices or arrays of them, and gives the same.
        """
        return self.idx[start], self.idx[end - 1] + self.length[end - 1]


def lexicon_rows(table: TokenTable, strings: StringStore) -> numpy.ndarray:
    """The rows of a table's tokens in ``LEXICON`` (looked up again if the lexicon started over since)."""
    if table.generation == LEXICON.generation and strings is LEXICON.strings:
        return table.rows
    return LEXICON.rows(strings, table.orth)


class Batch(NamedTuple):
    """Texts read for classification: their tokens in one table, their role titles and what was not read.

    ``offsets`` holds the index of each text's first token in ``table`` (then the total);
    ``titles`` holds, per text, the token ranges (in ``table``) and side of its role titles;
    ``strings`` resolves the table's string ids; ``skipped`` holds, per text, the character ranges
    left unread and why (``BOILERPLATE`` or ``EMPLOYER_VOICE``), in text order.
    """

    texts: list[str]
    table: TokenTable
    offsets: numpy.ndarray
    titles: list[list[tuple[int, int, str]]]
    strings: StringStore
    skipped: list[list[tuple[int, int, str]]]

    def title(self, document: int) -> tuple[str, str] | None:
        """The text and side of the first role title of text ``document``, or ``None``."""
        if not self.titles[document]:
            return None
        start, end, side = self.titles[document][0]
        first_char, end_char = self.table.char_span(start, end)
        return self.texts[document][int(first_char) : int(end_char)], side

    def statement_documents(self) -> numpy.ndarray:
        """The text each statement belongs to."""
        bounds = self.table.statement_bounds()
        return numpy.searchsorted(self.offsets, bounds[:-1], side="right") - 1

    def statement_texts(self, document: int) -> list[str]:
        """The statements of text ``document`` as they appear in it (whitespace between them left out)."""
        table, text = self.table, self.texts[document]
        first, last = int(self.offsets[document]), int(self.offsets[document + 1])
        found = []
        for number in numpy.unique(table.statement[first:last]).tolist():
            tokens = first + numpy.flatnonzero((table.statement[first:last] == number) & ~table.space[first:last])
            if len(tokens):
                start, end = table.char_span(int(tokens[0]), int(tokens[-1]) + 1)
                found.append(text[start:end])
        return found


def token_range(idx: numpy.ndarray, length: numpy.ndarray, start: int, end: int) -> tuple[int, int]:
    """Tokens covering characters ``[start, end)`` of a text, as ``Doc.char_span(..., "expand")`` finds them.

    ``idx`` and ``length`` are the text's token offsets and lengths; characters past a token's end
    (its trailing space) belong to it, except that a span starting there starts at the next token.
    """
    first = int(numpy.searchsorted(idx, start, side="right")) - 1
    last = int(numpy.searchsorted(idx, end - 1, side="right")) - 1
    if start == idx[first] + length[first]:
        first += 1
    return first, last + 1


def read_batch(
    texts: Sequence[str],
    mask_titles: bool = True,
    lemmatize: bool = True,
    skip_boilerplate: bool = True,
    skip_employer_voice: bool = True,
) -> Batch:
    """Read ``texts`` into one token table: markup, statements, lemmas, role titles and passages not read.

    ``mask_titles`` finds role titles and hides their tokens from the features; ``skip_boilerplate`` leaves
    out sections under boilerplate headings (``rolecls.sections``) and ``skip_employer_voice`` statements
    in the employer's voice (``rolecls.voice``).
    """
    texts = list(texts)
    nlp = tokenizer()
    strings = nlp.vocab.strings
    arrays = [nlp.make_doc(text).to_array([ORTH, SPACY]).reshape(-1, 2) for text in texts]
    sizes = [len(array) for array in arrays]
    offsets = numpy.concatenate([[0], numpy.cumsum(sizes)]).astype(numpy.int64)
    read = numpy.concatenate(arrays) if arrays else numpy.zeros((0, 2), dtype=numpy.uint64)
    count = len(read)
    orth = read[:, 0]
    rows = LEXICON.rows(strings, orth)
    lexemes = LEXICON.column(LEXEME, rows)
    lower = LEXICON.column(LOWER, rows)
    length = (lexemes >> _LENGTH_SHIFT).astype(numpy.int64)
    alpha, space, number = (lexemes & _IS_ALPHA) > 0, (lexemes & _IS_SPACE) > 0, (lexemes & _LIKE_NUM) > 0
    # A token's offset: the lengths and trailing spaces of the tokens before it in its text.
    trailing = read[:, 1].astype(numpy.int64)
    ends = numpy.cumsum(length + trailing)
    idx = ends - length - trailing - numpy.repeat(numpy.append(0, ends)[offsets[:-1]], sizes)

    def ranges(found: Iterable[tuple[int, int]], document: int) -> Iterator[tuple[int, int]]:
        first, last = offsets[document], offsets[document + 1]
        for start, end in found:
            if first < last:
                begin, stop = token_range(idx[first:last], length[first:last], start, end)
                yield int(first + begin), int(first + stop)

    markup = numpy.zeros(count, dtype=bool)
    boilerplate = numpy.zeros(count, dtype=bool)
    masked = numpy.zeros(count, dtype=bool)
    skipped: list[list[tuple[int, int, str]]] = [[] for _ in texts]
    titles: list[list[tuple[int, int, str]]] = []
    full_titles = may_hold_titles(LEXICON.column(TITLE, rows), space, offsets) if mask_titles else []
    for document, text in enumerate(texts):
        if "&" in text or "<" in text:
            for begin, stop in ranges(((m.start(), m.end()) for m in _ENTITY_OR_TAG.finditer(text)), document):
                markup[begin:stop] = True
        if skip_boilerplate:
            sections = boilerplate_ranges(text)
            for begin, stop in ranges(sections, document):
                boilerplate[begin:stop] = True
            skipped[document] = [(start, len(text[:end].rstrip()), BOILERPLATE) for start, end in sections]
        full = mask_titles and full_titles[document]
        if not (full or (mask_titles and may_hold_abbreviation(text))):
            titles.append([])
            continue
        found = find_role_titles(text, full)
        spans = list(ranges(((start, end) for start, end, _ in found), document))
        titles.append([(begin, stop, side) for (begin, stop), (_, _, side) in zip(spans, found, strict=True)])
        for begin, stop in spans:
            masked[begin:stop] = True
    splitter = StatementTokens(space, number, LEXICON.column(STATEMENT, rows), LEXICON.column(CHARS, rows))
    starts = statement_starts(splitter, markup, offsets[:-1])
    if skip_boilerplate:
        starts |= section_edges(boilerplate, space)
    starts |= long_statement_cuts(starts, alpha & ~markup, LEXICON.column(OPENS_DUTY, rows) > 0)
    statement = numpy.cumsum(starts) - 1
    voiced = numpy.zeros(count, dtype=bool)
    if skip_employer_voice:
        first_statements = numpy.concatenate([[0], numpy.cumsum(starts)])[offsets[:-1]]  # statements before each text
        voiced = employer_voice(lower, orth != lower, alpha & ~markup, statement, first_statements)
        _add_voiced_ranges(skipped, voiced & ~space & ~boilerplate, statement, idx, length, offsets)
    tokens = TokenTable(
        orth=orth,
        lower=lower,
        lemma=LEXICON.column(LEMMA, rows) if lemmatize else numpy.zeros(count, dtype=numpy.uint64),
        alpha=alpha,
        space=space,
        length=length,
        idx=idx,
        first_code=LEXICON.column(FIRST_CODE, rows),
        statement=statement,
        skipped=markup | masked | boilerplate | voiced,
        markup=markup,
        rows=rows,
        generation=LEXICON.generation,
    )
    return Batch(texts, tokens, offsets, titles, strings, skipped)


def _add_voiced_ranges(
    skipped: list[list[tuple[int, int, str]]],
    tokens: numpy.ndarray,
    statement: numpy.ndarray,
    idx: numpy.ndarray,
    length: numpy.ndarray,
    offsets: numpy.ndarray,
) -> None:
    """Add to ``skipped`` the character range of each employer-voice statement (its flagged ``tokens``)."""
    flagged = numpy.flatnonzero(tokens)
    if not len(flagged):
        return
    runs = numpy.flatnonzero(numpy.diff(statement[flagged])) + 1
    firsts, lasts = flagged[numpy.r_[0, runs]], flagged[numpy.r_[runs - 1, len(flagged) - 1]]
    documents = numpy.searchsorted(offsets, firsts, side="right") - 1
    for document, first, last in zip(documents.tolist(), firsts.tolist(), lasts.tolist(), strict=True):
        skipped[document].append((int(idx[first]), int(idx[last] + length[last]), EMPLOYER_VOICE))
    for ranges in skipped:
        ranges.sort()
