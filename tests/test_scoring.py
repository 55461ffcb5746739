"""Batch scoring: every row kept in order, bad rows reported, formats, atomic output, resume, memory."""

from __future__ import annotations

import csv
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from rolecls.cli import main
from rolecls.limits import MAX_CHARS
from rolecls.scoring import added_columns, progress_path, score_file, score_frame, score_texts

from .conftest import ROOT

PRODUCT = "Own the product roadmap and interview customers every week. Define pricing and packaging."
PROJECT = "Run the RAID log and the weekly status report. Track milestones and the critical path."
GERMAN = (
    "Sie verantworten die Planung und Steuerung der Projekte und sind für die Abstimmung mit den "
    "Fachbereichen zuständig. Wir bieten eine unbefristete Stelle mit flexiblen Arbeitszeiten und "
    "einem Team, das sich auf Sie freut."
)
HUGE = ("Own the product roadmap and interview customers every week. " * 2000)[: MAX_CHARS + 5000]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def score(runner: CliRunner, *args: str) -> object:
    result = runner.invoke(main, ["score", *args, "--jobs", "1"] if "--jobs" not in args else ["score", *args])
    return result


def postings(n: int, seed: int = 0) -> list[list[str]]:
    """``n`` rows of (id, title, text) built from the statement bank with a fixed seed."""
    rng = random.Random(seed)
    lines = []
    for name in ("product.posting.txt", "project.posting.txt"):
        lines += [line for line in (ROOT / "data" / "bank" / name).read_text(encoding="utf-8").splitlines() if line]
    titles = ["", "Program Manager", "Product Owner"]
    return [[str(i), rng.choice(titles), " ".join(rng.sample(lines, 3))] for i in range(n)]


def test_every_row_kept_in_order_and_bad_rows_get_errors(tmp_path, runner):
    rows = [
        ["1", PRODUCT],
        ["2", ""],
        ["3", "   \n "],
        ["4", "12345"],
        ["5", HUGE],
        ["6", GERMAN],
        ["7", "— • —"],
        ["8", PROJECT],
    ]
    source = write_csv(tmp_path / "in.csv", ["id", "text"], rows)
    target = tmp_path / "out.csv"
    result = score(runner, str(source), "-o", str(target))
    assert result.exit_code == 0, result.output
    out = read_csv(target)
    assert out.columns.tolist() == ["id", "text", *added_columns()]
    assert out.id.tolist() == [row[0] for row in rows]
    assert out.text.tolist() == [row[1] for row in rows]  # input columns unchanged (the huge text too)
    errors = dict(zip(out.id, out.error, strict=True))
    assert errors["2"] == errors["3"] == "text: the text is empty"
    assert errors["4"] == errors["7"] == "text: the text has no words to classify"
    assert {key for key, value in errors.items() if value} == {"2", "3", "4", "7"}
    labels = dict(zip(out.id, out.label, strict=True))
    assert labels["1"] == "product" and labels["8"] == "project"
    assert all(labels[key] == "" and out.set_index("id").loc[key, "p_product"] == "" for key in "2347")
    warnings = dict(zip(out.id, out.warning, strict=True))
    assert f"longer than {MAX_CHARS:,} characters" in warnings["5"] and labels["5"] == "product"
    assert "does not look like English" in warnings["6"] and labels["6"] in {"product", "project", "hybrid", "neither"}
    scored = out[out.error == ""]
    total = scored[["p_product", "p_project", "p_hybrid", "p_neither"]].astype(float).sum(axis=1)
    assert (abs(total - 1) < 1e-9).all()
    assert scored[scored.label != "neither"].evidence.str.match(r"^(product|project): ").all()
    assert scored[scored.label == "neither"].evidence.isin(["", None]).all()
    assert scored.title_disagrees.isin(["True", "False"]).all()


