"""Data flows at the level of the clause: a data category reaches a recipient when the same sentence, list
item (with its lead-in), table row, a paragraph about that one recipient, or a section headed by the
recipient's name connects them. A section heading alone is not a connection. When the clause states a
purpose but no data ("Transactional email service."), the data the purpose implies is joined, marked implied."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator, Sequence

from graphbuild.extractors.common import negated_before, part_around
from graphbuild.knowledge.implied import implied_data
from graphbuild.knowledge.vendors import normalise_name
from graphbuild.model import DataFlow, Document, Finding, Location, Retention, TermMention, VendorMention

NAME = "data_flows"
VERSION = "3"
# A section headed by a vendor's name longer than this is a chapter, not a note about that vendor.
_MAX_VENDOR_SECTION = 3000
# A sentence that goes on about the recipient of the one before: "It collects …", "This service uses …".
_ANAPHORA = ("it ", "they ", "this ", "these ", "such ", "its ", "their ", "the service", "the information", "the data")

# Data named only in general ("your personal data", "all the information gathered via chatbot", "this data"):
# it refers to the data the same part of the policy lists ("4.1 We collect the following categories of data").
_GENERIC_DATA = re.compile(
    r"\b(?:personal\s+(?:data|information)|(?:your|user|users['’]?|customer|customers['’]?)\s+(?:data|information)|"
    r"(?:the|this|that|such|these|all(?:\s+the)?)\s+(?:data|information)(?:\s+(?:gathered|collected|provided|"
    r"submitted|received|described|listed|above))?|(?:data|information)\s+(?:we|that\s+we)\s+(?:collect|gather|"
    r"receive|process))\b",
    re.I,
)

# A clause that hosts or stores data in general ("for the purpose of hosting your data") concerns all the data the
# policy collects; any other general reference ("may access some of your personal data") only the data of its part.
_HOSTING = re.compile(
    r"(?<!self-)\b(?:host(?:s|ed|ing)?|cloud|infrastructure|data\s+cent(?:er|re)s?|stor(?:e|es|ed|age))\b", re.I
)

# A vendor's role in parentheses after its name, or after a run of names it shares with others, in a sentence that
# lists several: "Amazon Web Services (hosting services), Mailchimp (email and newsletters), A and B (social logins)".
_NAME_WORDS = r"(?:\s+[A-Z][\w.&'’-]*){0,3}"
_ROLE_AFTER = re.compile(
    rf"{_NAME_WORDS}(?:\s*(?:,|and|&)\s*[A-Z][\w.&'’-]*{_NAME_WORDS})*\s*\(([^()]{{2,80}}?)(?:\)|,)"
)

# "Skype (Privacy Policy)", "Gitlab (list here)", "(https://…)": a link to read, not the vendor's role.
_NOT_A_ROLE = re.compile(r"\b(?:privacy|policy|notice|terms|here|see|https?|www)\b", re.I)

Span = tuple[int, int]
# A clause: the span that names the recipient (its evidence) first, then spans that introduce it (a lead-in).
Unit = tuple[Span, ...]


def _block_span(doc: Document, i: int) -> Span:
    return doc.blocks[i].start, doc.blocks[i].end


def _list_after(doc: Document, i: int) -> int:
    """Index of the last list item right after block ``i`` (``i`` itself when none follows)."""
    j = i
    while j + 1 < len(doc.blocks) and doc.blocks[j + 1].kind == "item":
        j += 1
    return j


def _item_unit(doc: Document, i: int) -> list[Span]:
    """A list item with the lead-in sentence that introduces its list ("… shared with the following:")."""
    first = i
    while first > 0 and doc.blocks[first - 1].kind == "item":
        first -= 1
    spans = [_block_span(doc, i)]
    if first > 0 and doc.blocks[first - 1].kind == "paragraph":
        lead = doc.blocks[first - 1]
        sentence = doc.sentence_at(max(lead.start, lead.end - 2))
        spans.append((sentence.start, sentence.end) if sentence else (lead.start, lead.end))
    return spans


class _Units:
    """Which clause each recipient mention belongs to, given how many recipients each paragraph names."""

    def __init__(self, doc: Document, recipients: Sequence[Finding]) -> None:
        self.doc = doc
        orgs: dict[int, set[str]] = {}
        for f in recipients:
            s = doc.sentence_at(f.evidence.start)
            if s is not None:
                label = normalise_name(f.org) if isinstance(f, VendorMention) else f"category:{f.evidence.start}"
                orgs.setdefault(s.block, set()).add(label)
        self.orgs_in_block = orgs
        # A vendor's role note, with the paragraph it sits in ("6.1 We may share your personal data. In
        # particular, A (hosting), B (e-mail)"): the paragraph says which data is shared, the note with whom.
        self.roles: dict[Span, Span] = {}
        # Short sections by their heading as a name, to find a vendor's own section in one look-up.
        self.headed: dict[str, list[Span]] = {}
        for x in doc.sections:
            if x.end - x.start <= _MAX_VENDOR_SECTION:
                self.headed.setdefault(normalise_name(x.heading), []).append((x.start, x.end))

    def _vendor_section(self, m: VendorMention) -> Span | None:
        """The section headed by the vendor's own name ("Stripe" above "We partner with Stripe to …")."""
        at = m.evidence.start
        for key in (normalise_name(m.name), normalise_name(m.org)):
            for a, b in self.headed.get(key, ()):
                if a <= at < b:
                    return a, b
        return None

    def units(self, f: Finding) -> list[Unit]:
        """The clauses that connect recipient ``f`` with data (one or two: its own and its vendor section)."""
        doc = self.doc
        s = doc.sentence_at(f.evidence.start)
        if s is None:
            return [((f.evidence.start, f.evidence.end),)]
        block = doc.blocks[s.block]
        found: list[Unit] = []
        if isinstance(f, VendorMention):
            section = self._vendor_section(f)
            if section:
                found.append((section,))
        role = self._role(f, s.block) if isinstance(f, VendorMention) and block.kind != "row" else None
        if role is not None:
            self.roles[role] = (block.start, block.end)
            found.append((role,))
        elif block.kind == "row":
            found.append((_block_span(doc, s.block),))
        elif block.kind == "item":
            found.append(tuple(_item_unit(doc, s.block)))
        elif block.kind == "heading":
            pass  # a heading alone connects nothing; its vendor section above does
        elif doc.text[s.start : s.end].rstrip().endswith(":") and _list_after(doc, s.block) > s.block:
            found.append(((s.start, doc.blocks[_list_after(doc, s.block)].end),))  # "… shared with X:" + its list
        elif len(self.orgs_in_block.get(s.block, ())) == 1 and isinstance(f, VendorMention):
            found.append((_block_span(doc, s.block),))  # a paragraph about this one recipient
        else:
            found.append(((s.start, self._with_anaphora(s.end, block.end)),))
        return found

    def _role(self, m: VendorMention, block: int) -> Span | None:
        """The vendor's name with the role in parentheses that follows it, when its paragraph names several."""
        if len(self.orgs_in_block.get(block, ())) < 2:
            return None
        text, (start, end) = self.doc.text, (m.evidence.start, m.evidence.end)
        named = re.search(rf"(?<!\w){re.escape(m.name)}(?!\w)", text[start:end])
        if named is None:
            return None
        match = _ROLE_AFTER.match(text, start + named.end(), end)
        if match is None or _NOT_A_ROLE.search(match.group(1)):
            return None
        return start + named.start(), match.end()

    def _with_anaphora(self, end: int, block_end: int) -> int:
        """Extend a sentence by the next one when that one goes on about the same recipient ("It …")."""
        nxt = self.doc.sentence_at(end + 1) if end + 1 < block_end else None
        if nxt is not None and nxt.end <= block_end:
            head = self.doc.text[nxt.start : nxt.start + 20].lower()
            if head.startswith(_ANAPHORA):
                return nxt.end
        return end


