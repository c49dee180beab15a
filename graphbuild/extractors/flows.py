"""Data flows: join the findings of one part of a policy into practices (data → recipients → purpose,
retention, place), following the document's structure: heading → paragraph → list items."""

from __future__ import annotations

from collections.abc import Iterator

from graphbuild.model import DataFlow, Document, Finding, Location, Retention, Section, TermMention, VendorMention

NAME = "data_flows"
VERSION = "1"
# A section larger than this is a whole chapter, too coarse to say that its data reaches its recipients.
_MAX_SCOPE = 8000


def _scope(doc: Document, start: int, end: int) -> tuple[int, int]:
    """The span whose findings join a recipient statement: the largest enclosing section that is still
    one topic (≤ _MAX_SCOPE characters and at most half the document), else the statement itself."""
    best: Section | None = None
    for s in doc.sections:
        size = s.end - s.start
        if s.start <= start and end <= s.end and size <= _MAX_SCOPE and size * 2 <= len(doc.text):
            if best is None or size > best.end - best.start:
                best = s
    return (best.start, best.end) if best else (start, end)


def _unit(doc: Document, f: Finding) -> tuple[int, int]:
    """The statement a finding belongs to: its sentence, or for list items the lead-in with its whole list."""
    ev = f.evidence
    sentence = doc.sentence_at(ev.start)
    if sentence is None:
        return ev.start, ev.end
    i = sentence.block
    if doc.blocks[i].kind != "item":
        j = i
        while j + 1 < len(doc.blocks) and doc.blocks[j + 1].kind == "item":
            j += 1
        text = doc.text[sentence.start : sentence.end].rstrip()
        if j > i and text.endswith(":") and sentence.end >= doc.blocks[i].end - 1:
            return sentence.start, doc.blocks[j].end  # "processed by the following services:" + its list
        return sentence.start, sentence.end
    first = i
    while first > 0 and doc.blocks[first - 1].kind == "item":
        first -= 1
    last = i
    while last + 1 < len(doc.blocks) and doc.blocks[last + 1].kind == "item":
        last += 1
    if first > 0 and doc.blocks[first - 1].kind == "paragraph":
        lead = doc.blocks[first - 1]
        lead_sentence = doc.sentence_at(max(lead.start, lead.end - 2))
        return (lead_sentence.start if lead_sentence else lead.start), doc.blocks[last].end
    return sentence.start, sentence.end


def data_flows(doc: Document, findings: list[Finding]) -> Iterator[DataFlow]:
    """One flow per recipient statement that can be joined to data, a purpose or a retention period."""
    units: dict[tuple[int, int], list[Finding]] = {}
    for f in findings:
        named = isinstance(f, VendorMention) or (isinstance(f, TermMention) and f.kind == "recipients")
        if named and not f.negated:
            units.setdefault(_unit(doc, f), []).append(f)
    for (start, end), recipients in sorted(units.items()):
        lo, hi = _scope(doc, start, end)

        def inside(f: Finding, lo: int = lo, hi: int = hi) -> bool:
            return lo <= f.evidence.start and f.evidence.end <= hi and not f.negated

        terms = [f for f in findings if isinstance(f, TermMention) and inside(f)]
        data = sorted({t.key for t in terms if t.kind == "data_categories"})
        purposes = sorted({t.key for t in terms if t.kind == "purposes" and start <= t.evidence.start < end})
        retention = tuple(f for f in findings if isinstance(f, Retention) and inside(f))
        if not (data or purposes or retention):
            continue
        vendors = tuple(dict.fromkeys(f for f in recipients if isinstance(f, VendorMention)))
        categories = sorted({f.key for f in recipients if isinstance(f, TermMention)})
        countries = sorted(
            {
                f.country
                for f in findings
                if isinstance(f, Location) and f.kind in ("storage", "transfer") and start <= f.evidence.start < end
            }
        )
        yield DataFlow(
            evidence=doc.evidence(start, end, NAME, VERSION),
            data=tuple(data),
            recipients=vendors,
            recipient_categories=tuple(categories),
            purposes=tuple(purposes),
            retention=retention,
            countries=tuple(countries),
        )
