"""The embedded store: Oxigraph on disk, one named graph per document, one writer or readers at a time."""

from __future__ import annotations

import io
import shutil
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from graphbuild.errors import QueryError, StoreError, StoreInUseError
from graphbuild.store import compact as compaction
from graphbuild.store.base import (
    ALL_GRAPHS,
    DEFAULT_LOCATION,
    VERSION_INFIX,
    Result,
    Term,
    first_line,
    with_values,
    write_export,
    write_nquads_by_graph,
)
from graphbuild.store.summary import forget_unreached, summary_graph

_LOCK_FILE = "graphbuild.lock"
_REVISION_OF = ox.NamedNode("http://www.w3.org/ns/prov#wasRevisionOf")
_WRITER_WAIT = 10.0  # seconds a build waits for readers (a query, a view) to finish


class EmbeddedStore:
    """Oxigraph on disk. One writer at a time, and no reader while it writes: opening a RocksDB store
    read-only beside a writer is undefined behaviour, so a lock file beside the data keeps them apart
    (readers share it; a build takes it alone, waiting a few seconds for readers to finish)."""

    def __init__(self, location: str = DEFAULT_LOCATION, read_only: bool = False) -> None:
        self.location = location
        self.read_only = read_only
        path = Path(location)
        if read_only and not (path / "CURRENT").exists():
            raise StoreError(f"{location}: no store here yet (run 'graphbuild build' first)")
        self._current: list[str] | None = None
        if not read_only:
            compaction.restore_interrupted(path)
        self._lock = _StoreLock(path, location, exclusive=not read_only)
        try:
            if read_only:
                self._store = ox.Store.read_only(str(path))
            else:
                self._store = ox.Store(str(path))
        except OSError as exc:
            self._lock.release()
            message = str(exc)
            if "lock" in message.lower():
                raise StoreInUseError(
                    f"{location}: store in use by another graphbuild process (one writer at a time)"
                ) from None
            raise StoreError(f"{location}: cannot open the store: {message}") from None
        if not read_only:
            _remove_orphaned_bulk_files(path)
            compaction.remove_leftovers(path)

    @classmethod
    def in_memory(cls) -> EmbeddedStore:
        """A store that lives in memory only (staging for exports of a remote store)."""
        store = cls.__new__(cls)
        store.location, store.read_only, store._store = ":memory:", False, ox.Store()
        store._current = None
        store._lock = _StoreLock(None, ":memory:", exclusive=True)
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

    def replace_graphs(self, graphs: Mapping[str, bytes], markers: bytes = b"", shared: bytes = b"") -> None:
        """Replace several graphs from their N-Quads, never leaving a gap; ``shared`` quads are added to graphs
        that documents share (the organisations index), first, and never replace anything.

        New graphs go in with Oxigraph's bulk loader and get their completion markers in one transaction
        afterwards (a build stopped between the two leaves graphs without a marker, which the next build
        rebuilds). Graphs that exist already are dropped and written again, markers included, in a single
        SPARQL update: one transaction, so the old version stays whole until the new one is."""
        if self.read_only:
            raise StoreError(f"{self.location}: opened read-only")
        try:
            if shared:
                self._store.load(shared, format=ox.RdfFormat.N_QUADS)
            existing = {g for g in graphs if self._store.contains_named_graph(ox.NamedNode(g))}
            fresh = b"".join(nq for g, nq in graphs.items() if g not in existing)
            if fresh:
                self._store.bulk_load(fresh, format=ox.RdfFormat.N_QUADS)
                self._current = None
            fresh_markers = b"".join(line + b"\n" for line in markers.splitlines() if not _in_graphs(line, existing))
            if existing:
                by_graph = {g: graphs[g] + _lines_of(markers, g) for g in sorted(existing)}
                archive = self._archives(existing, markers)
                self._store.update(_replace_update(by_graph, archive))
                self._current = None
            if fresh_markers:
                self._store.load(fresh_markers, format=ox.RdfFormat.N_QUADS)
        except (OSError, SyntaxError) as exc:
            raise StoreError(f"{self.location}: write failed: {exc}") from None

    def drop_graphs(self, graphs: Iterable[str]) -> None:
        """Remove whole document graphs (with their earlier versions and summaries), all in one transaction."""
        if self.read_only:
            raise StoreError(f"{self.location}: opened read-only")
        wanted = set(graphs)
        every = [g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode)]
        versions = {g for g in every if g.split(VERSION_INFIX, 1)[0] in wanted and VERSION_INFIX in g}
        names = sorted(wanted | versions | {summary_graph(g) for g in wanted})
        self._current = None
        if names:
            try:
                drops = [f"DROP SILENT GRAPH {ox.NamedNode(g)}" for g in names]
                self._store.update(" ;\n".join([*drops, forget_unreached()]))
            except OSError as exc:
                raise StoreError(f"{self.location}: write failed: {exc}") from None

    def _archives(self, existing: set[str], markers: bytes) -> dict[str, str]:
        """For each graph whose text changed (its new sha256 differs from the stored one), the graph name its
        current version is kept under."""
        from graphbuild.vocab import GB

        new_sha = {}
        for q in ox.parse(markers, format=ox.RdfFormat.N_QUADS) if markers else []:
            if q.predicate.value == GB.sha256 and isinstance(q.graph_name, ox.NamedNode):
                new_sha[q.graph_name.value] = q.object.value if isinstance(q.object, ox.Literal) else ""
        archive = {}
        for g in existing:
            name = ox.NamedNode(g)
            old = next(iter(self._store.quads_for_pattern(name, ox.NamedNode(GB.sha256), None, name)), None)
            stored = old.object.value if old is not None and isinstance(old.object, ox.Literal) else None
            if stored is not None and g in new_sha and stored != new_sha[g]:
                archive[g] = f"{g}{VERSION_INFIX}{stored[:16]}"
        return archive

    def current_graphs(self) -> list[str] | None:
        """The graphs of the current versions, or None when the store holds no earlier version (then every
        graph is current and queries need no restriction)."""
        if self._current is None:
            # an earlier version is always linked from its document (prov:wasRevisionOf): one index lookup
            # answers whether there is any, where listing the graphs takes a second at 100,000 documents
            revised = next(iter(self._store.quads_for_pattern(None, _REVISION_OF, None)), None)
            names = [g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode)] if revised else []
            self._current = (
                sorted(g for g in names if VERSION_INFIX not in g) if any(VERSION_INFIX in g for g in names) else []
            )
        return self._current or None

    def select(
        self, sparql: str, bindings: Mapping[str, Term] | None = None, graphs: Sequence[str] | None = None
    ) -> Result:
        """Run a SELECT query with parameters substituted by the engine (never formatted into text), over the
        current versions of the documents, or over ``graphs`` (``ALL_GRAPHS``: every version)."""
        chosen = self.current_graphs() if graphs is None else (None if graphs == ALL_GRAPHS else list(graphs))
        named: list[ox.NamedNode | ox.BlankNode] | None = (
            [ox.NamedNode(g) for g in chosen] if chosen is not None else None
        )
        try:
            solutions = self._store.query(with_values(sparql, bindings or {}), named_graphs=named)
        except SyntaxError as exc:
            raise QueryError(f"malformed SPARQL: {first_line(exc)}") from None
        except OSError as exc:
            raise StoreError(f"{self.location}: query failed: {exc}") from None
        if not isinstance(solutions, ox.QuerySolutions):
            raise QueryError("this query returns no rows: only SELECT does (ASK and CONSTRUCT answer otherwise)")
        columns = tuple(v.value for v in solutions.variables)
        try:  # rows are computed as they are read: a SERVICE endpoint may fail only now
            rows = tuple(tuple(sol[c] for c in columns) for sol in solutions)
        except (OSError, RuntimeError, ValueError, SyntaxError) as exc:
            raise StoreError(f"{self.location}: query failed while reading its results: {first_line(exc)}") from None
        return Result(columns, rows)

    def answer(self, sparql: str) -> bool | bytes:
        """An ASK query's answer, or a CONSTRUCT or DESCRIBE query's triples as N-Triples."""
        result = self.raw_query(sparql)
        try:
            if isinstance(result, ox.QueryBoolean):
                return bool(result)
            if isinstance(result, ox.QueryTriples):
                return result.serialize(format=ox.RdfFormat.N_TRIPLES) or b""
        except (OSError, RuntimeError, ValueError, SyntaxError) as exc:
            raise StoreError(f"{self.location}: query failed while reading its results: {first_line(exc)}") from None
        raise QueryError("this query returns rows: run it as a SELECT")

    def raw_query(self, sparql: str) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """Any query form, as the engine's own result object (for serialising it as it is)."""
        try:
            return self._store.query(sparql)
        except SyntaxError as exc:
            raise QueryError(f"malformed SPARQL: {first_line(exc)}") from None
        except OSError as exc:
            raise StoreError(f"{self.location}: query failed: {exc}") from None

    def ask(self, sparql: str) -> bool:
        """Run an ASK query."""
        try:
            return bool(self._store.query(sparql))
        except SyntaxError as exc:
            raise QueryError(f"malformed SPARQL: {first_line(exc)}") from None

    def construct(self, sparql: str) -> list[ox.Triple]:
        """Run a CONSTRUCT or DESCRIBE query."""
        try:
            result = self._store.query(sparql)
        except SyntaxError as exc:
            raise QueryError(f"malformed SPARQL: {first_line(exc)}") from None
        return list(result)  # type: ignore[arg-type]

    def graphs(self) -> list[str]:
        """Names of the stored document graphs, sorted."""
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def count(self) -> int:
        """Number of quads stored."""
        return len(self._store)

    def export(self, out: IO[bytes], fmt: str) -> None:
        """Write every graph in ``fmt`` (N-Quads lines sorted, so equal stores give equal files); N-Quads
        stream out graph by graph, the other formats are built in memory."""
        if fmt == "nquads":
            names = sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))
            graphs: list[ox.NamedNode | ox.DefaultGraph] = [ox.DefaultGraph(), *(ox.NamedNode(g) for g in names)]
            write_nquads_by_graph((self._store.quads_for_pattern(None, None, None, g) for g in graphs), out)
            return
        buffer = io.BytesIO()
        self._store.dump(buffer, ox.RdfFormat.N_QUADS)
        write_export(buffer.getvalue(), out, fmt)

    def backup(self, target: str) -> None:
        """A consistent copy of the store at ``target`` (a new folder; hard links where the disk allows)."""
        try:
            self._store.backup(target)
        except OSError as exc:
            raise StoreError(f"{self.location}: cannot copy the store to {target}: {exc}") from None

    def optimize(self) -> None:
        """Compact the on-disk indexes (after bulk loads)."""
        if not self.read_only:
            try:
                self._store.optimize()
            except OSError as exc:
                raise StoreError(f"{self.location}: optimize failed: {exc}") from None

    def compact(self) -> compaction.Compaction:
        """Rewrite the store into compressed files (see ``graphbuild.store.compact``) and swap them in for the
        old ones when they take less room; a large store, mostly compressed already, is left as it is."""
        if self.read_only or self.location == ":memory:":
            raise StoreError(f"{self.location}: only a store opened for writing on disk can be compacted")
        path = Path(self.location)
        before, rewritten = compaction.disk_bytes(path), compaction.sibling(path, "compacting")
        try:
            compaction.copy_compactly(self._store, rewritten)
            after = compaction.disk_bytes(rewritten)
            if after >= before:
                shutil.rmtree(rewritten, ignore_errors=True)
                return compaction.Compaction(before, after, swapped=False)
            lock = _StoreLock(rewritten, self.location, exclusive=True)  # held before readers can see it
        except OSError as exc:
            shutil.rmtree(rewritten, ignore_errors=True)
            raise StoreError(f"{self.location}: compaction failed, the store is unchanged: {exc}") from None
        del self._store  # the old files close before they move
        try:
            compaction.exchange(rewritten, path)
        except OSError as exc:
            lock.release()
            raise StoreError(f"{self.location}: compaction failed, the store is unchanged: {exc}") from None
        finally:
            self._store = ox.Store(str(path))
            self._current = None
        self._lock.release()
        self._lock = lock
        shutil.rmtree(rewritten, ignore_errors=True)
        return compaction.Compaction(before, compaction.disk_bytes(path), swapped=True)

    def flush(self) -> None:
        """Make writes durable."""
        if not self.read_only:
            self._store.flush()

    def close(self) -> None:
        """Flush and release the store (and its lock)."""
        if hasattr(self, "_store"):
            self.flush()
            del self._store
        if hasattr(self, "_lock"):
            self._lock.release()


