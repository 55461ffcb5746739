"""Accuracy on real postings for rolecls and its baselines, against both label sets, and cross-validation.

Run from the repository root: ``python benchmarks/accuracy.py [--eval PATH] [--quick]``. In one run it

- trains RoleClassifier (default parameters) and RawTfidfBaseline on ``data/corpus.csv``, takes
  KeywordBaseline as it is and loads the shipped model;
- evaluates all four on the real postings (``../shared/eval/real_postings_dev.csv``; evaluation only,
  nothing is trained or tuned on them) against the readers' labels (``resp_label``, judged from duties by
  blinded readers; the gold standard) and, beside them, the title labels (``label``);
- cross-validates the duty stage on the labelled statements (grouped by blocks of bank lines) and the
  whole model on the corpus (grouped by ``group``), unless ``--quick``;
- writes the section "accuracy" of ``benchmarks/RESULTS.md`` (not with ``--quick``, which only prints).

If the evaluation file is absent (a public clone), it says so and exits 0 without writing.
Progress goes to standard error; only aggregate figures are printed.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from results import write_section  # benchmarks/results.py, beside this script

from rolecls.baselines import KeywordBaseline, RawTfidfBaseline
from rolecls.crossval import grouped_cross_validation, statement_cross_validation
from rolecls.errors import ModelError
from rolecls.estimator import LABELS, RoleClassifier
from rolecls.evaluation import grouped_scores
from rolecls.modelcard import FIGURES_HEADER, FIGURES_NOTE, figures_row, figures_table
from rolecls.persistence import load_model, shipped_model_path
from rolecls.statement_bank import statements_path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_EVAL = ROOT.parent / "shared" / "eval" / "real_postings_dev.csv"
DEFAULT_CORPUS = ROOT / "data" / "corpus.csv"
SECTION = "accuracy"
READERS, TITLES, SHARE = "resp_label", "label", "resp_product_share"

# The issue's targets on the dev rows, with the readers' labels.
MAX_SIDE_CONFUSION_RATE = 0.02
MIN_HYBRID_FOUND, MAX_HYBRID_PREDICTION_RATE = 5, 0.05
MIN_NEITHER_FOUND, MAX_NEITHER_PREDICTION_RATE = 15, 0.02
MIN_AGREEMENT = 0.93
MIN_SPEARMAN = 0.90

_START = time.perf_counter()


def log(message: str) -> None:
    """Progress on standard error, with the time since the start."""
    print(f"[accuracy {time.perf_counter() - _START:6.1f}s] {message}", file=sys.stderr, flush=True)


def sha256_prefix(path: Path) -> str:
    """The first 12 hex digits of a file's sha256, to say which version was measured."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def read_csv(path: Path) -> pd.DataFrame:
    """A CSV with every column as text."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def predict(model: Any, texts: list[str]) -> tuple[np.ndarray, np.ndarray, list[str], np.ndarray]:
    """Labels, probabilities, class order and role mix (product share) of ``texts`` under any of the models."""
    classes = [str(label) for label in model.classes_]
    if isinstance(model, RoleClassifier):
        found = model.predictions(texts)
        return found.labels.astype(str), found.probabilities, classes, found.mix[:, 0]
    if isinstance(model, KeywordBaseline):
        hits = model.counts(texts).astype(float)
        mix = np.divide(hits[:, 0], hits.sum(axis=1), out=np.full(len(hits), 0.5), where=hits.sum(axis=1) > 0)
        return model.predict(texts).astype(str), model.predict_proba(texts), classes, mix
    proba = model.predict_proba(texts)
    sides = proba[:, [classes.index("product"), classes.index("project")]]
    mix = sides[:, 0] / sides.sum(axis=1)
    return np.asarray(classes)[np.argmax(proba, axis=1)], proba, classes, mix


def evaluate(model: Any, frame: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """Figures against the readers' labels and the title labels, overall, per kind and per source."""
    predicted, proba, classes, mix = predict(model, frame.text.tolist())
    groups = {name: frame[name].tolist() for name in ("kind", "source_repo") if name in frame.columns}
    share = frame[SHARE].astype(float).to_numpy()
    return {
        column: grouped_scores(frame[column].tolist(), predicted, proba, groups, classes, mix, share)
        for column in (READERS, TITLES)
    }


