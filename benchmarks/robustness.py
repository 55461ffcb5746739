"""Transfer and noise robustness, measured on the corpus alone (no evaluation postings).

    python benchmarks/robustness.py

Models are trained on the corpus's composed documents (and rolecls' duty stage on the statement bank they
are built from) and tested on its hand-written documents, which share no statement with either: this
measures how far what is learnt from the statement bank carries to whole documents written another way. The
test documents are then scored again under each kind of formatting noise that the evaluation folder's README
lists for real postings (lost line breaks that run words together, masked digits, lower-cased text without
punctuation, Markdown bold), to see whether formatting costs accuracy. Last, each test document gets an
employer section that leans to the other side (a company blurb and a benefits list written for this
benchmark: a construction group's blurb for a product document, a software-product company's for a project
document), once under headings and once without, to see how much boilerplate drives the decision. (Every
sentence of these blurbs starts with "We" or "Our", which is what ``skip_employer_voice`` looks for: that
the shipped model ignores them without headings holds by construction, and real blurbs are not always
written so.)
It writes the section "robustness" of ``benchmarks/RESULTS.md``.
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

# Employer sections that lean to one side, appended to documents of the other side.
LEANING = {
    "project": (
        "We are an engineering and construction group that delivers large projects and programmes for "
        "public clients, on time and on budget. Our project teams plan schedules, manage risks and "
        "contractors, and hand over sites to the highest standard.",
        ["Paid time for your PMP or PRINCE2 certification", "A flexible schedule", "An annual training budget"],
    ),
    "product": (
        "We build software products that millions of customers use every day. Our product teams own their "
        "roadmaps, run discovery with users and ship new features every week, guided by a clear product vision.",
        ["Free subscriptions to all our products", "A day each quarter in user research", "Hack weeks for ideas"],
    ),
}


def leaning(text: str, label: str, headings: bool) -> str:
    """``text`` with an employer blurb and benefits list leaning away from ``label`` (hybrid: product-leaning)."""
    blurb, benefits = LEANING["project" if label == "product" else "product"]
    listed = "\n".join(f"- {benefit}" for benefit in benefits)
    if headings:
        return f"About us\n{blurb}\n\n{text}\n\nBenefits\n{listed}"
    return f"{blurb}\n\n{text}\n\n{listed}"


NOISES: dict[str, Callable[[str, str], str]] = {
    "as written": lambda text, label: text,
    "line breaks lost (lines run together, bullets dropped)": lambda text, label: re.sub(
        r"\s*\n[\s\-\u2022*]*", "", text
    ),
    "digits masked (`****`)": lambda text, label: re.sub(r"\d", "*", text),
    "lower-cased, punctuation stripped": lambda text, label: re.sub(r"[^\w\s]", "", text.lower()),
    "Markdown bold on line starts": lambda text, label: re.sub(
        r"(?m)^([-\u2022*]?\s*)(\w+(?: \w+){0,2})", r"\1**\2**", text
    ),
    "employer sections leaning the other way, under headings": lambda text, label: leaning(text, label, True),
    "employer sections leaning the other way, no headings": lambda text, label: leaning(text, label, False),
}
FORMATTING = list(NOISES)[1:5]
MODELS: dict[str, Callable[[], Any]] = {
    "RoleClassifier, defaults (shipped configuration)": RoleClassifier,
    "RoleClassifier, skip_boilerplate=False, skip_employer_voice=False (reads everything)": lambda: RoleClassifier(
        skip_boilerplate=False, skip_employer_voice=False
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
    rows, drops, employer = [], [], []
    for name, make in MODELS.items():
        log(f"training {name}")
        model = make().fit(composed.text.tolist(), composed.label.tolist())
        clean = None
        leaning_rows: list[str] = []
        for noise, apply in NOISES.items():
            texts = [apply(text, label) for text, label in zip(handwritten.text, handwritten.label, strict=True)]
            figures = scores(handwritten.label, model.predict(texts))
            if clean is None:
                clean, clean_side = figures["accuracy"], figures["side_confusion_rate"]
            if noise in FORMATTING:
                drops.append((clean - figures["accuracy"], name, noise))
            elif noise != "as written":
                leaning_rows.append(f"{figures['side_confusion_rate']:.1%} ({noise.rsplit(', ', 1)[1]})")
            rows.append(row(name, noise, figures))
        employer.append(f"{name}: {', '.join(leaning_rows)}; as written {clean_side:.1%}")
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
        "",
        "Product↔project confusions with employer sections that lean the other way:",
        "",
        *[f"- {line}" for line in employer],
    ]
    write_section("robustness", "\n".join(lines))
    log("wrote the section 'robustness' of benchmarks/RESULTS.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
