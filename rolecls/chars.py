"""Characters that give a text its structure (bullets, statement ends), and code points by offset."""

from __future__ import annotations

import numpy

# Bullets anywhere on a line, and characters that are bullets only when they lead a line.
# All of ``BULLET_CHARS`` are outside ASCII (the statement splitter relies on it).
BULLET_CHARS = frozenset("•·▪▫►▸◦●○■□‣⁃✓✔➢➤")
LINE_BULLETS = frozenset({"-", "–", "—", "*", "o", "+", ">"})
STATEMENT_END = frozenset({".", "!", "?", ";"})


def code_points(text: str) -> numpy.ndarray:
    """The text's characters as code points: index ``i`` is ``text[i]``, as spaCy's character offsets count."""
    return numpy.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=numpy.uint32)
