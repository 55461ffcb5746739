"""The spaCy preprocessing pipeline: markup, statements, lemmas and role-title masking.

Built on ``spacy.blank("en")``: nothing is downloaded. The tokenizer is non-destructive,
so every token's character offset indexes the input text exactly as given; the
components below only set attributes, they never change the text.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING, NamedTuple

import numpy
import spacy
from spacy.attrs import IDX, IS_ALPHA, IS_SPACE, LEMMA, LENGTH, LIKE_NUM, LOWER, ORTH, SENT_START, SPACY
from spacy.lang.en.lex_attrs import like_num
from spacy.lang.lex_attrs import is_alpha, is_space
from spacy.lang.lex_attrs import lower as lower_case
from spacy.language import Language
from spacy.lookups import Table
from spacy.strings import StringStore, get_string_id
from spacy.tokens import Doc, Span, Token

from rolecls.idlookup import Lexicon, StringMemo, WordSets
from rolecls.sections import boilerplate_ranges
from rolecls.voice import employer_voice

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

TITLE_SPANS_KEY = "role_titles"

# Token indices flagged by the components, kept per document (fast to test, and they travel
# with the Doc across processes); ``token._.is_markup`` and ``token._.is_masked`` read them.
MARKUP_KEY = "rolecls_markup"
MASKED_KEY = "rolecls_masked"
BOILERPLATE_KEY = "rolecls_boilerplate"
EMPLOYER_KEY = "rolecls_employer_voice"

# Why a passage was not read (``Batch.skipped``).
BOILERPLATE = "boilerplate section"
EMPLOYER_VOICE = "employer's voice"


TEXT_KEY = "rolecls_text"


def doc_text(doc: Doc) -> str:
    """The document's text, kept by the first component (``doc.text`` rebuilds it from the tokens)."""
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text


# Token attributes that no rolecls component changes, read once per document (``doc.to_array``
# costs about as much per attribute as a tenth of tokenizing) and kept in ``doc.user_data``.
ARRAY_KEY = "rolecls_tokens"
_ARRAY_ATTRS = [ORTH, LOWER, IS_ALPHA, IS_SPACE, LENGTH, IDX, LIKE_NUM]


def token_array(doc: Doc) -> numpy.ndarray:
    """``doc.to_array`` of ORTH, LOWER, IS_ALPHA, IS_SPACE, LENGTH, IDX and LIKE_NUM, read once per document."""
    cached = doc.user_data.get(ARRAY_KEY)
    if cached is None or len(cached) != len(doc):
        cached = doc.user_data[ARRAY_KEY] = doc.to_array(_ARRAY_ATTRS).reshape(-1, len(_ARRAY_ATTRS))
    return cached


class TokenTable(NamedTuple):
    """A processed document's token attributes, one entry per token (no Token objects: they are slow).

    ``orth``, ``lower`` and ``lemma`` are string ids (``lemma`` is 0 where no lemma was set),
    ``alpha`` and ``space`` are flags, ``idx`` and ``length`` the character offset and length in the
    document's text, ``first_code`` the code point of the token's first character, ``statement`` the
    statement index and ``skipped`` marks markup, masked-title, boilerplate and employer-voice tokens.
    ``concat_tables`` joins the tables of several documents into one (statements never span two
    documents).
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
    markup: frozenset[int]
    rows: numpy.ndarray | None = None  # rows in ``LEXICON`` when read by ``read_batch``
    generation: int = 0  # ``LEXICON.generation`` the rows belong to

    def statement_bounds(self) -> list[int]:
        """Token index where each statement starts, then the number of tokens."""
        if not len(self.orth):
            return [0]
        changes = numpy.flatnonzero(numpy.diff(self.statement)) + 1
        return [0, *changes.tolist(), len(self.orth)]


def token_table(doc: Doc) -> TokenTable:
    """Read every token's attributes of a processed document at once."""
    table = token_array(doc)
    changed = doc.to_array([LEMMA, SENT_START]).reshape(-1, 2)
    starts = changed[:, 1] == 1
    if len(starts):
        starts[0] = True
    markup = frozenset(doc.user_data.get(MARKUP_KEY, ()))
    skipped = token_flags(doc, MARKUP_KEY, MASKED_KEY, BOILERPLATE_KEY, EMPLOYER_KEY)
    idx = table[:, 5].astype(numpy.int64)
    return TokenTable(
        orth=table[:, 0],
        lower=table[:, 1],
        lemma=changed[:, 0],
        alpha=table[:, 2].astype(bool),
        space=table[:, 3].astype(bool),
        length=table[:, 4].astype(numpy.int64),
        idx=idx,
        first_code=code_points(doc_text(doc))[idx] if len(idx) else numpy.zeros(0, dtype=numpy.uint32),
        statement=numpy.cumsum(starts) - 1,
        skipped=skipped,
        markup=markup,
    )


