"""A record of processing activities (GDPR Art. 30(1)) as a table: one row per processing activity — a data
flow of the graph — with the controller and its contact, purposes, data subjects, personal data, recipients
named and by category, third-country transfers with their safeguards, retention, and the evidence. Also the
company–organisation graph as GraphML for Gephi and yEd."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from typing import IO

from graphbuild.errors import GraphbuildError
from graphbuild.knowledge.regions import outside_eea
from graphbuild.queries import rows_as_dicts, run_named, term_value
from graphbuild.store import GraphStore

# (column, what it holds) — the README lists the same
COLUMNS = (
    ("controller", "Art. 30(1)(a): the company whose policy it is"),
    ("controller_contact", "Art. 30(1)(a): contact e-mail addresses and the data protection officer, as stated"),
    ("purposes", "Art. 30(1)(b): purposes of the processing"),
    ("data_subjects", "Art. 30(1)(c): categories of data subjects (users; children when the policy sets an age)"),
    ("personal_data", "Art. 30(1)(c): categories of personal data"),
    ("recipients", "Art. 30(1)(d): recipients, named"),
    ("recipient_categories", "Art. 30(1)(d): recipients, by category"),
    ("third_countries", "Art. 30(1)(e): countries outside the EEA the company stores or transfers data in"),
    ("safeguards", "Art. 30(1)(e): the transfer safeguards stated for them"),
    ("retention", "Art. 30(1)(f): time limits for erasure, where stated for this flow's data"),
    ("basis_of_data", "whether the data is stated in the clause or implied by the purpose"),
    ("evidence", "the clause the row comes from"),
    ("document", "the policy it comes from"),
)
_CONTACTS = """
PREFIX dpv: <https://w3id.org/dpv#>
PREFIX gb: <https://graphbuild.dev/ns#>
SELECT DISTINCT ?company ?contact WHERE {
  GRAPH ?g {
    ?c dpv:hasName ?company .
    { ?c gb:hasContactPoint/gb:contactEmail ?e . BIND(?e AS ?contact) }
    UNION { ?c dpv:hasDataProtectionOfficer ?d . OPTIONAL { ?d gb:contactEmail ?de }
            BIND(CONCAT("DPO", IF(BOUND(?de), CONCAT(" ", ?de), "")) AS ?contact) }
  }
}"""


def _join(values: set[str]) -> str:
    return ", ".join(sorted(v for v in values if v))


def ropa_rows(store: GraphStore) -> list[dict[str, str]]:
    """The record of processing, one row per data flow, sorted by controller and recipient."""
    contacts: dict[str, set[str]] = defaultdict(set)
    for who, contact in store.select(_CONTACTS).rows:
        contacts[term_value(who) or ""].add(term_value(contact) or "")
    countries: dict[str, set[str]] = defaultdict(set)
    safeguards: dict[str, set[str]] = defaultdict(set)
    for row in rows_as_dicts(run_named(store, "locations")):
        code = row.get("country") or ""
        if code and outside_eea(code) and row.get("kind") in ("storage", "transfer"):
            countries[row.get("company") or ""].add(code)
            if row.get("safeguard"):
                safeguards[row.get("company") or ""].add(f"{code}: {row['safeguard']}")
    children = {
        r.get("company") or "": r.get("child_age")
        for r in rows_as_dicts(run_named(store, "company_profile"))
        if r.get("child_age")
    }
    vendors = {(r.get("company"), r.get("vendor")) for r in rows_as_dicts(run_named(store, "vendors"))}
    rows = []
    for flow in rows_as_dicts(run_named(store, "data_flows")):
        company, recipient = flow.get("company") or "", flow.get("recipient") or ""
        named = (company, recipient) in vendors
        subjects = "users of the service" + (
            f"; children (the policy's age: {children[company]})" if company in children else ""
        )
        rows.append(
            {
                "controller": company,
                "controller_contact": _join(contacts.get(company, set())),
                "purposes": flow.get("purposes") or "",
                "data_subjects": subjects,
                "personal_data": flow.get("data") or "",
                "recipients": recipient if named else "",
                "recipient_categories": "" if named else recipient,
                "third_countries": _join(countries.get(company, set())),
                "safeguards": _join(safeguards.get(company, set())),
                "retention": flow.get("retention") or "",
                "basis_of_data": flow.get("basis") or "",
                "evidence": flow.get("evidence") or "",
                "document": flow.get("document") or "",
            }
        )
    return sorted(rows, key=lambda r: (r["controller"], r["recipients"] or r["recipient_categories"], r["evidence"]))


def write_ropa_csv(store: GraphStore, out: IO[bytes]) -> None:
    """The record of processing as CSV (UTF-8 with a byte-order mark, so spreadsheets read accents)."""
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=[c for c, _ in COLUMNS], lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(ropa_rows(store))
    out.write(text.getvalue().encode("utf-8-sig"))


def write_ropa_xlsx(store: GraphStore, out: IO[bytes]) -> None:
    """The record of processing as an Excel workbook (needs the optional extra: pip install graphbuild[xlsx])."""
    try:
        from openpyxl import Workbook
    except ImportError:
        raise GraphbuildError(
            "ropa-xlsx needs openpyxl: pip install 'graphbuild[xlsx]' (or use --format ropa-csv)"
        ) from None
    book = Workbook()
    sheet = book.active
    sheet.title = "Record of processing"
    sheet.append([c for c, _ in COLUMNS])
    for row in ropa_rows(store):
        sheet.append([row[c] for c, _ in COLUMNS])
    notes = book.create_sheet("Columns")
    notes.append(["column", "what it holds"])
    for column, what in COLUMNS:
        notes.append([column, what])
    book.save(out)


def write_graphml(store: GraphStore, out: IO[bytes]) -> None:
    """Companies, organisations and parents with their links, as GraphML (Gephi, yEd)."""
    import networkx as nx

    from graphbuild.analysis import company_vendor_graph

    graph = company_vendor_graph(store)
    for _, data in graph.nodes(data=True):
        for key, value in list(data.items()):
            if value is None:
                data[key] = ""
    nx.write_graphml(graph, out)
