"""The ``rolecls`` command line: a thin shell over the library."""

from __future__ import annotations

import json
import sys
import warnings
from dataclasses import replace
from pathlib import Path
from typing import Any, NoReturn

import click

from rolecls.errors import RoleclsError

EXIT_USER_ERROR = 1
CLASSIFY_BATCH = 64


def fail(message: str) -> NoReturn:
    """Print a one-line error to standard error and exit with code 1."""
    click.echo(f"rolecls: error: {message}", err=True)
    sys.exit(EXIT_USER_ERROR)


def model_option(help: str = "Use the model file at this path instead of the shipped model.") -> Any:
    """The --model option shared by the commands that use a model."""
    return click.option("--model", "model_path", type=click.Path(dir_okay=False), default=None, help=help)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="rolecls", prog_name="rolecls")
def main() -> None:
    """Tell product-management roles from project-management roles, and show why.

    rolecls reads job postings and resumes and labels each one product, project, hybrid or
    neither from its duty statements alone (never from its title or the rest of the text),
    highlighting the duties that drove the decision.
    """
    _report_warnings()


def _report_warnings() -> None:
    """Show rolecls warnings (truncated or non-English input) as one-line messages on standard error."""
    from rolecls.errors import RoleclsWarning

    original = warnings.showwarning

    def show(message: Warning | str, category: type[Warning], *args: Any, **kwargs: Any) -> None:
        if issubclass(category, RoleclsWarning):
            click.echo(f"rolecls: warning: {message}", err=True)
        else:
            original(message, category, *args, **kwargs)

    warnings.showwarning = show
    warnings.simplefilter("always", RoleclsWarning)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=True, allow_dash=True))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "html"]),
    default="text",
    show_default=True,
    help="text: label, probabilities and highlighted duties; json: one JSON object per input, one per line, "
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
    help="How many of the strongest duties to list and highlight (text and html).",
)
@click.option("--all-evidence", is_flag=True, help="List and highlight every duty that counted (text and html).")
@model_option()
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour highlights; auto uses colour only when writing to a terminal. "
    "Without colour, duties are marked [[duty]](side).",
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
    from rolecls.reading import Document, read_document, truncation_note
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
            if document.truncated:  # cut while reading the file: classify_many saw no overlong text
                result = replace(result, notes=[truncation_note(document.text), *result.notes])
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
@click.option(
    "--label-column", default="label", show_default=True, help="Column holding product/project/hybrid/neither."
)
@click.option(
    "--statements",
    "statements_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Labelled statements (text, and label product/project/none/work) to fit the duty stage on "
    "[default: the statement bank shipped with rolecls].",
)
@click.option(
    "--eval",
    "eval_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Labelled CSV to evaluate the trained model on; figures go into the model card "
    "(per label, and per 'kind' and 'source_repo' column where present).",
)
@click.option(
    "--eval-label-column",
    "eval_label_columns",
    multiple=True,
    help="Label column(s) of the --eval file; the first is the one the figures are for, others are "
    "reported beside it [default: --label-column].",
)
@click.option(
    "--eval-share-column",
    default=None,
    help="Column of the --eval file holding each row's true product share of its duties (0-100), "
    "to report how well the role mix ranks rows.",
)
@click.option(
    "--notes",
    "notes_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Plain-text file of notes for the model card (how the data and parameters were chosen); "
    "paragraphs are separated by blank lines.",
)
def train(
    data: str,
    output: str,
    text_column: str,
    label_column: str,
    statements_path: str | None,
    eval_path: str | None,
    eval_label_columns: tuple[str, ...],
    eval_share_column: str | None,
    notes_path: str | None,
) -> None:
    """Train a model on the labelled CSV, JSONL or Parquet file DATA and write it with its card.

    DATA needs product and project rows (at least 10 each); hybrid and neither rows are learnt when
    present (at least 10 each), and a model trained without them never gives those labels.
    """
    from rolecls.estimator import RoleClassifier
    from rolecls.persistence import save_model
    from rolecls.training import evaluate_file, read_labelled, read_notes, training_card
    from rolecls.training import train as fit

    try:
        labelled = read_labelled(data, text_column, label_column)
        notes = read_notes(notes_path) if notes_path else []
        click.echo(f"training on {len(labelled.texts)} documents from {data}", err=True)
        model = fit(labelled, RoleClassifier(statements=statements_path))
        card = training_card(model, labelled, notes)
        if eval_path:
            click.echo(f"evaluating on {eval_path}", err=True)
            columns = eval_label_columns or (label_column,)
            report = evaluate_file(eval_path, model, text_column, columns, share_column=eval_share_column)
            card["evaluation"] = {Path(eval_path).name: report}
    except RoleclsError as exc:
        fail(str(exc))
    written = save_model(model, output, card)
    click.echo(json.dumps({"model": output, "sha256": written["sha256"]}))