def concat_tables(tables: Sequence[TokenTable]) -> tuple[TokenTable, numpy.ndarray]:
    """One table for several documents, and the index of each document's first token (plus the total)."""
    if not tables:
        empty = numpy.zeros(0, dtype=numpy.int64)
        none = TokenTable(
            empty, empty, empty, empty, empty, empty, empty, empty, empty, empty.astype(bool), frozenset()
        )
        return none, numpy.zeros(1, dtype=numpy.int64)
    offsets = numpy.concatenate([[0], numpy.cumsum([len(table.orth) for table in tables])]).astype(numpy.int64)
    counts = [table.statement[-1] + 1 if len(table.statement) else 0 for table in tables]
    statements = numpy.concatenate([[0], numpy.cumsum(counts)])

    def joined(name: str) -> numpy.ndarray:
        return numpy.concatenate([getattr(table, name) for table in tables])

    statement = numpy.concatenate([table.statement + first for table, first in zip(tables, statements, strict=False)])
    markup = frozenset(i + int(offset) for table, offset in zip(tables, offsets, strict=False) for i in table.markup)
    table = TokenTable(
        orth=joined("orth"),
        lower=joined("lower"),
        lemma=joined("lemma"),
        alpha=joined("alpha"),
        space=joined("space"),
        length=joined("length"),
        idx=joined("idx"),
        first_code=joined("first_code"),
        statement=statement.astype(numpy.int64),
        skipped=joined("skipped"),
        markup=markup,
    )
    return table, offsets


def token_flags(doc: Doc, *keys: str) -> numpy.ndarray:
    """Which tokens of ``doc`` the components flagged under any of ``keys`` (``MARKUP_KEY``, ...)."""
    flags = numpy.zeros(len(doc), dtype=bool)
    for key in keys:
        flags[doc.user_data.get(key, [])] = True
    return flags


def markup_tokens(doc: Doc) -> set[int]:
    """Indices of the tokens inside HTML tags or entities."""
    return set(doc.user_data.get(MARKUP_KEY, ()))


def masked_tokens(doc: Doc) -> set[int]:
    """Indices of the tokens inside masked role titles."""
    return set(doc.user_data.get(MASKED_KEY, ()))


def boilerplate_tokens(doc: Doc) -> set[int]:
    """Indices of the tokens inside boilerplate sections (see ``rolecls.sections``)."""
    return set(doc.user_data.get(BOILERPLATE_KEY, ()))


def employer_tokens(doc: Doc) -> set[int]:
    """Indices of the tokens inside statements in the employer's voice (see ``rolecls.voice``)."""
    return set(doc.user_data.get(EMPLOYER_KEY, ()))


Token.set_extension("is_markup", getter=lambda token: token.i in markup_tokens(token.doc), force=True)
Token.set_extension("is_masked", getter=lambda token: token.i in masked_tokens(token.doc), force=True)
Token.set_extension("is_boilerplate", getter=lambda token: token.i in boilerplate_tokens(token.doc), force=True)
Token.set_extension("is_employer_voice", getter=lambda token: token.i in employer_tokens(token.doc), force=True)

_ENTITY_OR_TAG = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{1,6}|#x[0-9a-fA-F]{1,6});|</?[a-zA-Z][^<>\n]{0,200}>")

_SENIORITY = (
    r"(?:(?:senior|sr\.?|junior|jr\.?|lead|principal|staff|associate|assistant|group|chief|"
    r"global|regional|digital|technical|tech|it|deputy|interim|contract)\s+)*"
)
_PRODUCT_TITLE = (
    r"product\s+(?:manager|owner|lead|leader|director|head|management\s+lead|"
    r"management\s+director|strategist)s?"
    r"|(?:head|vp|vice\s+president|director)\s+of\s+product(?:\s+management)?"
    r"|chief\s+product\s+officer"
)
_PROJECT_TITLE = (
    r"(?:project|program|programme|portfolio|delivery)\s+(?:manager|coordinator|co-ordinator|"
    r"lead|leader|director|officer|analyst|administrator|specialist|controller|"
    r"management\s+officer|management\s+lead)s?"
    r"|(?:head|vp|vice\s+president|director)\s+of\s+(?:projects?|programs?|programmes?|delivery)"
    r"|pmo(?:\s+(?:analyst|lead|manager|director|officer|coordinator|specialist))?"
)
TITLE_PATTERN = re.compile(
    rf"\b{_SENIORITY}(?:(?P<product>{_PRODUCT_TITLE})|(?P<project>{_PROJECT_TITLE}))\b",
    re.IGNORECASE,
)
# Abbreviations are case-sensitive: "pm" in "5 pm" is a time, "PM"/"TPM" is a role.
# The lookahead for a first letter lets the engine skip most positions quickly.
ABBREVIATION_PATTERN = re.compile(
    r"\b(?=[TPCA])(?<![\d:])(?<!\d )(?:(?P<project>T?PMs?|PgMs?)|(?P<product>CPO|APMs?))\b"
)

