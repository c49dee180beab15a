"""Every named query over a small hand-written graph (tests/fixtures/mini.trig), with the expected rows."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
import pytest

from graphbuild.knowledge_triples import KNOWLEDGE_GRAPH
from graphbuild.queries import named_queries, rows_as_dicts, run_named
from graphbuild.store import EmbeddedStore, open_store
from graphbuild.store.summary import summary_graph, summary_quads

MINI = Path(__file__).parent / "fixtures" / "mini.trig"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    location = str(tmp_path_factory.mktemp("mini") / "store")
    graphs: dict[str, list[ox.Quad]] = defaultdict(list)
    for quad in ox.parse(MINI.read_bytes(), format=ox.RdfFormat.TRIG):
        assert isinstance(quad.graph_name, ox.NamedNode)
        graphs[quad.graph_name.value].append(quad)
    writer = open_store(location)
    knowledge = graphs[KNOWLEDGE_GRAPH]
    for graph, quads in graphs.items():
        writer.replace_graph(graph, quads)
        if graph != KNOWLEDGE_GRAPH:
            summary, index = summary_quads(graph, [*quads, *knowledge])
            writer.replace_graph(summary_graph(graph), summary)
            writer.load_quads(index)
    writer.close()
    reader = open_store(location, read_only=True)
    assert isinstance(reader, EmbeddedStore)
    return reader


def rows(store: EmbeddedStore, name: str, cols: tuple[str, ...], **params: str) -> list[tuple[str | None, ...]]:
    found = rows_as_dicts(run_named(store, name, params))
    assert all(tuple(r) == named_queries()[name].columns for r in found), "columns differ from the header"
    return [tuple(r[c] for c in cols) for r in found]


def test_the_graphs_queries_name_are_the_shared_graphs() -> None:
    """A query names a graph only to read the knowledge graph or the organisations index: the IRIs written in
    the .rq files are the ones the code writes to."""
    from graphbuild.store.summary import ORGANISATIONS_GRAPH

    named = {m for q in named_queries().values() for m in re.findall(r"GRAPH\s+<([^>]+)>", q.sparql)}
    assert named == {KNOWLEDGE_GRAPH, ORGANISATIONS_GRAPH}


def test_at_least_fifteen_queries_with_headers() -> None:
    queries = named_queries()
    assert len(queries) >= 15
    for q in queries.values():
        assert q.title and q.description and q.columns, q.name


def test_companies(store: EmbeddedStore) -> None:
    assert rows(store, "companies", ("company",)) == [("Acme",), ("Beta",)]


def test_vendors(store: EmbeddedStore) -> None:
    assert rows(store, "vendors", ("company", "vendor", "vendor_org", "parent", "category", "role")) == [
        ("Acme", "Google Analytics", "Google", "Alphabet", "analytics", "recipient"),
        ("Acme", "Stripe", "Stripe", None, "payments", "processor"),
        ("Beta", "Google Analytics", "Google", "Alphabet", "analytics", "third-party"),
    ]
    assert rows(store, "vendors", ("company",), vendor="Stripe") == [("Acme",)]


def test_vendors_by_org_and_shared_vendors(store: EmbeddedStore) -> None:
    assert rows(store, "vendors_by_org", ("organisation", "parent", "company_count", "companies", "vendors")) == [
        ("Google", "Alphabet", "2", "Acme, Beta", "Google Analytics"),
        ("Stripe", None, "1", "Acme", "Stripe"),
    ]
    assert rows(store, "shared_vendors", ("organisation", "company_count", "companies")) == [
        ("Google", "2", "Acme, Beta")
    ]
    # the same answer from the summary layer
    assert rows(store, "top_organisations", ("organisation", "parent", "companies")) == [
        ("Google", "Alphabet", "2"),
        ("Stripe", None, "1"),
    ]


def test_vendor_exposure(store: EmbeddedStore) -> None:
    assert rows(store, "vendor_exposure", ("vendor", "company", "data", "purposes", "countries"), vendor="Stripe") == [
        ("Stripe", "Acme", "e-mail address", "payment", "US")
    ]
    ga = rows(store, "vendor_exposure", ("company", "data", "purposes", "countries"), vendor="Google Analytics")
    assert ga == [("Acme", None, None, "US"), ("Beta", "IP address", None, "IN")]  # Beta's flow states no purpose


def test_data_flows(store: EmbeddedStore) -> None:
    cols = ("company", "recipient", "data", "purposes", "retention", "evidence")
    assert rows(store, "data_flows", cols) == [
        ("Acme", "Stripe", "e-mail address", "payment", "P6Y", "Stripe processes payments."),
        ("Beta", "Google Analytics", "IP address", None, None, "Google Analytics reads your IP address."),
    ]


def test_retention_and_indefinite_retention(store: EmbeddedStore) -> None:
    assert rows(store, "retention", ("company", "data", "duration", "kind")) == [
        ("Acme", "logs", None, "indeterminate"),
        ("Acme", "invoices", "P6Y", "fixed"),
        ("Beta", "backups", None, "endless"),
    ]
    assert rows(store, "indefinite_retention", ("company", "data", "kind", "condition")) == [
        ("Acme", "logs", "indeterminate", "as long as necessary"),
        ("Beta", "backups", "endless", "indefinitely"),
    ]


def test_locations_and_transfers_without_safeguard(store: EmbeddedStore) -> None:
    assert rows(store, "locations", ("company", "country", "kind", "safeguard")) == [
        ("Acme", "DE", "office", None),
        ("Acme", "US", "transfer", "SCC"),
        ("Beta", "IN", "transfer", None),
    ]
    assert rows(store, "locations", ("country",), kind="office") == [("DE",)]
    assert rows(store, "transfers_without_safeguard", ("company", "country", "evidence")) == [
        ("Beta", "IN", "Data is transferred to India.")
    ]


def test_recipient_categories_and_negated_practices(store: EmbeddedStore) -> None:
    assert rows(store, "recipient_categories", ("company", "category", "term", "condition")) == [
        ("Beta", "public authorities", "https://w3id.org/dpv#GovernmentalOrganisation", "if required by law")
    ]
    assert rows(store, "negated_practices", ("company", "denied", "evidence")) == [
        ("Beta", "data brokers", "We do not sell data to data brokers.")
    ]


def test_rights_legal_bases_data_categories_purposes(store: EmbeddedStore) -> None:
    assert rows(store, "rights", ("company", "right", "term")) == [
        ("Acme", "right of access", "https://w3id.org/dpv/legal/eu/gdpr#A15")
    ]
    assert rows(store, "legal_bases", ("company", "term")) == [("Acme", "https://w3id.org/dpv/legal/eu/gdpr#A6-1-f")]
    assert rows(store, "data_categories", ("company", "data", "condition")) == [
        ("Acme", "e-mail address", "with your consent"),
        ("Beta", "IP address", None),
    ]
    assert rows(store, "purposes", ("company", "purpose")) == [("Acme", "marketing")]


def test_evidence(store: EmbeddedStore) -> None:
    found = rows(store, "evidence", ("extractor", "quote", "start", "end"), company="Beta")
    assert ("locations", "Data is transferred to India.", "71", "100") in found
    assert {q for _, q, _, _ in found} == {
        "Google Analytics reads your IP address.",
        "Backups are kept indefinitely.",
        "Data is transferred to India.",
        "We disclose data to public authorities if required by law.",
        "We do not sell data to data brokers.",
    }
    assert {
        e for e, _, _, _ in rows(store, "evidence", ("extractor", "quote", "start", "end"), extractor="children")
    } == {"children"}


def test_company_profile(store: EmbeddedStore) -> None:
    cols = (
        "company",
        "vendors",
        "organisations",
        "data_categories",
        "purposes",
        "rights",
        "countries",
        "retention_periods",
        "child_age",
        "effective",
        "updated",
    )
    assert rows(store, "company_profile", cols) == [
        ("Acme", "2", "2", "1", "2", "1", "2", "P6Y", "13", "2024-01-01", None),
        ("Beta", "1", "1", "1", "0", "0", "1", "", None, None, "2025-06-30"),
    ]
    assert rows(store, "company_profile", ("company",), company="Beta") == [("Beta",)]


INJECTION = 'x" } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o'


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_every_parameter_is_bound_not_formatted(store: EmbeddedStore, name: str) -> None:
    """A hostile value is one string that matches nothing, and the store is intact afterwards."""
    before = store.count()
    for param in named_queries()[name].params:
        assert rows_as_dicts(run_named(store, name, {param.name: INJECTION})) == []
    assert store.count() == before


def test_readme_lists_every_named_query() -> None:
    from graphbuild.queries import markdown_table

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    assert markdown_table() in readme, "README's query table is stale: graphbuild queries --format markdown"


def test_analysis_over_the_named_queries(store: EmbeddedStore) -> None:
    from graphbuild.analysis import analyse, blast_radius

    report = analyse(store)
    top = report.concentration[0]
    assert (top.organisation, top.parent, top.companies) == ("Google", "Alphabet", 2)
    assert {(c.organisation, c.companies) for c in report.concentration} == {
        ("Google", 2),
        ("Alphabet", 2),
        ("Stripe", 1),
    }
    assert [(s.company_a, s.company_b, s.jaccard, s.shared) for s in report.similarity] == [
        ("Acme", "Beta", 0.5, ("Google",))
    ]
    alphabet = blast_radius(store, organisation="Alphabet")[0]
    assert alphabet.companies == ("Acme", "Beta") and alphabet.through == ("Alphabet", "Google")
    assert alphabet.countries == ("IN", "US")
    stripe = blast_radius(store, organisation="Stripe")[0]
    assert (stripe.companies, stripe.data, stripe.countries) == (("Acme",), ("e-mail address",), ("US",))
    members = sorted(m for c in report.communities for m in c)
    assert members == ["Acme", "Alphabet", "Beta", "Google", "Stripe"]
