"""Practices named with taxonomy terms: data categories, purposes, legal bases, rights, recipient categories."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from graphbuild.extractors import register
from graphbuild.extractors.common import condition_in, heading_of, lead_in, negated_before
from graphbuild.knowledge.taxonomy import Match, taxonomy
from graphbuild.model import Document, Sentence, TermMention

VERSION = "3"

# A contact channel, not data: "e-mail us at", "reach us by phone", "via email".
_CHANNEL_BEFORE = re.compile(r"\b(?:by|via|through|per|at|over|on)\s+$", re.I)
_CHANNEL_AFTER = re.compile(r"^\s+(?:us|our\b)", re.I)
# Rights and legal bases are often stated with a negation that is part of the right itself
# ("we will not discriminate against you", "you do not have to provide consent"), so they are never negated.
_NEGATABLE = {"data_categories", "purposes", "recipients"}


def _anchored_ok(doc: Document, s: Sentence, text: str, m: Match) -> bool:
    """A single generic word ('Position', 'Address') counts only as a list item's or cell's first word, and
    never in a table's header row, whose cells name columns ("Name | Location | Purpose"), not data."""
    if doc.blocks[s.block].kind == "row" and doc.blocks[s.block].level == 1:
        return False
    if not m.anchored:
        return True
    block = doc.blocks[s.block]
    at = s.start + m.start
    if block.kind == "row":
        return any(a <= at and not doc.text[a:at].strip() for a, _ in block.cells)
    return block.kind == "item" and not text[: m.start].strip(" \t-•*:")


def _context(doc: Document, s: Sentence, text: str) -> str:
    """A sentence with what introduces it: a list item's lead-in, or the heading right above a bare list
    ("- Access to your personal data" under "Your rights")."""
    if doc.blocks[s.block].kind not in ("item", "row"):
        return text
    return f"{text} {lead_in(doc, s) or heading_of(doc, s.start)}"


def _channel(text: str, m: Match) -> bool:
    word = text[m.start : m.end]
    return " " not in word and bool(_CHANNEL_BEFORE.search(text[: m.start]) or _CHANNEL_AFTER.match(text[m.end :]))


def _inside_other_terms(text: str, m: Match) -> bool:
    """A data word that is part of a legal basis or purpose: "our legitimate interests", "vital interests"."""
    return any(o.start <= m.start and m.end <= o.end for o in taxonomy("legal_bases").find(text))


def _mentions(kind: str) -> Callable[[Document], Iterator[TermMention]]:
    tax = taxonomy(kind)

    def run(doc: Document) -> Iterator[TermMention]:
        for s in doc.sentences:
            text = doc.text[s.start : s.end]
            context: str | None = None
            seen: set[str] = set()
            for m in tax.find(text):
                term = m.term
                if term.key in seen or not _anchored_ok(doc, s, text, m):
                    continue
                if kind == "data_categories" and (_channel(text, m) or _inside_other_terms(text, m)):
                    continue
                if term.requires is not None:
                    context = context if context is not None else _context(doc, s, text)
                    if not term.requires.search(context):
                        continue
                seen.add(term.key)
                yield TermMention(
                    evidence=doc.evidence(s.start, s.end, kind, VERSION),
                    negated=kind in _NEGATABLE and negated_before(text, 0, m.start),
                    condition=condition_in(text),
                    kind=kind,
                    key=term.key,
                    term=term.term,
                )

    run.__name__ = kind
    run.__doc__ = f"Mentions of {kind.replace('_', ' ')}, one per (sentence, term)."
    return run


for _kind in ("data_categories", "purposes", "legal_bases", "rights", "recipients"):
    register(_kind, VERSION)(_mentions(_kind))