# Bullets anywhere on a line, and characters that are bullets only when they lead a line.
# All bullets are outside ASCII (``find_statement_starts`` relies on it).
_BULLET_CHARS = frozenset("•·▪▫►▸◦●○■□‣⁃✓✔➢➤")
_LINE_BULLETS = frozenset({"-", "–", "—", "*", "o", "+", ">"})
_STATEMENT_END = frozenset({".", "!", "?", ";"})


def _covered_tokens(doc: Doc, ranges: Iterable[tuple[int, int]]) -> list[int]:
    """Indices of the tokens that character ranges of ``doc``'s text touch, in order.

    A list, not a set: Docs sent between processes are serialised.
    """
    flagged: set[int] = set()
    for start, end in ranges:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            flagged.update(range(span.start, span.end))
    return sorted(flagged)


@Language.component("rolecls_markup")
def mark_markup(doc: Doc) -> Doc:
    """Flag tokens that belong to HTML tags or entities so features ignore them."""
    text = doc_text(doc)
    found = _ENTITY_OR_TAG.finditer(text) if "&" in text or "<" in text else ()
    doc.user_data[MARKUP_KEY] = _covered_tokens(doc, ((match.start(), match.end()) for match in found))
    return doc


@Language.component("rolecls_boilerplate")
def mark_boilerplate(doc: Doc) -> Doc:
    """Flag tokens of boilerplate sections (company blurb, benefits, how to apply...) so features skip them."""
    doc.user_data[BOILERPLATE_KEY] = _covered_tokens(doc, boilerplate_ranges(doc_text(doc)))
    return doc


_TEXTS = WordSets(end=_STATEMENT_END, line_bullet=_LINE_BULLETS, colon={":"})
_END, _LINE_BULLET, _COLON = (_TEXTS.bit(name) for name in ("end", "line_bullet", "colon"))


def code_points(text: str) -> numpy.ndarray:
    """The text's characters as code points: index ``i`` is ``text[i]``, as spaCy's character offsets count."""
    return numpy.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=numpy.uint32)


def find_statement_starts(doc: Doc) -> numpy.ndarray:
    """Whether each token starts a statement: after a line break, a bullet or sentence-final punctuation.

    A line break inside a sentence pasted from a PDF (the next line starts lower-case) continues the
    statement, and the "." of a numbered list item ("1. Own the roadmap") does not end one.
    """
    table = token_array(doc)
    markup = token_flags(doc, MARKUP_KEY)
    first_tokens = numpy.zeros(1, dtype=numpy.int64)
    lexemes = _Lexemes(table[:, 0], table[:, 3].astype(bool), table[:, 4].astype(numpy.int64), table[:, 6].astype(bool))
    return _statement_starts(
        lexemes._replace(flags=_TEXTS.flags(table[:, 0])),
        markup,
        first_tokens,
        table[:, 5].astype(numpy.int64),
        code_points(doc_text(doc)),
    )


class _Lexemes(NamedTuple):
    """What ``_statement_starts`` reads of each token."""

    orth: numpy.ndarray
    space: numpy.ndarray
    length: numpy.ndarray
    like_num: numpy.ndarray
    flags: numpy.ndarray | None = None  # ``_TEXTS.flags`` of ``orth``
    first: numpy.ndarray | None = None  # ``_char_bits`` of ``orth``


_LOWER_FIRST, _BULLET_FIRST, _HOLDS_LINE_BREAK = 1, 2, 4


def _char_bits(text: str) -> int:
    """Whether a token's first character is a lower-case letter or a bullet, and whether it holds a line break."""
    return (
        _LOWER_FIRST * text[:1].islower()
        | _BULLET_FIRST * (text[:1] in _BULLET_CHARS)
        | _HOLDS_LINE_BREAK * ("\n" in text or "\r" in text)
    )