def target_checks(figures: dict[str, Any]) -> dict[str, bool]:
    """Whether figures (readers' labels, all rows) meet each of the issue's targets."""
    spearman = figures.get("mix_spearman")
    return {
        "confusions": figures["side_confusion_rate"] <= MAX_SIDE_CONFUSION_RATE,
        "hybrid": figures["hybrid_found"] >= MIN_HYBRID_FOUND
        and figures["hybrid_prediction_rate"] <= MAX_HYBRID_PREDICTION_RATE,
        "neither": figures["neither_found"] >= MIN_NEITHER_FOUND
        and figures["neither_prediction_rate"] <= MAX_NEITHER_PREDICTION_RATE,
        "agreement": figures["accuracy"] >= MIN_AGREEMENT,
        "spearman": spearman is not None and spearman >= MIN_SPEARMAN,
    }


def targets_line(figures: dict[str, Any]) -> str:
    """The issue's targets against one model's figures on the readers' labels."""
    checks = target_checks(figures)
    met = ", ".join(name for name, ok in checks.items() if ok) or "none"
    missed = ", ".join(name for name, ok in checks.items() if not ok) or "none"
    return f"Targets met: {met}; not met: {missed}."


def summary_table(reports: dict[str, dict[str, dict[str, Any]]], column: str) -> list[str]:
    """All models side by side on all rows, against one label set."""
    header = FIGURES_HEADER[0].replace("| rows |", "| model |")
    lines = [header, FIGURES_HEADER[1]]
    lines += [figures_row(name, report[column]["overall"]) for name, report in reports.items()]
    return lines


def cv_section(grouped: dict[str, Any], corpus: pd.DataFrame, statements: dict[str, Any], folds: int) -> list[str]:
    """The duty stage's grouped cross-validation on statements, and the whole model's on the corpus."""
    per_class = statements["report"]["per_class"]
    by_origin = grouped_scores(
        corpus.label.tolist(), grouped["predicted"], None, {"origin": corpus.origin.tolist()}, LABELS
    )
    lines = [
        f"### Cross-validation on the project's own data ({folds} folds, default parameters)",
        "",
        "The duty stage on the labelled statements (`models/rolecls-statements.csv`), grouped: `GroupKFold` on "
        "blocks of 25 consecutive lines of a bank file, which writers wrote together, so that no block is on "
        "both sides of a split. A statement line's class is its most probable duty class.",
        "",
        "| duty class | precision | recall | F1 | statements |",
        "|---|---|---|---|---|",
        *(
            f"| {name} | {values['precision']:.3f} | {values['recall']:.3f} | {values['f1']:.3f} | "
            f"{values['support']:,} |"
            for name, values in per_class.items()
        ),
        "",
        f"Accuracy {statements['report']['accuracy']:.3f}.",
        "",
        "The whole model on `data/corpus.csv`, grouped by its `group` column (each hand-written document is its "
        "own group; composed documents of one bank shard share one). The duty stage is fitted on all the "
        "statements in every fold, and composed documents are built from those statements, so their figures "
        "flatter; the hand-written documents' statements are never in the statement bank.",
        "",
        *FIGURES_HEADER,
        figures_row("all", grouped["scores"]),
        *(figures_row(f"origin: {origin}", figures) for origin, figures in by_origin["by_origin"].items()),
    ]
    return lines


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval", type=Path, default=DEFAULT_EVAL, help="labelled real postings (CSV)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="training corpus (CSV)")
    parser.add_argument("--folds", type=int, default=5, help="cross-validation folds")
    parser.add_argument("--quick", action="store_true", help="no cross-validation; print, do not write")
    return parser.parse_args(argv)


