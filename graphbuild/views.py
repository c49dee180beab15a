"""Interactive HTML graph views (pyvis) that open offline: an index, an overview, one page per company
and per vendor organisation, and a data-flow view. Names and policy text are data: they reach the page
only as JSON (vis-network shows titles with innerText) or HTML-escaped."""

from __future__ import annotations

import hashlib
import html
import json
import re
from dataclasses import dataclass, field

from pyvis.network import Network

_CDN_TAG = re.compile(r"<(?:link|script)\b[^>]*(?:href|src)\s*=\s*[\"']https?://[^>]*>(?:\s*</script>)?", re.I)
# kind: (colour, shape, legend label)
KINDS = {
    "company": ("#1f77b4", "box", "company"),
    "vendor": ("#ff7f0e", "dot", "vendor or product"),
    "organisation": ("#2ca02c", "diamond", "organisation / parent"),
    "data": ("#9467bd", "dot", "data category"),
    "recipients": ("#8c564b", "triangle", "recipient category"),
    "country": ("#17becf", "square", "country"),
}
_PAGE_STYLE = """<style>
body{font-family:system-ui,sans-serif;margin:0}
#gb-bar{display:flex;gap:1em;align-items:center;flex-wrap:wrap;padding:.5em 1em;border-bottom:1px solid #ddd}
#gb-bar a{margin-right:1em}.gb-key{display:inline-flex;align-items:center;gap:.3em;margin-right:.8em}
.gb-swatch{width:.9em;height:.9em;display:inline-block;border-radius:2px}
div.vis-tooltip{position:absolute;visibility:hidden;padding:5px;white-space:pre-wrap;max-width:480px;
font-size:13px;background:#fffbe6;border:1px solid #999;border-radius:3px;box-shadow:2px 2px 8px #0003;z-index:5}
#mynetwork{border:none!important}
</style>"""
# Search, filter by kind, and physics off once the layout has settled (readable at thousands of nodes).
_PAGE_SCRIPT = """<script>
(function () {
  var kinds = new Set();
  function apply() {
    var q = document.getElementById('gb-search').value.trim().toLowerCase();
    var update = [];
    nodes.forEach(function (n) {
      var hidden = !kinds.has(n.kind) || (q !== '' && String(n.label).toLowerCase().indexOf(q) < 0);
      update.push({id: n.id, hidden: hidden});
    });
    nodes.update(update);
    if (q !== '') {
      var hit = nodes.get({filter: function (n) { return !n.hidden; }});
      if (hit.length) { network.selectNodes([hit[0].id]); network.focus(hit[0].id, {scale: 1.2}); }
    }
  }
  document.querySelectorAll('.gb-kind').forEach(function (box) {
    if (box.checked) { kinds.add(box.value); }
    box.addEventListener('change', function () {
      if (box.checked) { kinds.add(box.value); } else { kinds.delete(box.value); }
      apply();
    });
  });
  document.getElementById('gb-search').addEventListener('input', apply);
  function settle() { network.setOptions({physics: false}); document.body.dataset.stabilized = 'yes'; }
  network.once('stabilizationIterationsDone', settle);
  setTimeout(settle, 15000);
})();
</script>"""


def offline_html(page: str) -> str:
    """Drop every script or stylesheet reference to the network (pyvis leaves Bootstrap on a CDN)."""
    return _CDN_TAG.sub("", re.sub(r"<!--.*?-->", "", page, flags=re.S))


def _text(value: str) -> str:
    # pyvis switches to an innerHTML popup when any title contains "href"; a word joiner keeps the
    # text identical on screen while the check no longer fires, so titles stay plain text.
    return value.replace("href", "hre\u2060f")


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

    def network(self) -> Network:
        """A pyvis network: colour and shape by kind, size by degree, deterministic layout."""
        net = Network(height="calc(100vh - 60px)", width="100%", directed=True, cdn_resources="in_line")
        degree: dict[str, int] = {}
        for a, b in self.edges:
            degree[a] = degree.get(a, 0) + 1
            degree[b] = degree.get(b, 0) + 1
        for node_id in sorted(self.nodes):
            kind, label, tip = self.nodes[node_id]
            colour, shape, legend = KINDS[kind]
            title = f"{legend}: {label}" + (f"\n\n{tip}" if tip else "")
            size = 8 + 4 * min(degree.get(node_id, 0), 15) ** 0.5 * 2
            net.add_node(node_id, label=label, title=_text(title), color=colour, shape=shape, size=size, kind=kind)
        for (a, b), (label, tip) in sorted(self.edges.items()):
            net.add_edge(a, b, label=label, title=_text(tip or label), font={"size": 9, "align": "middle"})
        iterations = 400 if len(self.nodes) < 500 else 150
        net.set_options(
            json.dumps(
                {
                    "layout": {"randomSeed": 7, "improvedLayout": len(self.nodes) < 300},
                    "physics": {
                        "solver": "barnesHut",
                        "barnesHut": {"springLength": 140, "gravitationalConstant": -6000},
                        "stabilization": {"enabled": True, "iterations": iterations, "fit": True},
                    },
                    "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": len(self.nodes) > 500},
                    "edges": {
                        "smooth": False,
                        "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
                        "color": {"color": "#9aa5b1", "highlight": "#333"},
                    },
                    "nodes": {
                        "font": {"size": 18, "strokeWidth": 3, "strokeColor": "#ffffff"},
                        "scaling": {"label": {"drawThreshold": 3}},
                    },
                }
            )
        )
        return net

    def html(self) -> str:
        """The page: pyvis output made offline, with a title bar, legend, search and kind filters."""
        page = offline_html(self.network().generate_html())
        kinds = sorted({kind for kind, _, _ in self.nodes.values()})
        legend = "".join(
            f"<label class='gb-key'><input type='checkbox' class='gb-kind' value='{k}' checked>"
            f"<span class='gb-swatch' style='background:{KINDS[k][0]}'></span>{html.escape(KINDS[k][2])}</label>"
            for k in kinds
        )
        bar = (
            f"<div id='gb-bar'><a href='index.html'>← index</a><strong>{html.escape(self.title)}</strong>"
            f"<span>{len(self.nodes)} nodes, {len(self.edges)} edges</span>"
            f"<input id='gb-search' type='search' placeholder='search names' aria-label='search'>{legend}</div>"
        )
        page = page.replace("<head>", f"<head><title>{html.escape(self.title)}</title>{_PAGE_STYLE}", 1)
        page = re.sub(r"<body>", lambda _: "<body>" + bar, page, count=1)
        return page.replace("</body>", _PAGE_SCRIPT + "</body>", 1)


def page_name(prefix: str, name: str) -> str:
    """A stable, safe file name for a page about ``name``."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40] or "x"
    return f"{prefix}-{slug}-{hashlib.sha1(name.encode()).hexdigest()[:6]}.html"
