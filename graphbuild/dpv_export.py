"""Exports in DPV's full form: the store leaves out what follows from a fact's document and kind, an export
writes it out again.

In the store, a document names its controller once (``<document> dpv:hasDataController <company>``) and a
fact's IRI names the extractor that read it (``<document#vendors/share-stripe>``). An exported graph gives
every practice hub its ``a dpv:PersonalDataProcess``, ``dpv:hasDataController`` and ``dpv:hasProcessing``
(Share, Collect, Store or Transfer, by its kind) and every fact its ``gb:extractor``, as tools reading DPV
one node at a time expect."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph as ox

from graphbuild.graph_writer import fact_extractor
from graphbuild.vocab import DPVT, GB, PROV, RDF

_CONTROLLER = ox.NamedNode(DPVT.hasDataController)
_DERIVED = ox.NamedNode(str(PROV.wasDerivedFrom))
_TYPE = ox.NamedNode(str(RDF.type))
_PROCESS = ox.NamedNode(DPVT.PersonalDataProcess)
_PROCESSING = ox.NamedNode(DPVT.hasProcessing)
_EXTRACTOR = ox.NamedNode(GB.extractor)
_SHARE, _COLLECT, _STORE, _TRANSFER = (ox.NamedNode(t) for t in (DPVT.Share, DPVT.Collect, DPVT.Store, DPVT.Transfer))

# The practice hubs by extractor and local name: (pattern, processing or None). A practice is a
# dpv:PersonalDataProcess with the document's controller; a statement of a right or a denial has the
# controller only; dates, contacts, children's notices and location nodes have neither.
_PRACTICES: dict[str, tuple[tuple[re.Pattern[str], ox.NamedNode | None], ...]] = {
    "vendors": ((re.compile(r"share-"), _SHARE),),
    "retention": ((re.compile(r"retention-\d+$"), _STORE),),
    "locations": ((re.compile(r"practice-storage-"), _STORE), (re.compile(r"practice-transfer-"), _TRANSFER)),
    "data_categories": ((re.compile(r"data-"), _COLLECT),),
    "purposes": ((re.compile(r"purpose-"), None),),
    "legal_bases": ((re.compile(r"legal-basis-"), None),),
    "recipients": ((re.compile(r"recipients-"), _SHARE),),
    "data_flows": ((re.compile(r"flow-"), _SHARE),),
}
_CONTROLLED_ONLY = re.compile(r"(negated|right)-")


def expand_graph(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """One graph's quads with the DPV quads a document's graph leaves out added (other graphs as they are)."""
    quads = list(quads)
    subjects = [s for s in dict.fromkeys(q.subject for q in quads) if isinstance(s, ox.NamedNode)]
    documents = [
        (q.subject, q.object, q.graph_name)
        for q in quads
        if q.predicate == _CONTROLLER and isinstance(q.subject, ox.NamedNode) and "#" not in q.subject.value
    ]
    if not documents:
        return quads
    # an earlier version's graph states its document's facts twice, on the document and on the version's name:
    # the document is the one the facts' IRIs start with
    doc, company, graph = max(documents, key=lambda d: sum(s.value.startswith(d[0].value + "#") for s in subjects))
    doc_iri = doc.value
    added: dict[ox.Quad, None] = {}
    cited = {q.subject for q in quads if q.predicate == _DERIVED}
    for node in subjects:
        extractor = fact_extractor(node.value, doc_iri)
        if node in cited and extractor:
            added[ox.Quad(node, _EXTRACTOR, ox.Literal(extractor), graph)] = None
        if not extractor or not node.value.startswith(doc_iri + "#"):
            continue
        local = node.value[len(doc_iri) + 1 :].partition("/")[2]
        if _CONTROLLED_ONLY.match(local):
            added[ox.Quad(node, _CONTROLLER, company, graph)] = None
            continue
        for pattern, processing in _PRACTICES.get(extractor, ()):
            if pattern.match(local):
                added[ox.Quad(node, _TYPE, _PROCESS, graph)] = None
                added[ox.Quad(node, _CONTROLLER, company, graph)] = None
                if processing is not None:
                    added[ox.Quad(node, _PROCESSING, processing, graph)] = None
                break
    present = set(quads)
    return [*quads, *(q for q in added if q not in present)]


def expand(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """Quads of any number of graphs, each graph expanded (:func:`expand_graph`)."""
    by_graph: dict[str, list[ox.Quad]] = defaultdict(list)
    for q in quads:
        by_graph[str(q.graph_name)].append(q)
    return [q for name in sorted(by_graph) for q in expand_graph(by_graph[name])]
