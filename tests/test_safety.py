"""Nothing let in: URL ingest stays off this machine and its network, HTTP oddities are one-line errors,
``serve`` refuses SERVICE, sends no CORS header unless asked and cancels long queries; remote-store
credentials travel as HTTP authentication and never show. Real servers on 127.0.0.1."""

from __future__ import annotations

import base64
import http.server
import os
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import graphbuild.ingest.fetch
import graphbuild.ingest.read
from graphbuild.cli import main
from graphbuild.errors import IngestError, StoreError
from graphbuild.ingest.read import read_source
from graphbuild.store.endpoint import Limits, make_endpoint
from graphbuild.store.remote import RemoteStore

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
PAGE = b"<html><body><p>We collect your e-mail address and share it with Stripe.</p></body></html>"


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args))


def _raw_server(reply: Callable[[socket.socket], None], host: str = "127.0.0.1") -> Iterator[str]:
    """A TCP server answering each connection with ``reply`` (for replies no HTTP library would send)."""
    srv = socket.socket()
    srv.bind((host, 0))
    srv.listen(8)
    stop = threading.Event()

    def loop() -> None:
        srv.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = srv.accept()
            except OSError:
                continue
            with conn:
                try:
                    conn.recv(65536)
                    reply(conn)
                except OSError:
                    pass

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    yield f"http://{host}:{srv.getsockname()[1]}"
    stop.set()
    thread.join(timeout=5)
    srv.close()


@pytest.fixture
def raw_server() -> Iterator[Callable[..., str]]:
    servers: list[Iterator[str]] = []

    def start(reply: Callable[[socket.socket], None], host: str = "127.0.0.1") -> str:
        gen = _raw_server(reply, host)
        servers.append(gen)
        return next(gen)

    yield start
    for gen in servers:
        next(gen, None)


def _send(data: bytes) -> Callable[[socket.socket], None]:
    return lambda conn: conn.sendall(data)


def _ok(body: bytes, extra: bytes = b"") -> bytes:
    return b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n%s\r\n%s" % (len(body), extra, body)


def test_urls_of_this_machine_are_refused_unless_allowed(raw_server: Callable[..., str]) -> None:
    url = raw_server(_send(_ok(PAGE)))
    with pytest.raises(IngestError, match="an address of this machine or a private network"):
        read_source(url + "/policy")
    assert read_source(url + "/policy", allow_private=True).data == PAGE
    r = run("build", url + "/policy", "--db", "/nonexistent-never-written")
    assert r.exit_code == 1 and "refused" in r.output and len(r.output.strip().splitlines()) == 2


def test_a_redirect_into_this_machine_or_to_ftp_is_refused(
    raw_server: Callable[..., str], monkeypatch: pytest.MonkeyPatch
) -> None:
    inside = raw_server(_send(_ok(PAGE)), host="127.0.0.1")
    # 127.0.0.2 plays a public web server here: only 127.0.0.1 counts as this machine in this test
    monkeypatch.setattr(graphbuild.ingest.fetch, "_public", lambda address: address == "127.0.0.2")
    graphbuild.ingest.fetch.fetcher.cache_clear()
    to_inside = raw_server(
        _send(b"HTTP/1.1 302 Found\r\nLocation: %s/x\r\nContent-Length: 0\r\n\r\n" % inside.encode()), host="127.0.0.2"
    )
    to_ftp = raw_server(
        _send(b"HTTP/1.1 302 Found\r\nLocation: ftp://127.0.0.2/x\r\nContent-Length: 0\r\n\r\n"), host="127.0.0.2"
    )
    try:
        with pytest.raises(IngestError, match="127.0.0.1 is at 127.0.0.1"):
            read_source(to_inside + "/policy")
        with pytest.raises(IngestError, match="redirect to a non-HTTP URL refused"):
            read_source(to_ftp + "/policy")
    finally:
        graphbuild.ingest.fetch.fetcher.cache_clear()


