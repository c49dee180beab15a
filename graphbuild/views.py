"""Interactive HTML graph views (pyvis) that open offline: assets in line, no CDN links."""

from __future__ import annotations

import html
import re
from pathlib import Path

from pyvis.network import Network

from graphbuild.queries import rows_as_dicts, run_named
from graphbuild.store import GraphStore

_CDN_TAG = re.compile(r"<(?:link|script)\b[^>]*(?:href|src)\s*=\s*[\"']https?://[^>]*>(?:\s*</script>)?", re.I)
_COLOURS = {"company": "#1f77b4", "vendor": "#ff7f0e", "organisation": "#2ca02c"}
_SHAPES = {"company": "box", "vendor": "dot", "organisation": "diamond"}


def offline_html(page: str) -> str:
    """Drop every script or stylesheet reference to the network (pyvis leaves Bootstrap on a CDN)."""
    return _CDN_TAG.sub("", re.sub(r"<!--.*?-->", "", page, flags=re.S))


def overview_network(store: GraphStore) -> Network:
    """Companies → vendors → organisations, built from the ``vendors`` named query."""
    net = Network(height="800px", width="100%", directed=True, cdn_resources="in_line", select_menu=False)
    rows = rows_as_dicts(run_named(store, "vendors"))
    degree: dict[str, int] = {}
    edges: set[tuple[str, str, str]] = set()
    kinds: dict[str, str] = {}
    tips: dict[str, str] = {}
    for row in rows:
        company, vendor, org = row["company"] or "", row["vendor"] or "", row["vendor_org"] or ""
        c, v, o = f"company:{company}", f"vendor:{vendor}", f"org:{org}"
        kinds.setdefault(c, "company")
        kinds.setdefault(v, "vendor")
        tips.setdefault(v, f"{vendor} ({row['category']})\n{row['evidence'] or ''}")
        edges.add((c, v, "shares data with"))
        if org and org != vendor:
            kinds.setdefault(o, "organisation")
            edges.add((v, o, "provided by"))
    for a, b, _ in edges:
        degree[a] = degree.get(a, 0) + 1
        degree[b] = degree.get(b, 0) + 1
    for node in sorted(kinds):
        kind = kinds[node]
        label = node.split(":", 1)[1]
        net.add_node(
            node,
            label=label,
            title=tips.get(node, f"{kind}: {label}"),
            color=_COLOURS[kind],
            shape=_SHAPES[kind],
            size=10 + 3 * min(degree.get(node, 1), 20),
        )
    for a, b, label in sorted(edges):
        net.add_edge(a, b, title=label)
    net.set_options(
        '{"physics": {"stabilization": {"iterations": 300}, "barnesHut": {"springLength": 120}},'
        ' "layout": {"randomSeed": 7}}'
    )
    return net


def write_views(store: GraphStore, out: str) -> list[Path]:
    """Write ``index.html`` and the graph views it links; returns the written files."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    overview = folder / "overview.html"
    overview.write_text(offline_html(overview_network(store).generate_html()), encoding="utf-8")
    companies = rows_as_dicts(run_named(store, "companies"))
    vendors = rows_as_dicts(run_named(store, "vendors"))
    items = "".join(
        f"<li>{html.escape(c['company'] or '')} — {html.escape(c['document'] or '')}</li>" for c in companies
    )
    index = folder / "index.html"
    index.write_text(
        "<!doctype html><html><head><meta charset='utf-8'><title>graphbuild</title></head><body>"
        "<h1>graphbuild</h1>"
        f"<p>{len(companies)} companies, {len({v['vendor'] for v in vendors})} vendors, "
        f"{len({v['vendor_org'] for v in vendors})} organisations.</p>"
        "<p><a href='overview.html'>Overview: companies → vendors → organisations</a></p>"
        f"<h2>Companies</h2><ul>{items}</ul></body></html>",
        encoding="utf-8",
    )
    return [index, overview]
