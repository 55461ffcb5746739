"""Turn processed documents into terms, each occurrence tied to its statement and characters."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from itertools import pairwise

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc, Token

from rolecls.preprocess import markup_tokens, masked_tokens, statement_starts, token_strings

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


@dataclass(frozen=True)
class Occurrence:
    """One occurrence of a term: its statement index and first/last token indices."""

    term: str
    statement: int
    first_token: int
    last_token: int


def is_content_word(text: str) -> bool:
    """Whether a word carries meaning for the decision (alphabetic, not one letter, not a stop or role word)."""
    return len(text) > 1 and text.isalpha() and text.lower() not in IGNORED_WORDS


def is_content(token: Token, skipped: Collection[int] = ()) -> bool:
    """Whether a token carries meaning for the decision (not markup, title, stop word or symbol).

    ``skipped`` holds the indices of markup and masked-title tokens (``token._`` flags otherwise).
    """
    if not is_content_word(token.text):
        return False
    if skipped:
        return token.i not in skipped
    return not (token._.is_masked or token._.is_markup)


def doc_occurrences(
    doc: Doc, ngram_max: int = 2, strings: tuple[list[str], list[str]] | None = None
) -> list[Occurrence]:
    """All term occurrences in ``doc``: lemmas and n-grams of consecutive content words per statement.

    ``strings`` is ``token_strings(doc)`` when the caller has it already.
    """
    texts, lemmas = strings if strings is not None else token_strings(doc)
    skipped = markup_tokens(doc) | masked_tokens(doc)
    bounds = [*statement_starts(doc), len(texts)]
    found: list[Occurrence] = []
    for index, (first, last) in enumerate(pairwise(bounds)):
        content = [
            (i, lemmas[i] or texts[i].lower())
            for i in range(first, last)
            if i not in skipped and is_content_word(texts[i])
        ]
        for n in range(1, ngram_max + 1):
            for k in range(len(content) - n + 1):
                term = " ".join(lemma for _, lemma in content[k : k + n])
                found.append(Occurrence(term, index, content[k][0], content[k + n - 1][0]))
    return found


def terms(occurrences: list[Occurrence]) -> list[str]:
    """The term strings of ``occurrences``, the form the vectorizer reads."""
    return [occurrence.term for occurrence in occurrences]


def passthrough(document_terms: list[str]) -> list[str]:
    """Analyzer for scikit-learn vectorizers fed with precomputed terms."""
    return document_terms
