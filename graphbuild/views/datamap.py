"""A directional data map per company, drawn as SVG in layers from left to right: the company, the data it
sends, the recipients, and the countries the data goes to. Each label has its own row in its column and
columns are wider than their longest label, so no two labels overlap at any size."""

from __future__ import annotations

from graphbuild.views.data import Corpus
from graphbuild.views.html import Markup, el, join, page
from graphbuild.views.names import page_name

_COLUMN = 300  # px between columns
_ROW = 24  # px per label row (font 13 px)
_LABEL = 34  # characters shown before a label is shortened (about 250 px at 13 px)
_TOP = 56
_COLOURS = ["#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#e15759", "#76b7b2", "#edc948", "#ff9da7", "#9c755f"]
_HEADINGS = ("company", "data", "recipients", "countries")


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip() and v.strip() != "(not stated)"]


def layers(name: str, corpus: Corpus) -> tuple[list[list[str]], list[tuple[int, str, int, str, str]]]:
    """The four columns of labels and the edges between them as (column, label, column, label, colour key)."""
    flows = corpus.of("data_flows", name)
    data = sorted({d for r in flows for d in (_split(r.get("data")) or ["(data not stated)"])})
    recipients = sorted({r.get("recipient") or "" for r in flows} - {""})
    where = corpus.countries.get(name, {})
    countries = sorted({cc for r in recipients for cc, _ in where.get(r, set())})
    edges: set[tuple[int, str, int, str, str]] = set()
    for r in flows:
        items = _split(r.get("data")) or ["(data not stated)"]
        for d in items:
            edges.add((0, name, 1, d, d))
            edges.add((1, d, 2, r.get("recipient") or "", d))
    for recipient in recipients:
        for cc, how in where.get(recipient, set()):
            edges.add((2, recipient, 3, cc, how))
    return [[name], data, recipients, countries], sorted(edges)


def _short(label: str) -> str:
    return label if len(label) <= _LABEL else label[: _LABEL - 1] + "…"


def data_map_svg(name: str, corpus: Corpus) -> Markup:
    """The SVG: nodes as dots with labels, edges as curves coloured by data category."""
    columns, edges = layers(name, corpus)
    tall = max(len(c) for c in columns)
    height = _TOP + tall * _ROW + 20
    width = 40 + _COLUMN * (len(columns) - 1) + 260
    at: dict[tuple[int, str], tuple[float, float]] = {}
    for i, labels in enumerate(columns):
        offset = (tall - len(labels)) * _ROW / 2
        for j, label in enumerate(labels):
            at[(i, label)] = (40 + i * _COLUMN, _TOP + offset + j * _ROW + _ROW / 2)
    keys = sorted({key for *_, key in edges})
    colour = {key: _COLOURS[n % len(_COLOURS)] for n, key in enumerate(keys)}
    paths = []
    for a, la, b, lb, key in edges:
        (x1, y1), (x2, y2) = at[(a, la)], at[(b, lb)]
        x1 += 10 + 7 * len(_short(la))  # leave from the end of the label, not through it
        mid = (x1 + x2) / 2
        paths.append(
            el(
                "path",
                {
                    "d": f"M{x1:.0f},{y1:.0f} C{mid:.0f},{y1:.0f} {mid:.0f},{y2:.0f} {x2 - 5:.0f},{y2:.0f}",
                    "stroke": "#999" if b == 3 else colour[key],
                    "class": f"edge{' hq' if key == 'headquarters' else ''}",
                },
                el("title", None, f"{la} → {lb}" + (f" ({key})" if b == 3 else "")),
            )
        )
    nodes = []
    for (i, label), (x, y) in sorted(at.items()):
        nodes.append(el("circle", {"cx": f"{x:.0f}", "cy": f"{y:.0f}", "r": "5", "class": f"node c{i}"}))
        nodes.append(
            el(
                "text",
                {"x": f"{x + 9:.0f}", "y": f"{y + 4:.0f}", "class": "label"},
                el("title", None, label),
                _short(label),
            )
        )
    heads = [el("text", {"x": str(40 + i * _COLUMN), "y": "24", "class": "head"}, h) for i, h in enumerate(_HEADINGS)]
    return el(
        "svg",
        {
            "class": "datamap",
            "viewBox": f"0 0 {width} {height}",
            "width": str(width),
            "height": str(height),
            "role": "img",
            "aria-label": f"Data map of {name}",
        },
        heads,
        el("g", {"class": "edges"}, paths),
        el("g", {"class": "nodes"}, nodes),
    )


def data_map_page(name: str, corpus: Corpus) -> Markup:
    """The data map page of one company, with a legend of what the columns and lines mean."""
    body = join(
        [
            el(
                "nav",
                None,
                el("a", {"href": "index.html"}, "← index"),
                el("a", {"href": page_name("company", name)}, "report"),
                el("a", {"href": page_name("graph", name)}, "graph"),
            ),
            el("h1", None, f"Data map: {name}"),
            el(
                "p",
                {"class": "legend"},
                "Left to right: the company, the data categories its policy sends, the recipients "
                "(named vendors and kinds of recipients) and the countries their data goes to — solid when "
                "the clause states the country, dashed for the vendor's headquarters. Lines into a "
                "recipient are coloured by data category; hover a line or a shortened label for its text.",
            ),
            el("div", {"class": "map"}, data_map_svg(name, corpus)),
        ]
    )
    return page(f"Data map: {name}", el("main", None, body))
