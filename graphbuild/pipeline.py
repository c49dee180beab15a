"""Build orchestration: sources → documents → findings → quads → store, one graph per document."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from graphbuild.errors import GraphbuildError, IngestError
from graphbuild.extractors import extract
from graphbuild.ingest import expand_sources, load_document
from graphbuild.store import GraphStore
from graphbuild.triples import document_iri, document_quads


@dataclass
class BuildReport:
    """What a build did."""

    built: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    facts: int = 0
    triples: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when no source failed."""
        return not self.failed


Progress = Callable[[str, str], None]


def build(paths: Iterable[str], store: GraphStore, progress: Progress | None = None) -> BuildReport:
    """Build every source into ``store``; a bad source is reported and the others still build."""
    report = BuildReport()
    started = time.perf_counter()
    sources: list[str] = []
    for path in paths:
        try:
            sources.extend(expand_sources([path]))
        except IngestError as exc:
            report.failed.append((exc.source, exc.reason))
    for source in sources:
        try:
            doc = load_document(source)
            findings = extract(doc)
            quads = document_quads(doc, findings)
            store.replace_graph(document_iri(source), quads)
        except IngestError as exc:
            report.failed.append((exc.source, exc.reason))
            if progress:
                progress(source, "failed")
            continue
        except GraphbuildError as exc:
            report.failed.append((source, str(exc)))
            if progress:
                progress(source, "failed")
            continue
        report.built.append(source)
        report.facts += len(findings)
        report.triples += len(quads)
        if progress:
            progress(source, "built")
    report.seconds = time.perf_counter() - started
    return report
