"""Countries where data is stored, transferred to, or where the company has offices (ISO 3166-1)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import lru_cache
from types import MappingProxyType

from graphbuild.extractors import register
from graphbuild.extractors.common import negated_before
from graphbuild.extractors.tables import column_roles, is_header
from graphbuild.model import Document, Location
from graphbuild.resources import knowledge_file

NAME = "locations"
VERSION = "3"

_STORAGE = re.compile(
    r"\b(?:stor\w+|host\w*|servers?|data\s*cent(?:er|re)s?|reside\w*|located|saved|kept|databases?)\b", re.I
)
_TRANSFER = re.compile(
    r"\b(?:transfer\w*|outside|cross[- ]border|international\w*|abroad|third\s+countr\w+|processed\s+in|process\w*\s+(?:and\s+\w+\s+)?in|sent\s+to|moved\s+to|countries)\b",  # noqa: E501 - a regex reads best on one line
    re.I,
)
_OFFICE = re.compile(
    r"\b(?:offices?|headquarter\w*|HQ|based\s+in|registered|incorporated|address|representative|branch\w*|subsidiar\w+)\b",
    re.I,
)
_OPERATIONS = re.compile(r"\b(?:operat\w+|service\s+providers?|providers?)\b", re.I)
# "under the laws of Ireland", "residents of California": jurisdictions and people, not data locations.
_NOT_LOCATION_BEFORE = re.compile(
    r"(?:laws?|courts?|residents?|citizens?|regulations?|authorit(?:y|ies)|consumers?)\s+(?:of|in)\s+(?:the\s+)?$", re.I
)
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:in|to|within|from|across|into|outside(?:\s+of)?|throughout)\s+(?:the\s+)?$", re.I
)
_SAFEGUARDS = [
    (
        "SCC",
        re.compile(r"standard\s+(?:contractual|data\s+protection)\s+(?:data\s+protection\s+)?clauses|\bSCCs?\b", re.I),
    ),
    ("adequacy", re.compile(r"adequacy\s+decision|adequate\s+(?:level|protection)", re.I)),
    ("BCR", re.compile(r"binding\s+corporate\s+rules|\bBCRs?\b", re.I)),
    ("DPF", re.compile(r"data\s+privacy\s+framework|\bDPF\b", re.I)),
    ("Privacy Shield", re.compile(r"privacy\s+shield", re.I)),
    ("consent", re.compile(r"(?:with|your|explicit)\s+consent", re.I)),
]


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[re.Pattern[str], dict[str, tuple[str, bool]]]:
    names: dict[str, tuple[str, bool]] = {}
    text = knowledge_file("countries.psv").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    for line in lines[1:]:
        code, aliases, flag = (c.strip() for c in line.split("|"))
        for alias in aliases.split(";"):
            names[alias.strip()] = (code, flag == "ambiguous")
    body = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w.-])(?:{body})(?![\w-]|\.\w)"), names


@lru_cache(maxsize=1)
def country_names() -> Mapping[str, str]:
    """Every country name or alias the gazetteer knows, with its ISO code (read-only, built once)."""
    return MappingProxyType({name: code for name, (code, _) in _gazetteer()[1].items()})


def _kind(text: str, before: str, sentence_has_digits: bool) -> str | None:
    if _OFFICE.search(text) or (sentence_has_digits and before.rstrip().endswith(",")):
        if not _STORAGE.search(text) or _OFFICE.search(before[-60:]):
            return "office"
    if _STORAGE.search(text):
        return "storage"
    if _TRANSFER.search(text):
        return "transfer"
    if _OPERATIONS.search(text):
        return "operations"
    return None


def _safeguard(text: str) -> str | None:
    for label, pattern in _SAFEGUARDS:
        if pattern.search(text):
            return label
    return None


def _location_cell(doc: Document, block: int) -> tuple[int, int] | None:
    """The span of a table row's location column ("Location", "Country"), when the table has one."""
    roles = column_roles(doc, block)
    if "location" not in roles or is_header(doc, block) or roles["location"] >= len(doc.blocks[block].cells):
        return None
    return doc.blocks[block].cells[roles["location"]]


@register(NAME, VERSION)
def locations(doc: Document) -> Iterator[Location]:
    """One finding per (sentence, country, kind)."""
    pattern, names = _gazetteer()
    for s in doc.sentences:
        text = doc.text[s.start : s.end]
        seen: set[tuple[str, str]] = set()
        digits = bool(re.search(r"\d", text))
        block = doc.blocks[s.block]
        block_text = doc.text[block.start : block.end]
        location_cell = _location_cell(doc, s.block) if block.kind == "row" and s.start == block.start else None
        for m in pattern.finditer(text):
            code, ambiguous = names[m.group()]
            before = text[max(0, m.start() - 60) : m.start()]
            if _NOT_LOCATION_BEFORE.search(before):
                continue
            if (
                ambiguous
                and not _PREPOSITION_BEFORE.search(before)
                and not (location_cell and location_cell[0] <= s.start + m.start() < location_cell[1])
            ):
                continue
            if m.group() in ("US", "U.S.") and re.match(r"\s*(?:dollars?|\$|law|federal|state)", text[m.end() :], re.I):
                continue
            in_cell = location_cell is not None and location_cell[0] <= s.start + m.start() < location_cell[1]
            kind = "storage" if in_cell else _kind(text, before, digits)
            if kind is None or (code, kind) in seen:
                continue
            if negated_before(text, 0, m.start()) and kind != "office":
                continue  # "we do not store data in Russia"
            seen.add((code, kind))
            yield Location(
                evidence=doc.evidence(s.start, s.end, NAME, VERSION),
                country=code,
                kind=kind,
                safeguard=_safeguard(text)
                if kind == "storage"
                else (_safeguard(text) or _safeguard(block_text))
                if kind == "transfer"
                else None,
            )
