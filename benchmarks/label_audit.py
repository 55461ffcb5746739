"""A blinded audit of the evaluation labels: are the model's product/project errors errors?

The evaluation postings are labelled from their titles, while rolecls reads responsibilities. Where
the two disagree, either the model is wrong or the title is. This tool lets a person read the
disputed texts without knowing which side anyone took, and then counts what they found.

    python benchmarks/label_audit.py prepare --out DIR [--eval PATH] [--model PATH] [--seed 0]
    python benchmarks/label_audit.py score --out DIR [--format json]

``prepare`` classifies the evaluation rows with the shipped model (or ``--model``), takes every
product or project row the model gets wrong (the other side, or hybrid) and as many rows it gets
right (controls, drawn at random with the same label mix), shuffles them and writes two files:
``sheet.csv`` (``audit_id``, ``text``, an empty ``judgement`` and ``note``) for the auditor, and
``key.csv`` (``audit_id``, the row ``id``, its title-derived ``label``, the model's ``predicted``
label and its ``group``, ``disputed`` or ``control``), which the auditor must not open. The auditor
fills ``judgement`` with product, project, hybrid or unclear, by the labelling guidelines in
``data/README.md`` (responsibilities, never the title: titles are masked in these texts).

``score`` reads both files and prints, for disputed rows and for controls, how often the auditor
agrees with the title label and how often with the model: aggregates only. The controls show how
often the auditor and the title labels agree where the model did too, so that the disputed rows
can be read against that baseline.

The evaluation texts must stay out of the repository (their licence is unclear), so ``--out`` must
be a folder outside it, and ``prepare`` never overwrites a sheet.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_EVAL = ROOT.parent / "shared" / "eval" / "real_postings_dev.csv"
SIDES = ("product", "project")
JUDGEMENTS = ("product", "project", "hybrid", "unclear")
SHEET, KEY = "sheet.csv", "key.csv"


class AuditError(Exception):
    """A problem the user can fix (a path, a file, a column)."""


def _outside_repository(folder: Path) -> Path:
    folder = folder.resolve()
    if folder == ROOT or ROOT in folder.parents:
        raise AuditError(f"{folder} is inside the repository; evaluation texts must stay out of it")
    return folder


def prepare(
    rows: pd.DataFrame, predicted: Sequence[str], out: Path, seed: int = 0
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Write the blinded sheet and its key for ``rows`` (columns ``id``, ``label``, ``text``) to ``out``."""
    out = _outside_repository(out)
    if (out / SHEET).exists() or (out / KEY).exists():
        raise AuditError(f"{out} already holds an audit; choose another folder or remove it")
    frame = rows[["id", "label", "text"]].astype(str).assign(predicted=list(predicted))
    sided = frame[frame.label.isin(SIDES)]
    disputed = sided[sided.predicted != sided.label]
    agreed = sided[sided.predicted == sided.label]
    rng = np.random.default_rng(seed)
    controls = []
    for label, count in disputed.label.value_counts().items():
        pool = agreed[agreed.label == label]
        take = min(int(count), len(pool))
        controls.append(pool.iloc[rng.choice(len(pool), size=take, replace=False)])
    chosen = pd.concat([disputed.assign(group="disputed"), *(control.assign(group="control") for control in controls)])
    chosen = chosen.iloc[rng.permutation(len(chosen))].reset_index(drop=True)
    chosen.insert(0, "audit_id", [f"a{i + 1:04d}" for i in range(len(chosen))])
    sheet = chosen[["audit_id", "text"]].assign(judgement="", note="")
    key = chosen[["audit_id", "id", "label", "predicted", "group"]]
    out.mkdir(parents=True, exist_ok=True)
    sheet.to_csv(out / SHEET, index=False)
    key.to_csv(out / KEY, index=False)
    return sheet, key


def score(out: Path) -> dict[str, Any]:
    """Counts per group: rows judged, agreeing with the title label, with the model, hybrid, unclear."""
    try:
        sheet = pd.read_csv(out / SHEET, dtype=str, keep_default_na=False)
        key = pd.read_csv(out / KEY, dtype=str, keep_default_na=False)
    except FileNotFoundError as exc:
        raise AuditError(f"no audit in {out}: {exc.filename} is missing (run prepare first)") from None
    if "judgement" not in sheet.columns or "audit_id" not in sheet.columns:
        raise AuditError(f"{out / SHEET} has no audit_id and judgement columns")
    judged = key.merge(sheet[["audit_id", "judgement"]], on="audit_id", how="left")
    judged["judgement"] = judged.judgement.fillna("").str.strip().str.lower()
    unknown = sorted(set(judged.judgement) - set(JUDGEMENTS) - {""})
    if unknown:
        raise AuditError(f"judgements must be one of {', '.join(JUDGEMENTS)} (or empty), not {unknown}")
    report: dict[str, Any] = {}
    for group in ("disputed", "control"):
        rows = judged[judged.group == group]
        done = rows[rows.judgement != ""]
        report[group] = {
            "rows": len(rows),
            "judged": len(done),
            "agrees_with_title_label": int((done.judgement == done.label).sum()),
            "agrees_with_model": int((done.judgement == done.predicted).sum()),
            "hybrid": int((done.judgement == "hybrid").sum()),
            "unclear": int((done.judgement == "unclear").sum()),
        }
    return report


def _render(report: dict[str, Any]) -> str:
    lines = [
        "| rows | judged | agree with title label | agree with model | hybrid | unclear |",
        "|---|---|---|---|---|---|",
    ]
    for group, counts in report.items():
        judged = max(counts["judged"], 1)
        lines.append(
            f"| {group} ({counts['rows']}) | {counts['judged']} | "
            f"{counts['agrees_with_title_label']} ({counts['agrees_with_title_label'] / judged:.0%}) | "
            f"{counts['agrees_with_model']} ({counts['agrees_with_model'] / judged:.0%}) | "
            f"{counts['hybrid']} | {counts['unclear']} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """The command line (see the module's description)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("prepare", help="write the blinded sheet and its key")
    make.add_argument("--out", type=Path, required=True, help="a folder outside the repository")
    make.add_argument("--eval", type=Path, default=DEFAULT_EVAL, help="labelled evaluation CSV")
    make.add_argument("--model", type=Path, default=None, help="model file (default: the shipped model)")
    make.add_argument("--seed", type=int, default=0, help="seed for the controls and the shuffle")
    count = commands.add_parser("score", help="count the auditor's judgements")
    count.add_argument("--out", type=Path, required=True, help="the folder prepare wrote")
    count.add_argument("--format", choices=("text", "json"), default="text")
    args = parser.parse_args(argv)
    try:
        if args.command == "prepare":
            if not args.eval.is_file():
                raise AuditError(f"no evaluation file at {args.eval}")
            from rolecls.persistence import load_model

            rows = pd.read_csv(args.eval, dtype=str, keep_default_na=False)
            missing = {"id", "label", "text"} - set(rows.columns)
            if missing:
                raise AuditError(f"{args.eval} lacks the columns {sorted(missing)}")
            model = load_model(args.model) if args.model else load_model()
            sheet, key = prepare(rows, model.predict(rows.text.tolist()), args.out, args.seed)
            disputed = int((key.group == "disputed").sum())
            print(f"wrote {len(sheet)} rows ({disputed} disputed, {len(sheet) - disputed} controls, shuffled)")
            print(f"give {args.out / SHEET} to the auditor; keep {args.out / KEY} from them")
        else:
            report = score(args.out)
            print(json.dumps(report) if args.format == "json" else _render(report))
    except AuditError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
