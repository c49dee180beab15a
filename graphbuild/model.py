"""Frozen data model: documents with offset-based structure, evidence and findings."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["heading", "paragraph", "item", "row"]


@dataclass(frozen=True)
class Block:
    """A structural unit of the text (heading, paragraph, list item or table row)."""

    kind: BlockKind
    start: int
    end: int
    level: int = 0  # heading level (1-6) or list depth
    cells: tuple[tuple[int, int], ...] = ()  # table row: cell spans into the text


@dataclass(frozen=True)
class Section:
    """A heading and the text under it, up to the next heading of the same or higher level."""

    heading: str
    level: int
    start: int
    end: int


@dataclass(frozen=True)
class Sentence:
    """A sentence as a span of the document text; it never crosses a block."""

    start: int
    end: int
    block: int  # index into Document.blocks


@dataclass(frozen=True)
class Link:
    """An outbound link: the span of its text and where it points."""

    start: int
    end: int
    href: str


# Compared and hashed by identity: extractors cache per-document work keyed on the document, and hashing
# every block, sentence and section for each look-up cost more than the work it saved.
@dataclass(frozen=True, eq=False)
class Document:
    """One policy: cleaned text plus its structure as character offsets into ``text``."""

    source: str
    text: str
    sha256: str
    title: str
    format: str
    encoding: str
    blocks: tuple[Block, ...] = ()
    sections: tuple[Section, ...] = ()
    sentences: tuple[Sentence, ...] = ()
    links: tuple[Link, ...] = ()
    company: str | None = None  # the first party as the user gave it (build --company, a manifest)
    url: str | None = None  # where the text was fetched from, when the source is a saved copy (a manifest)
    _sentence_starts: tuple[int, ...] = field(default=(), repr=False, compare=False)

    def sentence_text(self, sentence: Sentence) -> str:
        """The text of one sentence."""
        return self.text[sentence.start : sentence.end]

    def sentence_at(self, offset: int) -> Sentence | None:
        """The sentence that contains ``offset``, if any."""
        starts = self._sentence_starts or tuple(s.start for s in self.sentences)
        i = bisect_right(starts, offset) - 1
        if i >= 0 and self.sentences[i].start <= offset < self.sentences[i].end:
            return self.sentences[i]
        return None

    def section_at(self, offset: int) -> Section | None:
        """The innermost section whose span contains ``offset``."""
        best: Section | None = None
        for s in self.sections:
            if s.start <= offset < s.end and (best is None or s.level >= best.level):
                best = s
        return best

    def evidence(self, start: int, end: int, extractor: str, version: str) -> Evidence:
        """Evidence for ``text[start:end]``, quoting exactly that span."""
        return Evidence(self.sha256, self.source, start, end, self.text[start:end], extractor, version)


@dataclass(frozen=True)
class Evidence:
    """Where a fact is stated: a span of one document and the extractor that read it."""

    document_sha256: str
    source: str
    start: int
    end: int
    quote: str
    extractor: str
    version: str


@dataclass(frozen=True, kw_only=True)
class Finding:
    """A fact read from a document, always with its evidence."""

    evidence: Evidence
    negated: bool = False
    condition: str | None = None  # "with your consent", "if required by law"


@dataclass(frozen=True, kw_only=True)
class FirstParty(Finding):
    """The company the policy belongs to, with the legal entities it names."""

    name: str
    legal_entities: tuple[str, ...] = ()
    confidence: str = "high"  # high | low | given (named by the user)
    reasons: tuple[str, ...] = ()  # the signals that named it: "title", "definition", "source name" …


@dataclass(frozen=True, kw_only=True)
class VendorMention(Finding):
    """A named third party that receives or processes data."""

    name: str  # as named in the text
    org: str  # the organisation behind it (itself when it is a company)
    parent: str | None = None  # ultimate parent organisation, if any
    category: str = "other"
    kb_key: str | None = None
    country: str | None = None  # headquarters, from the knowledge base
    role: str = "recipient"  # processor | third-party | recipient


@dataclass(frozen=True, kw_only=True)
class Retention(Finding):
    """How long data is kept: a fixed ISO 8601 period or a condition."""

    duration: str | None  # e.g. "P6Y"; None when no fixed period
    kind: str  # fixed | until-event | indeterminate | endless
    data: str = "personal data"  # the data the period governs, as labelled ("e-mail address, IP address")
    data_keys: tuple[str, ...] = ()  # its data-category keys, when the data is named with taxonomy terms
    condition: str | None = None  # the event or wording, e.g. "after contract termination"


@dataclass(frozen=True, kw_only=True)
class Location(Finding):
    """A country where data is stored, transferred to, or where the company has an office."""

    country: str  # ISO 3166-1 alpha-2
    kind: str  # storage | transfer | office | operations
    safeguard: str | None = None


@dataclass(frozen=True, kw_only=True)
class TermMention(Finding):
    """A practice stated with a taxonomy term: a data category, purpose, legal basis, right or recipient."""

    kind: str  # the taxonomy: data_categories | purposes | legal_bases | rights | recipients
    key: str
    term: str  # CURIE, e.g. pd:EmailAddress


@dataclass(frozen=True, kw_only=True)
class ChildAge(Finding):
    """The age under which the service is not meant for children."""

    age: int


@dataclass(frozen=True, kw_only=True)
class EffectiveDate(Finding):
    """When the policy took effect or was last updated (ISO 8601 date)."""

    date: str
    kind: str  # effective | updated


@dataclass(frozen=True, kw_only=True)
class Contact(Finding):
    """A way to reach the company or its data protection officer."""

    kind: str  # email | dpo | dpo-email | address
    value: str


@dataclass(frozen=True, kw_only=True)
class DataFlow(Finding):
    """Data categories reaching recipients, for purposes, kept for a time, in places: one joined practice."""

    data: tuple[str, ...]  # data-category keys
    # how the data is known: "stated" in the clause, "referenced" (the clause says "your personal data" and the
    # part of the policy around it lists the data), "implied" by the stated purpose (implied_data.psv), "none"
    basis: str = "stated"
    recipients: tuple[VendorMention, ...]
    recipient_categories: tuple[str, ...] = ()
    purposes: tuple[str, ...] = ()
    retention: tuple[Retention, ...] = ()
    countries: tuple[str, ...] = ()


def check_evidence(doc: Document, evidence: Evidence) -> bool:
    """True when the evidence quotes ``doc.text`` exactly at its span."""
    return (
        evidence.document_sha256 == doc.sha256
        and 0 <= evidence.start <= evidence.end <= len(doc.text)
        and doc.text[evidence.start : evidence.end] == evidence.quote
    )
