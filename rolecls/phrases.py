"""Cut statements into responsibility phrases: clauses, without bullets, lead-in filler or end punctuation.

"You will own the roadmap, and manage the launch budget." becomes two phrases, "own the
roadmap" and "manage the launch budget". Phrases are token ranges of the document, so their
character offsets index the input exactly as given. The ``rolecls_phrases`` component stores
them in ``doc.spans["phrases"]``.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from rolecls.preprocess import markup_tokens

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
    """.split()  # noqa: SIM905
)
# Words that are as often nouns ("the budget", "a status report"): they open a clause only
# in the past tense ("and reported progress", "budgeted").
NOUN_LIKE_VERBS = frozenset(
    """
    budget schedule plan report control design review support test document model map package price size
    position sequence staff resource record file log book sponsor direct secure win retain convert spec
    segment pitch commission close experiment research partner set lead run track update train
    """.split()  # noqa: SIM905
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


def _word_count(tokens: list[Token]) -> int:
    return sum(1 for token in tokens if token.is_alpha and token.lower_ not in _JOINERS)


def _is_break(tokens: list[Token], i: int) -> bool:
    """Whether a new clause starts at ``tokens[i]``."""
    previous = tokens[i - 1]
    if previous.text in _HARD_BREAKS and i > 1:
        return True
    token = tokens[i]
    lemma = token.lemma_.lower() or token.lower_
    if lemma not in RESPONSIBILITY_VERBS:
        return False
    if lemma in NOUN_LIKE_VERBS and not token.lower_.endswith("ed"):
        return False
    if token.lower_.endswith("ing") and previous.text == ",":
        return False  # "planning, scheduling and budgeting" is a list of activities
    if previous.lower_ in _JOINERS:
        return True
    return previous.is_space and i > 1 and tokens[i - 2].lower_ in _JOINERS


def _trim(tokens: list[Token]) -> list[Token]:
    """Drop bullets, markup, lead-in filler and end punctuation from a clause."""
    start, end = 0, len(tokens)
    markup = markup_tokens(tokens[0].doc) if tokens else set()
    while start < end and (
        tokens[start].is_space or tokens[start].i in markup or tokens[start].text[0] in _LEADING_PUNCT
    ):
        start += 1
    changed = True
    while changed:
        changed = False
        lowered = [token.lower_ for token in tokens[start : start + 7] if not token.is_space]
        for filler in FILLERS:
            if tuple(lowered[: len(filler)]) == filler and len(lowered) > len(filler):
                skipped = 0
                while skipped < len(filler):
                    if not tokens[start].is_space:
                        skipped += 1
                    start += 1
                while start < end and (tokens[start].is_space or tokens[start].text in _LEADING_PUNCT):
                    start += 1
                changed = True
                break
    while end > start and (tokens[end - 1].is_space or tokens[end - 1].lower_ in _TRAILING):
        end -= 1
    return tokens[start:end]


def statement_phrases(statement: Span) -> list[Span]:
    """The trimmed clauses of one statement, as spans of its document."""
    tokens = list(statement)
    pieces: list[list[Token]] = [[]]
    words_in_piece = 0
    for i, token in enumerate(tokens):
        if i > 0 and words_in_piece and _is_break(tokens, i):
            pieces.append([])
            words_in_piece = 0
        pieces[-1].append(token)
        words_in_piece += token.is_alpha and token.lower_ not in _JOINERS
    merged: list[list[Token]] = []
    for piece in pieces:
        if merged and _word_count(piece) < MIN_CLAUSE_WORDS:
            merged[-1].extend(piece)  # too short to stand alone: keep it with the clause before
        else:
            merged.append(piece)
    if len(merged) > 1 and _word_count(merged[0]) < MIN_CLAUSE_WORDS:
        merged[1] = merged[0] + merged[1]
        merged.pop(0)
    doc = statement.doc
    spans = []
    for piece in merged:
        kept = _trim(piece)
        if kept and any(token.is_alpha for token in kept):
            spans.append(doc[kept[0].i : kept[-1].i + 1])
    return spans


def document_phrases(doc: Doc) -> list[Span]:
    """All responsibility phrases of a document, in text order."""
    return [phrase for statement in doc.sents for phrase in statement_phrases(statement)]


@Language.component("rolecls_phrases")
def set_phrases(doc: Doc) -> Doc:
    """Store the document's responsibility phrases in ``doc.spans["phrases"]``."""
    doc.spans[PHRASE_SPANS_KEY] = document_phrases(doc)
    return doc
