"""Cut texts into statements: at line breaks, bullets and sentence-final punctuation, on token arrays.

A statement is the unit rolecls judges: one duty, requirement, pay line or heading. A line broken inside
a sentence, as in text pasted from a PDF (the next line starts lower-case), continues the statement before
it, and the "." of a numbered list item ("1. Own the roadmap") does not end one.
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
