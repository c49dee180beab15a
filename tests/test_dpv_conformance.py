"""Every DPV IRI graphbuild declares or writes exists in W3C DPV 2.3 (dpv, pd, loc, eu-gdpr, tech)."""

from __future__ import annotations

import json
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


def test_every_fact_leads_to_its_quote_and_offsets_in_the_text(tmp_path: Path) -> None:
    """Compact provenance keeps full traceability: every fact cites a span named by its offsets
    (#char=start,end) inside its document's stored text; the evidence query and every named query with an
    evidence column quote exactly the text at a cited span; JSON-LD spells the spans out as selectors."""
    from graphbuild.graph_writer import span_offsets
    from graphbuild.queries import named_queries, rows_as_dicts, run_named, term_value
    from graphbuild.store import open_store

    db = str(tmp_path / "store")
    assert CliRunner().invoke(main, ["build", str(ROOT / "examples"), "--db", db]).exit_code == 0
    store = open_store(db, read_only=True)
    try:
        rows = store.select(
            "SELECT DISTINCT ?text ?ev WHERE { GRAPH ?g { "
            "?g <https://graphbuild.dev/ns#text> ?text . ?fact <http://www.w3.org/ns/prov#wasDerivedFrom> ?ev } }"
        ).rows
        cited = set()
        for text, ev in rows:
            offsets = span_offsets(term_value(ev) or "")
            assert offsets is not None, ev
            assert 0 <= offsets[0] < offsets[1] <= len(term_value(text) or ""), ev
            cited.add((term_value(text) or "")[offsets[0] : offsets[1]])
        evidence = rows_as_dicts(run_named(store, "evidence"))
        for row in evidence:
            assert row["quote"] in cited and (row["quote"] or "").strip(), row
        assert len(evidence) > 30
        quoted = 0
        for name, query in sorted(named_queries().items()):
            if "evidence" not in query.columns:
                continue
            for row in rows_as_dicts(run_named(store, name)):
                assert row["evidence"] in cited, (name, row)
                quoted += 1
        assert quoted > 50
    finally:
        store.close()
    assert len(rows) > 30
    jsonld = json.loads(CliRunner().invoke(main, ["export", "--db", db, "--format", "jsonld"]).output)
    nodes = {n["@id"]: n for g in jsonld for n in g.get("@graph", [])}
    oa = "http://www.w3.org/ns/oa#"
    positions = [n for n in nodes.values() if f"{oa}TextPositionSelector" in n.get("@type", [])]
    quotes = [n for n in nodes.values() if f"{oa}TextQuoteSelector" in n.get("@type", [])]
    assert len(positions) == len(quotes) == len(rows)
    for position in positions:
        span = position["@id"].removesuffix("-position")
        assert span_offsets(span) == (int(position[f"{oa}start"][0]["@value"]), int(position[f"{oa}end"][0]["@value"]))
        assert nodes[span][f"{oa}hasSource"][0]["@id"] == span.split("#", 1)[0]
    for quote in quotes:
        assert quote[f"{oa}exact"][0]["@value"] in cited


def test_quotes_are_cut_at_code_points_past_characters_outside_the_basic_plane(tmp_path: Path) -> None:
    """Offsets count code points in Python and in SPARQL's SUBSTR alike: emoji and other characters beyond
    U+FFFF before a fact (two UTF-16 units each) do not shift its quote."""
    policy = tmp_path / "policy.md"
    policy.write_text(
        "# Privacy Policy of Emojico 🙂\n\nWelcome 🎉🎉🎉 to Emojico 𝔸𝔹ℂ.\n\n"
        "We share usage data with Google Analytics to measure traffic 📈.\n\n"
        "We keep your account data for 2 years after you close your account.\n",
        encoding="utf-8",
    )
    db = str(tmp_path / "store")
    assert CliRunner().invoke(main, ["build", str(policy), "--db", db]).exit_code == 0
    vendors = json.loads(CliRunner().invoke(main, ["query", "vendors", "--db", db, "--format", "json"]).output)
    assert [r["evidence"] for r in vendors] == ["We share usage data with Google Analytics to measure traffic 📈."]
    retention = json.loads(CliRunner().invoke(main, ["query", "retention", "--db", db, "--format", "json"]).output)
    assert [r["evidence"] for r in retention] == ["We keep your account data for 2 years after you close your account."]
