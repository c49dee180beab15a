"""A real Oxigraph server on 127.0.0.1 as the store: the same documents give the same rows as the
embedded store, through the Graph Store Protocol and through plain SPARQL Update."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphbuild.cli import main
from graphbuild.queries import named_queries, rows_as_dicts, run_named
from graphbuild.store import open_store

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
INJECTION = 'x" } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o'


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    binary = Path(sys.executable).parent / "oxigraph"
    if not binary.exists():
        pytest.fail("the oxigraph server (PyPI package 'oxigraph', a test dependency) is not installed")
    port = _free_port()
    proc = subprocess.Popen(
        [str(binary), "serve", "--location", str(tmp_path / "server"), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=2).read()
            break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail(f"oxigraph server did not start: {proc.stderr.read() if proc.stderr else ''}")
            time.sleep(0.1)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def _inputs_only(nquads: str) -> str:
    """An export without gb:builtAt, the one triple that says when rather than what."""
    return "".join(line for line in nquads.splitlines(keepends=True) if "#builtAt>" not in line)


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args))


def _rows(db: str, name: str, *extra: str) -> list[dict[str, str]]:
    r = run("query", name, "--db", db, "--format", "json", *extra)
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def test_remote_store_gives_the_same_rows_as_the_embedded_store(server: str, tmp_path: Path) -> None:
    embedded = str(tmp_path / "embedded")
    assert run("build", str(EXAMPLES), "--db", embedded, "--jobs", "1").exit_code == 0
    r = run("build", str(EXAMPLES), "--db", server, "--jobs", "2")
    assert r.exit_code == 0, r.output
    for name in sorted(named_queries()):
        assert _rows(server, name) == _rows(embedded, name), name
    # incremental against the server too
    r = run("build", str(EXAMPLES), "--db", server)
    assert "built 0, skipped 4 unchanged" in r.output
    # parameters are bound, never formatted: a hostile value matches nothing and the data stays
    before = open_store(server).count()  # type: ignore[attr-defined]
    assert _rows(server, "vendors", "-p", f"company={INJECTION}") == []
    assert _rows(server, "vendors", "-p", "company=QuillPay")
    assert open_store(server).count() == before  # type: ignore[attr-defined]
    # exports agree byte for byte
    exports = [_inputs_only(run("export", "--db", db, "--format", "nquads").output) for db in (embedded, server)]
    assert exports[0] == exports[1] and exports[0].count("\n") > 500
    # the summary digests travel through the server's SPARQL endpoints like any literal: same analysis
    reports = [json.loads(run("analyze", "--db", db, "--format", "json").output) for db in (embedded, server)]
    assert reports[0] == reports[1] and reports[0]["concentration"]
    assert run("view", "--db", server, "--out", str(tmp_path / "views")).exit_code == 0
    assert (tmp_path / "views" / "overview.html").exists()


def test_sparql_update_without_a_graph_store(server: str, tmp_path: Path) -> None:
    """The form used for servers without Oxigraph's /store: explicit query and update URLs."""
    urls = ("--query-url", f"{server}/query", "--update-url", f"{server}/update")
    r = run("build", str(EXAMPLES / "quillpay-subprocessors.md"), "--db", server, *urls)
    assert r.exit_code == 0, r.output
    r = run("build", str(EXAMPLES / "quillpay-subprocessors.md"), "--db", server, *urls, "--force")
    assert r.exit_code == 0, r.output  # replacing a graph keeps one copy
    store = open_store(server, endpoints={"query_url": f"{server}/query", "update_url": f"{server}/update"})
    vendors = rows_as_dicts(run_named(store, "vendors"))
    assert sorted(v["vendor"] for v in vendors) == [
        "Cloudflare",
        "Google Cloud Platform",
        "Intercom",
        "Onfido",
        "SendGrid",
    ]


def test_unreachable_server_is_one_clear_error(tmp_path: Path) -> None:
    r = run("query", "vendors", "--db", f"http://127.0.0.1:{_free_port()}")
    assert r.exit_code == 1
    assert r.output.startswith("error: http://127.0.0.1:") and "cannot reach the SPARQL endpoint" in r.output
    assert len(r.output.strip().splitlines()) == 1


def test_serve_is_a_read_only_sparql_endpoint(tmp_path: Path) -> None:
    db = str(tmp_path / "store")
    assert run("build", str(EXAMPLES), "--db", db).exit_code == 0
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "graphbuild", "serve", "--db", db, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(url + "/", timeout=2).read()
                break
            except OSError:
                assert time.monotonic() < deadline and proc.poll() is None, "graphbuild serve did not start"
                time.sleep(0.1)
        # graphbuild's own remote store reads it like any SPARQL server
        remote = open_store(url, endpoints={"query_url": f"{url}/query", "update_url": f"{url}/update"})
        assert rows_as_dicts(run_named(remote, "vendors")) == rows_as_dicts(
            run_named(open_store(db, read_only=True), "vendors")
        )
        query = urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"})
        req = urllib.request.Request(f"{url}/query?{query}", headers={"Accept": "text/csv"})
        body = urllib.request.urlopen(req, timeout=10).read().decode()
        assert body.splitlines()[0] == "n" and int(body.splitlines()[1]) > 500
        for path, data in (("/update", b"update=DROP+ALL"), ("/query", b"update=DROP+ALL")):
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(urllib.request.Request(url + path, data=data), timeout=10)
            assert refused.value.code == 403
        with pytest.raises(urllib.error.HTTPError) as bad:
            urllib.request.urlopen(f"{url}/query?query=SELEKT", timeout=10)
        assert bad.value.code == 400
    finally:
        proc.terminate()
        proc.wait(timeout=10)
