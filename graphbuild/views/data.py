"""What the views show, read once from the store: the named queries' rows, each document's text, and where
each recipient's data goes (countries stated in the flow's clause, or the vendor's headquarters).

A corpus with more companies than pages to write is read in two parts: corpus-wide counts from the summary
layer (companies, documents, companies reaching each organisation, the companies with most organisations),
then the named queries for the companies that get a page only, one company at a time (each a lookup of a
few milliseconds), so the views of 100,000 policies cost about what those of a hundred do."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from pyoxigraph import Literal

from graphbuild.knowledge_triples import KNOWLEDGE_GRAPH
from graphbuild.queries import rows_as_dicts, run_named, term_value
from graphbuild.store import GraphStore
from graphbuild.store.summary import read_summary
from graphbuild.vocab import GB

Row = dict[str, str | None]
Rows = list[Row]
QUERIES = (
    "companies",
    "company_profile",
    "vendors",
    "data_flows",
    "retention",
    "locations",
    "rights",
    "legal_bases",
    "negated_practices",
    "vendor_exposure",
    "recipient_categories",
)
# with one parameter per company: every query above but vendor_exposure, which is keyed by vendor
PER_COMPANY = tuple(q for q in QUERIES if q != "vendor_exposure")
_TOTALS = f"""SELECT (COUNT(DISTINCT ?c) AS ?companies) (COUNT(DISTINCT ?g) AS ?documents)
WHERE {{ GRAPH ?g {{ ?g <{GB.firstParty}> ?c }} }}"""
_DOCUMENTS = f"""
SELECT ?source ?title ?text WHERE {{
  GRAPH ?g {{ ?g <http://purl.org/dc/terms/source> ?source ; <{GB.text}> ?text .
             OPTIONAL {{ ?g <http://purl.org/dc/terms/title> ?title }} }}
}}"""
_FLOW_COUNTRIES = f"""
PREFIX dpv: <https://w3id.org/dpv#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?company ?recipient ?stated ?headquarters WHERE {{
  GRAPH ?g {{
    ?c dpv:hasName ?company .
    ?g dpv:hasDataController ?c .
    ?flow a <{GB.DataFlow}> ; dpv:hasRecipient ?rec .
    OPTIONAL {{ ?rec dpv:hasName ?own_name }}
    OPTIONAL {{ ?flow dpv:hasLocation ?stated }}
  }}
  OPTIONAL {{ GRAPH <{KNOWLEDGE_GRAPH}> {{ ?rec dpv:hasName ?known_name }} }}
  OPTIONAL {{ GRAPH <{KNOWLEDGE_GRAPH}> {{ ?rec skos:prefLabel ?label }} }}
  OPTIONAL {{ GRAPH <{KNOWLEDGE_GRAPH}> {{ ?rec <{GB.providedBy}>?/<{GB.headquarteredIn}> ?headquarters }} }}
  BIND (COALESCE(?known_name, ?label, ?own_name) AS ?recipient)
  FILTER (BOUND(?recipient))
}}"""


@dataclass
class Document:
    """A stored policy: where it came from, its title and its cleaned text."""

    source: str
    title: str
    text: str

    @property
    def page(self) -> str:
        """File name of its readable copy."""
        return f"text-{hashlib.sha1(self.source.encode()).hexdigest()[:10]}.html"


@dataclass
class Corpus:
    """Rows by query, documents by source, recipients' countries by company."""

    rows: dict[str, Rows]
    documents: dict[str, Document]
    countries: dict[str, dict[str, set[tuple[str, str]]]] = field(default_factory=dict)
    partial: bool = False  # rows only for the companies that get a page (a large corpus)
    reach_counts: dict[str, int] = field(default_factory=dict)  # organisation → companies, corpus-wide
    total_companies: int = 0
    total_documents: int = 0

    def of(self, query: str, company: str) -> Rows:
        """The rows of ``query`` about ``company``."""
        return [r for r in self.rows[query] if r.get("company") == company]

    @property
    def companies(self) -> list[str]:
        """Every first party, most vendors first."""
        weight: dict[str, int] = defaultdict(int)
        for r in self.rows["vendors"]:
            weight[r["company"] or ""] += 1
        return sorted({r["company"] or "" for r in self.rows["companies"]}, key=lambda c: (-weight[c], c))

    @property
    def organisations(self) -> dict[str, set[str]]:
        """Each vendor organisation → the companies (with rows here) that reach it."""
        reach: dict[str, set[str]] = defaultdict(set)
        for r in self.rows["vendors"]:
            reach[r["vendor_org"] or r["vendor"] or ""].add(r["company"] or "")
        return dict(reach)

    def reach(self, organisation: str) -> int:
        """How many companies reach an organisation, in the whole corpus."""
        if self.partial:
            return self.reach_counts.get(organisation, 0)
        return len(self.organisations.get(organisation, ()))


def _int(term: object) -> int:
    return int(term_value(term) or 0)  # type: ignore[arg-type]


def read_corpus(store: GraphStore, limit: int | None = None) -> Corpus:
    """Everything the views need, in a few queries: of every company, or (when there are more than
    ``limit``) of the ``limit`` companies reaching most organisations, with corpus-wide counts."""
    (companies, documents_count), *_ = store.select(_TOTALS).rows
    total_companies, total_documents = _int(companies), _int(documents_count)
    if limit is None or total_companies <= limit:
        corpus = _read(store, {name: rows_as_dicts(run_named(store, name)) for name in QUERIES}, None)
        corpus.total_companies, corpus.total_documents = total_companies, total_documents
        return corpus
    summary = read_summary(store)
    chosen = sorted(summary.reaches, key=lambda c: (-len(summary.reaches[c]), c))[:limit]
    rows: dict[str, Rows] = {name: [] for name in QUERIES}
    for company in chosen:
        for name in PER_COMPANY:
            rows[name] += rows_as_dicts(run_named(store, name, {"company": company}))
    rows["vendor_exposure"] = _exposure(rows)
    corpus = _read(store, rows, chosen)
    corpus.partial, corpus.total_companies, corpus.total_documents = True, total_companies, total_documents
    reach_counts: dict[str, int] = defaultdict(int)
    for orgs in summary.reaches.values():
        for org in orgs:
            reach_counts[org] += 1
    corpus.reach_counts = dict(reach_counts)
    return corpus


def _exposure(rows: dict[str, Rows]) -> Rows:
    """The vendor_exposure rows of the companies read, from their data flows and storage countries."""
    countries: dict[str, set[str]] = defaultdict(set)
    for r in rows["locations"]:
        if r.get("kind") in ("storage", "transfer") and r.get("country"):
            countries[r.get("company") or ""].add(r.get("country") or "")
    return [
        {
            "vendor": r.get("recipient"),
            "company": r.get("company"),
            "data": r.get("data"),
            "purposes": r.get("purposes"),
            "countries": ", ".join(sorted(countries.get(r.get("company") or "", ()))) or None,
        }
        for r in rows["data_flows"]
    ]


def _read(store: GraphStore, rows: dict[str, Rows], companies: list[str] | None) -> Corpus:
    """The corpus around ``rows``: documents' texts and recipients' countries (of ``companies``, or all)."""
    documents = {}
    wanted = None if companies is None else {r.get("document") for r in rows["companies"]}
    for source in sorted(w for w in wanted or () if w) if wanted is not None else [None]:
        bound = {} if source is None else {"source": Literal(source)}
        for src_term, title, text in store.select(_DOCUMENTS, bound).rows:
            src = term_value(src_term) or ""
            documents[src] = Document(src, term_value(title) or "", term_value(text) or "")
    countries: dict[str, dict[str, set[tuple[str, str]]]] = defaultdict(lambda: defaultdict(set))
    for company in companies if companies is not None else [None]:
        bound = {} if company is None else {"company": Literal(company)}
        for name, recipient, stated, headquarters in store.select(_FLOW_COUNTRIES, bound).rows:
            for country, how in ((stated, "stated"), (headquarters, "headquarters")):
                code = (term_value(country) or "").rsplit("#", 1)[-1].rsplit("/", 1)[-1]
                if code:
                    countries[term_value(name) or ""][term_value(recipient) or ""].add((code, how))
    return Corpus(rows, documents, {c: dict(r) for c, r in countries.items()})
