"""Render a model card (the JSON written beside a model) as Markdown for people to read."""

from __future__ import annotations

from typing import Any


def _figures_row(name: str, figures: dict[str, Any]) -> str:
    per_label = figures["per_label"]
    recalls = " / ".join(
        f"{per_label[label]['recall']:.2f}" if per_label[label]["support"] else "–"
        for label in ("product", "project", "hybrid")
    )
    return (
        f"| {name} | {figures['rows']} | {figures['accuracy']:.3f} | {figures['macro_f1_product_project']:.3f} | "
        f"{figures['side_confusions']} ({figures['side_confusion_rate']:.1%}) | "
        f"{figures['hybrid_predictions']} ({figures['hybrid_prediction_rate']:.1%}) | {recalls} |"
    )


def evaluation_lines(name: str, report: dict[str, Any]) -> list[str]:
    """An evaluation report as Markdown lines: figures overall and per group, per label, confusion matrix."""
    overall = report["overall"]
    lines = [
        f"## Evaluation on `{name}`",
        "",
        "Side confusions are product rows predicted project and the reverse; hybrid predictions count "
        "product or project rows predicted hybrid; both as a share of the product and project rows. "
        "Macro-F1 is over product and project rows.",
        "",
        "| rows | n | accuracy | macro-F1 (product, project) | side confusions | hybrid predictions "
        "| recall product / project / hybrid |",
        "|---|---|---|---|---|---|---|",
        _figures_row("all", overall),
    ]
    for group in ("by_kind", "by_source_repo"):
        for value, figures in report.get(group, {}).items():
            lines.append(_figures_row(f"{group[3:]}: {value}", figures))
    lines += ["", "Per label, all rows:", "", "| label | precision | recall | F1 | support |", "|---|---|---|---|---|"]
    for label, values in overall["per_label"].items():
        figures = " | ".join(f"{values[key]:.3f}" for key in ("precision", "recall", "f1"))
        lines.append(f"| {label} | {figures} | {values['support']} |")
    lines += ["", f"Macro-F1 over all labels present: {overall['macro_f1']:.3f}."]
    matrix = overall["confusion_matrix"]
    lines += ["", "Confusion matrix (rows: true label, columns: predicted):", ""]
    lines.append("| true \\ predicted | " + " | ".join(matrix["labels"]) + " |")
    lines.append("|---" * (len(matrix["labels"]) + 1) + "|")
    for label, row in zip(matrix["labels"], matrix["rows_true_columns_predicted"], strict=True):
        lines.append(f"| {label} | " + " | ".join(str(v) for v in row) + " |")
    if "brier" in overall:
        calibration = f"Brier score {overall['brier']:.3f}, expected calibration error {overall['ece']:.3f}"
        lines += ["", f"Calibration: {calibration}."]
    return lines


def render_markdown(card: dict[str, Any]) -> str:
    """The card as a Markdown document."""
    trained = card.get("trained_on", {})
    per_kind = trained.get("documents_per_label_and_kind", {})
    kinds = sorted({kind for counts in per_kind.values() for kind in counts})
    lines = [
        f"# Model card: {card.get('file', 'rolecls model')}",
        "",
        card.get("description", ""),
        "",
        f"- sha256: `{card.get('sha256', '')}` ({card.get('size_bytes', 0):,} bytes)",
        f"- trained: {card.get('training_date', 'unknown')} on `{trained.get('file', '?')}` "
        f"(sha256 `{trained.get('sha256', '?')[:16]}…`, {trained.get('documents', '?')} documents)",
        f"- parameters: {', '.join(f'{k}={v}' for k, v in card.get('parameters', {}).items())}",
        f"- versions: {', '.join(f'{k} {v}' for k, v in card.get('versions', {}).items())}",
        "",
        "Training documents per label and kind:",
        "",
        "| label | " + " | ".join(kinds) + " |",
        "|---" * (len(kinds) + 1) + "|",
    ]
    for label, counts in per_kind.items():
        lines.append(f"| {label} | " + " | ".join(str(counts.get(kind, 0)) for kind in kinds) + " |")
    for note in card.get("notes", []):
        lines += ["", note]
    for name, report in card.get("evaluation", {}).items():
        lines += ["", *evaluation_lines(name, report)]
    lines += ["", "This file is generated from the JSON card beside it; the JSON is the record.", ""]
    return "\n".join(lines)
