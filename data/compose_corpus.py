"""Compose the rolecls training corpus from the statement bank and the hand-written documents.

    python data/compose_corpus.py --seed 13 --per-label 400 -o data/corpus.csv

The same seed and bank give the same corpus, byte for byte. Every composed document draws
its statements from one shard of the bank (its ``group``), so grouped cross-validation can
keep documents that share statements on one side of a split. See data/README.md.
"""

from __future__ import annotations

import argparse
import csv
import math
import random
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
BANK = HERE / "bank"
HANDWRITTEN = HERE / "handwritten"
LABELS = ("product", "project", "hybrid")
SHARDS = 5
STATEMENTS = HERE.parent / "models" / "rolecls-statements.csv"
# Composed "neither" documents: non-management postings and resumes (their own random stream, after
# the others, so that adding them left the product, project and hybrid documents as they were).
NEITHER = "neither"
NEITHER_COUNT = 250
# Composed texts that hold no duties at all (a company page, a benefits list, a CV header with education,
# job metadata): neither, as the guide says of "a text that is not a job or a resume, or a text too short
# ... to judge". Their own random stream, after the others.
NO_DUTY_COUNT = 120
NO_DUTY_SOURCES = ("company", "benefits", "pay", "location", "application", "legal", "jobmeta", "headings", "resume")
STATEMENT_BLOCK = 25

PRODUCT_TITLES = [
    "Product Manager",
    "Senior Product Manager",
    "Product Owner",
    "Technical Product Manager",
    "Group Product Manager",
    "Principal Product Manager",
    "Associate Product Manager",
    "Head of Product",
    "Director of Product",
    "Product Lead",
    "Digital Product Owner",
    "Senior Product Owner",
    "VP of Product",
]
PROJECT_TITLES = [
    "Project Manager",
    "Senior Project Manager",
    "Program Manager",
    "Programme Manager",
    "Technical Program Manager",
    "Project Coordinator",
    "Delivery Manager",
    "PMO Analyst",
    "PMO Lead",
    "IT Project Manager",
    "Construction Project Manager",
    "Portfolio Manager",
    "Project Lead",
    "Senior Programme Manager",
    "Project Director",
    "Program Coordinator",
]
HYBRID_TITLES = [
    "Product and Project Manager",
    "Product Delivery Manager",
    "Product & Program Manager",
    "Project Manager / Product Owner",
    "Product Owner / Project Lead",
    "Product Program Manager",
]
NEITHER_TITLES = [
    "Software Engineer",
    "Senior Backend Engineer",
    "Staff Nurse",
    "Ward Manager",
    "Account Executive",
    "Sales Manager",
    "Marketing Executive",
    "Accounts Assistant",
    "Payroll Officer",
    "Primary Teacher",
    "Research Associate",
    "Data Analyst",
    "Product Designer",
    "Project Engineer",
    "Product Support Specialist",
    "Customer Service Advisor",
    "Store Manager",
    "HR Advisor",
    "Paralegal",
    "Electrician",
    "Chef de Partie",
    "Warehouse Operative",
    "Graphic Designer",
    "QA Engineer",
]
NEUTRAL_TITLES = [
    "Operations Manager",
    "Digital Lead",
    "Business Manager",
    "Manager, Digital Services",
    "Engagement Manager",
    "Team Lead",
    "Manager",
]

