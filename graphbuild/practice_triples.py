"""Practices as DPV quads: data categories, purposes, legal bases, rights, recipient categories,
children, dates, contacts and the data-flow hubs that join them.

Each practice is a node of its own (a hub) with the terms it states and the span it was read from. Its
controller is the document's (``<document> dpv:hasDataController``), and its DPV class and processing follow
from its kind, so neither is repeated on every hub: exports write them out (:mod:`graphbuild.dpv_export`)."""

from __future__ import annotations

from collections import defaultdict

from pyoxigraph import Literal, NamedNode

from graphbuild.graph_writer import EvidenceWriter, Graph, fact_iri, mention_iri, retention_iri
from graphbuild.knowledge.taxonomy import taxonomy
from graphbuild.knowledge_triples import recipient_category_iri
from graphbuild.model import ChildAge, Contact, DataFlow, EffectiveDate, Finding, Retention, TermMention
from graphbuild.vocab import DCT, DPVT, GB, LOC, RDF, XSD

_A = str(RDF.type)
_INT = NamedNode(str(XSD.integer))
_DATE = NamedNode(str(XSD.date))
# (hub prefix, property linking the hub to the term) per taxonomy.
_HUBS = {
    "data_categories": ("data", DPVT.hasPersonalData),
    "purposes": ("purpose", DPVT.hasPurpose),
    "legal_bases": ("legal-basis", DPVT.hasLegalBasis),
    "recipients": ("recipients", DPVT.hasRecipient),
}


def _term(kind: str, key: str) -> str:
    """The IRI a taxonomy key stands for (labelled in the knowledge graph)."""
    if kind == "recipients":
        return recipient_category_iri(key)
    return taxonomy(kind).terms[key].iri


def practice_quads(g: Graph, doc_iri: str, company: str, findings: list[Finding], evidence: EvidenceWriter) -> None:
    """Add every practice finding of one document to ``g``."""
    _terms(g, doc_iri, [f for f in findings if isinstance(f, TermMention)], evidence)
    _facts(g, doc_iri, company, findings, evidence)
    retentions = (f for f in findings if isinstance(f, Retention))
    retention_nodes = {r: retention_iri(doc_iri, i) + "-condition" for i, r in enumerate(retentions)}
    for i, flow in enumerate(f for f in findings if isinstance(f, DataFlow)):
        _flow(g, fact_iri(doc_iri, "data_flows", f"flow-{i}"), flow, retention_nodes, evidence)


def _terms(g: Graph, doc_iri: str, mentions: list[TermMention], evidence: EvidenceWriter) -> None:
    groups: dict[tuple[str, str, bool], list[TermMention]] = defaultdict(list)
    for m in mentions:
        groups[(m.kind, m.key, m.negated)].append(m)
    for (kind, key, negated), group in sorted(groups.items()):
        node = _term(kind, key)
        if negated:
            if (kind, key, False) in groups:
                continue  # denied in one sentence, stated in another: the statement stands, no negative edge
            hub = fact_iri(doc_iri, kind, f"negated-{key}")
            g.add(hub, _A, GB.NegatedPractice)
            g.add(hub, DPVT.hasNonInvolvedEntity if kind == "recipients" else GB.negatedTerm, node)
        elif kind == "rights":
            hub = fact_iri(doc_iri, kind, f"right-{key}")
            g.add(hub, _A, GB.RightStatement)
            g.add(hub, DPVT.hasRight, node)
        else:
            prefix, prop = _HUBS[kind]
            hub = fact_iri(doc_iri, kind, f"{prefix}-{key}")
            g.add(hub, prop, node)
        for m in group:
            if m.condition:
                g.text(hub, GB.condition, m.condition)
            evidence(hub, m.evidence)


def _facts(g: Graph, doc_iri: str, company: str, findings: list[Finding], evidence: EvidenceWriter) -> None:
    for f in findings:
        if isinstance(f, ChildAge):
            node = fact_iri(doc_iri, "children", f"children-{f.age}")
            g.add(node, _A, GB.ChildrenNotice)
            g.add(node, GB.ageThreshold, Literal(str(f.age), datatype=_INT))
            g.add(doc_iri, GB.childAgeThreshold, Literal(str(f.age), datatype=_INT))
            evidence(node, f.evidence)
        elif isinstance(f, EffectiveDate):
            node = fact_iri(doc_iri, "dates", f"date-{f.kind}")
            g.add(node, _A, GB.DateStatement)
            g.add(node, str(DCT.date), Literal(f.date, datatype=_DATE))
            g.add(doc_iri, str(DCT.issued if f.kind == "effective" else DCT.modified), Literal(f.date, datatype=_DATE))
            evidence(node, f.evidence)
        elif isinstance(f, Contact):
            _contact(g, doc_iri, company, f, evidence)


def _contact(g: Graph, doc_iri: str, company: str, f: Contact, evidence: EvidenceWriter) -> None:
    dpo = fact_iri(doc_iri, "contacts", "dpo")
    if f.kind in ("dpo", "dpo-email"):
        g.add(dpo, _A, DPVT.DataProtectionOfficer)
        g.add(company, DPVT.hasDataProtectionOfficer, dpo)
        if f.kind == "dpo-email":
            g.text(dpo, GB.contactEmail, f.value)
        evidence(dpo, f.evidence)
        return
    node = fact_iri(doc_iri, "contacts", f"contact-{f.kind}-{abs(hash_text(f.value))}")
    g.add(node, _A, GB.ContactPoint)
    g.text(node, GB.contactKind, f.kind)
    g.text(node, GB.contactEmail if f.kind == "email" else GB.postalAddress, f.value)
    g.add(company, GB.hasContactPoint, node)
    evidence(node, f.evidence)


def hash_text(text: str) -> int:
    """A short stable number for a text (Python's hash() is salted per process)."""
    import zlib

    return zlib.crc32(text.encode())


def _flow(g: Graph, hub: str, flow: DataFlow, retention_nodes: dict[Retention, str], evidence: EvidenceWriter) -> None:
    g.add(hub, _A, GB.DataFlow)
    g.text(hub, GB.dataBasis, flow.basis)
    for key in flow.data:
        g.add(hub, DPVT.hasPersonalData, _term("data_categories", key))
    for m in flow.recipients:
        g.add(hub, DPVT.hasRecipient, mention_iri(m))
    for key in flow.recipient_categories:
        g.add(hub, DPVT.hasRecipient, _term("recipients", key))
    for key in flow.purposes:
        g.add(hub, DPVT.hasPurpose, _term("purposes", key))
    for r in flow.retention:
        if r in retention_nodes:
            g.add(hub, DPVT.hasStorageCondition, retention_nodes[r])
            g.text(hub, GB.retentionLabel, r.duration or r.condition or r.kind)
    for cc in flow.countries:
        g.add(hub, DPVT.hasLocation, f"{LOC}{cc}")
    evidence(hub, flow.evidence)


__all__ = ["practice_quads"]
