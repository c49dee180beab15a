"""``graphbuild view``: HTML pages that open offline from the output folder — a report, a data map and a
graph per company, a page per vendor organisation, the policies' text, an overview and an index. The shared
JavaScript and CSS are written once under ``assets/``; each run removes the pages the previous run wrote."""

from __future__ import annotations

from pathlib import Path

from graphbuild.errors import GraphbuildError
from graphbuild.store import GraphStore
from graphbuild.views.aggregate import MAX_DRAWN, aggregate_overview, overview_size
from graphbuild.views.data import read_corpus
from graphbuild.views.datamap import data_map_page
from graphbuild.views.explore import company_graph_page, graph_page, overview
from graphbuild.views.index import index_page
from graphbuild.views.names import page_name
from graphbuild.views.report import Quotes, company_report, text_page, vendor_report
from graphbuild.views.shared_assets import clear_previous, record_written, write_assets


def write_views(store: GraphStore, out: str, limit: int = 100) -> list[Path]:
    """Write the pages into ``out`` (at most ``limit`` company and vendor pages each, the most connected
    first) and return them, ``index.html`` first."""
    folder = Path(out)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise GraphbuildError(f"{out}: cannot write views: {exc.strerror or exc}") from None
    clear_previous(folder)
    corpus = read_corpus(store, limit)
    written = write_assets(folder)
    quotes = Quotes()

    def write(name: str, html: str) -> None:
        (folder / name).write_text(html, encoding="utf-8")
        written.append(name)

    companies = corpus.companies
    orgs = sorted(corpus.reach_counts if corpus.partial else corpus.organisations, key=lambda o: (-corpus.reach(o), o))
    for name in companies[:limit]:
        write(page_name("company", name), company_report(name, corpus, quotes))
        write(page_name("map", name), data_map_page(name, corpus))
        write(page_name("graph", name), company_graph_page(name, corpus))
    for org in orgs[:limit]:
        write(page_name("vendor", org), vendor_report(org, corpus, quotes))
    if corpus.partial or overview_size(corpus.rows["vendors"]) > MAX_DRAWN:
        write("overview.html", aggregate_overview(corpus, set(companies[:limit])))
    else:
        write("overview.html", graph_page(overview(corpus.rows["vendors"]), [("index.html", "← index")]))
    for doc in corpus.documents.values():
        write(doc.page, text_page(doc, quotes.marks.get(doc.source, {})))
    n_companies = corpus.total_companies if corpus.partial else len(companies)
    write("index.html", index_page(corpus, companies[:limit], orgs[:limit], n_companies, len(orgs)))
    record_written(folder, written)
    pages = [folder / n for n in written if n.endswith(".html")]
    return [folder / "index.html", *[p for p in pages if p.name != "index.html"]]
