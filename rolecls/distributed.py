"""Score on a Dask cluster when one machine is not enough.

:func:`score_dask_frame` adds rolecls' columns (see :mod:`rolecls.scoring`) to every partition of a
dask DataFrame; each worker process loads the model once (a cache keyed by model path).
:func:`score_file_on_cluster` reads a CSV, JSONL or Parquet file with ``dask.dataframe``, scores it
through a ``dask.distributed`` scheduler, and writes one output file, in input order, atomically.

Dask is imported only when used; without it these functions raise ``ScoringError`` saying to
install ``rolecls[dask]``.

What differs from :func:`rolecls.scoring.score_file`: the workers read INPUT themselves, so it must
be at the same path for them (a shared file system); the output is written by the client. CSV is
read with pandas' parser in blocks split at line breaks, so a malformed CSV stops the run with an
error instead of giving error rows, and a quoted field holding a line break can be split at a block
boundary (a known Dask limitation: such files are safer as Parquet or JSONL, or without
``--scheduler``). There is no ``--resume``. The rows, labels, probabilities and errors are the same
as those of ``score_file`` for a well-formed file.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import deque
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from rolecls.errors import RoleclsError
from rolecls.scoring import (
    DEFAULT_TOP,
    Progress,
    ScoreSummary,
    ScoringError,
    TableWriter,
    _check_paths,
    added_columns,
    check_columns,
    detect_format,
    output_schema,
    score_frame,
)

if TYPE_CHECKING:
    import dask.dataframe as dd

    from rolecls.estimator import RoleClassifier

__all__ = ["BLOCKSIZE", "read_dask_frame", "score_dask_frame", "score_file_on_cluster", "worker_model"]

BLOCKSIZE = "64MB"
"""Bytes of CSV or JSONL per partition."""

INSTALL_HINT = "scoring on a Dask cluster needs dask and distributed: install rolecls[dask]"

_MODELS: dict[str, RoleClassifier] = {}
_MODELS_LOCK = threading.Lock()  # a worker with several threads still loads each model once


def _dask() -> Any:
    """``dask.dataframe``, or ``ScoringError`` telling how to install it."""
    try:
        import dask.dataframe
    except ImportError:
        raise ScoringError(INSTALL_HINT) from None
    return dask.dataframe


def worker_model(model_path: str | Path | None = None) -> RoleClassifier:
    """The model at ``model_path`` (the shipped model for ``None``), loaded once per process."""
    key = str(model_path) if model_path is not None else ""
    with _MODELS_LOCK:
        if key not in _MODELS:
            from rolecls.persistence import load_model

            _MODELS[key] = load_model(model_path)
        return _MODELS[key]


def _score_partition(
    frame: pd.DataFrame, text_columns: Sequence[str], model_path: str | None, top: int, spans: bool, prefix: str
) -> pd.DataFrame:
    model = worker_model(model_path) if len(frame) else None
    return score_frame(frame, list(text_columns), model, top, spans, prefix)


def score_dask_frame(
    ddf: dd.DataFrame,
    text_columns: Sequence[str] | str,
    model_path: str | Path | None = None,
    top: int = DEFAULT_TOP,
    *,
    spans: bool = False,
    prefix: str = "",
) -> dd.DataFrame:
    """``ddf`` with rolecls' added columns, partition by partition (lazy; order and index kept).

    ``text_columns`` are joined with a blank line, as by :func:`rolecls.scoring.score_frame`.
    ``model_path`` must be readable by the workers (``None``: the shipped model). ``spans`` adds
    the ``evidence_spans`` column (lists of dicts).
    """
    _dask()
    columns = [text_columns] if isinstance(text_columns, str) else list(text_columns)
    check_columns(ddf.columns, columns, "the dask DataFrame", prefix)
    path = str(Path(model_path).resolve()) if model_path is not None else None
    meta = score_frame(ddf._meta.iloc[:0], columns, None, top, spans, prefix)
    return ddf.map_partitions(_score_partition, tuple(columns), path, top, spans, prefix, meta=meta)


def _reindex(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    return frame.reindex(columns=columns).astype(object).where(frame.reindex(columns=columns).notna(), None)


def read_dask_frame(path: str | Path, fmt: str) -> dd.DataFrame:
    """Read a CSV (all columns as text), JSONL or Parquet file as a dask DataFrame, in file order."""
    dd = _dask()
    name = str(Path(path).resolve())
    if fmt == "csv":
        return dd.read_csv(name, dtype=str, keep_default_na=False, blocksize=BLOCKSIZE)
    if fmt == "parquet":
        return dd.read_parquet(name, dtype_backend="pyarrow")
    # Rows of a JSONL file may hold different keys: every partition gets all keys of the file.
    from rolecls.scoring import _JsonlTable

    keys = _JsonlTable(Path(path)).columns
    # pandas 3 converts no dates with dtype=False (and deprecates these keywords); pandas 2 needs them.
    dates = {} if int(pd.__version__.split(".")[0]) >= 3 else {"convert_dates": False, "keep_default_dates": False}
    ddf = dd.read_json(name, lines=True, blocksize=BLOCKSIZE, dtype=False, **dates)
    meta = pd.DataFrame({key: pd.Series(dtype=object) for key in keys})
    return ddf.map_partitions(_reindex, keys, meta=meta)


def score_file_on_cluster(
    input_path: str | Path,
    output_path: str | Path,
    scheduler: Any,
    text_columns: Sequence[str] = ("text",),
    *,
    input_format: str | None = None,
    output_format: str | None = None,
    top: int = DEFAULT_TOP,
    model: str | Path | None = None,
    prefix: str = "",
    progress: bool | None = None,
) -> ScoreSummary:
    """Score a file through the Dask scheduler at ``scheduler`` (an address, or a ``distributed.Client``).

    Writes one output file in input order (``OUTPUT.partial`` renamed at the end); at most two
    partitions per worker are computed ahead of the one being written.
    """
    started = time.monotonic()
    _dask()
    try:
        from distributed import Client
    except ImportError:
        raise ScoringError(INSTALL_HINT) from None
    source, target = Path(input_path), Path(output_path)
    _check_paths(source, target)
    in_format = detect_format(source, input_format, "input")
    out_format = detect_format(target, output_format, "output")
    text_columns = list(text_columns)
    spans = out_format == "jsonl"
    try:
        ddf = read_dask_frame(source, in_format)
    except RoleclsError:
        raise
    except Exception as exc:
        raise ScoringError(f"{source}: cannot be read ({type(exc).__name__}: {exc})") from None
    input_columns = [str(column) for column in ddf.columns]
    check_columns(input_columns, text_columns, str(source), prefix)
    scored = score_dask_frame(ddf, text_columns, model, top, spans=spans, prefix=prefix)
    columns = input_columns + added_columns(spans, prefix)
    schema = None
    if out_format == "parquet":
        input_schema = None
        if in_format == "parquet":
            import pyarrow.parquet as pq

            input_schema = pq.read_schema(source).remove_metadata()
        schema = output_schema(input_columns, input_schema, spans, prefix)

    own_client = not isinstance(scheduler, Client)
    try:
        client = Client(scheduler, timeout="20s") if own_client else scheduler
    except (OSError, TimeoutError, ValueError) as exc:
        raise ScoringError(f"cannot connect to the Dask scheduler at {scheduler} ({exc})") from None
    writer = TableWriter(target, out_format, columns, schema)
    parts = scored.to_delayed()
    bar = Progress(progress, len(parts), "partitions")
    rows = errors = warnings = 0
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        writer.start()
        pending: deque[Any] = deque()
        queued = iter(parts)
        for part in queued:
            pending.append(client.compute(part))
            if len(pending) >= 2 * workers:
                break
        written = 0
        while pending:
            frame = pending.popleft().result()
            following = next(queued, None)
            if following is not None:
                pending.append(client.compute(following))
            writer.write(frame[columns])
            written += 1
            rows += len(frame)
            errors += int(frame[prefix + "error"].notna().sum())
            warnings += int(frame[prefix + "warning"].notna().sum())
            bar.update(rows, written)
        writer.finish()
    except BaseException as exc:
        writer.discard()
        if isinstance(exc, Exception) and not isinstance(exc, RoleclsError):
            raise ScoringError(f"{source}: scoring on the cluster failed ({type(exc).__name__}: {exc})") from exc
        raise
    finally:
        bar.stop()
        if own_client:
            with contextlib.suppress(Exception):
                client.close()
    seconds = time.monotonic() - started
    bar.note(f"{rows:,} rows ({errors:,} with an error) written to {target} in {seconds:,.1f} s")
    return ScoreSummary(str(target), rows, errors, warnings, 0, seconds)
