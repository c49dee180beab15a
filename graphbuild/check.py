"""Consistency checks of one policy: statements that contradict each other or leave out what the reader
needs, each with a reason code and the sentences involved.

Guards against false alarms (the trouble with naive contradiction finders): a denial and a statement only
conflict when they concern the same action ("we do not sell your e-mail" does not deny "we collect your
e-mail"), no different purpose ("not for advertising" vs "to send receipts") and the same people ("we do
not collect data from children" does not deny collecting data from users)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from graphbuild.extractors import extract
from graphbuild.extractors.common import DENIAL_OF_SALE, SAFEGUARD_MENTION, part_around
from graphbuild.knowledge.regions import needs_safeguard
from graphbuild.knowledge.taxonomy import taxonomy
from graphbuild.model import Document, Finding, Location, Retention, TermMention, VendorMention

CODES = {
    "stated-and-denied": "a practice is stated and denied for the same data",
    "no-sale-but-ad-partners": "selling or sharing is denied, yet advertising partners receive identifiers",
    "transfer-without-safeguard": "a named vendor in a third country, and no transfer safeguard is stated",
    "two-periods": "two different periods for the same data",
    "non-personal-identifiers": "'non-personal' information that includes identifiers",
    "data-without-purpose": "data collected with no purpose stated for it",
}
_ACTIONS = {
    "collect": r"collect\w*|gather\w*|obtain\w*|receiv\w+|ask\w*\s+for|request\w*",
    "sell": r"sell\w*|sold|rent\w*",
    "share": r"shar\w+|disclos\w+|transfer\w*|provid\w+\s+\w+\s+to|send\w*|pass\w*\s+on",
    "store": r"stor\w+|keep\w*|kept|retain\w*|hold\w*",
    "use": r"us(?:e|es|ed|ing)\b|process\w*|analy[sz]\w*",
}
_ACTION = {name: re.compile(rf"\b(?:{pattern})", re.I) for name, pattern in _ACTIONS.items()}
_FIRST_PERSON = re.compile(r"\b(?:we|us|our)\b", re.I)
_NEGATION = re.compile(r"\b(?:not|never|no|don['’]t|doesn['’]t|won['’]t|cannot|neither|nor)\b", re.I)
_EVENT = re.compile(
    r"\b(?:if|when|once|unless|until|upon|after\s+(?:you|your|the|we|account|cancel\w*|clos\w*|terminat\w*)|"
    r"cancel\w*|trash\w*|inactiv\w*|terminat\w*)\b",
    re.I,
)
_PURPOSE_WORDS = re.compile(
    r"\b(?:to\s+(?!the\b|a\b|an\b|our\b|your\b|us\b|you\b|third\b)\w+|in\s+order\s+to|so\s+(?:that|we|you)|for\s+the\s+purposes?)\b",
    re.I,
)
_UNLESS = re.compile(r"\b(?:without\s+your\s+(?:consent|permission)|unless|except)\b", re.I)
_LEAD_IN = re.compile(
    r"\bwe\s+(?:may\s+)?(?:collect|gather|obtain|receive|store)\w*\s*(?:the\s+following)?[^.]{0,40}:\s*$", re.I
)
_SUBJECTS = re.compile(
    r"\b(?:children|child|minors?|under\s+(?:the\s+age\s+of\s+)?\d{1,2}|kids|students|employees|job\s+applicants|candidates)\b",
    re.I,
)
_PURPOSE_CLAUSE = re.compile(
    r"\b(?:for|to)\s+(?:the\s+purposes?\s+of\s+)?(?:\w+\s+){0,3}(?:advertis\w+|marketing|profiling|analytics|research|training)\b",
    re.I,
)
_IDENTIFIERS = {"ip-address", "cookie-id", "advertising-id", "device-id", "fingerprint", "username"}
_NON_PERSONAL = re.compile(r"\bnon[- ]?personal(?:ly)?(?:[- ]identif\w+)?\s+(?:data|information)\b", re.I)
_EU_AUDIENCE = re.compile(
    r"\b(?:GDPR|General\s+Data\s+Protection\s+Regulation|European\s+(?:Economic\s+Area|Union)|EEA)\b", re.I
)


@dataclass(frozen=True)
class Issue:
    """One consistency finding: a reason code, what it is about, and the sentences involved."""

    code: str
    about: str
    first: str
    second: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        """The JSON form."""
        return {"code": self.code, "about": self.about, "first": self.first, "second": self.second}


def _actions(text: str) -> set[str]:
    return {name for name, pattern in _ACTION.items() if pattern.search(text)}


def _family(key: str) -> set[str]:
    """A data category with its ancestors and descendants (a denial of 'biometric data' covers fingerprints)."""
    terms = taxonomy("data_categories").terms
    up, node = {key}, terms.get(key)
    while node is not None and node.parent:
        up.add(node.parent)
        node = terms.get(node.parent)
    down = {k for k, t in terms.items() if t.parent == key}
    return up | down


def _acting_on(text: str, key: str, negated: bool, reach: int = 90) -> set[str]:
    """The actions a first-person clause takes on data ``key`` right before naming it: "we do not collect
    your phone number" → {collect} (negated), "we collect face scans" → {collect}; empty when the data is
    named some other way ("this policy does not cover information about end users")."""
    found: set[str] = set()
    for m in taxonomy("data_categories").find(text):
        if m.term.key != key:
            continue
        window = text[max(0, m.start - reach) : m.start]
        clause = re.split(r"[.;:]|\b(?:but|however|although|while)\b", window)[-1]
        if not _FIRST_PERSON.search(clause) or bool(_NEGATION.search(clause)) != negated:
            continue
        found |= _actions(clause)
    return found


def _stated_and_denied(data: list[TermMention]) -> list[Issue]:
    issues = []
    stated = [t for t in data if not t.negated]
    for denial in (t for t in data if t.negated):
        d_text = denial.evidence.quote
        d_actions = _acting_on(d_text, denial.key, negated=True)
        if not d_actions:
            continue
        # a denial with a purpose ("we do not use cookies to spy on you") denies that purpose only
        d_subject = bool(_SUBJECTS.search(d_text))
        d_purpose = _PURPOSE_WORDS.search(d_text) or _PURPOSE_CLAUSE.search(d_text) or _UNLESS.search(d_text)
        for s in stated:
            s_text = s.evidence.quote
            if s.key not in _family(denial.key) or s_text == d_text or _NEGATION.search(s_text):
                continue
            if not (d_actions & _acting_on(s_text, s.key, negated=False)):
                continue  # different action: "we never sell your e-mail" / "we collect your e-mail"
            s_purpose = _PURPOSE_CLAUSE.search(s_text) or _PURPOSE_WORDS.search(s_text)
            if d_subject != bool(_SUBJECTS.search(s_text)) or d_purpose or s_purpose:
                continue  # other people, or a purpose in either: not the same practice
            issues.append(Issue("stated-and-denied", denial.key, d_text, s_text))
            break
    return issues


def _no_sale_but_ad_partners(doc: Document, findings: list[Finding]) -> list[Issue]:
    denial = next(
        (doc.text[s.start : s.end] for s in doc.sentences if DENIAL_OF_SALE.search(doc.text, s.start, s.end)), None
    )
    if denial is None:
        return []
    for f in findings:
        if isinstance(f, TermMention) or f.negated:
            continue
        quote = f.evidence.quote
        ad = (isinstance(f, VendorMention) and f.category == "advertising") or "advertis" in quote.lower()
        if not ad or DENIAL_OF_SALE.search(quote):
            continue
        ids = {t.key for t in findings if isinstance(t, TermMention) and t.evidence.quote == quote and not t.negated}
        if ids & _IDENTIFIERS:
            return [Issue("no-sale-but-ad-partners", "advertising partners receive identifiers", denial.strip(), quote)]
    return []


def _transfer_without_safeguard(doc: Document, findings: list[Finding]) -> list[Issue]:
    if not _EU_AUDIENCE.search(doc.text) or SAFEGUARD_MENTION.search(doc.text):
        return []
    for f in findings:
        if isinstance(f, VendorMention) and not f.negated and f.country is not None and needs_safeguard(f.country):
            return [Issue("transfer-without-safeguard", f"{f.name} ({f.country})", f.evidence.quote)]
    for f in findings:
        if (
            isinstance(f, Location)
            and not f.negated
            and f.kind in ("storage", "transfer")
            and needs_safeguard(f.country)
        ):
            return [Issue("transfer-without-safeguard", f.country, f.evidence.quote)]
    return []


def _two_periods(findings: list[Finding]) -> list[Issue]:
    seen: dict[str, Retention] = {}
    issues = []
    for r in findings:
        if not isinstance(r, Retention) or r.negated or r.kind != "fixed" or not r.duration:
            continue
        for key in r.data_keys or ((r.data.lower(),) if r.data.lower() != "personal data" else ()):
            other = seen.get(key)
            if other is not None and other.duration != r.duration and other.evidence.quote != r.evidence.quote:
                if _EVENT.search(other.evidence.quote) or _EVENT.search(r.evidence.quote):
                    continue  # periods counted from events ("in the trash for 25 days", "after you cancel")
                issues.append(
                    Issue(
                        "two-periods",
                        f"{key}: {other.duration} and {r.duration}",
                        other.evidence.quote,
                        r.evidence.quote,
                    )
                )
                break
            seen.setdefault(key, r)
    return issues


def _non_personal_identifiers(doc: Document, findings: list[Finding]) -> list[Issue]:
    issues = []
    for t in findings:
        if isinstance(t, TermMention) and t.kind == "data_categories" and t.key in _IDENTIFIERS:
            if _NON_PERSONAL.search(t.evidence.quote) and not t.negated:
                issues.append(Issue("non-personal-identifiers", t.key, t.evidence.quote))
                break
    return issues


def _data_without_purpose(doc: Document, findings: list[Finding]) -> list[Issue]:
    """Data collected where neither its section nor the part of the policy around it states any purpose."""
    purposes = [f for f in findings if isinstance(f, TermMention) and f.kind == "purposes" and not f.negated]
    for t in findings:
        if not (isinstance(t, TermMention) and t.kind == "data_categories") or t.negated:
            continue
        # "we collect …" right before the data, in its sentence or in a list's lead-in ("We collect:")
        sentence = doc.sentence_at(t.evidence.start)
        lead = doc.text[max(0, (sentence.start if sentence else t.evidence.start) - 120) : t.evidence.start]
        acting = _acting_on(t.evidence.quote, t.key, negated=False, reach=40)
        if not (acting & {"collect", "store"}) and not _LEAD_IN.search(lead):
            continue
        if _PURPOSE_WORDS.search(t.evidence.quote):
            continue  # a purpose in words the taxonomy does not know ("to sync your contacts")
        spans = [(t.evidence.start, t.evidence.end)]
        section, part = doc.section_at(t.evidence.start), part_around(doc, t.evidence.start)
        spans += [(x.start, x.end) for x in (section, part) if x is not None]
        if not doc.sections:
            spans.append((0, len(doc.text)))
        if not any(lo <= p.evidence.start < hi for lo, hi in spans for p in purposes):
            return [Issue("data-without-purpose", t.key, t.evidence.quote)]
    return []


def check_document(doc: Document) -> list[Issue]:
    """Every consistency finding of one policy."""
    findings = extract(doc)
    data = [f for f in findings if isinstance(f, TermMention) and f.kind == "data_categories"]
    return [
        *_stated_and_denied(data),
        *_no_sale_but_ad_partners(doc, findings),
        *_transfer_without_safeguard(doc, findings),
        *_two_periods(findings),
        *_non_personal_identifiers(doc, findings),
        *_data_without_purpose(doc, findings),
    ]
