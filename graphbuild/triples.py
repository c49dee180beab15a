"""Findings → DPV-aligned RDF quads in one named graph per document, every fact with its evidence."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad

from graphbuild.errors import printable
from graphbuild.extractors import versions
from graphbuild.graph_writer import (
    EvidenceWriter,
    Graph,
    document_iri,
    fact_iri,
    org_iri,
    retention_iri,
    slug,
    source_id,
    vendor_iri,
)
from graphbuild.knowledge.taxonomy import taxonomy
from graphbuild.knowledge_triples import category_iri
from graphbuild.model import Document, Finding, FirstParty, Location, Retention, VendorMention
from graphbuild.practice_triples import practice_quads
from graphbuild.vocab import DCT, DPVT, EU_GDPR, GB, LOC, PROV, RDF, XSD

_A = str(RDF.type)
_A_NODE = NamedNode(_A)
_XSD_DURATION = NamedNode(str(XSD.duration))
_SAFEGUARD_TERMS = {"SCC": "A46-2-c", "BCR": "A47", "adequacy": "A45-3", "DPF": "A45-3", "consent": "A49-1-a"}
_ROLE_PROPERTY = {
    "processor": DPVT.hasDataProcessor,
    "third-party": DPVT.hasRecipientThirdParty,
    "recipient": DPVT.hasRecipient,
}
_ROLE_RANK = {"processor": 0, "third-party": 1, "recipient": 2}
_DURATION_CLASS = {
    "fixed": DPVT.TemporalDuration,
    "until-event": DPVT.UntilEventDuration,
    "indeterminate": DPVT.IndeterminateDuration,
    "endless": DPVT.EndlessDuration,
}
_LOCATION_CLASS = {
    "storage": DPVT.StorageLocation,
    "transfer": DPVT.CrossBorderTransfer,
    "office": GB.OfficeLocation,
    "operations": GB.OperatingLocation,
}


def document_quads(
    doc: Document,
    findings: Iterable[Finding],
    retrieved_at: str | None = None,
    hint: str = "",
    extractor_versions: str | None = None,
    built_at: str | None = None,
) -> list[Quad]:
    """All quads of one document's graph (``hint``: what the user said of it, and ``extractor_versions``:
    which extractors read it, both kept for incremental builds).

    The company the document names is the controller of every practice in it: the document says so once
    (``<document> dpv:hasDataController <company>``) rather than every practice. What graphbuild knows of a
    vendor or a taxonomy term is in the knowledge graph (:mod:`graphbuild.knowledge_triples`), not here."""
    doc_iri = document_iri(doc.source)
    g = Graph(doc_iri)
    findings = list(findings)
    g.add(doc_iri, _A, DPVT.PrivacyNotice)
    g.text(doc_iri, str(DCT.source), source_id(doc.source))
    if doc.title:
        g.text(doc_iri, str(DCT.title), doc.title)
    g.text(doc_iri, GB.sha256, doc.sha256)
    g.text(doc_iri, GB.extractorVersions, extractor_versions or versions())
    g.text(doc_iri, GB.format, doc.format)
    g.text(doc_iri, GB.text, doc.text)
    if built_at:
        g.add(doc_iri, GB.builtAt, Literal(built_at, datatype=NamedNode(str(XSD.dateTime))))
    if retrieved_at:
        stamp = retrieved_at.replace(" ", "T") if len(retrieved_at) > 10 else f"{retrieved_at}T00:00:00"
        g.add(doc_iri, GB.retrievedAt, Literal(stamp, datatype=NamedNode(str(XSD.dateTime))))
    if doc.url:
        g.add(doc_iri, str(PROV.hadPrimarySource), doc.url)
    if hint:
        g.text(doc_iri, GB.userHint, hint)
    company = _company(g, doc, doc_iri, findings)
    evidence = EvidenceWriter(g, doc, doc_iri)
    _vendors(g, doc_iri, company, [f for f in findings if isinstance(f, VendorMention)], evidence)
    for i, f in enumerate(f for f in findings if isinstance(f, Retention)):
        _retention(g, doc_iri, i, f, evidence)
    _locations(g, doc_iri, company, [f for f in findings if isinstance(f, Location)], evidence)
    practice_quads(g, doc_iri, company, findings, evidence)
    return list(g.quads)


def _company(g: Graph, doc: Document, doc_iri: str, findings: list[Finding]) -> str:
    fp = next((f for f in findings if isinstance(f, FirstParty)), None)
    if fp is None:
        # No company could be named: the practices still need a controller, so the document's own
        # unnamed controller stands in, named after the file so that a reader can find it.
        iri = f"{doc_iri}#controller"
        g.add(iri, _A, DPVT.Organisation)
        g.text(iri, DPVT.hasName, f"(unnamed) {printable(Path(doc.source).name)}")
        g.add(doc_iri, DPVT.hasDataController, iri)
        return iri
    iri = org_iri(fp.name)
    g.add(iri, _A, DPVT.Organisation)
    g.text(iri, DPVT.hasName, fp.name)
    for entity in fp.legal_entities:
        g.text(iri, GB.legalEntityName, entity)
    g.add(doc_iri, GB.firstParty, iri)
    g.add(doc_iri, DPVT.hasDataController, iri)
    g.text(doc_iri, GB.firstPartyConfidence, fp.confidence)
    for reason in fp.reasons:
        g.text(doc_iri, GB.firstPartyReason, reason)
    EvidenceWriter(g, doc, doc_iri)(iri, fp.evidence)
    return iri


def _describe_vendor(g: Graph, m: VendorMention) -> str:
    """The vendor's IRI; a vendor the knowledge base does not know is described here, from the document
    (its name, the organisation the document names behind it, the category its context suggests)."""
    if m.kb_key:
        return vendor_iri(m.kb_key)  # described once, in the knowledge graph
    iri = vendor_iri(slug(m.name))
    g.text(iri, DPVT.hasName, m.name)
    if slug(m.org) != slug(m.name):
        g.add(iri, GB.providedBy, vendor_iri(slug(m.org)))
        g.add(vendor_iri(slug(m.org)), _A, DPVT.Organisation)
        g.text(vendor_iri(slug(m.org)), DPVT.hasName, m.org)
    # Shortcuts beside the structure above, as the knowledge graph has them: queries read them with single
    # lookups (Oxigraph evaluates a multi-step OPTIONAL over the whole store).
    g.text(iri, GB.organisationName, m.org)
    g.text(iri, GB.categoryLabel, m.category)
    g.add(iri, _A, GB.Vendor)
    g.add(iri, GB.vendorCategory, category_iri(m.category))
    return iri


def _vendors(g: Graph, doc_iri: str, company: str, mentions: list[VendorMention], evidence: EvidenceWriter) -> None:
    positive: dict[str, list[VendorMention]] = defaultdict(list)
    negative: dict[str, list[VendorMention]] = defaultdict(list)
    for m in mentions:
        iri = _describe_vendor(g, m)
        (negative if m.negated else positive)[iri].append(m)
    for iri, group in positive.items():
        hub = fact_iri(doc_iri, "vendors", f"share-{iri.rsplit('/', 1)[-1]}")
        role = min((m.role for m in group), key=_ROLE_RANK.__getitem__)
        g.add(hub, _ROLE_PROPERTY[role], iri)
        g.add(company, GB.sharesDataWith, iri)
        for m in group:
            evidence(hub, m.evidence)
    for iri, group in negative.items():
        if iri in positive:
            continue  # a negated sentence beside positive ones adds no edge and takes none away
        hub = fact_iri(doc_iri, "vendors", f"negated-{iri.rsplit('/', 1)[-1]}")
        g.add(hub, _A, GB.NegatedPractice)
        g.add(hub, GB.negatedProcessing, DPVT.Share)
        g.add(hub, GB.negatedRecipient, iri)
        g.add(hub, DPVT.hasNonInvolvedEntity, iri)
        for m in group:
            evidence(hub, m.evidence)


def _retention(g: Graph, doc_iri: str, i: int, r: Retention, evidence: EvidenceWriter) -> None:
    hub = retention_iri(doc_iri, i)
    condition, duration = hub + "-condition", hub + "-duration"
    g.text(hub, GB.dataLabel, r.data)
    g.add(hub, DPVT.hasStorageCondition, condition)
    g.add(condition, _A, DPVT.StorageDuration)
    g.add(condition, DPVT.hasDuration, duration)
    g.add(duration, _A, _DURATION_CLASS[r.kind])
    if r.duration:
        g.add(duration, str(RDF.value), Literal(r.duration, datatype=_XSD_DURATION))
    if r.condition:
        g.text(duration, GB.condition, r.condition)
    for m in taxonomy("data_categories").find(r.data):  # "Log data" → the usage-data term it governs
        if not m.anchored:
            g.add(hub, DPVT.hasPersonalData, m.term.iri)
    evidence(hub, r.evidence)


def _locations(g: Graph, doc_iri: str, company: str, found: list[Location], evidence: EvidenceWriter) -> None:
    for loc in found:
        node = fact_iri(doc_iri, "locations", f"location-{loc.country}-{loc.kind}")
        country = f"{LOC}{loc.country}"
        g.add(node, _A, _LOCATION_CLASS[loc.kind])
        g.text(node, GB.locationKind, loc.kind)
        g.text(node, GB.countryCode, loc.country)
        g.add(node, DPVT.hasThirdCountry if loc.kind == "transfer" else DPVT.hasLocation, country)
        if loc.safeguard:
            g.text(node, GB.safeguard, loc.safeguard)
            if loc.safeguard in _SAFEGUARD_TERMS:
                g.add(
                    node, DPVT.hasLegalBasis, f"{EU_GDPR}{_SAFEGUARD_TERMS[loc.safeguard]}"
                )  # GDPR Art. 45-49: legal bases for a transfer
        if loc.kind in ("storage", "transfer"):
            hub = fact_iri(doc_iri, "locations", f"practice-{loc.kind}-{loc.country}")
            g.add(hub, DPVT.hasLocation, node)
            evidence(hub, loc.evidence)
        else:
            g.add(company, DPVT.hasLocation, node)
        evidence(node, loc.evidence)


def iter_nquads(quads: Iterable[Quad]) -> Iterator[str]:
    """N-Quads lines for quads (pyoxigraph escapes every term)."""
    for q in quads:
        yield f"{q} .\n"
