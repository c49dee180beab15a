"""A read-only SPARQL 1.1 Protocol endpoint over a snapshot of the embedded store, for other tools (YASGUI,
Protégé, notebooks): ``GET /query?query=…`` or ``POST /query``; updates are refused.

Safe by default: it serves a snapshot taken at start (builds go on beside it), answers each query in a
worker process that is killed at the time limit (so an abandoned cross join frees its core), refuses
``SERVICE`` (a query must not make this machine fetch other URLs), sends no CORS header unless asked, and
limits request bodies and idle connections."""

from __future__ import annotations

import functools
import multiprocessing as mp
import queue
import shutil
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from graphbuild.errors import GraphbuildError, QueryError, StoreError
from graphbuild.sparql_text import check_read_query
from graphbuild.store.embedded import EmbeddedStore
from graphbuild.workers import serve_tasks

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
    "(by the Accept header); CONSTRUCT as Turtle or N-Triples. It serves a snapshot of the store taken when "
    "it started.</p>"
)


@dataclass(frozen=True)
class Limits:
    """What the endpoint allows: query time, request body size, idle time, SERVICE and a CORS origin."""

    query_timeout: float = 30.0
    max_body: int = 1024 * 1024
    idle_timeout: float = 30.0
    allow_service: bool = False
    cors: str | None = None


def _pick(accept: str, formats: Mapping[str, object], default: str) -> str:
    for part in accept.split(","):
        media = part.split(";")[0].strip().lower()
        if media in formats:
            return media
    return default


def _answer_in_worker(conn: Connection, location: str) -> None:
    """A query worker: opens the snapshot read-only and answers (query, accept) pairs until told to stop."""
    store = EmbeddedStore(location, read_only=True)
    serve_tasks(conn, functools.partial(_answer, store))


def _answer(store: EmbeddedStore, sparql: str, accept: str) -> tuple[int, bytes, str]:
    try:
        result = store.raw_query(sparql)
        if isinstance(result, ox.QueryTriples):
            media = _pick(accept, _GRAPH_FORMATS, "application/n-triples")
            return HTTPStatus.OK, result.serialize(format=_GRAPH_FORMATS[media]) or b"", media
        media = _pick(accept, _RESULT_FORMATS, "application/sparql-results+json")
        return HTTPStatus.OK, result.serialize(format=_RESULT_FORMATS[media]) or b"", media
    except QueryError as exc:
        return HTTPStatus.BAD_REQUEST, (str(exc) + "\n").encode(), "text/plain; charset=utf-8"
    except (GraphbuildError, OSError, RuntimeError, ValueError, SyntaxError) as exc:
        return HTTPStatus.INTERNAL_SERVER_ERROR, (f"query failed: {exc}\n").encode(), "text/plain; charset=utf-8"


class _QueryWorker:
    def __init__(self, ctx: Any, location: str) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_answer_in_worker, args=(child, location), daemon=True)
        self.process.start()
        child.close()

    def stop(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class QueryPool:
    """Worker processes over one snapshot; a query over its time limit kills its worker (freeing the CPU)."""

    def __init__(self, location: str, workers: int = 2) -> None:
        self.location = location
        self.ctx = mp.get_context("forkserver")
        self.idle: queue.Queue[_QueryWorker] = queue.Queue()
        for _ in range(workers):
            self.idle.put(_QueryWorker(self.ctx, location))

    def run(self, sparql: str, accept: str, timeout: float) -> tuple[int, bytes, str]:
        """Status, body and media type of the answer, or 503 when the query ran past ``timeout`` seconds."""
        worker = self.idle.get()
        try:
            worker.conn.send((sparql, accept))
            if worker.conn.poll(timeout):
                answer: tuple[int, bytes, str] = worker.conn.recv()
                self.idle.put(worker)
                return answer
            message = f"query cancelled after {timeout:g} s (--query-timeout)\n"
        except (EOFError, OSError):
            message = "query failed: its worker stopped (out of memory?)\n"
        worker.stop()
        self.idle.put(_QueryWorker(self.ctx, self.location))
        return HTTPStatus.SERVICE_UNAVAILABLE, message.encode(), "text/plain; charset=utf-8"

    def close(self) -> None:
        while not self.idle.empty():
            self.idle.get().stop()


class _Handler(BaseHTTPRequestHandler):
    pool: QueryPool
    limits: Limits
    server_version = "graphbuild"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        """Quiet: one line per request is noise for a local tool."""

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if self.limits.cors:
            self.send_header("Access-Control-Allow-Origin", self.limits.cors)
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
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            self._error(HTTPStatus.BAD_REQUEST, "bad Content-Length")
            return
        if length > self.limits.max_body:
            self.close_connection = True
            self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"request body over {self.limits.max_body} bytes")
            return
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
        try:
            check_read_query(sparql, self.limits.allow_service)
        except QueryError as exc:
            status = HTTPStatus.FORBIDDEN if "refused" in str(exc) or "not allowed" in str(exc) else 400
            self._error(status, str(exc))
            return
        status, body, media = self.pool.run(sparql, self.headers.get("Accept") or "", self.limits.query_timeout)
        self._send(status, body, media)


class Endpoint:
    """The server, its query workers and the snapshot they read; ``close`` removes the snapshot."""

    def __init__(self, db: str, host: str, port: int, limits: Limits, workers: int = 2) -> None:
        self.snapshot_dir = Path(tempfile.mkdtemp(prefix="graphbuild-serve-"))
        self.snapshot = str(self.snapshot_dir / "store")
        self.taken_at = time.strftime("%Y-%m-%d %H:%M:%S")
        try:
            source = EmbeddedStore(db, read_only=True)  # shares the build lock only while copying
            try:
                source.backup(self.snapshot)
            finally:
                source.close()
            self.pool = QueryPool(self.snapshot, workers)
            # timeout: an idle or trickling client is dropped after this many seconds
            handler = type(
                "Handler", (_Handler,), {"pool": self.pool, "limits": limits, "timeout": limits.idle_timeout}
            )
            self.server = ThreadingHTTPServer((host, port), handler)
        except BaseException:
            shutil.rmtree(self.snapshot_dir, ignore_errors=True)
            raise
        self.server.daemon_threads = True
        self._serving = False

    @property
    def port(self) -> int:
        """The port it listens on (useful with port 0)."""
        return int(self.server.server_address[1])

    def serve_forever(self) -> None:
        """Answer requests until ``close``."""
        self._serving = True
        self.server.serve_forever()

    def start(self) -> threading.Thread:
        """Serve in a background thread (for tests and notebooks)."""
        thread = threading.Thread(target=self.serve_forever, daemon=True)
        thread.start()
        return thread

    def close(self) -> None:
        """Stop serving, stop the workers and remove the snapshot."""
        if self._serving:
            self.server.shutdown()
        self.server.server_close()
        self.pool.close()
        shutil.rmtree(self.snapshot_dir, ignore_errors=True)


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach."""
    return host in ("localhost", "::1") or host.startswith("127.")


def make_endpoint(db: str, host: str = "127.0.0.1", port: int = 7879, limits: Limits | None = None) -> Endpoint:
    """A SPARQL endpoint over a snapshot of the store at ``db`` (call ``serve_forever`` to run it)."""
    if db.startswith(("http://", "https://")):
        raise StoreError(f"{db}: serve shares an embedded store; a SPARQL server already serves itself")
    return Endpoint(db, host, port, limits or Limits())
