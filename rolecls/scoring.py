"""Score tables of postings in bulk: CSV, JSONL or Parquet in, the same formats out, nothing lost.

:func:`score_file` reads a table in chunks, classifies the text of every row (one column, or
several joined with a blank line), and writes every input column plus the added columns
(:func:`added_columns`): ``label``, ``p_product``, ``p_project``, ``p_hybrid``, ``p_neither``,
``mix_product``, ``mix_project``, ``evidence`` (the top phrases, ``"product: phrase | project: phrase"``),
``evidence_spans`` (JSONL output only: every evidence phrase with ``text``/``start``/``end``/
``label``/``weight``, offsets into the joined text), ``title_disagrees``, ``warning`` (a cut or
non-English text; empty when fine) and ``error`` (empty when fine).

Nothing is lost: there is exactly one output row per input row, in input order. A row that
cannot be classified (empty, missing, a number, a list, no words) or parsed keeps its place,
with empty scores and a one-line message in ``error``; the messages for empty texts are those
of :func:`rolecls.reading.check_text`, with the text column(s) as the source (``"text: the text
is empty"``). Texts longer than :data:`rolecls.limits.MAX_CHARS` characters are cut there
(:func:`rolecls.limits.truncate`, as for files) and say so in ``warning``; input columns are
written back unchanged.

Malformed CSV: the file is read as a stream with Python's ``csv`` module in strict mode. "One
output row per input row" then means one output row per record as the parser delimits it: a
record that breaks the quoting rules, or has more or fewer fields than the header, becomes one
row whose input columns are empty and whose ``error`` names the line the record starts on
("line 7: malformed CSV: ..."). Reading resumes on the line after that one, so the lines a stray
quote swallowed are read again as records of their own (if they are not records, they get
errors of their own). Blank lines are not records (as in pandas). A field may hold up to
:data:`MAX_FIELD_CHARS` characters; beyond that it is reported as malformed. JSONL is read a line at
a time: a line that is not a JSON object becomes an error row with its line number; blank lines
are skipped. Every key seen in the file is a column (rows without it get an empty value), so a
JSONL file is read twice: once for its keys. Text files are decoded by their byte-order mark, else
as UTF-8 with stray bytes read as Windows-1252.

The output is written to ``OUTPUT.partial`` (Parquet: one file per chunk in ``OUTPUT.parts/``,
joined at the end) and renamed over ``OUTPUT`` only when every row is written, so an interrupted
run never leaves a file that looks whole. After each chunk, ``OUTPUT.progress.json`` records the
input (path, size, modification time), the options and the rows done; ``resume=True`` continues
from there without repeating rows, and refuses when the input or the options changed.

Memory is bounded by the chunk size: chunks are read, scored and written one after another;
with ``jobs > 1`` at most ``2 * jobs`` chunks are in flight in joblib's loky worker processes,
each of which loads the model once (:func:`rolecls.inference.get_model` caches it).
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import json
import math
import numbers
import os
import shutil
import time
import warnings
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NamedTuple

import pandas as pd

from rolecls.errors import InputError, RoleclsError, RoleclsWarning
from rolecls.reading import prepare_text

if TYPE_CHECKING:
    import pyarrow as pa

    from rolecls.estimator import RoleClassifier
    from rolecls.explain import Decisions

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "DEFAULT_TOP",
    "FORMATS",
    "MAX_FIELD_CHARS",
    "TEXT_SEPARATOR",
    "Progress",
    "RowScore",
    "ScoreSummary",
    "ScoringError",
    "TableWriter",
    "added_columns",
    "check_columns",
    "detect_format",
    "output_schema",
    "progress_path",
    "score_file",
    "score_frame",
    "score_rows",
    "score_texts",
]

FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet", ".pq": "parquet"}
"""File extension -> table format."""

FORMAT_NAMES = ("csv", "jsonl", "parquet")
DEFAULT_CHUNK_SIZE = 1000
DEFAULT_TOP = 3
TEXT_SEPARATOR = "\n\n"
"""Texts from several columns are joined with a blank line; evidence offsets index the joined text."""

MAX_FIELD_CHARS = 10_000_000
"""The longest CSV field read (Python's ``csv`` default is 131,072); longer is reported as malformed."""

SPANS_COLUMN = "evidence_spans"
PROGRESS_VERSION = 1

ModelLike = Any  # RoleClassifier | str | Path | None, as rolecls.inference.get_model takes


class ScoringError(RoleclsError):
    """A scoring run cannot start or go on: unreadable input, unknown column or format, resume refused."""


class RowScore(NamedTuple):
    """What scoring adds to one row; all ``None`` (``error`` set) when the row could not be classified."""

    label: str | None = None
    p_product: float | None = None
    p_project: float | None = None
    p_hybrid: float | None = None
    p_neither: float | None = None
    mix_product: float | None = None
    mix_project: float | None = None
    evidence: str | None = None
    evidence_spans: list[dict[str, Any]] | None = None
    title_disagrees: bool | None = None
    warning: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class ScoreSummary:
    """What a run wrote: rows in all (those of a resumed run's earlier part included), how many have an error."""

    output: str
    rows: int
    errors: int
    warnings: int
    resumed_rows: int
    seconds: float


def added_columns(spans: bool = False, prefix: str = "") -> list[str]:
    """Names of the columns scoring adds, in order (``evidence_spans`` only when ``spans``)."""
    names = ["label", "p_product", "p_project", "p_hybrid", "p_neither", "mix_product", "mix_project", "evidence"]
    if spans:
        names.append(SPANS_COLUMN)
    names += ["title_disagrees", "warning", "error"]
    return [prefix + name for name in names]


# --------------------------------------------------------------------------------------------
# Scoring rows


def _kind(value: Any) -> str:
    name = type(value).__name__
    return f"an {name}" if name[:1].lower() in "aeiou" else f"a {name}"


def _cell_text(value: Any) -> str | None:
    """The text of one cell: ``""`` when missing, numbers as written, ``None`` when it is not text."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return None
    if isinstance(value, numbers.Number):
        if isinstance(value, numbers.Real) and math.isnan(float(value)):
            return ""
        return str(value)
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            return None
    return None


class _Prepared(NamedTuple):
    text: str | None
    warning: str | None
    error: str | None


def _prepare(values: Sequence[Any], columns: Sequence[str]) -> _Prepared:
    """Join a row's text cells, cut it to ``MAX_CHARS``, and check there is something to classify."""
    parts = []
    for column, value in zip(columns, values, strict=True):
        text = _cell_text(value)
        if text is None:
            return _Prepared(None, None, f"{column}: holds {_kind(value)}, not text")
        parts.append(text)
    source = " + ".join(columns)
    try:
        kept, notes, _ = prepare_text(TEXT_SEPARATOR.join(parts), source)
    except InputError as exc:
        return _Prepared(None, None, str(exc))
    return _Prepared(kept, "; ".join(f"{source}: {note}" for note in notes) or None, None)


_Scored = tuple[RowScore, list[str]]  # a row's added columns, and its notes


def _row_scores(decisions: Decisions, top: int, spans: bool) -> list[_Scored]:
    """Each text's added columns, read from the batch's decision arrays, and its notes."""
    from rolecls.decision import LABELS, SIDES

    labels = decisions.labels
    count = len(decisions.texts)
    probability = {
        name: decisions.probabilities[:, labels.index(name)].tolist() if name in labels else [None] * count
        for name in LABELS
    }
    mix = decisions.mix.tolist()
    bounds = decisions.evidence_bounds.tolist()
    starts, ends = decisions.evidence_start.tolist(), decisions.evidence_end.tolist()
    pulls = decisions.evidence_pull.tolist()
    disagrees = decisions.title_disagrees().tolist()
    rows = []
    for index, text in enumerate(decisions.texts):
        first, last = bounds[index], bounds[index + 1]
        shown = " | ".join(
            f"{SIDES[0] if pulls[k] > 0 else SIDES[1]}: {' '.join(text[starts[k] : ends[k]].split())}"
            for k in range(first, min(last, first + top))
        )
        score = RowScore(
            label=decisions.label(index),
            p_product=probability["product"][index],
            p_project=probability["project"][index],
            p_hybrid=probability["hybrid"][index],
            p_neither=probability["neither"][index],
            mix_product=mix[index][0],
            mix_project=mix[index][1],
            evidence=shown,
            evidence_spans=[
                {
                    "text": text[starts[k] : ends[k]],
                    "start": starts[k],
                    "end": ends[k],
                    "label": SIDES[0] if pulls[k] > 0 else SIDES[1],
                    "weight": abs(pulls[k]),
                }
                for k in range(first, last)
            ]
            if spans
            else None,
            title_disagrees=disagrees[index],
        )
        rows.append((score, decisions.warnings(index)))
    return rows


def _classify(model: RoleClassifier, texts: list[str], top: int, spans: bool) -> list[_Scored | Exception]:
    """Score ``texts`` in one batch; if that fails, one at a time so that one bad text fails alone."""
    from rolecls import explain as explaining

    with warnings.catch_warnings():  # cut or non-English texts are reported in the warning column
        warnings.simplefilter("ignore", RoleclsWarning)
        try:
            return list(_row_scores(explaining.decide(model, texts), top, spans))
        except Exception:
            results: list[_Scored | Exception] = []
            for text in texts:
                try:
                    results.append(_row_scores(explaining.decide(model, [text]), top, spans)[0])
                except Exception as exc:
                    results.append(exc)
            return results


def score_rows(
    rows: Sequence[Sequence[Any]],
    columns: Sequence[str],
    model: ModelLike = None,
    top: int = DEFAULT_TOP,
    spans: bool = False,
) -> list[RowScore]:
    """Score rows given as the values of their text ``columns``: one :class:`RowScore` per row, in order.

    Never raises for a row: a row with nothing to classify, or whose text makes the pipeline fail,
    gets its message in ``error``. Raises ``ModelError`` when the model cannot be loaded. The model
    is loaded once per process (``rolecls.inference.get_model``).
    """
    prepared = [_prepare(values, columns) for values in rows]
    texts = [item.text for item in prepared if item.text is not None]
    results: Iterator[_Scored | Exception] = iter(())
    if texts:
        from rolecls.inference import get_model

        results = iter(_classify(get_model(model), texts, top, spans))
    source = " + ".join(columns)
    scores = []
    for item in prepared:
        if item.text is None:
            scores.append(RowScore(error=item.error))
            continue
        result = next(results)
        if isinstance(result, Exception):
            problem = f"{type(result).__name__}: {result}".strip().rstrip(":")
            scores.append(RowScore(error=f"{source}: could not be classified ({problem})"))
        else:
            score, found = result
            notes = [item.warning] if item.warning else []
            notes += [f"{source}: {note}" for note in found if note not in (item.warning or "")]
            scores.append(score._replace(warning="; ".join(notes) or None))
    return scores


def score_texts(
    texts: Iterable[Any], model: ModelLike = None, top: int = DEFAULT_TOP, spans: bool = False
) -> list[RowScore]:
    """Score texts (any values: missing or non-text ones get an ``error``), one :class:`RowScore` each."""
    return score_rows([(text,) for text in texts], ["text"], model, top, spans)


def _added_values(scores: Sequence[RowScore], spans: bool, prefix: str) -> dict[str, list[Any]]:
    """The added columns' values, by column name (``None`` where a row has no value)."""
    names = added_columns(spans, prefix)
    return {name: [getattr(score, name[len(prefix) :]) for score in scores] for name in names}


def _added_frame(values: dict[str, list[Any]], index: pd.Index, prefix: str = "") -> dict[str, pd.Series]:
    """The added columns on ``index``, with fixed dtypes (floats for probabilities, objects for the rest)."""
    import numpy as np

    data: dict[str, pd.Series] = {}
    for name, column_values in values.items():
        if name[len(prefix) :].startswith(("p_", "mix_")):
            data[name] = pd.Series([np.nan if v is None else v for v in column_values], index=index, dtype="float64")
        else:
            column = np.empty(len(column_values), dtype=object)
            for position, value in enumerate(column_values):  # one by one: numpy would unpack lists
                column[position] = value
            data[name] = pd.Series(column, index=index, dtype=object)
    return data


def check_columns(columns: Sequence[Any], text_columns: Sequence[str], source: str, prefix: str = "") -> None:
    """Raise ``ScoringError`` for an unknown text column or an input column that an added column would hide."""
    names = [str(column) for column in columns]
    if not text_columns:
        raise ScoringError(f"{source}: name at least one text column")
    for column in text_columns:
        if column not in names:
            listed = ", ".join(names) if names else "none"
            raise ScoringError(f"{source}: no column {column!r} (columns: {listed})")
    clashes = [name for name in added_columns(True, prefix) if name in names]
    if clashes:
        raise ScoringError(
            f"{source}: already has the column(s) {', '.join(clashes)} that scoring adds; "
            "name the added columns apart with a prefix (--prefix rolecls_)"
        )


def score_frame(
    frame: pd.DataFrame,
    text_columns: Sequence[str] = ("text",),
    model: ModelLike = None,
    top: int = DEFAULT_TOP,
    spans: bool = False,
    prefix: str = "",
) -> pd.DataFrame:
    """``frame`` with the added columns (:func:`added_columns`), one row per row, same index and order."""
    check_columns(frame.columns, text_columns, "the table", prefix)
    rows = list(zip(*(frame[column].tolist() for column in text_columns), strict=True)) if len(frame) else []
    scores = score_rows(rows, text_columns, model, top, spans)
    return frame.assign(**_added_frame(_added_values(scores, spans, prefix), frame.index, prefix))


# --------------------------------------------------------------------------------------------
# Reading tables in chunks


def detect_format(path: str | Path, explicit: str | None = None, role: str = "input") -> str:
    """``csv``, ``jsonl`` or ``parquet``: ``explicit`` if given, else from the extension of ``path``."""
    if explicit:
        if explicit not in FORMAT_NAMES:
            raise ScoringError(f"unknown {role} format {explicit!r}; use csv, jsonl or parquet")
        return explicit
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        shown = f"extension {suffix!r}" if suffix else "name (no extension)"
        raise ScoringError(
            f"{path}: cannot tell the {role} format from its {shown}; name it .csv, .jsonl or .parquet "
            f"or give --{role}-format csv, jsonl or parquet"
        )
    return FORMATS[suffix]


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    """Decode bytes that are not UTF-8 as Windows-1252, as rolecls.reading does for files."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return error.object[error.start : error.end].decode("cp1252", errors="replace"), error.end


_FALLBACK = "rolecls.cp1252"
codecs.register_error(_FALLBACK, _cp1252_fallback)

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _open_text(path: Path) -> io.TextIOWrapper:
    """A text stream over ``path``: the byte-order mark decides, else UTF-8 with Windows-1252 for stray bytes."""
    raw = open(path, "rb")  # noqa: SIM115 - closed by the returned wrapper
    head = raw.peek(4)[:4]
    codec = next((name for bom, name in _BOMS if head.startswith(bom)), "utf-8")
    errors = _FALLBACK if codec.startswith("utf-8") else "replace"
    return io.TextIOWrapper(raw, encoding=codec, errors=errors, newline="")


@dataclass
class _Chunk:
    """Rows of the input: their values (all missing when a row could not be parsed) and parse errors."""

    frame: pd.DataFrame
    errors: list[str | None]
    position: int  # progress units read so far (bytes, or rows for Parquet)


class _Lines:
    """The lines of a text stream, numbered from 1, that can be pushed back and read again."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.number = 0
        self.pending: deque[tuple[int, str]] = deque()
        self.record: list[tuple[int, str]] = []

    def __iter__(self) -> Iterator[str]:
        # A generator: the csv reader asks for every line, and a generator answers faster than ``__next__``.
        lines = iter(self.stream.readline, "")
        while True:
            if self.pending:
                item = self.pending.popleft()
            else:
                line = next(lines, None)
                if line is None:
                    return
                self.number += 1
                item = (self.number, line)
            self.record.append(item)
            yield item[1]


def _csv_problem(exc: csv.Error) -> str:
    message = str(exc)
    if message == "unexpected end of data":
        return "malformed CSV: a quoted field is never closed"
    if "expected after" in message:
        return f'malformed CSV: a quote inside a quoted field is not doubled ("") ({message})'
    if "field limit" in message:
        return f"malformed CSV: a field longer than {MAX_FIELD_CHARS:,} characters, or a quote never closed"
    return f"malformed CSV ({message})"


def _unique(names: Sequence[str]) -> list[str]:
    """Column names made unique as pandas does: a repeated ``x`` becomes ``x.1``, ``x.2``..."""
    seen: set[str] = set()
    unique = []
    for name in names:
        candidate, n = name, 0
        while candidate in seen:
            n += 1
            candidate = f"{name}.{n}"
        seen.add(candidate)
        unique.append(candidate)
    return unique


class _Table:
    """An input table: its columns, a progress total, and its rows in chunks from a given row on."""

    columns: list[str]
    total: int | None
    unit: str
    schema: pa.Schema | None = None

    def chunks(self, skip: int, size: int) -> Iterator[_Chunk]:
        raise NotImplementedError

    def close(self) -> None:
        """Release the file."""


def _frame(rows: list[list[Any]], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns, dtype=object) if rows else pd.DataFrame(columns=columns, dtype=object)


def _skip_error(source: Path, skip: int, found: int) -> ScoringError:
    return ScoringError(f"{source}: has {found} rows, fewer than the {skip} a resumed run says were done")


class _CsvTable(_Table):
    unit = "bytes"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.total = path.stat().st_size
        csv.field_size_limit(max(csv.field_size_limit(), MAX_FIELD_CHARS))
        self.stream = _open_text(path)
        self.lines = _Lines(self.stream)
        self.reader = csv.reader(self.lines, strict=True)
        self.fast: Any = None  # after the header: a reader over the stream itself, until a record is malformed
        header = None
        while header is None:
            record = self._next()
            if record is None:
                self.close()
                raise ScoringError(f"{path}: empty, without a header row")
            fields, problem, line = record
            if problem:
                self.close()
                raise ScoringError(f"{path}: the header (line {line}) is not valid CSV ({problem})")
            header = fields
        self.columns = _unique(header or [])
        if not self.lines.pending:
            self.fast = csv.reader(self.stream, strict=True)
            self.fast_base = self.lines.number  # lines read before the fast reader started

    def _next(self) -> tuple[list[str] | None, str | None, int] | None:
        """The next record (fields or a problem, and its first line); ``None`` at the end."""
        while True:
            if self.fast is not None:
                found = self._next_fast()
                if found is None or found[0] is not None or found[1] is not None:
                    return found
                continue
            self.lines.record = []
            try:
                fields = next(self.reader)
            except StopIteration:
                return None
            except csv.Error as exc:
                record = self.lines.record
                first = record[0][0] if record else self.lines.number
                if len(record) > 1:
                    self.lines.pending.extendleft(reversed(record[1:]))
                    # the reader's line generator may have ended at the end of the file: a fresh one reads them
                    self.reader = csv.reader(self.lines, strict=True)
                return None, f"line {first}: {_csv_problem(exc)}", first
            first = self.lines.record[0][0]
            if not self._blank(fields):
                return fields, None, first

    def _blank(self, fields: list[str]) -> bool:
        return not fields or (len(fields) == 1 and not fields[0].strip() and len(getattr(self, "columns", [])) > 1)

    def _next_fast(self) -> tuple[list[str] | None, str | None, int] | None:
        """``_next`` while no record was malformed: the csv reader reads the stream itself, which is faster.

        Returns ``(None, None, line)`` for a blank record. At the first malformed record, reading goes on
        line by line (``_Lines``) from the line after the record's first, as ``_next`` does.
        """
        first = self.fast_base + self.fast.line_num + 1
        try:
            fields = next(self.fast)
        except StopIteration:
            return None
        except csv.Error as exc:
            self.stream.close()
            self.stream = _open_text(self.path)
            for _ in range(first):
                self.stream.readline()
            self.lines = _Lines(self.stream)
            self.lines.number = first
            self.reader = csv.reader(self.lines, strict=True)
            self.fast = None
            return None, f"line {first}: {_csv_problem(exc)}", first
        return (None, None, first) if self._blank(fields) else (fields, None, first)

    def chunks(self, skip: int, size: int) -> Iterator[_Chunk]:
        width = len(self.columns)
        rows: list[list[Any]] = []
        errors: list[str | None] = []
        skipped = 0
        while (record := self._next()) is not None:
            if skipped < skip:
                skipped += 1
                continue
            fields, problem, line = record
            if fields is not None and len(fields) != width:
                problem, fields = f"line {line}: expected {width} fields, found {len(fields)}", None
            rows.append(fields if fields is not None else [None] * width)
            errors.append(problem)
            if len(rows) >= size:
                yield _Chunk(_frame(rows, self.columns), errors, self.stream.buffer.tell())  # type: ignore[attr-defined]
                rows, errors = [], []
        if skipped < skip:
            raise _skip_error(self.path, skip, skipped)
        if rows:
            yield _Chunk(_frame(rows, self.columns), errors, self.total or 0)

    def close(self) -> None:
        self.stream.close()


class _JsonlTable(_Table):
    unit = "rows"

    def __init__(self, path: Path) -> None:
        self.path = path
        keys: dict[str, None] = {}
        rows = 0
        with _open_text(path) as stream:
            for line in stream:
                if not line.strip():
                    continue
                rows += 1
                try:
                    record = json.loads(line)
                except ValueError:
                    continue
                if isinstance(record, dict):
                    keys.update(dict.fromkeys(map(str, record)))
        self.columns = list(keys)
        self.total = rows

    def chunks(self, skip: int, size: int) -> Iterator[_Chunk]:
        rows: list[list[Any]] = []
        errors: list[str | None] = []
        index = 0
        with _open_text(self.path) as stream:
            for number, line in enumerate(stream, start=1):
                if not line.strip():
                    continue
                index += 1
                if index <= skip:
                    continue
                problem = None
                try:
                    record = json.loads(line)
                except ValueError as exc:
                    reason = f"{exc.msg} at column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else str(exc)
                    problem = f"line {number}: not valid JSON ({reason})"
                else:
                    if not isinstance(record, dict):
                        problem = f"line {number}: not a JSON object but {_kind(record)}"
                if problem is None:
                    rows.append([record.get(column) for column in self.columns])
                else:
                    rows.append([None] * len(self.columns))
                errors.append(problem)
                if len(rows) >= size:
                    yield _Chunk(_frame(rows, self.columns), errors, index)
                    rows, errors = [], []
        if index < skip:
            raise _skip_error(self.path, skip, index)
        if rows:
            yield _Chunk(_frame(rows, self.columns), errors, index)


class _ParquetTable(_Table):
    unit = "rows"

    def __init__(self, path: Path) -> None:
        import pyarrow.parquet as pq

        self.path = path
        try:
            self.file = pq.ParquetFile(path)
        except Exception as exc:
            raise ScoringError(f"{path}: cannot be read as Parquet ({exc})") from None
        self.schema = self.file.schema_arrow.remove_metadata()
        self.columns = list(self.schema.names)
        self.total = self.file.metadata.num_rows

    def chunks(self, skip: int, size: int) -> Iterator[_Chunk]:
        import pyarrow as pa

        done = 0
        try:
            for batch in self.file.iter_batches(batch_size=size, use_pandas_metadata=False):
                start = max(0, min(skip - done, batch.num_rows))
                done += batch.num_rows
                if start == batch.num_rows:
                    continue
                table = pa.Table.from_batches([batch.slice(start)]).replace_schema_metadata(None)
                frame = table.to_pandas(types_mapper=pd.ArrowDtype)
                yield _Chunk(frame, [None] * len(frame), done)
        except (OSError, pa.ArrowException) as exc:
            raise ScoringError(f"{self.path}: cannot be read as Parquet ({exc})") from None
        if done < skip:
            raise _skip_error(self.path, skip, done)

    def close(self) -> None:
        self.file.close()


def _open_table(path: Path, fmt: str) -> _Table:
    try:
        if fmt == "csv":
            return _CsvTable(path)
        if fmt == "jsonl":
            return _JsonlTable(path)
        return _ParquetTable(path)
    except OSError as exc:
        raise ScoringError(f"{path}: cannot be read ({exc.strerror or exc})") from None


# --------------------------------------------------------------------------------------------
# Writing the output


def _json_value(value: Any) -> Any:
    """A JSON-serialisable form of a cell (missing values become ``None``)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, dict):
        return {str(key): _json_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_value(item) for item in value]
    if hasattr(value, "tolist"):  # numpy scalars and arrays
        return _json_value(value.tolist())
    if hasattr(value, "isoformat"):  # dates, times, timestamps
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def _csv_cell(value: Any) -> Any:
    if isinstance(value, dict | list | tuple) or (hasattr(value, "tolist") and hasattr(value, "ndim") and value.ndim):
        return json.dumps(_json_value(value), ensure_ascii=False)
    return value


def _csv_values(column: pd.Series) -> list[Any]:
    """A column's cells for ``_csv_text``: its values, but dates and times as pandas writes them."""
    if getattr(column.dtype, "kind", "") in ("m", "M"):  # datetimes and durations, NumPy or Arrow
        if isinstance(column.dtype, pd.ArrowDtype):
            column = pd.Series(column.tolist(), index=column.index)
        # pandas drops the time of day when every value is at midnight. Its text holds no comma, quote or line
        # break; a missing value, alone on its line, is written as "".
        lines = column.to_frame().to_csv(header=False, index=False, lineterminator="\n").split("\n")[:-1]
        return ["" if line == '""' else line for line in lines]
    return column.tolist()


def _csv_field(text: str) -> str:
    """A field as the csv module writes it with minimal quoting, except that a carriage return is quoted too.

    Python's csv module leaves a lone carriage return unquoted when lines end with "\\n", and a reader
    then splits the row there; quoting it keeps one row per input row.
    """
    if '"' in text:
        return '"' + text.replace('"', '""') + '"'
    if "," in text or "\n" in text or "\r" in text:
        return '"' + text + '"'
    return text


def _csv_cell_text(value: Any) -> str:
    """A cell as pandas' ``to_csv`` writes it (lists and dicts as JSON), quoted as :func:`_csv_field` quotes."""
    kind = type(value)  # the common cells first: strings, floats and None
    if kind is str:
        return _csv_field(value)
    if kind is float:
        return "" if value != value else repr(value)
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, str):
        return _csv_field(value)
    if isinstance(value, float):
        return "" if math.isnan(value) else str(value)
    return _csv_field(str(_csv_cell(value)))


