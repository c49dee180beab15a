"""A read-only SPARQL 1.1 Protocol endpoint over the embedded store, for other tools (YASGUI, Protégé,
notebooks): ``GET /query?query=…`` or ``POST /query``; updates are refused."""

from __future__ import annotations

import urllib.parse
from collections.abc import Mapping
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pyoxigraph as ox

from graphbuild.errors import GraphbuildError, QueryError
from graphbuild.store import EmbeddedStore

_RESULT_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_GRAPH_FORMATS = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
_HOME = (
    "<!doctype html><meta charset='utf-8'><title>graphbuild SPARQL endpoint</title>"
    "<h1>graphbuild SPARQL endpoint</h1><p>Read-only SPARQL 1.1 Protocol endpoint: "
    "<code>GET /query?query=…</code> or <code>POST /query</code>. Results as SPARQL JSON, XML, CSV or TSV "
    "(by the Accept header); CONSTRUCT as Turtle or N-Triples.</p>"
)


def _pick(accept: str, formats: Mapping[str, object], default: str) -> str:
    for part in accept.split(","):
        media = part.split(";")[0].strip().lower()
        if media in formats:
            return media
    return default


class _Handler(BaseHTTPRequestHandler):
    store: EmbeddedStore
    server_version = "graphbuild"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        """Quiet: one line per request is noise for a local tool."""

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.end_headers()
        self.wfile.write(body)

    def _error(self, status: int, message: str) -> None:
        self._send(status, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8")

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        url = urllib.parse.urlsplit(self.path)
        if url.path in ("/", ""):
            self._send(HTTPStatus.OK, _HOME.encode(), "text/html; charset=utf-8")
            return
        if url.path not in ("/query", "/sparql"):
            self._error(HTTPStatus.NOT_FOUND, f"no such resource {url.path}; use /query")
            return
        queries = urllib.parse.parse_qs(url.query).get("query")
        if not queries:
            self._error(HTTPStatus.BAD_REQUEST, "missing 'query' parameter")
            return
        self._answer(queries[0])

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        url = urllib.parse.urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace")
        if url.path in ("/update", "/store"):
            self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only: build with 'graphbuild build'")
            return
        if url.path not in ("/query", "/sparql"):
            self._error(HTTPStatus.NOT_FOUND, f"no such resource {url.path}; use /query")
            return
        kind = (self.headers.get("Content-Type") or "").split(";")[0].strip()
        if kind == "application/sparql-query":
            self._answer(body)
            return
        form = urllib.parse.parse_qs(body)
        if "update" in form:
            self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only: updates are refused")
        elif "query" in form:
            self._answer(form["query"][0])
        else:
            self._error(HTTPStatus.BAD_REQUEST, "missing 'query' in the request body")

    def _answer(self, sparql: str) -> None:
        accept = self.headers.get("Accept") or ""
        try:
            result = self.store.raw_query(sparql)
        except QueryError as exc:
            self._error(HTTPStatus.BAD_REQUEST, str(exc))
            return
        except GraphbuildError as exc:
            self._error(HTTPStatus.INTERNAL_SERVER_ERROR, str(exc))
            return
        if isinstance(result, ox.QueryTriples):
            media = _pick(accept, _GRAPH_FORMATS, "application/n-triples")
            self._send(HTTPStatus.OK, result.serialize(format=_GRAPH_FORMATS[media]) or b"", media)
            return
        media = _pick(accept, _RESULT_FORMATS, "application/sparql-results+json")
        self._send(HTTPStatus.OK, result.serialize(format=_RESULT_FORMATS[media]) or b"", media)


def make_server(store: EmbeddedStore, host: str = "127.0.0.1", port: int = 7879) -> ThreadingHTTPServer:
    """An HTTP server answering SPARQL queries over ``store`` (call ``serve_forever`` to run it)."""
    handler = type("Handler", (_Handler,), {"store": store})
    return ThreadingHTTPServer((host, port), handler)