RESPONSIBILITY_HEADINGS = [
    "Responsibilities",
    "What you'll do",
    "Key responsibilities",
    "The role",
    "Your impact",
    "Duties",
    "What you will be doing",
    "In this role you will",
    "Main duties and responsibilities",
    "About the job",
    "Day to day",
    "Key accountabilities",
    "What we need from you",
]
REQUIREMENT_HEADINGS = [
    "Requirements",
    "What you bring",
    "About you",
    "Qualifications",
    "Skills and experience",
    "Essential criteria",
    "You might be a fit if",
    "Who you are",
]
ABOUT_HEADINGS = ["About us", "Who we are", "The company", "About the team", "Our organisation"]
BENEFIT_HEADINGS = ["Benefits", "What we offer", "Perks", "Why join us", "Compensation and benefits"]
RESUME_SECTIONS = {
    "summary": ["SUMMARY", "Profile", "Professional Summary", "About me", "PROFILE"],
    "experience": ["EXPERIENCE", "Professional Experience", "Work History", "Employment", "CAREER HISTORY"],
    "education": ["EDUCATION", "Education", "Qualifications", "EDUCATION & TRAINING"],
    "skills": ["SKILLS", "Skills", "Core competencies", "Tools"],
}
INTROS = [
    "We are hiring a {title} to join our team.",
    "We're looking for a {title}.",
    "As our {title}, you will shape how we work.",
    "The {title} reports to the head of the department.",
    "Join us as a {title}.",
    "This {title} position is based in our main office.",
    "Our client is recruiting a {title}.",
    "We have an exciting opportunity for a {title} to join a growing team.",
]
COMPANIES = [
    "Company Name",
    "XYZ Corp",
    "Acme Ltd",
    "Northwind",
    "Globex",
    "Initech",
    "Contoso",
    "Umbrella Group",
    "Blue Harbor",
    "Stark Works",
    "Wayne Logistics",
    "Helix Health",
    "Orbit Telecom",
    "Riverstone Council",
]
CITIES = [
    "London",
    "Leeds",
    "New York",
    "Austin",
    "Toronto",
    "Berlin",
    "Dublin",
    "Sydney",
    "Bengaluru",
    "Remote",
    "Manchester",
    "Chicago",
    "Singapore",
    "Nairobi",
    "Cape Town",
    "Denver",
]
BULLETS = ["- ", "* ", "• ", "· ", "o ", "▪ ", "– "]
# Document sizes: "very long" ones (about 1,000 to 1,500 words) stand for full CVs and long ads.
SIZES = ["short", "medium", "long", "very long"]
SIZE_WEIGHTS = [2, 5, 3, 1]
MIN_WORDS = 40
MAX_WORDS = 1500
STYLES = [
    "bullets",
    "bullets",
    "bullets",
    "prose",
    "markdown",
    "caps",
    "pdf",
    "lowercase",
    "lines",
    "numbered",
    "runon",
    "html",
]


def read_lines(pattern: str) -> list[str]:
    """Lines of every bank file matching ``pattern``, in file-name order, without duplicates."""
    seen: dict[str, None] = {}
    for path in sorted(BANK.glob(pattern)):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                seen.setdefault(line.strip(), None)
    return list(seen)


@dataclass
class Bank:
    statements: dict[tuple[str, str], list[str]]
    blurbs: list[str]
    benefits: list[str]
    eeo: list[str]
    headers: list[str]

    @classmethod
    def load(cls) -> Bank:
        statements = {
            (side, kind): read_lines(f"{side}.{kind}*.txt")
            for side in ("product", "project", "neutral", "work")
            for kind in ("posting", "resume")
        }
        return cls(
            statements,
            read_lines("company_blurb.txt"),
            read_lines("benefits.txt"),
            read_lines("eeo.txt"),
            read_lines("resume_header.txt"),
        )

    def shard(self, side: str, kind: str, shard: int) -> list[str]:
        lines = self.statements[(side, kind)]
        return [line for i, line in enumerate(lines) if i % SHARDS == shard]


def choose_title(label: str, rng: random.Random) -> str | None:
    """A title for the document: mostly matching the label, sometimes disagreeing, sometimes none."""
    roll = rng.random()
    if roll < 0.10:
        return None
    if roll < 0.20:
        return rng.choice(NEUTRAL_TITLES)
    if label == NEITHER:  # a neither role is sometimes titled as a product or project manager
        return rng.choice(PRODUCT_TITLES + PROJECT_TITLES) if roll < 0.30 else rng.choice(NEITHER_TITLES)
    matching = {"product": PRODUCT_TITLES, "project": PROJECT_TITLES, "hybrid": HYBRID_TITLES}[label]
    opposite = {
        "product": PROJECT_TITLES,
        "project": PRODUCT_TITLES,
        "hybrid": rng.choice([PRODUCT_TITLES, PROJECT_TITLES]),
    }[label]
    if roll < 0.30 or (label == "hybrid" and roll < 0.6):
        return rng.choice(opposite)
    return rng.choice(matching)


# Labelling decision (see README): a pure product or project document may carry up to 30% of its
# side statements from the other side, as real roles do (a product manager "coordinates release
# timelines"); a hybrid is balanced, its smaller side holding at least 40% of the side statements.
PURE_MAX_OTHER = 0.30
HYBRID_MIN_SIDE = 0.40


