"""Render a model card (the JSON written beside a model) as Markdown for people to read."""

from __future__ import annotations

from typing import Any

FIGURES_HEADER = [
    "| rows | n | agreement (all labels) | product↔project confusions (clear rows) | hybrid found "
    "| hybrid predicted (clear rows) | neither found | neither predicted (management rows) "
    "| role mix vs product share (Spearman) |",
    "|---|---|---|---|---|---|---|---|---|",
]
FIGURES_NOTE = (
    "Clear rows are those labelled product or project; management rows also count hybrid ones. Confusions "
    "count clear rows given the other side; hybrid predicted counts clear rows given hybrid; neither "
    "predicted counts management rows given neither. The Spearman correlation is between each management "
    "row's role mix (product share of its duties) and its true product share, where the file has one."
)


def _count(found: int, total: int) -> str:
    return f"{found} of {total}" if total else "–"


def _rate(count: int, rate: float, total: int) -> str:
    return f"{count} ({rate:.1%})" if total else "–"


def figures_row(name: str, figures: dict[str, Any]) -> str:
    """One table row of ``FIGURES_HEADER`` for a set of figures (``rolecls.evaluation.scores``)."""
    spearman = figures.get("mix_spearman")
    return (
        f"| {name} | {figures['rows']} | {figures['accuracy']:.3f} | "
        f"{_rate(figures['side_confusions'], figures['side_confusion_rate'], figures['clear_rows'])} | "
        f"{_count(figures['hybrid_found'], figures['hybrid_rows'])} | "
        f"{_rate(figures['hybrid_predictions'], figures['hybrid_prediction_rate'], figures['clear_rows'])} | "
        f"{_count(figures['neither_found'], figures['neither_rows'])} | "
        f"{_rate(figures['neither_predictions'], figures['neither_prediction_rate'], figures['management_rows'])} | "
        f"{'–' if spearman is None else f'{spearman:.3f}'} |"
    )


def figures_table(report: dict[str, Any], groups: bool = True) -> list[str]:
    """A report's figures overall and, with ``groups``, per kind and per source."""
    lines = [*FIGURES_HEADER, figures_row("all", report["overall"])]
    for group in ("by_kind", "by_source_repo") if groups else ():
        for value, figures in report.get(group, {}).items():
            lines.append(figures_row(f"{group[3:]}: {value}", figures))
    return lines


def evaluation_lines(name: str, report: dict[str, Any]) -> list[str]:
    """An evaluation report as Markdown lines: figures overall and per group, per label, confusion matrix."""
    overall = report["overall"]
    column = report.get("label_column")
    lines = [
        f"## Evaluation on `{name}`" + (f" (labels: `{column}`)" if column else ""),
        "",
        FIGURES_NOTE,
        "",
        *figures_table(report),
    ]
    for other, other_report in report.get("other_labels", {}).items():
        lines += ["", f"The same predictions against the labels in `{other}`:", "", *figures_table(other_report, False)]
    lines += ["", "Per label, all rows:", "", "| label | precision | recall | F1 | support |", "|---|---|---|---|---|"]
    for label, values in overall["per_label"].items():
        figures = " | ".join(f"{values[key]:.3f}" for key in ("precision", "recall", "f1"))
        lines.append(f"| {label} | {figures} | {values['support']} |")
    lines += ["", f"Macro-F1 over the labels present: {overall['macro_f1']:.3f}."]
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
    statements = card.get("statements", {})
    lines = [
        f"# Model card: {card.get('file', 'rolecls model')}",
        "",
        card.get("description", ""),
        "",
        f"- sha256: `{card.get('sha256', '')}` ({card.get('size_bytes', 0):,} bytes)",
        f"- trained: {card.get('training_date', 'unknown')} on `{trained.get('file', '?')}` "
        f"(sha256 `{trained.get('sha256', '?')[:16]}…`, {trained.get('documents', '?')} documents)",
    ]
    if statements:
        per_label = ", ".join(f"{count:,} {label}" for label, count in statements.get("per_label", {}).items())
        lines.append(
            f"- duty stage: `{statements.get('file', '?')}` (sha256 `{statements.get('sha256', '?')[:16]}…`, "
            f"{statements.get('statements', 0):,} labelled statements: {per_label})"
        )
    lines += [
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
