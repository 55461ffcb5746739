"""Cut statements into responsibility phrases: clauses, without bullets, lead-in filler or end punctuation.

"You will own the roadmap, and manage the launch budget." becomes two phrases, "own the
roadmap" and "manage the launch budget". Phrases are token ranges of the document, so their
character offsets index the input exactly as given. The ``rolecls_phrases`` component stores
them in ``doc.spans["phrases"]``.
"""

from __future__ import annotations

from itertools import pairwise

from spacy.language import Language
from spacy.tokens import Doc, Span

from rolecls.preprocess import markup_tokens, statement_starts, token_strings

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
_HARD_BREAKS = frozenset({":", "–", "—", "|", "•"})
_LEADING_PUNCT = frozenset("•·▪▫►▸◦●○■□‣⁃✓✔➢➤-–—*+>#|,;:&")
_TRAILING = frozenset({".", ",", ";", ":", "!", "?", "…", "-", "–", "—", "*", "|", "&", "and", "or", "then", "while"})
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


class _Words:
    """Per-document token attributes read once, so the clause rules work on plain lists."""

    def __init__(self, doc: Doc, strings: tuple[list[str], list[str]] | None = None) -> None:
        self.text, lemmas = strings if strings is not None else token_strings(doc)
        self.lower = [text.lower() for text in self.text]
        self.lemma = [lemma.lower() or lower for lemma, lower in zip(lemmas, self.lower, strict=True)]
        self.alpha = [text.isalpha() for text in self.text]
        self.space = [text.isspace() for text in self.text]
        self.markup = markup_tokens(doc)

    def counts(self, i: int) -> bool:
        """Whether token ``i`` is a word that counts toward a clause's length."""
        return self.alpha[i] and self.lower[i] not in _JOINERS


def _is_break(words: _Words, first: int, i: int) -> bool:
    """Whether a new clause starts at token ``i`` of a statement that starts at ``first``."""
    previous = i - 1
    if words.text[previous] in _HARD_BREAKS and i > first + 1:
        return True
    lemma, lower = words.lemma[i], words.lower[i]
    if lemma not in RESPONSIBILITY_VERBS:
        return False
    if lemma in NOUN_LIKE_VERBS and not lower.endswith("ed"):
        return False
    if lower.endswith("ing") and words.text[previous] == ",":
        return False  # "planning, scheduling and budgeting" is a list of activities
    if words.lower[previous] in _JOINERS:
        return True
    return words.space[previous] and i > first + 1 and words.lower[i - 2] in _JOINERS


def _trim(words: _Words, start: int, end: int) -> tuple[int, int]:
    """Token range of a clause without bullets, markup, lead-in filler and end punctuation."""
    while start < end and (words.space[start] or start in words.markup or words.text[start][0] in _LEADING_PUNCT):
        start += 1
    changed = True
    while changed:
        changed = False
        ahead = [i for i in range(start, min(end, start + 12)) if not words.space[i]][:7]
        lowered = tuple(words.lower[i] for i in ahead)
        for filler in FILLERS:
            if lowered[: len(filler)] == filler and len(lowered) > len(filler):
                start = ahead[len(filler) - 1] + 1
                while start < end and (words.space[start] or words.text[start] in _LEADING_PUNCT):
                    start += 1
                changed = True
                break
    while end > start and (words.space[end - 1] or words.lower[end - 1] in _TRAILING):
        end -= 1
    return start, end


def _statement_phrases(words: _Words, first: int, last: int) -> list[tuple[int, int]]:
    """Token ranges of the trimmed clauses of the statement ``[first, last)``."""
    cuts = [first]
    in_piece = 0
    for i in range(first, last):
        if i > first and in_piece and _is_break(words, first, i):
            cuts.append(i)
            in_piece = 0
        in_piece += words.counts(i)
    cuts.append(last)
    pieces = [(cuts[k], cuts[k + 1]) for k in range(len(cuts) - 1)]

    def length(piece: tuple[int, int]) -> int:
        return sum(words.counts(i) for i in range(*piece))

    merged: list[tuple[int, int]] = []
    for piece in pieces:
        if merged and length(piece) < MIN_CLAUSE_WORDS:
            merged[-1] = (merged[-1][0], piece[1])  # too short to stand alone: keep it with the clause before
        else:
            merged.append(piece)
    if len(merged) > 1 and length(merged[0]) < MIN_CLAUSE_WORDS:
        merged[:2] = [(merged[0][0], merged[1][1])]
    ranges = []
    for piece in merged:
        start, end = _trim(words, *piece)
        if any(words.alpha[i] for i in range(start, end)):
            ranges.append((start, end))
    return ranges


def phrase_ranges(doc: Doc, strings: tuple[list[str], list[str]] | None = None) -> list[tuple[int, int]]:
    """Token ranges ``(start, end)`` of the document's responsibility phrases, in text order.

    ``strings`` is ``token_strings(doc)`` when the caller has it already.
    """
    if not len(doc):
        return []
    words = _Words(doc, strings)
    bounds = [*statement_starts(doc), len(doc)]
    return [phrase for first, last in pairwise(bounds) for phrase in _statement_phrases(words, first, last)]


def document_phrases(doc: Doc) -> list[Span]:
    """All responsibility phrases of a document, in text order."""
    return [doc[start:end] for start, end in phrase_ranges(doc)]


@Language.component("rolecls_phrases")
def set_phrases(doc: Doc) -> Doc:
    """Store the document's responsibility phrases in ``doc.spans["phrases"]``."""
    doc.spans[PHRASE_SPANS_KEY] = document_phrases(doc)
    return doc