def _statement_starts(
    tokens: _Lexemes,
    markup: numpy.ndarray,
    first_tokens: numpy.ndarray,
    chars: numpy.ndarray | None = None,
    codes: numpy.ndarray | None = None,
) -> numpy.ndarray:
    """``find_statement_starts`` for the tokens of one or more documents.

    ``first_tokens`` holds the index of each document's first token. Without ``tokens.first``, ``chars``
    holds each token's offset in ``codes`` (the documents' code points, one after the other).
    """
    count = len(tokens.orth)
    starts = numpy.zeros(count, dtype=bool)
    if not count:
        return starts
    orth, length, space, like_num = tokens.orth, tokens.length, tokens.space, tokens.like_num
    positions = numpy.arange(count)
    document_start = numpy.repeat(first_tokens, numpy.diff(numpy.append(first_tokens, count)))
    if tokens.first is not None:
        lower_first, bullet = (tokens.first & _LOWER_FIRST) > 0, (tokens.first & _BULLET_FIRST) > 0
        line_break = space & ((tokens.first & _HOLDS_LINE_BREAK) > 0)
    else:
        assert chars is not None and codes is not None
        first = codes[chars]
        lower_first = (first >= ord("a")) & (first <= ord("z"))
        bullet = numpy.zeros(count, dtype=bool)
        for i in numpy.flatnonzero(first >= 128).tolist():  # all bullets are outside ASCII
            lower_first[i] = chr(first[i]).islower()
            bullet[i] = chr(first[i]) in _BULLET_CHARS
        newlines = numpy.concatenate([[0], numpy.cumsum((codes == ord("\n")) | (codes == ord("\r")))])
        line_break = space & (newlines[chars + length] > newlines[chars])
    # ``last[i]``: the last token of i's document before ``i`` that is neither whitespace nor markup (-1 if none)
    word = numpy.where(~space & ~markup, positions, -1)
    last = numpy.concatenate([[-1], numpy.maximum.accumulate(word)[:-1]])
    last = numpy.where(last >= document_start, last, -1)
    known = last >= 0
    previous = numpy.maximum(last, 0)
    flags = tokens.flags if tokens.flags is not None else _TEXTS.flags(orth)
    end = (flags & _END) > 0
    ended = known & end[previous]
    broken_line = known & ~end[previous] & ((flags[previous] & _COLON) == 0) & lower_first
    after_break = numpy.concatenate([[False], line_break[:-1]])
    other = bullet | (after_break & (((flags & _LINE_BULLET) > 0) | ~broken_line))
    starts = ~space & (other | ended)
    starts[first_tokens[first_tokens < count]] = True
    # A "." after a number that starts a statement is a list number, not an end; in text order,
    # since the number's own start may depend on an earlier list number.
    numbered = ~space & ended & ~other & (last > document_start) & like_num[numpy.maximum(last - 1, 0)]
    for i in numpy.flatnonzero(numbered).tolist():
        if i > document_start[i]:
            starts[i] = not starts[last[i] - 1]
    return starts


def section_edges(boilerplate: numpy.ndarray, space: numpy.ndarray) -> numpy.ndarray:
    """Non-space tokens whose boilerplate flag differs from the previous non-space token's: they start statements.

    A line that starts lower-case continues the statement before it; without these edges a statement
    could run into or out of a boilerplate section, joining read and unread text.
    """
    edges = numpy.zeros(len(boilerplate), dtype=bool)
    words = numpy.flatnonzero(~space)
    if len(words) > 1:
        flags = boilerplate[words]
        edges[words[1:][flags[1:] != flags[:-1]]] = True
    return edges


@Language.component("rolecls_statements")
def split_statements(doc: Doc) -> Doc:
    """Set statement boundaries at line breaks, bullets, sentence-final punctuation and section edges."""
    if not len(doc):
        return doc
    starts = find_statement_starts(doc)
    if BOILERPLATE_KEY in doc.user_data:
        starts |= section_edges(token_flags(doc, BOILERPLATE_KEY), token_array(doc)[:, 3].astype(bool))
    flags = numpy.where(starts, 1, -1).astype(numpy.uint64).reshape(-1, 1)
    # Setting token.is_sent_start one by one rescans the document each time; set them at once.
    doc.from_array([SENT_START], flags)  # type: ignore[arg-type]
    return doc


@Language.component("rolecls_employer_voice")
def mark_employer_voice(doc: Doc) -> Doc:
    """Flag the tokens of statements in the employer's voice ("We build products...") so features skip them."""
    table = token_array(doc)
    markup = token_flags(doc, MARKUP_KEY)
    starts = doc.to_array([SENT_START]).reshape(-1) == 1
    if len(starts):
        starts[0] = True
    voiced = employer_voice(
        table[:, 1],
        table[:, 0] != table[:, 1],
        table[:, 2].astype(bool) & ~markup,
        numpy.cumsum(starts) - 1,
        numpy.zeros(1, dtype=numpy.int64),
    )
    doc.user_data[EMPLOYER_KEY] = numpy.flatnonzero(voiced).tolist()
    return doc


@lru_cache(maxsize=1)
def lemma_table() -> Table:
    """spaCy's English lemma lookup table (spacy-lookups-data)."""
    from spacy.lookups import load_lookups

    return load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")


