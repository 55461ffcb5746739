"""How faithful and how cheap the explanations are, measured in one run.

    python benchmarks/explanations.py [--eval PATH] [--repeats 3]

1. Deletion check on the real dev postings: removing the top three evidence duties for the predicted
   label should lower that label's probability clearly more than removing three random statements of
   similar length from the same posting.
2. Cost: classifying with evidence against classifying without it (``predict_proba``), on the same texts,
   interleaved, in one run.

Writes the "explanations" section of benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from results import write_section  # noqa: E402

from rolecls.estimator import RoleClassifier  # noqa: E402
from rolecls.explain import explain  # noqa: E402
from rolecls.inference import classify_many  # noqa: E402
from rolecls.persistence import load_model  # noqa: E402
from rolecls.phrases import statement_phrases  # noqa: E402
from rolecls.results import Classification  # noqa: E402

DEV = ROOT.parent / "shared" / "eval" / "real_postings_dev.csv"
TOP = 3


def delete_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with each span replaced by a space."""
    pieces, position = [], 0
    for start, end in sorted(spans):
        pieces.append(text[position:start])
        pieces.append(" ")
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def top_spans(result: Classification) -> list[tuple[int, int]]:
    """The top evidence duties for the predicted label (both sides, by strength, for hybrid)."""
    chosen = [p for p in result.evidence if result.label == "hybrid" or p.label == result.label][:TOP]
    return [(p.start, p.end) for p in chosen]


def statement_spans(model: RoleClassifier, text: str) -> list[tuple[int, int]]:
    """Character ranges of the text's statements (trimmed as evidence is), the candidates for random deletion."""
    batch = model.read([text])
    table = batch.table
    found = []
    for start, end in statement_phrases(table, batch.strings).tolist():
        if end > start:
            first_char, end_char = table.char_span(start, end)
            found.append((int(first_char), int(end_char)))
    return found


def random_similar(
    candidates: list[tuple[int, int]], targets: list[tuple[int, int]], rng: random.Random
) -> list[tuple[int, int]] | None:
    """For each target span, a random other phrase of similar length (within half to double, else closest)."""
    pool = [c for c in candidates if c not in targets]
    picked: list[tuple[int, int]] = []
    for start, end in targets:
        length = end - start
        similar = [c for c in pool if c not in picked and 0.5 * length <= c[1] - c[0] <= 2 * length]
        if not similar:
            rest = [c for c in pool if c not in picked]
            if not rest:
                return None
            similar = [min(rest, key=lambda c: abs((c[1] - c[0]) - length))]
        picked.append(rng.choice(similar))
    return picked


def deletion_check(model: RoleClassifier, texts: list[str], draws: int = 5) -> dict[str, float]:
    """Mean drop in the predicted label's probability after deleting top duties versus random statements."""
    rng = random.Random(0)
    results = explain(model, texts)
    top_drops, random_drops, used = [], [], 0
    for text, result in zip(texts, results, strict=True):
        targets = top_spans(result)
        phrases = statement_spans(model, text)
        if len(targets) < TOP or len(phrases) < 2 * TOP:
            continue
        label = result.label
        before = result.scores[label]
        after_top = explain(model, [delete_spans(text, targets)])[0].scores[label]
        random_texts = []
        for _ in range(draws):
            chosen = random_similar(phrases, targets, rng)
            if chosen is not None:
                random_texts.append(delete_spans(text, chosen))
        if not random_texts:
            continue
        after_random = [r.scores[label] for r in explain(model, random_texts)]
        top_drops.append(before - after_top)
        random_drops.append(before - float(np.mean(after_random)))
        used += 1
    return {
        "documents": used,
        "skipped": len(texts) - used,
        "top_drop": float(np.mean(top_drops)),
        "random_drop": float(np.mean(random_drops)),
        "top_wins": float(np.mean(np.array(top_drops) > np.array(random_drops))),
    }


def cost(model: RoleClassifier, texts: list[str], repeats: int) -> dict[str, float]:
    """Seconds per pass without and with evidence, interleaved; the median of ``repeats`` passes each."""
    plain, explained = [], []
    model.predict_proba(texts[:5])  # warm caches (lemma table, pipelines)
    classify_many(texts[:5], model=model)
    for _ in range(repeats):
        start = time.perf_counter()
        model.predict_proba(texts)
        plain.append(time.perf_counter() - start)
        start = time.perf_counter()
        classify_many(texts, model=model)
        explained.append(time.perf_counter() - start)
    return {"plain": float(np.median(plain)), "explained": float(np.median(explained)), "documents": len(texts)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--eval", type=Path, default=DEV)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    if not args.eval.is_file():
        print(f"no evaluation postings at {args.eval}; nothing measured", file=sys.stderr)
        return
    postings = pd.read_csv(args.eval, dtype=str, keep_default_na=False)
    texts = postings.text.tolist()
    model = load_model()
    print("deletion check ...", file=sys.stderr)
    deletion = deletion_check(model, texts)
    print("cost ...", file=sys.stderr)
    timing = cost(model, texts, args.repeats)
    ratio = timing["explained"] / timing["plain"]
    markdown = f"""## Explanations: faithful and cheap

Shipped model, {len(texts)} real dev postings and resumes (`{args.eval.name}`), one run.

**Deletion check** ({deletion["documents"]} documents with at least {TOP} evidence duties for the predicted label
and {2 * TOP} statements; the other {deletion["skipped"]} are skipped): removing the top {TOP}
evidence duties for the predicted label lowers that label's probability by **{deletion["top_drop"]:.3f}** on
average; removing {TOP} random statements of similar length lowers it by **{deletion["random_drop"]:.3f}** (mean
of 5 random draws per document). The top duties cause the larger drop on {deletion["top_wins"]:.0%} of documents.

**Cost**: classifying without evidence (`predict_proba`) takes {timing["plain"]:.2f} s for the {timing["documents"]}
texts, classifying with evidence (`rolecls.classify_many`) {timing["explained"]:.2f} s (median of {args.repeats}
interleaved passes): **{ratio:.2f}×** (target: at most 1.5×).
"""
    write_section("explanations", markdown)
    print(markdown)


if __name__ == "__main__":
    main()
