"""Named vendors: knowledge-base names plus structural patterns for vendors outside it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from graphbuild.extractors import register
from graphbuild.extractors.common import LEGAL_SUFFIX, negated_before, sentences_matching
from graphbuild.extractors.first_party import first_party_names
from graphbuild.extractors.locations import country_names
from graphbuild.extractors.tables import column_roles
from graphbuild.extractors.vendor_shapes import (
    candidates,
    clean,
    example_spans,
    is_phrase,
    link_candidates,
    plausible,
)
from graphbuild.knowledge.vendors import KnowledgeBase, Vendor, knowledge_base, normalise_name
from graphbuild.model import Document, Sentence, VendorMention

NAME = "vendors"
VERSION = "5"

_LEGAL = LEGAL_SUFFIX
_CAP = r"[A-Z][\w&’'.-]*[\w]|[A-Z]"
# "Acme Analytics (Acme Corp.)": a product with its company in brackets.
_PRODUCT_COMPANY = re.compile(
    rf"\b((?:{_CAP})(?:\s+(?:{_CAP}))*)\s*\(\s*((?:{_CAP})(?:[\s,]+(?:{_CAP}|&))*?,?\s+{_LEGAL})\s*\)"
)
# "Acme Widgets Ltd." anywhere: a capitalised name with a legal suffix.
_LEGAL_NAME = re.compile(rf"(?<![\w.])((?:{_CAP})(?:\s+(?:{_CAP}|&))*?),?\s+({_LEGAL})(?=[\s,;:)]|$)")
# Browsers named in cookie instructions are not recipients ("in Google Chrome, click Settings").
_BROWSERS = re.compile(
    r"\b(?:Google\s+Chrome|Chrome(?!\s+(?:Web\s+Store|Extension))|Mozilla\s+Firefox|Firefox|Safari|Microsoft\s+Edge|Internet\s+Explorer|Opera|Brave)\b"
)
_VENDOR_CONTEXT = re.compile(
    r"\b(?:service|services|provider|providers|processor|processors|platform|tool|tools|app|software|vendor|"
    r"partner|partners|analytics|hosted|hosting|powered|privacy policy|third[- ]part(?:y|ies)|plugin|widget|sdk|api)\b",
    re.I,
)
# Names that carry a legal suffix pattern but are not vendors: laws, regulators, frameworks.
_NOT_VENDORS = {
    # legal forms written in capitals ("a California Nonprofit Public Benefit Corporation")
    "nonprofit",
    "non-profit",
    "privacy shield",
    "gdpr",
    "ccpa",
    "cpra",
    "ico",
    "european commission",
    "federal trade commission",
    "ftc",
    "data privacy framework",
    "european union",
    "eu",
    "united states",
    "united kingdom",
    "the company",
    "company",
    "privacy policy",
    "terms of service",
    "our",
    "we",
    "the",
    "this",
    "these",
    "your",
    "any",
    "all",
    "each",
}
# Sentences about the policy itself name no recipient: "You can view a history of the changes to our policies on
# GitHub", "subscribe to our Policies repository", "This policy is licensed under Creative Commons".
_ABOUT_THE_POLICY = re.compile(
    r"\b(?:history\s+of\s+(?:the\s+)?changes|change\s+history|(?:previous|prior|earlier|archived)\s+versions?|"
    r"repository|commits?|licen[cs]ed\s+under|creative\s+commons|adapted\s+from|(?:fork|edit)\s+(?:it|this)|"
    r"cop(?:y|ies)\s+of\s+this\s+(?:privacy\s+)?(?:policy|notice|statement))\b",
    re.I,
)
_FORMAT_AFTER = re.compile(r"\s+(?:formats?|files?|syntax|schema)\b", re.I)
_SHARING = re.compile(
    r"\b(?:shar(?:e|es|ed|ing)\b|disclos\w+|transfer\w*|sen[dt]s?|provid\w+|process\w*|receiv\w+|stor\w+)\b", re.I
)
# "… products built and maintained by Acme LLC including Basecamp, HEY, Highrise" / "our Services (like WooPay)":
# the first party's own products, listed.
_OWN_PRODUCTS = re.compile(
    r"\b(?:our\s+(?:other\s+)?(?:[A-Z][\w.]*\s+){0,2}(?:services?|products?|apps?|applications?|websites?|sites?|"
    r"brands?|offerings?)|(?:products?|services?|apps?|applications?|websites?|sites?)\s+(?:built|maintained|operated|"
    r"owned|offered|developed|run)(?:\s+and\s+\w+)?\s+by\s+(?P<by>us|\w[\w.&'’-]*(?-i:\s+[A-Z][\w.&'’-]*){0,3}))\b"
    r"[^.;]{0,12}?"
    r"(?:\(|,)?\s*(?:like|such\s+as|including|e\.g\.,?)\s",
    re.I,
)
_LIST_WORDS = ("like", "such as", "including", "e.g")
_SUPPLIERS = re.compile(r"\b(?:third[- ]part\w*|vendors?|providers?|partners?|processors?|powered\s+by)\b", re.I)
_NOT_BEFORE_NAME = {"the", "a", "an", "our", "by", "via", "with", "and", "or", "use", "using", "from", "to", "at", "on"}
_PARENT_COMPANY = re.compile(
    rf"\b({_CAP})(?:,\s+{_LEGAL})?,?\s+(?:[Aa]n?|[Pp]art\s+of)\s+({_CAP}(?:\s+{_CAP})*)(?:,?\s+{_LEGAL})?,?\s+[Cc]ompany\b|"
    rf"\b({_CAP})\s+\((?:now\s+)?(?:acquired\s+by|part\s+of|owned\s+by)\s+({_CAP}(?:\s+{_CAP})*)\)"
)
_PROCESSOR_CUES = re.compile(
    r"\b(?:processor|processed by|on (?:our|its) behalf|service providers?|sub-?processors?|hosted|hosting|provided by)\b",  # noqa: E501 - a regex reads best on one line
    re.I,
)
_THIRD_PARTY_CUES = re.compile(r"\b(?:sell|sold|third[- ]part(?:y|ies)|partners?|advertis\w+)\b", re.I)


def _role(text: str) -> str:
    if _PROCESSOR_CUES.search(text):
        return "processor"
    if _THIRD_PARTY_CUES.search(text):
        return "third-party"
    return "recipient"


def _self_keys(doc: Document) -> set[str]:
    keys = set()
    for name in first_party_names(doc):
        norm = normalise_name(name)
        keys.add(norm)
        if norm:
            keys.add(norm.split()[0])
    return keys


def _is_self(name: str, self_keys: set[str]) -> bool:
    norm = normalise_name(name)
    return bool(norm) and (norm in self_keys or norm.split()[0] in self_keys)


def _mention(doc: Document, s: Sentence, vendor: Vendor, name: str, kb: KnowledgeBase, negated: bool) -> VendorMention:
    org = kb.organisation(vendor)
    parent = kb.ultimate_parent(vendor)
    text = doc.text[s.start : s.end]
    return VendorMention(
        evidence=doc.evidence(s.start, s.end, NAME, VERSION),
        negated=negated,
        name=name,
        org=org.name,
        parent=parent.name if parent else None,
        category=vendor.category,
        kb_key=vendor.key,
        country=vendor.country,
        role=_role(text),
    )


@register(NAME, VERSION)
def vendors(doc: Document) -> Iterator[VendorMention]:
    """Every vendor mention, one per (sentence, vendor); negated sentences give negated mentions."""
    kb = knowledge_base()
    self_keys = _self_keys(doc)
    self_keys |= _own_product_keys(doc, self_keys)
    for s in doc.sentences:
        text = doc.text[s.start : s.end]
        if _ABOUT_THE_POLICY.search(text) and not _SHARING.search(text):
            continue
        browsers = [(m.start(), m.end()) for m in _BROWSERS.finditer(text)] + example_spans(text)
        browsers += _own_product_spans(text, self_keys)
        seen: set[str] = set()
        taken: list[tuple[int, int]] = []
        hits = list(kb.find(text))
        for a, b, vendor in hits:
            if any(a < y and x < b for x, y in browsers) or vendor.key in seen:
                continue
            if _is_self(text[a:b], self_keys) or normalise_name(vendor.name) in self_keys:
                continue  # the first party naming itself or its own products
            if vendor.needs_context and len(hits) < 2 and not _VENDOR_CONTEXT.search(text):
                continue
            if " " not in text[a:b] and _inside_longer_name(text, a):
                continue  # "Block" in "The Giving Block"
            seen.add(vendor.key)
            taken.append((a, b))
            yield _mention(doc, s, vendor, _display_name(text[a:b], vendor), kb, negated_before(text, 0, a))
        yield from _structural(doc, s, text, kb, self_keys, taken + browsers, seen)


def _own_product_spans(text: str, self_keys: set[str]) -> list[tuple[int, int]]:
    """Spans of lists of the first party's own products in a sentence (up to the closing bracket or its end);
    none in a sentence about suppliers ("vendors that help us provide our Services (like Stripe)")."""
    spans: list[tuple[int, int]] = []
    low = text.lower()
    if not any(w in low for w in _LIST_WORDS):
        return spans  # a cheap test first: most sentences list nothing
    for m in _OWN_PRODUCTS.finditer(text):
        by = m.group("by")
        if by and by.lower() != "us" and not _is_self(_strip_legal(by), self_keys):
            continue  # products built by someone else
        if _SUPPLIERS.search(text, 0, m.end()):
            continue  # suppliers named before the list: "vendors that help us provide our Services (like Stripe)"
        close = text.find(")", m.end()) if "(" in m.group(0) else -1
        spans.append((m.end(), close if close > 0 else len(text)))
    return spans


def _own_product_keys(doc: Document, self_keys: set[str]) -> set[str]:
    """Names in the first party's lists of its own products: they are itself wherever the policy names them
    ("connect your Gmail account to your HEY account")."""
    keys: set[str] = set()
    for s in doc.sentences:
        text = doc.text[s.start : s.end]
        for a, b in _own_product_spans(text, self_keys):
            listed = re.sub(r"\([^)]*\)", "", text[a:b])
            for part in re.split(r",|;|\band\b|\bor\b", listed):
                name = part.strip(" .")
                if name and name[0].isupper() and len(name.split()) <= 4:
                    keys.add(normalise_name(name))
    return keys


def _inside_longer_name(text: str, at: int) -> bool:
    """True when the capitalised word before ``at`` continues a name ("Giving" before "Block")."""
    before = re.search(r"([A-Z][\w&'’.-]*)[ \t]+$", text[:at])
    if before is None or before.group(1).lower() in _NOT_BEFORE_NAME:
        return False
    return bool(text[: before.start()].strip())  # the sentence's first word is capitalised anyway


def _in_self_domain(host: str, self_keys: set[str]) -> bool:
    """A link to the first party's own site ('acme.com' for Acme)."""
    labels = set(host.split("."))
    return any(key.replace(" ", "") in labels for key in self_keys if key)