def lemma_of(lower: str) -> str:
    """The lookup lemma of a lower-cased word (the word itself where the table has none)."""
    return lemma_table().get(lower, lower)


@lru_cache(maxsize=1)
def _lemma_ids() -> StringMemo:
    """Lower-cased word id -> lemma id."""
    return StringMemo(lambda strings, lower: strings.add(lemma_of(lower)), numpy.uint64)


@Language.component("rolecls_lemmas")
def lemmatize(doc: Doc) -> Doc:
    """Set ``token.lemma_`` of alphabetic tokens from spaCy's lookup tables, case-insensitively."""
    if not len(doc):
        return doc
    table = token_array(doc)
    alpha = table[:, 2].astype(bool)
    if alpha.any():
        lemmas = doc.to_array([LEMMA]).reshape(-1, 1)
        lemmas[alpha, 0] = _lemma_ids().lookup(doc.vocab.strings, table[alpha, 1])
        doc.from_array([LEMMA], lemmas)  # type: ignore[arg-type]
    return doc


_TITLE_LOWER = re.compile(r"\b(?=[sjlpagcrdtihv])" + TITLE_PATTERN.pattern[2:])


def _glued_words(text: str) -> list[int]:
    """Where words were glued together when line breaks were lost ("ManagerProfile"): an ASCII capital
    right after an ASCII lower-case letter."""
    codes = code_points(text)
    lower = (codes[:-1] >= ord("a")) & (codes[:-1] <= ord("z"))
    upper = (codes[1:] >= ord("A")) & (codes[1:] <= ord("Z"))
    return (numpy.flatnonzero(lower & upper) + 1).tolist()


def _full_titles(text: str) -> list[tuple[int, int, str]]:
    """Matches of ``TITLE_PATTERN`` in ``text``, also where a title runs into the next word."""
    lowered = text.lower()
    if len(lowered) != len(text):  # lower() changed the length (a few non-ASCII letters): the slow way
        return [
            (m.start(), m.end(), "product" if m.group("product") else "project") for m in TITLE_PATTERN.finditer(text)
        ]
    # Matching the lower-cased text is several times faster than IGNORECASE. Glued words get a
    # separator so that word boundaries hold; offsets are mapped back to ``text``.
    glued = _glued_words(text)
    marked = lowered
    if glued:
        bounds = [0, *glued, len(text)]
        marked = "\x00".join(lowered[i:j] for i, j in pairwise(bounds))
    separators = [position + k for k, position in enumerate(glued)]  # their offsets in ``marked``
    found = []
    for match in _TITLE_LOWER.finditer(marked):
        start, end = match.span()
        shift_start, shift_end = bisect_left(separators, start), bisect_left(separators, end)
        found.append((start - shift_start, end - shift_end, "product" if match.group("product") else "project"))
    return found


def _may_hold_abbreviation(text: str) -> bool:
    """Whether ``text`` may hold a role abbreviation: every one holds "PM", "PgM" or "CPO"."""
    return "PM" in text or "PgM" in text or "CPO" in text


def find_role_titles(text: str, full_titles: bool = True) -> list[tuple[int, int, str]]:
    """Role titles in ``text`` as ``(start, end, side)`` with side ``product`` or ``project``.

    ``full_titles=False`` looks for abbreviations only ("PM", "CPO"), for texts known to hold no
    written-out title (see ``_may_hold_titles``).
    """
    found = _full_titles(text) if full_titles else []
    if _may_hold_abbreviation(text):
        for match in ABBREVIATION_PATTERN.finditer(text):
            found.append((match.start(), match.end(), "product" if match.group("product") else "project"))
    found.sort()
    kept: list[tuple[int, int, str]] = []
    for start, end, side in found:
        if kept and start < kept[-1][1]:
            continue
        kept.append((start, end, side))
    return kept


# A written-out title needs, on adjacent words, a first core word ("product", "program") that ends its
# token and a second ("manager", "owner") that starts the next one, where "management" counts only
# before "lead", "director" or "officer"; or "of" between "head" ("vp", "director") and "product"
# ("projects"...); or "pmo". Per token
# string (lower-cased, and case-folded as IGNORECASE matching does), bits for these, tested for whole
# batches to skip the title regexes for texts without them.
_TITLE_FIRST_WORDS = ("product", "project", "program", "programme", "portfolio", "delivery")
_TITLE_SECOND_WORDS = (
    "manager", "owner", "lead", "director", "head", "strategist", "coordinator", "co-",
    "officer", "analyst", "administrator", "specialist", "controller",
)  # fmt: skip
_TITLE_HEAD_WORDS = ("head", "vp", "president", "director")
_TITLE_AFTER_MANAGEMENT = ("lead", "director", "officer")
_TITLE_OBJECT_WORDS = ("product", "project", "program", "delivery")
_TITLE_FIRST, _TITLE_SECOND, _TITLE_OF, _TITLE_OBJECT, _TITLE_PMO, _TITLE_MANAGEMENT, _TITLE_THIRD, _TITLE_HEAD = (
    1, 2, 4, 8, 16, 32, 64, 128
)  # fmt: skip


