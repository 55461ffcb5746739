"""Cut statements into responsibility phrases: clauses, without bullets, lead-in filler or end punctuation.

"You will own the roadmap, and manage the launch budget." becomes two phrases, "own the
roadmap" and "manage the launch budget". Phrases are token ranges of the document, so their
character offsets index the input exactly as given. The ``rolecls_phrases`` component stores
them in ``doc.spans["phrases"]``.
"""

from __future__ import annotations

from itertools import pairwise

import numpy
from spacy.language import Language
from spacy.strings import StringStore, get_string_id
from spacy.tokens import Doc, Span

from rolecls.preprocess import TokenTable, WordSets, code_points, doc_text, token_table

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


# Fillers as string ids, by the id of their first word, longest first.
_FILLERS_BY_FIRST: dict[int, list[tuple[int, ...]]] = {}
for _filler in FILLERS:
    _FILLERS_BY_FIRST.setdefault(get_string_id(_filler[0]), []).append(tuple(get_string_id(w) for w in _filler))
_SETS = WordSets(joiner=_JOINERS, hard_break=_HARD_BREAKS, trailing=_TRAILING, leading=_LEADING_PUNCT)
_JOINER, _HARD_BREAK, _TRAILING_BIT, _LEADING = (_SETS.bit(name) for name in _SETS.names)
# Whether a token whose first character has this code point (up to U+FFFE) opens with leading punctuation.
_LEADING_FIRST = numpy.zeros(0xFFFF, dtype=bool)
_LEADING_FIRST[[ord(char) for char in _LEADING_PUNCT]] = True
_COMMA_ID = get_string_id(",")


class _VerbIds(dict):
    """Word id -> whether the word (a lemma, or a lower-cased text) is a responsibility verb, memoised."""

    def __init__(self) -> None:
        super().__init__()
        self.strings: StringStore | None = None

    def flags(self, strings: StringStore, ids: list[int]) -> list[bool]:
        if strings is not self.strings or len(self) > 1_000_000:  # ids belong to one StringStore
            self.clear()
            self.strings = strings
        return list(map(self.__getitem__, ids))

    def __missing__(self, word: int) -> bool:
        assert self.strings is not None
        flag = self[word] = self.strings[word].lower() in RESPONSIBILITY_VERBS
        return flag


_verb_ids = _VerbIds()


class _Words:
    """Per-document token flags the clause rules read, as plain lists and running counts."""

    def __init__(self, doc: Doc, table: TokenTable) -> None:
        self.strings = doc.vocab.strings
        self.lower = table.lower.tolist()
        self.orth = table.orth.tolist()
        self.space = table.space.tolist()
        lower_flags, orth_flags = _SETS.flags(table.lower), _SETS.flags(table.orth)
        joiner = (lower_flags & _JOINER) > 0
        self.joiner = joiner.tolist()
        first_codes = code_points(doc_text(doc))[table.idx]
        leading_first = _LEADING_FIRST[numpy.minimum(first_codes, len(_LEADING_FIRST) - 1)]
        # Where a clause's start moves on (bullets, markup, punctuation), and where its end moves back.
        markup = numpy.zeros(len(self.lower), dtype=bool)
        markup[list(table.markup)] = True
        self.lead = (table.space | markup | leading_first).tolist()
        self.lead_after_filler = (table.space | ((orth_flags & _LEADING) > 0)).tolist()
        self.trail = (table.space | ((lower_flags & _TRAILING_BIT) > 0)).tolist()
        self.word_ids = numpy.where(table.lemma != 0, table.lemma, table.lower).tolist()
        verbs = numpy.array(_verb_ids.flags(self.strings, self.word_ids), dtype=bool)
        hard_before = numpy.zeros(len(self.lower), dtype=bool)
        hard_before[1:] = (lower_flags[:-1] & _HARD_BREAK) > 0
        # Tokens where a clause may start; ``_is_break`` decides.
        self.candidates = numpy.flatnonzero(verbs | hard_before)
        self.hard_before = hard_before.tolist()
        self.verb = verbs.tolist()
        counts = table.alpha & ~joiner
        # ``words[i]``: tokens before ``i`` that count toward a clause's length; ``letters`` likewise for alpha.
        self.words = numpy.concatenate([[0], numpy.cumsum(counts)]).tolist()
        self.letters = numpy.concatenate([[0], numpy.cumsum(table.alpha)]).tolist()

    def lower_text(self, i: int) -> str:
        """Token ``i``'s lower-cased text."""
        return str(self.strings[self.lower[i]])

    def lemma(self, i: int) -> str:
        """Token ``i``'s lemma (its lower-cased text where it has none), lower-cased."""
        return str(self.strings[self.word_ids[i]]).lower()

    def length(self, start: int, end: int) -> int:
        """Words in ``[start, end)`` that count toward a clause's length."""
        return int(self.words[end] - self.words[start])


