"""The first party: a decision over independent signals (definitions, title, legal entities, the source's
name, contact e-mail domains, how often a name recurs), with the reasons kept; never a first match."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from graphbuild.extractors import register
from graphbuild.extractors.first_party_signals import (
    LEGAL,
    Vote,
    definition_votes,
    legal_entity_votes,
    named_after,
    source_votes,
    subject_votes,
    title_votes,
)
from graphbuild.knowledge.vendors import knowledge_base, normalise_name
from graphbuild.model import Document, FirstParty

NAME = "first_party"
VERSION = "3"

_CAP = r"[A-Z][\w&’'.-]*[\w]|[A-Z]"
# One line only: a heading "Acme Privacy Notice" above "Acme Inc. ('we')" is not one entity.
_ENTITY = re.compile(rf"\b((?:{_CAP})(?:[ \t]+(?:{_CAP}|&))*?,?[ \t]+{LEGAL})(?=[\s,;:)]|$)")
_PRONOUNS = {"their", "our", "your", "its", "his", "her", "we", "you", "they", "privacy", "policy"}
# Words that are never a company on their own: pronouns, document words, section words, data words.
_STOP = set(
    """
we our us you your the this these that it if in for by at as a privacy policy notice statement services service
company website site app platform data personal information user users gdpr ccpa eu european union terms cookies
cookie contact introduction definitions customer customers children all any some each such when where please note
no they there their he she his her those what who how why which while with regarding under most many additionally
finally also however again even one other last effective updated section article provider controller processor
general below above here consent internet organizers continued application documentation sites
""".split()
)
# Regulators and laws name who oversees the company, not the company ("the ICO", "the FTC").
_REGULATOR = re.compile(
    r"^(?:ICO|FTC|CNIL|EDPB|EDPS|DPC|BfDI|AEPD|Garante|OPC|OAIC)$|\b(?:Commissioner|Commission|Authority|Regulation|"
    r"Directive|Act|Court|Tribunal|Ombudsman|Shield|Framework|Clauses|Officer)\b",
)
# Signals that can name a knowledge-base vendor as the first party (GitHub's own policy names GitHub).
_STRONG = {"definition", "title", "source name"}


@dataclass
class _Candidate:
    name: str
    score: float = 0.0
    reasons: set[str] = field(default_factory=set)
    span: tuple[int, int] = (0, 0)
    span_weight: float = -1.0


def _clean(name: str) -> str:
    name = re.sub(r"^(?:the|our|at)\s+", "", name.strip(" ,.;:\"“”'’"), flags=re.I)
    name = re.sub(rf",?\s+{LEGAL}$", "", name)
    return re.sub(r"\s+(?:service|website|app|platform|team)$", "", name, flags=re.I).strip(" ,")


def _acceptable(doc: Document, name: str) -> bool:
    words = name.split()
    if not words or len(words) > 6 or len(name) < 2 or re.search(r"['’](?:ll|re|ve|d|t)\b", name):
        return False
    if any(w.lower() in _PRONOUNS for w in words[1:]) or _REGULATOR.search(name):
        return False
    if all(w.lower().strip(".,") in _STOP for w in words):
        return False
    if len(words) == 1 and name[0].isupper() and name[1:].islower():
        # "Below", "Consent", "Internet": a word the text also writes in lower case is a word, not a name
        if name.lower() in _lowercase_words(doc):
            return False
    return True


@lru_cache(maxsize=64)
def _lowercase_words(doc: Document) -> frozenset[str]:
    """Words the text writes in lower case as words of their own (not in an e-mail address, path or host)."""
    return frozenset(re.findall(r"(?<![\w@./-])([a-z]+)(?![\w@/-]|\.\w)", doc.text))


def _gather(doc: Document) -> dict[str, _Candidate]:
    """Every vote, merged by normalised name."""
    kb = knowledge_base()
    votes: list[Vote] = [
        *definition_votes(doc),
        *title_votes(doc),
        *legal_entity_votes(doc),
        *source_votes(doc),
        *subject_votes(doc),
    ]
    pool: dict[str, _Candidate] = {}
    for v in votes:
        name = _clean(v.name)
        if not _acceptable(doc, name):
            continue
        key = normalise_name(name)
        c = pool.setdefault(key, _Candidate(name))
        c.score += v.weight
        c.reasons.add(v.reason)
        if v.weight > c.span_weight:
            c.span, c.span_weight = (v.start, v.end), v.weight
        if any(ch.isupper() for ch in name) and not any(ch.isupper() for ch in c.name):
            c.name = name
    for key, c in list(pool.items()):
        known = kb.lookup(c.name) or next((v for a, b, v in kb.find(c.name) if b - a == len(c.name)), None)
        if known is not None and not c.reasons & _STRONG:
            del pool[key]  # "provided by Google Inc." names a vendor, not the first party
            continue
        # A name the whole text keeps using is the company's ("How does Acme collect…", "Acme's servers").
        uses = len(re.findall(rf"(?<![\w-]){re.escape(c.name)}(?![\w-])", doc.text))
        c.score += min(uses, 30) / 6
    return pool


@lru_cache(maxsize=64)
def _decide(doc: Document) -> tuple[str, tuple[int, int], str, tuple[str, ...]] | None:
    """(name, evidence span, confidence, reasons) of the best-supported candidate."""
    if doc.company:
        found = named_after(doc, re.sub(r"[^a-z0-9]", "", doc.company.lower()))
        at = doc.text.lower().find(doc.company.lower()) if found is None else found[1]
        s = doc.sentence_at(at) if at >= 0 else None
        span = (s.start, s.end) if s else _first_sentence(doc)
        return doc.company, span, "given", ("given by the user",)
    pool = _gather(doc)
    if not pool:
        return None
    best = max(pool.values(), key=lambda c: (c.score, -len(c.name), c.name))
    strong = best.score >= 6 and bool(best.reasons & (_STRONG | {"legal entity", "e-mail domain"}))
    span = best.span if best.span[1] > best.span[0] else _first_sentence(doc)
    return best.name, span, "high" if strong else "low", tuple(sorted(best.reasons))


def _first_sentence(doc: Document) -> tuple[int, int]:
    s = doc.sentences[0] if doc.sentences else None
    return (s.start, s.end) if s else (0, min(len(doc.text), 200))


def first_party_names(doc: Document) -> tuple[str, ...]:
    """The first party's name and legal entities (used by other extractors to skip self-mentions)."""
    decided = _decide(doc)
    if decided is None:
        return ()
    return (decided[0], *_legal_entities(doc, decided[0]))


