"""Extract plain text from HTML, PDF and Word (.docx) documents.

Each extractor returns the text a reader would see, one block (paragraph, list item, table
cell, heading) per line, with list items marked ``• `` so they stay separate statements.
Evidence offsets refer to this extracted text, never to the file's bytes.
"""

from __future__ import annotations

import html
import io
import logging
import re
import warnings
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from typing import TYPE_CHECKING

from rolecls.errors import InputError

if TYPE_CHECKING:
    from docx.oxml.text.paragraph import CT_P
    from pypdf import PdfReader

PDF_MAGIC = b"%PDF"
ZIP_MAGIC = b"PK\x03\x04"
DOCX_MAIN_PART = "word/document.xml"
MAX_UNZIPPED_BYTES = 256 * 1024 * 1024
"""A .docx whose parts unpack to more than this is refused (a defence against zip bombs)."""

BULLET = "• "

# Elements whose content a reader never sees.
_SKIPPED = frozenset({"head", "title", "script", "style", "noscript", "template", "svg", "math"})
# Elements that start and end a line.
_BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "dialog", "div",
        "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
        "h6", "header", "hgroup", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary",
        "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_TAG = re.compile(r"<[^>]*>")
# A "<" that a ">" does not close before the next "<" is text, not a tag.
_UNCLOSED_LT = re.compile(r"<(?=[^<>]*(?:<|\Z))")
_MARKED_SECTION = re.compile(r"<!\[[^<>]*>")


def tidy_lines(lines: list[str]) -> str:
    """Strip each line, collapse runs of spaces, drop empty lines and join with newlines."""
    kept = (re.sub(r"[ \t\u00a0]{2,}", " ", line).strip() for line in lines)
    return "\n".join(line for line in kept if line)


def clean_extracted(text: str) -> str:
    """Normalise text pulled out of a PDF or DOCX: newlines, no control characters or lone surrogates."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = _SURROGATE.sub("\ufffd", _CONTROL.sub("", text))
    return tidy_lines(text.split("\n"))


def sniff_format(data: bytes) -> str | None:
    """``"pdf"`` or ``"docx"`` when ``data`` is such a file (by its content), else ``None``."""
    if data.startswith(PDF_MAGIC):
        return "pdf"
    if data.startswith(ZIP_MAGIC) and is_docx(data):
        return "docx"
    return None


def is_docx(data: bytes) -> bool:
    """Whether ``data`` is a zip archive holding a Word document (``word/document.xml``)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return DOCX_MAIN_PART in archive.namelist()
    except Exception:  # a damaged zip can fail in many ways; it is then not a .docx
        return False


class _TextParser(HTMLParser):
    """Collect the visible text of an HTML document, one block per line."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self._line: list[str] = []
        self._skipping: list[str] = []
        self._pre = 0

    def _break(self) -> None:
        self.lines.append("".join(self._line))
        self._line = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self._skipping.clear()  # an unclosed <head> ends where the body starts
        elif tag in _SKIPPED:
            self._skipping.append(tag)
        elif tag in _BLOCKS:
            self._break()
            if tag == "li" and not self._skipping:
                self._line.append(BULLET)
            elif tag == "pre":
                self._pre += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self._break()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            if tag in self._skipping:
                while self._skipping.pop() != tag:
                    pass
        elif tag in _BLOCKS:
            self._break()
            if tag == "pre" and self._pre:
                self._pre -= 1

    def handle_data(self, data: str) -> None:
        if self._skipping:
            return
        if self._pre:
            first, *rest = data.replace("\r\n", "\n").replace("\r", "\n").split("\n")
            self._line.append(first)
            for line in rest:
                self._break()
                self._line.append(line)
        else:
            self._line.append(_SPACES.sub(" ", data))

    def text(self) -> str:
        self._break()
        return tidy_lines(self.lines)


def _without_comments(markup: str) -> str:
    """``markup`` without ``<!-- ... -->`` comments; an unclosed comment runs to the end, as in browsers."""
    kept: list[str] = []
    position = 0
    while (start := markup.find("<!--", position)) >= 0:
        kept.append(markup[position:start])
        end = markup.find("-->", start + 2)  # "<!-->" is an empty comment
        position = len(markup) if end < 0 else end + 3
    kept.append(markup[position:])
    return "".join(kept)


def _simplify_markup(markup: str) -> str:
    """Remove comments and marked sections and escape stray ``<``, in one linear pass each.

    ``html.parser`` rescans to the end of the input for every ``<`` it cannot close, which
    takes quadratic time on malformed input; after this every ``<`` left is closed by a ``>``.
    """
    return _UNCLOSED_LT.sub("&lt;", _MARKED_SECTION.sub("", _without_comments(markup)))


def html_to_text(markup: str) -> str:
    """The visible text of an HTML document.

    Tags are dropped, with comments, scripts, styles and the ``<head>``; entities are decoded;
    block elements (p, div, li, br, h1-h6, tr, td, ...) become line breaks and list items start
    with ``• ``. Markup the parser cannot follow falls back to stripping anything in ``<...>``.
    """
    parser = _TextParser()
    try:
        parser.feed(_simplify_markup(markup))
        parser.close()
        text = parser.text()
    except Exception:  # html.parser is lenient, but malformed declarations can still trip it
        text = tidy_lines(html.unescape(_TAG.sub("\n", markup)).split("\n"))
    return _SURROGATE.sub("\ufffd", _CONTROL.sub("", text))


@contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """Keep pypdf's complaints about damaged files off standard error while reading."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


