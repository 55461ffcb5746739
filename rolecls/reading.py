"""Read postings and resumes from files or standard input into text.

Formats, by file extension (case-insensitive): ``.txt`` and ``.md`` as text, ``.html``/``.htm``
(visible text only), ``.pdf`` (its text layer) and ``.docx``. Standard input (``-``) and files
with any other extension are read as text, unless their content is a PDF or a .docx.

Text is decoded from a byte-order mark (UTF-8, UTF-16, UTF-32), else as UTF-8, else (for
HTML) as the charset the page declares, else as Windows-1252. Binary files are refused.
The text of a :class:`Document` is the extracted text: evidence offsets index into it.
"""

from __future__ import annotations

import codecs
import re
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from rolecls.errors import InputError, TruncationWarning
from rolecls.extract import docx_to_text, html_to_text, pdf_to_text, sniff_format
from rolecls.limits import MAX_CHARS, english_share, looks_non_english, other_language_share, truncate

__all__ = [
    "FORMATS",
    "MAX_CHARS",
    "MAX_FILE_BYTES",
    "MAX_HTML_BYTES",
    "MAX_TEXT_BYTES",
    "STDIN_NAME",
    "Document",
    "check_text",
    "decode",
    "english_share",
    "looks_non_english",
    "other_language_share",
    "prepare_text",
    "read_document",
    "truncate",
]

STDIN_NAME = "-"

FORMATS = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".markdown": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".pdf": "pdf",
    ".docx": "docx",
}
"""File extension -> format; any other extension is read as text (or as PDF/.docx if it is one)."""

MAX_FILE_BYTES = 64 * 1024 * 1024
"""PDF and .docx files (and standard input) larger than this are refused."""

MAX_TEXT_BYTES = 4 * (MAX_CHARS + 2) + 4
"""Bytes of a text file that are decoded: always more than ``MAX_CHARS`` characters, whatever the encoding."""

