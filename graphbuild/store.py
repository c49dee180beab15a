"""The graph store: an embedded on-disk Oxigraph store (one named graph per document)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Protocol

import pyoxigraph as ox

from graphbuild.errors import QueryError, StoreError, StoreInUseError

DEFAULT_LOCATION = "out/graph.oxigraph"
Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple

EXPORT_FORMATS = {
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": None,  # serialised with rdflib from N-Quads
}


@dataclass(frozen=True)
class Result:
    """Rows of a SELECT query: column names and, per row, a term or None for each column."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Term | None, ...], ...]


class GraphStore(Protocol):
    """What the pipeline, queries and views need from a store (embedded or remote)."""

    location: str

    def replace_graph(self, graph: str, quads: Iterable[ox.Quad]) -> None: ...
    def replace_graphs(self, graphs: Mapping[str, bytes], markers: bytes = b"") -> None: ...
    def select(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> Result: ...
    def graphs(self) -> list[str]: ...
    def export(self, out: IO[bytes], fmt: str) -> None: ...
    def optimize(self) -> None: ...
    def close(self) -> None: ...


class EmbeddedStore:
    """Oxigraph on disk. One writer process at a time; readers open it read-only beside the writer."""

    def __init__(self, location: str = DEFAULT_LOCATION, read_only: bool = False) -> None:
        self.location = location
        self.read_only = read_only
        path = Path(location)
        try:
            if read_only:
                if not path.exists():
                    raise StoreError(f"{location}: no store here yet (run 'graphbuild build' first)")
                self._store = ox.Store.read_only(str(path))
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(path))
        except OSError as exc:
            message = str(exc)
            if "lock" in message.lower():
                raise StoreInUseError(
                    f"{location}: store in use by another graphbuild process (one writer at a time)"
                ) from None
            raise StoreError(f"{location}: cannot open the store: {message}") from None

    @classmethod
    def in_memory(cls) -> EmbeddedStore:
        """A store that lives in memory only (staging for exports of a remote store)."""
        store = cls.__new__(cls)
        store.location, store.read_only, store._store = ":memory:", False, ox.Store()
        return store

    def load_quads(self, quads: Iterable[ox.Quad]) -> None:
        """Add quads as they are."""
        self._store.extend(quads)

    def replace_graph(self, graph: str, quads: Iterable[ox.Quad]) -> None:
        """Replace the named graph ``graph`` with ``quads``."""
        if self.read_only:
            raise StoreError(f"{self.location}: opened read-only")
        name = ox.NamedNode(graph)
        batch = list(quads)
        try:
            self._store.remove_graph(name) if self._store.contains_named_graph(name) else None
            self._store.extend(batch)
            self._store.add_graph(name)
        except OSError as exc:
            raise StoreError(f"{self.location}: write failed: {exc}") from None

    def replace_graphs(self, graphs: Mapping[str, bytes], markers: bytes = b"") -> None:
        """Replace several graphs from their N-Quads with Oxigraph's bulk loader, then add their completion
        markers in one transaction. The bulk loader is not atomic: a build stopped halfway leaves graphs
        without their marker, and the next build rebuilds exactly those."""
        if self.read_only:
            raise StoreError(f"{self.location}: opened read-only")
        try:
            for graph in graphs:
                name = ox.NamedNode(graph)
                if self._store.contains_named_graph(name):
                    self._store.remove_graph(name)
            self._store.bulk_load(b"".join(graphs.values()), format=ox.RdfFormat.N_QUADS)
            if markers:
                self._store.load(markers, format=ox.RdfFormat.N_QUADS)
        except (OSError, SyntaxError) as exc:
            raise StoreError(f"{self.location}: write failed: {exc}") from None

    def select(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> Result:
        """Run a SELECT query with parameters substituted by the engine (never formatted into text)."""
        try:
            solutions = self._store.query(with_values(sparql, bindings or {}))
        except SyntaxError as exc:
            raise QueryError(f"malformed SPARQL: {_first_line(exc)}") from None
        except OSError as exc:
            raise StoreError(f"{self.location}: query failed: {exc}") from None
        if not isinstance(solutions, ox.QuerySolutions):
            raise QueryError("only SELECT queries return rows (use ASK/CONSTRUCT through 'graphbuild sparql')")
        columns = tuple(v.value for v in solutions.variables)
        rows = tuple(tuple(sol[c] for c in columns) for sol in solutions)
        return Result(columns, rows)

    def raw_query(self, sparql: str) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """Any query form, as the engine's own result object (for serialising it as it is)."""
        try:
            return self._store.query(sparql)
        except SyntaxError as exc:
            raise QueryError(f"malformed SPARQL: {_first_line(exc)}") from None
        except OSError as exc:
            raise StoreError(f"{self.location}: query failed: {exc}") from None

    def ask(self, sparql: str) -> bool:
        """Run an ASK query."""
        try:
            return bool(self._store.query(sparql))
        except SyntaxError as exc:
            raise QueryError(f"malformed SPARQL: {_first_line(exc)}") from None

    def construct(self, sparql: str) -> list[ox.Triple]:
        """Run a CONSTRUCT or DESCRIBE query."""
        try:
            result = self._store.query(sparql)
        except SyntaxError as exc:
            raise QueryError(f"malformed SPARQL: {_first_line(exc)}") from None
        return list(result)  # type: ignore[arg-type]

    def graphs(self) -> list[str]:
        """Names of the stored document graphs, sorted."""
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def count(self) -> int:
        """Number of quads stored."""
        return len(self._store)

    def export(self, out: IO[bytes], fmt: str) -> None:
        """Write every graph in ``fmt`` (N-Quads lines sorted, so equal stores give equal files)."""
        if fmt not in EXPORT_FORMATS:
            raise StoreError(f"unknown export format {fmt!r}; choose from {', '.join(EXPORT_FORMATS)}")
        buffer = io.BytesIO()
        self._store.dump(buffer, ox.RdfFormat.N_QUADS)
        lines = sorted(set(buffer.getvalue().decode("utf-8").splitlines()))
        nquads = ("\n".join(lines) + "\n" if lines else "").encode("utf-8")
        if fmt == "nquads":
            out.write(nquads)
            return
        if fmt == "jsonld":
            from rdflib import Dataset

            ds = Dataset()
            ds.parse(data=nquads.decode("utf-8"), format="nquads")
            out.write(ds.serialize(format="json-ld").encode("utf-8"))
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

    def optimize(self) -> None:
        """Compact the on-disk indexes (after bulk loads)."""
        if not self.read_only:
            try:
                self._store.optimize()
            except OSError as exc:
                raise StoreError(f"{self.location}: optimize failed: {exc}") from None

    def flush(self) -> None:
        """Make writes durable."""
        if not self.read_only:
            self._store.flush()

    def close(self) -> None:
        """Flush and release the store (and its lock)."""
        if hasattr(self, "_store"):
            self.flush()
            del self._store


_GRAPH_BLOCK = re.compile(r"GRAPH\s+\?\w+\s*\{")


def with_values(sparql: str, bindings: Mapping[str, Term]) -> str:
    """The query with its parameters bound by a VALUES data block at the top of every ``GRAPH ?g { … }``
    that uses them, so that the engine starts from the bound value.

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


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__


def open_store(
    location: str | None = None, read_only: bool = False, endpoints: Mapping[str, str | None] | None = None
) -> GraphStore:
    """Open the store at ``location``: a path (embedded) or an http(s) SPARQL endpoint (``endpoints``
    may name its query_url, update_url and store_url when they are not Oxigraph's)."""
    location = location or DEFAULT_LOCATION
    if location.startswith(("http://", "https://")):
        from graphbuild.remote import RemoteStore

        return RemoteStore(location, **(endpoints or {}))
    return EmbeddedStore(location, read_only=read_only)
