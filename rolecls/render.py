"""Render classifications: highlighted text for a terminal, plain markers, JSON, or an HTML page."""

from __future__ import annotations

import html
import json
import textwrap
from collections.abc import Sequence

from rich.console import Console
from rich.text import Text

from rolecls.results import Classification, Evidence

LABEL_STYLES = {
    "product": "bold black on cyan",
    "project": "bold black on magenta",
    "hybrid": "bold black on yellow",
    "neither": "bold black on white",
}


def highlighted(result: Classification, top: int | None) -> list[Evidence]:
    """The evidence phrases to highlight: the ``top`` strongest for the decision, in text order."""
    chosen = result.evidence if top is None else result.evidence[:top]
    return sorted(chosen, key=lambda phrase: phrase.start)


def _scores_line(result: Classification) -> str:
    return " · ".join(f"{label} {score:.2f}" for label, score in result.scores.items())


def _mix_line(result: Classification) -> str:
    if not any(result.mix.values()):
        return "no product or project duties"
    return f"product {result.mix['product']:.0%} / project {result.mix['project']:.0%}"


def _title_line(result: Classification) -> str | None:
    if result.title is None:
        return None
    if result.title_disagrees:
        return f"title: {result.title!r} suggests {result.title_label}, but the duties say {result.label}"
    return f"title: {result.title!r} (masked; the decision rests on duties)"


def _skipped_line(result: Classification, width: int = 40) -> str | None:
    """What was not read: each passage's first line, shortened, grouped by reason."""
    if not result.skipped:
        return None
    groups: dict[str, list[str]] = {}
    for passage in result.skipped:
        first = passage.text.strip().splitlines()[0].strip(" #*:_")
        groups.setdefault(passage.reason, []).append(repr(textwrap.shorten(first, width, placeholder=" …")))
    parts = [f"{reason} ({len(found)}): {', '.join(found)}" for reason, found in groups.items()]
    return "not read (not the role's duties): " + "; ".join(parts)


def summary_lines(result: Classification) -> list[str]:
    """Header lines: label, probabilities, role mix, the title check and what was not read."""
    lines = [
        f"{result.source or 'text'}: {result.label}",
        f"  probabilities: {_scores_line(result)}",
        f"  role mix (duties): {_mix_line(result)}",
    ]
    title = _title_line(result)
    if title:
        lines.append(f"  {title}")
    skipped = _skipped_line(result)
    if skipped:
        lines.append(f"  {skipped}")
    lines += [f"  note: {note}" for note in result.notes]
    return lines


def evidence_lines(result: Classification, top: int | None) -> list[str]:
    """The strongest evidence phrases, one per line, with side and weight."""
    shown = result.evidence if top is None else result.evidence[:top]
    if not shown:
        return ["  evidence: none"]
    share = result.decision_share(top)
    order = f"{result.label} duties first, then " if result.label in ("product", "project") else ""
    lines = [
        f"  evidence ({len(shown)} of {len(result.evidence)} duties, {order}strongest first; "
        f"they carry {share:.0%} of the decision):"
    ]
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
    console.print(f"  role mix (duties): {_mix_line(result)}", markup=False, highlight=False)
    title = _title_line(result)
    if title:
        console.print(Text(f"  {title}", style="bold red" if result.title_disagrees else ""))
    skipped = _skipped_line(result)
    if skipped:
        console.print(Text(f"  {skipped}", style="dim"))
    for note in result.notes:
        console.print(Text(f"  note: {note}", style="bold red"))
    for line in evidence_lines(result, top):
        console.print(Text(line))
    legend = Text("  legend: ")
    for label in ("product", "project"):
        style = LABEL_STYLES[label]
        legend.append(f" {label} ", style=style)
        legend.append(" ")
    if result.skipped:
        legend.append("not read", style="dim")
    console.print(legend)
    console.print(highlighted_text(text, result, top), highlight=False)
    console.print()


def highlighted_text(text: str, result: Classification, top: int | None = 10) -> Text:
    """The text as a rich ``Text``: evidence phrases in their label's colours, passages not read dimmed."""
    # rich drops "\r": replace it in place (same length) so that offsets still index the text.
    body = Text(text.rstrip("\n").replace("\r\n", " \n").replace("\r", "\n"))
    for passage in result.skipped:
        body.stylize("dim", passage.start, passage.end)
    for phrase in highlighted(result, top):
        body.stylize(LABEL_STYLES.get(phrase.label, "bold"), phrase.start, phrase.end)
    return body