def _title_bits(text: str) -> int:
    bits = 0
    for form in {text.lower(), text.casefold()}:
        bits |= (
            _TITLE_FIRST * form.endswith(_TITLE_FIRST_WORDS)
            | _TITLE_SECOND * (form.startswith(_TITLE_SECOND_WORDS) or form == "co")  # "co-ordinator" is split
            | _TITLE_OF * (form == "of")
            | _TITLE_OBJECT * form.startswith(_TITLE_OBJECT_WORDS)
            | _TITLE_PMO * ("pmo" in form)
            | _TITLE_MANAGEMENT * (form == "management")
            | _TITLE_THIRD * form.startswith(_TITLE_AFTER_MANAGEMENT)
            | _TITLE_HEAD * form.endswith(_TITLE_HEAD_WORDS)
        )
    return bits


def _may_hold_titles(bits: numpy.ndarray, space: numpy.ndarray, offsets: numpy.ndarray) -> list[bool]:
    """For each document of a batch: whether it may hold a written-out role title (never false when it does).

    ``bits`` holds every token's ``_title_bits``.
    """
    count = len(bits)
    if not count:
        return [False] * (len(offsets) - 1)
    words = numpy.flatnonzero(~space)  # non-space tokens, in order
    starts = numpy.flatnonzero(bits & (_TITLE_FIRST | _TITLE_OF | _TITLE_PMO))
    place = numpy.searchsorted(words, starts)  # each start's place among the words (starts are words)
    padded = numpy.append(bits[words], 0)
    following = padded[numpy.minimum(place + 1, len(words))]
    after_following = padded[numpy.minimum(place + 2, len(words))]
    preceding = numpy.where(place > 0, padded[place - 1], 0)
    own = bits[starts]
    second = ((following & _TITLE_SECOND) > 0) | (
        ((following & _TITLE_MANAGEMENT) > 0) & ((after_following & _TITLE_THIRD) > 0)
    )
    candidate = (
        (((own & _TITLE_FIRST) > 0) & second)
        | (((own & _TITLE_OF) > 0) & ((following & _TITLE_OBJECT) > 0) & ((preceding & _TITLE_HEAD) > 0))
        | ((own & _TITLE_PMO) > 0)
    )
    found_before = numpy.searchsorted(starts[candidate], offsets)
    return (found_before[1:] > found_before[:-1]).tolist()


@Language.component("rolecls_title_mask")
def mask_titles(doc: Doc) -> Doc:
    """Find role titles, keep them as spans in ``doc.spans["role_titles"]``, mask their tokens."""
    spans = []
    masked: set[int] = set()
    for start, end, side in find_role_titles(doc_text(doc)):
        span = doc.char_span(start, end, label=side, alignment_mode="expand")
        if span is None:
            continue
        spans.append(span)
        masked.update(range(span.start, span.end))
    doc.spans[TITLE_SPANS_KEY] = spans
    doc.user_data[MASKED_KEY] = sorted(masked)
    return doc


# A pipeline's vocabulary keeps every string it has seen; past this many, ``reading_pipeline`` starts
# a fresh one so that scoring millions of texts keeps its memory bounded. String ids are hashes, so
# results do not depend on which pipeline read a text.
VOCABULARY_LIMIT = 2_000_000


def reading_pipeline(
    mask_titles: bool = True, lemmatize: bool = True, skip_boilerplate: bool = True, skip_employer_voice: bool = True
) -> Language:
    """The pipeline whose tokenizer ``read_batch`` uses (``build_pipeline``'s), renewed once its vocabulary is large."""
    nlp = build_pipeline(mask_titles, lemmatize, False, skip_boilerplate, skip_employer_voice)
    if len(nlp.vocab.strings) > VOCABULARY_LIMIT:
        build_pipeline.cache_clear()
        nlp = build_pipeline(mask_titles, lemmatize, False, skip_boilerplate, skip_employer_voice)
    return nlp