def _csv_text(columns: list[list[Any]]) -> str:
    """CSV lines of columns of cells (see ``_csv_values``), written as pandas' ``to_csv`` writes them, except
    that a carriage return is quoted (see :func:`_csv_field`)."""
    fields = [[_csv_cell_text(value) for value in column] for column in columns]
    if len(fields) == 1:  # a lone empty field is quoted, or the line would be blank
        return "".join((field or '""') + "\n" for field in fields[0])
    return "".join(",".join(row) + "\n" for row in zip(*fields, strict=True))


def _string_cell(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    converted = _json_value(value)
    return None if converted is None else converted if isinstance(converted, str) else json.dumps(converted)


def output_schema(
    columns: Sequence[str], input_schema: pa.Schema | None, spans: bool = False, prefix: str = ""
) -> pa.Schema:
    """The Arrow schema of a Parquet output: the input's (strings for CSV and JSONL input) plus the added columns."""
    import pyarrow as pa

    fields = list(input_schema) if input_schema is not None else [pa.field(name, pa.string()) for name in columns]
    fields = [pa.field(f.name, pa.string()) if pa.types.is_null(f.type) else f for f in fields]
    numbers = {"p_product", "p_project", "p_hybrid", "p_neither", "mix_product", "mix_project"}
    for name in added_columns(False, prefix):
        plain = name[len(prefix) :]
        kind = pa.float64() if plain in numbers else pa.bool_() if plain == "title_disagrees" else pa.string()
        fields.append(pa.field(name, kind))
    return pa.schema(fields)


def _fsync(handle: IO[bytes]) -> None:
    handle.flush()
    os.fsync(handle.fileno())


class TableWriter:
    """Writes an output table chunk by chunk into ``OUTPUT.partial`` and renames it over ``OUTPUT`` at the end.

    CSV and JSONL are appended; Parquet chunks go to ``OUTPUT.parts/`` and are joined into one file
    by :meth:`finish`. :meth:`state` and :meth:`reopen` let an interrupted run go on.
    """

    def __init__(
        self, target: Path, fmt: str, columns: Sequence[str], schema: pa.Schema | None = None, prefix: str = ""
    ) -> None:
        self.target = target
        self.prefix = prefix  # of the added columns
        self.fmt = fmt
        self.columns = list(columns)
        self.schema = schema
        self.partial = target.with_name(target.name + ".partial")
        self.parts = target.with_name(target.name + ".parts")
        self.handle: IO[bytes] | None = None
        self.chunks = 0

    def start(self) -> None:
        """Begin a fresh output (anything left by an earlier run is discarded)."""
        self.discard()
        if self.fmt == "parquet":
            self.parts.mkdir()
            return
        self.handle = open(self.partial, "wb")  # noqa: SIM115 - closed by finish/close
        if self.fmt == "csv":
            self.handle.write(pd.DataFrame(columns=self.columns).to_csv(index=False, lineterminator="\n").encode())

    def reopen(self, state: dict[str, Any]) -> None:
        """Go on from a checkpoint: drop what was written after it."""
        self.chunks = int(state["chunks"])
        if self.fmt == "parquet":
            if not self.parts.is_dir():
                raise ScoringError(f"{self.target}: cannot resume: {self.parts.name} is missing")
            for part in self.parts.iterdir():
                if not part.name.startswith("part-") or int(part.stem.split("-")[1]) >= self.chunks:
                    part.unlink()
            if len(list(self.parts.iterdir())) != self.chunks:
                raise ScoringError(f"{self.target}: cannot resume: chunks are missing from {self.parts.name}")
            return
        size = int(state["partial_bytes"])
        if not self.partial.is_file() or self.partial.stat().st_size < size:
            raise ScoringError(f"{self.target}: cannot resume: {self.partial.name} is missing or shorter than recorded")
        self.handle = open(self.partial, "r+b")  # noqa: SIM115 - closed by finish/close
        self.handle.truncate(size)
        self.handle.seek(size)

    def write(self, frame: pd.DataFrame, added: dict[str, list[Any]] | None = None) -> None:
        """Append one chunk: the columns of ``frame`` and the ``added`` columns' values, in :attr:`columns` order."""
        if self.fmt == "parquet":
            if added is not None:
                frame = frame.assign(**_added_frame(added, frame.index, self.prefix))  # typed columns
            self._write_part(frame[self.columns])
        else:
            assert self.handle is not None
            values = _csv_values if self.fmt == "csv" else pd.Series.tolist
            given = {**{name: values(frame[name]) for name in frame.columns}, **(added or {})}
            cells = [given[name] for name in self.columns]
            if self.fmt == "csv":
                text = _csv_text(cells)
            else:
                names = [str(column) for column in self.columns]
                text = "".join(
                    json.dumps(dict(zip(names, map(_json_value, row), strict=True)), ensure_ascii=False) + "\n"
                    for row in zip(*cells, strict=True)
                )
            self.handle.write(text.encode("utf-8"))
        self.chunks += 1

    def _table(self, frame: pd.DataFrame) -> pa.Table:
        import pyarrow as pa

        assert self.schema is not None
        frame = frame[[field.name for field in self.schema]]
        converted = {}
        for field in self.schema:
            column = frame[field.name]
            if pa.types.is_string(field.type) and not isinstance(column.dtype, pd.ArrowDtype):
                converted[field.name] = [_string_cell(value) for value in column.tolist()]
        if converted:
            frame = frame.assign(**converted)
        return pa.Table.from_pandas(frame, schema=self.schema, preserve_index=False)

    def _write_part(self, frame: pd.DataFrame) -> None:
        import pyarrow.parquet as pq

        name = self.parts / f"part-{self.chunks:08d}.parquet"
        temporary = name.with_suffix(".tmp")
        pq.write_table(self._table(frame), temporary)
        with open(temporary, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, name)

    def state(self) -> dict[str, Any]:
        """A checkpoint of what is written so far (after making it durable)."""
        state: dict[str, Any] = {"chunks": self.chunks}
        if self.handle is not None:
            _fsync(self.handle)
            state["partial_bytes"] = self.handle.tell()
        return state

    def finish(self) -> None:
        """Complete the partial file and rename it over the target."""
        if self.fmt == "parquet":
            import pyarrow.parquet as pq

            assert self.schema is not None
            with pq.ParquetWriter(self.partial, self.schema) as writer:
                parts = sorted(self.parts.glob("part-*.parquet"))
                for part in parts:
                    writer.write_table(pq.read_table(part, schema=self.schema))
                if not parts:
                    writer.write_table(self.schema.empty_table())
            with open(self.partial, "rb") as handle:
                os.fsync(handle.fileno())
        else:
            assert self.handle is not None
            _fsync(self.handle)
            self.handle.close()
            self.handle = None
        os.replace(self.partial, self.target)
        shutil.rmtree(self.parts, ignore_errors=True)
        with contextlib.suppress(OSError):  # make the rename durable where directories can be synced
            directory = os.open(self.target.parent, os.O_RDONLY)
            try:
                os.fsync(directory)
            finally:
                os.close(directory)

    def close(self) -> None:
        """Close the partial file, keeping it (for a resumed run)."""
        if self.handle is not None:
            self.handle.close()
            self.handle = None

    def discard(self) -> None:
        """Remove the partial output."""
        self.close()
        with contextlib.suppress(FileNotFoundError):
            self.partial.unlink()
        shutil.rmtree(self.parts, ignore_errors=True)


# --------------------------------------------------------------------------------------------
# Progress on standard error


class Progress:
    """A progress bar on standard error (rows, rows per second, time left), shown only on a terminal.

    ``enabled=None`` shows it when standard error is a terminal; ``False`` never; ``True`` always.
    """

    def __init__(self, enabled: bool | None, total: int | None, unit: str, done_rows: int = 0) -> None:
        from rich.console import Console

        console = Console(stderr=True)
        self.enabled = console.is_terminal if enabled is None else enabled
        self.rows = done_rows
        self.start_rows = done_rows
        self.started = time.monotonic()
        self.bar: Any = None
        if not self.enabled:
            return
        from rich.progress import BarColumn, TaskProgressColumn, TextColumn, TimeRemainingColumn
        from rich.progress import Progress as RichProgress

        self.bar = RichProgress(
            TextColumn("scoring"),
            BarColumn(),
            TaskProgressColumn(),
            TextColumn("{task.fields[rows]} rows · {task.fields[rate]} rows/s"),
            TimeRemainingColumn(),
            TextColumn("left"),
            console=console,
            transient=False,
        )
        self.task = self.bar.add_task("scoring", total=total, rows=f"{done_rows:,}", rate="-")
        self.bar.start()

    def update(self, rows: int, position: int) -> None:
        """Record that ``rows`` rows are done in all and ``position`` units of the input read."""
        self.rows = rows
        if self.bar is None:
            return
        elapsed = max(time.monotonic() - self.started, 1e-9)
        rate = (rows - self.start_rows) / elapsed
        self.bar.update(self.task, completed=position, rows=f"{rows:,}", rate=f"{rate:,.0f}")

    def note(self, message: str) -> None:
        """A one-line note, shown with the bar (and like it only on a terminal)."""
        if self.enabled:
            from rich.console import Console

            (self.bar.console if self.bar is not None else Console(stderr=True)).print(message, highlight=False)

    def stop(self) -> None:
        """Remove the bar from the screen's live area."""
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


# --------------------------------------------------------------------------------------------
# The run


def _identity(path: Path) -> dict[str, Any]:
    stat = path.stat()
    return {"path": str(path.resolve()), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def _model_identity(model: ModelLike) -> str:
    from rolecls.estimator import RoleClassifier
    from rolecls.persistence import sha256_file, shipped_model_path

    if isinstance(model, RoleClassifier):
        import joblib

        return f"in-memory model {joblib.hash(model)}"
    path = shipped_model_path() if model is None else Path(model)
    try:
        return f"{'shipped model' if model is None else path.resolve()} sha256 {sha256_file(path)}"
    except OSError:
        return str(path)


def _scored(
    chunks: Iterator[_Chunk],
    jobs: int,
    model: ModelLike,
    top: int,
    spans: bool,
    text_columns: Sequence[str],
) -> Iterator[tuple[_Chunk, list[RowScore]]]:
    """Each chunk with the scores of its rows, in order; at most ``2 * jobs`` chunks in flight."""

    def payload(chunk: _Chunk) -> list[tuple[Any, ...]]:
        columns = [chunk.frame[column].tolist() for column in text_columns]
        return [values for values, error in zip(zip(*columns, strict=True), chunk.errors, strict=True) if error is None]

    def merge(chunk: _Chunk, scores: list[RowScore]) -> list[RowScore]:
        found = iter(scores)
        return [RowScore(error=error) if error else next(found) for error in chunk.errors]

    first = next(chunks, None)
    second = next(chunks, None) if first is not None else None
    queued = iter([c for c in (first, second) if c is not None])
    everything = _chain(queued, chunks)
    if jobs <= 1 or second is None:
        for chunk in everything:
            yield chunk, merge(chunk, score_rows(payload(chunk), text_columns, model, top, spans))
        return

    # joblib's own reusable executor, which joblib.Parallel (``classify_many``) shares: a plain loky one
    # left behind would make a later Parallel call in this process fail.
    from joblib.executor import get_memmapping_executor

    executor = get_memmapping_executor(jobs, timeout=300)
    window: deque[tuple[_Chunk, Any]] = deque()
    try:
        for chunk in everything:
            window.append((chunk, executor.submit(score_rows, payload(chunk), list(text_columns), model, top, spans)))
            if len(window) >= 2 * jobs:
                done, future = window.popleft()
                yield done, merge(done, future.result())
        while window:
            done, future = window.popleft()
            yield done, merge(done, future.result())
    except BaseException as exc:
        for _, future in window:
            future.cancel()
        if isinstance(exc, Exception) and not isinstance(exc, RoleclsError):
            raise ScoringError(
                f"a worker process failed ({type(exc).__name__}: {exc}); the rows scored so far are kept, "
                "and --resume continues"
            ) from exc
        raise


def _chain(*iterators: Iterator[_Chunk]) -> Iterator[_Chunk]:
    for iterator in iterators:
        yield from iterator


def progress_path(output: str | Path) -> Path:
    """Where a run scoring into ``output`` keeps its checkpoint."""
    target = Path(output)
    return target.with_name(target.name + ".progress.json")


def _write_json_atomic(path: Path, data: dict[str, Any]) -> None:
    temporary = path.with_name(path.name + ".tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=1)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def _check_paths(source: Path, target: Path) -> None:
    if not source.exists():
        raise ScoringError(f"{source}: no such file")
    if source.is_dir():
        raise ScoringError(f"{source}: is a directory, not a file")
    if target.is_dir():
        raise ScoringError(f"{target}: is a directory; name the output file")
    if not target.parent.is_dir():
        raise ScoringError(f"{target}: the directory {target.parent} does not exist")
    if target.resolve() == source.resolve():
        raise ScoringError(f"{target}: is the input; write the output to another file")


def _differences(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    return [key for key in sorted(set(old) | set(new)) if old.get(key) != new.get(key)]


def score_file(
    input_path: str | Path,
    output_path: str | Path,
    text_columns: Sequence[str] = ("text",),
    *,
    input_format: str | None = None,
    output_format: str | None = None,
    top: int = DEFAULT_TOP,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    jobs: int | None = None,
    model: ModelLike = None,
    resume: bool = False,
    prefix: str = "",
    progress: bool | None = None,
) -> ScoreSummary:
    """Score every row of a CSV, JSONL or Parquet file into ``output_path`` (see the module docstring).

    ``text_columns`` are joined with a blank line. ``jobs`` worker processes score chunks of
    ``chunk_size`` rows (default: all cores). ``resume`` continues an interrupted run from its last
    completed chunk. ``progress``: ``None`` shows a bar when standard error is a terminal.
    Raises ``ScoringError`` (input, columns, formats, resume) and ``ModelError``; a bad row never
    raises. On an exception or interrupt the partial output and its checkpoint are kept.
    """
    import joblib

    started = time.monotonic()
    source, target = Path(input_path), Path(output_path)
    _check_paths(source, target)
    in_format = detect_format(source, input_format, "input")
    out_format = detect_format(target, output_format, "output")
    if top < 1 or chunk_size < 1:
        raise ScoringError("top and chunk size must be at least 1")
    jobs = joblib.cpu_count() if jobs is None or jobs < 1 else jobs
    text_columns = list(text_columns)
    spans = out_format == "jsonl"

    table = _open_table(source, in_format)
    try:
        check_columns(table.columns, text_columns, str(source), prefix)
        columns = table.columns + added_columns(spans, prefix)
        schema = output_schema(table.columns, table.schema, spans, prefix) if out_format == "parquet" else None
        writer = TableWriter(target, out_format, columns, schema, prefix)
        options = json.loads(
            json.dumps(
                {
                    "text_columns": text_columns,
                    "input_format": in_format,
                    "output_format": out_format,
                    "top": top,
                    "prefix": prefix,
                    "model": _model_identity(model),
                }
            )
        )
        checkpoint = {"version": PROGRESS_VERSION, "input": _identity(source), "options": options}
        record_path = progress_path(target)
        previous = _read_progress(record_path, target) if resume else None
        done = errors = warnings = 0
        if previous is not None:
            if previous.get("input") != checkpoint["input"]:
                raise ScoringError(
                    f"{target}: cannot resume: {source} changed since the interrupted run (or is another file); "
                    "run without --resume to start over"
                )
            changed = _differences(previous.get("options", {}), options)
            if changed:
                raise ScoringError(
                    f"{target}: cannot resume: options changed since the interrupted run ({', '.join(changed)}); "
                    "use the same options, or run without --resume to start over"
                )
            writer.reopen(previous["writer"])
            done, errors, warnings = int(previous["rows"]), int(previous["errors"]), int(previous["warnings"])
        else:
            with contextlib.suppress(FileNotFoundError):
                record_path.unlink()
            writer.start()
        resumed = done
        bar = Progress(progress, table.total, table.unit, done)
        if resume and previous is None:
            bar.note(f"nothing to resume for {target}; scoring from the start")
        elif previous is not None:
            bar.note(f"resuming after {done:,} rows")
        try:
            for chunk, scores in _scored(table.chunks(done, chunk_size), jobs, model, top, spans, text_columns):
                writer.write(chunk.frame, _added_values(scores, spans, prefix))
                done += len(scores)
                errors += sum(score.error is not None for score in scores)
                warnings += sum(score.warning is not None for score in scores)
                state = {"rows": done, "errors": errors, "warnings": warnings, "writer": writer.state()}
                _write_json_atomic(record_path, {**checkpoint, **state})
                bar.update(done, chunk.position)
            with contextlib.suppress(FileNotFoundError):
                record_path.unlink()  # first: a crash before the rename leaves no checkpoint, not a wrong one
            writer.finish()
        except BaseException:
            writer.close()
            if done == 0 and previous is None:
                writer.discard()
                with contextlib.suppress(FileNotFoundError):
                    record_path.unlink()
            raise
        finally:
            bar.stop()
        seconds = time.monotonic() - started
        bar.note(f"{done:,} rows ({errors:,} with an error) written to {target} in {seconds:,.1f} s")
    finally:
        table.close()
    return ScoreSummary(str(target), done, errors, warnings, resumed, seconds)


def _read_progress(path: Path, target: Path) -> dict[str, Any] | None:
    if not path.is_file():
        return None
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        if record.get("version") != PROGRESS_VERSION:
            raise ValueError("another version")
        int(record["rows"]), int(record["errors"]), int(record["warnings"]), record["writer"]["chunks"]
    except (ValueError, KeyError, TypeError, OSError):
        raise ScoringError(
            f"{target}: cannot resume: {path.name} is damaged; run without --resume to start over"
        ) from None
    return record
