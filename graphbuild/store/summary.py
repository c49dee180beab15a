"""The summary layer: for each document, a small graph of direct edges beside its full graph, written with it
and removed with it, so that corpus-wide questions (which organisations reach most companies, what a breach
at one would expose) read a few edges per document instead of joining facts and their provenance.

In the summary graph ``<document>/summary`` of a company's policy:

- ``company gb:reaches organisation`` — the organisation behind each vendor it shares data with;
- ``organisation gb:parentOrganisation parent`` — the top of the organisation's ownership chain;
- ``data gb:sentTo organisation`` (or an unnamed recipient category) — a data flow of this company;
- ``company gb:storesDataIn country`` / ``company gb:transfersDataTo country``;
- ``document gb:digest "{…}"^^rdf:JSON`` — the same edges by name in one value, which is what ``analyze`` and
  the views read: one row per document instead of a join over a million edges at 100,000 policies.

Every edge is derived from the document's own graph (and what the knowledge graph says of the vendors it
names), so the two never disagree.

The names and parents of the organisations are not repeated in each summary graph but added to one shared
graph, ``ORGANISATIONS_GRAPH``, an index that rankings over the whole corpus read once per organisation (a
name looked up in the summary graphs would be found once per company that reaches it); the labels of data
and recipient categories are in the knowledge graph. The index only grows while documents are added; when
documents are removed, the organisations no summary graph reaches any more leave it."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from graphbuild.errors import StoreError
from graphbuild.knowledge_triples import KNOWLEDGE_GRAPH
from graphbuild.store.base import GraphStore
from graphbuild.vocab import DPVT, GB, ID, LOC, RDF, SKOS

_JSON = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON")

SUMMARY_SUFFIX = "/summary"
ORGANISATIONS_GRAPH = f"{ID}organisations"

_RECIPIENT_PROPERTIES = (str(DPVT.hasRecipient), str(DPVT.hasDataProcessor), str(DPVT.hasRecipientThirdParty))
_COUNTRY_EDGE = {"storage": GB.storesDataIn, "transfer": GB.transfersDataTo}


# the predicates of a document's graph that its summary is made from
_READ = {
    ox.NamedNode(p)
    for p in (
        GB.firstParty,
        GB.sharesDataWith,
        GB.providedBy,
        GB.organisationName,
        GB.locationKind,
        GB.countryCode,
        DPVT.hasName,
        DPVT.isSubsidiaryOf,
        DPVT.hasPersonalData,
        str(RDF.type),
        str(SKOS.prefLabel),
        *_RECIPIENT_PROPERTIES,
    )
}


def summary_graph(document_graph: str) -> str:
    """The name of a document's summary graph."""
    return document_graph + SUMMARY_SUFFIX


def is_document_graph(graph: str) -> bool:
    """Whether a graph is a document's (not a summary, the organisations index or the knowledge graph)."""
    return not graph.endswith(SUMMARY_SUFFIX) and graph not in (ORGANISATIONS_GRAPH, KNOWLEDGE_GRAPH)


def forget_unreached() -> str:
    """A SPARQL update removing from the organisations index every organisation that no summary graph reaches
    or names as a parent any more (run after documents are removed)."""
    orgs = f"<{ORGANISATIONS_GRAPH}>"
    return (
        f"DELETE {{ GRAPH {orgs} {{ ?o ?p ?x }} }} WHERE {{ GRAPH {orgs} {{ ?o ?p ?x }} "
        f"FILTER NOT EXISTS {{ GRAPH ?g {{ ?c <{GB.reaches}> ?o }} }} "
        f"FILTER NOT EXISTS {{ GRAPH ?h {{ ?y <{GB.parentOrganisation}> ?o }} FILTER (?h != {orgs}) }} }}"
    )