@main.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(dir_okay=False))
@click.option(
    "-o",
    "--output",
    "output_path",
    required=True,
    type=click.Path(dir_okay=False),
    help="Where to write the scored table (written whole at the end: OUTPUT.partial is renamed).",
)
@click.option(
    "--text-column",
    "text_columns",
    multiple=True,
    default=("text",),
    show_default=True,
    help="Column holding the text; repeat it to join several columns with a blank line (title, description).",
)
@click.option(
    "--input-format",
    type=click.Choice(["csv", "jsonl", "parquet"]),
    default=None,
    help="Format of INPUT [default: from its extension: .csv, .jsonl/.ndjson, .parquet/.pq].",
)
@click.option(
    "--output-format",
    type=click.Choice(["csv", "jsonl", "parquet"]),
    default=None,
    help="Format of OUTPUT [default: from its extension]. JSONL also gets evidence_spans.",
)
@click.option(
    "--top", type=click.IntRange(min=1), default=3, show_default=True, help="Evidence phrases in the evidence column."
)
@click.option(
    "--chunk-size",
    type=click.IntRange(min=1),
    default=1000,
    show_default=True,
    help="Rows read, scored and written at a time (memory grows with it, not with the file).",
)
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help="Worker processes [default: all cores].")
@model_option()
@click.option(
    "--prefix",
    default="",
    help="Prefix for the added column names, when the input already has a column such as 'label'.",
)
@click.option(
    "--resume",
    is_flag=True,
    help="Continue an interrupted run from its last completed chunk (same input and options).",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar (it is shown only when stderr is a terminal).")
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    default=None,
    help="Score on the Dask cluster at this scheduler address (needs rolecls[dask]; INPUT must be readable "
    "by the workers at the same path). --jobs, --chunk-size and --resume do not apply.",
)
def score(
    input_path: str,
    output_path: str,
    text_columns: tuple[str, ...],
    input_format: str | None,
    output_format: str | None,
    top: int,
    chunk_size: int,
    jobs: int | None,
    model_path: str | None,
    prefix: str,
    resume: bool,
    quiet: bool,
    scheduler: str | None,
) -> None:
    """Score every row of the CSV, JSONL or Parquet file INPUT into OUTPUT.

    OUTPUT keeps every input column, one row per input row in input order, and adds label,
    p_product, p_project, p_hybrid, p_neither, mix_product, mix_project, evidence, title_disagrees,
    warning and error (empty when the row was scored; a row that cannot be scored keeps its place with
    a message there).

    Exit status: 0 when the output was written (rows with an error included), 1 when the input,
    a column, a format or the model is unusable or a resume is refused, 2 for bad usage, 130
    when interrupted (run the same command with --resume to continue).
    """
    if scheduler is not None and (resume or jobs is not None):
        raise click.UsageError("--resume and --jobs do not apply with --scheduler")
    progress = False if quiet else None
    try:
        if scheduler is not None:
            from rolecls.distributed import score_file_on_cluster

            score_file_on_cluster(
                input_path,
                output_path,
                scheduler,
                text_columns,
                input_format=input_format,
                output_format=output_format,
                top=top,
                model=model_path,
                prefix=prefix,
                progress=progress,
            )
            return
        from rolecls.scoring import score_file

        summary = score_file(
            input_path,
            output_path,
            text_columns,
            input_format=input_format,
            output_format=output_format,
            top=top,
            chunk_size=chunk_size,
            jobs=jobs,
            model=model_path,
            resume=resume,
            prefix=prefix,
            progress=progress,
        )
    except RoleclsError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"{exc.filename or output_path}: {exc.strerror or exc}")
    except KeyboardInterrupt:
        click.echo(
            "rolecls: interrupted; the rows scored so far are kept: run the same command with --resume to continue",
            err=True,
        )
        sys.exit(130)
    if resume and not summary.resumed_rows and not quiet:
        click.echo(f"rolecls: no earlier rows to resume from; scored {output_path} from the start", err=True)


@main.command()
@click.argument("data", type=click.Path(dir_okay=False))
@model_option("Evaluate the model file at this path instead of the shipped model.")
@click.option("--text-column", default="text", show_default=True, help="Column holding the texts.")
@click.option(
    "--label-column",
    "label_columns",
    multiple=True,
    default=("label",),
    show_default=True,
    help="Column holding the true labels (product/project/hybrid/neither); repeat it to report other label "
    "sets of the same rows beside the first.",
)
@click.option(
    "--share-column",
    default=None,
    help="Column holding each row's true product share of its duties (0-100): reports the rank correlation "
    "(Spearman) of the role mix with it over the management rows.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: Markdown tables; json: every figure as one JSON object.",
)
@click.option(
    "--plot",
    "plot_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Also draw the confusion matrix and a reliability diagram into this PNG file "
    "(needs matplotlib: pip install 'rolecls[plot]').",
)
def evaluate(
    data: str,
    model_path: str | None,
    text_column: str,
    label_columns: tuple[str, ...],
    share_column: str | None,
    output_format: str,
    plot_path: str | None,
) -> None:
    """Evaluate a model on the labelled CSV, JSONL or Parquet file DATA.

    Reports agreement over all labels, product/project confusions on the product and project rows,
    hybrid rows found and hybrid predictions on clear rows, neither rows found and neither predictions
    on management rows, per-label precision, recall and F1, the confusion matrix and calibration (Brier
    score, expected calibration error), overall and per 'kind' and 'source_repo' column where the file
    has them.
    """
    from rolecls.inference import get_model
    from rolecls.modelcard import evaluation_lines
    from rolecls.training import evaluate_file

    try:
        report = evaluate_file(data, get_model(model_path), text_column, label_columns, plot_path, share_column)
    except RoleclsError as exc:
        fail(str(exc))
    if output_format == "json":
        click.echo(json.dumps(report))
    else:
        click.echo("\n".join(evaluation_lines(Path(data).name, report)))


@main.command()
@model_option("Check the model file at this path instead of the shipped model.")
def doctor(model_path: str | None) -> None:
    """Check the installation and print versions, the model in use and its card's figures.

    Paste the output into a bug report. Exit status 1 when a check fails.
    """
    from rolecls.doctor import report_lines

    lines, ok = report_lines(model_path)
    click.echo("\n".join(lines))
    if not ok:
        sys.exit(EXIT_USER_ERROR)
