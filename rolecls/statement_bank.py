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
from rolecls.tables import check_counts, label_values, read_columns

STATEMENTS_FILENAME = "rolecls-statements.csv"
MIN_PER_CLASS = 10


def statements_path(path: str | Path | None = None) -> Path:
    """``path``, or the shipped statement bank for ``None``."""
    return shipped_file(STATEMENTS_FILENAME) if path is None else Path(path)


def read_statements(path: str | Path | None = None) -> tuple[list[str], list[str]]:
    """The texts and duty labels of the statements at ``path`` (the shipped bank for ``None``), checked."""
    source = statements_path(path)
    frame = read_columns(source, ("text", "label"))
    texts = frame["text"].astype(str)
    labels = label_values(frame["label"])
    unknown = sorted(set(labels) - set(DUTY_CLASSES))
    if unknown:
        raise TrainingDataError(f"{source}: unknown statement labels {unknown}; use {', '.join(DUTY_CLASSES)}")
    keep = texts.str.strip() != ""
    check_counts(
        labels[keep].value_counts().to_dict(),
        DUTY_CLASSES,
        REQUIRED_CLASSES,
        MIN_PER_CLASS,
        str(source),
        "statement label",
    )
    return texts[keep].tolist(), labels[keep].tolist()
