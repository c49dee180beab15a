"""Versions of a stored document: when a source's text changes, the earlier version keeps its own named
graph (linked from the new one by prov:wasRevisionOf). A version's date is the date the user gave (a
manifest's retrieval date), else the policy's own updated or effective date, else when it was built."""

from __future__ import annotations

from dataclasses import dataclass

from graphbuild.errors import QueryError
from graphbuild.graph_writer import document_iri
from graphbuild.knowledge_triples import KNOWLEDGE_GRAPH
from graphbuild.model import Document
from graphbuild.queries import term_value
from graphbuild.store import ALL_GRAPHS, VERSION_INFIX, GraphStore
from graphbuild.vocab import GB

_VERSIONS = f"""
PREFIX dct: <http://purl.org/dc/terms/>
SELECT ?g ?source ?sha ?built ?retrieved ?modified ?issued WHERE {{
  GRAPH ?g {{
    ?g <{GB.sha256}> ?sha ; dct:source ?source .
    OPTIONAL {{ ?g <{GB.builtAt}> ?built }}
    OPTIONAL {{ ?g <{GB.retrievedAt}> ?retrieved }}
    OPTIONAL {{ ?g dct:modified ?modified }}
    OPTIONAL {{ ?g dct:issued ?issued }}
  }}
}}"""
_TEXT = f"SELECT ?text WHERE {{ GRAPH ?g {{ ?g <{GB.text}> ?text }} }}"


@dataclass(frozen=True)
class Version:
    """One stored version of a document."""

    graph: str
    source: str
    sha256: str
    date: str  # YYYY-MM-DD
    dated_by: str  # retrieved | updated | effective | built
    current: bool


def _versions(store: GraphStore) -> list[Version]:
    found = []
    for g, source, sha, built, retrieved, modified, issued in store.select(_VERSIONS, graphs=ALL_GRAPHS).rows:
        graph = term_value(g) or ""
        dated = [
            (term_value(retrieved), "retrieved"),
            (term_value(modified), "updated"),
            (term_value(issued), "effective"),
            (term_value(built), "built"),
        ]
        date, how = next(((d[:10], h) for d, h in dated if d), ("", "unknown"))
        found.append(
            Version(graph, term_value(source) or "", term_value(sha) or "", date, how, VERSION_INFIX not in graph)
        )
    return found


def history(store: GraphStore, source: str) -> list[Version]:
    """Every stored version of ``source`` (a path, URL or stored source IRI), oldest first."""
    versions = _versions(store)
    base = next((v.graph for v in versions if v.current and v.source == source), None) or document_iri(source)
    mine = [v for v in versions if v.graph == base or v.graph.startswith(base + VERSION_INFIX)]
    if not mine:
        raise QueryError(f"{source}: not stored (see: graphbuild documents)")
    return sorted(mine, key=lambda v: (v.date, v.current))


def graphs_as_of(store: GraphStore, date: str) -> list[str]:
    """For each document, the graph of its newest version dated on or before ``date`` (YYYY-MM-DD); and the
    knowledge graph."""
    chosen: dict[str, Version] = {}
    for v in _versions(store):
        if v.date and v.date > date:
            continue
        base = v.graph.split(VERSION_INFIX, 1)[0]
        best = chosen.get(base)
        if best is None or (v.date, v.current) > (best.date, best.current):
            chosen[base] = v
    return [*sorted(v.graph for v in chosen.values()), KNOWLEDGE_GRAPH]  # and what documents point into


def version_text(store: GraphStore, version: Version) -> Document:
    """A stored version made again from its stored text (for a diff of two stored versions)."""
    from graphbuild.documents import from_stored_text

    rows = store.select(_TEXT, graphs=[version.graph]).rows
    if not rows:
        raise QueryError(f"{version.source}: version {version.sha256[:12]} has no stored text")
    return from_stored_text(version.source, term_value(rows[0][0]) or "")