def models(corpus: pd.DataFrame) -> dict[str, tuple[Any, str]]:
    """The models to compare, trained on the corpus where they learn."""
    texts, labels = corpus.text.tolist(), corpus.label.tolist()
    found: dict[str, tuple[Any, str]] = {}
    log("training RoleClassifier on the corpus")
    found["RoleClassifier (trained here)"] = (
        RoleClassifier().fit(texts, labels),
        "rolecls' duty model, default parameters, trained in this run on `data/corpus.csv` and the statement bank.",
    )
    try:
        found["shipped model"] = (load_model(), f"`models/{shipped_model_path().name}` as shipped.")
    except ModelError as exc:
        log(f"the shipped model is not compared: {exc}")
    log("training RawTfidfBaseline on the corpus")
    found["RawTfidfBaseline"] = (
        RawTfidfBaseline().fit(texts, labels),
        "A whole-text model: TF-IDF over every word of the raw text (words and word pairs, English stop words "
        "left out) and a class-balanced logistic regression; no statements, no duty stage, no title masking.",
    )
    found["KeywordBaseline"] = (
        KeywordBaseline().fit(texts, labels),
        "Counts product keywords against project keywords (`rolecls/baselines.py`): neither at 2 hits or "
        "fewer; hybrid when both sides have ≥ 2 hits and the smaller count is ≥ 60% of the larger.",
    )
    return found


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and write (or, with ``--quick``, print) its section of RESULTS.md."""
    args = parse_args(argv)
    if not args.eval.is_file():
        print(f"evaluation data not found at {args.eval}; nothing measured, RESULTS.md left as it is")
        return 0
    corpus, postings = read_csv(args.corpus), read_csv(args.eval)
    log(f"corpus: {len(corpus)} documents; evaluation: {len(postings)} rows")
    compared = models(corpus)
    reports = {}
    for name, (model, _) in compared.items():
        log(f"evaluating {name} on the real postings")
        reports[name] = evaluate(model, postings)
    bank = statements_path()
    lines = [
        "## Accuracy on real postings, and cross-validation",
        "",
        f"`benchmarks/accuracy.py`: models trained on `data/corpus.csv` (sha256 {sha256_prefix(args.corpus)}…, "
        f"{len(corpus)} documents) and the statement bank (`models/{bank.name}`, sha256 "
        f"{sha256_prefix(bank)}…), evaluated on `{args.eval.name}` (sha256 {sha256_prefix(args.eval)}…, "
        f"{len(postings)} real postings and resumes with role titles masked; evaluation only, never trained or "
        "tuned on).",
        "",
        "**Readers' labels** (`resp_label`: judged from duties alone by blinded readers; the gold standard):",
        "",
        *summary_table(reports, READERS),
        "",
        "**Title labels** (`label`: from the titles, noisy; they have no neither rows), same predictions:",
        "",
        *summary_table(reports, TITLES),
        "",
        FIGURES_NOTE,
        "",
        "The issue's targets, readers' labels: confusions ≤ 2% of clear rows; ≥ 5 of the 8 hybrids found and "
        "hybrid predicted on ≤ 5% of clear rows; ≥ 15 of the 23 neither rows found and neither predicted on ≤ 2% "
        "of management rows; agreement ≥ 0.93; Spearman ≥ 0.90.",
    ]
    for name, (_, description) in compared.items():
        readers = reports[name][READERS]
        lines += ["", f"### {name}", "", description, "", targets_line(readers["overall"]), ""]
        lines += ["Readers' labels, overall, per kind and per source:", "", *figures_table(readers)]
    if not args.quick:
        texts, labels, groups = corpus.text.tolist(), corpus.label.tolist(), corpus.group.tolist()
        statements = read_csv(bank)
        log(f"grouped {args.folds}-fold cross-validation of the duty stage on {len(statements)} statements")
        statement_cv = statement_cross_validation(
            statements.text.tolist(), statements.label.tolist(), statements.group.tolist(), RoleClassifier(), args.folds
        )
        log(f"grouped {args.folds}-fold cross-validation of RoleClassifier on the corpus")
        grouped = grouped_cross_validation(texts, labels, groups, RoleClassifier(), args.folds, log)
        lines += ["", *cv_section(grouped, corpus, statement_cv, args.folds)]
        write_section(SECTION, "\n".join(lines))
        log("wrote the section 'accuracy' of benchmarks/RESULTS.md")
    else:
        print("\n".join(lines[: lines.index(FIGURES_NOTE)]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
