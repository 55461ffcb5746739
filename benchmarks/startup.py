"""Start-up cost: ``rolecls classify`` on one file against loading a bare spaCy pipeline, in one run.

    python benchmarks/startup.py [--repeats 7]

Both are timed as fresh processes, interleaved, and the medians compared; also ``import rolecls``
alone, which should stay light (heavy modules load on first use). Writes the "startup" section
of benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from results import write_section  # noqa: E402

COMMANDS = {
    "python -c 'import spacy; spacy.blank(\"en\")'": [sys.executable, "-c", "import spacy; spacy.blank('en')"],
    "rolecls classify data/examples/product_posting.txt": [
        sys.executable,
        "-m",
        "rolecls",
        "classify",
        str(ROOT / "data" / "examples" / "product_posting.txt"),
    ],
    "python -c 'import rolecls'": [sys.executable, "-c", "import rolecls"],
    "python -c 'pass'": [sys.executable, "-c", "pass"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(args.repeats):
        for name, command in COMMANDS.items():
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
            times[name].append(time.perf_counter() - start)
    medians = {name: statistics.median(values) for name, values in times.items()}
    spacy_name, classify_name, import_name, bare_name = COMMANDS
    ratio = medians[classify_name] / medians[spacy_name]
    rows = "\n".join(f"| `{name}` | {medians[name]:.2f} s |" for name in COMMANDS)
    markdown = f"""## Start-up cost

Fresh processes, interleaved, median of {args.repeats} runs each:

| command | median wall time |
|---|---|
{rows}

`rolecls classify` on one file takes **{ratio:.1f}×** the time of loading a bare `spacy.blank("en")`
(it loads spaCy too, plus scikit-learn, the lookup lemmas and the model, and classifies).
`import rolecls` alone takes {medians[import_name] - medians[bare_name]:.2f} s more than an empty Python.
"""
    write_section("startup", markdown)
    print(markdown)


if __name__ == "__main__":
    main()
