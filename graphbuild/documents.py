"""The stored documents: list them, remove some, and prune those whose source file is gone (a renamed file
would otherwise leave its company twice in every query)."""

from __future__ import annotations

import os
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from graphbuild.graph_writer import document_iri, source_id
from graphbuild.model import Document
from graphbuild.queries import term_value
from graphbuild.store import GraphStore
from graphbuild.vocab import GB

_DOCUMENTS = f"""
PREFIX dpv: <https://w3id.org/dpv#>
SELECT ?g ?source ?sha ?versions ?built (SAMPLE(?name) AS ?company) WHERE {{
  GRAPH ?g {{
    ?g <http://purl.org/dc/terms/source> ?source ; <{GB.sha256}> ?sha .
    OPTIONAL {{ ?g <{GB.extractorVersions}> ?versions }}
    OPTIONAL {{ ?g <{GB.builtAt}> ?built }}
    OPTIONAL {{ ?g <{GB.firstParty}> ?c . ?c dpv:hasName ?name }}
  }}
}} GROUP BY ?g ?source ?sha ?versions ?built ORDER BY ?source"""


@dataclass(frozen=True)
class StoredDocument:
    """One stored policy graph."""

    graph: str
    source: str
    company: str
    sha256: str
    extractor_versions: str
    built_at: str


def list_documents(store: GraphStore) -> list[StoredDocument]:
    """Every complete document graph in the store, by source."""
    return [
        StoredDocument(*(term_value(v) or "" for v in (g, source, company, sha, versions, built)))
        for g, source, sha, versions, built, company in store.select(_DOCUMENTS).rows
    ]


_TEXTS = f"""
SELECT ?source ?text WHERE {{
  GRAPH ?g {{ ?g <http://purl.org/dc/terms/source> ?source ; <{GB.text}> ?text }}
}} ORDER BY ?source"""


def stored_texts(store: GraphStore) -> list[Document]:
    """The stored documents made again from their stored text (for checks that need the whole text); the
    text is already cleaned, so it is read as plain text with its paragraphs."""
    return [
        from_stored_text(term_value(source) or "", term_value(text) or "") for source, text in store.select(_TEXTS).rows
    ]


def from_stored_text(source: str, text: str) -> Document:
    """A document made again from its stored, already cleaned text (read as plain text with its paragraphs)."""
    from graphbuild.ingest import parse_text

    return parse_text(source, text, fmt="text")


def _local_path(source: str) -> Path | None:
    """The file a stored ``file:`` source names."""
    if not source.startswith("file:"):
        return None
    return Path(urllib.parse.unquote(urllib.parse.urlsplit(source).path))


def remove_documents(store: GraphStore, sources: Iterable[str]) -> tuple[list[str], list[str]]:
    """Drop the graphs of ``sources`` (paths, URLs or stored source IRIs); returns (removed, not stored)."""
    stored = {d.source: d.graph for d in list_documents(store)}
    graphs = set(store.graphs())
    removed, missing = [], []
    for given in sources:
        graph = stored.get(given) or document_iri(given)
        if graph in graphs:
            removed.append(graph)
        else:
            missing.append(given)
    store.drop_graphs(removed)
    return removed, missing


def prune(store: GraphStore, paths: Iterable[str]) -> list[str]:
    """Drop the documents whose source file lies under one of ``paths`` and no longer exists; returns
    their sources."""
    roots = [Path(source_id(p).removeprefix("file://")) for p in paths if not p.startswith(("http://", "https://"))]
    roots = [Path(urllib.parse.unquote(str(r))) for r in roots]
    gone = []
    for doc in list_documents(store):
        path = _local_path(doc.source)
        if path is None or os.path.exists(path):
            continue
        if any(path == root or root in path.parents for root in roots):
            gone.append(doc)
    store.drop_graphs([d.graph for d in gone])
    return [d.source for d in gone]
