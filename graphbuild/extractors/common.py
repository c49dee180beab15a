"""Helpers shared by extractors: negation, sentence iteration, context."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from functools import lru_cache

from graphbuild.model import Document, Section, Sentence

# Legal-form suffixes of company names ("Acme Inc.", "Acme Norge AS", "Acme sp. z o.o.").
LEGAL_SUFFIX = (
    r"(?:Inc|LLC|L\.L\.C|Ltd|Limited|Corp|Corporation|GmbH|AG|S\.?A|SAS|SARL|S\.r\.l|B\.?V|N\.?V|PLC|plc|AB|AS|A\.S|"
    r"Oy|OY|Pty|Pte|KK|SE|SIA|LLP|LP|ApS|sp\. z o\.o)\.?"
)

# "we do not sell", "will never share", "don't transfer", "neither … nor"; "not only" is not a negation, nor
# are disclaimers ("we are not responsible for the privacy policies of service providers", "we do not
# guarantee the absolute security").
_DISCLAIMER = r"(?!\s+(?:only|limited|just|responsible|liable|guarantee|warrant|control)\b)"
_NEGATION = re.compile(
    rf"\b(?:not{_DISCLAIMER}|never|no\s+longer|(?:don|doesn|won)['’]t{_DISCLAIMER}|cannot|can['’]t|neither|nor|without)\b",
    re.I,
)
# The user's own choice is not the company's practice: "if you do not wish to receive promotional emails".
_USER_CHOICE = re.compile(r"\b(?:if|when|where|whether|should|unless)\s+you(?:\s+\w+)?\s*$", re.I)
_CLAUSE_BREAK = re.compile(
    r"[;:]|,\s+(?:but|however|except|unless|apart from|other than)\b|\bexcept\b|\bunless\b|\bapart from\b|\bother than\b",  # noqa: E501 - a regex reads best on one line
    re.I,
)


def negated_before(text: str, start: int, at: int) -> bool:
    """True when a negation governs position ``at`` of ``text`` (searching back to ``start``
    within the same clause)."""
    window = text[start:at]
    breaks = list(_CLAUSE_BREAK.finditer(window))
    if breaks:
        window = window[breaks[-1].end() :]
    return any(not _USER_CHOICE.search(window[: m.start()]) for m in _NEGATION.finditer(window))


def sentences(doc: Document) -> Iterator[tuple[Sentence, str]]:
    """Each sentence with its text."""
    for s in doc.sentences:
        yield s, doc.text[s.start : s.end]


def heading_of(doc: Document, offset: int) -> str:
    """The heading of the innermost section containing ``offset`` ('' when none)."""
    section = doc.section_at(offset)
    return section.heading if section else ""


def lead_in(doc: Document, sentence: Sentence) -> str:
    """For a list item, the paragraph that introduces its list ('' otherwise)."""
    block = doc.blocks[sentence.block]
    if block.kind != "item":
        return ""
    i = sentence.block - 1
    while i >= 0 and doc.blocks[i].kind == "item":
        i -= 1
    if i >= 0 and doc.blocks[i].kind == "paragraph":
        prev = doc.blocks[i]
        return doc.text[prev.start : prev.end]
    return ""


# Conditions a practice depends on: "with your consent", "if required by law", "unless you opt out".
_CONDITION = re.compile(
    r"\b(?:with\s+your\s+(?:prior\s+|explicit\s+|express\s+)?(?:consent|permission)|"
    r"(?:if|where|when|as)\s+(?:required|permitted|authori[sz]ed|allowed)\s+by\s+(?:applicable\s+)?(?:law|laws|legislation)|"
    r"(?:if|where|when)\s+(?:we\s+are\s+)?(?:legally\s+)?required\s+to|unless\s+you\s+(?:opt[- ]out|object|withdraw)[^.;,]{0,30}|"  # noqa: E501 - a regex reads best on one line
    r"if\s+you\s+(?:have\s+)?(?:opt(?:ed)?[- ]in|agree[sd]?|consent(?:ed)?|choose|chose)[^.;,]{0,40}|"
    r"subject\s+to\s+your\s+(?:consent|preferences|settings))",
    re.I,
)


def condition_in(text: str) -> str | None:
    """The condition a sentence attaches to its practice, as worded ('with your consent')."""
    m = _CONDITION.search(text)
    return m.group(0).strip() if m else None


@lru_cache(maxsize=64)
def _parts(doc: Document) -> tuple[tuple[int, ...], tuple[Section, ...]]:
    """The largest sections that are at most half the document (disjoint, as sections nest), by start."""
    half = len(doc.text)
    fitting = sorted((s for s in doc.sections if (s.end - s.start) * 2 <= half), key=lambda s: (s.start, -s.end))
    parts: list[Section] = []
    for s in fitting:
        if parts and s.start < parts[-1].end:
            continue  # inside the part before it
        parts.append(s)
    return tuple(p.start for p in parts), tuple(parts)


def part_around(doc: Document, offset: int) -> Section | None:
    """The part of the policy around ``offset``: its largest enclosing section that is still at most half the
    document ("4. Data we gather from our chatbot" around "4.2 How we process the data gathered")."""
    starts, parts = _parts(doc)
    i = bisect_right(starts, offset) - 1
    return parts[i] if i >= 0 and parts[i].start <= offset < parts[i].end else None


# A transfer safeguard or the agreement that carries it, in any sentence ("under the Standard Contractual
# Clauses", "our Data Processing Addendum", "the Article 49(1)(b) derogation", "the Data Privacy Framework").
SAFEGUARD_MENTION = re.compile(
    r"\b(?:standard\s+contractual\s+clauses|SCCs?|data\s+processing\s+(?:addendum|addition|agreements?)|DPA|"
    r"binding\s+corporate\s+rules|adequacy|appropriate\s+safeguards|privacy\s+shield|data\s+privacy\s+framework|"
    r"derogation|article\s+4[5-9])\b",
    re.I,
)
# The policy denying it sells or shares data ("we do not sell your personal information", "we never share").
DENIAL_OF_SALE = re.compile(
    r"\b(?:do(?:es)?\s+not|don['’]t|doesn['’]t|never|will\s+not|won['’]t)\s+(?:\w+\s+){0,2}?"
    r"(?:sell|rent|trade|share|disclose)\b",
    re.I,
)


def sentences_matching(doc: Document, *patterns: re.Pattern[str]) -> set[int]:
    """Starts of the sentences where any of ``patterns`` matches, from one pass over the whole text each
    (much cheaper than searching every sentence when most hold no match)."""
    starts = [s.start for s in doc.sentences]
    found: set[int] = set()
    for pattern in patterns:
        for m in pattern.finditer(doc.text):
            # every sentence the match touches: a per-sentence search may find its own match in any of them
            first = max(0, bisect_right(starts, m.start()) - 1)
            last = max(first, bisect_right(starts, max(m.start(), m.end() - 1)) - 1)
            found.update(starts[first : last + 1])
    return found