def _remove_orphaned_bulk_files(path: Path) -> None:
    """Files a bulk load killed halfway left behind ("bulk-….sst"); only a writer, holding the store's lock,
    calls this, so no bulk load of its own is running."""
    for leftover in path.glob("bulk-*.sst"):
        try:
            leftover.unlink()
        except OSError:
            pass


def _in_graphs(line: bytes, graphs: set[str]) -> bool:
    return any(line.endswith(f" <{g}> .".encode()) for g in graphs)


def _lines_of(nquads: bytes, graph: str) -> bytes:
    tail = f" <{graph}> .".encode()
    return b"".join(line + b"\n" for line in nquads.splitlines() if line.endswith(tail))


def _replace_update(graphs: Mapping[str, bytes], archive: Mapping[str, str] | None = None) -> str:
    """One SPARQL update dropping each graph and inserting its new quads (N-Quads terms are SPARQL terms;
    every line of a graph's N-Quads ends with that graph's name, which becomes the GRAPH block). A graph in
    ``archive`` is first copied to its version's graph, and the new one says it is a revision of it."""
    ops = []
    for graph, target in (archive or {}).items():
        ops.append(f"COPY SILENT GRAPH <{graph}> TO GRAPH <{target}>")
        # queries find a document's own facts on its graph name ("?g dct:source ?document"): restate them there
        ops.append(
            f"INSERT {{ GRAPH <{target}> {{ <{target}> ?p ?o }} }} WHERE {{ GRAPH <{graph}> {{ <{graph}> ?p ?o }} }}"
        )
    for graph, nquads in graphs.items():
        if archive and graph in archive:
            revision = f"<{graph}> <http://www.w3.org/ns/prov#wasRevisionOf> <{archive[graph]}> ."
            nquads = nquads + f"{revision[:-2]} <{graph}> .\n".encode()
        tail = f" <{graph}> .".encode()
        triples = b"\n".join(line[: -len(tail)] + b" ." for line in nquads.splitlines() if line.endswith(tail))
        ops.append(f"DROP SILENT GRAPH <{graph}>")
        ops.append(f"INSERT DATA {{ GRAPH <{graph}> {{\n{triples.decode('utf-8')}\n}} }}")
    return " ;\n".join(ops)


