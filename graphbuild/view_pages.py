"""The pages of ``graphbuild view``, built from the named queries: index, overview, companies,
vendor organisations, data flows."""

from __future__ import annotations

import html
from collections import defaultdict
from pathlib import Path

from graphbuild.queries import rows_as_dicts, run_named, term_value
from graphbuild.store import GraphStore
from graphbuild.views import GraphView, page_name

Rows = list[dict[str, str | None]]
_SUMMARY_QUERIES = (
    "companies",
    "vendors",
    "data_categories",
    "data_flows",
    "locations",
    "recipient_categories",
    "vendor_exposure",
    "retention",
)


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def _s(value: str | None) -> str:
    return value or ""


def overview(vendors: Rows) -> GraphView:
    """Companies → vendors → organisations → parent organisations."""
    view = GraphView("Overview: companies, vendors and the organisations behind them")
    for row in vendors:
        company = view.node("company", _s(row["company"]))
        vendor = view.node("vendor", _s(row["vendor"]), f"category: {_s(row['category'])}")
        view.edge(company, vendor, "", _s(row["evidence"]))
        org, parent = _s(row["vendor_org"]), row["parent"]
        behind = vendor  # a vendor that is an organisation itself (Drift) links to its parent directly
        if org and org != row["vendor"]:
            behind = view.node("organisation", org)
            view.edge(vendor, behind, "provided by")
        if parent and parent != org:
            view.edge(behind, view.node("organisation", parent), "subsidiary of")
    return view


def flows(data_flows: Rows, title: str = "Data flows: which data reaches which recipient") -> GraphView:
    """Company → data category → recipient, with retention on the edges and the statement as tooltip."""
    view = GraphView(title)
    for row in data_flows:
        company = view.node("company", _s(row["company"]))
        recipient = view.node("vendor", _s(row["recipient"]))
        data = _split(row["data"]) or ["(data not stated)"]
        for item in data:
            d = view.node("data", item)
            view.edge(company, d, "collects")
            tip = f"{_s(row['evidence'])}\n\npurposes: {_s(row['purposes']) or '—'}"
            view.edge(d, recipient, _s(row["retention"]), tip)
    return view


def company_page(name: str, q: dict[str, Rows]) -> GraphView:
    """One company: its data categories → recipients (retention on the edges), vendors, recipient
    categories and countries."""
    view = flows([r for r in q["data_flows"] if r["company"] == name], f"Company: {name}")
    company = view.node("company", name)
    for row in q["data_categories"]:
        if row["company"] == name:
            view.edge(company, view.node("data", _s(row["data"])), "collects", _s(row["evidence"]))
    for row in q["vendors"]:
        if row["company"] == name:
            view.edge(company, view.node("vendor", _s(row["vendor"])), row["role"] or "", _s(row["evidence"]))
    for row in q["recipient_categories"]:
        if row["company"] == name:
            view.edge(company, view.node("recipients", _s(row["category"])), "shares with", _s(row["evidence"]))
    for row in q["locations"]:
        if row["company"] == name:
            label = _s(row["kind"]) + (f" ({row['safeguard']})" if row["safeguard"] else "")
            view.edge(company, view.node("country", _s(row["country"])), label, _s(row["evidence"]))
    return view


def vendor_page(org: str, q: dict[str, Rows]) -> GraphView:
    """One organisation: its products, the companies that reach them, the data and countries exposed."""
    view = GraphView(f"Vendor: {org}")
    org_node = view.node("organisation", org)
    products = {r["vendor"] for r in q["vendors"] if r["vendor_org"] == org}
    for row in q["vendors"]:
        if row["vendor"] in products:
            vendor = view.node("vendor", _s(row["vendor"]), f"category: {_s(row['category'])}")
            if row["vendor"] != org:
                view.edge(vendor, org_node, "provided by")
            view.edge(view.node("company", _s(row["company"])), vendor, row["role"] or "", _s(row["evidence"]))
    for row in q["vendor_exposure"]:
        if row["vendor"] in products:
            vendor = view.node("vendor", _s(row["vendor"]))
            company = view.node("company", _s(row["company"]))
            for item in _split(row["data"]):
                view.edge(view.node("data", item), vendor, "", f"from {row['company']}")
            for cc in _split(row["countries"]):
                view.edge(company, view.node("country", cc), "stores / transfers in")
    return view


