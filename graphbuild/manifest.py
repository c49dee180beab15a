"""Build manifests: a CSV of ``source,company[,url,date]`` naming each document's first party, the natural
input of a crawl made from a list of sites."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from graphbuild.errors import GraphbuildError

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?")


@dataclass(frozen=True)
class Hint:
    """What the user knows about one document: its company, where it was fetched from, and when."""

    company: str | None = None
    url: str | None = None
    date: str | None = None  # ISO 8601 date or date-time


def _key(source: str) -> str:
    return source if source.startswith(("http://", "https://")) else str(Path(source).resolve())


def read_manifest(path: str) -> dict[str, Hint]:
    """Hints by source (files resolved against the manifest's folder); a malformed line raises naming it."""
    base = Path(path).parent
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.reader(handle))
    except (OSError, UnicodeDecodeError) as exc:
        raise GraphbuildError(f"{path}: cannot read the manifest ({exc.__class__.__name__})") from exc
    if rows and [c.strip().lower() for c in rows[0][:2]] == ["source", "company"]:
        rows = rows[1:]
        start = 2
    else:
        start = 1
    hints: dict[str, Hint] = {}
    for n, row in enumerate(rows, start):
        cells = [c.strip() for c in row]
        if not any(cells):
            continue
        if len(cells) < 2 or not cells[0] or len(cells) > 4:
            raise GraphbuildError(f"{path}:{n}: expected source,company[,url,date]")
        url = cells[2] if len(cells) > 2 and cells[2] else None
        date = cells[3] if len(cells) > 3 and cells[3] else None
        if url and not url.startswith(("http://", "https://")):
            raise GraphbuildError(f"{path}:{n}: the url column must be an http(s) URL, not {url!r}")
        if date and not _DATE.fullmatch(date):
            raise GraphbuildError(f"{path}:{n}: the date column must be ISO 8601 (2024-05-01), not {date!r}")
        source = cells[0]
        if not source.startswith(("http://", "https://")):
            source = str((base / source).resolve())
        hints[source] = Hint(cells[1] or None, url, date)
    return hints


def hint_for(hints: dict[str, Hint], source: str) -> Hint | None:
    """The hint for a source as the build names it."""
    return hints.get(_key(source))
