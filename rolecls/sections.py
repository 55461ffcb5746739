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

from rolecls.chars import BULLET_CHARS, LINE_BULLETS

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
# A heading's name at a line's start; the rest of the line must hold only marks and one colon at
# most (``_only_marks``: checked by a scan, since a pattern for it backtracks quadratically on long
# runs of spaces).
_HEADING_NAME = re.compile(rf"^{_MARKS}(?:{_ONE_LINE_NAMES})(?![^\W_])", re.IGNORECASE | re.MULTILINE)
_MARK = re.compile(r"[ \t\r]+|#+|\*\*|__|<[^<>\n]{1,30}>|:")
_LEADING_MARK = re.compile(r"\s+|#+|\*\*|__|<[^<>\n]{1,30}>")


def _only_marks(text: str) -> bool:
    """Whether ``text`` holds only whitespace, Markdown marks, short HTML tags and at most one colon."""
    position, colons = 0, 0
    while position < len(text):
        match = _MARK.match(text, position)
        if match is None:
            return False
        colons += match.group() == ":"
        if colons > 1:
            return False
        position = match.end()
    return True


def _line_end(text: str, position: int) -> int:
    end = text.find("\n", position)
    return len(text) if end == -1 else end


def boilerplate_headings(text: str) -> list[tuple[int, int]]:
    """Character ranges of the lines of ``text`` that are boilerplate headings ("About us", "## Benefits:")."""
    found = []
    for match in _HEADING_NAME.finditer(text):
        end = _line_end(text, match.end())
        if _only_marks(text[match.end() : end]):
            found.append((match.start(), end))
    return found


def is_boilerplate_heading(line: str) -> bool:
    """Whether a line (without its line break) is a boilerplate heading."""
    match = _HEADING_NAME.match(line)
    return match is not None and "\n" not in line and _only_marks(line[match.end() :])


def _strip_marks(text: str) -> str:
    """``text`` without leading whitespace, Markdown marks and tags, and trailing ones or colons."""
    start, end = 0, len(text)
    while start < end and (match := _LEADING_MARK.match(text, start, end)) is not None:
        start = match.end()
    while end > start:
        last = text[end - 1]
        if last.isspace() or last == ":":
            end -= 1
        elif text.endswith(("**", "__"), start, end):
            end -= 2
        elif (
            last == ">"
            and (opening := text.rfind("<", start, end - 1)) != -1
            and (3 <= end - opening <= 32 and not any(mark in text[opening + 1 : end - 1] for mark in "<>\n"))
        ):
            end = opening
        else:
            break
    return text[start:end]


# A line that may be a heading: a few words without punctuation at its end, not led by a bullet (a
# list item). A short list item written without bullets ends a section early, which only means less
# is skipped.
_HEADING_WORDS = 8
_BULLETS = BULLET_CHARS | (LINE_BULLETS - {"o"})


def looks_like_heading(line: str) -> bool:
    """Whether a line of text may be a section heading (see above)."""
    stripped = line.strip()
    if not stripped or (stripped[0] in _BULLETS and not stripped.startswith(("**", "__"))):
        return False
    core = _strip_marks(stripped)
    return bool(core) and len(core.split()) <= _HEADING_WORDS and core[-1] not in ".!?;,"


def boilerplate_ranges(text: str) -> list[tuple[int, int]]:
    """Character ranges ``[start, end)`` of the boilerplate sections of ``text``, heading lines included.

    A section holds the block of lines under its heading (blank lines right after the heading
    aside): it ends before a blank line or a heading-like line, so a missed heading can cost at
    most one block of text, never the rest of the document.
    """
    found: list[tuple[int, int]] = []
    for start, heading_end in boilerplate_headings(text):
        if found and start < found[-1][1]:
            continue  # a heading inside a section already found
        position, end, block = heading_end, len(text), False
        while position < len(text):
            line_end = _line_end(text, position + 1)
            line = text[position + 1 : line_end]
            blank = not line.strip()
            if (blank and block) or (not blank and looks_like_heading(line) and not is_boilerplate_heading(line)):
                end = position + 1
                break
            block = block or not blank
            position = line_end
        found.append((start, end))
    return found
