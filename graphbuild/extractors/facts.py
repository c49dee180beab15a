"""Single facts about a policy: children's age threshold, effective date, contacts and the DPO."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from graphbuild.extractors import register
from graphbuild.extractors.common import negated_before, sentences_matching
from graphbuild.model import ChildAge, Contact, Document, EffectiveDate

VERSION = "2"

_CHILD = re.compile(r"\b(?:child|children|children's|minors?|kids|teens?|teenagers?|young people|coppa)\b", re.I)
# "under the age of 13", "younger than 16", "13 years of age", "at least 18 years old", "under 13".
_AGE = re.compile(
    r"\b(?:(?:under|below|younger\s+than|less\s+than|over|at\s+least|older\s+than)\s+(?:the\s+age\s+of\s+)?|age\s+of\s+)"
    r"(?P<a>\d{1,2})\b|\b(?P<b>\d{1,2})\s+(?:years\s+of\s+age|years?\s+old|or\s+older|and\s+(?:over|older|under))",
    re.I,
)
_MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        1,
    )
}
_MON = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"  # noqa: E501 - a regex reads best on one line
_DATES = [
    re.compile(rf"\b{_MON}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)\b", re.I),
    re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MON},?\s+(?P<y>(?:19|20)\d\d)\b", re.I),
    re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<d>\d\d)\b"),
    re.compile(r"\b(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>(?:19|20)\d\d)\b"),
]
_EFFECTIVE = re.compile(r"\b(?:effective(?:\s+date|\s+as\s+of|\s+from|\s+on)?|in\s+effect\s+(?:as\s+of|from))\b", re.I)
_UPDATED = re.compile(
    r"\b(?:last\s+(?:updated|modified|revised|changed|amended|reviewed)|updated\s+(?:on|as\s+of)|revision\s+date|date\s+of\s+(?:last\s+)?(?:revision|update)|version\s+date)\b",
    re.I,
)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
_DPO = re.compile(r"\b(?:data\s+protection\s+officer|DPO)\b", re.I)
_STREET = re.compile(
    r"\b\d{1,5}[A-Za-z]?,?\s+(?:[A-Z][\w.'’-]*\s+){0,4}(?:Street|St\.|Avenue|Ave\.?|Road|Rd\.?|Boulevard|Blvd\.?|Lane|"
    r"Drive|Dr\.|Way|Place|Square|Parkway|Court|Plaza|Highway)(?:[^.;]|\.\s*(?=\d)|(?<=\b[A-Z])\.){0,120}"
    r"|\b[A-Z][\w'’-]*(?:strasse|straße|straat|gatan|gade|vej|weg|laan|allee|platz|plein)\s+\d{1,4}[a-z]?(?:[^.;]){0,100}",
)


_AT_SIGN = re.compile("@")


def _iso(m: re.Match[str]) -> str | None:
    groups = m.groupdict()
    month = groups.get("m")
    mon = _MONTHS_FROM_PREFIX(groups["mon"]) if groups.get("mon") else int(month) if month else 0
    try:
        return date(int(groups["y"]), mon, int(groups["d"])).isoformat()
    except ValueError:
        return None


def _MONTHS_FROM_PREFIX(text: str) -> int:  # noqa: N802 - reads like the table it wraps
    prefix = text.lower().rstrip(".")[:3]
    return next(n for name, n in _MONTHS.items() if name.startswith(prefix))


@register("children", VERSION)
def children(doc: Document) -> Iterator[ChildAge]:
    """The age threshold under which the policy says children may not use the service."""
    seen: set[int] = set()
    with_child = sentences_matching(doc, _CHILD)
    # "Our Service does not address anyone under the age of 13" under "Children's Privacy"
    child_parts = [(x.start, x.end) for x in doc.sections if _CHILD.search(x.heading)]
    with_age = sentences_matching(doc, _AGE)
    for s in doc.sentences:
        if s.start not in with_age:
            continue
        if s.start not in with_child and not any(a <= s.start < b for a, b in child_parts):
            continue
        text = doc.text[s.start : s.end]
        for m in _AGE.finditer(text):
            age = int(m.group("a") or m.group("b"))
            if 10 <= age <= 21 and age not in seen:
                seen.add(age)
                yield ChildAge(evidence=doc.evidence(s.start, s.end, "children", VERSION), age=age)


@register("dates", VERSION)
def dates(doc: Document) -> Iterator[EffectiveDate]:
    """The effective and last-updated dates, each from the first sentence that states it."""
    found: set[str] = set()
    cued = sentences_matching(doc, _EFFECTIVE, _UPDATED)
    for s in doc.sentences:
        if s.start not in cued:
            continue
        text = doc.text[s.start : s.end]
        for kind, cue in (("effective", _EFFECTIVE), ("updated", _UPDATED)):
            c = cue.search(text)
            if kind in found or not c:
                continue
            for pattern in _DATES:
                m = pattern.search(text, c.start())
                if m and m.start() - c.end() <= 40:
                    iso = _iso(m)
                    if iso:
                        found.add(kind)
                        yield EffectiveDate(
                            evidence=doc.evidence(s.start, s.end, "dates", VERSION), date=iso, kind=kind
                        )
                        break


@register("contacts", VERSION)
def contacts(doc: Document) -> Iterator[Contact]:
    """Contact e-mail addresses, the data protection officer and postal addresses."""
    seen: set[tuple[str, str]] = set()
    candidates = sentences_matching(doc, _DPO, _STREET, _AT_SIGN)  # most sentences hold no contact at all
    for s in doc.sentences:
        if s.start not in candidates:
            continue
        text = doc.text[s.start : s.end]
        ev = doc.evidence(s.start, s.end, "contacts", VERSION)
        dpo = _DPO.search(text)
        if dpo and not negated_before(text, 0, dpo.start()) and ("dpo", "") not in seen:
            seen.add(("dpo", ""))
            yield Contact(evidence=ev, kind="dpo", value=dpo.group(0))
        for m in _EMAIL.finditer(text):
            kind = "dpo-email" if dpo else "email"
            value = m.group(0).rstrip(".").lower()
            if (kind, value) not in seen and not value.endswith(("example.com", ".png", ".jpg", ".gif")):
                seen.add((kind, value))
                yield Contact(evidence=ev, kind=kind, value=value)
        for m in _STREET.finditer(text):
            value = " ".join(m.group(0).split()).rstrip(" ,")
            if ("address", value) not in seen:
                seen.add(("address", value))
                yield Contact(evidence=ev, kind="address", value=value)
