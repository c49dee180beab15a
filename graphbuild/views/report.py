"""Report pages: one per company and one per vendor organisation — who, then tables of what the policy says,
each row with its evidence sentence and a link to that sentence highlighted in the policy's text."""

from __future__ import annotations

from collections import defaultdict

from graphbuild.views.data import Corpus, Document, Row, Rows
from graphbuild.views.html import Markup, el, join, page
from graphbuild.views.names import page_name

Column = tuple[str, str]  # (row key, heading)


class Quotes:
    """Where each quoted sentence sits in its document's text, for links into the readable copy."""

    def __init__(self) -> None:
        self.marks: dict[str, dict[int, int]] = defaultdict(dict)  # source → start → end

    def link(self, doc: Document | None, quote: str) -> str | None:
        """``text-….html#at-N`` for the first place ``quote`` appears, or None when it is not found."""
        if doc is None or not quote:
            return None
        at = doc.text.find(quote)
        if at < 0:
            return None
        self.marks[doc.source][at] = at + len(quote)
        return f"{doc.page}#at-{at}"


def evidence_cell(corpus: Corpus, quotes: Quotes, row: Row) -> Markup:
    """The evidence sentence, folded to its start, with a link to it in the policy text."""
    quote = row.get("evidence") or ""
    if not quote:
        return Markup("")
    href = quotes.link(corpus.documents.get(row.get("document") or ""), quote)
    short = quote if len(quote) <= 90 else quote[:87] + "…"
    return el(
        "details",
        {"class": "ev"},
        el("summary", None, short),
        el("blockquote", None, quote),
        el("a", {"href": href}, "in the policy →") if href else None,
    )


def table(title: str, rows: Rows, columns: list[Column], corpus: Corpus, quotes: Quotes, empty: str) -> Markup:
    """A section with a sortable, filterable table (CSV download in the page) or a line saying it is empty."""
    anchor = title.lower().replace(" ", "-")
    if not rows:
        return el("section", {"id": anchor}, el("h2", None, title), el("p", {"class": "empty"}, empty))
    head = el(
        "tr", None, [el("th", {"data-col": key}, heading) for key, heading in columns], el("th", None, "evidence")
    )
    body = [
        el(
            "tr",
            None,
            [el("td", {"data-csv": row.get(key) or ""}, row.get(key) or "") for key, _ in columns],
            el("td", {"data-csv": row.get("evidence") or ""}, evidence_cell(corpus, quotes, row)),
        )
        for row in sorted(rows, key=lambda r: tuple((r.get(k) or "").lower() for k, _ in columns))
    ]
    tools = el(
        "div",
        {"class": "tools"},
        el("input", {"type": "search", "class": "filter", "placeholder": "filter rows", "aria-label": "filter"}),
        el("button", {"type": "button", "class": "csv", "data-name": f"{anchor}.csv"}, "download CSV"),
        el("span", {"class": "count"}, f"{len(rows)} rows"),
    )
    return el(
        "section",
        {"id": anchor},
        el("h2", None, title),
        tools,
        el("table", {"class": "gb-table"}, el("thead", None, head), el("tbody", None, body)),
    )


def _dl(items: list[tuple[str, object]]) -> Markup:
    return el("dl", {"class": "who"}, [join([el("dt", None, k), el("dd", None, v)]) for k, v in items if v])


def _nav(extra: list[tuple[str, str]] | None = None) -> Markup:
    links = [("index.html", "← index"), *(extra or [])]
    return el("nav", None, [el("a", {"href": href}, label) for href, label in links])


