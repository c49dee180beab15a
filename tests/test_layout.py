"""What a document's graph holds (its own statements, once each), the knowledge graph it points into, and the
full DPV form an export writes out again."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
import pytest

from graphbuild.extractors import REGISTRY, versions
from graphbuild.extractors.flows import NAME as FLOWS
from graphbuild.graph_writer import EvidenceWriter, Graph, fact_iri
from graphbuild.knowledge.taxonomy import TAXONOMIES, taxonomy
from graphbuild.knowledge.vendors import knowledge_base
from graphbuild.knowledge_triples import KNOWLEDGE_GRAPH, knowledge_graph_quads
from graphbuild.model import Document, Evidence
from graphbuild.pipeline import build
from graphbuild.store import EmbeddedStore, open_store
from graphbuild.store.summary import is_document_graph
from graphbuild.vocab import DPVT, GB, PROV, RDF

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
TYPE, DERIVED = str(RDF.type), str(PROV.wasDerivedFrom)


def _by_graph(quads: list[ox.Quad]) -> dict[str, list[ox.Quad]]:
    graphs: dict[str, list[ox.Quad]] = defaultdict(list)
    for q in quads:
        graphs[q.graph_name.value].append(q)  # type: ignore[union-attr]
    return graphs


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, list[ox.Quad]], dict[str, list[ox.Quad]]]:
    """The samples and examples built: (the store's graphs, the graphs of its N-Quads export)."""
    from tests.conftest import SAMPLES

    db = str(tmp_path_factory.mktemp("layout") / "store")
    store = open_store(db)
    try:
        report = build([str(SAMPLES), str(EXAMPLES)], store, jobs=1)
        assert not report.failed and len(report.built) >= 8
        assert isinstance(store, EmbeddedStore)
        stored = _by_graph(list(store._store))
        out = Path(db).with_suffix(".nq")
        with out.open("wb") as fh:
            store.export(fh, "nquads")
    finally:
        store.close()
    exported = _by_graph(list(ox.parse(out.read_bytes(), format=ox.RdfFormat.N_QUADS)))
    return stored, exported


def test_a_document_graph_names_its_controller_once_and_holds_no_knowledge(
    built: tuple[dict[str, list[ox.Quad]], dict[str, list[ox.Quad]]],
) -> None:
    stored, _ = built
    known = {f"https://graphbuild.dev/id/vendor/{key}" for key in knowledge_base().vendors}
    terms = {t.iri for kind in TAXONOMIES if kind != "recipients" for t in taxonomy(kind).terms.values()}
    documents = [g for g in stored if is_document_graph(g)]
    assert len(documents) >= 8
    for g in documents:
        quads = stored[g]
        controllers = [q for q in quads if q.predicate.value == DPVT.hasDataController]
        assert len(controllers) == 1 and controllers[0].subject.value == g, g
        assert not [q for q in quads if q.predicate.value in (GB.extractor, DPVT.hasProcessing)], g
        assert not [q for q in quads if q.predicate.value == TYPE and q.object.value == DPVT.PersonalDataProcess]
        # what the knowledge base says of a vendor, and a term's label, are in the knowledge graph only
        assert not [q for q in quads if q.subject.value in known | terms], g
    assert len(stored[KNOWLEDGE_GRAPH]) == len(knowledge_graph_quads())


_SHARE, _STORE, _TRANSFER, _COLLECT = (frozenset({t}) for t in (DPVT.Share, DPVT.Store, DPVT.Transfer, DPVT.Collect))


def _expected(node: str, p: dict[str, set[str]]) -> tuple[str, set[frozenset[str]] | None]:
    """What a fact of this shape is, and the processing it may have in DPV's full form (None: not a
    dpv:PersonalDataProcess)."""
    flow = GB.DataFlow in p[TYPE]
    if flow:
        return "flow", {_SHARE}
    if DPVT.hasStorageCondition in p:
        return "retention", {_STORE}
    if {DPVT.hasDataProcessor, DPVT.hasRecipientThirdParty, DPVT.hasRecipient} & set(p):
        return "share", {_SHARE}
    if DPVT.hasPersonalData in p:
        return "collect", {_COLLECT}
    if DPVT.hasPurpose in p or (DPVT.hasLegalBasis in p and "#legal_bases/" in node):
        return "purpose", {frozenset()}
    if GB.NegatedPractice in p[TYPE] or GB.RightStatement in p[TYPE]:
        return "statement", None
    if DPVT.hasLocation in p and "#locations/practice-" in node:
        return "location", {_STORE, _TRANSFER}
    return "other", None


def test_an_export_writes_every_practice_out_in_full_dpv(
    built: tuple[dict[str, list[ox.Quad]], dict[str, list[ox.Quad]]],
) -> None:
    stored, exported = built
    extractors = {*REGISTRY, FLOWS, "first_party"}
    kinds: dict[str, int] = defaultdict(int)
    for g in (g for g in exported if is_document_graph(g)):
        quads = exported[g]
        assert set(stored[g]) <= set(quads)  # nothing the store holds is lost
        props: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for q in quads:
            props[q.subject.value][q.predicate.value].add(q.object.value)
        company = props[g][DPVT.hasDataController]
        for node, p in props.items():
            if DERIVED in p:  # every fact names the extractor that read it, and the IRI agrees
                assert len(p[GB.extractor]) == 1 and p[GB.extractor] <= extractors, node
                (name,) = p[GB.extractor]
                assert name == "first_party" or f"#{name}/" in node
            kind, allowed = _expected(node, p)
            kinds[kind] += 1
            is_process = DPVT.PersonalDataProcess in p[TYPE]
            processing = frozenset(p.get(DPVT.hasProcessing, set()))
            if allowed is None:  # not a practice: no class, no processing; a statement has the controller
                assert not is_process and not processing, node
                assert kind != "statement" or p[DPVT.hasDataController] == company, node
            else:
                assert is_process and p[DPVT.hasDataController] == company and processing in allowed, node
    assert all(kinds[k] for k in ("flow", "retention", "share", "collect", "purpose", "statement", "location"))


def test_the_knowledge_graph_is_replaced_when_it_differs(tmp_path: Path) -> None:
    db = str(tmp_path / "store")
    store = open_store(db)
    try:
        build([str(EXAMPLES)], store, jobs=1)
        assert isinstance(store, EmbeddedStore)
        kg = ox.NamedNode(KNOWLEDGE_GRAPH)
        # a store written by another graphbuild: another version, a vendor it did not know of
        store._store.update(
            f"DELETE WHERE {{ GRAPH {kg} {{ {kg} <{GB.knowledgeVersion}> ?v }} }} ;"
            f"DELETE WHERE {{ GRAPH {kg} {{ <https://graphbuild.dev/id/vendor/stripe> ?p ?o }} }} ;"
            f'INSERT DATA {{ GRAPH {kg} {{ {kg} <{GB.knowledgeVersion}> "older" }} }}'
        )
        report = build([str(EXAMPLES)], store, jobs=1)
        assert not report.built  # the documents are unchanged; only the knowledge graph is written again
        held = set(store._store.quads_for_pattern(None, None, None, kg))
    finally:
        store.close()
    assert held == set(knowledge_graph_quads())
    assert "graph@" in versions()


def test_a_fact_cannot_cite_evidence_another_extractor_read() -> None:
    doc = Document(source="x.txt", text="We use Stripe.", sha256="0" * 64, title="", format="text", encoding="utf-8")
    g = Graph("https://graphbuild.dev/id/doc/x")
    write = EvidenceWriter(g, doc, "https://graphbuild.dev/id/doc/x")
    evidence = Evidence(doc.sha256, doc.source, 7, 13, "Stripe", "vendors", "5")
    write(fact_iri("https://graphbuild.dev/id/doc/x", "vendors", "share-stripe"), evidence)
    with pytest.raises(ValueError, match="read by 'vendors'"):
        write(fact_iri("https://graphbuild.dev/id/doc/x", "retention", "retention-0"), evidence)


def test_a_store_of_an_earlier_layout_is_named_rather_than_read_as_empty(tmp_path: Path) -> None:
    from graphbuild.errors import StoreError
    from graphbuild.queries import run_named

    db = str(tmp_path / "store")
    store = open_store(db)
    try:
        build([str(EXAMPLES)], store, jobs=1)
        assert run_named(store, "vendors").rows
        assert isinstance(store, EmbeddedStore)
        # what an earlier graphbuild wrote: another layout, no controller on the document
        store._store.update(
            f"DELETE {{ GRAPH ?g {{ ?g <{GB.extractorVersions}> ?v . ?g <{DPVT.hasDataController}> ?c }} }}"
            f'INSERT {{ GRAPH ?g {{ ?g <{GB.extractorVersions}> "vendors@4 graph@5" }} }}'
            f"WHERE {{ GRAPH ?g {{ ?g <{GB.extractorVersions}> ?v . ?g <{DPVT.hasDataController}> ?c }} }}"
        )
        with pytest.raises(StoreError, match="built by an earlier graphbuild"):
            run_named(store, "vendors")
        build([str(EXAMPLES)], store, jobs=1)  # building again brings it up to date
        assert run_named(store, "vendors").rows
    finally:
        store.close()


def test_an_earlier_version_is_exported_in_full_dpv_too(tmp_path: Path) -> None:
    source = tmp_path / "policy.md"
    text = (EXAMPLES / sorted(p.name for p in EXAMPLES.iterdir() if p.suffix == ".md")[0]).read_text()
    db = str(tmp_path / "store")
    store = open_store(db)
    try:
        source.write_text(text)
        build([str(source)], store, jobs=1)
        source.write_text(text + "\n\nWe keep backups for 30 days.\n")
        build([str(source)], store, jobs=1)  # the first text is kept as an earlier version
        out = tmp_path / "export.nq"
        with out.open("wb") as fh:
            store.export(fh, "nquads")
    finally:
        store.close()
    graphs = _by_graph(list(ox.parse(out.read_bytes(), format=ox.RdfFormat.N_QUADS)))
    versions = [g for g in graphs if "/version/" in g]
    assert len(versions) == 1
    for g in (versions[0], versions[0].split("/version/")[0]):
        hubs = {
            q.subject.value
            for q in graphs[g]
            if q.predicate.value == TYPE and q.object.value == DPVT.PersonalDataProcess
        }
        assert hubs, g
        controlled = {q.subject.value for q in graphs[g] if q.predicate.value == DPVT.hasDataController}
        named = {q.subject.value for q in graphs[g] if q.predicate.value == GB.extractor}
        assert hubs <= controlled and hubs <= named, g


def test_views_find_a_vendors_headquarters_in_the_knowledge_graph(tmp_path: Path) -> None:
    from graphbuild.views.data import read_corpus
    from tests.conftest import SAMPLES

    store = open_store(str(tmp_path / "store"))
    try:
        build([str(SAMPLES), str(EXAMPLES)], store, jobs=1)
        corpus = read_corpus(store)
    finally:
        store.close()
    kb = knowledge_base()
    headquarters = {
        (recipient, code)
        for by_recipient in corpus.countries.values()
        for recipient, found in by_recipient.items()
        for code, how in found
        if how == "headquarters"
    }
    assert len(headquarters) >= 5
    for recipient, code in headquarters:
        vendor = kb.lookup(recipient)
        assert vendor is not None and kb.organisation(vendor).country == code, (recipient, code)
    assert any(how == "stated" for r in corpus.countries.values() for found in r.values() for _, how in found)
