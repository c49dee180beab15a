"""The corpus-wide analyses: the same answers by the fast paths as by the plain definitions."""

from __future__ import annotations

import random
from itertools import combinations
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest

from graphbuild.analysis import _concentration, _Reach, company_vendor_graph
from graphbuild.errors import StoreError
from graphbuild.similarity import top_pairs
from graphbuild.store.summary import ORGANISATIONS_GRAPH, Summary, read_summary, summary_quads
from graphbuild.vocab import DPVT, GB


def _random_reaches(companies: int, organisations: int, seed: int) -> dict[str, set[str]]:
    rng = random.Random(seed)
    popular = [f"org{i:03d}" for i in range(organisations)]
    weights = [1 / (i + 1) for i in range(organisations)]  # a few organisations reach many companies
    return {f"company{c:04d}": set(rng.choices(popular, weights, k=rng.randint(1, 12))) for c in range(companies)}


def _all_pairs(reaches: dict[str, set[str]], top: int) -> list[tuple[str, str, float, tuple[str, ...]]]:
    rows = []
    for a, b in combinations(sorted(reaches), 2):
        shared = reaches[a] & reaches[b]
        if shared:
            rows.append((a, b, round(len(shared) / len(reaches[a] | reaches[b]), 4), tuple(sorted(shared))))
    rows.sort(key=lambda r: (-r[2], -len(r[3]), r[0], r[1]))
    return rows[:top]


def test_similarity_by_prefix_filtering_equals_comparing_every_pair() -> None:
    for seed, top in ((1, 20), (2, 5), (3, 50), (5, 1)):
        reaches = _random_reaches(400, 60, seed)
        found = [(s.company_a, s.company_b, s.jaccard, s.shared) for s in top_pairs(reaches, top)]
        assert found == _all_pairs(reaches, top)


def test_similarity_is_exact_where_common_organisations_make_keys_of_three() -> None:
    # few organisations and large sets: most pairs of organisations are common together, so most keys
    # have three organisations; small sets and sets with one organisation must still be found
    rng = random.Random(9)
    orgs = [f"org{i:02d}" for i in range(14)]
    reaches = {f"c{i:03d}": set(rng.sample(orgs, rng.randint(2, 12))) for i in range(400)}
    reaches |= {"tiny1": {"org13"}, "tiny2": {"org13"}, "pair1": {"org00", "org01"}, "pair2": {"org00", "org01"}}
    for top in (3, 30, 200):
        found = [(s.company_a, s.company_b, s.jaccard, s.shared) for s in top_pairs(reaches, top)]
        assert found == _all_pairs(reaches, top)


def test_concentration_without_the_graph_equals_networkx_degree() -> None:
    reaches = _random_reaches(150, 30, 4)
    summary = Summary(reaches=reaches, parents={"org001": "org000", "org002": "org000", "org005": "holding"})
    g = company_vendor_graph(None, summary)  # type: ignore[arg-type]
    degree = nx.degree_centrality(g)
    rows = {r.organisation: r for r in _concentration(_Reach(summary), g)}
    assert set(rows) == {g.nodes[n]["label"] for n in g.nodes if g.nodes[n]["kind"] != "company"}
    for node in g.nodes:
        if g.nodes[node]["kind"] != "company":
            row = rows[g.nodes[node]["label"]]
            assert row.degree == round(degree[node], 4)
            assert row.betweenness is not None
    holding = rows["org000"]
    assert holding.companies == len(reaches_of(reaches, {"org000", "org001", "org002"}))


SKOS_LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"


def reaches_of(reaches: dict[str, set[str]], orgs: set[str]) -> set[str]:
    return {c for c, found in reaches.items() if found & orgs}


