"""Tables as tables: the header row of a table and the role of each column (name, purpose, location)."""

from __future__ import annotations

import re

from graphbuild.model import Document

_ROLES = {
    "name": re.compile(
        r"\b(?:(?:sub-?)?processors?|vendors?|providers?|suppliers?|names?|entity|entities|companies|company|"
        r"third[- ]part(?:y|ies)|partners?|recipients?|services?|tools?|organi[sz]ations?)\b",
        re.I,
    ),
    "purpose": re.compile(
        r"\b(?:type\s+of\s+service|purposes?|activit(?:y|ies)|functions?|descriptions?|nature|processing|use|usage|services?\s+provided|category)\b",
        re.I,
    ),
    "location": re.compile(
        r"\b(?:locations?|countr(?:y|ies)|regions?|where|jurisdictions?|data\s+cent(?:er|re)s?|hosting\s+location)\b",
        re.I,
    ),
}


def table_span(doc: Document, block: int) -> tuple[int, int]:
    """First and last block index of the table that holds row ``block``."""
    first = last = block
    while first > 0 and doc.blocks[first - 1].kind == "row":
        first -= 1
    while last + 1 < len(doc.blocks) and doc.blocks[last + 1].kind == "row":
        last += 1
    return first, last


def cell_texts(doc: Document, block: int) -> list[str]:
    """The text of each cell of a row."""
    return [doc.text[a:b].strip() for a, b in doc.blocks[block].cells]


def column_roles(doc: Document, block: int) -> dict[str, int]:
    """For the table holding ``block``: which column holds names, purposes, locations (from its header row).

    A header is the table's first row when every cell is short and at least one names a role;
    a table without one gets no roles (its rows are still read as sentences)."""
    first, _ = table_span(doc, block)
    header = cell_texts(doc, first)
    if len(header) < 2 or any(len(c) > 40 for c in header):
        return {}
    roles: dict[str, int] = {}
    for role in ("location", "purpose", "name"):  # "Hosting location" is a location, not a name
        for i, cell in enumerate(header):
            if i not in roles.values() and role not in roles and _ROLES[role].search(cell):
                roles[role] = i
    return roles if "name" in roles else {}


def is_header(doc: Document, block: int) -> bool:
    """True for the first row of a table with recognised column roles."""
    return table_span(doc, block)[0] == block and bool(column_roles(doc, block))
