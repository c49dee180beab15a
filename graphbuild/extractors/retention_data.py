"""The data a retention period governs: the data categories of its clause ("we keep your email address and IP
addresses for 1 year"), the noun phrase it keeps ("trashed content"), or — when the clause says only "your
data" or "this information" — the data the sentence before or the part of the policy around it lists. Never
a heading."""

from __future__ import annotations

import re
from functools import lru_cache

from graphbuild.extractors.common import negated_before, part_around
from graphbuild.knowledge.taxonomy import Term, taxonomy
from graphbuild.model import Document, Sentence

# Clause breaks inside a sentence: "crash reports for 90 days; server logs for 30 days".
_CLAUSE = re.compile(r";|\.\s|,\s+(?:but|while|whereas)\s+|,?\s+and\s+(?=(?:we|they|it|copies|backups)\b)", re.I)
# What a sentence keeps, when no data category names it: "we keep this content", "trashed content may remain".
_KEPT = re.compile(
    r"\b(?:retain|keep|store|hold|preserve|maintain|delete|purge|destroy|erase)s?\s+(?:(?:your|the|all|any|such|"
    r"this|these|our|its|their)\s+)?(?P<d>[a-z][\w\s-]{2,40}?)\s+(?:for|up\s+to|until|as\s+long|only|after|while|"
    r"in|within|on)\b|(?:^|\b(?:the|your|our|all|any|such)\s+)(?P<s>[a-z][\w-]*(?:\s+[a-z][\w-]*){0,3}?)\s+(?:is|are|"
    r"will\s+be|may\s+be|may|will|should\s+be|can\s+be)\s+(?:\w+\s+)?(?:kept|retained|stored|held|deleted|purged|"
    r"destroyed|erased|remain|removed)\b",
    re.I,
)
_GENERIC = re.compile(
    r"^(?:personal\s+)?(?:data|information|info|it|them|this|that|these|those|records?)$|^(?:this|that|"
    r"such|these|your|the|all)\s+(?:data|information|personal\s+data)$|^data\s+(?:collected|about|from)\b",
    re.I,
)
_PERSONAL = re.compile(r"\bpersonal\s+(?:data|information)\b", re.I)
_ITEM_HEAD = re.compile(r"^\s*([A-Z][\w\s/-]{2,40}?)\s*[:\u2013\u2014-]\s")


def _named(text: str) -> dict[str, str]:
    """The wording of each data category named in ``text`` ("medical records"), by key."""
    found: dict[str, str] = {}
    for m in taxonomy("data_categories").find(text):
        found.setdefault(m.term.key, text[m.start : m.end])
    return found


def _terms(text: str) -> list[Term]:
    """Data categories named in ``text`` outside a negation, in order, once each."""
    found: dict[str, Term] = {}
    for m in taxonomy("data_categories").find(text):
        line = text.rfind("\n", 0, m.start) + 1
        if m.anchored and text[line : m.start].strip(" \t-•*:"):
            continue  # "Name" counts as a list item's first word, not inside a sentence
        if negated_before(text, line, m.start):
            continue
        found.setdefault(m.term.key, m.term)
    return list(found.values())


def _label(terms: list[Term]) -> str:
    return ", ".join(t.label for t in terms)


def _clause(text: str, at: int) -> str:
    """The clause of ``text`` around position ``at``."""
    start = 0
    end = len(text)
    for m in _CLAUSE.finditer(text):
        if m.end() <= at:
            start = m.end()
        elif m.start() >= at:
            end = m.start()
            break
    return text[start:end]


@lru_cache(maxsize=256)
def _part_terms(doc: Document, start: int, end: int) -> tuple[Term, ...]:
    """Data categories listed in ``doc.text[start:end]`` (cached: several periods share one part)."""
    return tuple(_terms(doc.text[start:end]))


def _around(doc: Document, s: Sentence) -> tuple[Term, ...]:
    """The data the sentence before (same block), the list lead-in, or the enclosing part of the policy lists."""
    block = doc.blocks[s.block]
    before = doc.sentence_at(s.start - 2) if s.start >= 2 else None
    if before is not None and before.block == s.block:
        found = tuple(_terms(doc.text[before.start : before.end]))
        if found:
            return found
    part = part_around(doc, s.start)
    inner = doc.section_at(s.start)
    if block.kind in ("item", "row") and part and inner:
        found = _part_terms(doc, inner.start, inner.end)  # "How long we keep it" over "- Crash reports: 90 days"
        if found:
            return found
    return _part_terms(doc, part.start, part.end) if part else ()


def data_label(doc: Document, s: Sentence, text: str, at: int) -> tuple[str, tuple[str, ...]]:
    """The label of the data a period at ``at`` of sentence ``s`` (whose text is ``text``) governs, and the
    data-category keys behind it."""
    clause = _clause(text, at)
    terms = _terms(clause) or _terms(text)
    if terms:
        wording = _named(text)  # as the policy words it: "We retain medical records" → "medical records"
        return ", ".join(wording.get(t.key, t.label) for t in terms), tuple(t.key for t in terms)
    item = _ITEM_HEAD.match(text)
    if item and doc.blocks[s.block].kind in ("item", "row"):
        return item.group(1).strip(), ()  # "Crash reports: 90 days."
    kept = _KEPT.search(clause) or _KEPT.search(text)
    phrase = re.sub(r"\s+", " ", (kept.group("d") or kept.group("s") or "")).strip() if kept else ""
    if phrase and not _GENERIC.search(phrase):
        return phrase, ()
    around = _around(doc, s)
    if around:
        return _label(list(around)), tuple(t.key for t in around)
    return ("personal data" if _PERSONAL.search(text) or not phrase else phrase), ()
