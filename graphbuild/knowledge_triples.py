"""The knowledge graph: graphbuild's own vendor knowledge base and taxonomies as RDF, in one named graph that
every document's graph points into.

A document's graph holds what the document says; what graphbuild knows of a vendor (its name, the
organisation behind it, that organisation's parents and headquarters, its category) and the labels of the
taxonomy terms are the same for every document, so they are written once per store rather than once per
document that mentions them (at 100,000 policies, a third of the quads). Vendors the knowledge base does not
know are described in the graph of each document that names them, since what is known of them comes from
that document."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from functools import cache

from pyoxigraph import Literal, NamedNode, Quad

from graphbuild.graph_writer import vendor_iri
from graphbuild.knowledge.taxonomy import TAXONOMIES, taxonomy
from graphbuild.knowledge.vendors import knowledge_base
from graphbuild.vocab import DPVT, GB, ID, LOC, RDF, SKOS

KNOWLEDGE_GRAPH = f"{ID}knowledge"
_A = NamedNode(str(RDF.type))


def category_iri(key: str) -> str:
    """IRI of a vendor category ('analytics')."""
    return f"{ID}category/{key}"


def recipient_category_iri(key: str) -> str:
    """IRI of an unnamed recipient category ('payment processors')."""
    return f"{ID}recipient-category/{key}"


@cache
def knowledge_quads() -> tuple[Quad, ...]:
    """Every quad of the knowledge graph, in a stable order."""
    graph = NamedNode(KNOWLEDGE_GRAPH)
    out: dict[Quad, None] = {}

    def add(s: str, p: str, o: str | Literal) -> None:
        out[Quad(NamedNode(s), NamedNode(p), o if isinstance(o, Literal) else NamedNode(o), graph)] = None

    kb = knowledge_base()
    for key in sorted(kb.categories):
        add(category_iri(key), str(RDF.type), GB.VendorCategory)
        add(category_iri(key), str(SKOS.prefLabel), Literal(key))
    for vendor in sorted(kb.vendors.values(), key=lambda v: v.key):
        iri, org, top = vendor_iri(vendor.key), kb.organisation(vendor), kb.ultimate_parent(vendor)
        add(iri, str(RDF.type), GB.Vendor)
        add(iri, DPVT.hasName, Literal(vendor.name))
        # shortcuts beside the structure: a query reads them with one lookup each instead of a path
        add(iri, GB.organisationName, Literal(org.name))
        if top is not None:
            add(iri, GB.parentName, Literal(top.name))
        add(iri, GB.categoryLabel, Literal(vendor.category))
        add(iri, GB.vendorCategory, category_iri(vendor.category))
        if not vendor.is_organisation:
            add(iri, GB.providedBy, vendor_iri(org.key))
            continue
        add(iri, str(RDF.type), DPVT.Organisation)
        if vendor.parent:
            add(iri, DPVT.isSubsidiaryOf, vendor_iri(vendor.parent))
        if vendor.country:
            add(iri, GB.headquarteredIn, f"{LOC}{vendor.country}")
    for kind in TAXONOMIES:
        for key, term in sorted(taxonomy(kind).terms.items()):
            if kind == "recipients":
                node = recipient_category_iri(key)
                add(node, str(RDF.type), GB.RecipientCategory)
                add(node, str(RDF.type), term.iri)
                add(node, str(SKOS.prefLabel), Literal(term.label))
            else:
                add(term.iri, str(SKOS.prefLabel), Literal(term.label))
    return tuple(out)


@cache
def knowledge_version() -> str:
    """A digest of the knowledge graph: a store holding another one gets it replaced."""
    text = "\n".join(sorted(str(q) for q in knowledge_quads()))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def knowledge_graph_quads() -> list[Quad]:
    """The knowledge graph as a store holds it: its quads, then its version stamp."""
    graph = NamedNode(KNOWLEDGE_GRAPH)
    stamp = Quad(graph, NamedNode(GB.knowledgeVersion), Literal(knowledge_version()), graph)
    return [*knowledge_quads(), stamp]


@cache
def _by_subject() -> dict[NamedNode, tuple[Quad, ...]]:
    found: dict[NamedNode, list[Quad]] = defaultdict(list)
    for q in knowledge_quads():
        if isinstance(q.subject, NamedNode):
            found[q.subject].append(q)
    return {s: tuple(qs) for s, qs in found.items()}


def described(quads: list[Quad]) -> list[Quad]:
    """The knowledge-graph quads about the things ``quads`` point to, and about the organisations and
    parents those point to in turn (what a reader of one document's graph would look up)."""
    index = _by_subject()
    seen: set[NamedNode] = set()
    todo = [q.object for q in quads if isinstance(q.object, NamedNode) and q.object in index]
    out: list[Quad] = []
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for q in index.get(node, ()):
            out.append(q)
            if isinstance(q.object, NamedNode) and q.object in index:
                todo.append(q.object)
    return out
