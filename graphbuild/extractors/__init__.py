"""Extractors: pure functions ``(Document) -> Iterable[Finding]`` registered by name with a version."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from graphbuild.model import Document, Finding, check_evidence

ExtractorFn = Callable[[Document], Iterable[Finding]]


@dataclass(frozen=True)
class Extractor:
    """A registered extractor."""

    name: str
    version: str
    fn: ExtractorFn


REGISTRY: dict[str, Extractor] = {}


def register(name: str, version: str) -> Callable[[ExtractorFn], ExtractorFn]:
    """Register an extractor under ``name``; its findings must cite ``name`` and ``version``."""

    def wrap(fn: ExtractorFn) -> ExtractorFn:
        if name in REGISTRY:
            raise ValueError(f"extractor {name!r} registered twice")
        REGISTRY[name] = Extractor(name, version, fn)
        return fn

    return wrap


def extract(doc: Document, names: Iterable[str] | None = None) -> list[Finding]:
    """Run the named extractors (all by default) and return their findings in a stable order."""
    _load_all()
    chosen = sorted(REGISTRY) if names is None else list(names)
    findings: list[Finding] = []
    for name in chosen:
        extractor = REGISTRY[name]
        for finding in extractor.fn(doc):
            ev = finding.evidence
            if not check_evidence(doc, ev) or (ev.extractor, ev.version) != (name, extractor.version):
                raise AssertionError(f"extractor {name} produced evidence that does not quote the document: {ev}")
            findings.append(finding)
    if names is None:
        from graphbuild.extractors.flows import NAME, VERSION, data_flows

        for flow in data_flows(doc, findings):
            if not check_evidence(doc, flow.evidence) or (flow.evidence.extractor, flow.evidence.version) != (
                NAME,
                VERSION,
            ):
                raise AssertionError(f"data flow evidence does not quote the document: {flow.evidence}")
            findings.append(flow)
    return findings


# The shape of the graphs written from the findings: a store built with another layout is rebuilt
# (2: evidence spans named by their offsets, summary graphs; 3: the organisations index; 4: summary digests;
# 5: quotes read from the text; 6: the knowledge graph, one controller per document, extractors in fact IRIs).
GRAPH_LAYOUT = 6


def versions() -> str:
    """Every extractor's name and version, and the graph layout's ("children@1 contacts@1 … data_flows@1
    graph@2"): a build made with other versions is out of date even when the policy's text is not."""
    _load_all()
    from graphbuild.extractors.flows import NAME, VERSION

    named = [*(f"{n}@{REGISTRY[n].version}" for n in sorted(REGISTRY)), f"{NAME}@{VERSION}"]
    return " ".join([*named, f"graph@{GRAPH_LAYOUT}"])


def _load_all() -> None:
    """Import the extractor modules so that they register themselves."""
    from graphbuild.extractors import facts, first_party, locations, practices, retention, vendors  # noqa: F401
