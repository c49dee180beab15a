"""Independent signals that name a policy's first party: definitions, the title, legal-entity lines,
the names of the source and of contact e-mail domains. Each signal is a vote with a weight and a reason."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import urlparse

from graphbuild.extractors.common import LEGAL_SUFFIX
from graphbuild.model import Document

_WORD = r"[A-Z][\w&’'.-]*[\w]|[A-Z]|\d+[A-Za-z][\w.-]*"
# A company name: capitalised words on one line, with the small words names keep inside them ("Read the Docs").
_NAME = rf"(?-i:(?:{_WORD})(?:[ \t]+(?:{_WORD}|of|and|&|the(?=[ \t]+[A-Z])))*?)"
LEGAL = LEGAL_SUFFIX
_QUOTE = "[\"“”'‘’]"


@dataclass(frozen=True)
class Vote:
    """One signal naming a candidate: the name as written, its weight, why, and where (document offsets)."""

    name: str
    weight: float
    reason: str
    start: int
    end: int


# Definitions and greetings, with weights (the wording that motivated each in the comment above it).
_DEFINITIONS: list[tuple[re.Pattern[str], float]] = [
    # “Acme”, “we,” and “us” refer to Acme Americas LLC
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
            rf"\(\s*referred\s+to\s+as\s+(?:either\s+)?[^)]{{0,120}}\)\s+(?:refers\s+to|means|is)\s+({_NAME})(?=,?\s+{LEGAL}|\s*[,.;(]|(?-i:\s+[a-z])|$)",
            re.I,
        ),
        6,
    ),
    # Services provided by Acme CRM, also referred as “Acme”, “we” or “us”
    (re.compile(rf"\b({_NAME}),?\s+(?:also\s+)?(?:referred\s+(?:to\s+)?as|hereinafter)\s+{_QUOTE}", re.I), 5),
    # the ACME.IO service (the "provider") / Acme Inc. ("we", "us")
    (
        re.compile(
            rf"\b({_NAME})(?:\s+(?:service|website|app|platform))?\s*\(\s*(?:the\s+)?{_QUOTE}(?:we|us|our|provider|company)\b",
            re.I,
        ),
        5,
    ),
    # QuillPay Ltd ("QuillPay", "we")
    (
        re.compile(
            rf"\b({_NAME})(?:,?\s+{LEGAL})?\s*\(\s*(?:the\s+)?{_QUOTE}[^)]{{1,40}}?{_QUOTE}\s*,\s*{_QUOTE}?(?:we|us|our)\b",
            re.I,
        ),
        5,
    ),
    # you trust us (Acme, LLC) with your data / we (Acme Ltd) collect
    (re.compile(rf"\b(?:we|us)\s*\(\s*({_NAME}),?\s+{LEGAL}\s*\)", re.I), 5),
    # The controller is Acme GmbH, Street 8, Berlin / The data controller is Acme Ltd.
    (re.compile(rf"\b(?:data\s+)?controller\s+(?:for\s+[^.]{{1,60}}\s+)?is\s+({_NAME}),?\s+{LEGAL}", re.I), 5),
    # This notice describes how Acme, Inc., or Acme for short, collects
    (re.compile(rf"\b({_NAME}|[a-z][\w.-]{{1,30}}),?\s+{LEGAL},?\s+or\s+\W?\1\W?\s+for\s+short"), 6),
    # Your information is controlled by Acme Limited
    (re.compile(rf"\b(?:controlled|operated|owned|published|run)\s+by\s+({_NAME})"), 3),
    # … and Writeboard (together, "Acme") / (collectively "Acme")
    (re.compile(rf"\((?:together|collectively)\s*,?\s*{_QUOTE}({_NAME}){_QUOTE}\s*\)", re.I), 5),
    # At Acme, the privacy … / Welcome to Acme.
    (re.compile(rf"^(?:At|Welcome\s+to)\s+({_NAME})\s*[,.!]"), 4),
]
_DOC_TYPE = re.compile(
    r"\b(?:general\s+)?(?:privacy|data\s+protection|cookies?)\s+(?:policy|notice|statement|centre|center|"
    r"information)\b|\b(?:third[- ]party\s+)?sub-?processors?(?:\s+list)?\b|\blist\s+of\s+(?:sub-?processors|third"
    r"\s+parties)\b|\bthird\s+parties\b|\bterms\s+of\s+(?:use|service)\b|^\s*our\b|\bhow\s+we\s+use\s+your\s+data\b",
    re.I,
)
_TITLE_SPLIT = re.compile(r"\s+[|–—-]\s+|\s*[|:]\s+")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@((?:[\w-]+\.)+[a-z]{2,})\b", re.I)
# File and host words that never name a company.
_SOURCE_STOP = {
    "privacy", "policy", "policies", "notice", "statement", "archived", "archive", "subprocessors", "subprocessor",
    "sub", "processors", "processor", "third", "parties", "party", "html", "htm", "index", "legal", "terms",
    "cookie", "cookies", "page", "www", "com", "org", "net", "io", "dev", "app", "en", "us", "gb", "uk", "the",
    "data", "protection", "gdpr", "list", "general", "latest", "old", "new", "copy", "saved", "web", "site",
    "txt", "md", "rst", "erb", "mail", "email", "support", "help", "info", "contact", "hello", "team", "noreply",
    "gmail", "outlook", "yahoo", "hotmail", "dpo",
}  # fmt: skip


# A word or character each definition above needs, in the same order: a cheap test that spares most
# sentences the full patterns (they were a third of first-party time).
_DEFINITION_HINTS = [
    re.compile(h, re.I)
    for h in (
        _QUOTE, r"referred", r"referred|hereinafter", r"\(", r"\(", r"\(", r"controller", r"for\s+short",
        r"(?:controlled|operated|owned|published|run)\s+by\b", r"together|collectively", r"(?-i:\b(?:At|Welcome)\b)",
    )
]  # fmt: skip


def definition_votes(doc: Document) -> Iterator[Vote]:
    """Names that definitions and greetings give the company ('Acme Inc. ("we", "us")'), in text order."""
    found: list[tuple[int, int, int, Vote]] = []
    for i, ((pattern, weight), hint) in enumerate(zip(_DEFINITIONS, _DEFINITION_HINTS, strict=True)):
        hinted = {s.start: s for h in hint.finditer(doc.text) if (s := doc.sentence_at(h.start())) is not None}
        for s in hinted.values():
            for m in pattern.finditer(doc.text[s.start : s.end]):
                found.append((s.start, i, m.start(), Vote(m.group(1), weight, "definition", s.start, s.end)))
    for *_, vote in sorted(found, key=lambda x: x[:3]):
        yield vote


# "Acme is committed to …", "Acme Dev works with …": the company as the subject of its own practices.
_SUBJECT = re.compile(
    rf"({_NAME})[ \t]+(?:is|uses|use|retains|will|may|does|has|collects|processes|shares|stores|works|"
    r"respects|values|takes|believes|can|also|only|publishes|provides|offers|keeps|never|does)\b"
)


def subject_votes(doc: Document) -> Iterator[Vote]:
    """Names that open sentences as the subject of a practice."""
    for s in doc.sentences:
        m = _SUBJECT.match(doc.text, s.start, s.end)
        if m:
            yield Vote(m.group(1), 1, "subject", s.start, s.end)


def title_votes(doc: Document) -> Iterator[Vote]:
    """The site or company in the title: 'Acme Privacy Policy', 'Privacy Policy | Acme', 'Acme Subprocessors'."""
    for part in _TITLE_SPLIT.split(doc.title or ""):
        name = _DOC_TYPE.sub(" ", part)
        name = re.sub(r"\s+", " ", name).strip(" ,.;:-")
        if not name or len(name.split()) > 5:
            continue
        at = doc.text.find(name)
        if at < 0:
            continue  # only a name the text also uses, so that the vote has a sentence to cite
        s = doc.sentence_at(at)
        yield Vote(name, 4, "title", *(s.start, s.end) if s else (at, at + len(name)))


# A sentence about who runs the service, not about a supplier ("Invoices are issued with Ledgerly Ltd.").
_SELF_CONTEXT = re.compile(
    r"\b(?:we|us|our|controller|operat\w+|owned|owner|this\s+(?:policy|notice|statement|site|website)|registered|"
    r"company\s+(?:number|no)|trading\s+as)\b",
    re.I,
)
_LEGAL_NAME = re.compile(rf"\b({_NAME}|[a-z][\w.-]{{1,30}}),?[ \t]+{LEGAL}(?=[\s,;:)]|$)")


def legal_entity_votes(doc: Document) -> Iterator[Vote]:
    """Legal entities in the first part of the text, in a sentence about who runs the service ('This notice
    describes how npm, Inc. collects', 'The controller is Acme GmbH, Street 8, Berlin')."""
    head = doc.text[: max(3000, len(doc.text) // 8)]
    for m in _LEGAL_NAME.finditer(head):
        s = doc.sentence_at(m.start())
        if s is not None and _SELF_CONTEXT.search(doc.text, s.start, s.end):
            yield Vote(m.group(1), 1.5, "legal entity", s.start, s.end)


def _source_words(source: str) -> list[str]:
    """Name-like words of the source: a URL's host labels or a file's stem ('acme-cloud-privacy.html')."""
    if source.startswith(("http://", "https://")):
        host = (urlparse(source).hostname or "").removeprefix("www.")
        stem = host.rsplit(".", 1)[0] if "." in host else host
    else:
        stem = PurePosixPath(source.replace("\\", "/")).name.split(".")[0]
    words = [w for w in re.split(r"[-_.\s]+", stem.lower()) if w]
    return [w for w in words if w not in _SOURCE_STOP and re.fullmatch(r"[a-z][a-z0-9]*", w) and len(w) >= 2]


def _spelled(word: str) -> re.Pattern[str]:
    """A pattern for a compact name as a text may spell it: 'readthedocs' → 'Read the Docs', 'letsencrypt' →
    'Let’s Encrypt', 'govuknotify' → 'GOV.UK Notify'."""
    gap = r"(?:[\s.'’&-]{0,2})"
    return re.compile(r"(?<![\w.@/-])" + gap.join(map(re.escape, word)) + r"(?![\w@/-]|\.[a-z])", re.I)


def named_after(doc: Document, compact: str) -> tuple[str, int] | None:
    """The text's most frequent spelling of a compact name (capitalised spellings first) and where it is first."""
    if len(compact) < 2:
        return None
    found: dict[str, list[int]] = {}
    for m in _spelled(compact).finditer(doc.text):
        surface = m.group(0)
        if " " in surface and surface.split()[0].islower():
            continue  # "the docs" in running text is not "Read the Docs"
        found.setdefault(surface, []).append(m.start())
    if not found:
        return None
    best = max(found, key=lambda k: (len(found[k]) * (2 if any(c.isupper() for c in k) else 1), k))
    return best, found[best][0]


def source_votes(doc: Document) -> Iterator[Vote]:
    """Names the source and contact e-mail domains carry, as the text spells them."""
    words = _source_words(doc.source)
    tries = [("".join(words[:n]), "source name") for n in range(min(len(words), 3), 0, -1)]
    for m in _EMAIL.finditer(doc.text):
        labels = m.group(1).lower().split(".")[:-1]
        tries += [(w, "e-mail domain") for w in labels if w not in _SOURCE_STOP and len(w) >= 2]
    seen: set[tuple[str, str]] = set()
    for compact, reason in tries:
        if (compact, reason) in seen:
            continue
        seen.add((compact, reason))
        found = named_after(doc, compact)
        if found is None:
            continue
        surface, at = found
        s = doc.sentence_at(at)
        yield Vote(surface, 3 if reason == "source name" else 2, reason, *(s.start, s.end) if s else (at, at))
