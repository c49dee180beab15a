"""A store behind a SPARQL 1.1 server (Oxigraph, Apache Jena Fuseki, Virtuoso, GraphDB …), spoken to with
the SPARQL 1.1 Protocol (query, update) and the Graph Store HTTP Protocol when the server has one."""

from __future__ import annotations

import base64
import json
import netrc
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Mapping, Sequence
from typing import IO

import pyoxigraph as ox

from graphbuild.errors import QueryError, StoreError
from graphbuild.store.base import ALL_GRAPHS, Result, Term, redact, with_values, write_export, write_nquads_by_graph
from graphbuild.store.summary import forget_unreached, summary_graph

_RESULTS_JSON = "application/sparql-results+json"
_TIMEOUT = 300


def _endpoints(base: str) -> tuple[str, str, str | None]:
    """Query, update and graph-store URLs for a base URL.

    An Oxigraph server's base URL (``http://host:7878``) has ``/query``, ``/update`` and ``/store``;
    a URL that already ends in ``/query`` or ``/sparql`` is used for both query and update."""
    base = base.rstrip("/")
    if base.endswith(("/query", "/sparql")):
        return base, base, None
    return f"{base}/query", f"{base}/update", f"{base}/store"


def _term(value: Mapping[str, str]) -> Term:
    """A SPARQL JSON results term as a pyoxigraph term."""
    kind = value["type"]
    if kind == "uri":
        return ox.NamedNode(value["value"])
    if kind == "bnode":
        return ox.BlankNode(value["value"])
    if "xml:lang" in value:
        return ox.Literal(value["value"], language=value["xml:lang"])
    if "datatype" in value:
        return ox.Literal(value["value"], datatype=ox.NamedNode(value["datatype"]))
    return ox.Literal(value["value"])


