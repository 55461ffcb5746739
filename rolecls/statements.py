"""Cut texts into statements: at line breaks, bullets and sentence-final punctuation, on token arrays.

A statement is the unit rolecls judges: one duty, requirement, pay line or heading. A line broken inside
a sentence, as in text pasted from a PDF (the next line starts lower-case), continues the statement before
it, and the "." of a numbered list item ("1. Own the roadmap") does not end one. A text whose line breaks
and punctuation were lost would be one long statement holding many duties: a statement of more than
``LONG_WORDS`` words is cut again before the verbs that open duties ("managed", "define", "led").
"""

from __future__ import annotations

from typing import NamedTuple

import numpy

from rolecls.chars import BULLET_CHARS, LINE_BULLETS, STATEMENT_END
from rolecls.idlookup import WordSets

STATEMENT_WORDS = WordSets(end=STATEMENT_END, line_bullet=LINE_BULLETS, colon={":"})
"""Token strings that end a statement, lead a line as a bullet, or are a colon (``StatementTokens.flags``)."""
_END, _LINE_BULLET, _COLON = (STATEMENT_WORDS.bit(name) for name in ("end", "line_bullet", "colon"))

_LOWER_FIRST, _BULLET_FIRST, _HOLDS_LINE_BREAK = 1, 2, 4

# Verbs that open a duty (lemmas, as the lookup lemmatizer gives them), and those among them that are as
# often nouns ("the budget", "a status report"): these open a duty only in the past tense ("budgeted").
DUTY_VERBS = frozenset(
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
NOUN_LIKE_VERBS = frozenset(
    """
    budget schedule plan report control design review support test document model map package price size
    position sequence staff resource record file log book sponsor direct secure win retain convert spec
    segment pitch commission close experiment research partner set lead run track update train interview
    forecast present launch draft guide balance champion measure
    """.split()
)
LONG_WORDS = 40
"""A statement of more words than this is cut again before the verbs that open duties."""
MIN_PIECE_WORDS = 6
"""A piece cut from a long statement holds at least this many words."""


def opens_duty(lemma: str, text: str) -> bool:
    """Whether a word (its lemma and its text) is a verb that opens a duty: "define", "managed", "budgeted"."""
    return lemma in DUTY_VERBS and (lemma not in NOUN_LIKE_VERBS or text.lower().endswith("ed"))


def char_bits(text: str) -> int:
    """Whether a token's first character is a lower-case letter or a bullet, and whether it holds a line break."""
    return (
        _LOWER_FIRST * text[:1].islower()
        | _BULLET_FIRST * (text[:1] in BULLET_CHARS)
        | _HOLDS_LINE_BREAK * ("\n" in text or "\r" in text)
    )


class StatementTokens(NamedTuple):
    """What the splitter reads of each token of one or more documents."""

    space: numpy.ndarray  # whitespace tokens
    like_num: numpy.ndarray
    flags: numpy.ndarray  # ``STATEMENT_WORDS.flags`` of each token's string
    first: numpy.ndarray  # ``char_bits`` of each token's string


def statement_starts(tokens: StatementTokens, markup: numpy.ndarray, first_tokens: numpy.ndarray) -> numpy.ndarray:
    """Whether each token starts a statement: after a line break, a bullet or sentence-final punctuation.

    ``first_tokens`` holds the index of each document's first token; markup tokens (HTML tags and
    entities) are passed over when looking back for the end of the previous statement.
    """
    count = len(tokens.space)
    starts = numpy.zeros(count, dtype=bool)
    if not count:
        return starts
    space, like_num, flags = tokens.space, tokens.like_num, tokens.flags
    positions = numpy.arange(count)
    document_start = numpy.repeat(first_tokens, numpy.diff(numpy.append(first_tokens, count)))
    lower_first, bullet = (tokens.first & _LOWER_FIRST) > 0, (tokens.first & _BULLET_FIRST) > 0
    line_break = space & ((tokens.first & _HOLDS_LINE_BREAK) > 0)
    # ``last[i]``: the last token of i's document before ``i`` that is neither whitespace nor markup (-1 if none)
    word = numpy.where(~space & ~markup, positions, -1)
    last = numpy.concatenate([[-1], numpy.maximum.accumulate(word)[:-1]])
    last = numpy.where(last >= document_start, last, -1)
    known = last >= 0
    previous = numpy.maximum(last, 0)
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


def long_statement_cuts(starts: numpy.ndarray, word: numpy.ndarray, opener: numpy.ndarray) -> numpy.ndarray:
    """Where to cut statements of more than ``LONG_WORDS`` words: before a duty verb (``opener``), in text order,
    once the piece before it holds ``MIN_PIECE_WORDS`` words and the piece after it can too.

    ``starts`` marks the statements' first tokens and ``word`` the tokens that count as words.
    """
    cuts = numpy.zeros(len(starts), dtype=bool)
    statement = numpy.cumsum(starts) - 1
    if not len(statement):
        return cuts
    words_before = numpy.concatenate([[0], numpy.cumsum(word)])  # words before each token
    bounds = numpy.append(numpy.flatnonzero(starts), len(starts))
    sizes = words_before[bounds[1:]] - words_before[bounds[:-1]]
    for number in numpy.flatnonzero(sizes > LONG_WORDS).tolist():
        first, end = int(bounds[number]), int(bounds[number + 1])
        last_cut = words_before[first]
        for token in (first + numpy.flatnonzero(opener[first:end] & word[first:end])).tolist():
            before, after = words_before[token] - last_cut, words_before[end] - words_before[token]
            if before >= MIN_PIECE_WORDS and after >= MIN_PIECE_WORDS:
                cuts[token] = True
                last_cut = words_before[token]
    return cuts