def _one_line(text: str, width: int = 100) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def render_json(result: Classification, text: str | None = None) -> str:
    """One JSON object on one line; with ``text``, the text its offsets refer to is included."""
    record = result.to_dict()
    if text is not None:
        record["text"] = text
    return json.dumps(record, ensure_ascii=False)


_HTML_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; line-height: 1.5; color: #222; }
section { border-top: 1px solid #ccc; padding-top: 1rem; margin-top: 2rem; }
.label { font-weight: bold; padding: 0 .4em; border-radius: .3em; }
.product { background: #9ee6f0; } .project { background: #f0b3f0; } .hybrid { background: #f5e39a; }
.neither { background: #e4e4e4; }
mark { padding: 0 .1em; border-radius: .2em; color: inherit; }
mark.product { background: #9ee6f0; } mark.project { background: #f0b3f0; }
pre { white-space: pre-wrap; font-family: inherit; background: #fafafa; padding: 1rem; border: 1px solid #eee; }
table { border-collapse: collapse; } td, th { padding: .2em .6em; text-align: left; border-bottom: 1px solid #eee; }
.bar { display: flex; height: .8em; width: 20em; border: 1px solid #999; }
.warn { color: #a00; font-weight: bold; }
.skipped { color: #888; }
"""


def _html_document(text: str, result: Classification, top: int | None) -> str:
    escape = html.escape
    rows = "".join(f"<tr><td>{escape(label)}</td><td>{score:.3f}</td></tr>" for label, score in result.scores.items())
    product_share = result.mix["product"]
    title = _title_line(result)
    title_html = ""
    if title:
        title_html = f'<p class="{"warn" if result.title_disagrees else ""}">{escape(title)}</p>'
    marks = [
        (
            phrase.start,
            phrase.end,
            f'<mark class="{escape(phrase.label)}" title="{escape(phrase.label)} {phrase.weight:.3f}">',
            "</mark>",
        )
        for phrase in highlighted(result, top)
    ]
    marks += [
        (passage.start, passage.end, f'<span class="skipped" title="not read: {escape(passage.reason)}">', "</span>")
        for passage in result.skipped
    ]
    pieces, position = [], 0
    for start, end, opening, closing in sorted(marks):
        if start < position:
            continue
        pieces.append(escape(text[position:start]))
        pieces.append(f"{opening}{escape(text[start:end])}{closing}")
        position = end
    pieces.append(escape(text[position:]))
    skipped = _skipped_line(result)
    skipped_html = f'<p class="skipped">{escape(skipped)}</p>' if skipped else ""
    legend_skipped = ' <span class="skipped">not read</span>' if skipped else ""
    shown = result.evidence if top is None else result.evidence[:top]
    evidence_rows = "".join(
        f'<tr><td><span class="label {escape(p.label)}">{escape(p.label)}</span></td>'
        f"<td>{p.weight:.3f}</td><td>{escape(p.text)}</td></tr>"
        for p in shown
    )
    return f"""<section>
<h2>{escape(result.source or "text")}: <span class="label {escape(result.label)}">{escape(result.label)}</span></h2>
<table><tr><th>label</th><th>probability</th></tr>{rows}</table>
<p>Role mix (duties): {escape(_mix_line(result))}</p>
<div class="bar"><div class="product" style="width:{product_share * 100:.1f}%"></div>
<div class="project" style="flex:1"></div></div>
{title_html}
{skipped_html}
{"".join(f'<p class="warn">{escape(note)}</p>' for note in result.notes)}
<p>The {len(shown)} duties shown carry {result.decision_share(top):.0%} of the decision.
Legend: <mark class="product">product</mark> <mark class="project">project</mark>{legend_skipped}</p>
<pre>{"".join(pieces)}</pre>
<table><tr><th>side</th><th>weight</th><th>phrase</th></tr>{evidence_rows}</table>
</section>"""


def render_html(documents: Sequence[tuple[str, Classification]], top: int | None = 10) -> str:
    """One self-contained HTML page (no external assets) for ``(text, result)`` pairs; all input is escaped."""
    body = "\n".join(_html_document(text, result, top) for text, result in documents)
    return f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>rolecls report</title><style>{_HTML_STYLE}</style></head>
<body>
<h1>rolecls report</h1>
<p>Each text is labelled product, project, hybrid or neither from its duty statements alone; role titles are
masked. Highlighted duties drove the decision.</p>
{body}
</body>
</html>
"""
