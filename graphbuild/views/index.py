"""The corpus index: what each view shows, when and from what it was generated, the figures, and the
organisations most companies share data with (a bar chart, with how concentrated sharing is)."""

from __future__ import annotations

import time

from graphbuild.views.data import Corpus
from graphbuild.views.html import Markup, el, join, page
from graphbuild.views.names import page_name

_EXPLAIN = [
    (
        "Report",
        "per company: who (legal entities, policy, how sure the naming is and why), then tables of "
        "vendors, data flows, retention, countries and transfers, rights, legal bases and denied practices — "
        "each row with its evidence sentence, linked to that sentence in the policy text. Tables sort (click a "
        "heading), filter and download as CSV.",
    ),
    ("Data map", "per company, left to right: the company, the data it sends, the recipients, the countries."),
    ("Graph", "per company, to explore: click a node to focus on its neighbourhood, search to highlight."),
    ("Vendor", "per organisation: the companies that reach it, through which products, with what data."),
    ("Overview", "every company and the organisations (and parents) they share data with."),
]


def _chart(top: list[tuple[str, int]], companies: int) -> Markup:
    """Horizontal bars: how many companies reach each organisation."""
    if not top:
        return Markup("")
    width, row = 640, 22
    longest = max(n for _, n in top)
    bars = []
    for i, (org, n) in enumerate(top):
        y = i * row
        length = 1 + (width - 260) * n / longest
        bars.append(
            el("text", {"x": "0", "y": str(y + 15), "class": "label"}, org if len(org) <= 30 else org[:29] + "…")
        )
        bars.append(
            el(
                "rect",
                {"x": "220", "y": str(y + 4), "width": f"{length:.0f}", "height": "14", "class": "bar"},
                el("title", None, f"{org}: {n} of {companies} companies"),
            )
        )
        bars.append(el("text", {"x": f"{226 + length:.0f}", "y": str(y + 15), "class": "value"}, str(n)))
    return el(
        "svg",
        {
            "class": "chart",
            "viewBox": f"0 0 {width} {len(top) * row}",
            "width": str(width),
            "height": str(len(top) * row),
            "role": "img",
            "aria-label": "organisations by companies",
        },
        bars,
    )


def _more(shown: int, total: int, what: str) -> Markup | None:
    return el("p", None, f"{total - shown} more {what} not written (see --limit).") if total > shown else None


def index_page(corpus: Corpus, companies: list[str], orgs: list[str], n_companies: int, n_orgs: int) -> Markup:
    """The index page."""
    total = max(1, n_companies)
    top = [(o, corpus.reach(o)) for o in orgs[:15]]
    shares = [corpus.reach(o) for o in orgs]
    concentration = (
        f"The most shared organisation reaches {shares[0]} of {n_companies} companies "
        f"({100 * shares[0] / total:.0f} %); the top five together appear {sum(shares[:5])} times."
        if shares
        else "No organisation is named."
    )
    figures = [("companies", n_companies), ("organisations", n_orgs)]
    if corpus.partial:  # the other figures would count only the companies with a report
        figures.append(("documents", corpus.total_documents))
    else:
        figures += [
            ("vendors and products", len({r.get("vendor") for r in corpus.rows["vendors"]})),
            ("data flows", len(corpus.rows["data_flows"])),
            ("countries", len({r.get("country") for r in corpus.rows["locations"]})),
            ("documents", len(corpus.documents)),
        ]
    company_rows = [
        el(
            "tr",
            None,
            el("td", None, c),
            el("td", None, el("a", {"href": page_name("company", c)}, "report")),
            el("td", None, el("a", {"href": page_name("map", c)}, "data map")),
            el("td", None, el("a", {"href": page_name("graph", c)}, "graph")),
        )
        for c in companies
    ]
    vendor_items = [el("li", None, el("a", {"href": page_name("vendor", o)}, o), f" — {corpus.reach(o)}") for o in orgs]
    sources = [
        el("li", None, el("a", {"href": d.page}, d.title or d.source), " ", el("span", {"class": "src"}, d.source))
        for d in sorted(corpus.documents.values(), key=lambda d: d.source)
    ]
    body = join(
        [
            el("h1", None, "graphbuild"),
            el(
                "p",
                {"class": "generated"},
                f"Generated {time.strftime('%Y-%m-%d %H:%M')} from "
                f"{corpus.total_documents or len(corpus.documents)} stored policies.",
            ),
            el(
                "div",
                {"class": "figs"},
                [el("div", {"class": "fig"}, el("b", None, str(v)), el("span", None, k)) for k, v in figures],
            ),
            el("h2", None, "What each view shows"),
            el("dl", {"class": "explain"}, [join([el("dt", None, k), el("dd", None, v)]) for k, v in _EXPLAIN]),
            el("p", None, el("a", {"href": "overview.html"}, "Overview graph")),
            el("h2", None, "Organisations most companies share data with"),
            _chart(top, n_companies),
            el("p", None, concentration),
            el("h2", None, "Companies"),
            el("table", {"class": "gb-table"}, el("tbody", None, company_rows)),
            _more(len(companies), n_companies, "companies"),
            el("h2", None, "Vendor organisations"),
            el("ul", {"class": "cols"}, vendor_items),
            _more(len(orgs), n_orgs, "organisations"),
            el("h2", None, "Sources"),
            el("p", None, f"The {len(sources)} policies of the companies with a report.") if corpus.partial else None,
            el("ul", None, sources),
        ]
    )
    return page(
        "graphbuild", el("main", None, body), description="Privacy policies as a graph of vendors and data flows"
    )
