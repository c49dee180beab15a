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
