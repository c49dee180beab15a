"""The first party: the company a policy belongs to, and the legal entities it names."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from functools import lru_cache

from graphbuild.extractors import register
from graphbuild.knowledge.vendors import knowledge_base, normalise_name
from graphbuild.model import Document, FirstParty

NAME = "first_party"
VERSION = "1"

_WORD = r"[A-Z][\w&’'.-]*[\w]|[A-Z]"
_NAME = rf"(?-i:(?:{_WORD})(?:\s+(?:{_WORD}|of|and|&))*?)"
_LEGAL = r"(?:Inc|LLC|L\.L\.C|Ltd|Limited|Corp|Corporation|GmbH|AG|S\.?A|SAS|SARL|S\.r\.l|B\.?V|N\.?V|PLC|plc|AB|AS|A\.S|Oy|OY|Pty|Pte|KK|SE|LLP|LP)\.?"  # noqa: E501 - a regex reads best on one line
_ENTITY = re.compile(rf"\b((?:{_WORD})(?:\s+(?:{_WORD}|&))*?,?\s+{_LEGAL})(?=[\s,;:)]|$)")
_QUOTE = "[\"“”'‘’]"

# Patterns that name the first party, with weights (the sentence wording that motivated each).
_PATTERNS: list[tuple[re.Pattern[str], int]] = [
    # “Altoros”, “we,” and “us” refer to Altoros Americas LLC, …
    (
        re.compile(
            rf"{_QUOTE}({_NAME}){_QUOTE},?\s*(?:{_QUOTE}?(?:we|us|our)\b{_QUOTE}?,?\s*(?:and|or)?\s*)+{_QUOTE}?\s*(?:refers?|means?|is)\b",
            re.I,
        ),
        6,
    ),
    # Company (referred to as either "the Company", "We", "Us" or "Our" in this Agreement) refers to Acme Ltd
    (
        re.compile(
            rf"\(\s*referred\s+to\s+as\s+(?:either\s+)?[^)]{{0,120}}\)\s+(?:refers\s+to|means|is)\s+({_NAME})(?=,?\s+{_LEGAL}|\s*[,.;(]|(?-i:\s+[a-z])|$)",
            re.I,
        ),
        6,
    ),
    # Services provided by Rumo CRM, also referred as “Rumo”, “we” or “us”
    (re.compile(rf"\b({_NAME}),?\s+(?:also\s+)?(?:referred\s+(?:to\s+)?as|hereinafter)\s+{_QUOTE}", re.I), 5),
    # the HMARA.IO service (the "provider") / Acme Inc. ("we", "us")
    (
        re.compile(
            rf"\b({_NAME})(?:\s+(?:service|website|app|platform))?\s*\(\s*(?:the\s+)?{_QUOTE}(?:we|us|our|provider|company)\b",
            re.I,
        ),
        5,
    ),
    # QuillPay Ltd ("QuillPay", "we") / Bluebird Apps Inc. ("Bluebird", "we", "us")
    (
        re.compile(
            rf"\b({_NAME})(?:,?\s+{_LEGAL})?\s*\(\s*(?:the\s+)?{_QUOTE}[^)]{{1,40}}?{_QUOTE}\s*,\s*{_QUOTE}?(?:we|us|our)\b",
            re.I,
        ),
        5,
    ),
    # Your information is controlled by Halo Service Solutions Limited
    (re.compile(rf"\b(?:controlled|operated|owned|provided|published|run)\s+by\s+({_NAME})"), 3),
    # At Rumo CRM, the privacy …
    (re.compile(rf"^(?:At|Welcome to)\s+({_NAME}),"), 4),
    # Acme is committed to / Acme uses / Acme retains …
    (
        re.compile(
            rf"^({_NAME})\s+(?:is|are|uses|use|retains|will|may|does|do|has|have|trains|gives|limits|makes|stores|takes|only|works|must|collects|processes|shares|respects|values|takes|believes|can|also)\b"
        ),
        1,
    ),
]
_TITLE = re.compile(
    r"^(.*?)\s*(?:[-|–—:]\s*)?(?:Privacy\s+(?:Policy|Notice|Statement)|Data\s+Protection\s+(?:Policy|Notice))\s*(?:[-|–—:]\s*(.*))?$",
    re.I,
)
# The look-behind starts a match only at the start of an address (without it every inner character of a
# long word is tried as a start too).
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@([\w-]+)\.[\w.]+")
_PRONOUNS = {"their", "our", "your", "its", "his", "her", "we", "you", "they", "privacy", "policy"}
_STOP = {
    "we",
    "our",
    "us",
    "you",
    "your",
    "the",
    "this",
    "these",
    "that",
    "it",
    "if",
    "in",
    "for",
    "by",
    "at",
    "as",
    "a",
    "privacy",
    "policy",
    "notice",
    "statement",
    "services",
    "service",
    "company",
    "website",
    "site",
    "app",
    "platform",
    "data",
    "personal",
    "information",
    "user",
    "users",
    "gdpr",
    "ccpa",
    "eu",
    "european",
    "union",
    "terms",
    "cookies",
    "cookie",
    "contact",
    "introduction",
    "definitions",
    "customer",
    "customers",
    "children",
    "all",
    "any",
    "some",
    "each",
    "such",
    "when",
    "where",
    "please",
    "note",
    "no",
    "they",
    "there",
    "their",
    "he",
    "she",
    "his",
    "her",
    "those",
    "what",
    "who",
    "how",
    "why",
    "which",
    "while",
    "with",
    "regarding",
    "under",
    "most",
    "many",
    "additionally",
    "finally",
    "also",
    "however",
    "again",
    "even",
    "one",
    "other",
    "last",
    "effective",
    "updated",
    "section",
    "article",
    "provider",
    "controller",
    "processor",
    "general",
    "data protection regulation",
}


def _clean(name: str) -> str:
    name = re.sub(r"^(?:the|our|at)\s+", "", name.strip(" ,.;:\"“”'’"), flags=re.I)
    return re.sub(r"\s+(?:service|website|app|platform|team)$", "", name, flags=re.I).strip()


def _acceptable(name: str) -> bool:
    words = name.split()
    if not words or len(words) > 6 or len(name) < 2 or re.search(r"['’](?:ll|re|ve|d|s|t)\b", name):
        return False
    if any(w.lower() in _PRONOUNS for w in words[1:]):
        return False  # "PayPal Their Privacy Policy can be viewed at …" runs past the name
    if normalise_name(name) in _STOP or all(w.lower() in _STOP for w in words):
        return False
    return any(ch.isupper() for ch in name)


@lru_cache(maxsize=64)
def _candidates(doc: Document) -> tuple[tuple[str, int, int, int], ...]:
    """Scored candidate names: ``(name, score, start, end)`` of the best-evidenced mention."""
    kb = knowledge_base()
    scores: dict[str, float] = defaultdict(float)
    where: dict[str, tuple[int, int]] = {}
    surface: dict[str, str] = {}
    for s in doc.sentences:
        text = doc.text[s.start : s.end]
        for pattern, weight in _PATTERNS:
            for m in pattern.finditer(text):
                name = _clean(m.group(1))
                if not _acceptable(name):
                    continue
                key = normalise_name(name)
                if weight <= 3 and (kb.lookup(name) or any(a == 0 for a, _, _ in kb.find(name))):
                    continue  # "provided by Google Inc." names a vendor, not the first party
                scores[key] += weight if weight > 1 else 0.5
                if key not in where or weight > 1:
                    where.setdefault(key, (s.start, s.end))
                surface.setdefault(key, name)
    title = _TITLE.match(doc.title or "")
    if title:
        for part in (title.group(1), title.group(2)):
            name = _clean(part or "")
            if name and _acceptable(name):
                key = normalise_name(name)
                pos = doc.text.find(name)
                if pos >= 0:
                    scores[key] += 2
                    surface.setdefault(key, name)
                    where.setdefault(key, _sentence_span(doc, pos))
    # A contact address on the company's own domain confirms a candidate (support@rumo.app → Rumo).
    domains = {m.group(1).lower() for m in _EMAIL.finditer(doc.text)}
    for key in list(scores):
        first = key.split()[0].replace(" ", "") if key else ""
        if first and any(d == first or d.startswith(first) or first.startswith(d) for d in domains if len(d) > 2):
            scores[key] += 2
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))
    return tuple((surface[k], int(v * 10), *where[k]) for k, v in ranked if k in where)


def _sentence_span(doc: Document, pos: int) -> tuple[int, int]:
    s = doc.sentence_at(pos)
    return (s.start, s.end) if s else (pos, pos)


def first_party_names(doc: Document) -> tuple[str, ...]:
    """The first party's name and legal entities (used by other extractors to skip self-mentions)."""
    found = list(first_party(doc))
    if not found:
        return ()
    fp = found[0]
    assert isinstance(fp, FirstParty)
    return (fp.name, *fp.legal_entities)


