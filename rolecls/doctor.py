"""Check an installation and describe it, for users filing a bug (``rolecls doctor``)."""

from __future__ import annotations

import platform
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PACKAGES = (
    "rolecls",
    "spacy",
    "spacy-lookups-data",
    "scikit-learn",
    "numpy",
    "joblib",
    "pandas",
    "pyarrow",
    "pypdf",
    "python-docx",
    "click",
    "rich",
    "dask",
    "distributed",
    "matplotlib",
)


@dataclass(frozen=True)
class Check:
    """One installation check: what was checked, whether it passed, and the detail."""

    name: str
    ok: bool
    detail: str


def versions() -> dict[str, str]:
    """Python and package versions ("not installed" for optional packages that are missing)."""
    from rolecls.training import package_versions

    python = f"{platform.python_version()} ({platform.system()} {platform.machine()})"
    return {"python": python, **package_versions(PACKAGES)}


def _check(name: str, action: Any) -> Check:
    try:
        return Check(name, True, str(action()))
    except Exception as exc:  # a doctor reports every failure instead of stopping at the first
        return Check(name, False, f"{type(exc).__name__}: {exc}")


def run_checks(model_path: str | Path | None = None) -> tuple[list[Check], dict[str, Any] | None]:
    """Run the installation checks; return them and the model card (if it could be read)."""
    from rolecls.persistence import card_path, load_model, read_card, sha256_file, shipped_model_path

    path = Path(model_path) if model_path is not None else shipped_model_path()
    card: dict[str, Any] | None = None

    def model_file() -> str:
        if not path.is_file():
            raise FileNotFoundError(f"no model file at {path}")
        return f"{path} ({path.stat().st_size:,} bytes)"

    def card_matches() -> str:
        nonlocal card
        card = read_card(path)
        if card is None:
            raise FileNotFoundError(f"no card at {card_path(path)}")
        digest = sha256_file(path)
        if digest != card.get("sha256"):
            raise ValueError(f"sha256 {digest[:16]}… does not match the card's {str(card.get('sha256'))[:16]}…")
        return f"sha256 {digest[:16]}… matches the card"

    def reader() -> str:
        from rolecls.preprocess import tokenizer

        nlp = tokenizer()
        return f"spacy.blank({nlp.lang!r}) tokenizer, reading a batch at a time"

    def lemmas() -> str:
        from rolecls.preprocess import read_batch

        batch = read_batch(["Managed budgets"])
        return " ".join(batch.strings[int(lemma)] for lemma in batch.table.lemma if lemma)

    def classify() -> str:
        from rolecls.explain import explain

        sample = "Own the product roadmap.\nInterview customers every week.\nDefine pricing and launch plans."
        result = explain(load_model(path), [sample])[0]
        return f"{result.label} ({result.scores[result.label]:.2f}) on a sample posting"

    checks = [
        _check("model file", model_file),
        _check("model card", card_matches),
        _check("reader", reader),
        _check("lookup lemmas", lemmas),
        _check("model loads and classifies", classify),
    ]
    return checks, card


def report_lines(model_path: str | Path | None = None) -> tuple[list[str], bool]:
    """The doctor's report as lines of text, and whether every check passed."""
    checks, card = run_checks(model_path)
    lines = ["versions:"]
    lines += [f"  {name}: {value}" for name, value in versions().items()]
    lines.append("checks:")
    lines += [f"  [{'ok' if check.ok else 'FAIL'}] {check.name}: {check.detail}" for check in checks]
    if card:
        lines.append("model card:")
        documents = card.get("trained_on", {}).get("documents")
        lines.append(f"  trained {card.get('training_date')} on {documents} documents")
        for name, report in card.get("evaluation", {}).items():
            overall = report["overall"]
            lines.append(
                f"  {name} ({report.get('label_column', 'label')}, {overall['rows']} rows): agreement "
                f"{overall['accuracy']:.3f}, product/project confusions {overall['side_confusion_rate']:.1%}, "
                f"hybrid found {overall['hybrid_found']} of {overall['hybrid_rows']}, neither found "
                f"{overall['neither_found']} of {overall['neither_rows']}"
            )
    return lines, all(check.ok for check in checks)
