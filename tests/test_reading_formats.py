"""Reading every supported format, encoding and limit; fixture files are generated in tmp_path."""

from __future__ import annotations

import codecs
import gzip
import io
import re
import time
import warnings
import zipfile

import pytest

from rolecls import reading
from rolecls.errors import InputError, LanguageWarning, RoleclsWarning, TruncationWarning
from rolecls.limits import MAX_CHARS, english_share, looks_non_english, other_language_share, truncate
from rolecls.reading import Document, read_document

from .fixtures.documents import make_docx, make_pdf

POSTING_HTML = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Careers – Acme</title>
<style>p { color: red }</style><script>var roadmap = "<p>not text</p>";</script></head>
<body>
<!-- tracking pixel <img src=x> -->
<h1>Senior Product Manager</h1>
<p>Acme builds payments&nbsp;software for caf&eacute;s &amp; shops.</p>
<ul><li>Own the product <b>roadmap</b></li><li>Interview customers<br>every week</li></ul>
<table><tr><td>Location</td><td>London</td></tr></table>
<noscript>Enable JavaScript</noscript>
</body></html>
"""


def write(tmp_path, name: str, data: bytes | str):
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


# --- formats -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["posting.txt", "posting.md", "posting.rst", "posting", "POSTING.TXT"])
def test_text_and_unknown_extensions_are_read_as_text(tmp_path, name):
    text = "# Product Manager\n\n- Own the roadmap\n- Talk to customers\n"
    document = read_document(write(tmp_path, name, text))
    assert document == Document(source=str(tmp_path / name), text=text, truncated=False)


@pytest.mark.parametrize("name", ["posting.html", "posting.htm", "POSTING.HTML"])
def test_html_keeps_the_visible_text_one_block_per_line(tmp_path, name):
    text = read_document(write(tmp_path, name, POSTING_HTML)).text
    assert text.splitlines() == [
        "Senior Product Manager",
        "Acme builds payments software for cafés & shops.",
        "• Own the product roadmap",
        "• Interview customers",
        "every week",
        "Location",
        "London",
    ]


def test_html_honours_a_declared_charset_and_preformatted_text(tmp_path):
    markup = '<meta charset="iso-8859-1"><p>café “quoted”</p><pre>Plan\n  the   budget</pre>'
    text = read_document(write(tmp_path, "a.html", markup.encode("cp1252"))).text
    assert text == "café “quoted”\nPlan\nthe budget"


def test_html_without_text_is_empty(tmp_path):
    with pytest.raises(InputError, match="the text is empty"):
        read_document(write(tmp_path, "a.html", "<html><head><title>Job</title></head><body><img src=x></body>"))


def test_malformed_html_is_read_in_linear_time(tmp_path):
    markup = "<p>Own the roadmap</p>" + "<a" * 200_000 + "<!--" * 50_000 + "<![" * 50_000
    started = time.perf_counter()
    with pytest.warns(TruncationWarning, match="only the first 100,000"):  # no whitespace to cut at
        text = read_document(write(tmp_path, "a.html", markup)).text
    assert time.perf_counter() - started < 10  # html.parser alone takes minutes on this
    assert text.startswith("Own the roadmap\n<a<a") and len(text) == MAX_CHARS


def test_pdf_text_layer_is_read_page_after_page(tmp_path):
    pdf = make_pdf([["Own the product roadmap (2025).", "Interview customers — “weekly”, café"], ["Run the RAID log"]])
    document = read_document(write(tmp_path, "resume.pdf", pdf))
    assert document.text == "Own the product roadmap (2025).\nInterview customers — “weekly”, café\nRun the RAID log"


def test_pdf_without_a_text_layer_is_refused_clearly(tmp_path):
    with pytest.raises(InputError, match=r"scan\.pdf: the PDF has no text layer .*OCR"):
        read_document(write(tmp_path, "scan.pdf", make_pdf([[], []], with_text=False)))


def test_password_protected_pdf_is_refused_and_owner_only_protection_is_not(tmp_path):
    from pypdf import PdfReader, PdfWriter

    def encrypted(user_password: str) -> bytes:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf([["Own the roadmap"]]))))
        writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
        buffer = io.BytesIO()
        writer.write(buffer)
        return buffer.getvalue()

    with pytest.raises(InputError, match="password-protected"):
        read_document(write(tmp_path, "locked.pdf", encrypted("secret")))
    assert read_document(write(tmp_path, "open.pdf", encrypted(""))).text == "Own the roadmap"


@pytest.mark.parametrize("data", [b"%PDF-1.4\nnothing else", b"Own the roadmap", make_pdf([["Own it"]])[:200]])
def test_damaged_pdf_is_refused(tmp_path, data):
    with pytest.raises(InputError, match="not a readable PDF file"):
        read_document(write(tmp_path, "bad.pdf", data))


def test_docx_paragraphs_lists_table_cells_and_text_boxes_are_lines(tmp_path):
    docx = make_docx(
        heading="Senior Product Manager",
        paragraphs=("We build payments — for cafés.", ""),
        bullets=("Own the roadmap", "Talk to customers"),
        table=(("Skill", "Level"), ("SQL", "Expert")),
        text_box="Contact: jane@example.com",
    )
    assert read_document(write(tmp_path, "cv.docx", docx)).text.splitlines() == [
        "Senior Product Manager",
        "We build payments — for cafés.",
        "• Own the roadmap",
        "• Talk to customers",
        "Skill",
        "Level",
        "SQL",
        "Expert",
        "Contact: jane@example.com",  # once, not again from the compatibility fallback
    ]


def test_empty_docx_is_empty(tmp_path):
    with pytest.raises(InputError, match="the text is empty"):
        read_document(write(tmp_path, "empty.docx", make_docx()))


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"Own the roadmap", "not a Word .docx file"),
        (zipped({"readme.txt": b"hello"}), r"not a Word \.docx file \(no word/document\.xml inside\)"),
        (zipped({"word/document.xml": b"<not xml"}), "not a readable Word .docx file"),
    ],
)
def test_damaged_docx_is_refused(tmp_path, data, message):
    with pytest.raises(InputError, match=message):
        read_document(write(tmp_path, "bad.docx", data))


def test_pdf_and_docx_larger_than_the_limit_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "MAX_FILE_BYTES", 100)
    for name, data in [("a.pdf", make_pdf([["Own the roadmap"]])), ("a.docx", make_docx(heading="PM"))]:
        with pytest.raises(InputError, match="larger than"):
            read_document(write(tmp_path, name, data))


# --- standard input --------------------------------------------------------------------------


def test_stdin_is_text_unless_it_is_a_pdf_or_a_docx():
    assert read_document("-", stdin=io.BytesIO("Own the roadmap — café".encode("cp1252"))).text == (
        "Own the roadmap — café"
    )
    assert read_document("-", stdin=io.BytesIO(make_pdf([["Run the RAID log"]]))).text == "Run the RAID log"
    docx = make_docx(bullets=("Own the roadmap",))
    assert read_document("-", stdin=io.BytesIO(docx)) == Document("-", "• Own the roadmap")
    assert read_document("-", stdin=io.BytesIO(b"<p>Own &amp; run</p>")).text == "<p>Own &amp; run</p>"


def test_stdin_zip_that_is_not_a_docx_is_binary():
    with pytest.raises(InputError, match=r"-: looks like a binary file \(a zip archive"):
        read_document("-", stdin=io.BytesIO(zipped({"readme.txt": b"\x00\x01hello"})))


def test_a_pdf_or_docx_without_a_known_extension_is_recognised(tmp_path):
    assert read_document(write(tmp_path, "resume", make_pdf([["Own the roadmap"]]))).text == "Own the roadmap"
    assert read_document(write(tmp_path, "cv.bin", make_docx(heading="PM"))).text == "PM"


# --- encodings ---------------------------------------------------------------------------------

TEXT = "Own the “roadmap” — café, naïve and €5"


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
        codecs.BOM_UTF32_LE + TEXT.encode("utf-32-le"),
        TEXT.encode("cp1252"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le", "utf-16-be", "utf-32-le", "cp1252"],
)
@pytest.mark.parametrize("name", ["a.txt", "a.html"])
def test_encodings_decode_to_the_same_text(tmp_path, data, name):
    assert read_document(write(tmp_path, name, data)).text == TEXT


def test_cp1252_with_windows_line_endings_keeps_them(tmp_path):
    data = "Gérer le budget\r\nOwn the ‘roadmap’\r\n".encode("cp1252")
    assert read_document(write(tmp_path, "a.txt", data)).text == "Gérer le budget\r\nOwn the ‘roadmap’\r\n"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (codecs.BOM_UTF16_LE + b"O\x00w", "UTF-16 byte-order mark but is not valid UTF-16"),
        (b"caf\x81 \x8d", r"not valid UTF-8 or Windows-1252 text \(byte 3\)"),
        (b"\xe9t\xe9\x07 bell", "binary"),  # not UTF-8, and a control character rules out Windows-1252
    ],
)
def test_undecodable_text_is_refused(tmp_path, data, message):
    with pytest.raises(InputError, match=message):
        read_document(write(tmp_path, "a.txt", data))


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(8) + b"\x02\x00>\x00\x01\x00\x00\x00"


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (PNG, "a PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "a JPEG image"),
        (zipped({"readme.txt": b"Own the roadmap"}), "a zip archive"),
        (gzip.compress(b"Own the roadmap"), "a gzip archive"),
        (ELF, "an executable"),
        (b"MZ\x90\x00\x03\x00\x00\x00", "a Windows executable"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16), "an old Microsoft Office file; save it as .docx or PDF"),
        (make_pdf([["Own it"]]).replace(b"\n", b"\n\x00", 1), "a PDF file; name it .pdf"),
        (bytes(range(256)), None),
    ],
)
@pytest.mark.parametrize("name", ["a.txt", "a.html", "a.md"])
def test_binary_files_are_refused(tmp_path, data, kind, name):
    expected = f"looks like a binary file ({kind}" if kind else "looks like a binary file, not text"
    with pytest.raises(InputError, match=re.escape(expected)):
        read_document(write(tmp_path, name, data))


def test_a_few_stray_control_characters_do_not_make_text_binary(tmp_path):
    text = "Own the roadmap and interview customers every week.\x1a\n\x0cRun the weekly status report.\x07\n"
    assert read_document(write(tmp_path, "a.txt", text)).text == text


def test_unreadable_paths_are_refused(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_document(str(tmp_path / "a\x00b.txt"))
    with pytest.raises(InputError, match=r"cannot be read \(File name too long\)"):
        read_document(str(tmp_path / ("x" * 5000)))


# --- limits: length ----------------------------------------------------------------------------


def test_short_text_is_not_truncated_and_does_not_warn(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        document = read_document(write(tmp_path, "a.txt", "Own the roadmap " * 100))
    assert not document.truncated


def test_long_text_is_cut_at_whitespace_with_a_warning(tmp_path):
    text = "Own the product roadmap. " * 10_000  # 250,000 characters
    with pytest.warns(TruncationWarning, match=r"a\.txt: longer than 100,000 characters; only the first 99,99\d"):
        document = read_document(write(tmp_path, "a.txt", text))
    assert document.truncated
    assert len(document.text) <= MAX_CHARS
    assert text.startswith(document.text) and text[len(document.text)] == " "
    assert document.text.endswith("roadmap.")


def test_long_multibyte_text_is_cut_cleanly(tmp_path):
    text = "Gérer le “budget” 😀 " * 40_000  # several bytes per character: cut inside the decoded bytes
    for data in (text.encode("utf-8"), codecs.BOM_UTF16_LE + text.encode("utf-16-le")):
        with pytest.warns(TruncationWarning):
            document = read_document(write(tmp_path, "a.txt", data))
        assert document.truncated and text.startswith(document.text) and len(document.text) <= MAX_CHARS


def test_long_html_is_cut_and_flagged(tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "MAX_HTML_BYTES", 1000)
    markup = "<p>Own the roadmap</p>" + "<script>x</script>" * 200 + "<p>Never read</p>"
    with pytest.warns(TruncationWarning, match="only the text of the first"):
        document = read_document(write(tmp_path, "a.html", markup))
    assert document == Document(str(tmp_path / "a.html"), "Own the roadmap", truncated=True)


def test_truncate_cuts_at_the_last_whitespace_before_the_limit():
    assert truncate("one two three", 9) == ("one two", True)
    assert truncate("one two three", 7) == ("one two", True)
    assert truncate("one two three", 13) == ("one two three", False)
    assert truncate("abcdefghij", 4) == ("abcd", True)  # no whitespace: cut at the limit
    assert truncate("   abcdefghij", 5) == ("   ab", True)
    assert truncate("a " + "b" * 2000, 1500) == ("a " + "b" * 1498, True)  # whitespace too far back


def test_warning_classes():
    assert issubclass(TruncationWarning, RoleclsWarning) and issubclass(LanguageWarning, RoleclsWarning)
    assert issubclass(RoleclsWarning, UserWarning)


# --- limits: language ---------------------------------------------------------------------------

FOREIGN = {
    "French": (
        "Nous recherchons un chef de produit pour rejoindre notre équipe à Lyon. Vous serez responsable de "
        "la feuille de route, vous travaillerez avec les développeurs et vous rencontrerez nos clients chaque "
        "semaine pour comprendre leurs besoins."
    ),
    "German": (
        "Wir suchen einen erfahrenen Projektleiter für unser Büro in Hamburg. Sie planen und steuern komplexe "
        "Bauprojekte, überwachen Termine, Kosten und Qualität und berichten regelmäßig an die Geschäftsführung."
    ),
    "German with English jargon": (
        "Als Product Owner verantwortest du das Product Backlog und die Roadmap. Du arbeitest eng mit den "
        "Stakeholdern und dem Development Team zusammen und definierst User Stories mit Acceptance Criteria."
    ),
    "Spanish": (
        "Buscamos un gerente de proyectos con experiencia para nuestra oficina en Sevilla. Será responsable de "
        "planificar el cronograma, controlar el presupuesto y coordinar a los proveedores y contratistas."
    ),
    "Polish": (
        "Poszukujemy kierownika projektu do naszego biura w Krakowie. Do jego zadań będzie należało planowanie "
        "harmonogramu, kontrola budżetu i koordynacja pracy podwykonawców oraz raportowanie do zarządu."
    ),
    "Russian": (
        "Мы ищем опытного руководителя проектов в наш офис. Вы будете планировать сроки, контролировать бюджет "
        "и координировать работу подрядчиков и поставщиков."
    ),
    "Chinese": "我们正在寻找一名经验丰富的产品经理加入我们的团队。你将负责产品路线图并每周与客户交流以了解他们的需求。",
}

ENGLISH = {
    "prose": (
        "We are looking for a product manager to join our team in Leeds. You will own the roadmap, work "
        "closely with engineers and designers, and talk to our customers every week to understand their needs."
    ),
    "bullets": (
        "Responsibilities\n- Own the product roadmap and vision\n- Prioritise the backlog with engineering\n"
        "- Interview customers and analyse usage data\n- Define pricing and packaging\nRequirements\n"
        "- 3+ years of product management experience\n- Strong communication skills"
    ),
    "project": (
        "Build and maintain the integrated programme schedule, tracking milestones and the critical path. "
        "Control the capital budget and report variances to the board. Run the risk and issue register."
    ),
    "terse resume": (
        "Senior Product Manager, Acme Corp, 2019-2024\n- Led discovery for payments platform serving 2M users\n"
        "- Shipped subscription billing, growing revenue 30%\n- Ran A/B tests on onboarding funnel\n"
        "Product Manager, Beta Ltd, 2016-2019\n- Owned mobile app roadmap"
    ),
    "skills list": (
        "Skills: Jira, Confluence, SQL, Python, Tableau, Agile, Scrum, Kanban, SAFe, PRINCE2, PMP, MS Project, "
        "Smartsheet, Asana, Trello, Figma, Amplitude, Mixpanel, Looker, Salesforce, HubSpot, Excel"
    ),
    "mixed with French": (
        "We are hiring a project manager for our Montreal office. You will manage schedules and budgets. "
        "Nous recrutons un chargé de projet pour notre bureau de Montréal. Vous gérerez les échéanciers."
    ),
}


@pytest.mark.parametrize("language", FOREIGN)
def test_other_languages_look_non_english(language):
    text = FOREIGN[language]
    assert looks_non_english(text)
    assert english_share(text) < 0.05 and other_language_share(text) > 0.1


@pytest.mark.parametrize("kind", ENGLISH)
def test_english_does_not_look_non_english(kind):
    assert not looks_non_english(ENGLISH[kind])


def test_english_share_of_prose_is_high_and_short_texts_are_not_judged():
    assert english_share(ENGLISH["prose"]) > 0.3
    assert english_share("") == 0.0 and english_share("1234 — 5678") == 0.0
    assert not looks_non_english("Chef de produit à Lyon")  # too few words to judge


def test_the_quick_language_check_finds_the_same_words_as_the_full_rule():
    import random

    from rolecls.limits import LANGUAGE_SAMPLE_WORDS, _ascii_words, words

    rng = random.Random(0)
    separators = list("abcdefgh XYZ,.-_1234\n\t") + list("•“”’–—…✓\u00a0\u3000")
    letters = separators + list("éàüßç²½ⅷ\u0301中かก") + ["İ", "K", "ſ"]
    samples = [
        "".join(rng.choice(chars) for _ in range(rng.randint(0, 1200))).lower() for chars in [separators, letters] * 500
    ]
    samples += [text.lower() for text in [*FOREIGN.values(), *ENGLISH.values()]]
    quick = 0
    for sample in samples:
        found = _ascii_words(sample)
        if found is not None:
            quick += 1
            assert [word.decode() for word in found] == words(sample)[:LANGUAGE_SAMPLE_WORDS], sample
    assert quick > 100  # the quick path was taken, by texts with bullets and quotes too
    assert _ascii_words("\u2022 own the roadmap \u2014 and the \u201cbudget\u201d") is not None


def test_read_document_does_not_judge_the_language(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert read_document(write(tmp_path, "a.txt", FOREIGN["French"])).text == FOREIGN["French"]


# --- offsets ------------------------------------------------------------------------------------


def test_evidence_offsets_index_the_extracted_text(tmp_path, shipped_model):
    import rolecls

    document = read_document(write(tmp_path, "a.html", POSTING_HTML))
    result = rolecls.classify(document.text, model=shipped_model)
    assert result.evidence
    for evidence in result.evidence:
        assert document.text[evidence.start : evidence.end] == evidence.text
