"""Batch scoring throughput, measured side by side in one run on the same generated postings.

    python benchmarks/throughput.py [--documents 2000] [--words 400] [--repeats 1] [--profile 200]

1. rolecls scoring with evidence through the library (``rolecls.scoring.score_file``, CSV in and
   out) with ``jobs=1`` and ``jobs=2``.
2. spaCy's bare ``spacy.blank("en")`` tokenizer over the same texts (``nlp.pipe``).
3. A plain scikit-learn ``TfidfVectorizer`` + ``LogisticRegression`` on raw strings, fitted on a few
   hundred documents of ``data/corpus.csv``; ``predict_proba`` on the same texts is timed.

Every pipeline first runs once, untimed, over the same texts, so that what is timed is the steady
state of a long batch run: model loading, worker start-up and the tokenizer's cache (spaCy remembers
how it split each string; rolecls, per string, what it computed) are warm for all of them alike.

4. What a user waits for: a whole ``rolecls score`` process, started cold, on postings it has not
   seen (another seed), against a fresh Python process that reads the same CSV and runs the bare
   tokenizer over it; interleaved, median of ``--cold-runs``.

The postings are built from the lines of ``data/bank/*.txt`` with a fixed seed, about ``--words``
words each. Targets checked: rolecls with one job at least 0.6x the bare tokenizer's documents per
second, and two jobs at least 1.6x one job. ``--profile N`` also profiles scoring N documents in
one process (cProfile) and reports where the time goes.

Writes the "throughput" section of benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from results import write_section  # noqa: E402

from rolecls.scoring import score_file  # noqa: E402

SEED = 20
TARGET_VS_TOKENIZER = 0.6
TARGET_TWO_JOBS = 1.6


def generate_postings(count: int, words: int, seed: int = SEED) -> list[str]:
    """``count`` postings of about ``words`` words from the statement bank's lines (fixed seed)."""
    rng = random.Random(seed)
    lines = []
    for path in sorted((ROOT / "data" / "bank").glob("*.txt")):
        lines += [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = []
    for _ in range(count):
        chosen, length = [], 0
        while length < words:
            line = rng.choice(lines)
            chosen.append(f"• {line}" if rng.random() < 0.6 else line)
            length += len(line.split())
        texts.append("\n".join(chosen))
    return texts


def median_seconds(run, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def time_rolecls(source: Path, workdir: Path, jobs: int, repeats: int, chunk_size: int) -> float:
    """Seconds to score ``source`` with ``jobs`` processes (after one untimed pass)."""
    score_file(source, workdir / "warm.out.csv", jobs=jobs, chunk_size=chunk_size, progress=False)
    return median_seconds(
        lambda: score_file(source, workdir / f"out{jobs}.csv", jobs=jobs, chunk_size=chunk_size, progress=False),
        repeats,
    )


def time_tokenizer(texts: list[str], repeats: int) -> float:
    import spacy

    nlp = spacy.blank("en")
    list(nlp.pipe(texts, batch_size=64))
    return median_seconds(lambda: sum(len(doc) for doc in nlp.pipe(texts, batch_size=64)), repeats)


def scale(counts: list[int], words: int, workdir: Path, chunk_size: int) -> list[tuple[int, float, float]]:
    """Seconds per document of the bare tokenizer and of rolecls (``jobs=1``) for each number of postings.

    Each count starts from fresh pipelines for both, then runs once untimed and once timed.
    """
    from rolecls.preprocess import renew_tokenizer

    found = []
    for count in counts:
        texts = generate_postings(count, words)
        source = workdir / f"scale-{count}.csv"
        pd.DataFrame({"id": range(count), "text": texts}).to_csv(source, index=False)
        renew_tokenizer()  # rolecls' tokenizer starts as fresh as the bare one
        tokenizer = time_tokenizer(texts, 1)
        rolecls = time_rolecls(source, workdir, 1, 1, chunk_size)
        print(f"{count} postings: tokenizer {tokenizer:.2f} s, rolecls {rolecls:.2f} s", file=sys.stderr)
        found.append((count, tokenizer / count, rolecls / count))
    return found


TOKENIZER_PROCESS = (
    "import sys, pandas, spacy; nlp = spacy.blank('en'); "
    "texts = pandas.read_csv(sys.argv[1], dtype=str, keep_default_na=False)['text'].tolist(); "
    "sum(len(doc) for doc in nlp.pipe(texts, batch_size=64))"
)


def time_cold(count: int, words: int, workdir: Path, runs: int) -> dict[str, float]:
    """Median wall seconds of fresh processes on ``count`` unseen postings: ``rolecls score`` and the bare tokenizer."""
    source = workdir / "cold.csv"
    texts = generate_postings(count, words, seed=SEED + 1)
    pd.DataFrame({"id": range(count), "text": texts}).to_csv(source, index=False)

    def score(jobs: int) -> list[str]:
        output = str(workdir / f"cold{jobs}.csv")
        return [sys.executable, "-m", "rolecls", "score", str(source), "-o", output, "--jobs", str(jobs), "--quiet"]

    commands = {
        "cold_tokenizer": [sys.executable, "-c", TOKENIZER_PROCESS, str(source)],
        "cold_jobs1": score(1),
        "cold_jobs2": score(2),
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
            times[name].append(time.perf_counter() - start)
    return {name: float(np.median(values)) for name, values in times.items()}


def time_sklearn(texts: list[str], repeats: int) -> float:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    corpus = pd.read_csv(ROOT / "data" / "corpus.csv", dtype=str, keep_default_na=False)
    sample = corpus.groupby("label").sample(100, random_state=0)
    pipeline = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), min_df=2), LogisticRegression(max_iter=2000))
    pipeline.fit(sample.text.tolist(), sample.label.tolist())
    pipeline.predict_proba(texts)
    return median_seconds(lambda: pipeline.predict_proba(texts), repeats)


