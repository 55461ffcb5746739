"""Render classifications: highlighted text for a terminal, plain markers otherwise, or JSON."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from rolecls.results import Classification, Evidence

LABEL_STYLES = {"product": "bold black on cyan", "project": "bold black on magenta", "hybrid": "bold black on yellow"}


def highlighted(result: Classification, top: int | None) -> list[Evidence]:
    """The evidence phrases to highlight: the ``top`` strongest for the decision, in text order."""
    chosen = result.evidence if top is None else result.evidence[:top]
    return sorted(chosen, key=lambda phrase: phrase.start)


def _scores_line(result: Classification) -> str:
    return " · ".join(f"{label} {score:.2f}" for label, score in result.scores.items())


def _mix_line(result: Classification) -> str:
    return f"product {result.mix['product']:.0%} / project {result.mix['project']:.0%}"


def _title_line(result: Classification) -> str | None:
    if result.title is None:
        return None
    if result.title_disagrees:
        return f"title: {result.title!r} suggests {result.title_label}, but the responsibilities say {result.label}"
    return f"title: {result.title!r} (masked; the decision rests on responsibilities)"


def summary_lines(result: Classification) -> list[str]:
    """Header lines: label, probabilities, role mix and the title check."""
    lines = [
        f"{result.source or 'text'}: {result.label}",
        f"  probabilities: {_scores_line(result)}",
        f"  role mix (evidence): {_mix_line(result)}",
    ]
    title = _title_line(result)
    if title:
        lines.append(f"  {title}")
    return lines


def evidence_lines(result: Classification, top: int | None) -> list[str]:
    """The strongest evidence phrases, one per line, with side and weight."""
    shown = result.evidence if top is None else result.evidence[:top]
    if not shown:
        return ["  evidence: no responsibility phrase the model knows"]
    lines = [f"  evidence ({len(shown)} of {len(result.evidence)} phrases, strongest first):"]
    lines += [f"    {phrase.label:<8} {phrase.weight:6.3f}  {_one_line(phrase.text)}" for phrase in shown]
    return lines


def render_plain(text: str, result: Classification, top: int | None = 10) -> str:
    """Plain text: phrases are marked ``[[phrase]](label)`` in the input text."""
    lines = summary_lines(result) + evidence_lines(result, top)
    chosen = highlighted(result, top)
    pieces, position = [], 0
    for phrase in chosen:
        pieces.append(text[position : phrase.start])
        pieces.append(f"[[{phrase.text}]]({phrase.label})")
        position = phrase.end
    pieces.append(text[position:])
    lines.append("")
    lines.append("".join(pieces).rstrip("\n"))
    return "\n".join(lines) + "\n"


def render_rich(console: Console, text: str, result: Classification, top: int | None = 10) -> None:
    """Print to a terminal with colour: phrases highlighted in the input text, and a legend."""
    header = Text(f"{result.source or 'text'}: ", style="bold")
    header.append(result.label, style=LABEL_STYLES.get(result.label, "bold"))
    console.print(header)
    console.print(f"  probabilities: {_scores_line(result)}", markup=False, highlight=False)
    console.print(f"  role mix (evidence): {_mix_line(result)}", markup=False, highlight=False)
    title = _title_line(result)
    if title:
        console.print(Text(f"  {title}", style="bold red" if result.title_disagrees else ""))
    for line in evidence_lines(result, top):
        console.print(Text(line))
    legend = Text("  legend: ")
    for label in ("product", "project"):
        style = LABEL_STYLES[label]
        legend.append(f" {label} ", style=style)
        legend.append(" ")
    console.print(legend)
    body = Text(text.rstrip("\n"))
    for phrase in highlighted(result, top):
        body.stylize(LABEL_STYLES.get(phrase.label, "bold"), phrase.start, phrase.end)
    console.print(body, highlight=False)
    console.print()


def _one_line(text: str, width: int = 100) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def render_json(result: Classification) -> str:
    """One JSON object on one line."""
    return result.to_json()