def _is_break(words: _Words, first: int, i: int) -> bool:
    """Whether a new clause starts at token ``i`` (a candidate) of a statement that starts at ``first``."""
    previous = i - 1
    if words.hard_before[i] and i > first + 1:
        return True
    if not words.verb[i]:
        return False
    lower = words.lower_text(i)
    if words.lemma(i) in NOUN_LIKE_VERBS and not lower.endswith("ed"):
        return False
    if lower.endswith("ing") and words.orth[previous] == _COMMA_ID:
        return False  # "planning, scheduling and budgeting" is a list of activities
    if words.joiner[previous]:
        return True
    return words.space[previous] and i > first + 1 and words.joiner[i - 2]


def _trim(words: _Words, start: int, end: int) -> tuple[int, int]:
    """Token range of a clause without bullets, markup, lead-in filler and end punctuation."""
    lower, space = words.lower, words.space
    while start < end and words.lead[start]:
        start += 1
    changed = True
    while changed:
        changed = False
        lead = start
        while lead < end and space[lead]:
            lead += 1
        if lead == end or lower[lead] not in _FILLERS_BY_FIRST:
            break
        ahead = [i for i in range(start, min(end, start + 12)) if not space[i]][:7]
        lowered = tuple(lower[i] for i in ahead)
        for filler in _FILLERS_BY_FIRST[lower[lead]]:
            if lowered[: len(filler)] == filler and len(lowered) > len(filler):
                start = ahead[len(filler) - 1] + 1
                while start < end and words.lead_after_filler[start]:
                    start += 1
                changed = True
                break
    while end > start and words.trail[end - 1]:
        end -= 1
    return start, end


def _statement_phrases(words: _Words, first: int, last: int, candidates: list[int]) -> list[tuple[int, int]]:
    """Token ranges of the trimmed clauses of the statement ``[first, last)``."""
    cuts = [first]
    for i in candidates:
        if words.length(cuts[-1], i) and _is_break(words, first, i):
            cuts.append(i)
    cuts.append(last)
    merged: list[tuple[int, int]] = []
    for piece in pairwise(cuts):
        if merged and words.length(*piece) < MIN_CLAUSE_WORDS:
            merged[-1] = (merged[-1][0], piece[1])  # too short to stand alone: keep it with the clause before
        else:
            merged.append(piece)
    if len(merged) > 1 and words.length(*merged[0]) < MIN_CLAUSE_WORDS:
        merged[:2] = [(merged[0][0], merged[1][1])]
    ranges = []
    for piece in merged:
        start, end = _trim(words, *piece)
        if words.letters[end] > words.letters[start]:
            ranges.append((start, end))
    return ranges


def phrase_ranges(doc: Doc, table: TokenTable | None = None) -> list[tuple[int, int]]:
    """Token ranges ``(start, end)`` of the document's responsibility phrases, in text order.

    ``table`` is ``token_table(doc)`` when the caller has it already.
    """
    if not len(doc):
        return []
    table = table if table is not None else token_table(doc)
    words = _Words(doc, table)
    bounds = table.statement_bounds()
    candidates = words.candidates
    after = numpy.searchsorted(candidates, bounds, side="right").tolist()  # first candidate after a start
    before = numpy.searchsorted(candidates, bounds, side="left").tolist()  # first candidate from an end on
    candidates_list = candidates.tolist()
    found = []
    for k, (first, last) in enumerate(pairwise(bounds)):
        inside = candidates_list[after[k] : before[k + 1]]
        found += _statement_phrases(words, first, last, inside)
    return found


def document_phrases(doc: Doc) -> list[Span]:
    """All responsibility phrases of a document, in text order."""
    return [doc[start:end] for start, end in phrase_ranges(doc)]


@Language.component("rolecls_phrases")
def set_phrases(doc: Doc) -> Doc:
    """Store the document's responsibility phrases in ``doc.spans["phrases"]``."""
    doc.spans[PHRASE_SPANS_KEY] = document_phrases(doc)
    return doc
