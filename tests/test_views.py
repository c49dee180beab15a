"""The graph views' structure, independent of the browser."""

from __future__ import annotations

import networkx as nx

from graphbuild.views.explore import overview


def _row(company: str, vendor: str, org: str, parent: str | None) -> dict[str, str | None]:
    return {
        "company": company,
        "vendor": vendor,
        "vendor_org": org,
        "parent": parent,
        "category": "support",
        "evidence": f"We share data with {vendor}.",
    }


def test_overview_has_one_node_per_organisation_with_its_products_inside() -> None:
    view = overview(
        [
            _row("Acme", "Drift", "Drift", "Salesloft"),  # the vendor is the organisation itself
            _row("Acme", "YouTube", "Google LLC", "Alphabet Inc."),  # a product of a subsidiary
        ]
    )
    g = nx.Graph(list(view.edges))
    g.add_nodes_from(view.nodes)
    assert nx.is_connected(g), sorted(view.nodes)
    assert ("organisation:Drift", "parent:Salesloft") in view.edges
    assert ("company:Acme", "organisation:Google LLC (YouTube)") in view.edges
    assert ("organisation:Google LLC (YouTube)", "parent:Alphabet Inc.") in view.edges
    assert not [n for n in view.nodes if n.startswith("vendor:")]  # no vendor/organisation twins


def test_a_large_overview_aggregates_with_counts_and_links(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Beyond the drawing limit the overview lists top organisations and communities, linking to pages."""
    from pathlib import Path

    from click.testing import CliRunner

    import graphbuild.views
    from graphbuild.cli import main

    examples = Path(__file__).resolve().parent.parent / "examples"
    db, out = str(tmp_path / "store"), tmp_path / "views"
    assert CliRunner().invoke(main, ["build", str(examples), "--db", db]).exit_code == 0
    monkeypatch.setattr(graphbuild.views, "MAX_DRAWN", 5)
    assert CliRunner().invoke(main, ["view", "--db", db, "--out", str(out)]).exit_code == 0
    page = (out / "overview.html").read_text(encoding="utf-8")
    assert "graph-data" not in page and "Communities" in page and "Top " in page
    linked = {href for href in __import__("re").findall(r'href="([^"#]+\.html)"', page)}
    assert any(h.startswith("vendor-") for h in linked) and any(h.startswith("company-") for h in linked)
    assert all((out / h).exists() for h in linked)


def test_a_corpus_larger_than_the_limit_reads_counts_from_the_summary(tmp_path, samples) -> None:  # type: ignore[no-untyped-def]
    """With more companies than pages to write, the pages cover the busiest companies, while the index, the
    overview and the vendor pages count over the whole corpus (from the summary layer)."""
    import re

    from click.testing import CliRunner

    from graphbuild.cli import main
    from graphbuild.queries import rows_as_dicts, run_named
    from graphbuild.store import open_store

    db, out = str(tmp_path / "store"), tmp_path / "views"
    assert CliRunner().invoke(main, ["build", str(samples), "--db", db]).exit_code == 0
    store = open_store(db, read_only=True)
    try:
        companies = {r["company"] for r in rows_as_dicts(run_named(store, "companies"))}
        top = rows_as_dicts(run_named(store, "top_organisations"))
    finally:
        store.close()
    assert len(companies) == 5 and top
    assert CliRunner().invoke(main, ["view", "--db", db, "--out", str(out), "--limit", "2"]).exit_code == 0
    assert len(list(out.glob("company-*.html"))) == 2
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "<b>5</b><span>companies</span>" in index and "3 more companies not written" in index
    linked = set(re.findall(r'href="([^"#]+\.html)"', index))
    assert linked and all((out / h).exists() for h in linked)
    overview = (out / "overview.html").read_text(encoding="utf-8")
    first = top[0]
    assert f'data-csv="{first["companies"]}"' in overview and str(first["organisation"]) in overview
    vendor_pages = [p.read_text(encoding="utf-8") for p in out.glob("vendor-*.html")]
    assert vendor_pages and all("companies in all" in p for p in vendor_pages)