def test_evidence_column_holds_top_phrases(tmp_path, runner):
    source = write_csv(tmp_path / "in.csv", ["text"], [[PRODUCT], [PROJECT]])
    for top in ("1", "3"):
        target = tmp_path / f"out{top}.csv"
        assert score(runner, str(source), "-o", str(target), "--top", top).exit_code == 0
        evidence = read_csv(target).evidence.tolist()
        assert all(len(item.split(" | ")) <= int(top) for item in evidence)
        assert evidence[0].startswith("product: Own the product roadmap")
    assert "project: " in evidence[1]


def test_several_text_columns_are_joined_with_a_blank_line_and_titles_masked(tmp_path, runner):
    rows = [["1", "Senior Product Manager", PROJECT], ["2", "", PRODUCT], ["3", "", ""]]
    source = write_csv(tmp_path / "in.csv", ["id", "title", "description"], rows)
    target = tmp_path / "out.jsonl"
    args = [str(source), "-o", str(target), "--text-column", "title", "--text-column", "description"]
    assert score(runner, *args).exit_code == 0
    records = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == ["1", "2", "3"]
    first = records[0]
    assert first["label"] == "project" and first["title_disagrees"] is True  # the title is masked
    joined = rows[0][1] + "\n\n" + rows[0][2]
    assert first["evidence_spans"] and all(joined[s["start"] : s["end"]] == s["text"] for s in first["evidence_spans"])
    assert set(first["evidence_spans"][0]) == {"text", "start", "end", "label", "weight"}
    assert records[1]["label"] == "product"
    assert records[2]["error"] == "title + description: the text is empty" and records[2]["label"] is None


def _table(frame: pd.DataFrame, path: Path, fmt: str) -> Path:
    if fmt == "csv":
        frame.to_csv(path, index=False)
    elif fmt == "jsonl":
        frame.to_json(path, orient="records", lines=True, force_ascii=False)
    else:
        frame.to_parquet(path, index=False)
    return path


def _read(path: Path, fmt: str) -> pd.DataFrame:
    if fmt == "csv":
        return read_csv(path)
    if fmt == "jsonl":
        return pd.read_json(path, lines=True, dtype=False)
    return pd.read_parquet(path)


@pytest.mark.parametrize("in_fmt", ["csv", "jsonl", "parquet"])
@pytest.mark.parametrize("out_fmt", ["csv", "jsonl", "parquet"])
def test_formats_in_and_out(tmp_path, runner, in_fmt, out_fmt):
    frame = pd.DataFrame({"id": ["a", "b", "c"], "text": [PRODUCT, "", PROJECT]})
    source = _table(frame, tmp_path / f"in.{in_fmt}", in_fmt)
    target = tmp_path / f"out.{out_fmt}"
    result = score(runner, str(source), "-o", str(target))
    assert result.exit_code == 0, result.output
    out = _read(target, out_fmt)
    assert out["id"].astype(str).tolist() == ["a", "b", "c"]
    assert out["label"].tolist()[0] == "product" and out["label"].tolist()[2] == "project"
    assert out["error"].tolist()[1] == "text: the text is empty"
    assert float(out["p_product"].iloc[0]) > 0.5
    assert ("evidence_spans" in out.columns) == (out_fmt == "jsonl")


def test_format_options_override_extensions(tmp_path, runner):
    source = write_csv(tmp_path / "in.data", ["text"], [[PRODUCT]])
    target = tmp_path / "out.data"
    result = score(runner, str(source), "-o", str(target), "--input-format", "csv", "--output-format", "parquet")
    assert result.exit_code == 0, result.output
    assert pd.read_parquet(target).label.tolist() == ["product"]


