"""The pieces every graph writer shares: IRIs of documents, companies and vendors, a quad collector for
one named graph, and the compact provenance writer."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad

from graphbuild.model import Document, Evidence, VendorMention
from graphbuild.vocab import ID, PROV

_DERIVED = str(PROV.wasDerivedFrom)


def slug(text: str) -> str:
    """A readable, stable IRI segment for a name."""
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return s[:60] or hashlib.sha1(text.encode()).hexdigest()[:12]


def source_id(source: str) -> str:
    """A stable identity for a source: the URL, or the absolute file path."""
    if source.startswith(("http://", "https://")):
        return source
    try:
        path = Path(source).resolve()
    except (OSError, RuntimeError):  # a symlink loop: the path as given, made absolute
        path = Path(os.path.abspath(source))
    # as_uri percent-encodes the file system's bytes, so a name that is not UTF-8 ("x\xff.txt") stays exact
    return path.as_uri()


def document_iri(source: str) -> str:
    """The IRI of a document, which also names its graph (rebuilding the source replaces it)."""
    return f"{ID}doc/{hashlib.sha1(source_id(source).encode('utf-8', 'surrogateescape')).hexdigest()[:20]}"


def org_iri(name: str) -> str:
    """IRI of a company named in a policy."""
    return f"{ID}org/{slug(name)}"


def vendor_iri(key: str) -> str:
    """IRI of a vendor or organisation (knowledge-base key or slug of its name)."""
    return f"{ID}vendor/{key}"


class Graph:
    """Collects quads for one named graph, without duplicates, in insertion order."""

    def __init__(self, graph: str) -> None:
        self.graph = NamedNode(graph)
        self.quads: dict[Quad, None] = {}
        self._nodes: dict[str, NamedNode] = {}  # one NamedNode per IRI: building them is the hot path

    def node(self, iri: str) -> NamedNode:
        """The NamedNode for an IRI (made once per graph)."""
        found = self._nodes.get(iri)
        if found is None:
            found = self._nodes[iri] = NamedNode(iri)
        return found

    def add(self, s: str, p: str, o: str | Literal) -> None:
        """Add one quad; ``o`` is an IRI unless it is a Literal."""
        nodes = self._nodes
        obj = o if isinstance(o, Literal) else (nodes.get(o) or self.node(o))
        self.quads[Quad(nodes.get(s) or self.node(s), nodes.get(p) or self.node(p), obj, self.graph)] = None

    def text(self, s: str, p: str, value: str) -> None:
        """Add one quad whose object is a plain string literal."""
        nodes = self._nodes
        self.quads[Quad(nodes.get(s) or self.node(s), nodes.get(p) or self.node(p), Literal(value), self.graph)] = None


def mention_iri(m: VendorMention) -> str:
    """The IRI a vendor mention resolves to."""
    return vendor_iri(m.kb_key) if m.kb_key else vendor_iri(slug(m.name))


def span_iri(doc_iri: str, start: int, end: int) -> str:
    """The IRI of a span of a document's text: an RFC 5147 fragment (``#char=start,end``, character offsets)."""
    return f"{doc_iri}#char={start},{end}"


def span_offsets(iri: str) -> tuple[int, int] | None:
    """The character offsets an evidence IRI names, or None when it names no span."""
    m = re.search(r"#char=(\d+),(\d+)$", iri)
    return (int(m.group(1)), int(m.group(2))) if m else None


def fact_iri(doc_iri: str, extractor: str, local: str) -> str:
    """The IRI of a fact read from a document: ``<document>#<extractor>/<local>``, so that the IRI itself says
    which extractor read it (the store keeps no extractor triple per fact)."""
    return f"{doc_iri}#{extractor}/{local}"


def retention_iri(doc_iri: str, i: int) -> str:
    """The IRI of a document's ``i``-th retention statement (data flows point at its condition)."""
    return fact_iri(doc_iri, "retention", f"retention-{i}")


def fact_extractor(fact: str, doc_iri: str) -> str | None:
    """The extractor a fact IRI names (``first_party`` for the company a document names), or None."""
    prefix = doc_iri + "#"
    if not fact.startswith(prefix):
        return "first_party"
    extractor, slash, _ = fact[len(prefix) :].partition("/")
    return extractor if slash else None


class EvidenceWriter:
    """Provenance in compact form: each fact links (prov:wasDerivedFrom) to the span of the text it was read
    from, an IRI that names the span by its character offsets (RFC 5147 ``#char=start,end``); the fact's own
    IRI names the extractor that read it (:func:`fact_iri`). The quote itself is not stored again: it is the
    document's stored text (gb:text) at those offsets, which the named queries cut out and ``export`` spells
    out as W3C Web Annotation selectors."""

    def __init__(self, g: Graph, doc: Document, doc_iri: str) -> None:
        self.g, self.doc, self.doc_iri = g, doc, doc_iri

    def __call__(self, fact: str, ev: Evidence) -> None:
        if fact_extractor(fact, self.doc_iri) != ev.extractor:
            raise ValueError(f"fact {fact} cites evidence read by {ev.extractor!r}")
        self.g.add(fact, _DERIVED, span_iri(self.doc_iri, ev.start, ev.end))
