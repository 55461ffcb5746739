"""Property-based tests: whatever bytes arrive, reading fails only with ``InputError``."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from rolecls.errors import InputError
from rolecls.limits import MAX_CHARS
from rolecls.reading import read_document

from .fixtures.documents import make_docx, make_pdf

SEEDS = {
    ".txt": "Own the “roadmap” — café\r\nRun the RAID log\n".encode(),
    ".html": (
        b"<!DOCTYPE html><html><head><title>x</title><style>p{}</style></head><body><!-- c -->"
        b"<h1>PM</h1><p>Own &amp; run&nbsp;it</p><ul><li>a<br>b</li></ul><pre>x\n y</pre>"
        b"<table><tr><td>c</td></tr></table><![CDATA[x]]><script>if (a<b) {}</script></body></html>"
    ),
    ".pdf": make_pdf([["Own the product roadmap", "Interview customers"], ["Run the RAID log"]]),
    ".docx": make_docx("PM", ("Own it",), ("Talk to customers",), (("a", "b"),), text_box="Box"),
}
SEEDS["-"] = SEEDS[".pdf"]

FAST = settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


@st.composite
def damaged(draw: st.DrawFn, seed: bytes) -> bytes:
    """``seed`` with a few bytes overwritten, inserted or deleted, or cut short."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 6))):
        position = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["overwrite", "insert", "delete", "cut", "repeat"]))
        chunk = draw(st.binary(min_size=1, max_size=8))
        if action == "overwrite":
            data[position : position + len(chunk)] = chunk
        elif action == "insert":
            data[position:position] = chunk
        elif action == "delete":
            del data[position : position + len(chunk)]
        elif action == "cut":
            del data[position:]
        else:
            data[position:position] = data[position : position + 64]
    return bytes(data)


def with_part(docx: bytes, part: str, content: bytes) -> bytes:
    """``docx`` with one part replaced: a valid zip whose XML may be damaged."""
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as source, zipfile.ZipFile(output, "w") as target:
        for item in source.infolist():
            target.writestr(item, content if item.filename == part else source.read(item))
    return output.getvalue()


def inputs(extension: str) -> st.SearchStrategy[bytes]:
    """Random bytes, a damaged copy of a valid input, and for .docx a valid zip with damaged XML."""
    strategies = [st.binary(max_size=2048), damaged(SEEDS[extension])]
    if extension == ".docx":
        with zipfile.ZipFile(io.BytesIO(SEEDS[".docx"])) as archive:
            xml = archive.read("word/document.xml")
        strategies.append(damaged(xml).map(lambda part: with_part(SEEDS[".docx"], "word/document.xml", part)))
    return st.one_of(strategies)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


@pytest.mark.parametrize("extension", list(SEEDS))
@FAST
@given(data=st.data())
def test_any_bytes_give_text_or_input_error(folder, extension, data):
    raw = data.draw(inputs(extension), label="bytes")
    try:
        if extension == "-":
            document = read_document("-", stdin=io.BytesIO(raw))
        else:
            path = folder / f"input{extension}"
            path.write_bytes(raw)
            document = read_document(path)
    except InputError as exc:
        event(str(exc).split(": ", 1)[-1][:40])  # shown by --hypothesis-show-statistics
        return
    event("read")
    assert document.text.strip() and any(ch.isalpha() for ch in document.text)
    assert len(document.text) <= MAX_CHARS
    document.text.encode("utf-8")  # no lone surrogates: the text can always be printed or sent as JSON


def refusal_is_documented(text: str, message: str, encoding: str) -> bool:
    """Whether ``message`` is the documented refusal for ``text``."""
    if "looks like a binary file" in message:
        return bool(CONTROL.search(text))
    if "byte-order mark" in message:  # FF FE 00 00 starts UTF-16 text that begins with NUL, and UTF-32
        return encoding == "utf-16" and text.startswith("\x00")
    if message.endswith("the text is empty"):
        # A lone NUL in UTF-16 is FF FE 00 00: also a UTF-32 byte-order mark with nothing after it.
        return not text.strip() or (encoding == "utf-16" and text == "\x00")
    if message.endswith("the text has no words to classify"):
        return not any(ch.isalpha() for ch in text)
    return False


@settings(max_examples=400, deadline=None, database=None)
@given(
    text=st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=300),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
)
@example(text="\x00", encoding="utf-16")  # found by a run of this test: FF FE 00 00 reads as UTF-32
def test_unicode_text_round_trips(folder, text, encoding):
    path = folder / "roundtrip.txt"
    path.write_bytes(text.encode(encoding))
    expected = text[1:] if encoding == "utf-8" and text.startswith("\ufeff") else text  # read as a BOM
    try:
        document = read_document(path)
    except InputError as exc:
        assert refusal_is_documented(expected, str(exc), encoding), str(exc)
        return
    assert document.text == expected
    assert not document.truncated