def write_views(store: GraphStore, out: str, limit: int = 100) -> list[Path]:
    """Write ``index.html`` and every view it links (at most ``limit`` company and vendor pages each,
    the most connected first); returns the written files."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    q = {name: rows_as_dicts(run_named(store, name)) for name in _SUMMARY_QUERIES}
    written: list[Path] = []

    def write(name: str, view: GraphView) -> str:
        path = folder / name
        path.write_text(view.html(), encoding="utf-8")
        written.append(path)
        return name

    pages = [("Overview: companies → vendors → organisations", write("overview.html", overview(q["vendors"])))]
    pages.append(("Data flows: company → data → recipient", write("flows.html", flows(q["data_flows"]))))
    weight: dict[str, int] = defaultdict(int)
    for row in q["vendors"]:
        weight[_s(row["company"])] += 1
    companies = sorted({_s(r["company"]) for r in q["companies"]}, key=lambda c: (-weight[c], c))
    company_links = [(c, write(page_name("company", c), company_page(c, q))) for c in companies[:limit]]
    reach: dict[str, set[str]] = defaultdict(set)
    for row in q["vendors"]:
        reach[_s(row["vendor_org"])].add(_s(row["company"]))
    orgs = sorted(reach, key=lambda o: (-len(reach[o]), o))
    vendor_links = [(o, write(page_name("vendor", o), vendor_page(o, q))) for o in orgs[:limit]]
    index = folder / "index.html"
    index.write_text(_index(store, q, pages, company_links, vendor_links, len(companies), len(orgs)), encoding="utf-8")
    return [index, *written]


def _index(
    store: GraphStore,
    q: dict[str, Rows],
    pages: list[tuple[str, str]],
    companies: list[tuple[str, str]],
    vendors: list[tuple[str, str]],
    n_companies: int,
    n_orgs: int,
) -> str:
    practices = store.select(
        "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { GRAPH ?g { ?p a <https://w3id.org/dpv#PersonalDataProcess> } }"
    ).rows[0][0]
    figures = [
        ("companies", n_companies),
        ("vendors", len({r["vendor"] for r in q["vendors"]})),
        ("organisations", n_orgs),
        ("parent organisations", len({r["parent"] for r in q["vendors"] if r["parent"]})),
        ("countries", len({r["country"] for r in q["locations"]})),
        ("practices", term_value(practices) or 0),
        ("data flows", len(q["data_flows"])),
    ]
    e = html.escape
    cards = "".join(f"<div class='fig'><b>{e(str(v))}</b><span>{e(k)}</span></div>" for k, v in figures)
    links = "".join(f"<li><a href='{e(href)}'>{e(title)}</a></li>" for title, href in pages)
    company_items = "".join(f"<li><a href='{e(h)}'>{e(name)}</a></li>" for name, h in companies)
    vendor_items = "".join(f"<li><a href='{e(h)}'>{e(name)}</a></li>" for name, h in vendors)
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>graphbuild</title><style>"
        "body{font-family:system-ui,sans-serif;margin:2em;max-width:70em}.figs{display:flex;gap:1em;flex-wrap:wrap}"
        ".fig{border:1px solid #ddd;border-radius:6px;padding:.8em 1.2em;min-width:8em}"
        ".fig b{display:block;font-size:1.8em}"
        "ul.cols{columns:3}</style></head><body><h1>graphbuild</h1>"
        f"<div class='figs'>{cards}</div><h2>Views</h2><ul>{links}</ul>"
        f"<h2>Companies</h2><ul class='cols'>{company_items}</ul>{_more(len(companies), n_companies)}"
        f"<h2>Vendor organisations</h2><ul class='cols'>{vendor_items}</ul>{_more(len(vendors), n_orgs)}"
        "</body></html>"
    )


def _more(shown: int, total: int) -> str:
    return f"<p>{total - shown} more not drawn (see --limit).</p>" if total > shown else ""
