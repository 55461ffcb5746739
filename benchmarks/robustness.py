"""Transfer and noise robustness, measured on the corpus alone (no evaluation postings).

    python benchmarks/robustness.py

Models are trained on the corpus's composed documents and tested on its hand-written documents, which
share no statement with them: this measures how far what is learnt from the statement bank carries to
whole documents written another way. The test documents are then scored again under each kind of
formatting noise that the evaluation folder's README lists for real postings (lost line breaks that run
words together, masked digits, lower-cased text without punctuation, Markdown bold), to see whether
formatting costs accuracy. It writes the section "robustness" of ``benchmarks/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from results import write_section  # benchmarks/results.py, beside this script

from rolecls.baselines import RawTfidfBaseline
from rolecls.estimator import RoleClassifier
from rolecls.evaluation import scores

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT / "data" / "corpus.csv"
_START = time.perf_counter()

NOISES: dict[str, Callable[[str], str]] = {
    "as written": lambda text: text,
    "line breaks lost (lines run together, bullets dropped)": lambda text: re.sub(r"\s*\n[\s\-\u2022*]*", "", text),
    "digits masked (`****`)": lambda text: re.sub(r"\d", "*", text),
    "lower-cased, punctuation stripped": lambda text: re.sub(r"[^\w\s]", "", text.lower()),
    "Markdown bold on line starts": lambda text: re.sub(r"(?m)^([-\u2022*]?\s*)(\w+(?: \w+){0,2})", r"\1**\2**", text),
}
MODELS: dict[str, Callable[[], Any]] = {
    "RoleClassifier, defaults (shipped configuration)": RoleClassifier,
    "RoleClassifier, hybrid_weight=1.0, use_idf=False, sublinear_tf=True": lambda: RoleClassifier(
        hybrid_weight=1.0, use_idf=False, sublinear_tf=True
    ),
    "RawTfidfBaseline, defaults": RawTfidfBaseline,
}


def log(message: str) -> None:
    print(f"[robustness {time.perf_counter() - _START:6.1f}s] {message}", file=sys.stderr, flush=True)


def row(model: str, noise: str, figures: dict[str, Any]) -> str:
    return (
        f"| {model} | {noise} | {figures['accuracy']:.3f} | {figures['per_label']['hybrid']['f1']:.3f} | "
        f"{figures['side_confusion_rate']:.1%} | {figures['hybrid_prediction_rate']:.1%} |"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and write its section of RESULTS.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="training corpus (CSV)")
    args = parser.parse_args(argv)
    corpus = pd.read_csv(args.corpus, dtype=str, keep_default_na=False)
    composed, handwritten = corpus[corpus.origin == "composed"], corpus[corpus.origin == "handwritten"]
    log(f"training on {len(composed)} composed documents, testing on {len(handwritten)} hand-written ones")
    rows, drops = [], []
    for name, make in MODELS.items():
        log(f"training {name}")
        model = make().fit(composed.text.tolist(), composed.label.tolist())
        clean = None
        for noise, apply in NOISES.items():
            figures = scores(handwritten.label, model.predict([apply(text) for text in handwritten.text]))
            clean = figures["accuracy"] if clean is None else clean
            drops.append((clean - figures["accuracy"], name, noise))
            rows.append(row(name, noise, figures))
    drop, worst_model, worst_noise = max(drops)
    lines = [
        "## Transfer and noise robustness on the corpus",
        "",
        f"`benchmarks/robustness.py`: trained on the {len(composed)} composed documents of `data/corpus.csv`, "
        f"tested on its {len(handwritten)} hand-written documents (no shared statements), as written and under "
        "each kind of formatting noise the evaluation folder's README lists for real postings. No evaluation "
        "posting is used. Side confusions and hybrid predictions are shares of the product and project "
        "documents.",
        "",
        "| model | test documents | accuracy | F1 hybrid | product↔project confusions | hybrid predictions |",
        "|---|---|---|---|---|---|",
        *rows,
        "",
        f"Largest accuracy loss to formatting noise: {drop:.3f} ({worst_model}; {worst_noise}).",
    ]
    write_section("robustness", "\n".join(lines))
    log("wrote the section 'robustness' of benchmarks/RESULTS.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
