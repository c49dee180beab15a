"""The vocabulary agrees with the ontology files; layers import downward only."""

from __future__ import annotations

import ast
from pathlib import Path

from rdflib import OWL, RDF, Graph, URIRef

from graphbuild.knowledge.taxonomy import TAXONOMIES, taxonomy
from graphbuild.resources import ontology_file
from graphbuild.vocab import DPV, DPV_TERMS, GB, GB_NS, GB_TERMS, PREFIXES

PACKAGE = Path(__file__).resolve().parent.parent / "graphbuild"
LAYERS = {
    "errors": 0,
    "model": 0,
    "vocab": 0,
    "resources": 0,
    "workers": 0,
    "sparql_text": 0,
    "ingest": 1,
    "extractors": 1,
    "knowledge": 1,
    "triples": 2,
    "practice_triples": 2,
    "graph_writer": 2,
    "knowledge_triples": 2,
    "dpv_export": 2,
    "store": 2,
    "remote": 2,
    "queries": 3,
    "pipeline": 3,
    "documents": 3,
    "dask_executor": 0,
    "versions": 3,
    "diff": 3,
    "check": 3,
    "ropa": 4,
    "manifest": 1,
    "validate": 3,
    "similarity": 0,
    "analysis": 4,
    "views": 4,
    "serve": 4,
    "cli": 5,
    "__main__": 5,
    "__init__": 0,
}


def _declared(name: str, namespace: str) -> set[str]:
    g = Graph().parse(data=ontology_file(name).read_text(encoding="utf-8"), format="turtle")
    kinds = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}
    return {
        str(s)[len(namespace) :]
        for s, _, o in g.triples((None, RDF.type, None))
        if o in kinds and str(s).startswith(namespace)
    }


def _taxonomy_terms(prefix: str) -> set[str]:
    return {
        t.term.split(":", 1)[1]
        for name in TAXONOMIES
        for t in taxonomy(name).terms.values()
        if t.term.startswith(prefix + ":")
    }


def test_gb_terms_match_the_ontology() -> None:
    assert _declared("graphbuild.ttl", GB_NS) == set(GB_TERMS) | _taxonomy_terms("gb")


def test_taxonomy_terms_are_declared() -> None:
    for prefix in ("dpv", "pd", "eu-gdpr"):
        assert _taxonomy_terms(prefix) <= _declared("dpv-terms.ttl", PREFIXES[prefix]), prefix


def test_dpv_terms_are_declared() -> None:
    assert set(DPV_TERMS) <= _declared("dpv-terms.ttl", str(DPV))


def test_closed_namespace_refuses_typos() -> None:
    assert GB.Vendor == GB_NS + "Vendor"
    try:
        GB.Vendr  # noqa: B018
    except AttributeError:
        pass
    else:
        raise AssertionError("an undeclared term was accepted")
    assert URIRef(GB.sharesDataWith) in {URIRef(GB_NS + t) for t in GB_TERMS}


def _layer(module: str) -> int:
    parts = module.split(".")
    return LAYERS[parts[1]] if len(parts) > 1 else 0


def test_layers_import_downward_only() -> None:
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        module = ".".join(rel.parts)
        if module.endswith(".__init__"):
            module = module[: -len(".__init__")]
        own = _layer(module) if module != "graphbuild" else 0
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = (
                [node.module]
                if isinstance(node, ast.ImportFrom) and node.module
                else ([a.name for a in node.names] if isinstance(node, ast.Import) else [])
            )
            for target in targets:
                if target and target.startswith("graphbuild.") and target.split(".")[1] in LAYERS:
                    if target.split(".")[1] == module.split(".")[-1] or module.startswith(target):
                        continue
                    assert _layer(target) <= own, f"{module} (layer {own}) imports {target}"
