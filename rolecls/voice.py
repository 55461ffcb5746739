"""Find statements in the employer's voice: a company describing itself, not the role's duties.

"We build software products that millions of customers use" or "Acme is a construction group"
say what the employer does, and a company's own work ("products", "projects") would otherwise read
as the role's responsibilities. A statement is in the employer's voice when it starts with "we" or
"our", or with "<Capitalised word> is|was a|an|the"; and it holds no word that addresses the
candidate, the person or the role ("you", "will", "my", "looking", "role", ... in ``ADDRESS``);
and it has at most ``MAX_WORDS`` words (a longer one is text whose sentence ends were lost). If
every statement of a document is in the employer's voice, none is taken to be: something must be
read.
"""

from __future__ import annotations

import numpy

from rolecls.idlookup import WordSets

MAX_WORDS = 50
OPENERS = frozenset({"we", "our"})
ADDRESS = frozenset(
    {
        *("you", "your", "yours", "yourself", "i", "my", "me"),
        *("will", "'ll", "’ll", "would", "should", "must", "shall"),
        *("looking", "seeking", "hiring", "recruiting", "searching", "need", "needs", "want", "wants", "expect"),
        *("role", "roles", "position", "candidate", "candidates", "join", "ideal"),
    }
)
_WORDS = WordSets(opener=OPENERS, address=ADDRESS, copula={"is", "was"}, article={"a", "an", "the"})
_OPENER, _ADDRESS, _COPULA, _ARTICLE = (_WORDS.bit(name) for name in ("opener", "address", "copula", "article"))


def employer_voice(
    lower: numpy.ndarray,
    capitalised: numpy.ndarray,
    word: numpy.ndarray,
    statement: numpy.ndarray,
    first_statements: numpy.ndarray,
) -> numpy.ndarray:
    """Which tokens belong to statements in the employer's voice, for one document or several.

    ``lower`` holds the tokens' lower-case string ids, ``capitalised`` whether a token holds a
    capital letter, ``word`` which tokens are words (alphabetic, not markup), ``statement`` each
    token's statement index (non-decreasing, statements never span documents) and
    ``first_statements`` the index of each document's first statement.
    """
    result = numpy.zeros(len(lower), dtype=bool)
    words = numpy.flatnonzero(word)
    if not len(words):
        return result
    flags = _WORDS.flags(lower[words])
    owner = statement[words]
    count = int(statement[-1]) + 1
    sizes = numpy.bincount(owner, minlength=count)
    addressed = numpy.bincount(owner, weights=(flags & _ADDRESS) > 0, minlength=count) > 0
    first = numpy.searchsorted(owner, numpy.arange(count))  # position in ``words`` of each statement's first word

    def nth(n: int) -> numpy.ndarray:
        """Flags of each statement's n-th word (0 where it has fewer words)."""
        position = numpy.minimum(first + n, len(words) - 1)
        return numpy.where(sizes > n, flags[position], 0)

    opened = (nth(0) & _OPENER) > 0
    opening = numpy.minimum(first, len(words) - 1)
    named = (sizes > 2) & capitalised[words[opening]] & ((nth(1) & _COPULA) > 0) & ((nth(2) & _ARTICLE) > 0)
    voiced = (opened | named) & ~addressed & (sizes > 0) & (sizes <= MAX_WORDS)
    # A document all of whose statements with words are voiced keeps them all.
    documents = numpy.searchsorted(first_statements, numpy.arange(count), side="right") - 1
    with_words = numpy.bincount(documents, weights=sizes > 0, minlength=len(first_statements))
    voiced_count = numpy.bincount(documents, weights=voiced, minlength=len(first_statements))
    voiced &= (voiced_count < with_words)[documents]
    return voiced[statement]