MAX_HTML_BYTES = 8 * 1024 * 1024
"""Bytes of an HTML file that are parsed; the rest is ignored, with a ``TruncationWarning``."""

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)
# Control characters other than tab, newline, vertical tab, form feed and carriage return.
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1f\x7f]")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_MAX_CONTROL_SHARE = 0.05
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]{1,40})""", re.IGNORECASE)
_SIGNATURES = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"%PDF", "a PDF file; name it .pdf"),
    (b"PK\x03\x04", "a zip archive or an Office file other than .docx"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office file; save it as .docx or PDF"),
    (b"\x7fELF", "an executable"),
    (b"MZ", "a Windows executable"),
    (b"\xcf\xfa\xed\xfe", "an executable"),
    (b"\xca\xfe\xba\xbe", "an executable or Java class"),
    (b"\x00asm", "a WebAssembly module"),
    (b"SQLite format 3\x00", "an SQLite database"),
)


@dataclass(frozen=True)
class Document:
    """One input text and where it came from (a path, or ``-`` for standard input).

    ``text`` is the extracted text (for HTML, PDF and .docx, not the file's markup);
    ``truncated`` is true when the input was longer than rolecls reads and was cut.
    """

    source: str
    text: str
    truncated: bool = False


def _binary_error(data: bytes, source: str) -> InputError:
    kind = next((name for magic, name in _SIGNATURES if data.startswith(magic)), None)
    detail = f" ({kind})" if kind else ""
    return InputError(f"{source}: looks like a binary file{detail}, not text")


def _looks_binary(text: str) -> bool:
    """Text decoded from a binary file: NUL characters, or too many other control characters."""
    if "\x00" in text:
        return True
    controls = len(_CONTROL_CHARS.findall(text))
    return controls > 0 and controls >= _MAX_CONTROL_SHARE * len(text)


def _decode_strict(data: bytes, codec: str, final: bool) -> str:
    return codecs.getincrementaldecoder(codec)("strict").decode(data, final=final)


def _declared_codec(data: bytes) -> str | None:
    """The text encoding an HTML page declares in a ``<meta>`` tag, if Python knows it."""
    match = _META_CHARSET.search(data[:4096])
    if match is None:
        return None
    try:
        info = codecs.lookup(match.group(1).decode("ascii"))
    except (LookupError, UnicodeDecodeError):
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name.startswith(("utf-16", "utf-32")):
        return None
    # As browsers do: a page labelled Latin-1 or ASCII is read as Windows-1252.
    return "cp1252" if info.name in ("latin-1", "iso8859-1", "ascii") else info.name


def decode(data: bytes, source: str, *, final: bool = True, declared: str | None = None) -> str:
    """Decode the bytes of a text file; refuse binary or undecodable data with ``InputError``.

    A byte-order mark decides first (UTF-8, UTF-16 or UTF-32; the mark is dropped), then strict
    UTF-8, then the ``declared`` encoding (an HTML page's charset), then Windows-1252 if the
    bytes hold no control characters but tab, newline and carriage return. ``final=False``
    means ``data`` was cut from a longer input: an incomplete last character is dropped.
    """
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                text = _decode_strict(data[len(bom) :], codec, final)
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"{source}: starts with a {label} byte-order mark but is not valid {label} "
                    f"(byte {exc.start + len(bom)}); save it as UTF-8 and try again"
                ) from None
            if _looks_binary(text):
                raise _binary_error(data, source)
            return text
    if b"\x00" in data:
        raise _binary_error(data, source)
    try:
        text = _decode_strict(data, "utf-8", final)
    except UnicodeDecodeError as exc:
        position = exc.start
    else:
        if _looks_binary(text):
            raise _binary_error(data, source)
        return text
    if _CONTROL_BYTES.search(data):
        raise _binary_error(data, source)
    for codec in (declared, "cp1252") if declared else ("cp1252",):
        try:
            text = _decode_strict(data, codec, final)
        except (UnicodeDecodeError, LookupError):
            continue
        if not _looks_binary(text):
            return text
    raise InputError(
        f"{source}: not valid UTF-8 or Windows-1252 text (byte {position}); save it as UTF-8 and try again"
    )


def check_text(text: str, source: str) -> str:
    """Return ``text`` unchanged, or raise ``InputError`` if it holds nothing to classify."""
    if not text.strip():
        raise InputError(f"{source}: the text is empty")
    if not any(ch.isalpha() for ch in text):
        raise InputError(f"{source}: the text has no words to classify")
    return text


def _read_file(path: Path, name: str, limit: int) -> bytes:
    """Up to ``limit`` bytes of the file at ``path``; ``InputError`` when it cannot be read."""
    try:
        if not path.exists():
            raise InputError(f"{name}: no such file")
        if path.is_dir():
            raise InputError(f"{name}: is a directory, not a file")
        with path.open("rb") as stream:
            return stream.read(limit)
    except OSError as exc:
        raise InputError(f"{name}: cannot be read ({exc.strerror or exc})") from None
    except ValueError as exc:  # e.g. a NUL character in the path
        raise InputError(f"{name}: cannot be read ({exc})") from None


def _extract(data: bytes, kind: str, name: str) -> tuple[str, bool]:
    """The text of ``data`` read as ``kind``, and whether the input was cut short."""
    if kind in ("pdf", "docx"):
        if len(data) > MAX_FILE_BYTES:
            raise InputError(f"{name}: larger than {MAX_FILE_BYTES // 2**20} MB; rolecls reads smaller files")
        return (pdf_to_text(data, name, MAX_CHARS) if kind == "pdf" else docx_to_text(data, name)), False
    limit = MAX_HTML_BYTES if kind == "html" else MAX_TEXT_BYTES
    cut = len(data) > limit
    data = data[:limit]
    declared = _declared_codec(data) if kind == "html" else None
    text = decode(data, name, final=not cut, declared=declared)
    if kind != "html":
        return text, cut
    if cut and text.rfind("<") > text.rfind(">"):
        text = text[: text.rfind("<")]  # a tag cut in half is not text
    return html_to_text(text), cut


def read_document(source: str | Path, stdin: BinaryIO | None = None) -> Document:
    """Read one document from a path, or from standard input when ``source`` is ``-``.

    The format comes from the file extension (see the module docstring). Raises ``InputError``
    for a missing, binary, undecodable, damaged or empty input, or a PDF with no text layer.
    Text longer than ``MAX_CHARS`` characters is cut at the last whitespace before the limit,
    with a ``TruncationWarning``, and the document is marked ``truncated``.
    """
    name = str(source)
    if name == STDIN_NAME:
        stream = stdin if stdin is not None else sys.stdin.buffer
        data = stream.read(MAX_FILE_BYTES + 1)
        kind = sniff_format(data) or "text"
    else:
        path = Path(source)
        kind = FORMATS.get(path.suffix.lower(), "")
        limit = {"text": MAX_TEXT_BYTES, "html": MAX_HTML_BYTES}.get(kind, MAX_FILE_BYTES) + 1
        data = _read_file(path, name, limit)
        kind = kind or sniff_format(data) or "text"
    text, cut = _extract(data, kind, name)
    kept, truncated = truncate(text, MAX_CHARS)
    check_text(kept, name)
    if truncated:
        warnings.warn(
            f"{name}: longer than {MAX_CHARS:,} characters; only the first {len(kept):,} are classified",
            TruncationWarning,
            stacklevel=2,
        )
    elif cut:
        warnings.warn(
            f"{name}: longer than {MAX_HTML_BYTES // 2**20} MB; only the text of the first "
            f"{MAX_HTML_BYTES // 2**20} MB is classified",
            TruncationWarning,
            stacklevel=2,
        )
    return Document(source=name, text=kept, truncated=truncated or cut)


NON_ENGLISH_NOTE = "the text does not look like English; rolecls reads English postings, so trust this result less"


def truncation_note(kept: str) -> str:
    """The note a result carries when its input was cut to ``kept``."""
    return f"longer than {MAX_CHARS:,} characters; only the first {len(kept):,} are classified"


def prepare_text(text: str, source: str) -> tuple[str, list[str], bool]:
    """Check a text and cut it to ``MAX_CHARS``: the text to classify, notes for the user, and low confidence.

    Raises ``InputError`` when there is nothing to classify (see :func:`check_text`).
    """
    kept, truncated = truncate(text, MAX_CHARS)
    check_text(kept, source)
    notes = [truncation_note(kept)] if truncated else []
    non_english = looks_non_english(kept)
    if non_english:
        notes.append(NON_ENGLISH_NOTE)
    return kept, notes, non_english