class _Index:
    """Findings sorted by where they start, for the findings inside a span in logarithmic time; what a whole
    part of the policy holds is worked out once per part (many clauses share one part)."""

    def __init__(self, findings: list[Finding]) -> None:
        self.items = sorted(findings, key=lambda f: (f.evidence.start, f.evidence.end))
        self.starts = [f.evidence.start for f in self.items]
        self._data: dict[Span, list[str]] = {}
        self._by_key: dict[Span, dict[str, list[Retention]]] = {}

    def data_between(self, lo: int, hi: int) -> list[str]:
        """Data-category keys named in ``[lo, hi)``, sorted (memoised per span)."""
        if (lo, hi) not in self._data:
            found = {t.key for t in self.inside(lo, hi) if isinstance(t, TermMention) and t.kind == "data_categories"}
            self._data[(lo, hi)] = sorted(found)
        return self._data[(lo, hi)]

    def periods_by_data(self, lo: int, hi: int) -> dict[str, list[Retention]]:
        """Retention periods in ``[lo, hi)`` by the data keys they govern (memoised per span)."""
        if (lo, hi) not in self._by_key:
            by_key: dict[str, list[Retention]] = {}
            for r in self.inside(lo, hi):
                if isinstance(r, Retention):
                    for key in r.data_keys:
                        by_key.setdefault(key, []).append(r)
            self._by_key[(lo, hi)] = by_key
        return self._by_key[(lo, hi)]

    def inside(self, start: int, end: int) -> Iterator[Finding]:
        for i in range(bisect_left(self.starts, start), bisect_left(self.starts, end)):
            f = self.items[i]
            if f.evidence.end <= end and not f.negated:
                yield f


