"""What the views show, read once from the store: the named queries' rows, each document's text, and where
each recipient's data goes (countries stated in the flow's clause, or the vendor's headquarters)."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from graphbuild.queries import rows_as_dicts, run_named, term_value
from graphbuild.store import GraphStore
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
_DOCUMENTS = f"""
SELECT ?source ?title ?text WHERE {{
  GRAPH ?g {{ ?g <http://purl.org/dc/terms/source> ?source ; <{GB.text}> ?text .
             OPTIONAL {{ ?g <http://purl.org/dc/terms/title> ?title }} }}
}}"""
_FLOW_COUNTRIES = f"""
PREFIX dpv: <https://w3id.org/dpv#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?company ?recipient ?country ?how WHERE {{
  GRAPH ?g {{
    ?c dpv:hasName ?company .
    ?flow dpv:hasDataController ?c ; a <{GB.DataFlow}> ; dpv:hasRecipient ?rec .
    ?rec dpv:hasName|skos:prefLabel ?recipient .
    {{ ?flow dpv:hasLocation ?country . BIND("stated" AS ?how) }}
    UNION {{ ?rec <{GB.providedBy}>?/<{GB.headquarteredIn}> ?country . BIND("headquarters" AS ?how) }}
  }}
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
        """Each vendor organisation → the companies that reach it."""
        reach: dict[str, set[str]] = defaultdict(set)
        for r in self.rows["vendors"]:
            reach[r["vendor_org"] or r["vendor"] or ""].add(r["company"] or "")
        return dict(reach)


def read_corpus(store: GraphStore) -> Corpus:
    """Everything the views need, in a few queries."""
    rows = {name: rows_as_dicts(run_named(store, name)) for name in QUERIES}
    documents = {}
    for source, title, text in store.select(_DOCUMENTS).rows:
        src = term_value(source) or ""
        documents[src] = Document(src, term_value(title) or "", term_value(text) or "")
    countries: dict[str, dict[str, set[tuple[str, str]]]] = defaultdict(lambda: defaultdict(set))
    for company, recipient, country, how in store.select(_FLOW_COUNTRIES).rows:
        code = (term_value(country) or "").rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        if code:
            countries[term_value(company) or ""][term_value(recipient) or ""].add((code, term_value(how) or ""))
    return Corpus(rows, documents, {c: dict(r) for c, r in countries.items()})
