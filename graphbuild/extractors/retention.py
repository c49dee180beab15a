"""Retention: fixed periods as ISO 8601 durations, and conditions without a period."""

from __future__ import annotations

import re
from collections.abc import Iterator

from graphbuild.extractors import register
from graphbuild.extractors.common import heading_of, negated_before
from graphbuild.extractors.retention_data import data_label
from graphbuild.model import Document, Retention

NAME = "retention"
VERSION = "3"

_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "eighteen": 18,
    "twenty": 20,
    "twenty-four": 24,
    "thirty": 30,
    "thirty-six": 36,
    "forty-five": 45,
    "sixty": 60,
    "ninety": 90,
    "hundred": 100,
}
_UNIT = {"year": "Y", "month": "M", "week": "W", "day": "D", "hour": "H"}
_PERIOD = re.compile(
    r"\b(?P<num>\d{1,4}(?:\.\d+)?|" + "|".join(sorted(_NUMBERS, key=len, reverse=True)) + r")"
    r"(?:\s*\(\d{1,4}\))?[\s-]*(?:full\s+|calendar\s+|business\s+|working\s+)?"
    r"(?P<unit>year|month|week|day|hour)s?\b",
    re.I,
)
# A sentence about keeping or deleting data ("we keep log data up to 4 weeks", "retention period … 6 years").
_CUE = re.compile(
    r"\b(?:retain\w*|retention|keep|keeps|kept|store[sd]?|storing|stored|hold|holds|held|delet\w+|eras\w+|purg\w+|"
    r"destroy\w*|anonymi[sz]\w+|archiv\w+|backups?|restore|preserv\w+|maintain\w*|remov\w+|temporarily|logs?)\b",
    re.I,
)
# Periods that are not retention: ages, response deadlines, notice periods, look-back windows.
_NOT_RETENTION_BEFORE = re.compile(
    r"(?:\b(?:under|over|aged?|at\s+least|older\s+than|younger\s+than|minimum|age\s+of|respond\w*|reply|"
    r"notice\s+of|notify\w*|past|preceding|previous|last|every|each|per|once\s+(?:a|every)|prior|advance)\s+"
    r"(?:the\s+)?(?:age\s+of\s+)?(?:up\s+to\s+)?)$",
    re.I,
)
_NOT_RETENTION_AFTER = re.compile(
    r"^\s*(?:of\s+age|old|or\s+older|and\s+(?:over|older)|notice|in\s+advance|prior)\b", re.I
)
_RESPONSE = re.compile(r"\b(?:respond|response|reply|answer|acknowledge|notify|notification|notice)\w*\b", re.I)
_REQUEST = re.compile(r"\brequests?\b|\bask\b", re.I)
_EVENT_AFTER = re.compile(
    r"^\s*(?:from|after|following|since|of)\s+(?:the\s+)?(?P<event>[^.;,()]{3,60}?)(?=[.;,()]|\s+(?:we|and|or|unless|it|in|to)\b|$)",
    re.I,
)
_UNTIL_EVENT = re.compile(
    r"\b(?:(?:for\s+)?as\s+long\s+as\s+(?:the\s+|your\s+|an?\s+)?(?:user\s+)?(?:account|subscription|contract|"
    r"agreement|relationship|membership|registration|customer)\b[^.;]{0,40}?\b(?:active|exists|open|valid|"
    r"in\s+force|maintain\w*|continu\w*|remains?)|until\s+(?:you|the\s+user|your\s+account|the\s+account|the\s+"
    r"end|termination|deletion|closure|you\s+(?:close|delete|cancel|withdraw|request))[^.;]{0,60}|for\s+the\s+"
    r"duration\s+of\s+(?:the\s+|your\s+|our\s+)?[^.;]{0,40})",
    re.I,
)
_INDETERMINATE = re.compile(
    r"\b(?:(?:for\s+)?(?:as\s+)?long\s+as\s+(?:(?:it\s+|is\s+|are\s+|we\s+)?(?:is\s+|are\s+)?(?:reasonably\s+|strictly\s+)?"
    r"(?:necessary|needed|required|useful|relevant)|we\s+(?:consider|deem|need|have\s+a\s+legitimate)\b[^.;]{0,40})|"
    r"no\s+longer\s+than\s+(?:is\s+)?(?:necessary|needed|required)|for\s+(?:a|the)\s+(?:period|time)\s+(?:necessary|"
    r"needed|required)|only\s+for\s+as\s+long\s+as)",
    re.I,
)
_ENDLESS = re.compile(
    r"\b(?:indefinitely|permanently|forever|for\s+an\s+(?:unlimited|indefinite)\s+(?:period|time))\b", re.I
)
_DATA = re.compile(
    r"\b(?:retain|keep|store|hold|preserve)s?\s+(?:your\s+|the\s+|all\s+|any\s+|such\s+)?(?P<d>[a-z][\w\s-]{2,40}?)\s+"
    r"(?:for|up\s+to|until|as\s+long|only|after|while|in)\b|\bretention\s+period\s+(?:for\s+|of\s+)?(?:your\s+|the\s+)?"
    r"(?P<d2>(?:data|information)[^.;]{0,50}?)\s+(?:to|is|at)\b",
    re.I,
)


