"""What a stated purpose implies about the data a vendor receives (``implied_data.psv``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class Implication:
    """One row: a purpose pattern and the data-category keys it implies."""

    key: str
    pattern: re.Pattern[str]
    data: tuple[str, ...]
    why: str


def parse_implications(text: str) -> list[Implication]:
    """Parse the table; a malformed line raises ValueError naming it."""
    rows = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split("|", 3)]
        if len(parts) != 4 or not all(parts):
            raise ValueError(f"implied_data.psv line {n}: expected key|data|why|pattern")
        key, data, why, pattern = parts
        rows.append(Implication(key, re.compile(pattern, re.I), tuple(d.strip() for d in data.split(";")), why))
    return rows


@cache
def implications() -> tuple[Implication, ...]:
    """The packaged table."""
    text = resources.files("graphbuild.knowledge").joinpath("implied_data.psv").read_text("utf-8")
    return tuple(parse_implications(text))


def implied_data(text: str) -> tuple[str, ...]:
    """Data-category keys that the purposes stated in ``text`` imply, in table order."""
    found: dict[str, None] = {}
    for row in implications():
        if row.pattern.search(text):
            found.update(dict.fromkeys(row.data))
    return tuple(found)
