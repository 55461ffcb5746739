"""The ``rolecls`` command line: a thin shell over the library."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import NoReturn

import click

from rolecls.errors import RoleclsError

EXIT_USER_ERROR = 1
CLASSIFY_BATCH = 64


def fail(message: str) -> NoReturn:
    """Print a one-line error to standard error and exit with code 1."""
    click.echo(f"rolecls: error: {message}", err=True)
    sys.exit(EXIT_USER_ERROR)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="rolecls", prog_name="rolecls")
def main() -> None:
    """Tell product-management roles from project-management roles, and show why.

    rolecls reads job postings and resumes and labels each one product, project or hybrid
    from its responsibilities (never from its title), highlighting the phrases that drove
    the decision.
    """


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=True, allow_dash=True))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "html"]),
    default="text",
    show_default=True,
    help="text: label, probabilities and highlighted phrases; json: one JSON object per input, one per line, "
    "with the text the offsets refer to; html: one self-contained HTML page for all inputs.",
)
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Also write a self-contained HTML report of all inputs to this file.",
)
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="How many of the strongest evidence phrases to list and highlight (text and html).",
)
@click.option("--all-evidence", is_flag=True, help="List and highlight every evidence phrase (text and html).")
@click.option(
    "--model",
    "model_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Use the model file at this path instead of the shipped model.",
)
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour highlights; auto uses colour only when writing to a terminal. "
    "Without colour, phrases are marked [[phrase]](label).",
)
def classify(
    files: tuple[str, ...],
    output_format: str,
    html_path: str | None,
    top: int,
    all_evidence: bool,
    model_path: str | None,
    color: str,
) -> None:
    """Classify each posting or resume in FILES (use - for standard input).

    Exit status: 0 when every input was classified, 1 when an input could not be read or
    holds no text (the others are still classified), 2 for bad usage.
    """
    from rolecls.inference import classify_many, get_model
    from rolecls.reading import Document, read_document
    from rolecls.render import render_html, render_json, render_plain, render_rich
    from rolecls.results import Classification

    limit = None if all_evidence else top
    console = None
    if output_format == "text":
        from rich.console import Console

        force = {"always": True, "never": False}.get(color)
        console = Console(force_terminal=force, no_color=color == "never", highlight=False, soft_wrap=True)

    report: list[tuple[str, Classification]] = []

    def emit(documents: list[Document]) -> None:
        try:
            model = get_model(model_path)
            results = classify_many([d.text for d in documents], model, [d.source for d in documents])
        except RoleclsError as exc:
            fail(str(exc))
        for document, result in zip(documents, results, strict=True):
            if output_format == "html" or html_path:
                report.append((document.text, result))
            if output_format == "html":
                continue
            if output_format == "json":
                click.echo(render_json(result, document.text))
            elif console is not None and console.is_terminal and color != "never":
                render_rich(console, document.text, result, limit)
            else:
                click.echo(render_plain(document.text, result, limit))

    batch: list[Document] = []
    failed = False
    for name in files:
        try:
            batch.append(read_document(name))
        except RoleclsError as exc:
            click.echo(f"rolecls: error: {exc}", err=True)
            failed = True
        if len(batch) >= CLASSIFY_BATCH:
            emit(batch)
            batch = []
    if batch:
        emit(batch)
    if report:
        page = render_html(report, limit)
        if output_format == "html":
            click.echo(page, nl=False)
        if html_path:
            try:
                Path(html_path).write_text(page, encoding="utf-8")
            except OSError as exc:
                fail(f"{html_path}: cannot write the HTML report ({exc.strerror})")
    if failed:
        sys.exit(EXIT_USER_ERROR)


@main.command()
@click.argument("data", type=click.Path(dir_okay=False))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    default="models/rolecls-model.joblib",
    show_default=True,
    help="Where to write the model; its card is written beside it.",
)
@click.option("--text-column", default="text", show_default=True, help="Column holding the texts.")
@click.option("--label-column", default="label", show_default=True, help="Column holding product/project/hybrid.")
@click.option(
    "--eval",
    "eval_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Labelled CSV to evaluate the trained model on; figures go into the model card "
    "(per label, and per 'kind' and 'source_repo' column where present).",
)
def train(data: str, output: str, text_column: str, label_column: str, eval_path: str | None) -> None:
    """Train a model on the labelled CSV, JSONL or Parquet file DATA and write it with its card."""
    from rolecls.persistence import save_model
    from rolecls.training import evaluate_model, read_labelled, training_card
    from rolecls.training import train as fit

    try:
        labelled = read_labelled(data, text_column, label_column)
        evaluation = read_labelled(eval_path, text_column, label_column, min_per_label=0) if eval_path else None
    except RoleclsError as exc:
        fail(str(exc))
    click.echo(f"training on {len(labelled.texts)} documents from {data}", err=True)
    model = fit(labelled)
    card = training_card(model, labelled)
    if evaluation is not None:
        click.echo(f"evaluating on {len(evaluation.texts)} documents from {eval_path}", err=True)
        card["evaluation"] = {
            Path(eval_path).name: evaluate_model(model, evaluation, ("kind", "source_repo"))  # type: ignore[arg-type]
        }
    written = save_model(model, output, card)
    click.echo(json.dumps({"model": output, "sha256": written["sha256"]}))