PHASES = (
    ("reading the texts: tokenizer, markup, statements, lemmas, titles (`read_batch`)", "preprocess.py", "read_batch"),
    ("of which the tokenizer (`make_doc`)", "language.py", "make_doc"),
    ("statement terms (`statement_terms`)", "features.py", "statement_terms"),
    ("duty classes and weights of every statement (`statement_duties`)", "duties.py", "statement_duties"),
    ("decisions and evidence (`_decisions`)", "explain.py", "_decisions"),
    ("of which evidence phrases (`statement_phrases`)", "phrases.py", "statement_phrases"),
    ("reading, preparing and writing rows (`rolecls.scoring`, outside `decide`)", "", ""),
)


def profile(texts: list[str], workdir: Path) -> tuple[float, list[tuple[str, float]], str]:
    """Profile scoring ``texts`` in one process: total seconds, the share of named parts, and the top functions."""
    source = workdir / "profile.csv"
    pd.DataFrame({"text": texts}).to_csv(source, index=False)
    profiler = cProfile.Profile()
    profiler.enable()
    score_file(source, workdir / "profile.out.csv", jobs=1, progress=False)
    profiler.disable()
    stats = pstats.Stats(profiler)
    raw = stats.stats  # type: ignore[attr-defined]

    def cumulative(filename: str, name: str) -> float:
        return max((v[3] for k, v in raw.items() if k[0].endswith(filename) and k[2] == name), default=0.0)

    total = cumulative("scoring.py", "score_file")
    explaining = cumulative("explain.py", "decide")
    shares = [
        (label, (cumulative(filename, name) if name else total - explaining) / max(total, 1e-9))
        for label, filename, name in PHASES
    ]
    listing = sorted(((v[2], f"{Path(k[0]).name}:{k[1]}({k[2]})", v[1]) for k, v in raw.items()), reverse=True)
    top = "\n".join(f"  {t:7.2f}s  {calls:>9,}  {where}" for t, where, calls in listing[:15])
    return total, shares, top


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--words", type=int, default=400)
    parser.add_argument("--repeats", type=int, default=1, help="timed passes per measurement (the median is kept)")
    parser.add_argument("--chunk-size", type=int, default=1000, help="rows per chunk (rolecls score's default)")
    parser.add_argument("--profile", type=int, default=200, help="documents to profile (0: no profile)")
    parser.add_argument(
        "--scale",
        default="2000,20000",
        help="numbers of postings at which to compare rolecls (jobs=1) with the bare tokenizer ('' for none)",
    )
    parser.add_argument(
        "--cold-runs", type=int, default=3, help="fresh-process runs of each cold measurement (0: none)"
    )
    parser.add_argument("--no-write", action="store_true", help="print the section instead of writing RESULTS.md")
    args = parser.parse_args()

    texts = generate_postings(args.documents, args.words)
    mean_words = float(np.mean([len(text.split()) for text in texts]))
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as directory:
        workdir = Path(directory)
        source = workdir / "postings.csv"
        pd.DataFrame({"id": range(len(texts)), "text": texts}).to_csv(source, index=False)
        print(f"{len(texts)} postings, {mean_words:.0f} words on average", file=sys.stderr)

        seconds = {}
        seconds["tokenizer"] = time_tokenizer(texts, args.repeats)
        print(f"bare tokenizer: {seconds['tokenizer']:.2f} s", file=sys.stderr)
        seconds["sklearn"] = time_sklearn(texts, args.repeats)
        print(f"TF-IDF + logistic regression: {seconds['sklearn']:.2f} s", file=sys.stderr)
        seconds["jobs1"] = time_rolecls(source, workdir, 1, args.repeats, args.chunk_size)
        print(f"rolecls --jobs 1: {seconds['jobs1']:.2f} s", file=sys.stderr)
        seconds["jobs2"] = time_rolecls(source, workdir, 2, args.repeats, args.chunk_size)
        print(f"rolecls --jobs 2: {seconds['jobs2']:.2f} s", file=sys.stderr)
        profiled = profile(texts[: args.profile], workdir) if args.profile else None
        counts = [int(count) for count in args.scale.split(",") if count.strip()]
        scaled = scale(counts, args.words, workdir, args.chunk_size) if counts else []
        cold = time_cold(args.documents, args.words, workdir, args.cold_runs) if args.cold_runs else {}
        print(f"cold processes: {cold}", file=sys.stderr)
    load_after = os.getloadavg()

    rate = {name: len(texts) / value for name, value in seconds.items()}
    vs_tokenizer = rate["jobs1"] / rate["tokenizer"]
    two_jobs = rate["jobs2"] / rate["jobs1"]
    met_tokenizer = vs_tokenizer >= TARGET_VS_TOKENIZER
    met_two_jobs = two_jobs >= TARGET_TWO_JOBS
    yes = {True: "yes", False: "**no**"}
    rows = [
        ("rolecls `score_file`, evidence, `jobs=1`", "jobs1"),
        ("rolecls `score_file`, evidence, `jobs=2`", "jobs2"),
        ('spaCy `spacy.blank("en")` tokenizer (`nlp.pipe`)', "tokenizer"),
        ("scikit-learn TfidfVectorizer + LogisticRegression, `predict_proba` on raw strings", "sklearn"),
    ]
    lines = [
        "## Batch scoring throughput",
        "",
        f"`benchmarks/throughput.py`: {len(texts):,} postings of {mean_words:.0f} words on average, built from "
        f"the lines of `data/bank/*.txt` (seed {SEED}), all measured in this run. rolecls is timed through the library "
        f"(`rolecls.scoring.score_file`: CSV in, CSV out, chunks of {args.chunk_size}, with evidence). Every pipeline "
        "first runs once, untimed, over the same texts, so the timed passes are the steady state of a long run "
        "(model loaded, worker processes started, spaCy's tokenizer cache and rolecls' per-string values warm). "
        "The TF-IDF baseline is fitted on 300 documents of "
        f"`data/corpus.csv` and only `predict_proba` is timed. Median of {args.repeats} pass(es) each.",
        "",
        "| pipeline | seconds | documents per second | vs bare tokenizer |",
        "|---|---|---|---|",
    ]
    for label, key in rows:
        lines.append(f"| {label} | {seconds[key]:.2f} | {rate[key]:,.1f} | {rate[key] / rate['tokenizer']:.3f}x |")
    lines += [
        "",
        f"- rolecls `jobs=1` against the bare tokenizer: **{vs_tokenizer:.3f}x** (target ≥ {TARGET_VS_TOKENIZER}x: "
        f"{yes[met_tokenizer]}).",
        f"- rolecls `jobs=2` against `jobs=1`: **{two_jobs:.2f}x** (target ≥ {TARGET_TWO_JOBS}x: {yes[met_two_jobs]}).",
        f"- Load average (1 min) before and after the run: {load_before[0]:.1f} and {load_after[0]:.1f} on "
        f"{os.cpu_count()} cores; other work on the machine slows the two-job run most.",
    ]
    if scaled:
        lines += [
            "",
            "How the comparison moves with the number of postings (fresh pipelines for each count, one untimed pass, "
            "then one timed pass; `jobs=1`). spaCy's tokenizer caches how it split each whitespace-separated string, "
            'but stops caching for the rest of a text once a special case (a contraction, "e.g.") occurred in it, '
            "so the more texts it has seen, the more strings it finds cached and the faster it gets. rolecls pays "
            "the same tokenizer plus its own work, which stays the same per posting:",
            "",
            "| postings | bare tokenizer, ms per posting | rolecls, ms per posting | rolecls' own work, ms per posting "
            "| rolecls vs bare tokenizer |",
            "|---|---|---|---|---|",
        ]
        lines += [
            f"| {count:,} | {tokenizer * 1000:.3f} | {ours * 1000:.3f} | {(ours - tokenizer) * 1000:.3f} "
            f"| {tokenizer / ours:.3f}x |"
            for count, tokenizer, ours in scaled
        ]
        held = [f"{count:,}" for count, tokenizer, ours in scaled if tokenizer / ours >= TARGET_VS_TOKENIZER]
        missed = [f"{count:,}" for count, tokenizer, ours in scaled if tokenizer / ours < TARGET_VS_TOKENIZER]
        if not missed:
            verdict = f"holds at every count ({', '.join(held)} postings)"
        elif not held:
            verdict = f"is missed at every count ({', '.join(missed)} postings)"
        else:
            verdict = f"holds at {', '.join(held)} and not at {', '.join(missed)} postings"
        lines += [
            "",
            f"- The {TARGET_VS_TOKENIZER}x target {verdict}: over a long run the bare tokenizer approaches its fully "
            f"cached speed, and keeping {TARGET_VS_TOKENIZER}x would need rolecls' own work per posting to shrink "
            "with it.",
        ]
    if cold:
        lines += [
            "",
            f"What a user waits for: a whole `rolecls score` process started cold (Python, model and workers "
            f"loaded) on {args.documents:,} postings it has not seen (seed {SEED + 1}), CSV in and out with evidence, "
            "against a fresh Python process that reads the same CSV with pandas and runs the bare tokenizer over it. "
            f"Interleaved, median of {args.cold_runs} run(s) each:",
            "",
            "| process | wall seconds | vs bare tokenizer process |",
            "|---|---|---|",
            f'| `python -c` pandas + `spacy.blank("en")` tokenizer | {cold["cold_tokenizer"]:.2f} | 1.000x |',
            f"| `rolecls score --jobs 1` | {cold['cold_jobs1']:.2f} | "
            f"{cold['cold_tokenizer'] / cold['cold_jobs1']:.3f}x |",
            f"| `rolecls score --jobs 2` | {cold['cold_jobs2']:.2f} | "
            f"{cold['cold_tokenizer'] / cold['cold_jobs2']:.3f}x |",
        ]
        if cold["cold_jobs2"] > cold["cold_jobs1"]:
            lines += [
                "",
                f"- Started cold on {args.documents:,} postings, two jobs take longer than one: each worker process "
                "loads spaCy and the model again (see the start-up section), which costs more here than the second "
                "core saves.",
            ]
    if profiled is not None:
        total, shares, top = profiled
        lines += [
            "",
            f"Where the time goes (cProfile, {args.profile} of these postings scored in one process, "
            f"{total:.1f} s under the profiler):",
            "",
            "| part | share of the time |",
            "|---|---|",
        ]
        lines += [f"| {label} | {share:.0%} |" for label, share in shares]
        print("top functions by own time (seconds, calls):\n" + top, file=sys.stderr)
    section = "\n".join(lines)
    if args.no_write:
        print(section)
    else:
        write_section("throughput", section)
        print(section)


if __name__ == "__main__":
    main()