class _StoreLock:
    """The lock file beside the data: shared by readers, held alone by the writer (POSIX advisory locks)."""

    def __init__(self, path: Path | None, location: str, exclusive: bool) -> None:
        self.handle: IO[bytes] | None = None
        if path is None:
            return
        try:
            path.mkdir(parents=True, exist_ok=True) if exclusive else None
            self.handle = open(path / _LOCK_FILE, "ab")  # noqa: SIM115 - held open for the store's lifetime
        except OSError as exc:
            if not exclusive:  # a read-only store on a read-only disk: nothing to coordinate with
                return
            raise StoreError(f"{location}: cannot open the store: {exc.strerror or exc}") from None
        import fcntl

        deadline = time.monotonic() + (_WRITER_WAIT if exclusive else 0)
        while True:
            try:
                fcntl.flock(self.handle, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
                return
            except OSError:
                if time.monotonic() >= deadline:
                    self.release()
                    raise StoreInUseError(
                        f"{location}: store in use by another graphbuild process "
                        + (
                            "(a build, or a query or view reading it)"
                            if exclusive
                            else "(it is being built; try again when the build ends)"
                        )
                    ) from None
                time.sleep(0.1)

    def release(self) -> None:
        if self.handle is not None:
            self.handle.close()  # closing drops the lock
            self.handle = None
