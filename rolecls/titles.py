"""Find role titles ("Senior Product Manager", "PMO", "TPM") in a text, with the side each names.

Titles are unreliable evidence (the same title means different work in different companies), so the
reader masks them: their tokens are never read as duties, and the first title found is compared with the
label to say when title and duties disagree.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from itertools import pairwise

import numpy

from rolecls.chars import code_points

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

# On lower-cased text: the core of a title ("product manager", "head of delivery"), found first, and the run of
# seniority words ("senior", "lead") right before it, found in the text before the core. Matching the core
# first, then looking back, gives the same matches as ``TITLE_PATTERN`` (a test compares them) in less time
# than trying the seniority words at every word.
_CORE_LOWER = re.compile(rf"\b(?=[pdhvc])(?:(?P<product>{_PRODUCT_TITLE})|(?P<project>{_PROJECT_TITLE}))\b")
_SENIORITY_RUN = re.compile(_SENIORITY.replace("(?:(?:", "(?:\\b(?:", 1)[:-1] + "+\\Z")
_LOOK_BACK = 200  # characters before a core that a run of seniority words may take


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
    previous = 0  # a run of seniority words never reaches into the match before it
    for match in _CORE_LOWER.finditer(marked):
        start, end = match.span()
        before = marked[max(previous, start - _LOOK_BACK) : start]
        run = _SENIORITY_RUN.search(before)
        if run is not None:
            start -= len(before) - run.start()
        previous = end
        shift_start, shift_end = bisect_left(separators, start), bisect_left(separators, end)
        found.append((start - shift_start, end - shift_end, "product" if match.group("product") else "project"))
    return found


def may_hold_abbreviation(text: str) -> bool:
    """Whether ``text`` may hold a role abbreviation: every one holds "PM", "PgM" or "CPO"."""
    return "PM" in text or "PgM" in text or "CPO" in text


def find_role_titles(text: str, full_titles: bool = True) -> list[tuple[int, int, str]]:
    """Role titles in ``text`` as ``(start, end, side)`` with side ``product`` or ``project``.

    ``full_titles=False`` looks for abbreviations only ("PM", "CPO"), for texts known to hold no
    written-out title (see ``may_hold_titles``).
    """
    found = _full_titles(text) if full_titles else []
    if may_hold_abbreviation(text):
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


def title_bits(text: str) -> int:
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


def may_hold_titles(bits: numpy.ndarray, space: numpy.ndarray, offsets: numpy.ndarray) -> list[bool]:
    """For each document of a batch: whether it may hold a written-out role title (never false when it does).

    ``bits`` holds every token's ``title_bits``.
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