def _display_name(found: str, vendor: Vendor) -> str:
    """The vendor as named, in the knowledge base's spelling when the text only differs in case."""
    if found.casefold() == vendor.name.casefold():
        return vendor.name
    return found if not found.islower() and not found.isupper() else vendor.name


@lru_cache(maxsize=64)
def _shaped(doc: Document) -> tuple[frozenset[int], frozenset[int]]:
    """The sentences where "Product (Company Ltd)" and legal names can match, found in one pass each."""
    return (
        frozenset(sentences_matching(doc, _PRODUCT_COMPANY)),
        frozenset(sentences_matching(doc, _LEGAL_NAME)),
    )


def _structural(
    doc: Document,
    s: Sentence,
    text: str,
    kb: KnowledgeBase,
    self_keys: set[str],
    taken: list[tuple[int, int]],
    seen: set[str],
) -> Iterator[VendorMention]:
    """Vendors outside the knowledge base, found by their shape."""
    found: dict[str, tuple[str, str, int]] = {}
    for m in _PRODUCT_COMPANY.finditer(text) if s.start in _shaped(doc)[0] else ():
        product, company = m.group(1).strip(), m.group(2).strip()
        found.setdefault(normalise_name(product), (product, _strip_legal(company), m.start(1)))
    orgs = {normalise_name(org) for _, org, _ in found.values()}
    owners: dict[str, str] = {}  # "Assembla, an Idera, Inc. company": Assembla is Idera's, not two vendors
    for m in _PARENT_COMPANY.finditer(text) if "ompany" in text or "(" in text else ():
        child, parent = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        owners[normalise_name(child)] = _strip_legal(parent)
    parents = {normalise_name(p) for p in owners.values()}
    for m in _LEGAL_NAME.finditer(text) if s.start in _shaped(doc)[1] else ():
        company = _strip_legal(re.sub(r"^(?:The|An?)\s+", "", m.group(1)) + " " + m.group(2))
        if normalise_name(company) in orgs or normalise_name(company) in parents:
            continue  # the company of "Product (Company Oy)", already recorded as its organisation
        found.setdefault(normalise_name(company), (company, company, m.start(1)))
    countries = country_names()
    for a, b, raw, host in link_candidates(doc, s, text):
        if _FORMAT_AFTER.match(text, b):
            continue
        name = clean(raw)
        linked = kb.by_domain(host)
        if (
            linked is None
            or linked.key in seen
            or any(x <= a < y for x, y in taken)
            or _is_self(linked.name, self_keys)
        ):
            if (
                linked is None
                and name
                and plausible(name, countries)
                and not _is_self(name, self_keys)
                and not _in_self_domain(host, self_keys)
            ):
                found.setdefault(normalise_name(name), (name, _strip_legal(name), a))
            continue
        seen.add(linked.key)  # the policy links to the vendor's own site: the domain names it
        shown = name if name and kb.lookup(name) is linked else linked.name
        yield _mention(doc, s, linked, shown, kb, negated_before(text, 0, a))
    for a, b, raw in candidates(doc, s, text):
        name = clean(raw)
        if not name or any(x <= a < y for x, y in taken) or _BROWSERS.fullmatch(name):
            continue
        if _FORMAT_AFTER.match(text, b):  # "metadata in standard JSON format": a file format, not a company
            continue
        known = kb.lookup(name)
        if known is not None and known.key not in seen and not _is_self(name, self_keys):
            # a knowledge-base name the first pass left for want of context: the table or list is the context
            seen.add(known.key)
            yield _mention(doc, s, known, _display_name(name, known), kb, negated_before(text, 0, a))
        elif known is None and plausible(name, countries):
            found.setdefault(normalise_name(name), (name, _strip_legal(name), a))
    for key, owner in owners.items():
        if key in found:
            found[key] = (found[key][0], owner, found[key][2])
    for key, (name, org, at) in found.items():
        if not key or key in _NOT_VENDORS or _is_self(name, self_keys) or _is_self(org, self_keys):
            continue
        if any(at <= y and x <= at + len(name) for x, y in taken):
            continue  # already matched as a knowledge-base vendor
        if kb.lookup(name) or kb.lookup(org):
            continue  # known vendors are found by the knowledge-base pass
        if is_phrase(name, doc):
            continue  # "Business Operations" where the text also says "business" and "operations"
        if len(key) < 3 or key.split()[0] in _NOT_VENDORS:
            continue
        if key in seen:
            continue
        seen.add(key)
        yield VendorMention(
            evidence=doc.evidence(s.start, s.end, NAME, VERSION),
            negated=negated_before(text, 0, at),
            name=name,
            org=org,
            category=_category_from_context(_purpose_text(doc, s, text)),
            role=_role(text),
        )


