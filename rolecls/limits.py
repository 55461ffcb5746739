"""Limits on what rolecls classifies: text length, and a check for text that is not English.

rolecls is trained on English postings. :func:`looks_non_english` tells when a text is most
likely in another language, so callers can warn and flag the result as low-confidence;
:func:`truncate` cuts very long inputs to :data:`MAX_CHARS` characters.
"""

from __future__ import annotations

import re
from functools import lru_cache

MAX_CHARS = 100_000
"""The most characters of one input that are classified; longer texts are cut (see :func:`truncate`)."""

TRUNCATION_WINDOW = 1_000
"""How far before the limit :func:`truncate` looks for whitespace to cut at."""

MIN_WORDS_FOR_LANGUAGE = 20
"""Texts with fewer words than this are never called non-English: too little to judge."""

NON_ENGLISH_BELOW = 0.05
"""A text whose :func:`english_share` is below this (with enough words) may be non-English."""

OTHER_LANGUAGE_AT_LEAST = 0.10
"""... and it looks non-English when its :func:`other_language_share` is at least this."""

LANGUAGE_SAMPLE_WORDS = 100
""":func:`looks_non_english` reads this many words from the start of a text: enough to tell, and cheap."""

# English stop words that are also everyday words in other languages rolecls is likely to
# meet (French/Spanish "a", "me", "no"; German "in", "an", "so", "was", "will", "also";
# Polish "i", "a", "to", "do", "on"; Italian "per", "re"; Latin "via"). Leaving them out keeps
# those languages from scoring as English.
_SHARED_WITH_OTHER_LANGUAGES = frozenset(
    {"a", "i", "in", "an", "am", "so", "do", "to", "on", "me", "no", "was", "will", "also", "per", "via", "top", "re"}
)

# Everyday function words of French, German, Spanish, Italian, Portuguese, Dutch and Polish
# that are not English words: evidence that a text is in another language.
_OTHER_LANGUAGE_WORDS = frozenset(
    """
    le la les des du de et est pour une avec dans nous vous sur qui que ce cette sont au aux votre notre leur ou où pas
    der die das und ist für mit den dem ein eine einen von zu wir sie ihr ihre auf bei nicht oder sind werden zur zum
    im als auch el los las del con para por una su sus se como más nuestro nuestra y il lo gli della dei delle di
    è che sono nel nella alla nostro nostra da uma é seu sua nos ao pelo pela você het een en van voor te dat wij je
    zijn jouw onze bij naar w z na się że nie jest oraz dla od jak lub ze przez
    """.split()
)

# Scripts written without spaces between words: each character counts as one word.
_NO_SPACE_SCRIPT = "\u0e00-\u0eff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
_WORD = re.compile(rf"[{_NO_SPACE_SCRIPT}]|[^\W\d_{_NO_SPACE_SCRIPT}]+")


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Common English words: spaCy's English stop words less those shared with other languages."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(w for w in STOP_WORDS if w.isalpha()) - _SHARED_WITH_OTHER_LANGUAGES


def words(text: str) -> list[str]:
    """The alphabetic words of ``text``, lower-cased (each character of Chinese, Japanese or Thai)."""
    return [match.group().lower() for match in _WORD.finditer(text)]


def english_share(text: str) -> float:
    """Share of the words of ``text`` that are common English words (0.0 when it has no words).

    English prose scores about 0.3-0.5 and bulleted postings about 0.2-0.3, but a bare list of
    skills or headings can score near 0, as do French, German, Spanish, Polish and texts in
    other scripts; :func:`looks_non_english` tells these apart.
    """
    return _english_share(words(text))


def _english_share(found: list[str]) -> float:
    if not found:
        return 0.0
    common = english_words()
    return sum(word in common for word in found) / len(found)


def other_language_share(text: str) -> float:
    """Share of the words of ``text`` that point to another language.

    A word counts when it is a common French, German, Spanish, Italian, Portuguese, Dutch or
    Polish function word, or holds a letter outside ASCII (accents, other scripts).
    """
    return _other_language_share(words(text))


