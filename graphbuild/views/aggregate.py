"""The overview of a large corpus: beyond a few hundred nodes a drawing of every company and organisation
is a blur, so the page shows the organisations most companies reach and the communities of companies and
organisations (greedy modularity over the company–organisation graph), with counts and links to the
per-company reports and vendor pages."""

from __future__ import annotations

import networkx as nx
from networkx.algorithms.community import greedy_modularity_communities

from graphbuild.views.data import Corpus, Rows
from graphbuild.views.html import Markup, el, join, page
from graphbuild.views.names import page_name

MAX_DRAWN = 300  # nodes above which the overview aggregates instead of drawing every node


def overview_size(vendors: Rows) -> int:
    """How many nodes the drawn overview would have (companies, organisations, parents)."""
    names = {("c", r.get("company")) for r in vendors}
    names |= {("o", r.get("vendor_org") or r.get("vendor")) for r in vendors}
    names |= {("p", r.get("parent")) for r in vendors if r.get("parent")}
    return len(names)


def _communities(vendors: Rows) -> list[tuple[list[str], list[str]]]:
    g = nx.Graph()
    for r in sorted(vendors, key=lambda r: (r.get("company") or "", r.get("vendor_org") or "")):
        g.add_edge(("company", r.get("company") or ""), ("org", r.get("vendor_org") or r.get("vendor") or ""))
    if g.number_of_edges() == 0:
        return []
    groups = []
    for group in greedy_modularity_communities(g):
        companies = sorted(n for kind, n in group if kind == "company")
        orgs = sorted(n for kind, n in group if kind == "org")
        groups.append((companies, orgs))
    return sorted(groups, key=lambda x: (-len(x[0]), x[0]))


def aggregate_overview(corpus: Corpus, reported: set[str], top: int = 50) -> Markup:
    """Top organisations and communities, with counts; names link to pages that were written."""
    reach = corpus.reach_counts if corpus.partial else {o: len(c) for o, c in corpus.organisations.items()}
    ranked = sorted(reach, key=lambda o: (-reach[o], o))[:top]

    def company_link(name: str) -> Markup:
        return el("a", {"href": page_name("company", name)}, name) if name in reported else el("span", None, name)

    rows = [
        el(
            "tr",
            None,
            el("td", None, el("a", {"href": page_name("vendor", org)}, org)),
            el("td", {"data-csv": str(reach[org])}, str(reach[org])),
        )
        for org in ranked
    ]
    communities = []
    for i, (companies, orgs) in enumerate(_communities(corpus.rows["vendors"])[:30], 1):
        shared = sorted(orgs, key=lambda o: (-reach.get(o, 0), o))[:8]
        communities.append(
            el(
                "tr",
                None,
                el("td", None, str(i)),
                el("td", {"data-csv": str(len(companies))}, str(len(companies))),
                el("td", {"data-csv": str(len(orgs))}, str(len(orgs))),
                el("td", None, ", ".join(shared)),
                el("td", None, join(company_link(c) for c in companies[:10]), " …" if len(companies) > 10 else ""),
            )
        )
    body = join(
        [
            el("nav", None, el("a", {"href": "index.html"}, "← index")),
            el("h1", None, "Overview"),
            el(
                "p",
                {"class": "legend"},
                f"{corpus.total_companies or len(corpus.companies)} companies and {len(reach)} organisations are too "
                "many to draw one by one: here are the organisations most companies share data with, and the "
                "communities of companies and organisations that are more linked to each other than to the rest"
                + (f" (among the {len(corpus.companies)} companies with a report)." if corpus.partial else "."),
            ),
            el(
                "section",
                {"id": "top"},
                el("h2", None, f"Top {len(ranked)} organisations"),
                el(
                    "table",
                    {"class": "gb-table"},
                    el("thead", None, el("tr", None, el("th", None, "organisation"), el("th", None, "companies"))),
                    el("tbody", None, rows),
                ),
            ),
            el(
                "section",
                {"id": "communities"},
                el("h2", None, "Communities"),
                el(
                    "table",
                    {"class": "gb-table"},
                    el(
                        "thead",
                        None,
                        el(
                            "tr",
                            None,
                            *[
                                el("th", None, h)
                                for h in (
                                    "#",
                                    "companies",
                                    "organisations",
                                    "organisations they share",
                                    "companies (first ten)",
                                )
                            ],
                        ),
                    ),
                    el("tbody", None, communities),
                ),
            ),
        ]
    )
    return page("Overview", el("main", None, body))