def _purpose_text(doc: Document, s: Sentence, text: str) -> str:
    """What says what a vendor does: a table's purpose column, else the sentence."""
    block = doc.blocks[s.block]
    roles = column_roles(doc, s.block) if block.kind == "row" else {}
    if "purpose" in roles and roles["purpose"] < len(block.cells):
        a, b = block.cells[roles["purpose"]]
        return doc.text[a:b]
    return text


def _strip_legal(name: str) -> str:
    return re.sub(rf",?\s+{_LEGAL}$", "", name.strip()).strip(" ,")


_CATEGORY_CUES = [
    ("analytics", r"analytic|statistic|measure|heat ?map|session record"),
    ("advertising", r"advertis|marketing|remarketing|retarget|\bads?\b"),
    ("payments", r"payment|billing|checkout|card|invoice"),
    ("hosting", r"host|cloud|server|storage|infrastructure|data cent"),
    ("email", r"e-?mail|newsletter"),
    ("support", r"support|help ?desk|chat|ticket|survey"),
    ("crm", r"\bcrm\b|customer relationship|sales"),
    ("communication", r"\bsms\b|messag|call|video|conferenc|telephon"),
    ("security", r"fraud|security|identity|verification|captcha"),
    ("ai", r"artificial intelligence|\bai\b|machine learning|language model"),
]


def _category_from_context(text: str) -> str:
    low = text.lower()
    for category, cue in _CATEGORY_CUES:
        if re.search(cue, low):
            return category
    return "other"