def _iso(num: str, unit: str) -> str | None:
    value = _NUMBERS.get(num.lower()) if not num[0].isdigit() else float(num)
    if value is None or value <= 0:
        return None
    letter = _UNIT[unit.lower()]
    amount = int(value) if float(value).is_integer() else value
    return f"PT{amount}H" if letter == "H" else f"P{amount}{letter}"


def _event_after(rest: str) -> re.Match[str] | None:
    """The event a period runs from, read to a clause break or the sentence's end ("6 years from last event
    you have been registered"); a long one is cut at a word boundary rather than mid-word."""
    found = _EVENT_AFTER.match(rest)
    cut = rest.rfind(" ", 1, 70)
    if found is None and len(rest) > 70 and cut > 0:
        found = _EVENT_AFTER.match(rest[:cut])
    return found


_RETENTION_HEADING = re.compile(r"how long|retention", re.I)


def _under_retention_heading(doc: Document, block: int, offset: int) -> bool:
    """A list item or table row whose section heading is about keeping data."""
    if doc.blocks[block].kind not in ("item", "row"):
        return False
    heading = heading_of(doc, offset)
    return bool(_RETENTION_HEADING.search(heading) or _CUE.search(heading))


@register(NAME, VERSION)
def retention(doc: Document) -> Iterator[Retention]:
    """Retention statements: one finding per period or condition in a sentence about keeping data."""
    for s in doc.sentences:
        text = doc.text[s.start : s.end]
        # List items under "How long we keep it" state periods without a verb ("Crash reports: 90 days.").
        if not _CUE.search(text) and not _under_retention_heading(doc, s.block, s.start):
            continue
        evidence = doc.evidence(s.start, s.end, NAME, VERSION)
        periods = 0
        for m in _PERIOD.finditer(text):
            before, after = text[max(0, m.start() - 40) : m.start()], text[m.end() : m.end() + 40]
            if _NOT_RETENTION_BEFORE.search(before) or _NOT_RETENTION_AFTER.match(after):
                continue
            if _RESPONSE.search(text) and not re.search(r"retain|retention|keep|kept|stor|delet", text, re.I):
                continue
            if re.search(r"\bwithin\s+(?:the\s+)?$", before) and (_RESPONSE.search(text) or _REQUEST.search(text)):
                continue  # "we respond to deletion requests within 30 days" is a deadline, not retention
            if negated_before(text, 0, m.start()) and not re.search(
                r"no\s+longer\s+than|not\s+(?:more|longer)\s+than", text, re.I
            ):
                continue
            duration = _iso(m.group("num"), m.group("unit"))
            if not duration:
                continue
            event = _event_after(text[m.end() :])
            data, keys = data_label(doc, s, text, m.start())
            periods += 1
            # "4 weeks after contract termination": a period that starts at an event is an until-event duration
            yield Retention(
                evidence=evidence,
                duration=duration,
                kind="until-event" if event else "fixed",
                data=data,
                data_keys=keys,
                condition=(event.group(0).strip() if event else None),
            )
        if periods:
            continue
        for pattern, kind in ((_UNTIL_EVENT, "until-event"), (_ENDLESS, "endless"), (_INDETERMINATE, "indeterminate")):
            found = pattern.search(text)
            if found and not negated_before(text, 0, found.start()):
                data, keys = data_label(doc, s, text, found.start())
                yield Retention(
                    evidence=evidence,
                    duration=None,
                    kind=kind,
                    data=data,
                    data_keys=keys,
                    condition=found.group(0).strip(),
                )
                break