@lru_cache(maxsize=8)
def build_pipeline(
    mask_titles: bool = True,
    lemmatize: bool = True,
    phrases: bool = True,
    skip_boilerplate: bool = True,
    skip_employer_voice: bool = True,
) -> Language:
    """A ``spacy.blank("en")`` pipeline with the rolecls components (cached per setting).

    ``phrases`` adds the evidence-phrase segmentation, which only explanations need;
    ``skip_boilerplate`` the flagging of boilerplate sections, ``skip_employer_voice`` that of
    statements in the employer's voice.
    """
    nlp = spacy.blank("en")
    nlp.add_pipe("rolecls_markup")
    if skip_boilerplate:
        nlp.add_pipe("rolecls_boilerplate")
    nlp.add_pipe("rolecls_statements")
    if skip_employer_voice:
        nlp.add_pipe("rolecls_employer_voice")
    if lemmatize:
        nlp.add_pipe("rolecls_lemmas")
    if mask_titles:
        nlp.add_pipe("rolecls_title_mask")
    if phrases:
        import rolecls.phrases  # noqa: F401  (registers the rolecls_phrases component)

        nlp.add_pipe("rolecls_phrases")
    return nlp


def statements(doc: Doc) -> list[Span]:
    """The statements of a processed document, in order."""
    return list(doc.sents)


def make_docs(nlp: Language, texts: Iterable[str]) -> Iterator[Doc]:
    """Tokenize ``texts`` and keep each text on its Doc, for components that read the text."""
    for text in texts:
        doc = nlp.make_doc(text)
        doc.user_data[TEXT_KEY] = text
        yield doc


def process(
    texts: Iterable[str],
    mask_titles: bool = True,
    lemmatize: bool = True,
    phrases: bool = True,
    batch_size: int = 64,
    skip_boilerplate: bool = True,
    skip_employer_voice: bool = True,
) -> list[Doc]:
    """Run the pipeline over ``texts`` in batches."""
    nlp = build_pipeline(mask_titles, lemmatize, phrases, skip_boilerplate, skip_employer_voice)
    return list(nlp.pipe(make_docs(nlp, texts), batch_size=batch_size))


def token_range(idx: numpy.ndarray, length: numpy.ndarray, start: int, end: int) -> tuple[int, int]:
    """Tokens covering characters ``[start, end)`` of a document, as ``Doc.char_span(..., "expand")`` finds them.

    ``idx`` and ``length`` are the document's token offsets and lengths; characters past a token's end
    (its trailing space) belong to it, except that a span starting there starts at the next token.
    """
    first = int(numpy.searchsorted(idx, start, side="right")) - 1
    last = int(numpy.searchsorted(idx, end - 1, side="right")) - 1
    if start == idx[first] + length[first]:
        first += 1
    return first, last + 1


# ``read_batch`` reads only these per token; the lexeme attributes that ``token_array`` reads come from
# memos per string, computed as spaCy's English vocabulary computes them.
_BATCH_ATTRS = [ORTH, SPACY]


_IS_ALPHA, _IS_SPACE, _LIKE_NUM, _LENGTH_SHIFT = 1, 2, 4, 3


def _lexeme_value(text: str) -> int:
    """A token's length and its IS_ALPHA, IS_SPACE and LIKE_NUM flags, packed into one integer."""
    return (
        len(text) << _LENGTH_SHIFT
        | _IS_ALPHA * is_alpha(text)
        | _IS_SPACE * is_space(text)
        | _LIKE_NUM * like_num(text)
    )


def _lemma_values(strings: StringStore, texts: list[str]) -> list[int]:
    """The lemma id of each alphabetic text (added to ``strings``), as ``rolecls_lemmas`` sets it; 0 for others."""
    return [strings.add(lemma_of(text.lower())) if is_alpha(text) else 0 for text in texts]


LEXICON = Lexicon()
"""Per-string values of the tokens ``read_batch`` reads (other modules register their own columns)."""
LEXICON.register("lower", lambda strings, texts: [get_string_id(lower_case(text)) for text in texts], numpy.uint64)
LEXICON.register("lexeme", lambda strings, texts: [_lexeme_value(text) for text in texts], numpy.int32)
LEXICON.register("lemma", _lemma_values, numpy.uint64)
LEXICON.register("title", lambda strings, texts: [_title_bits(text) for text in texts], numpy.uint8)
LEXICON.register("statement", lambda strings, texts: [_TEXTS.flags_of(text) for text in texts], numpy.uint8)
LEXICON.register("chars", lambda strings, texts: [_char_bits(text) for text in texts], numpy.uint8)
LEXICON.register("first_code", lambda strings, texts: [ord(text[0]) if text else 0 for text in texts], numpy.uint32)


def kept_rows(table: TokenTable) -> numpy.ndarray | None:
    """The rows ``read_batch`` found for a table's tokens in ``LEXICON``, unless the lexicon started over since."""
    return table.rows if table.rows is not None and table.generation == LEXICON.generation else None


def lexicon_rows(table: TokenTable, strings: StringStore) -> numpy.ndarray:
    """The rows of a table's tokens in ``LEXICON`` (looked up again if they were not kept)."""
    rows = kept_rows(table)
    return rows if rows is not None and strings is LEXICON.strings else LEXICON.rows(strings, table.orth)


