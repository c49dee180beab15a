"""Generate realistic synthetic privacy policies (HTML pages with menus, Markdown with sub-processor tables,
plain text, reStructuredText), or distinct variants of real ones, for benchmarks.

    python benchmarks/generate.py OUT_DIR --count 1000 [--seed 7]
    python benchmarks/generate.py OUT_DIR --count 200 --from-dir path/to/policies
"""

from __future__ import annotations

import argparse
import html
import random
import re
from pathlib import Path

from graphbuild.knowledge.vendors import knowledge_base

SYLLABLES = [
    "ar",
    "bel",
    "cor",
    "dan",
    "el",
    "fin",
    "gar",
    "hal",
    "ion",
    "jun",
    "kel",
    "lum",
    "mar",
    "nov",
    "or",
    "pel",
    "quin",
    "ros",
    "sol",
    "tav",
    "ul",
    "ver",
    "wex",
    "yor",
    "zen",
]
SUFFIXES = ["Inc.", "Ltd", "GmbH", "LLC", "B.V.", "SAS", "AB", "Oy", "Pty Ltd"]
COUNTRIES = [
    "Ireland",
    "Germany",
    "the United States",
    "the Netherlands",
    "France",
    "Canada",
    "India",
    "Japan",
    "Singapore",
    "Brazil",
    "Australia",
    "the United Kingdom",
    "Sweden",
    "Poland",
]
DATA = [
    "your name and e-mail address",
    "IP addresses and device identifiers",
    "payment card details",
    "usage data and log files",
    "your postal address and phone number",
    "precise location",
    "cookie identifiers",
    "support tickets",
    "account information",
    "browsing history",
]
PURPOSES = [
    "to provide the service",
    "to improve our products",
    "for analytics",
    "to prevent fraud",
    "to send you newsletters",
    "for targeted advertising",
    "to comply with legal obligations",
]
PERIODS = ["30 days", "90 days", "six months", "13 months", "two years", "five years", "seven years", "10 years"]
RIGHTS = [
    "access your personal data",
    "request deletion of your data",
    "object to processing",
    "withdraw your consent at any time",
    "lodge a complaint with a supervisory authority",
]
FORMATS = ["html", "md", "txt", "rst"]


def company_name(rng: random.Random) -> str:
    """A made-up company name such as 'Belnova'."""
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def _sections(rng: random.Random, company: str) -> list[tuple[str, list[str], list[list[str]]]]:
    """(heading, paragraphs, table rows) of one policy."""
    kb = sorted(v.name for v in knowledge_base().vendors.values())
    vendors = rng.sample(kb, rng.randint(3, 12))
    unknown = [f"{company_name(rng)} {rng.choice(['Cloud', 'Mail', 'Labs', 'Analytics', 'Pay'])}" for _ in range(2)]
    data = rng.sample(DATA, 4)
    sections = [
        (
            "Introduction",
            [
                f'{company} {rng.choice(SUFFIXES)} ("{company}", "we", "us") operates this service. '
                f"This policy explains how we handle personal data. Last updated: March {rng.randint(1, 28)}, "
                f"{rng.randint(2019, 2025)}."
            ],
            [],
        ),
        (
            "Information we collect",
            [
                f"We collect {', '.join(data[:-1])} and {data[-1]} when you use the service.",
                f"We do not collect {rng.choice(['biometric data', 'health data'])}.",
            ],
            [],
        ),
        (
            "How we use information",
            [f"We use your information {p}." for p in rng.sample(PURPOSES, 3)]
            + ["We rely on our legitimate interests and on your consent as the legal basis."],
            [],
        ),
        (
            "Service providers",
            [f"We share data with {v} to help us run the service." for v in vendors[:3]]
            + [
                f"We use {unknown[0]} {rng.choice(SUFFIXES)} to send e-mail and rely on providers such as "
                f"{', '.join(vendors[3:5]) or unknown[1]} and {unknown[1]} for billing.",
                f"We do not sell your personal data to {rng.choice(kb)}.",
            ],
            [["Sub-processor", "Purpose", "Location"]]
            + [
                [
                    v,
                    rng.choice(["Hosting", "Analytics", "Payments", "Support chat", "E-mail delivery"]),
                    rng.choice(COUNTRIES).removeprefix("the "),
                ]
                for v in vendors[5:]
            ],
        ),
        (
            "Retention",
            [f"We keep {d} for {rng.choice(PERIODS)}." for d in data[:2]]
            + [
                "We keep account data until you delete your account.",
                "Other data is kept only as long as necessary. We respond to requests within 30 days.",
            ],
            [],
        ),
        (
            "International transfers",
            [
                f"Your data is stored on servers in {rng.choice(COUNTRIES)}. We transfer data to "
                f"{rng.choice(COUNTRIES)} under Standard Contractual Clauses."
            ],
            [],
        ),
        (
            "Your rights",
            [f"You may {r}." for r in rng.sample(RIGHTS, 3)]
            + [
                f"Our service is not directed to children under {rng.choice([13, 16])}.",
                f"Contact privacy@{company.lower()}.example with questions.",
            ],
            [],
        ),
    ]
    return sections