def credentials(url: str) -> tuple[str, str] | None:
    """User and password for a SPARQL server: from the URL, else GRAPHBUILD_STORE_USER and
    GRAPHBUILD_STORE_PASSWORD, else the netrc file (GRAPHBUILD_NETRC, or ~/.netrc) entry of its host."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is not None:
        return urllib.parse.unquote(parts.username), urllib.parse.unquote(parts.password or "")
    user = os.environ.get("GRAPHBUILD_STORE_USER")
    if user:
        return user, os.environ.get("GRAPHBUILD_STORE_PASSWORD", "")
    path = os.environ.get("GRAPHBUILD_NETRC") or os.path.expanduser("~/.netrc")
    try:
        entry = netrc.netrc(path).authenticators(parts.hostname or "")
    except (OSError, netrc.NetrcParseError):
        return None
    return (entry[0], entry[2] or "") if entry else None


class RemoteStore:
    """A graphbuild store on a SPARQL server; the same graphs, queries and exports as the embedded store.
    Credentials (see ``credentials``) go as HTTP Basic authentication and never into messages."""

    def __init__(
        self, location: str, query_url: str | None = None, update_url: str | None = None, store_url: str | None = None
    ) -> None:
        self._auth = credentials(location)
        self.location = redact(location)
        default_query, default_update, default_store = _endpoints(self.location)
        self.query_url = redact(query_url) if query_url else default_query
        self.update_url = redact(update_url) if update_url else default_update
        self.store_url = (
            redact(store_url) if store_url is not None else (None if (query_url or update_url) else default_store)
        )

    def _request(self, url: str, data: bytes | None, content_type: str | None, accept: str, method: str) -> bytes:
        headers = {"Accept": accept}
        if content_type:
            headers["Content-Type"] = content_type
        if self._auth is not None:
            token = base64.b64encode(f"{self._auth[0]}:{self._auth[1]}".encode()).decode("ascii")
            headers["Authorization"] = f"Basic {token}"
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=_TIMEOUT) as response:  # noqa: S310 - http(s) only
                return bytes(response.read())
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip().splitlines()
            message = f"{url}: HTTP {exc.code}: {detail[0] if detail else exc.reason}"
            raise (QueryError if exc.code == 400 else StoreError)(message) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise StoreError(f"{url}: cannot reach the SPARQL endpoint: {reason}") from None

    def select(
        self, sparql: str, bindings: Mapping[str, Term] | None = None, graphs: Sequence[str] | None = None
    ) -> Result:
        """Run a SELECT query; parameters are bound as in the embedded store (VALUES blocks of escaped terms);
        ``graphs`` (not ``ALL_GRAPHS``) restrict the named graphs with the protocol's named-graph-uri."""
        form = [("query", with_values(sparql, bindings or {}))]
        if graphs is not None and graphs != ALL_GRAPHS:
            form += [("named-graph-uri", g) for g in graphs]
        body = urllib.parse.urlencode(form).encode()
        raw = self._request(self.query_url, body, "application/x-www-form-urlencoded", _RESULTS_JSON, "POST")
        try:
            data = json.loads(raw)
        except json.JSONDecodeError:
            raise QueryError(f"{self.query_url}: the answer is not SPARQL JSON results") from None
        if "boolean" in data:
            raise QueryError("only SELECT queries return rows")
        columns = tuple(data["head"]["vars"])
        rows = tuple(tuple(_term(b[c]) if c in b else None for c in columns) for b in data["results"]["bindings"])
        return Result(columns, rows)

    def update(self, sparql_update: str) -> None:
        """Run a SPARQL Update."""
        body = urllib.parse.urlencode({"update": sparql_update}).encode()
        self._request(self.update_url, body, "application/x-www-form-urlencoded", "*/*", "POST")

    def replace_graph(self, graph: str, quads: Iterable[ox.Quad]) -> None:
        """Replace one named graph."""
        self.replace_graphs({graph: ox.serialize(list(quads), format=ox.RdfFormat.N_QUADS) or b""})

    def replace_graphs(self, graphs: Mapping[str, bytes], markers: bytes = b"", shared: bytes = b"") -> None:
        """Replace graphs: a PUT per graph to the graph store when there is one, else DROP + INSERT DATA.
        Each graph goes in one request together with its completion marker. ``shared`` quads (the
        organisations index) are added first with INSERT DATA."""
        if shared:
            self.update(f"INSERT DATA {{\n{_quads_as_sparql(shared)}\n}}")
        by_graph: dict[str, list[ox.Quad]] = {}
        for q in ox.parse(markers, format=ox.RdfFormat.N_QUADS) if markers else []:
            if isinstance(q.graph_name, ox.NamedNode):
                by_graph.setdefault(q.graph_name.value, []).append(q)
        for graph, nquads in graphs.items():
            quads = [*ox.parse(nquads, format=ox.RdfFormat.N_QUADS), *by_graph.get(graph, [])]
            triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
            ntriples = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
            if self.store_url:
                url = f"{self.store_url}?{urllib.parse.urlencode({'graph': graph})}"
                self._request(url, ntriples, "application/n-triples", "*/*", "PUT")
            else:
                name = str(ox.NamedNode(graph))
                self.update(f"DROP SILENT GRAPH {name} ;\nINSERT DATA {{ GRAPH {name} {{\n{ntriples.decode()}\n}} }}")

    def drop_graphs(self, graphs: Iterable[str]) -> None:
        """Remove whole document graphs and their summaries (one SPARQL update)."""
        names = sorted({name for g in graphs for name in (g, summary_graph(g))})
        if names:
            drops = [f"DROP SILENT GRAPH {ox.NamedNode(g)}" for g in names]
            self.update(" ;\n".join([*drops, forget_unreached()]))

    def graphs(self) -> list[str]:
        """Names of the stored graphs, sorted."""
        rows = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").rows
        return sorted(g.value for (g,) in rows if isinstance(g, ox.NamedNode))

    def count(self) -> int:
        """Number of quads in named graphs."""
        (n,) = self.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").rows[0]
        return int(n.value) if isinstance(n, ox.Literal) else 0

    def export(self, out: IO[bytes], fmt: str) -> None:
        """Every graph in ``fmt``, byte for byte what the embedded store writes for the same quads."""
        rows = self.select("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }").rows
        quads = [ox.Quad(s, p, o, g) for s, p, o, g in rows]  # type: ignore[arg-type]
        if fmt == "nquads":  # graph by graph, in the embedded store's order
            by_graph: dict[str, list[ox.Quad]] = {}
            for q in quads:
                by_graph.setdefault(q.graph_name.value, []).append(q)  # type: ignore[union-attr]
            write_nquads_by_graph((by_graph[g] for g in sorted(by_graph)), out)
            return
        write_export(ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b"", out, fmt)

    def optimize(self) -> None:
        """Nothing to do: the server manages its own storage."""

    def flush(self) -> None:
        """Nothing to flush: every request is durable on the server."""

    def close(self) -> None:
        """Nothing to release."""


def _quads_as_sparql(nquads: bytes) -> str:
    """N-Quads as the GRAPH blocks of an INSERT DATA (N-Quads terms are SPARQL terms)."""
    by_graph: dict[str, list[str]] = {}
    for q in ox.parse(nquads, format=ox.RdfFormat.N_QUADS):
        by_graph.setdefault(str(q.graph_name), []).append(f"{q.subject} {q.predicate} {q.object} .")
    return "\n".join(f"GRAPH {g} {{ {' '.join(lines)} }}" for g, lines in sorted(by_graph.items()))