def _organisation_quads(summary: list[ox.Quad]) -> list[ox.Quad]:
    """The names and parents of the organisations in a summary (with names), for the organisations graph."""
    reaches, parent_of, name = ox.NamedNode(GB.reaches), ox.NamedNode(GB.parentOrganisation), ox.NamedNode(DPVT.hasName)
    orgs = {q.object for q in summary if q.predicate in (reaches, parent_of)}
    graph = ox.NamedNode(ORGANISATIONS_GRAPH)
    return [
        ox.Quad(q.subject, q.predicate, q.object, graph)
        for q in summary
        if q.subject in orgs and q.predicate in (name, parent_of)
    ]


class _Index:
    """Objects by subject and predicate over one document's quads."""

    def __init__(self, quads: Iterable[ox.Quad]) -> None:
        self.objects: dict[tuple[str, str], list[ox.NamedNode | ox.Literal]] = defaultdict(list)
        self.subjects: dict[str, list[str]] = defaultdict(list)
        for q in quads:
            if q.predicate not in _READ:  # most of a document's quads: skipped without reading their terms
                continue
            if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, (ox.NamedNode, ox.Literal)):
                self.objects[(q.subject.value, q.predicate.value)].append(q.object)
                self.subjects[q.predicate.value].append(q.subject.value)

    def iris(self, subject: str, predicate: str) -> list[str]:
        """IRIs ``subject predicate ?o``, in order, without repeats."""
        found = (o.value for o in self.objects.get((subject, predicate), []) if isinstance(o, ox.NamedNode))
        return list(dict.fromkeys(found))

    def text(self, subject: str, predicate: str) -> str | None:
        """The first literal ``subject predicate ?o``."""
        return next((o.value for o in self.objects.get((subject, predicate), []) if isinstance(o, ox.Literal)), None)


def summary_quads(document_graph: str, quads: Iterable[ox.Quad]) -> tuple[list[ox.Quad], list[ox.Quad]]:
    """The summary graph of one document, from the quads of its full graph and what the knowledge graph says
    of the things it names; and the names and parents it adds to the organisations index."""
    ix = _Index(quads)
    companies = ix.iris(document_graph, str(GB.firstParty))
    if not companies:
        return [], []
    company = companies[0]
    graph = ox.NamedNode(summary_graph(document_graph))
    out: dict[ox.Quad, None] = {}

    def edge(s: str, p: str, o: str) -> None:
        out[ox.Quad(ox.NamedNode(s), ox.NamedNode(p), ox.NamedNode(o), graph)] = None

    def label(s: str, p: str, value: str | None) -> None:
        if value:
            out[ox.Quad(ox.NamedNode(s), ox.NamedNode(p), ox.Literal(value), graph)] = None

    def organisation(vendor: str) -> str:
        return next(iter(ix.iris(vendor, str(GB.providedBy))), vendor)

    def top(org: str) -> str:
        seen = [org]
        while (up := ix.iris(seen[-1], str(DPVT.isSubsidiaryOf))) and up[0] not in seen:
            seen.append(up[0])
        return seen[-1]

    def name_org(vendor: str) -> str:
        org = organisation(vendor)
        label(org, str(DPVT.hasName), ix.text(org, str(DPVT.hasName)) or ix.text(vendor, str(GB.organisationName)))
        parent = top(org)
        if parent != org:
            edge(org, str(GB.parentOrganisation), parent)
            label(parent, str(DPVT.hasName), ix.text(parent, str(DPVT.hasName)))
        return org

    label(company, str(DPVT.hasName), ix.text(company, str(DPVT.hasName)))
    vendors = ix.iris(company, str(GB.sharesDataWith))
    for vendor in vendors:
        edge(company, str(GB.reaches), name_org(vendor))
    flows = [s for s in ix.subjects[str(RDF.type)] if str(GB.DataFlow) in ix.iris(s, str(RDF.type))]
    for flow in dict.fromkeys(flows):
        recipients = [r for p in _RECIPIENT_PROPERTIES for r in ix.iris(flow, p)]
        for data in ix.iris(flow, str(DPVT.hasPersonalData)):
            label(data, str(SKOS.prefLabel), ix.text(data, str(SKOS.prefLabel)))
            for recipient in recipients:
                if recipient in vendors:
                    edge(data, str(GB.sentTo), name_org(recipient))
                else:
                    edge(data, str(GB.sentTo), recipient)
                    label(recipient, str(SKOS.prefLabel), ix.text(recipient, str(SKOS.prefLabel)))
    for node in dict.fromkeys(ix.subjects[str(GB.locationKind)]):
        kind, country = ix.text(node, str(GB.locationKind)), ix.text(node, str(GB.countryCode))
        if kind in _COUNTRY_EDGE and country:
            edge(company, str(_COUNTRY_EDGE[kind]), f"{LOC}{country}")
    named = list(out)
    digest = _digest(named, company)
    labels = {ox.NamedNode(DPVT.hasName), ox.NamedNode(SKOS.prefLabel)}
    edges = [q for q in named if q.predicate not in labels]  # names are read from the index and knowledge
    edges.append(ox.Quad(ox.NamedNode(document_graph), ox.NamedNode(GB.digest), digest, graph))
    return edges, _organisation_quads(named)


