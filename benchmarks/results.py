"""Write one benchmark's section of benchmarks/RESULTS.md, leaving the other sections as they are."""

from __future__ import annotations

import datetime as dt
import platform
import re
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
HEADER = (
    "# Benchmark results\n\n"
    "Each section is written by the script it names, from figures measured side by side in one run.\n"
    "Machines are shared and noisy: compare the ratios within a section, not absolute times across runs.\n"
)


def machine() -> str:
    """A one-line description of where a benchmark ran."""
    import os

    return f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores"


def write_section(name: str, markdown: str, path: Path = RESULTS) -> None:
    """Replace (or append) the section called ``name`` in RESULTS.md."""
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    block = f"<!-- BEGIN {name} -->\n{markdown.rstrip()}\n\n_Measured {stamp}; {machine()}._\n<!-- END {name} -->"
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    pattern = re.compile(rf"<!-- BEGIN {re.escape(name)} -->.*?<!-- END {re.escape(name)} -->", re.S)
    text = pattern.sub(lambda _: block, text) if pattern.search(text) else text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")