def pdf_to_text(data: bytes, source: str, max_chars: int | None = None) -> str:
    """The text layer of a PDF, page after page (reading stops once ``max_chars`` are reached).

    Raises ``InputError`` for a damaged or password-protected PDF, and for one without a
    text layer (a scan), which would need OCR first.
    """
    from pypdf import PdfReader

    pages: list[str] = []
    with _quiet_pypdf():
        try:
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted and not _decrypted(reader):
                raise InputError(f"{source}: the PDF is password-protected; save an unprotected copy and try again")
            total = 0
            for page in reader.pages:
                pages.append(page.extract_text() or "")
                total += len(pages[-1])
                if max_chars is not None and total > max_chars:
                    break
        except InputError:
            raise
        except Exception:  # pypdf raises many kinds of errors on damaged files
            raise InputError(f"{source}: not a readable PDF file (damaged, or not a PDF)") from None
    text = clean_extracted("\n".join(pages))
    if not any(ch.isalpha() for ch in text):
        raise InputError(
            f"{source}: the PDF has no text layer (it may be a scanned image); "
            "run it through OCR or copy the text into a .txt file"
        )
    return text


def _decrypted(reader: PdfReader) -> bool:
    """Try the empty password, which opens PDFs that are only protected against editing."""
    try:
        return bool(reader.decrypt(""))
    except Exception:  # wrong password, or an encryption pypdf cannot handle
        return False


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def docx_to_text(data: bytes, source: str) -> str:
    """The text of a Word .docx body: paragraphs, table cells and text boxes, one per line.

    List paragraphs start with ``• ``. Headers, footers, footnotes and comments are left out.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
            if DOCX_MAIN_PART not in archive.namelist():
                raise InputError(f"{source}: not a Word .docx file (no {DOCX_MAIN_PART} inside)")
    except InputError:
        raise
    except Exception:
        raise InputError(f"{source}: not a Word .docx file (not a readable zip archive)") from None
    if unzipped > MAX_UNZIPPED_BYTES:
        raise InputError(f"{source}: the .docx unpacks to more than {MAX_UNZIPPED_BYTES // 2**20} MB; refusing it")
    try:
        import docx

        body = docx.Document(io.BytesIO(data)).element.body
        lines = [line for paragraph in body.iter(f"{_W}p") for line in _paragraph_lines(paragraph)]
    except Exception:  # python-docx and lxml raise many kinds of errors on damaged files
        raise InputError(f"{source}: not a readable Word .docx file (damaged, or not a .docx)") from None
    return clean_extracted("\n".join(lines))


def _paragraph_lines(paragraph: CT_P) -> list[str]:
    """The text of one ``w:p`` element (none for the duplicate copy in a compatibility fallback)."""
    if any(True for _ in paragraph.iterancestors(_MC_FALLBACK)):
        return []
    text = paragraph.text
    if not text.strip():
        return []
    properties = paragraph.pPr
    style = properties.pStyle.val if properties is not None and properties.pStyle is not None else ""
    if properties is not None and (properties.numPr is not None or (style or "").startswith("List")):
        text = BULLET + text
    return [text]
