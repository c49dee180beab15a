"""Extraction time against document size: one policy of 50 KB to 10 MB, on one line or in paragraphs.

    python benchmarks/size.py                 # 50 KB, 500 KB, 5 MB, 10 MB
    python benchmarks/size.py 50000 200000    # sizes in bytes

Prints the time to parse and extract each document and the time per MB (a linear extractor keeps it flat),
then builds the largest one-line document with ``graphbuild build`` under the default time budget."""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from graphbuild.extractors import extract
from graphbuild.ingest import parse_text

SENTENCES = [
    "We collect your email address and IP address when you sign up",
    "We share your personal data with Stripe for payment processing",
    "Our hosting provider Amazon Web Services stores your data in the United States",
    "We keep server logs for 30 days",
    "You have the right to access and delete your data",
    "We use Google Analytics to understand how you use our website",
]


def policy(size: int, paragraphs: bool, seed: int = 7) -> str:
    """A policy of about ``size`` characters, on one line or in paragraphs of a few sentences."""
    rng = random.Random(seed)
    out: list[str] = []
    length = 0
    while length < size:
        sentence = rng.choice(SENTENCES) + ". "
        out.append(sentence)
        length += len(sentence)
        if paragraphs and rng.random() < 0.2:
            out.append("\n\n")
    return "".join(out)


def main(sizes: list[int]) -> None:
    extract(parse_text("warm-up.txt", policy(5_000, paragraphs=True), fmt="text"))  # load the knowledge once
    print("| layout | size | parse + extract | per MB | findings |")
    print("|---|---|---|---|---|")
    for paragraphs in (False, True):
        for size in sizes:
            text = policy(size, paragraphs)
            started = time.perf_counter()
            findings = extract(parse_text("policy.txt", text, fmt="text"))
            took = time.perf_counter() - started
            layout = "paragraphs" if paragraphs else "one line"
            print(f"| {layout} | {size / 1e6:g} MB | {took:.2f} s | {took / (size / 1e6):.2f} s | {len(findings)} |")
            sys.stdout.flush()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "one-line.txt"
        path.write_text(policy(max(sizes), paragraphs=False))
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "graphbuild", "build", str(path), "--db", str(Path(tmp) / "store"), "--jobs", "1"],
            capture_output=True,
            text=True,
        )
        took = time.perf_counter() - started
        print(
            f"\n`graphbuild build` of the {max(sizes) / 1e6:g} MB one-line policy: {took:.1f} s, "
            f"{result.stderr.strip().splitlines()[-1]}"
        )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [50_000, 500_000, 5_000_000, 10_000_000])