def company_report(name: str, corpus: Corpus, quotes: Quotes) -> Markup:
    """Who the company is and what its policies say, as tables with evidence."""
    first = corpus.of("companies", name)
    profile = (corpus.of("company_profile", name) or [{}])[0]
    docs = [corpus.documents.get(r.get("document") or "") for r in first]
    sources = [
        el("a", {"href": d.page}, d.title or d.source) if d else r.get("document")
        for d, r in zip(docs, first, strict=True)
    ]
    who = _dl(
        [
            ("company", name),
            (
                "legal entities",
                ", ".join(sorted({e for r in first for e in (r.get("legal_entities") or "").split(", ") if e})),
            ),
            ("how sure", ", ".join(sorted({r.get("confidence") or "" for r in first} - {""}))),
            ("why", "; ".join(sorted({r.get("reasons") or "" for r in first} - {""}))),
            ("policy", join(sources)),
            ("effective", profile.get("effective")),
            ("updated", profile.get("updated")),
        ]
    )
    where = corpus.countries.get(name, {})
    vendor_rows = [
        dict(r, countries=", ".join(sorted({cc for cc, _ in where.get(r.get("vendor") or "", set())})))
        for r in corpus.of("vendors", name)
    ]
    vendors = {r.get("vendor") for r in vendor_rows}
    flows = corpus.of("data_flows", name)
    sections = [
        table(
            "Vendors",
            vendor_rows,
            [
                ("vendor", "vendor"),
                ("vendor_org", "organisation"),
                ("parent", "parent"),
                ("category", "category"),
                ("role", "role"),
                ("countries", "countries"),
            ],
            corpus,
            quotes,
            "No named vendor found.",
        ),
        table(
            "Data flows",
            [r for r in flows if r.get("recipient") in vendors],
            [
                ("data", "data"),
                ("recipient", "recipient"),
                ("purposes", "purposes"),
                ("retention", "retention"),
                ("basis", "stated or implied"),
            ],
            corpus,
            quotes,
            "No data flow to a named vendor found.",
        ),
        table(
            "Flows to kinds of recipients",
            [r for r in flows if r.get("recipient") not in vendors],
            [
                ("data", "data"),
                ("recipient", "recipients"),
                ("purposes", "purposes"),
                ("retention", "retention"),
                ("basis", "stated or implied"),
            ],
            corpus,
            quotes,
            "No flow to an unnamed kind of recipient found.",
        ),
        table(
            "Retention schedule",
            corpus.of("retention", name),
            [("data", "data"), ("duration", "period"), ("condition", "or until"), ("kind", "kind")],
            corpus,
            quotes,
            "No retention period found.",
        ),
        table(
            "Countries and transfers",
            corpus.of("locations", name),
            [("country", "country"), ("kind", "kind"), ("safeguard", "safeguard")],
            corpus,
            quotes,
            "No country found.",
        ),
        table("Rights", corpus.of("rights", name), [("right", "right")], corpus, quotes, "No right found."),
        table(
            "Legal bases",
            corpus.of("legal_bases", name),
            [("legal_basis", "legal basis")],
            corpus,
            quotes,
            "No legal basis found.",
        ),
        table(
            "Denied practices",
            corpus.of("negated_practices", name),
            [("denied", "denied")],
            corpus,
            quotes,
            "No practice denied.",
        ),
    ]
    body = join(
        [
            _nav([(page_name("map", name), "data map"), (page_name("graph", name), "graph")]),
            el("h1", None, name),
            who,
            el(
                "nav",
                {"class": "toc"},
                [
                    el("a", {"href": "#" + s}, s.replace("-", " "))
                    for s in (
                        "vendors",
                        "data-flows",
                        "retention-schedule",
                        "countries-and-transfers",
                        "rights",
                        "legal-bases",
                        "denied-practices",
                    )
                ],
            ),
            sections,
        ]
    )
    return page(f"{name} — graphbuild report", el("main", None, body), description=f"What {name}'s privacy policy says")


def vendor_report(org: str, corpus: Corpus, quotes: Quotes) -> Markup:
    """One organisation: its products, the companies that reach them, the data exposed and where."""
    rows = [r for r in corpus.rows["vendors"] if (r.get("vendor_org") or r.get("vendor")) == org]
    products = sorted({r.get("vendor") or "" for r in rows})
    parents = sorted({r.get("parent") or "" for r in rows} - {""})
    exposure = [r for r in corpus.rows["vendor_exposure"] if r.get("vendor") in products]
    who = _dl(
        [
            ("organisation", org),
            ("parent", ", ".join(parents)),
            ("products named", ", ".join(products)),
            ("categories", ", ".join(sorted({r.get("category") or "" for r in rows} - {""}))),
            ("companies", str(corpus.reach(org) or len({r.get("company") for r in rows}))),
        ]
    )
    partial = (
        el("p", None, f"Reached by {corpus.reach(org)} companies in all; the tables list those with a report here.")
        if corpus.partial
        else None
    )
    reach = [dict(r, report=r.get("company")) for r in rows]
    body = join(
        [
            _nav(),
            el("h1", None, org),
            who,
            partial,
            table(
                "Companies reaching it",
                reach,
                [("company", "company"), ("vendor", "product"), ("category", "category"), ("role", "role")],
                corpus,
                quotes,
                "No company names it.",
            ),
            table(
                "Data exposed",
                exposure,
                [
                    ("company", "company"),
                    ("vendor", "product"),
                    ("data", "data"),
                    ("purposes", "purposes"),
                    ("countries", "countries"),
                ],
                corpus,
                quotes,
                "No data flow to it found.",
            ),
            el(
                "p",
                None,
                "Company reports: ",
                join(
                    [
                        el("a", {"href": page_name("company", c)}, c)
                        for c in sorted({r.get("company") or "" for r in rows})
                    ]
                ),
            ),
        ]
    )
    return page(f"{org} — graphbuild vendor", el("main", None, body), description=f"Who shares data with {org}")


def text_page(doc: Document, marks: dict[int, int]) -> Markup:
    """The cleaned policy text with the quoted sentences highlighted (targets of the evidence links)."""
    pieces: list[object] = []
    cursor = 0
    for start in sorted(marks):
        end = marks[start]
        if start < cursor:
            continue  # overlaps the mark before it; its link still lands nearby
        pieces.append(doc.text[cursor:start])
        pieces.append(el("mark", {"id": f"at-{start}"}, doc.text[start:end]))
        cursor = end
    pieces.append(doc.text[cursor:])
    body = join(
        [
            _nav(),
            el("h1", None, doc.title or doc.source),
            el("p", {"class": "src"}, doc.source),
            el("pre", {"class": "policy"}, pieces),
        ]
    )
    return page(f"{doc.title or doc.source} — policy text", el("main", None, body))