def _other_language_share(found: list[str]) -> float:
    if not found:
        return 0.0
    return sum(word in _OTHER_LANGUAGE_WORDS or not word.isascii() for word in found) / len(found)


def looks_non_english(text: str) -> bool:
    """Whether ``text`` is most likely not in English, judged by its first ``LANGUAGE_SAMPLE_WORDS`` words.

    True when it has at least 20 words, fewer than 5% of them are common English words, and
    at least 10% point to another language. A bare list of skills or tool names has no
    English function words either, but nothing foreign, so it is not called non-English.
    """
    # The first thousand characters hold more than a hundred words unless they are mostly markup or numbers.
    sample = text[: LANGUAGE_SAMPLE_WORDS * 10].lower()
    ascii_words = _ascii_words(sample)
    if ascii_words is not None:
        found_bytes = ascii_words
        if len(found_bytes) < MIN_WORDS_FOR_LANGUAGE:
            return False
        english = sum(map(_english_bytes().__contains__, found_bytes)) / len(found_bytes)
        return english < NON_ENGLISH_BELOW and (
            sum(map(_OTHER_LANGUAGE_BYTES.__contains__, found_bytes)) / len(found_bytes) >= OTHER_LANGUAGE_AT_LEAST
        )
    found = _WORD.findall(sample)[:LANGUAGE_SAMPLE_WORDS]
    if len(found) < MIN_WORDS_FOR_LANGUAGE:
        return False
    return _english_share(found) < NON_ENGLISH_BELOW and _other_language_share(found) >= OTHER_LANGUAGE_AT_LEAST


# Bytes that are ASCII letters stay, all others become spaces: the words of an ASCII text then come from
# ``split``, several times faster than the regular expression.
_ASCII_LETTERS_ONLY = bytes(c if chr(c).isascii() and chr(c).isalpha() else 32 for c in range(256))
_NOT_ASCII = re.compile(r"[^\x00-\x7f]")
_OTHER_LANGUAGE_BYTES = frozenset(word.encode() for word in _OTHER_LANGUAGE_WORDS if word.isascii())


@lru_cache(maxsize=1)
def _english_bytes() -> frozenset[bytes]:
    return frozenset(word.encode() for word in english_words() if word.isascii())


def _ascii_words(sample: str) -> list[bytes] | None:
    """The first ``LANGUAGE_SAMPLE_WORDS`` of ``words(sample)``, as bytes and quickly, when the sample's only
    non-ASCII characters separate words; else None.

    Characters outside ASCII that are neither letters nor digits (bullets, curly quotes, dashes) separate
    words for ``_WORD`` as spaces do; a text that has other non-ASCII characters takes the full rule.
    """
    if not sample.isascii() and any(char.isalnum() for char in set(_NOT_ASCII.findall(sample))):
        return None
    # "?" for the separators outside ASCII, then a space like every other non-letter; the first hundred words
    letters = sample.encode("ascii", "replace").translate(_ASCII_LETTERS_ONLY)
    return letters.split(maxsplit=LANGUAGE_SAMPLE_WORDS)[:LANGUAGE_SAMPLE_WORDS]


def truncate(text: str, limit: int = MAX_CHARS) -> tuple[str, bool]:
    """Cut ``text`` to at most ``limit`` characters at the last whitespace before the limit.

    Returns the kept prefix (so offsets into it are offsets into ``text``) and whether
    anything was cut. When the last 1,000 characters before the limit hold no whitespace
    (a run of markup or data, not words), the text is cut at the limit itself.
    """
    if len(text) <= limit:
        return text, False
    head = text[: limit + 1]
    cut = max(head.rfind(space) for space in (" ", "\n", "\t", "\r", "\f", "\v", "\u00a0", "\u3000"))
    kept = text[:cut].rstrip() if cut > 0 and cut >= limit - TRUNCATION_WINDOW else ""
    return (kept or text[:limit]), True
