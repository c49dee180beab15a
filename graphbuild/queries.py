"""Named SPARQL queries: load ``queries/*.rq``, read their headers, bind parameters, run."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox

from graphbuild.errors import QueryError, StoreError, printable
from graphbuild.knowledge_triples import KNOWLEDGE_GRAPH
from graphbuild.resources import queries_dir
from graphbuild.store import GraphStore, Result, Term

_HEADER = re.compile(r"^#\s*(title|description|param|columns|lists):\s*(.*)$")
_PARAM = re.compile(r"^(\w+)\s*=\s*(.*?)\s*:\s*(.*)$")


@dataclass(frozen=True)
class Param:
    """A query parameter: the engine substitutes its value for the variable ``?{name}``; no default means 'all'."""

    name: str
    default: str | None
    description: str


@dataclass(frozen=True)
class NamedQuery:
    """One ``.rq`` file with the metadata of its header comments."""

    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    columns: tuple[str, ...]
    sparql: str
    lists: tuple[str, ...] = ()  # columns whose values are ", "-separated lists (shown sorted)


def parse_query(name: str, text: str) -> NamedQuery:
    """Read the header comments (title, description, param, columns) of a query file."""
    meta: dict[str, str] = {}
    params: list[Param] = []
    for line in text.splitlines():
        m = _HEADER.match(line.strip())
        if not m:
            continue
        key, value = m.groups()
        if key == "param":
            p = _PARAM.match(value)
            if not p:
                raise QueryError(f"{name}.rq: cannot read parameter line {value!r}")
            default = None if p.group(2) in ("", "(all)", "(none)") else p.group(2)
            params.append(Param(p.group(1), default, p.group(3)))
        else:
            meta[key] = value.strip()
    columns = tuple(c.strip() for c in meta.get("columns", "").split(",") if c.strip())
    lists = tuple(c.strip() for c in meta.get("lists", "").split(",") if c.strip())
    return NamedQuery(name, meta.get("title", name), meta.get("description", ""), tuple(params), columns, text, lists)


@lru_cache(maxsize=1)
def named_queries() -> dict[str, NamedQuery]:
    """Every packaged named query, by name."""
    found = {}
    for entry in sorted(queries_dir().iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            name = entry.name[:-3]
            found[name] = parse_query(name, entry.read_text(encoding="utf-8"))
    return found


def get_query(name: str) -> NamedQuery:
    """The named query, or a QueryError listing the known names."""
    queries = named_queries()
    if name not in queries:
        raise QueryError(f"unknown query {name!r}; known queries: {', '.join(sorted(queries))}")
    return queries[name]


def bind(query: NamedQuery, values: Mapping[str, str]) -> dict[str, Term]:
    """Parameter values as RDF terms for the engine to substitute (plain string literals)."""
    known = {p.name: p for p in query.params}
    unknown = sorted(set(values) - set(known))
    if unknown:
        allowed = ", ".join(known) or "none"
        raise QueryError(f"query {query.name!r} has no parameter {unknown[0]!r} (parameters: {allowed})")
    bindings: dict[str, Term] = {}
    for name, param in known.items():
        value = values.get(name, param.default)
        if value is not None:
            bindings[name] = ox.Literal(printable(value))  # a value that is not UTF-8 matches nothing
    return bindings


def run_named(
    store: GraphStore, name: str, values: Mapping[str, str] | None = None, graphs: Sequence[str] | None = None
) -> Result:
    """Run a named query with its parameters bound by the engine, over the current versions of the documents
    (or over ``graphs``, e.g. the versions as of a date)."""
    query = get_query(name)
    result = store.select(query.sparql, bind(query, values or {}), graphs=graphs)
    if not result.rows:
        _require_current_layout(store)
    if not query.lists:
        return result
    at = [i for i, c in enumerate(result.columns) if c in query.lists]
    return Result(
        result.columns,
        tuple(tuple(_sorted_list(v) if i in at else v for i, v in enumerate(row)) for row in result.rows),
    )


def _require_current_layout(store: GraphStore) -> None:
    """Raise when the store holds documents written in another graph layout (the named queries read the
    current one only, so they would find nothing there rather than fail)."""
    from graphbuild.extractors import GRAPH_LAYOUT

    outdated = (
        "SELECT ?source WHERE { GRAPH ?g { ?g <https://graphbuild.dev/ns#extractorVersions> ?v ; "
        "<http://purl.org/dc/terms/source> ?source } "
        f'FILTER (!CONTAINS(CONCAT(?v, " "), "graph@{GRAPH_LAYOUT} ")) }} LIMIT 1'
    )
    rows = store.select(outdated).rows
    if rows:
        raise StoreError(
            f"the store holds documents built by an earlier graphbuild ({term_value(rows[0][0])} and maybe more): "
            "run 'graphbuild build' on them again to update the store"
        )


def _sorted_list(term: Term | None) -> Term | None:
    """A ", "-separated list literal with its items in a stable, sorted order."""
    if not isinstance(term, ox.Literal) or ", " not in term.value:
        return term
    return ox.Literal(", ".join(sorted(term.value.split(", "), key=str.casefold)))


# The names a parameter may take, to match them regardless of case and to suggest near misses.
_NAMES = {
    "company": "SELECT DISTINCT ?n WHERE { GRAPH ?g { ?g <https://graphbuild.dev/ns#firstParty> ?c . "
    "?c <https://w3id.org/dpv#hasName> ?n } }",
    # a vendor some document shares data with: named in the knowledge graph, or in that document's graph
    "vendor": f"SELECT DISTINCT ?n WHERE {{ {{ GRAPH <{KNOWLEDGE_GRAPH}> {{ "
    "?v a <https://graphbuild.dev/ns#Vendor> ; <https://w3id.org/dpv#hasName> ?n } "
    "FILTER EXISTS { GRAPH ?g { ?c <https://graphbuild.dev/ns#sharesDataWith> ?v } } } "
    "UNION { GRAPH ?g { ?v a <https://graphbuild.dev/ns#Vendor> ; <https://w3id.org/dpv#hasName> ?n } } }",
}


def resolve_names(store: GraphStore, values: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """Company and vendor values as the store spells them (matched regardless of case), and for a name the
    store does not hold, a note with the nearest names ("no company 'acmee'; did you mean: Acme?")."""
    resolved, notes = dict(values), []
    for param, sparql in _NAMES.items():
        given = values.get(param)
        if not given:
            continue
        known = sorted({v for (t,) in store.select(sparql).rows if (v := term_value(t))})
        exact = [k for k in known if k == given] or [k for k in known if k.casefold() == given.casefold()]
        if exact:
            resolved[param] = exact[0]
            continue
        by_fold = {k.casefold(): k for k in known}
        near = [by_fold[m] for m in difflib.get_close_matches(given.casefold(), list(by_fold), n=3, cutoff=0.6)]
        near += [k for k in known if given.casefold() in k.casefold() and k not in near][: 3 - len(near)]
        notes.append(f"no {param} named {given!r}" + (f"; did you mean: {', '.join(near)}?" if near else ""))
    return resolved, notes


def term_value(term: Term | None) -> str | None:
    """A term as a plain string: IRIs as IRIs, literals as their lexical form, unbound as None."""
    if term is None:
        return None
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term)


def rows_as_dicts(result: Result) -> list[dict[str, str | None]]:
    """Rows keyed by column name, values as plain strings."""
    return [{c: term_value(v) for c, v in zip(result.columns, row, strict=True)} for row in result.rows]


def markdown_table() -> str:
    """The named queries as a Markdown table (the README's, kept in sync by a test)."""
    lines = ["| name | what it answers | columns | parameters |", "|---|---|---|---|"]
    for q in named_queries().values():
        params = ", ".join(p.name for p in q.params) or "—"
        lines.append(f"| `{q.name}` | {q.description} | {', '.join(q.columns)} | {params} |")
    return "\n".join(lines) + "\n"