def render(fmt: str, company: str, sections: list[tuple[str, list[str], list[list[str]]]], rng: random.Random) -> str:
    """One policy in one of the formats graphbuild reads."""
    if fmt == "html":
        menu = "".join(f"<li><a href='/{w.lower()}'>{w}</a></li>" for w in ["Home", "Pricing", "Blog", "Careers"])
        body = []
        for heading, paragraphs, table in sections:
            body.append(f"<h2>{html.escape(heading)}</h2>")
            body += [f"<p>{html.escape(p)}</p>" for p in paragraphs]
            if len(table) > 1:
                head = "".join(f"<th>{html.escape(c)}</th>" for c in table[0])
                rows = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in table[1:])
                body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
        script = "<script>window.dataLayer=[];function gtag(){dataLayer.push(arguments)}</script>" * rng.randint(1, 4)
        return (
            f"<!doctype html><html><head><title>Privacy Policy | {company}</title>{script}</head><body>"
            f"<header><nav><ul>{menu}</ul></nav></header><main><h1>{company} Privacy Policy</h1>{''.join(body)}"
            f"</main><footer><p>© {company}</p><ul>{menu}</ul></footer></body></html>"
        )
    lines = []
    if fmt == "md":
        lines.append(f"# {company} Privacy Policy\n")
    elif fmt == "rst":
        lines += [f"{company} Privacy Policy", "=" * (len(company) + 15), ""]
    else:
        lines.append(f"{company} Privacy Policy\n")
    for heading, paragraphs, table in sections:
        if fmt == "md":
            lines.append(f"## {heading}\n")
        elif fmt == "rst":
            lines += [heading, "-" * len(heading), ""]
        else:
            lines.append(f"{heading.upper()}\n")
        lines += [p + "\n" for p in paragraphs]
        if len(table) > 1 and fmt == "md":
            lines.append("| " + " | ".join(table[0]) + " |\n|" + "---|" * len(table[0]))
            lines += ["| " + " | ".join(r) + " |" for r in table[1:]]
            lines.append("")
        elif len(table) > 1:
            lines += [f"- {r[0]}: {r[1]} ({r[2]})" for r in table[1:]]
            lines.append("")
    return "\n".join(lines)


def synthetic(out: Path, count: int, seed: int = 7) -> list[Path]:
    """Write ``count`` synthetic policies to ``out``; the same seed gives the same files."""
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    written = []
    for i in range(count):
        company = company_name(rng) + ("" if i < 600 else str(i))
        fmt = FORMATS[i % len(FORMATS)]
        path = out / f"policy-{i:06d}.{'txt' if fmt == 'txt' else fmt}"
        path.write_text(render(fmt, company, _sections(rng, company), rng), encoding="utf-8")
        written.append(path)
    return written


def variants(source_dir: Path | list[Path], out: Path, count: int) -> list[Path]:
    """``count`` distinct copies of the policies in ``source_dir`` (one folder or several; each copy gets
    its own reference line). A folder's SOURCES or README file is not a policy and is left out."""
    out.mkdir(parents=True, exist_ok=True)
    folders = source_dir if isinstance(source_dir, list) else [source_dir]
    sources = sorted(
        (
            p
            for d in folders
            for p in d.iterdir()
            if p.is_file() and not p.name.upper().startswith(("SOURCES", "README"))
        ),
        key=lambda p: (p.name, str(p)),
    )
    written = []
    for i in range(count):
        src = sources[i % len(sources)]
        text = src.read_text(encoding="utf-8", errors="replace")
        note = f"Policy reference {i:06d}."
        if re.search(r"</body>", text, re.I):
            text = re.sub(r"</body>", f"<p>{note}</p></body>", text, count=1, flags=re.I)
        else:
            text = text.rstrip() + f"\n\n{note}\n"
        path = out / f"{i:06d}-{src.name}"
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    """Command line: see the module docstring."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--count", type=int, default=100)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--from-dir", type=Path, help="make distinct variants of the policies in this folder")
    a = ap.parse_args()
    files = variants(a.from_dir, a.out, a.count) if a.from_dir else synthetic(a.out, a.count, a.seed)
    print(f"wrote {len(files)} policies to {a.out}")


if __name__ == "__main__":
    main()