def test_parquet_output_keeps_input_column_types(tmp_path, runner):
    table = pa.table(
        {
            "id": pa.array([1, None, 3], pa.int64()),
            "posted": pa.array([pd.Timestamp("2024-01-02"), None, None], pa.timestamp("us")),
            "text": [PRODUCT, None, PROJECT],
        }
    )
    source = tmp_path / "in.parquet"
    pq.write_table(table, source)
    target = tmp_path / "out.parquet"
    assert score(runner, str(source), "-o", str(target)).exit_code == 0
    out = pq.read_table(target)
    assert out.schema.field("id").type == pa.int64() and out.schema.field("posted").type == pa.timestamp("us")
    assert out.column("id").to_pylist() == [1, None, 3]
    assert out.column("label").to_pylist() == ["product", None, "project"]
    assert out.column("error").to_pylist()[1] == "text: the text is empty"
    assert out.schema.field("p_product").type == pa.float64() and out.schema.field("title_disagrees").type == pa.bool_()


def test_jsonl_rows_that_are_not_objects_or_not_text_get_errors(tmp_path, runner):
    lines = [
        json.dumps({"id": 1, "text": PRODUCT}),
        "{not json",
        "",
        json.dumps([1, 2]),
        json.dumps({"id": 4, "text": 42}),
        json.dumps({"id": 5, "text": None, "extra": {"nested": True}}),
        json.dumps({"id": 6}),
        json.dumps({"id": 7, "text": ["a", "list"]}),
        json.dumps({"id": 8, "text": PROJECT}),
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    target = tmp_path / "out.jsonl"
    assert score(runner, str(source), "-o", str(target)).exit_code == 0
    records = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 8  # the blank line is not a row
    errors = [record["error"] for record in records]
    assert errors[0] is None and errors[7] is None
    assert errors[1].startswith("line 2: not valid JSON")
    assert errors[2] == "line 4: not a JSON object but a list"
    assert errors[3] == "text: the text has no words to classify"
    assert errors[4] == errors[5] == "text: the text is empty"
    assert errors[6] == "text: holds a list, not text"
    assert records[4]["extra"] == {"nested": True} and records[6]["text"] == ["a", "list"]
    assert all(set(record) >= {"id", "text", "extra"} for record in records)  # every key of the file


def test_malformed_csv_quoting_is_reported_with_its_line_number(tmp_path, runner):
    source = tmp_path / "in.csv"
    source.write_text(
        "id,text\n"
        f'1,"{PRODUCT}\nstill the same field"\n'  # lines 2-3: a valid field holding a line break
        '2,"Own the "roadmap" now"\n'  # line 4: an undoubled quote inside a quoted field
        f'3,"{PROJECT}"\n'  # line 5
        "4,too,many,fields\n"  # line 6
        '5,"a quote that never closes\n'  # line 7
        f'6,"{PRODUCT}"\n',  # line 8: read again after line 7 is reported
        encoding="utf-8",
    )
    target = tmp_path / "out.csv"
    assert score(runner, str(source), "-o", str(target)).exit_code == 0
    out = read_csv(target)
    assert out.id.tolist() == ["1", "", "3", "", "", "6"]
    assert out.error[0] == "" and out.error[2] == "" and out.error[5] == ""
    assert out.error[1].startswith("line 4: malformed CSV: a quote inside a quoted field is not doubled")
    assert out.error[3] == "line 6: expected 2 fields, found 4"
    assert out.error[4].startswith("line 7: malformed CSV")
    assert out.label.tolist() == ["product", "", "project", "", "", "product"]


def test_unterminated_quote_at_the_end_does_not_swallow_the_rows_after_it(tmp_path, runner):
    source = tmp_path / "in.csv"
    source.write_text(f'id,text\n1,"unterminated\n2,{PRODUCT}\n3,{PROJECT}\n', encoding="utf-8")
    target = tmp_path / "out.csv"
    assert score(runner, str(source), "-o", str(target)).exit_code == 0
    out = read_csv(target)
    assert out.error[0] == "line 2: malformed CSV: a quoted field is never closed"
    assert out.id.tolist() == ["", "2", "3"] and out.label.tolist() == ["", "product", "project"]


def test_csv_that_is_not_utf8_is_read(tmp_path, runner):
    source = tmp_path / "in.csv"
    source.write_bytes(("id,text\n1,Café roadmap: " + PRODUCT + "\n").encode("cp1252"))
    target = tmp_path / "out.csv"
    assert score(runner, str(source), "-o", str(target)).exit_code == 0
    out = read_csv(target)
    assert out.text[0].startswith("Café") and out.label[0] == "product"


class Interrupt:
    """Stands in for rolecls.explain.decide and raises KeyboardInterrupt on its ``after``-th call."""

    def __init__(self, after: int) -> None:
        from rolecls import explain

        self.real = explain.decide
        self.calls = 0
        self.after = after

    def __call__(self, *args, **kwargs):
        self.calls += 1
        if self.calls >= self.after:
            raise KeyboardInterrupt
        return self.real(*args, **kwargs)


def interrupt_run(monkeypatch, runner, args: list[str], after: int = 3) -> object:
    with monkeypatch.context() as patch:
        patch.setattr("rolecls.explain.decide", Interrupt(after))
        return score(runner, *args)


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_interrupted_run_leaves_no_output_and_resume_equals_a_clean_run(tmp_path, runner, monkeypatch, fmt):
    source = write_csv(tmp_path / "in.csv", ["id", "title", "text"], postings(23))
    clean, target = tmp_path / f"clean.{fmt}", tmp_path / f"out.{fmt}"
    options = ["--text-column", "title", "--text-column", "text", "--chunk-size", "5"]
    assert score(runner, str(source), "-o", str(clean), *options).exit_code == 0

    result = interrupt_run(monkeypatch, runner, [str(source), "-o", str(target), *options])
    assert result.exit_code == 130 and "--resume" in result.stderr
    assert not target.exists()
    record = json.loads(progress_path(target).read_text(encoding="utf-8"))
    assert record["rows"] == 10  # two chunks completed before the third was interrupted

    result = score(runner, str(source), "-o", str(target), *options, "--resume")
    assert result.exit_code == 0, result.output
    assert not progress_path(target).exists() and not Path(f"{target}.partial").exists()
    if fmt == "parquet":
        assert pq.read_table(target).equals(pq.read_table(clean))
    else:
        assert target.read_bytes() == clean.read_bytes()


def test_resume_drops_a_half_written_chunk(tmp_path, runner, monkeypatch):
    source = write_csv(tmp_path / "in.csv", ["id", "title", "text"], postings(12))
    clean, target = tmp_path / "clean.csv", tmp_path / "out.csv"
    assert score(runner, str(source), "-o", str(clean), "--chunk-size", "4").exit_code == 0
    assert interrupt_run(monkeypatch, runner, [str(source), "-o", str(target), "--chunk-size", "4"]).exit_code == 130
    with open(f"{target}.partial", "a", encoding="utf-8") as partial:
        partial.write("9,half a row written when the power went")
    assert score(runner, str(source), "-o", str(target), "--chunk-size", "3", "--resume").exit_code == 0
    assert target.read_bytes() == clean.read_bytes()


def test_resume_is_refused_when_options_or_input_changed(tmp_path, runner, monkeypatch):
    source = write_csv(tmp_path / "in.csv", ["id", "title", "text"], postings(12))
    target = tmp_path / "out.csv"
    args = [str(source), "-o", str(target), "--chunk-size", "4"]
    assert interrupt_run(monkeypatch, runner, args).exit_code == 130

    result = score(runner, *args, "--top", "5", "--resume")
    assert result.exit_code == 1 and "cannot resume: options changed" in result.stderr and "top" in result.stderr
    result = score(runner, *args, "--text-column", "title", "--resume")
    assert result.exit_code == 1 and "text_columns" in result.stderr
    assert not target.exists()

    with open(source, "a", encoding="utf-8") as handle:
        handle.write("13,,Own the roadmap.\n")
    result = score(runner, *args, "--resume")
    assert result.exit_code == 1 and "changed since the interrupted run" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1

    assert score(runner, *args).exit_code == 0  # without --resume: starts over
    assert len(read_csv(target)) == 13 and not progress_path(target).exists()


def test_resume_with_nothing_to_resume_scores_from_the_start(tmp_path, runner):
    source = write_csv(tmp_path / "in.csv", ["text"], [[PRODUCT]])
    target = tmp_path / "out.csv"
    result = score(runner, str(source), "-o", str(target), "--resume")
    assert result.exit_code == 0
    assert read_csv(target).label.tolist() == ["product"]
    assert "no earlier rows to resume from" in result.stderr


def test_a_text_without_management_duties_is_neither_without_a_warning(tmp_path, runner):
    source = write_csv(tmp_path / "in.csv", ["text"], [["Qwxz vbnm plokij zzyzx"]])
    target = tmp_path / "out.csv"
    assert score(runner, str(source), "-o", str(target)).exit_code == 0
    out = read_csv(target)
    assert out.label.tolist() == ["neither"] and out.warning.tolist() == [""]
    assert float(out.p_neither[0]) > 0.5


def test_every_warning_names_its_column(tmp_path, runner, corpus):
    from rolecls.estimator import RoleClassifier
    from rolecls.persistence import save_model

    sample = corpus[corpus.label != "neither"].groupby("label").sample(30, random_state=3)
    model = save_model(RoleClassifier().fit(sample.text, sample.label), tmp_path / "m.joblib") and tmp_path / "m.joblib"
    source = write_csv(tmp_path / "in.csv", ["body"], [["Qwxz vbnm plokij zzyzx"]])
    target = tmp_path / "out.csv"
    assert score(runner, str(source), "-o", str(target), "--text-column", "body", "--model", str(model)).exit_code == 0
    out = read_csv(target)
    assert out.warning.tolist() == [
        "body: no product or project management duties found: the label rests on the model's prior alone"
    ]
    assert out.p_neither.tolist() == [""]


def test_killed_run_resumes_without_duplicates(tmp_path):
    """A real interruption: the process is killed (SIGKILL) mid-run, then resumed."""
    source = write_csv(tmp_path / "in.csv", ["id", "title", "text"], postings(3000))
    target, clean = tmp_path / "out.csv", tmp_path / "clean.csv"
    command = [sys.executable, "-m", "rolecls", "score", str(source), "--chunk-size", "100", "--jobs", "1", "-q"]
    process = subprocess.Popen([*command, "-o", str(target)], stderr=subprocess.PIPE)
    record = progress_path(target)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if record.exists() and json.loads(record.read_text(encoding="utf-8") or "{}").get("rows", 0) >= 300:
            break
        time.sleep(0.05)
    if process.poll() is not None:
        pytest.fail(f"the run ended before it could be killed: {process.stderr.read().decode()}")
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert not target.exists()
    subprocess.run([*command, "-o", str(target), "--resume"], check=True, timeout=300)
    subprocess.run([*command, "-o", str(clean)], check=True, timeout=300)
    assert target.read_bytes() == clean.read_bytes()
    assert len(read_csv(target)) == 3000


def test_csv_with_a_byte_order_mark_and_repeated_column_names(tmp_path, runner):
    source = tmp_path / "in.csv"
    source.write_bytes(b"\xef\xbb\xbfid,text,text\r\n1," + PRODUCT.encode() + b",second\r\n")
    target = tmp_path / "out.jsonl"
    assert score(runner, str(source), "-o", str(target)).exit_code == 0
    record = json.loads(target.read_text(encoding="utf-8"))
    assert (record["id"], record["text"], record["text.1"], record["label"]) == ("1", PRODUCT, "second", "product")


def test_scheduler_without_dask_says_what_to_install(tmp_path, runner, monkeypatch):
    source = write_csv(tmp_path / "in.csv", ["text"], [[PRODUCT]])
    monkeypatch.setitem(sys.modules, "dask.dataframe", None)  # as if dask were not installed
    result = runner.invoke(main, ["score", str(source), "-o", str(tmp_path / "o.csv"), "--scheduler", "tcp://x:1"])
    assert result.exit_code == 1 and "install rolecls[dask]" in result.stderr


def test_progress_is_silent_when_stderr_is_not_a_terminal(tmp_path, runner):
    source = write_csv(tmp_path / "in.csv", ["text"], [[PRODUCT], [PROJECT]])
    result = score(runner, str(source), "-o", str(tmp_path / "out.csv"))
    assert result.exit_code == 0 and result.stderr == "" and result.stdout == ""


def test_two_jobs_give_the_same_output_in_the_same_order(tmp_path, runner):
    source = write_csv(tmp_path / "in.csv", ["id", "title", "text"], postings(40))
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    assert score(runner, str(source), "-o", str(one), "--chunk-size", "7").exit_code == 0
    result = score(runner, str(source), "-o", str(two), "--chunk-size", "7", "--jobs", "2")
    assert result.exit_code == 0, result.output
    assert one.read_bytes() == two.read_bytes()


def test_user_errors_are_one_line_with_exit_code_1(tmp_path, runner):
    source = write_csv(tmp_path / "in.csv", ["id", "description"], [["1", PRODUCT]])
    out = str(tmp_path / "out.csv")
    cases = {
        "no such file": [str(tmp_path / "missing.csv"), "-o", out],
        "no column 'text' (columns: id, description)": [str(source), "-o", out],
        "cannot tell the output format": [str(source), "-o", str(tmp_path / "o.xlsx"), "--text-column", "description"],
        "cannot tell the input format": [str(write_csv(tmp_path / "in.txt", ["text"], [["x"]])), "-o", out],
    }
    for message, args in cases.items():
        result = score(runner, *args)
        assert result.exit_code == 1 and message in result.stderr, (message, result.stderr)
        assert result.stderr.startswith("rolecls: error: ") and len(result.stderr.strip().splitlines()) == 1
    assert not Path(out).exists()


def test_added_columns_that_would_hide_input_columns_need_a_prefix(tmp_path, runner):
    source = write_csv(tmp_path / "in.csv", ["text", "label"], [[PRODUCT, "product"]])
    target = tmp_path / "out.csv"
    result = score(runner, str(source), "-o", str(target))
    assert result.exit_code == 1 and "--prefix" in result.stderr
    assert score(runner, str(source), "-o", str(target), "--prefix", "rolecls_").exit_code == 0
    out = read_csv(target)
    assert out.label.tolist() == ["product"] and out.rolecls_label.tolist() == ["product"]


def test_bad_usage_exits_with_2(tmp_path, runner):
    source = write_csv(tmp_path / "in.csv", ["text"], [[PRODUCT]])
    for args in (["--top", "0"], ["--chunk-size", "0"], ["--input-format", "xls"], ["--scheduler", "x", "--resume"]):
        assert score(runner, str(source), "-o", str(tmp_path / "o.csv"), *args).exit_code == 2
    assert runner.invoke(main, ["score", str(source)]).exit_code == 2  # no -o


def test_library_functions(tmp_path):
    scores = score_texts([PRODUCT, "", None, 7, PROJECT])
    assert [s.label for s in scores] == ["product", None, None, None, "project"]
    assert scores[1].error == scores[2].error == "text: the text is empty"
    frame = pd.DataFrame({"title": ["Product Owner", None], "body": [PROJECT, PRODUCT]}, index=[10, 20])
    out = score_frame(frame, ["title", "body"], spans=True)
    assert out.index.tolist() == [10, 20] and out.columns.tolist() == ["title", "body", *added_columns(spans=True)]
    assert out.label.tolist() == ["project", "product"] and bool(out.title_disagrees.iloc[0]) is True
    summary = score_file(write_csv(tmp_path / "in.csv", ["text"], [[PRODUCT], [""]]), tmp_path / "o.csv", jobs=1)
    assert (summary.rows, summary.errors, summary.resumed_rows) == (2, 1, 0)


SHORT = ["Own roadmap", "Track milestones", "Run status reports", "Define pricing", "Manage budget and risks"]


def _start_scoring(source: Path, target: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "rolecls", "score", str(source), "-o", str(target), "--jobs", "1", "-q"]
    return subprocess.Popen(command, stderr=subprocess.PIPE)


@pytest.mark.slow
def test_memory_is_bounded_by_the_chunk_size_not_the_file_size(tmp_path):
    """Peak RSS scoring 200,000 rows is within 15% of scoring 20,000 (about 40 s on two idle cores).

    Rows are short postings, with every other row empty or a number (a messy file, and half the
    classifying time): all of them are read, prepared, checkpointed and written chunk by chunk.
    """
    rng = random.Random(0)
    sizes = {"small": 20_000, "large": 200_000}
    sources = {}
    for name, size in sizes.items():
        rows = [[str(i), rng.choice(SHORT) if i % 2 else rng.choice(["", "12345"])] for i in range(size)]
        sources[name] = write_csv(tmp_path / f"{name}.csv", ["id", "text"], rows)
    # Both runs at once (each one process, --jobs 1): their peak RSS comes from wait4.
    processes = {name: _start_scoring(path, tmp_path / f"{name}.out.csv") for name, path in sources.items()}
    peaks = {}
    for name, process in processes.items():
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        assert process.returncode == 0, process.stderr.read().decode()
        peaks[name] = usage.ru_maxrss
    with open(tmp_path / "large.out.csv", encoding="utf-8") as written:
        assert sum(1 for _ in written) == sizes["large"] + 1
    assert peaks["large"] <= 1.15 * peaks["small"], peaks


_NEW_WORDS_SCRIPT = """
import random, resource, sys
import rolecls.preprocess as preprocess
from rolecls.explain import explain
from rolecls.inference import get_model
preprocess.VOCABULARY_LIMIT = int(sys.argv[1])
rng = random.Random(0)
model = get_model()
base = ["Own the product roadmap and interview customers. Manage the schedule and the budget."] * 100
peaks = []
for batch in range(30):
    # every text brings 150 words never seen before (order numbers, say)
    explain(model, [text + " " + " ".join(f"ref{rng.getrandbits(48):x}" for _ in range(150)) for text in base])
    peaks.append(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
print(peaks[9], peaks[29])
"""


@pytest.mark.slow
def test_memory_stays_bounded_when_every_text_brings_new_words():
    """450,000 never-seen words: with the pipeline renewed past 150,000 strings, peak RSS stops growing."""
    out = subprocess.run(
        [sys.executable, "-c", _NEW_WORDS_SCRIPT, "150000"], capture_output=True, text=True, check=True
    ).stdout.split()
    after_ten, after_thirty = int(out[0]), int(out[1])
    assert after_thirty <= 1.10 * after_ten, (after_ten, after_thirty)


def _pandas_csv(frame: pd.DataFrame) -> str:
    """What pandas writes for ``frame`` (lists and dicts as JSON): the reference for rolecls' CSV writer."""
    from rolecls.scoring import _csv_cell

    cells = frame.copy()
    for column in cells.columns:
        if cells[column].dtype == object or isinstance(cells[column].dtype, pd.ArrowDtype):
            cells[column] = pd.Series([_csv_cell(value) for value in cells[column].tolist()], dtype=object)
    return cells.to_csv(index=False, header=False, lineterminator="\n")


def _rolecls_csv(frame: pd.DataFrame) -> str:
    from rolecls.scoring import _csv_text, _csv_values

    return _csv_text([_csv_values(frame[name]) for name in frame.columns])


def test_csv_output_is_written_as_pandas_writes_it_with_carriage_returns_quoted():
    import datetime

    import numpy as np
    import pyarrow as pa

    from rolecls.scoring import _csv_text

    cells = ["plain", "", None, np.nan, pd.NA, 'a "quoted", comma', "line\nbreak", "Café ✓", 0.1, 3, True]
    cells += [np.float64(0.30000000000000004), np.int64(7), {"a": [1, 2]}, [1, "x"], datetime.date(2024, 1, 2)]
    floats = [0.1, 0.30000000000000004, 1e-20, 1e16, 2 / 3, np.nan, -0.0, float("inf"), 5e-324]
    for cell in cells:
        for number in floats:
            texts = pd.Series([cell, "z"], dtype=object), pd.Series([None, "x"], dtype=object)
            frame = pd.DataFrame({"a": texts[0], "p": [number, 0.5], "e": texts[1]})
            assert _rolecls_csv(frame) == _pandas_csv(frame), (cell, number)
    lone_empty = pd.DataFrame({"only": pd.Series(["", None], dtype=object)})
    assert _rolecls_csv(lone_empty) == _pandas_csv(lone_empty) == '""\n""\n'
    # columns of other types, as Parquet input brings them
    typed = pd.DataFrame(
        {
            "int": [1, 2, 3],
            "flag": [True, False, True],
            "midnight": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03"]),
            "moment": pd.to_datetime(["2024-01-01 10:30", "2024-01-02 00:00", None]),
            "span": pd.to_timedelta(["1 day", "2 hours", None]),
            "nullable": pd.array([1, None, 3], dtype="Int64"),
            "category": pd.Categorical(["a,b", "c", None]),
            "string": pd.array(["x", None, 'q"uote'], dtype="string"),
            "arrow_text": pd.array(["x", None, "y, z"], dtype=pd.ArrowDtype(pa.large_string())),
            "arrow_number": pd.array([1.5, None, 2.0], dtype=pd.ArrowDtype(pa.float64())),
            "arrow_time": pd.array(
                [datetime.datetime(2024, 1, 1), None, datetime.datetime(2024, 5, 6, 7, 8)],
                dtype=pd.ArrowDtype(pa.timestamp("us")),
            ),
            "arrow_list": pd.array([[1, 2], None, []], dtype=pd.ArrowDtype(pa.list_(pa.int64()))),
        }
    )
    for name in typed.columns.drop("arrow_time"):
        assert _rolecls_csv(typed[[name]]) == _pandas_csv(typed[[name]]), name
    # Arrow timestamps as pandas writes datetimes (not as the text of each Timestamp object)
    assert _rolecls_csv(typed[["arrow_time"]]) == '2024-01-01 00:00:00\n""\n2024-05-06 07:08:00\n'
    as_numpy = typed.assign(arrow_time=pd.to_datetime(typed.arrow_time.tolist()))
    assert _rolecls_csv(typed) == _pandas_csv(as_numpy)
    # pandas (Python's csv module) leaves a lone carriage return unquoted, which splits the row when read back
    assert _csv_text([["cr\rx", "z"], [1.5, None]]) == '"cr\rx",1.5\nz,\n'


def test_a_carriage_return_inside_a_text_keeps_its_row(tmp_path, runner):
    source = write_csv(tmp_path / "in.csv", ["id", "text"], [["1", "Own the roadmap.\rTalk to customers."], ["2", "x"]])
    target = tmp_path / "out.csv"
    assert score(runner, str(source), "-o", str(target)).exit_code == 0
    out = read_csv(target)
    assert out.id.tolist() == ["1", "2"] and out.text[0] == "Own the roadmap.\rTalk to customers."
    read_csv(source).to_parquet(tmp_path / "in.parquet")  # typed input columns take another path
    assert score(runner, str(tmp_path / "in.parquet"), "-o", str(tmp_path / "p.csv")).exit_code == 0
    assert read_csv(tmp_path / "p.csv").text.tolist() == out.text.tolist()