def side_mix(label: str, count: int, rng: random.Random) -> list[str]:
    """Which side each of ``count`` (at least 3) responsibility statements comes from."""
    if label == "hybrid":
        # A three-statement hybrid cannot reach 40% on both sides: it holds one and two.
        least = max(1, math.ceil(HYBRID_MIN_SIDE * count - 1e-9)) if count > 3 else 1
        share = rng.uniform(HYBRID_MIN_SIDE, 1 - HYBRID_MIN_SIDE)
        n_product = min(count - least, max(least, round(count * share)))
    else:
        minority = min(math.floor(PURE_MAX_OTHER * count + 1e-9), round(count * rng.uniform(0.0, PURE_MAX_OTHER)))
        n_product = count - minority if label == "product" else minority
    sides = ["product"] * n_product + ["project"] * (count - n_product)
    rng.shuffle(sides)
    return sides


def draw(pool: list[str], count: int, rng: random.Random) -> list[str]:
    return rng.sample(pool, min(count, len(pool)))


def responsibilities(bank: Bank, label: str, kind: str, shard: int, count: int, rng: random.Random) -> list[str]:
    if label == NEITHER:  # the duties of a job that manages neither products nor projects
        lines = draw(bank.shard("work", kind, shard), count, rng)
        for _ in range(rng.randint(0, max(1, count // 3))):
            lines.insert(rng.randrange(len(lines) + 1), rng.choice(bank.shard("neutral", kind, shard)))
        return lines
    sides = side_mix(label, count, rng)
    chosen = {
        side: iter(draw(bank.shard(side, kind, shard), sides.count(side), rng)) for side in ("product", "project")
    }
    lines = [next(chosen[side]) for side in sides]
    for _ in range(rng.randint(0, max(1, count // 3))):
        lines.insert(rng.randrange(len(lines) + 1), rng.choice(bank.shard("neutral", kind, shard)))
    return lines


def render_list(items: list[str], style: str, rng: random.Random) -> str:
    bullet = rng.choice(BULLETS)
    if style == "prose":
        return " ".join(item if item[-1] in ".!?" else item + "." for item in items)
    if style == "numbered":
        return "\n".join(f"{i}. {item}" for i, item in enumerate(items, 1))
    if style in {"lines", "runon"}:
        return "\n".join(items)
    if style == "html":
        return "<ul>" + "".join(f"<li>{item.replace('&', '&amp;')}</li>" for item in items) + "</ul>"
    return "\n".join(bullet + item for item in items)


def heading(text: str, style: str) -> str:
    if style == "markdown":
        return f"## {text}"
    if style == "caps":
        return text.upper()
    if style == "html":
        return f"<h3>{text}</h3>"
    return text + ":" if not text.endswith(":") else text


def finish(text: str, style: str, rng: random.Random) -> str:
    """Apply document-wide noise: broken PDF lines, lost line breaks, lowercase without punctuation."""
    if style == "pdf":
        width = rng.randint(55, 95)
        text = "\n".join(textwrap.fill(line, width) if line else "" for line in text.split("\n"))
    elif style == "runon":
        text = re.sub(r"\n+", lambda m: rng.choice(["", " ", "\n"]), text)
    elif style == "lowercase":
        text = re.sub(r"[^\w\s]", "", text.lower())
    elif style == "markdown" and rng.random() < 0.5:
        text = re.sub(r"^(## .*)$", lambda m: f"**{m.group(1)[3:]}**", text, flags=re.M)
    return text


def posting(bank: Bank, label: str, shard: int, rng: random.Random) -> tuple[str, str | None]:
    style = rng.choice(STYLES)
    title = choose_title(label, rng)
    size = rng.choices(SIZES, weights=SIZE_WEIGHTS)[0]
    count = {
        "short": rng.randint(3, 5),
        "medium": rng.randint(6, 10),
        "long": rng.randint(11, 18),
        "very long": rng.randint(28, 42),
    }[size]
    parts: list[str] = []
    if title and rng.random() < 0.7:
        parts.append(title + (f" — {rng.choice(CITIES)}" if rng.random() < 0.4 else ""))
    if size != "short" and rng.random() < 0.8:
        if rng.random() < 0.5:
            parts.append(heading(rng.choice(ABOUT_HEADINGS), style))
        parts.append(" ".join(draw(bank.blurbs, rng.randint(1, 2) + 4 * (size == "very long"), rng)))
    if title and rng.random() < 0.6:
        parts.append(rng.choice(INTROS).format(title=title))
    parts.append(heading(rng.choice(RESPONSIBILITY_HEADINGS), style))
    parts.append(render_list(responsibilities(bank, label, "posting", shard, count, rng), style, rng))
    if size != "short":
        parts.append(heading(rng.choice(REQUIREMENT_HEADINGS), style))
        requirements = draw(
            bank.shard("neutral", "posting", shard), rng.randint(2, 6) + 14 * (size == "very long"), rng
        )
        parts.append(render_list(requirements, style, rng))
        if rng.random() < 0.7:
            parts.append(heading(rng.choice(BENEFIT_HEADINGS), style))
            benefits = rng.randint(1, 5) + 6 * (size == "very long")
            parts.append(render_list(draw(bank.benefits, benefits, rng), style, rng))
        if rng.random() < 0.6:
            parts.append(rng.choice(bank.eeo))
    separator = "\n" if style in {"html", "runon"} else "\n\n"
    return finish(separator.join(parts), style, rng), title


def resume(bank: Bank, label: str, shard: int, rng: random.Random) -> tuple[str, str | None]:
    style = rng.choice(STYLES)
    title = choose_title(label, rng)
    size = rng.choices(SIZES, weights=SIZE_WEIGHTS)[0]
    jobs = {"short": 1, "medium": rng.randint(1, 2), "long": rng.randint(2, 4), "very long": rng.randint(6, 9)}[size]
    parts: list[str] = [rng.choice(bank.headers)]
    if title and rng.random() < 0.5:
        parts.append(title)
    if size != "short" or rng.random() < 0.5:
        parts.append(heading(rng.choice(RESUME_SECTIONS["summary"]), style))
        parts.append(" ".join(draw(bank.shard("neutral", "resume", shard), rng.randint(1, 2), rng)))
    parts.append(heading(rng.choice(RESUME_SECTIONS["experience"]), style))
    year = rng.randint(2012, 2025)
    for job in range(jobs):
        job_title = title if (job == 0 and title) else choose_title(label, rng) or rng.choice(NEUTRAL_TITLES)
        start = year - rng.randint(1, 4)
        dates = f"{start} – {'Present' if job == 0 else year}"
        parts.append(f"{job_title}, {rng.choice(COMPANIES)}, {rng.choice(CITIES)}\t{dates}")
        count = {
            "short": rng.randint(3, 5),
            "medium": rng.randint(4, 7),
            "long": rng.randint(3, 6),
            "very long": rng.randint(7, 10),
        }[size]
        parts.append(render_list(responsibilities(bank, label, "resume", shard, count, rng), style, rng))
        year = start
    if size != "short":
        parts.append(heading(rng.choice(RESUME_SECTIONS["education"]), style))
        parts.append(rng.choice(bank.shard("neutral", "resume", shard)))
        if rng.random() < 0.6:
            parts.append(heading(rng.choice(RESUME_SECTIONS["skills"]), style))
            parts.append(rng.choice(bank.shard("neutral", "resume", shard)))
    separator = "\n" if style in {"html", "runon"} else "\n\n"
    return finish(separator.join(parts), style, rng), title


def handwritten_rows() -> list[dict[str, str]]:
    rows = []
    for folder, kind in (("postings", "posting"), ("resumes", "resume")):
        for path in sorted((HANDWRITTEN / folder).glob("*_*.txt")):
            label = path.stem.split("_", 1)[1]
            if label not in (*LABELS, NEITHER):
                raise SystemExit(f"{path}: file name must end in _product, _project, _hybrid or _neither")
            rows.append(
                {
                    "id": f"hw-{path.stem}",
                    "kind": kind,
                    "label": label,
                    "origin": "handwritten",
                    "group": f"hw-{path.stem}",
                    "text": path.read_text(encoding="utf-8").strip(),
                }
            )
    return rows


def composed_row(bank: Bank, label: str, number: int, rng: random.Random, resume_share: float) -> dict[str, str]:
    kind = "resume" if rng.random() < resume_share else "posting"
    shard = rng.randrange(SHARDS)
    text = ""
    while not MIN_WORDS <= len(text.split()) <= MAX_WORDS:  # the corpus spans 40 to 1,500 words
        text, _ = (resume if kind == "resume" else posting)(bank, label, shard, rng)
    return {
        "id": f"c-{label}-{number:04d}",
        "kind": kind,
        "label": label,
        "origin": "composed",
        "group": f"shard-{shard}",
        "text": text,
    }


def no_duty_row(pools: dict[str, list[str]], number: int, rng: random.Random) -> dict[str, str]:
    """A text of 40 to 200 words without any duty: non-duty lines of one to three kinds, one per line."""
    kinds = rng.sample(NO_DUTY_SOURCES, rng.randint(1, 3))
    lines: list[str] = []
    while len(" ".join(lines).split()) < rng.randint(40, 200):
        lines.append(rng.choice(pools[rng.choice(kinds)]))
    kind = "resume" if "resume" in kinds else "posting"
    text = "\n".join(lines)
    return {
        "id": f"c-noduty-{number:04d}",
        "kind": kind,
        "label": NEITHER,
        "origin": "composed",
        "group": f"no-duty-{number % SHARDS}",
        "text": text,
    }


def compose(seed: int, per_label: int, resume_share: float, neither: int = NEITHER_COUNT) -> list[dict[str, str]]:
    rng = random.Random(seed)
    bank = Bank.load()
    rows = [composed_row(bank, label, i, rng, resume_share) for label in LABELS for i in range(per_label)]
    neither_rng = random.Random(seed + 1)
    rows += [composed_row(bank, NEITHER, i, neither_rng, resume_share) for i in range(neither)]
    pools = {name: read_lines(f"nonduty/{name}.txt") for name in NO_DUTY_SOURCES}
    no_duty_rng = random.Random(seed + 2)
    rows += [no_duty_row(pools, i, no_duty_rng) for i in range(NO_DUTY_COUNT)]
    return rows + handwritten_rows()


def statement_label(source: str) -> str:
    """The duty class of a bank file's lines: product, project and other work by name, everything else none."""
    side = source.split(".", 1)[0]
    return side if side in ("product", "project", "work") else "none"


def statement_rows() -> list[dict[str, str]]:
    """Every bank line once, labelled by its file (``statement_label``), grouped in blocks of consecutive lines.

    Writers wrote related lines together, so a block of ``STATEMENT_BLOCK`` lines of one file is a group:
    grouped cross-validation keeps it on one side of a split.
    """
    rows: list[dict[str, str]] = []
    seen: dict[str, str] = {}
    for path in sorted(BANK.rglob("*.txt")):
        source = path.relative_to(BANK).as_posix()
        label = statement_label(path.name)
        number = 0
        for line in path.read_text(encoding="utf-8").splitlines():
            text = line.strip()
            if not text:
                continue
            if text in seen:
                if seen[text] != label:
                    raise SystemExit(f"{source}: {text!r} is also in a bank file labelled {seen[text]}")
                continue
            seen[text] = label
            rows.append(
                {"text": text, "label": label, "source": source, "group": f"{source}:{number // STATEMENT_BLOCK}"}
            )
            number += 1
    return rows


def write_csv(path: Path, rows: list[dict[str, str]], fields: list[str]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--per-label", type=int, default=400, help="composed documents per label")
    parser.add_argument("--neither", type=int, default=NEITHER_COUNT, help="composed neither documents")
    parser.add_argument("--resume-share", type=float, default=0.35)
    parser.add_argument("-o", "--output", type=Path, default=HERE / "corpus.csv")
    parser.add_argument("--statements", type=Path, default=STATEMENTS, help="where to write the labelled statements")
    args = parser.parse_args()
    rows = compose(args.seed, args.per_label, args.resume_share, args.neither)
    write_csv(args.output, rows, ["id", "kind", "label", "origin", "group", "text"])
    print(f"wrote {len(rows)} documents to {args.output}")
    statements = statement_rows()
    write_csv(args.statements, statements, ["text", "label", "source", "group"])
    print(f"wrote {len(statements)} labelled statements to {args.statements}")


if __name__ == "__main__":
    main()
