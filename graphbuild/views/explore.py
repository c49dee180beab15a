"""Graph pages to explore: one per company (company → data → organisations → countries) and a corpus
overview (companies → organisations → parents). One node per organisation, its products inside; laid out
in layers left to right; click a node to focus its neighbourhood; search highlights and keeps edges.
Names reach the page only as JSON data, shown with innerText."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field

from pyvis.network import Network

from graphbuild.views.data import Corpus, Rows
from graphbuild.views.html import Markup, el, join, page
from graphbuild.views.names import page_name

# kind: (colour, shape, legend label, layer)
KINDS = {
    "company": ("#1f77b4", "box", "company", 0),
    "data": ("#9467bd", "dot", "data category", 1),
    "organisation": ("#2ca02c", "diamond", "organisation (products inside)", 2),
    "recipients": ("#8c564b", "triangle", "kind of recipient", 2),
    "parent": ("#17a2b8", "diamond", "parent organisation", 3),
    "country": ("#17becf", "square", "country", 3),
}


@dataclass
class GraphView:
    """Nodes and edges of one view, added in any order and written in a stable order."""

    title: str
    nodes: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # id → (kind, label, tooltip)
    edges: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)  # (a, b) → (label, tooltip)

    def node(self, kind: str, label: str, tooltip: str = "") -> str:
        """Add (or keep) a node; returns its id."""
        node_id = f"{kind}:{label}"
        if node_id not in self.nodes or (tooltip and not self.nodes[node_id][2]):
            self.nodes[node_id] = (kind, label, tooltip)
        return node_id

    def edge(self, a: str, b: str, label: str = "", tooltip: str = "") -> None:
        """Add an edge; a later label or tooltip fills an empty one."""
        old_label, old_tip = self.edges.get((a, b), ("", ""))
        self.edges[(a, b)] = (old_label or label, old_tip or tooltip)

    def data(self) -> dict[str, object]:
        """Nodes, edges and options for vis-network, built with pyvis (layers left to right, no physics)."""
        net = Network(directed=True)
        for node_id in sorted(self.nodes):
            kind, label, tip = self.nodes[node_id]
            colour, shape, legend, level = KINDS[kind]
            net.add_node(
                node_id,
                label=label,
                title=f"{legend}: {label}" + (f"\n\n{tip}" if tip else ""),
                color=colour,
                shape=shape,
                level=level,
                kind=kind,
            )
        for (a, b), (label, tip) in sorted(self.edges.items()):
            net.add_edge(a, b, title=(f"{label}\n\n{tip}" if label and tip else tip or label or ""))
        nodes, edges, *_ = net.get_network_data()
        return {"nodes": nodes, "edges": edges}


def graph_page(view: GraphView, links: list[tuple[str, str]]) -> Markup:
    """The page: a bar (back links, counts, search, kinds) and the drawing; data as inline JSON."""
    kinds = sorted({kind for kind, _, _ in view.nodes.values()}, key=lambda k: KINDS[k][3])
    legend = [
        el(
            "label",
            {"class": "key"},
            el("input", {"type": "checkbox", "class": "kind", "value": k, "checked": True}),
            el("span", {"class": "swatch", "style": f"background:{KINDS[k][0]}"}),
            KINDS[k][2],
        )
        for k in kinds
    ]
    # <, > and & as JSON escapes: the data block can never close its script element or read as markup
    payload = json.dumps(view.data(), sort_keys=True).replace("<", "\\u003c").replace(">", "\\u003e")
    payload = payload.replace("&", "\\u0026")
    bar = el(
        "div",
        {"id": "bar"},
        [el("a", {"href": href}, label) for href, label in links],
        el("strong", None, view.title),
        el("span", None, f"{len(view.nodes)} nodes, {len(view.edges)} edges"),
        el("input", {"id": "search", "type": "search", "placeholder": "search names", "aria-label": "search"}),
        legend,
        el("span", {"class": "hint"}, "click a node to focus it; click the background to see all"),
    )
    data = Markup(f'<script type="application/json" id="graph-data">{payload}</script>')
    body = join([bar, el("div", {"id": "graph"}), data])
    return page(view.title, body, scripts=["vis-network.min.js"])


def _organisation_label(org: str, products: set[str]) -> str:
    inside = sorted(products - {org})
    return org + (f" ({', '.join(inside)})" if inside else "")


def company_graph(name: str, corpus: Corpus) -> GraphView:
    """Company → data categories → organisations (and kinds of recipients) → countries."""
    view = GraphView(f"Graph: {name}")
    company = view.node("company", name)
    vendors = corpus.of("vendors", name)
    org_of = {r.get("vendor") or "": r.get("vendor_org") or r.get("vendor") or "" for r in vendors}
    products: dict[str, set[str]] = defaultdict(set)
    for vendor, org in org_of.items():
        products[org].add(vendor)

    def recipient_node(recipient: str) -> str:
        if recipient in org_of:
            org = org_of[recipient]
            return view.node("organisation", _organisation_label(org, products[org]))
        return view.node("recipients", recipient)

    for row in corpus.of("data_flows", name):
        target = recipient_node(row.get("recipient") or "")
        tip = f"{row.get('evidence') or ''}\n\npurposes: {row.get('purposes') or '—'}"
        for item in [d.strip() for d in (row.get("data") or "").split(",") if d.strip()] or ["(data not stated)"]:
            d = view.node("data", item)
            view.edge(company, d, "sends")
            view.edge(d, target, row.get("retention") or "", tip)
    for row in vendors:
        view.edge(company, recipient_node(row.get("vendor") or ""), row.get("role") or "", row.get("evidence") or "")
    for recipient, places in corpus.countries.get(name, {}).items():
        for cc, how in places:
            view.edge(recipient_node(recipient), view.node("country", cc), how)
    return view


def overview(vendors: Rows) -> GraphView:
    """Companies → organisations (their products inside) → parent organisations."""
    view = GraphView("Overview: companies and the organisations they share data with")
    products: dict[str, set[str]] = defaultdict(set)
    for row in vendors:
        products[row.get("vendor_org") or row.get("vendor") or ""].add(row.get("vendor") or "")
    for row in vendors:
        org = row.get("vendor_org") or row.get("vendor") or ""
        node = view.node(
            "organisation", _organisation_label(org, products[org]), f"category: {row.get('category') or ''}"
        )
        view.edge(view.node("company", row.get("company") or ""), node, "", row.get("evidence") or "")
        parent = row.get("parent")
        if parent and parent != org:
            view.edge(node, view.node("parent", parent), "subsidiary of")
    return view


def company_graph_page(name: str, corpus: Corpus) -> Markup:
    """The exploration page of one company."""
    links = [("index.html", "← index"), (page_name("company", name), "report"), (page_name("map", name), "data map")]
    return graph_page(company_graph(name, corpus), links)