def _legal_entities(doc: Document, name: str) -> list[str]:
    """Legal entities whose name starts with the company's first word ('Altoros Norge AS')."""
    head = name.split()[0].lower().rstrip(".")
    head = re.sub(r"(crm|app|io|hq)$", "", head) or head
    found: list[str] = []
    seen: set[str] = set()
    for m in _ENTITY.finditer(doc.text):
        entity = m.group(1).strip()
        if not re.search(r"\b[A-Z](?:\.[A-Z])+\.$", entity):
            entity = entity.rstrip(".")  # "Altoros Development LLC." ends a sentence; "Altoros A.S." keeps its dot
        key = normalise_name(entity) + "|" + entity.split()[-1].rstrip(".").lower()
        if entity.lower().startswith(head[:4]) and key not in seen:
            seen.add(key)
            found.append(entity)
    return found


@register(NAME, VERSION)
def first_party(doc: Document) -> Iterator[FirstParty]:
    """The best-supported company name, quoting the sentence that names it."""
    ranked = _candidates(doc)
    if not ranked:
        return
    name, _score, start, end = ranked[0]
    if end <= start:
        return
    yield FirstParty(
        evidence=doc.evidence(start, end, NAME, VERSION),
        name=name,
        legal_entities=tuple(_legal_entities(doc, name)),
    )
