"""Read postings and resumes from files or standard input into text."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from rolecls.errors import InputError

STDIN_NAME = "-"


@dataclass(frozen=True)
class Document:
    """One input text and where it came from (a path, or ``-`` for standard input)."""

    source: str
    text: str


def decode(data: bytes, source: str) -> str:
    """Decode bytes as UTF-8 (a byte-order mark is dropped); refuse binary or undecodable data."""
    if b"\x00" in data[:8192]:
        raise InputError(f"{source}: looks like a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{source}: not valid UTF-8 text (byte {exc.start}); save it as UTF-8 and try again") from None


def check_text(text: str, source: str) -> str:
    """Return ``text`` unchanged, or raise ``InputError`` if it holds nothing to classify."""
    if not text.strip():
        raise InputError(f"{source}: the text is empty")
    if not any(ch.isalpha() for ch in text):
        raise InputError(f"{source}: the text has no words to classify")
    return text


def read_document(source: str | Path, stdin: BinaryIO | None = None) -> Document:
    """Read one document from a path, or from standard input when ``source`` is ``-``."""
    name = str(source)
    if name == STDIN_NAME:
        stream = stdin if stdin is not None else sys.stdin.buffer
        data = stream.read()
    else:
        path = Path(source)
        if not path.exists():
            raise InputError(f"{name}: no such file")
        if path.is_dir():
            raise InputError(f"{name}: is a directory, not a file")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"{name}: cannot be read ({exc.strerror})") from None
    return Document(source=name, text=check_text(decode(data, name), name))