def data_flows(doc: Document, findings: list[Finding]) -> Iterator[DataFlow]:
    """One flow per clause and kind of recipient (named vendors apart from unnamed categories)."""
    recipients = [
        f
        for f in findings
        if not f.negated and (isinstance(f, VendorMention) or (isinstance(f, TermMention) and f.kind == "recipients"))
    ]
    units = _Units(doc, recipients)
    by_unit: dict[Unit, list[Finding]] = {}
    for f in recipients:
        for unit in units.units(f):
            by_unit.setdefault(unit, []).append(f)
    terms = _Index([f for f in findings if isinstance(f, TermMention) and f.kind in ("data_categories", "purposes")])
    periods = _Index([f for f in findings if isinstance(f, Retention)])
    places = _Index([f for f in findings if isinstance(f, Location) and f.kind in ("storage", "transfer")])
    for unit, found in sorted(by_unit.items()):
        (start, end) = unit[0]
        inside = [t for a, b in unit for t in terms.inside(a, b) if isinstance(t, TermMention)]
        data = sorted({t.key for t in inside if t.kind == "data_categories"})
        basis = "stated"
        implied = () if data else implied_data(" ".join(doc.text[a:b] for a, b in unit))
        if implied:
            data, basis = list(implied), "implied"
        elif not data and any(_refers_to_data(doc, *units.roles.get((a, b), (a, b))) for a, b in unit):
            data, basis = _referenced(doc, terms, unit), "referenced"
        purposes = sorted({t.key for t in inside if t.kind == "purposes"})
        retention = _retention_of(doc, periods, unit, data)
        countries = sorted({p.country for a, b in unit for p in places.inside(a, b) if isinstance(p, Location)})
        vendors = tuple(dict.fromkeys(f for f in found if isinstance(f, VendorMention)))
        categories = tuple(sorted({f.key for f in found if isinstance(f, TermMention)}))
        evidence = doc.evidence(start, end, NAME, VERSION)
        for named, unnamed in ((vendors, ()), ((), categories)):
            if not (named or unnamed) or not (data or purposes or retention):
                continue
            yield DataFlow(
                evidence=evidence,
                data=tuple(data),
                basis=basis if data else "none",
                recipients=named,
                recipient_categories=unnamed,
                purposes=tuple(purposes),
                retention=retention,
                countries=tuple(countries),
            )


def _refers_to_data(doc: Document, start: int, end: int) -> bool:
    """True when ``[start, end)`` names data in general, outside a negation ("we do not sell your data")."""
    for m in _GENERIC_DATA.finditer(doc.text, start, end):
        s = doc.sentence_at(m.start())
        if not negated_before(doc.text, s.start if s else start, m.start()):
            return True
    return False


def _referenced(doc: Document, terms: _Index, unit: Unit) -> list[str]:
    """The data a general reference in ``unit`` points to: what the part of the policy around it lists, else,
    when the clause hosts or stores data, what the whole policy lists."""
    start = unit[0][0]
    part = part_around(doc, start)
    spans = [(part.start, part.end)] if part else []
    if any(_HOSTING.search(doc.text, a, b) for a, b in unit):
        spans.append((0, len(doc.text)))
    for lo, hi in spans:
        data = terms.data_between(lo, hi)
        if data:
            return list(data)
    return []


def _retention_of(doc: Document, periods: _Index, unit: Unit, data: list[str]) -> tuple[Retention, ...]:
    """Periods stated in the clause, and periods of the same part of the policy that govern the same data
    ("We keep this data for 6 years" under "Contact forms", whose form fields the clause shares)."""
    found = [r for a, b in unit for r in periods.inside(a, b) if isinstance(r, Retention)]
    part = part_around(doc, unit[0][0])
    if part is not None:
        by_key = periods.periods_by_data(part.start, part.end)
        shared = {id(r): r for key in data for r in by_key.get(key, ())}
        found += sorted(shared.values(), key=lambda r: (r.evidence.start, r.evidence.end))
    return tuple(dict.fromkeys(found))
