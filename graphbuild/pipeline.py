"""Build orchestration: sources stream through worker processes (read → extract → quads) and the results
are written to the store in batches, one named graph per document; unchanged documents are skipped."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone

import pyoxigraph as ox

from graphbuild.errors import GraphbuildError, IngestError
from graphbuild.extractors import extract, versions
from graphbuild.ingest import expand_sources, parse_text
from graphbuild.ingest.read import decode, read_source
from graphbuild.knowledge_triples import KNOWLEDGE_GRAPH, described, knowledge_graph_quads, knowledge_version
from graphbuild.manifest import Hint, hint_for
from graphbuild.store import GraphStore
from graphbuild.store.summary import summary_graph, summary_quads
from graphbuild.triples import document_iri, document_quads
from graphbuild.vocab import GB
from graphbuild.workers import Pool

DOC_TIMEOUT = 60.0  # seconds per document: the largest real policies take well under one

_STORED_HASHES = (
    f"SELECT ?g ?sha ?versions ?hint WHERE {{ GRAPH ?g {{ ?g <{GB.sha256}> ?sha "
    f"OPTIONAL {{ ?g <{GB.extractorVersions}> ?versions }} OPTIONAL {{ ?g <{GB.userHint}> ?hint }} }} }}"
)


@dataclass
class BuildReport:
    """What a build did."""

    built: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)
    facts: int = 0
    triples: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when no source failed."""
        return not self.failed

    def summary(self) -> str:
        """The one-line summary the CLI prints."""
        pruned = f", pruned {len(self.pruned)}" if self.pruned else ""
        return (
            f"built {len(self.built)}, skipped {len(self.skipped)} unchanged, failed {len(self.failed)}{pruned}; "
            f"{self.facts} facts, {self.triples} triples in {self.seconds:.1f}s"
        )


@dataclass(frozen=True)
class Outcome:
    """What a worker made of one source: its graph as N-Quads, or why it was skipped or failed."""

    source: str
    status: str  # built | skipped | failed
    nquads: bytes = b""
    marker: bytes = b""  # the document's sha256 quad, written last: its presence means the graph is complete
    facts: int = 0
    triples: int = 0
    error: str = ""
    summary: bytes = b""  # its summary graph (direct edges for corpus-wide questions), as N-Quads
    shared: bytes = b""  # what it adds to the organisations index, as N-Quads


Progress = Callable[[Outcome], None]


def process(
    source: str,
    known: str | None = None,
    hint: Hint | None = None,
    extractor_versions: str | None = None,
    allow_private: bool = False,
) -> Outcome:
    """Read, extract and serialise one source (runs in a worker process); skip it when ``known``, the build key
    stored for it, says that neither its text, the user's hint nor the extractors (``extractor_versions``, as
    the build sees them) have changed."""
    current = extractor_versions or versions()
    try:
        text, encoding = decode(read_source(source, allow_private=allow_private))
        doc = parse_text(source, text, encoding)
        if hint is not None:
            doc = replace(doc, company=hint.company, url=hint.url)
        if known is not None and known == build_key(doc.sha256, current, hint):
            return Outcome(source, "skipped")
        findings = extract(doc)
        quads = document_quads(
            doc,
            findings,
            retrieved_at=hint.date if hint else None,
            hint=_hint_text(hint),
            extractor_versions=current,
            built_at=datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        )
    except IngestError as exc:
        return Outcome(exc.source, "failed", error=exc.reason)
    except GraphbuildError as exc:
        return Outcome(source, "failed", error=str(exc))
    except RecursionError:
        return Outcome(source, "failed", error="structure nested too deeply to read")
    except MemoryError:
        return Outcome(source, "failed", error="out of memory while reading it")
    except Exception as exc:  # noqa: BLE001 - one document's defect must not stop the others
        return Outcome(source, "failed", error=f"internal error ({type(exc).__name__}: {exc}); please report it")
    marks = {ox.NamedNode(p) for p in (GB.sha256, GB.extractorVersions, GB.userHint, GB.builtAt)}
    body = [q for q in quads if q.predicate not in marks]
    markers = [q for q in quads if q.predicate in marks]
    nquads = ox.serialize(body, format=ox.RdfFormat.N_QUADS) or b""
    marker = ox.serialize(markers, format=ox.RdfFormat.N_QUADS) or b""
    edges, index = summary_quads(document_iri(source), [*body, *described(body)])
    summary = ox.serialize(edges, format=ox.RdfFormat.N_QUADS) or b""
    shared = ox.serialize(index, format=ox.RdfFormat.N_QUADS) or b""
    return Outcome(source, "built", nquads, marker, len(findings), len(quads), summary=summary, shared=shared)


def build_key(sha256: str, extractor_versions: str, hint: Hint | str | None = None) -> str:
    """What must match for a document to be skipped: its text, the extractors that read it and what the user
    said of it (a company given once and changed later rebuilds the document)."""
    given = hint if isinstance(hint, str) else _hint_text(hint)
    return f"{sha256} {extractor_versions}" + (f" {given}" if given else "")


def _hint_text(hint: Hint | None) -> str:
    if hint is None or not (hint.company or hint.url or hint.date):
        return ""
    return f"given:{hint.company or ''}|{hint.url or ''}|{hint.date or ''}"