def _legal_entities(doc: Document, name: str) -> list[str]:
    """Legal entities whose name starts with the company's first word ('Acme Norge AS')."""
    head = name.split()[0].lower().rstrip(".")
    head = re.sub(r"(crm|app|io|hq)$", "", head) or head
    found: list[str] = []
    seen: set[str] = set()
    for m in _ENTITY.finditer(doc.text):
        entity = m.group(1).strip()
        if not re.search(r"\b[A-Z](?:\.[A-Z])+\.$", entity):
            entity = entity.rstrip(".")  # "Acme Development LLC." ends a sentence; "Acme A.S." keeps its dot
        key = normalise_name(entity) + "|" + entity.split()[-1].rstrip(".").lower()
        if entity.lower().startswith(head[:4]) and key not in seen:
            seen.add(key)
            found.append(entity)
    return found


@register(NAME, VERSION)
def first_party(doc: Document) -> Iterator[FirstParty]:
    """The best-supported company name, quoting the sentence that names it, with how sure and why."""
    decided = _decide(doc)
    if decided is None:
        return
    name, (start, end), confidence, reasons = decided
    yield FirstParty(
        evidence=doc.evidence(start, end, NAME, VERSION),
        name=name,
        legal_entities=tuple(_legal_entities(doc, name)),
        confidence=confidence,
        reasons=reasons,
    )