class Batch(NamedTuple):
    """Texts read for classification: their tokens in one table, and their role titles.

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
    skipped: list[list[tuple[int, int, str]]] | None = None

    def title(self, document: int) -> tuple[str, str] | None:
        """The text and side of the first role title of text ``document``, or ``None``."""
        if not self.titles[document]:
            return None
        start, end, side = self.titles[document][0]
        first_char = int(self.table.idx[start])
        end_char = int(self.table.idx[end - 1] + self.table.length[end - 1])
        return self.texts[document][first_char:end_char], side


def read_batch(
    nlp: Language,
    texts: Sequence[str],
    mask_titles: bool = True,
    lemmatize: bool = True,
    skip_boilerplate: bool = True,
    skip_employer_voice: bool = True,
) -> Batch:
    """What the rolecls pipeline components find in ``texts`` (markup, statements, lemmas, titles), for a batch.

    Only the tokenizer runs per text; the rest works on the batch's arrays and gives the same tokens,
    statements, lemmas and titles as ``build_pipeline`` (a test checks this), without building
    annotated Docs.
    """
    texts = list(texts)
    strings = nlp.vocab.strings
    arrays = []
    for text in texts:
        arrays.append(nlp.make_doc(text).to_array(_BATCH_ATTRS).reshape(-1, 2))
    sizes = [len(array) for array in arrays]
    offsets = numpy.concatenate([[0], numpy.cumsum(sizes)]).astype(numpy.int64)
    read = numpy.concatenate(arrays) if arrays else numpy.zeros((0, 2), dtype=numpy.uint64)
    count = len(read)
    orth = read[:, 0]
    rows = LEXICON.rows(strings, orth)
    lexemes = LEXICON.column("lexeme", rows)
    lower = LEXICON.column("lower", rows)
    length = lexemes >> _LENGTH_SHIFT
    alpha, space, like_num = (lexemes & _IS_ALPHA) > 0, (lexemes & _IS_SPACE) > 0, (lexemes & _LIKE_NUM) > 0
    # A token's offset: the lengths and trailing spaces of the tokens before it in its text.
    ends = numpy.cumsum(length + read[:, 1].astype(numpy.int64))
    idx = ends - length - read[:, 1].astype(numpy.int64) - numpy.repeat(numpy.append(0, ends)[offsets[:-1]], sizes)

    def ranges(found: Iterable[tuple[int, int]], document: int) -> Iterator[tuple[int, int]]:
        first, last = offsets[document], offsets[document + 1]
        for start, end in found:
            if first < last:
                begin, stop = token_range(idx[first:last], length[first:last], start, end)
                yield int(first + begin), int(first + stop)

    markup = numpy.zeros(count, dtype=bool)
    boilerplate = numpy.zeros(count, dtype=bool)
    skipped: list[list[tuple[int, int, str]]] = [[] for _ in texts]
    titles: list[list[tuple[int, int, str]]] = []
    masked = numpy.zeros(count, dtype=bool)
    full_titles = _may_hold_titles(LEXICON.column("title", rows), space, offsets) if mask_titles else []
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
        if not (full or (mask_titles and _may_hold_abbreviation(text))):
            titles.append([])
            continue
        found = find_role_titles(text, full)
        spans = list(ranges(((start, end) for start, end, _ in found), document))
        titles.append([(begin, stop, side) for (begin, stop), (_, _, side) in zip(spans, found, strict=True)])
        for begin, stop in spans:
            masked[begin:stop] = True
    for_statements = _Lexemes(
        orth, space, length, like_num, LEXICON.column("statement", rows), LEXICON.column("chars", rows)
    )
    starts = _statement_starts(for_statements, markup, offsets[:-1])
    if skip_boilerplate:
        starts |= section_edges(boilerplate, space)
    statement = numpy.cumsum(starts) - 1
    if skip_employer_voice:
        first_statements = numpy.concatenate([[0], numpy.cumsum(starts)])[offsets[:-1]]  # statements before each text
        voiced = employer_voice(lower, orth != lower, alpha & ~markup, statement, first_statements)
        _add_voiced_ranges(skipped, voiced & ~space & ~boilerplate, statement, idx, length, offsets)
    else:
        voiced = numpy.zeros(count, dtype=bool)
    lemma = LEXICON.column("lemma", rows) if lemmatize else numpy.zeros(count, dtype=numpy.uint64)
    tokens = TokenTable(
        orth=orth,
        lower=lower,
        lemma=lemma,
        alpha=alpha,
        space=space,
        length=length,
        idx=idx,
        first_code=LEXICON.column("first_code", rows),
        statement=statement,
        skipped=markup | masked | boilerplate | voiced,
        markup=frozenset(numpy.flatnonzero(markup).tolist()),
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
