"""The command line as a user runs it: output, formats, several inputs, stdin, exit codes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from rolecls.cli import main

from .conftest import EXAMPLES

PRODUCT = str(EXAMPLES / "product_posting.txt")
PROJECT = str(EXAMPLES / "project_posting.txt")
HYBRID = str(EXAMPLES / "hybrid_resume.txt")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_classify_prints_label_probabilities_and_marked_phrases(runner):
    result = runner.invoke(main, ["classify", PRODUCT])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.splitlines()[0] == f"{PRODUCT}: product"
    assert "probabilities: " in out and all(f"{label} " in out for label in ("product", "project", "hybrid"))
    assert "[[Own the product vision and roadmap" in out and "](product)" in out
    assert "\x1b[" not in out  # no colour codes when not a terminal


def test_colour_always_highlights_with_ansi_codes(runner):
    result = runner.invoke(main, ["classify", "--color", "always", PROJECT])
    assert result.exit_code == 0, result.output
    assert "\x1b[" in result.stdout and "[[" not in result.stdout
    assert "legend" in result.stdout


def test_top_limits_listed_and_marked_phrases(runner):
    result = runner.invoke(main, ["classify", "--top", "2", PROJECT])
    assert result.exit_code == 0
    assert result.stdout.count("](project)") + result.stdout.count("](product)") == 2


def test_json_has_label_scores_and_evidence_with_exact_offsets(runner):
    result = runner.invoke(main, ["classify", "--format", "json", PRODUCT, PROJECT, HYBRID])
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 3
    for line, path in zip(lines, (PRODUCT, PROJECT, HYBRID), strict=True):
        record = json.loads(line)
        text = Path(path).read_text(encoding="utf-8")
        assert record["source"] == path
        assert record["label"] in {"product", "project", "hybrid"}
        assert set(record["scores"]) == {"product", "project", "hybrid", "neither"}
        assert sum(record["scores"].values()) == pytest.approx(1.0)
        assert record["evidence"]
        for phrase in record["evidence"]:
            assert text[phrase["start"] : phrase["end"]] == phrase["text"]
            assert phrase["label"] in {"product", "project"} and phrase["weight"] > 0
    assert [json.loads(line)["label"] for line in lines] == ["product", "project", "hybrid"]


def test_standard_input_is_read_with_dash(runner):
    text = Path(PROJECT).read_text(encoding="utf-8")
    result = runner.invoke(main, ["classify", "--format", "json", "-"], input=text)
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["source"] == "-" and record["label"] == "project"


def test_missing_file_is_a_one_line_error_and_others_still_run(runner):
    result = runner.invoke(main, ["classify", "--format", "json", "no/such/file.txt", PRODUCT])
    assert result.exit_code == 1
    assert result.stderr.strip() == "rolecls: error: no/such/file.txt: no such file"
    assert json.loads(result.stdout)["label"] == "product"


@pytest.mark.parametrize("content", [b"", b"   \n\t\n", b"1234 -- 5678"])
def test_empty_text_is_a_user_error(runner, tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    result = runner.invoke(main, ["classify", str(path)])
    assert result.exit_code == 1
    assert result.stderr.startswith("rolecls: error: ") and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_binary_file_is_a_user_error(runner, tmp_path):
    path = tmp_path / "image.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    result = runner.invoke(main, ["classify", str(path)])
    assert result.exit_code == 1 and "binary" in result.stderr


def test_bad_usage_exits_2(runner):
    assert runner.invoke(main, ["classify"]).exit_code == 2
    assert runner.invoke(main, ["classify", "--format", "xml", PRODUCT]).exit_code == 2
    assert runner.invoke(main, ["classify", "--top", "0", PRODUCT]).exit_code == 2
    assert runner.invoke(main, ["no-such-command"]).exit_code == 2


def test_help_explains_every_option(runner):
    top = runner.invoke(main, ["--help"])
    assert top.exit_code == 0 and "classify" in top.stdout and "train" in top.stdout
    help_text = runner.invoke(main, ["classify", "--help"]).stdout
    for option in ("--format", "--top", "--all-evidence", "--model", "--color", "standard input"):
        assert option in help_text


def test_bad_model_path_is_a_user_error(runner, tmp_path):
    bad = tmp_path / "model.joblib"
    bad.write_bytes(b"not a model")
    result = runner.invoke(main, ["classify", "--model", str(bad), PRODUCT])
    assert result.exit_code == 1
    assert "corrupt or truncated" in result.stderr and "Traceback" not in result.output


def test_installed_console_script_runs():
    completed = subprocess.run(
        [sys.executable, "-m", "rolecls", "classify", "--format", "json", PROJECT],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout)["label"] == "project"


def test_unreadable_inputs_fail_fast_without_loading_the_model(runner, monkeypatch):
    import rolecls.inference

    def no_model(*args, **kwargs):
        raise AssertionError("the model should not be loaded")

    monkeypatch.setattr(rolecls.inference, "get_model", no_model)
    result = runner.invoke(main, ["classify", "missing-one.txt", "missing-two.txt"])
    assert result.exit_code == 1
    assert result.stderr.count("no such file") == 2


def test_html_report_is_self_contained_and_escapes_input(runner, tmp_path):
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(
        '<script>alert("x")</script>\n- Own the <b>roadmap</b> & pricing\n- Manage the budget <img src=x onerror=1>\n',
        encoding="utf-8",
    )
    result = runner.invoke(main, ["classify", "--format", "html", str(hostile), PROJECT])
    assert result.exit_code == 0, result.output
    page = result.stdout
    assert page.startswith("<!DOCTYPE html>") and page.count("<section>") == 2
    assert "<script" not in page and "<img" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "http://" not in page and "https://" not in page and "<link" not in page
    assert not re.search(r"<[^>]*\s(src|href|on\w+)=", page)  # no external asset or handler in any tag
    assert '<mark class="project"' in page


def test_html_option_writes_a_report_beside_the_normal_output(runner, tmp_path):
    report = tmp_path / "report.html"
    result = runner.invoke(main, ["classify", "--format", "json", "--html", str(report), PRODUCT])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["label"] == "product"
    assert "they carry" not in report.read_text() and "of the decision" in report.read_text()


def test_json_includes_the_text_its_offsets_refer_to(runner):
    result = runner.invoke(main, ["classify", "--format", "json", PRODUCT])
    record = json.loads(result.stdout)
    assert record["text"] == Path(PRODUCT).read_text(encoding="utf-8")
    assert 0 < record["evidence_share"] <= 1


def test_text_output_says_what_share_of_the_decision_the_phrases_carry(runner):
    result = runner.invoke(main, ["classify", "--top", "3", PRODUCT])
    assert re.search(
        r"evidence \(3 of \d+ duties, product duties first, then strongest first; they carry \d+% of the decision\)",
        result.stdout,
    )


def test_a_posting_without_management_duties_is_neither_in_every_format(runner, tmp_path):
    path = tmp_path / "nurse.txt"
    path.write_text(
        "Staff Nurse, surgical ward\n- Assess patients and record their observations\n"
        "- Give medicines and keep accurate records\n- Support patients and families before and after surgery\n"
        "We offer 27 days of annual leave and a pension.\n",
        encoding="utf-8",
    )
    text = runner.invoke(main, ["classify", str(path)])
    assert text.exit_code == 0 and f"{path}: neither" in text.stdout
    assert "no product or project management duties found" in text.stdout
    record = json.loads(runner.invoke(main, ["classify", "--format", "json", str(path)]).stdout)
    assert record["label"] == "neither" and record["notes"] == ["no product or project management duties found"]
    assert record["scores"]["neither"] > 0.5 and record["evidence"] == []
    page = runner.invoke(main, ["classify", "--format", "html", str(path)]).stdout
    assert 'class="label neither">neither<' in page


def test_long_input_is_truncated_with_a_warning(runner, tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("Own the roadmap and interview customers every week. " * 3000, encoding="utf-8")
    result = runner.invoke(main, ["classify", "--format", "json", str(path)])
    assert result.exit_code == 0, result.output
    assert "rolecls: warning:" in result.stderr and "100,000 characters" in result.stderr
    record = json.loads(result.stdout)
    assert len(record["text"]) <= 100_000 and record["label"] == "product"
    assert any("longer than 100,000 characters" in note for note in record["notes"])
    text_view = runner.invoke(main, ["classify", str(path)])
    assert "longer than 100,000 characters" in text_view.stdout


def test_non_english_text_is_flagged_low_confidence(runner, tmp_path):
    path = tmp_path / "fr.txt"
    path.write_text(
        "Nous recherchons une personne pour piloter la feuille de route et animer les ateliers avec les "
        "clients. Vous serez chargé de la vision, des priorités et du lancement des nouvelles fonctionnalités.",
        encoding="utf-8",
    )
    result = runner.invoke(main, ["classify", "--format", "json", str(path)])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["low_confidence"] is True and "English" in record["notes"][0]
    assert "rolecls: warning:" in result.stderr and "Traceback" not in result.output


EMPLOYER_TEXT = (
    "About us\n"
    "Acme plans construction projects for public clients.\n"
    "\n"
    "We build tools that site teams use every day.\n"
    "\n"
    "What you'll do\n"
    "- Own the product roadmap and decide what the team builds next\n"
    "- Run discovery interviews with customers and turn them into priorities\n"
)


def test_classify_says_which_passages_it_did_not_read(runner, tmp_path):
    posting = tmp_path / "posting.txt"
    posting.write_text(EMPLOYER_TEXT, encoding="utf-8")
    result = runner.invoke(main, ["classify", str(posting)])
    assert result.exit_code == 0, result.output
    line = next(line for line in result.stdout.splitlines() if "not read" in line)
    assert "boilerplate section (1): 'About us'" in line
    assert "employer's voice (1): 'We build tools that site teams use …'" in line


def test_json_lists_passages_not_read_with_exact_offsets(runner, tmp_path):
    posting = tmp_path / "posting.txt"
    posting.write_text(EMPLOYER_TEXT, encoding="utf-8")
    result = runner.invoke(main, ["classify", "--format", "json", str(posting)])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    skipped = [(passage["reason"], passage["text"]) for passage in record["skipped"]]
    assert skipped == [
        ("boilerplate section", "About us\nAcme plans construction projects for public clients."),
        ("employer's voice", "We build tools that site teams use every day."),
    ]
    for passage in record["skipped"]:
        assert EMPLOYER_TEXT[passage["start"] : passage["end"]] == passage["text"]


def test_html_report_greys_out_passages_not_read(runner, tmp_path):
    posting = tmp_path / "posting.txt"
    posting.write_text(EMPLOYER_TEXT, encoding="utf-8")
    result = runner.invoke(main, ["classify", "--format", "html", str(posting)])
    assert result.exit_code == 0, result.output
    assert '<span class="skipped" title="not read: employer&#x27;s voice">We build tools' in result.stdout


def test_a_text_with_nothing_skipped_says_nothing_about_it(runner):
    result = runner.invoke(main, ["classify", "--format", "json", PROJECT])
    assert json.loads(result.stdout)["skipped"] == []
    assert "not read" not in runner.invoke(main, ["classify", PROJECT]).stdout
    assert "not read" not in runner.invoke(main, ["classify", "--format", "html", PROJECT]).stdout


def test_terminal_highlights_fall_on_their_phrases_in_text_with_windows_line_ends(small_model):
    from rolecls.explain import explain
    from rolecls.render import highlighted_text

    text = "Plan the budget and track milestones.\r\nBenefits\r\nHealth cover.\r\n\r\nOwn the product roadmap."
    (result,) = explain(small_model, [text])
    body = highlighted_text(text, result, top=None)
    assert result.skipped and result.evidence
    for span in body.spans:
        assert body.plain[span.start : span.end] == text[span.start : span.end].replace("\r", " ")
    shown = {body.plain[span.start : span.end] for span in body.spans}
    assert "Benefits \nHealth cover." in shown