def _digest(edges: list[ox.Quad], company: str) -> ox.Literal:
    """The summary edges by name, as one JSON literal (keys and lists sorted: the same edges, the same text)."""
    triples = [(q.subject, q.predicate.value, q.object) for q in edges if isinstance(q.subject, ox.NamedNode)]
    named = (str(DPVT.hasName), str(SKOS.prefLabel))  # rdflib terms never equal plain strings: compare text
    names = {s.value: o.value for s, p, o in triples if p in named and isinstance(o, ox.Literal)}

    def linked(predicate: str) -> list[tuple[str, str]]:
        return [(s.value, o.value) for s, p, o in triples if p == predicate and isinstance(o, ox.NamedNode)]

    reached = {o for s, o in linked(str(GB.reaches)) if s == company}
    parents = sorted((names[o], names[p]) for o, p in linked(str(GB.parentOrganisation)) if o in names and p in names)
    sent = {(names[o], names[d]) for d, o in linked(str(GB.sentTo)) if o in reached and o in names and d in names}
    value = {
        "company": names.get(company, ""),
        "reaches": sorted({names[o] for o in reached if o in names}),
        "parents": dict(parents),
        "data": sorted(sent),
        "countries": sorted({c.rsplit("#", 1)[-1] for p in _COUNTRY_EDGE.values() for _, c in linked(str(p))}),
    }
    return ox.Literal(json.dumps(value, ensure_ascii=False, sort_keys=True), datatype=_JSON)


_DIGESTS = f"SELECT ?digest WHERE {{ GRAPH ?g {{ ?document <{GB.digest}> ?digest }} }}"
_ANY_EDGE = f"SELECT ?c WHERE {{ GRAPH ?g {{ ?c <{GB.reaches}> ?o }} }} LIMIT 1"


@dataclass
class Summary:
    """The corpus-wide edges of every current document, by name."""

    reaches: dict[str, set[str]] = field(default_factory=dict)  # company → the organisations it reaches
    parents: dict[str, str] = field(default_factory=dict)  # organisation → its top parent
    data: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # organisation → data sent to it
    countries: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # organisation → ISO codes
    # of the countries where the companies reaching it store or transfer data


def read_summary(store: GraphStore) -> Summary:
    """Every summary edge of the store's current documents (one digest per document: summary graphs only
    exist for current documents, an earlier version keeps its full graph alone)."""
    found = Summary()
    digests = store.select(_DIGESTS).rows
    if not digests and store.select(_ANY_EDGE).rows:
        raise StoreError(
            "the store was built by an earlier graphbuild without summary digests: build again to update it"
        )
    for (literal,) in digests:
        if not isinstance(literal, ox.Literal):
            continue
        digest = json.loads(literal.value)
        company, reached = digest["company"], digest["reaches"]
        if company and reached:
            found.reaches.setdefault(company, set()).update(reached)
        for org, parent in digest["parents"].items():
            if parent != org:
                found.parents[org] = parent
        for org, data in digest["data"]:
            found.data[org].add(data)
        for org in reached if digest["countries"] else ():
            found.countries[org].update(digest["countries"])
    return found