@pytest.mark.parametrize(
    "reply, message",
    [
        (b"SSH-2.0-OpenSSH_9.2\r\n", "bad HTTP response"),
        (b"HTTP/1.1 200 OK\r\nX-Long: " + b"a" * 70000 + b"\r\n\r\nbody", "bad HTTP response"),
        (b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-%d: 1\r\n" % i for i in range(150)) + b"\r\nbody", "bad HTTP response"),
        (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nnot a chunk\r\n", "bad HTTP response"),
        (_ok(PAGE)[:-20], "response cut short"),
    ],
)
def test_http_oddities_are_one_line_errors(raw_server: Callable[..., str], reply: bytes, message: str) -> None:
    url = raw_server(_send(reply))
    with pytest.raises(IngestError, match=message):
        read_source(url + "/p", allow_private=True)


def test_a_dripping_server_meets_the_total_deadline(
    raw_server: Callable[..., str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def drip(conn: socket.socket) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
        for _ in range(20):
            conn.sendall(b"x")
            time.sleep(0.3)

    monkeypatch.setattr(graphbuild.ingest.read, "URL_DEADLINE", 1.0)
    url = raw_server(drip)
    started = time.monotonic()
    with pytest.raises(IngestError, match="took longer than 1 s to download"):
        read_source(url + "/p", allow_private=True)
    assert time.monotonic() - started < 3


# --- serve -----------------------------------------------------------------------------------------------


@pytest.fixture
def endpoint(tmp_path: Path) -> Iterator[tuple[str, object]]:
    db = str(tmp_path / "store")
    assert run("build", str(EXAMPLES), "--db", db).exit_code == 0
    ep = make_endpoint(db, "127.0.0.1", 0, Limits(query_timeout=1.0, max_body=10_000, idle_timeout=1.0))
    ep.start()
    yield f"http://127.0.0.1:{ep.port}", ep
    ep.close()


def _get(url: str, query: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    req = urllib.request.Request(f"{url}/query?{urllib.parse.urlencode({'query': query})}", headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=20) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def test_serve_refuses_service_and_sends_no_cors_header(endpoint: tuple[str, object]) -> None:
    url, _ = endpoint
    status, headers, body = _get(url, "SELECT * WHERE { SERVICE <http://169.254.169.254/> { ?s ?p ?o } }")
    assert status == 403 and b"SERVICE" in body
    status, headers, body = _get(url, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert status == 200 and "Access-Control-Allow-Origin" not in headers


def test_serve_cancels_a_long_query_and_frees_its_worker(endpoint: tuple[str, object]) -> None:
    url, ep = endpoint
    pids = {w.process.pid for w in list(ep.pool.idle.queue)}  # type: ignore[attr-defined]
    cross = (
        "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"GRAPH ?g{i} {{ ?s{i} ?p{i} ?o{i} }}" for i in range(5)) + " }"
    )
    started = time.monotonic()
    status, _, body = _get(url, cross)
    assert status == 503 and b"cancelled after 1 s" in body and time.monotonic() - started < 5
    deadline = time.monotonic() + 2
    alive = pids
    while alive and time.monotonic() < deadline:
        alive = {p for p in alive if _running(p)}
        time.sleep(0.05)
    assert len(alive) < len(pids), "the worker running the cancelled query is still alive"
    status, _, _ = _get(url, "ASK { GRAPH ?g { ?s ?p ?o } }")
    assert status == 200  # the endpoint answers on


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split()[2] != "Z"
    except OSError:
        return False


def test_serve_limits_bodies_and_idle_connections(endpoint: tuple[str, object]) -> None:
    url, _ = endpoint
    req = urllib.request.Request(f"{url}/query", data=b"query=" + b"x" * 20_000)
    with pytest.raises(urllib.error.HTTPError) as big:
        urllib.request.urlopen(req, timeout=10)
    assert big.value.code == 413
    host, port = url.removeprefix("http://").split(":")
    idle = socket.create_connection((host, int(port)))
    idle.settimeout(5)
    started = time.monotonic()
    assert idle.recv(100) == b""  # the server hangs up on a silent client after its idle limit
    assert time.monotonic() - started < 4
    idle.close()


def test_serve_sends_cors_only_for_the_origin_given(tmp_path: Path) -> None:
    db = str(tmp_path / "store")
    assert run("build", str(EXAMPLES), "--db", db).exit_code == 0
    ep = make_endpoint(db, "127.0.0.1", 0, Limits(cors="https://yasgui.example"))
    ep.start()
    try:
        _, headers, _ = _get(f"http://127.0.0.1:{ep.port}", "ASK {}")
        assert headers.get("Access-Control-Allow-Origin") == "https://yasgui.example"
    finally:
        ep.close()


# --- remote-store credentials --------------------------------------------------------------------------------


def test_credentials_go_as_authentication_and_never_into_messages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str | None] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            seen.append(self.headers.get("Authorization"))
            self.send_response(500)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://alice:s3cret@127.0.0.1:{server.server_address[1]}"
        store = RemoteStore(url)
        with pytest.raises(StoreError) as failed:
            store.select("SELECT * WHERE { ?s ?p ?o }")
        assert "s3cret" not in str(failed.value) and "alice" not in str(failed.value)
        assert seen[-1] == "Basic " + base64.b64encode(b"alice:s3cret").decode()
        r = run("query", "vendors", "--db", url)
        assert r.exit_code == 1 and "s3cret" not in r.output
        netrc = tmp_path / "netrc"
        netrc.write_text("machine 127.0.0.1 login bob password hunter2\n")
        os.chmod(netrc, 0o600)
        monkeypatch.setenv("GRAPHBUILD_NETRC", str(netrc))
        with pytest.raises(StoreError):
            RemoteStore(f"http://127.0.0.1:{server.server_address[1]}").select("ASK {}")
        assert seen[-1] == "Basic " + base64.b64encode(b"bob:hunter2").decode()
    finally:
        server.shutdown()
        server.server_close()
