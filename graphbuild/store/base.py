"""What every store shares: the interface the pipeline, queries and views use, query results, parameter
binding, version naming and the export formats."""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Protocol

import pyoxigraph as ox

from graphbuild.errors import StoreError

DEFAULT_LOCATION = "out/graph.oxigraph"
Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple

EXPORT_FORMATS = {
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": None,  # serialised with rdflib from N-Quads
}

# An earlier version of a document keeps its own named graph, under its document's graph name plus this and
# the first characters of its text's sha256; queries read the current graphs unless asked for a date.
VERSION_INFIX = "/version/"
ALL_GRAPHS: tuple[str, ...] = ("*",)  # ``graphs=ALL_GRAPHS``: every graph, earlier versions included


@dataclass(frozen=True)
class Result:
    """Rows of a SELECT query: column names and, per row, a term or None for each column."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Term | None, ...], ...]


class GraphStore(Protocol):
    """What the pipeline, queries and views need from a store (embedded or remote)."""

    location: str

    def replace_graph(self, graph: str, quads: Iterable[ox.Quad]) -> None: ...
    def replace_graphs(self, graphs: Mapping[str, bytes], markers: bytes = b"", shared: bytes = b"") -> None: ...
    def select(
        self, sparql: str, bindings: Mapping[str, Term] | None = None, graphs: Sequence[str] | None = None
    ) -> Result: ...
    def drop_graphs(self, graphs: Iterable[str]) -> None: ...
    def graphs(self) -> list[str]: ...
    def export(self, out: IO[bytes], fmt: str) -> None: ...
    def optimize(self) -> None: ...
    def close(self) -> None: ...


def write_nquads_by_graph(graphs: Iterable[Iterable[ox.Quad]], out: IO[bytes]) -> None:
    """N-Quads one graph at a time (give them in order of name), in DPV's full form, lines sorted and unique
    within each: equal stores give equal files, and memory holds one graph rather than the whole store
    (several GB at 100,000 policies)."""
    from graphbuild.dpv_export import expand_graph

    for quads in graphs:
        full = expand_graph(quads)
        lines = sorted(set((ox.serialize(full, format=ox.RdfFormat.N_QUADS) or b"").splitlines()))
        if lines:
            out.write(b"\n".join(lines) + b"\n")


def write_export(dumped: bytes, out: IO[bytes], fmt: str) -> None:
    """Write N-Quads as ``fmt`` in DPV's full form (:mod:`graphbuild.dpv_export`): lines sorted and unique, so
    that equal stores give equal files."""
    from graphbuild.dpv_export import expand

    if fmt not in EXPORT_FORMATS:
        raise StoreError(f"unknown export format {fmt!r}; choose from {', '.join(EXPORT_FORMATS)}")
    full = expand(ox.parse(dumped, format=ox.RdfFormat.N_QUADS)) if dumped else []
    lines = sorted(set((ox.serialize(full, format=ox.RdfFormat.N_QUADS) or b"").decode("utf-8").splitlines()))
    nquads = ("\n".join(lines) + "\n" if lines else "").encode("utf-8")
    if fmt == "nquads":
        out.write(nquads)
        return
    if fmt == "jsonld":
        out.write(_jsonld_with_selectors(nquads))
        return
    staging = ox.Store()
    staging.load(nquads, ox.RdfFormat.N_QUADS)
    from graphbuild.vocab import PREFIXES

    rdf_format = EXPORT_FORMATS[fmt]
    if fmt in ("turtle", "ntriples"):  # triple formats: the union of all graphs
        union = ox.Store()
        union.extend(ox.Quad(q.subject, q.predicate, q.object) for q in staging)
        staging = union
        union.dump(out, rdf_format, prefixes=PREFIXES if fmt == "turtle" else None, from_graph=ox.DefaultGraph())
        return
    staging.dump(out, rdf_format, prefixes=PREFIXES)


def _jsonld_with_selectors(nquads: bytes) -> bytes:
    """JSON-LD in the W3C Web Annotation model: each evidence span a fact cites (a ``#char=start,end`` IRI)
    gets its oa:hasSource, a TextQuoteSelector with the quote (the document's text at those offsets) and a
    TextPositionSelector (oa:start, oa:end), as annotation tools expect."""
    from rdflib import RDF, Dataset, Literal, Namespace, URIRef
    from rdflib.namespace import XSD

    from graphbuild.graph_writer import span_offsets
    from graphbuild.vocab import GB, PROV

    oa = Namespace("http://www.w3.org/ns/oa#")
    ds = Dataset()
    ds.parse(data=nquads.decode("utf-8"), format="nquads")
    for graph in list(ds.graphs()):
        text = graph.value(graph.identifier, URIRef(GB.text))
        if text is None:
            continue
        for name in sorted({str(o) for o in graph.objects(None, URIRef(str(PROV.wasDerivedFrom)))}):
            offsets, span = span_offsets(name), URIRef(name)
            if offsets is None:
                continue
            quote, position = URIRef(f"{span}-quote"), URIRef(f"{span}-position")
            graph.add((span, oa.hasSource, URIRef(str(span).split("#", 1)[0])))
            graph.add((span, oa.hasSelector, quote))
            graph.add((span, oa.hasSelector, position))
            graph.add((quote, RDF.type, oa.TextQuoteSelector))
            graph.add((quote, oa.exact, Literal(str(text)[offsets[0] : offsets[1]])))
            graph.add((position, RDF.type, oa.TextPositionSelector))
            graph.add((position, oa.start, Literal(offsets[0], datatype=XSD.integer)))
            graph.add((position, oa.end, Literal(offsets[1], datatype=XSD.integer)))
    return ds.serialize(format="json-ld").encode("utf-8")


_GRAPH_BLOCK = re.compile(r"GRAPH\s+(?:\?\w+|<[^<>\s]*>)\s*\{")


def with_values(sparql: str, bindings: Mapping[str, Term]) -> str:
    """The query with its parameters bound by a VALUES data block at the top of every ``GRAPH ?g { … }`` (or
    ``GRAPH <name> { … }``) that uses them, so that the engine starts from the bound value.

    Each value is an RDF term written by pyoxigraph, which escapes it: a value can never end its literal
    and add SPARQL of its own. (Oxigraph's substitution API gives the same rows but is planned after the
    joins, a hundred times slower on a large store.) A parameter used outside any GRAPH block is bound by a
    trailing VALUES clause."""
    if not bindings:
        return sparql
    pieces, cursor, placed = [], 0, set()
    for m in _GRAPH_BLOCK.finditer(sparql):
        end, depth = m.end(), 1
        while depth and end < len(sparql):
            depth += {"{": 1, "}": -1}.get(sparql[end], 0)
            end += 1
        block = sparql[m.end() : end]
        used = [name for name in bindings if re.search(rf"\?{re.escape(name)}\b", block)]
        if used:
            pieces += [sparql[cursor : m.end()], f"\n    {_values(used, bindings)}"]
            cursor = m.end()
            placed.update(used)
    pieces.append(sparql[cursor:])
    rest = [name for name in bindings if name not in placed]
    return "".join(pieces) + (f"\n{_values(rest, bindings)}\n" if rest else "")


def _values(names: list[str], bindings: Mapping[str, Term]) -> str:
    return f"VALUES ({' '.join('?' + n for n in names)}) {{ ({' '.join(str(bindings[n]) for n in names)}) }}"


def first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__


def redact(url: str) -> str:
    """The URL without a user name or password in it (``http://user:secret@host`` → ``http://host``)."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"[{host}]" if ":" in host else host
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc + (f":{parts.port}" if parts.port else "")))


def store_name(location: str) -> str:
    """A store's location as it may be shown: a server URL without its credentials."""
    return redact(location) if location.startswith(("http://", "https://")) else location