def test_summary_graph_is_derived_from_the_document_graph() -> None:
    doc = "https://graphbuild.dev/id/doc/x"
    company, vendor, org, parent = (
        f"https://graphbuild.dev/id/{k}" for k in ("org/acme", "vendor/yt", "vendor/g", "vendor/a")
    )
    flow = doc + "#flow-0"
    data = "https://w3id.org/dpv/pd#EmailAddress"
    node = doc + "#location-DE-storage"
    g = ox.NamedNode(doc)

    def q(s: str, p: str, o: str | ox.Literal) -> ox.Quad:
        return ox.Quad(ox.NamedNode(s), ox.NamedNode(p), o if isinstance(o, ox.Literal) else ox.NamedNode(o), g)

    quads = [
        q(doc, GB.firstParty, company),
        q(company, DPVT.hasName, ox.Literal("Acme")),
        q(company, GB.sharesDataWith, vendor),
        q(vendor, GB.providedBy, org),
        q(org, DPVT.isSubsidiaryOf, parent),
        q(org, DPVT.hasName, ox.Literal("Google")),
        q(parent, DPVT.hasName, ox.Literal("Alphabet")),
        q(flow, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", GB.DataFlow),
        q(flow, DPVT.hasPersonalData, data),
        q(flow, DPVT.hasRecipient, vendor),
        q(data, "http://www.w3.org/2004/02/skos/core#prefLabel", ox.Literal("e-mail address")),
        q(node, GB.locationKind, ox.Literal("storage")),
        q(node, GB.countryCode, ox.Literal("DE")),
    ]
    edges, index = summary_quads(doc, quads)
    store = ox.Store()
    store.extend(edges)
    assert {x.graph_name.value for x in store} == {doc + "/summary"}
    # names are not repeated in each summary graph: the organisations index has them
    assert not [x for x in edges if x.predicate.value in (DPVT.hasName, SKOS_LABEL)]
    names = {(x.subject.value, x.object.value) for x in index if x.predicate.value == DPVT.hasName}
    assert names == {(org, "Google"), (parent, "Alphabet")}
    assert {x.graph_name.value for x in index} == {ORGANISATIONS_GRAPH}

    class Reader:
        def select(self, sparql: str) -> object:
            from graphbuild.store.base import Result

            solutions = store.query(sparql)
            columns = tuple(v.value for v in solutions.variables)  # type: ignore[union-attr]
            return Result(columns, tuple(tuple(s[c] for c in columns) for s in solutions))  # type: ignore[union-attr]

    summary = read_summary(Reader())  # type: ignore[arg-type]
    assert summary.reaches == {"Acme": {"Google"}}
    assert summary.parents == {"Google": "Alphabet"}
    assert dict(summary.data) == {"Google": {"e-mail address"}}
    assert dict(summary.countries) == {"Google": {"DE"}}


# The summary as the edges of the summary graphs give it, by joins (what the digests must agree with): edges
# in each summary graph, companies' names in their documents' graphs, organisations' names in the organisations
# index, data labels in the knowledge graph.
_EDGES = """
PREFIX gb: <https://graphbuild.dev/ns#>
PREFIX dpv: <https://w3id.org/dpv#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?kind ?a ?b WHERE {
  {
    GRAPH ?g { ?c gb:reaches ?o } GRAPH ?doc { ?c dpv:hasName ?a } FILTER (STR(?g) = CONCAT(STR(?doc), "/summary"))
    GRAPH <https://graphbuild.dev/id/organisations> { ?o dpv:hasName ?b } BIND("reaches" AS ?kind)
  } UNION {
    GRAPH ?g { ?o gb:parentOrganisation ?p }
    GRAPH <https://graphbuild.dev/id/organisations> { ?o dpv:hasName ?a . ?p dpv:hasName ?b } BIND("parent" AS ?kind)
  } UNION {
    GRAPH ?g { ?d gb:sentTo ?o . ?c gb:reaches ?o }
    GRAPH <https://graphbuild.dev/id/organisations> { ?o dpv:hasName ?a }
    GRAPH <https://graphbuild.dev/id/knowledge> { ?d skos:prefLabel ?b } BIND("data" AS ?kind)
  } UNION {
    GRAPH ?g { { ?c gb:storesDataIn ?x } UNION { ?c gb:transfersDataTo ?x } ?c gb:reaches ?o }
    GRAPH <https://graphbuild.dev/id/organisations> { ?o dpv:hasName ?a }
    BIND(STRAFTER(STR(?x), "#") AS ?b) BIND("country" AS ?kind)
  }
}"""


def test_digests_say_what_the_summary_edges_say(samples: Path, db: str) -> None:
    from graphbuild.pipeline import build
    from graphbuild.store import open_store

    store = open_store(db)
    try:
        build([str(samples), str(Path(__file__).parent.parent / "examples")], store, jobs=1)
        joined = Summary()
        for kind, a, b in store.select(_EDGES).rows:
            x, y = a.value, b.value  # type: ignore[union-attr]
            if kind.value == "reaches":  # type: ignore[union-attr]
                joined.reaches.setdefault(x, set()).add(y)
            elif kind.value == "parent":  # type: ignore[union-attr]
                joined.parents[x] = y
            else:
                (joined.data if kind.value == "data" else joined.countries)[x].add(y)  # type: ignore[union-attr]
        found = read_summary(store)
        # a store from before digests: the edges are there, the digests not; say so rather than find nothing
        store._store.update(f"DELETE WHERE {{ GRAPH ?g {{ ?d <{GB.digest}> ?x }} }}")
        with pytest.raises(StoreError, match="build again"):
            read_summary(store)
    finally:
        store.close()
    assert len(joined.reaches) >= 5 and joined.data and joined.countries and joined.parents
    assert found.reaches == joined.reaches
    assert found.parents == joined.parents
    assert dict(found.data) == dict(joined.data)
    assert dict(found.countries) == dict(joined.countries)
