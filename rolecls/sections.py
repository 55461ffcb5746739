"""Find the boilerplate sections of a posting or resume: text under a heading that names no duties.

A company blurb, a benefits list, an equal-opportunity statement, how to apply, and a resume's
education, interests or references describe the employer or the person, not the role's
responsibilities; rolecls judges by responsibilities, so the features skip these sections.
A section starts at a heading line that names one of them and holds the block of lines under it.
Only whole heading lines count: "Benefits" alone on its line starts a section, "Benefits include
health cover" does not.
"""

from __future__ import annotations

import re

# Markers around a heading: whitespace, Markdown heading and emphasis marks, and short HTML tags.
_MARKS = r"(?:[ \t\r]|\#|\*\*|__|<[^<>\n]{1,30}>)*"
_AND = r"\s+(?:and|&)\s+"
_BOILERPLATE_NAMES = "|".join(
    [
        # the employer
        r"about\s+(?:us|the\s+(?:company|organi[sz]ation|employer|firm|business|agency)"
        r"|our\s+(?:company|organi[sz]ation|client|team\s+and\s+culture))",
        r"who\s+we\s+are",
        r"our\s+(?:mission|story|values|company|organi[sz]ation|culture)",
        r"(?:company|organi[sz]ation)\s+(?:overview|description|profile|information|background)",
        # pay and benefits
        rf"(?:employee\s+|our\s+|the\s+)?benefits(?:{_AND}perks)?",
        rf"perks(?:{_AND}benefits)?",
        r"what\s+we\s+offer",
        r"why\s+(?:join\s+us|work\s+(?:with|for)\s+us)",
        rf"(?:compensation|salary|pay)(?:{_AND}benefits)?",
        r"total\s+rewards",
        # equal opportunity and applying
        r"equal\s+(?:employment\s+)?opportunit(?:y|ies)(?:\s+employer)?(?:\s+statement)?",
        r"eeo(?:\s+statement)?",
        rf"diversity(?:,?\s+equity)?{_AND}inclusion",
        r"(?:how\s+to\s+apply|to\s+apply|application\s+(?:process|instructions))",
        # a resume's person, not their work
        rf"education(?:{_AND}training)?",
        r"interests|hobbies|references",
        r"personal\s+(?:details|information|interests)",
        r"languages",
    ]
)
_ONE_LINE_NAMES = _BOILERPLATE_NAMES.replace(r"\s+", r"[ \t]+")  # a heading never spans lines
BOILERPLATE_HEADING = re.compile(
    rf"^{_MARKS}(?:{_ONE_LINE_NAMES}){_MARKS}:?{_MARKS}$",
    re.IGNORECASE | re.MULTILINE,
)

# A line that may be a heading: a few words without punctuation at its end, not led by a bullet (a
# list item). A short list item written without bullets ends a section early, which only means less
# is skipped.
_HEADING_WORDS = 8
_STRIP = re.compile(r"^(?:\s|#|\*\*|__|<[^<>\n]{1,30}>)+|(?:\s|\*\*|__|:|<[^<>\n]{1,30}>)+$")
_BULLETS = frozenset("-–—*+>•·▪▫►▸◦●○■□‣⁃✓✔➢➤")


def looks_like_heading(line: str) -> bool:
    """Whether a line of text may be a section heading (see above)."""
    stripped = line.strip()
    if not stripped or (stripped[0] in _BULLETS and not stripped.startswith(("**", "__"))):
        return False
    core = _STRIP.sub("", stripped)
    return bool(core) and len(core.split()) <= _HEADING_WORDS and core[-1] not in ".!?;,"


def boilerplate_ranges(text: str) -> list[tuple[int, int]]:
    """Character ranges ``[start, end)`` of the boilerplate sections of ``text``, heading lines included.

    A section holds the block of lines under its heading (blank lines right after the heading
    aside): it ends before a blank line or a heading-like line, so a missed heading can cost at
    most one block of text, never the rest of the document.
    """
    found: list[tuple[int, int]] = []
    for match in BOILERPLATE_HEADING.finditer(text):
        start = match.start()
        if found and start < found[-1][1]:
            continue  # a heading inside a section already found
        position, end, block = match.end(), len(text), False
        while position < len(text):
            following = text.find("\n", position + 1)
            line_end = len(text) if following == -1 else following
            line = text[position + 1 : line_end]
            blank = not line.strip()
            if (blank and block) or (
                not blank and looks_like_heading(line) and not BOILERPLATE_HEADING.fullmatch(line)
            ):
                end = position + 1
                break
            block = block or not blank
            position = line_end
        found.append((start, end))
    return found
