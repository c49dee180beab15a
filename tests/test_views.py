"""The graph views' structure, independent of the browser."""

from __future__ import annotations

import networkx as nx

from graphbuild.view_pages import overview


def _row(company: str, vendor: str, org: str, parent: str | None) -> dict[str, str | None]:
    return {
        "company": company,
        "vendor": vendor,
        "vendor_org": org,
        "parent": parent,
        "category": "support",
        "evidence": f"We share data with {vendor}.",
    }


def test_overview_links_a_vendor_that_is_an_organisation_to_its_parent() -> None:
    view = overview(
        [
            _row("Acme", "Drift", "Drift", "Salesloft"),  # the vendor is the organisation itself
            _row("Acme", "YouTube", "Google LLC", "Alphabet Inc."),  # a product of a subsidiary
        ]
    )
    g = nx.Graph(list(view.edges))
    g.add_nodes_from(view.nodes)
    assert nx.is_connected(g), sorted(view.nodes)
    assert ("vendor:Drift", "organisation:Salesloft") in view.edges
    assert "organisation:Drift" not in view.nodes
    assert ("vendor:YouTube", "organisation:Google LLC") in view.edges
    assert ("organisation:Google LLC", "organisation:Alphabet Inc.") in view.edges
