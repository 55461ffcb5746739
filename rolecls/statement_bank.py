"""The labelled statements the duty stage is fitted on: the project's statement bank, or a file of your own.

The bank (``rolecls-statements.csv``, shipped with rolecls beside the model) is built from ``data/bank/``
by ``data/compose_corpus.py``: product and project duties labelled by the file they are written in, and
everything a posting or resume holds that is not a product or project duty (requirements, skills, pay,
location, benefits, company text, resume furniture, headings, generic teamwork) labelled ``none``, and the
duties of jobs that manage neither (coding, nursing, selling) labelled ``work``. A file of your own needs
``text`` and ``label`` columns; its ``work`` statements are optional.
"""

from __future__ import annotations

from pathlib import Path

from rolecls.duties import DUTY_CLASSES, REQUIRED_CLASSES
from rolecls.errors import TrainingDataError
from rolecls.shipped import shipped_file
from rolecls.tables import read_table

STATEMENTS_FILENAME = "rolecls-statements.csv"
MIN_PER_CLASS = 10


def statements_path(path: str | Path | None = None) -> Path:
    """``path``, or the shipped statement bank for ``None``."""
    return shipped_file(STATEMENTS_FILENAME) if path is None else Path(path)


def read_statements(path: str | Path | None = None) -> tuple[list[str], list[str]]:
    """The texts and duty labels of the statements at ``path`` (the shipped bank for ``None``), checked."""
    source = statements_path(path)
    frame = read_table(source)
    for column in ("text", "label"):
        if column not in frame.columns:
            raise TrainingDataError(f"{source}: no column {column!r} (columns: {', '.join(map(str, frame.columns))})")
    texts = frame["text"].astype(str)
    labels = frame["label"].astype(str).str.strip().str.lower()
    unknown = sorted(set(labels) - set(DUTY_CLASSES))
    if unknown:
        raise TrainingDataError(f"{source}: unknown statement labels {unknown}; use {', '.join(DUTY_CLASSES)}")
    keep = texts.str.strip() != ""
    counts = labels[keep].value_counts()
    for name in DUTY_CLASSES:
        if (name in REQUIRED_CLASSES or counts.get(name, 0)) and counts.get(name, 0) < MIN_PER_CLASS:
            raise TrainingDataError(
                f"{source}: statement label {name!r} has {counts.get(name, 0)} examples; "
                f"at least {MIN_PER_CLASS} are needed"
            )
    return texts[keep].tolist(), labels[keep].tolist()
