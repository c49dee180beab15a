"""Every DPV IRI graphbuild declares or writes exists in W3C DPV 2.3 (dpv, pd, loc, eu-gdpr, tech)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef

from graphbuild.cli import main

ROOT = Path(__file__).resolve().parent.parent
DPV = ROOT.parent / "shared" / "dpv" / "2.3"
NAMESPACES = (
    "https://w3id.org/dpv#",
    "https://w3id.org/dpv/pd#",
    "https://w3id.org/dpv/loc#",
    "https://w3id.org/dpv/legal/eu/gdpr#",
    "https://w3id.org/dpv/tech#",
)


def _dpv_terms() -> set[str]:
    if not DPV.is_dir():
        pytest.fail(f"the DPV 2.3 vocabularies are needed for this test: {DPV} is missing")
    terms: set[str] = set()
    for path in DPV.glob("*.ttl"):
        g = Graph()
        g.parse(path)
        terms |= {str(s) for s in g.subjects() if isinstance(s, URIRef)}
    return terms


def _ours(iri: str) -> bool:
    return iri.startswith(NAMESPACES)


def test_every_dpv_iri_declared_or_written_exists_in_dpv_2_3(tmp_path: Path) -> None:
    defined = _dpv_terms()
    used: set[str] = set()
    for path in (ROOT / "ontology").glob("*.ttl"):
        g = Graph()
        g.parse(path)
        used |= {str(x) for triple in g for x in triple if isinstance(x, URIRef) and _ours(str(x))}
    db = str(tmp_path / "store")
    sources = [str(ROOT / "examples"), *([str(ROOT.parent / "shared" / "policies")] if DPV.is_dir() else [])]
    assert CliRunner().invoke(main, ["build", *sources, "--db", db]).exit_code == 0
    nquads = CliRunner().invoke(main, ["export", "--db", db, "--format", "nquads"]).output
    used |= {iri for iri in re.findall(r"<([^>]+)>", nquads) if _ours(iri)}
    assert len(used) > 80
    missing = sorted(used - defined)
    assert not missing, missing