def stored_keys(store: GraphStore) -> dict[str, str]:
    """The build key of every document graph already in the store, by graph name."""
    hashes = {}
    for g, sha, found, hint in store.select(_STORED_HASHES).rows:
        if isinstance(g, ox.NamedNode) and isinstance(sha, ox.Literal):
            given = hint.value if isinstance(hint, ox.Literal) else ""
            hashes[g.value] = build_key(sha.value, found.value if isinstance(found, ox.Literal) else "", given)
    return hashes


def _sources(paths: Iterable[str], report: BuildReport, progress: Progress | None) -> Iterator[str]:
    for path in paths:
        try:
            yield from expand_sources([path])
        except IngestError as exc:
            report.failed.append((exc.source, exc.reason))
            if progress:
                progress(Outcome(exc.source, "failed", error=exc.reason))


def build(
    paths: Iterable[str],
    store: GraphStore,
    jobs: int | None = None,
    force: bool = False,
    progress: Progress | None = None,
    batch_size: int = 64,
    company: str | None = None,
    hints: dict[str, Hint] | None = None,
    doc_timeout: float | None = DOC_TIMEOUT,
    allow_private: bool = False,
    prune: bool = False,
    executor: str = "processes",
    scheduler: str | None = None,
) -> BuildReport:
    """Build every source into ``store`` with ``jobs`` worker processes (default: all cores).

    A document whose text and source are unchanged since the last build is skipped unless ``force``;
    a changed one replaces its graph. A bad source is reported and the others still build. ``company`` names
    the first party of every document of the call; ``hints`` (from a manifest) name it per source. A document
    that takes longer than ``doc_timeout`` seconds to read and extract fails (None: no limit). URLs of this
    machine or a private network are refused unless ``allow_private``. With ``prune``, documents whose file
    under ``paths`` no longer exists are dropped from the store. ``executor="dask"`` reads and extracts on a
    Dask cluster (``scheduler``: its address; none: a local cluster of ``jobs`` workers)."""
    paths = list(paths)
    report = BuildReport()
    started = time.perf_counter()
    known = {} if force else stored_keys(store)
    given = Hint(company) if company else None
    current = versions()
    tasks = (
        (s, known.get(document_iri(s)), (hint_for(hints, s) if hints else None) or given, current, allow_private)
        for s in _sources(paths, report, progress)
    )
    jobs = max(1, jobs or os.cpu_count() or 1)
    ensure_knowledge(store)
    batch: list[Outcome] = []
    for outcome in _run(tasks, jobs, doc_timeout, executor, scheduler):
        if outcome.status == "built":
            batch.append(outcome)
            report.built.append(outcome.source)
            report.facts += outcome.facts
            report.triples += outcome.triples
            if len(batch) >= batch_size:
                _write(store, batch)
                batch = []
        elif outcome.status == "skipped":
            report.skipped.append(outcome.source)
        else:
            report.failed.append((outcome.source, outcome.error))
        if progress:
            progress(outcome)
    _write(store, batch)
    if len(report.built) >= 16 * batch_size:
        # Each bulk-loaded batch is its own set of files; after many of them queries read several times
        # faster once compacted. A few batches are not worth the pause.
        store.optimize()
    if prune:
        from graphbuild.documents import prune as prune_missing

        report.pruned = prune_missing(store, paths)
    report.seconds = time.perf_counter() - started
    return report


_KNOWLEDGE_VERSION = f"SELECT ?v WHERE {{ GRAPH ?k {{ ?k <{GB.knowledgeVersion}> ?v }} }}"


def ensure_knowledge(store: GraphStore) -> None:
    """Write the knowledge graph (vendors and taxonomy labels every document points into) when the store
    holds none or another version of it; a single replacement, so readers see the old one or the new one."""
    rows = store.select(_KNOWLEDGE_VERSION, graphs=[KNOWLEDGE_GRAPH]).rows
    found = {term.value for (term,) in rows if isinstance(term, ox.Literal)}
    if found != {knowledge_version()}:
        *body, stamp = knowledge_graph_quads()  # the stamp goes in last, as a document's marker does
        nquads = ox.serialize(body, format=ox.RdfFormat.N_QUADS) or b""
        store.replace_graphs({KNOWLEDGE_GRAPH: nquads}, ox.serialize([stamp], format=ox.RdfFormat.N_QUADS) or b"")


def _run(
    tasks: Iterator[tuple[str, str | None, Hint | None, str, bool]],
    jobs: int,
    budget: float | None,
    executor: str = "processes",
    scheduler: str | None = None,
) -> Iterator[Outcome]:
    """Outcomes in source order from worker processes (or a Dask cluster); at most 16 results per worker wait
    to be written, so memory stays flat; a document over ``budget`` seconds fails."""

    def timed_out(task: tuple[object, ...], reason: str) -> Outcome:
        return Outcome(str(task[0]), "failed", error=reason)

    if executor == "dask":
        from graphbuild.dask_executor import run_on_dask

        yield from run_on_dask(process, tasks, jobs, budget, timed_out, scheduler)
        return
    with Pool(process, jobs, budget, timed_out) as pool:
        yield from pool.map(tasks)


def _write(store: GraphStore, batch: list[Outcome]) -> None:
    """Replace the graphs of a batch of documents in one load."""
    if batch:
        graphs = {}
        for o in batch:  # a document and its summary go in (and out) together
            graphs[document_iri(o.source)] = o.nquads
            graphs[summary_graph(document_iri(o.source))] = o.summary
        store.replace_graphs(graphs, b"".join(o.marker for o in batch), b"".join(o.shared for o in batch))
