"""The spaCy preprocessing pipeline: markup, statements, lemmas and role-title masking.

Built on ``spacy.blank("en")``: nothing is downloaded. The tokenizer is non-destructive,
so every token's character offset indexes the input text exactly as given; the
components below only set attributes, they never change the text.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy
import spacy
from spacy.attrs import LEMMA, ORTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

if TYPE_CHECKING:
    from collections.abc import Iterable

TITLE_SPANS_KEY = "role_titles"

# Token indices flagged by the components, kept per document (fast to test, and they travel
# with the Doc across processes); ``token._.is_markup`` and ``token._.is_masked`` read them.
MARKUP_KEY = "rolecls_markup"
MASKED_KEY = "rolecls_masked"


TEXT_KEY = "rolecls_text"


def doc_text(doc: Doc) -> str:
    """The document's text, kept by the first component (``doc.text`` rebuilds it from the tokens)."""
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text


def token_strings(doc: Doc) -> tuple[list[str], list[str]]:
    """Every token's text and lemma, read in bulk (cheaper than creating a Token per word)."""
    if not len(doc):
        return [], []
    strings = doc.vocab.strings
    table = doc.to_array([ORTH, LEMMA]).tolist()
    return [strings[orth] for orth, _ in table], [strings[lemma] if lemma else "" for _, lemma in table]


def statement_starts(doc: Doc) -> list[int]:
    """Indices of the tokens that start a statement (always including 0 for a non-empty doc)."""
    if not len(doc):
        return []
    flags = doc.to_array([SENT_START]).ravel().tolist()
    return [0] + [i for i, flag in enumerate(flags) if flag == 1 and i > 0]


def markup_tokens(doc: Doc) -> set[int]:
    """Indices of the tokens inside HTML tags or entities."""
    return set(doc.user_data.get(MARKUP_KEY, ()))


def masked_tokens(doc: Doc) -> set[int]:
    """Indices of the tokens inside masked role titles."""
    return set(doc.user_data.get(MASKED_KEY, ()))


Token.set_extension("is_markup", getter=lambda token: token.i in markup_tokens(token.doc), force=True)
Token.set_extension("is_masked", getter=lambda token: token.i in masked_tokens(token.doc), force=True)

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
ABBREVIATION_PATTERN = re.compile(r"(?<![\d:])(?<!\d )\b(?:(?P<project>T?PMs?|PgMs?)|(?P<product>CPO|APMs?))\b")

# Bullets anywhere on a line, and characters that are bullets only when they lead a line.
_BULLET_CHARS = frozenset("•·▪▫►▸◦●○■□‣⁃✓✔➢➤")
_LINE_BULLETS = frozenset({"-", "–", "—", "*", "o", "+", ">"})
_STATEMENT_END = frozenset({".", "!", "?", ";"})


def find_role_titles(text: str) -> list[tuple[int, int, str]]:
    """Role titles in ``text`` as ``(start, end, side)`` with side ``product`` or ``project``."""
    found = []
    for pattern in (TITLE_PATTERN, ABBREVIATION_PATTERN):
        for match in pattern.finditer(text):
            side = "product" if match.group("product") else "project"
            found.append((match.start(), match.end(), side))
    found.sort()
    kept: list[tuple[int, int, str]] = []
    for start, end, side in found:
        if kept and start < kept[-1][1]:
            continue
        kept.append((start, end, side))
    return kept


@Language.component("rolecls_markup")
def mark_markup(doc: Doc) -> Doc:
    """Flag tokens that belong to HTML tags or entities so features ignore them."""
    text = doc_text(doc)
    flagged: set[int] = set()
    if "&" in text or "<" in text:
        for match in _ENTITY_OR_TAG.finditer(text):
            span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
            if span is not None:
                flagged.update(range(span.start, span.end))
    doc.user_data[MARKUP_KEY] = sorted(flagged)  # a list: Docs sent between processes are serialised
    return doc


def _is_line_break(token: Token | None) -> bool:
    return token is not None and (
        (token.is_space and ("\n" in token.text or "\r" in token.text)) or "\n" in token.whitespace_
    )


def _is_list_number(token: Token, starts: numpy.ndarray) -> bool:
    """The "." of a numbered list item such as "1. Own the roadmap"."""
    if token.i == 0:
        return False
    number = token.doc[token.i - 1]
    return number.like_num and starts[number.i, 0] == 1


def _starts_statement(token: Token, previous: Token | None, last_word: Token | None, starts: numpy.ndarray) -> bool:
    if previous is None:
        return True
    if token.text[0] in _BULLET_CHARS:
        return True
    if last_word is not None and last_word.text in _STATEMENT_END and not _is_list_number(last_word, starts):
        return True
    if _is_line_break(previous):
        if token.text in _LINE_BULLETS:
            return True
        # A line break inside a sentence pasted from a PDF continues the statement.
        broken_line = (
            last_word is not None
            and last_word.text not in _STATEMENT_END
            and last_word.text != ":"
            and token.text[:1].islower()
        )
        return not broken_line
    return False


@Language.component("rolecls_statements")
def split_statements(doc: Doc) -> Doc:
    """Set statement boundaries at line breaks, bullets and sentence-final punctuation."""
    previous: Token | None = None
    last_word: Token | None = None
    markup = markup_tokens(doc)
    starts = numpy.full((len(doc), 1), -1, dtype=numpy.int32)
    for token in doc:
        if token.is_space:
            start = previous is None
        else:
            start = _starts_statement(token, previous, last_word, starts)
            if token.i not in markup:
                last_word = token
        if start:
            starts[token.i, 0] = 1
        previous = token
    # Setting token.is_sent_start one by one rescans the document each time; set them at once.
    doc.from_array([SENT_START], starts.astype(numpy.uint64))  # type: ignore[arg-type]
    return doc


class _LemmaLookup(dict):
    """Lower-cased word -> lemma from spacy-lookups-data, memoised per word."""

    def __init__(self) -> None:
        super().__init__()
        from spacy.lookups import load_lookups

        self._table = load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")

    def __missing__(self, word: str) -> str:
        lemma = self._table.get(word, word)
        self[word] = lemma
        return lemma


@lru_cache(maxsize=1)
def _lemma_lookup() -> _LemmaLookup:
    return _LemmaLookup()


@Language.component("rolecls_lemmas")
def lemmatize(doc: Doc) -> Doc:
    """Set ``token.lemma_`` from spaCy's lookup tables, case-insensitively."""
    lookup = _lemma_lookup()
    for token in doc:
        if token.is_alpha:
            token.lemma_ = lookup[token.lower_]
    return doc


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


@lru_cache(maxsize=8)
def build_pipeline(mask_titles: bool = True, lemmatize: bool = True, phrases: bool = True) -> Language:
    """A ``spacy.blank("en")`` pipeline with the rolecls components (cached per setting).

    ``phrases`` adds the evidence-phrase segmentation, which only explanations need.
    """
    nlp = spacy.blank("en")
    nlp.add_pipe("rolecls_markup")
    nlp.add_pipe("rolecls_statements")
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


def process(
    texts: Iterable[str], mask_titles: bool = True, lemmatize: bool = True, phrases: bool = True, batch_size: int = 64
) -> list[Doc]:
    """Run the pipeline over ``texts`` in batches."""
    nlp = build_pipeline(mask_titles, lemmatize, phrases)
    return list(nlp.pipe(texts, batch_size=batch_size))
