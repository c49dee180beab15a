"""Bad input loses nothing: every broken document is one line, the others are stored, the exit code says it
failed; a runaway document meets its time budget; queries of the command line refuse what they must."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphbuild.cli import main
from graphbuild.ingest import load_document
from graphbuild.store import open_store
from graphbuild.store.summary import is_document_graph

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
GOOD = "# Privacy\n\nWe collect your e-mail address and share it with Stripe to process payments.\n"


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args))


def _graphs(db: str) -> int:
    store = open_store(db, read_only=True)
    try:
        return len([g for g in store.graphs() if is_document_graph(g)])
    finally:
        store.close()


def test_bad_documents_are_one_line_each_and_the_rest_is_stored(tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.md").write_text(GOOD)
    os.symlink("loop", d / "loop")  # a symlink to itself
    (d / "x\udcff.txt".encode("utf-8", "surrogateescape").decode("utf-8", "surrogateescape")).write_text(GOOD)
    (d / "control.html").write_text("<html><body><script>x</script>\x0b<p>" + GOOD + "</p></body></html>")
    (d / "nested.html").write_text("<div>" * 20000 + "We collect your e-mail address." + "</div>" * 20000)
    (d / "lead.pdf").write_bytes(b"\n%PDF-1.7\n1 0 obj\n<< >>\nendobj\n")
    (d / "nul.txt").write_bytes(GOOD.encode() * 200 + b"\x00\x00We keep logs for 30 days.\n")
    (d / "latin.txt").write_bytes("Our na\xefve fa\xe7ade: we collect your e-mail address.".encode("latin-1"))
    (d / "empty.txt").write_text("  \n")
    db = str(tmp_path / "store")
    r = run("build", str(d), "--db", db, "--jobs", "2")
    assert r.exit_code == 1 and "Traceback" not in r.output
    errors = [line for line in r.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 3, r.output  # the loop, the PDF and the empty file; the rest builds
    assert any("loop" in e and "symbolic link" in e for e in errors)
    assert any("lead.pdf" in e and "PDF" in e for e in errors)
    assert "built 6" in r.output and _graphs(db) == 6
    latin = load_document(str(d / "latin.txt"))
    assert "naïve façade" in latin.text
    assert "\x00" not in load_document(str(d / "nul.txt")).text


def test_an_empty_folder_and_a_non_http_url_fail(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    r = run("build", str(tmp_path / "empty"), "ftp://example.com/policy", "--db", str(tmp_path / "store"))
    assert r.exit_code == 1
    assert "no files in this folder" in r.output and "not an http(s) URL" in r.output


def test_the_size_limit_reads_as_documented(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:
        fh.truncate(21 * 1024 * 1024)
    r = run("build", str(big), "--db", str(tmp_path / "store"))
    assert r.exit_code == 1 and "the limit is 20 MB" in r.output and "21 MB" in r.output


def test_a_runaway_document_fails_at_its_budget(tmp_path: Path) -> None:
    words = "we collect your email address and share it with stripe for payments".split()
    rng = random.Random(3)
    docs = tmp_path / "in"
    docs.mkdir()
    (docs / "huge.txt").write_text(" ".join(rng.choice(words) for _ in range(300_000)))
    (docs / "good.md").write_text(GOOD)
    db = str(tmp_path / "store")
    r = run("build", str(docs), "--db", db, "--doc-timeout", "0.5", "--jobs", "1")
    assert r.exit_code == 1
    assert "huge.txt: took longer than 0.5 s (--doc-timeout)" in r.output
    assert "built 1" in r.output and _graphs(db) == 1


def test_documents_queued_behind_a_runaway_one_still_build(tmp_path: Path) -> None:
    """Each worker holds the next document in its pipe while it reads one; when it is killed at the first
    one's budget, the documents it had not begun go to its replacement."""
    words = "we collect your email address and share it with stripe for payments".split()
    rng = random.Random(3)
    docs = tmp_path / "in"
    docs.mkdir()
    (docs / "a-huge.txt").write_text(" ".join(rng.choice(words) for _ in range(300_000)))
    for name in ("b-good.md", "c-good.md", "d-good.md"):
        (docs / name).write_text(GOOD + f"\nRevision {name}.\n")
    db = str(tmp_path / "store")
    r = run("build", str(docs), "--db", db, "--doc-timeout", "0.5", "--jobs", "1")
    assert r.exit_code == 1
    assert "a-huge.txt: took longer than 0.5 s (--doc-timeout)" in r.output
    assert "built 3" in r.output and _graphs(db) == 3


def test_sparql_refuses_binary_files_updates_and_service(tmp_path: Path) -> None:
    db = str(tmp_path / "store")
    assert run("build", str(EXAMPLES), "--db", db).exit_code == 0
    png = tmp_path / "q.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff")
    cases = {
        f"@{png}": "not a UTF-8 text file",
        "INSERT DATA { <a:b> <a:c> <a:d> }": "updates are not allowed",
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }": "SERVICE calls to other endpoints are refused",
    }
    for arg, message in cases.items():
        r = run("sparql", arg, "--db", db)
        assert r.exit_code == 1 and message in r.output and len(r.output.strip().splitlines()) == 1, r.output
    assert run("sparql", "ASK { GRAPH ?g { ?s ?p ?o } }", "--db", db).output.strip() == "true"
    # "service" as a variable or inside a string is not a SERVICE call
    r = run("sparql", 'SELECT ?service WHERE { BIND("SERVICE" AS ?service) }', "--db", db)
    assert r.exit_code == 0 and "SERVICE" in r.output
    # allowed, a SERVICE whose endpoint fails while the rows are read is still one line
    r = run("sparql", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "--db", db, "--allow-service")
    assert r.exit_code == 1 and r.output.startswith("error:") and len(r.output.strip().splitlines()) == 1
    bad_name = "x\udcff"  # a parameter that is not valid UTF-8
    r = run("query", "vendors", "--db", db, "-p", f"company={bad_name}")
    assert r.exit_code == 0 and not isinstance(r.exception, ValueError), r.output


def test_fuzzed_documents_never_stop_a_build(tmp_path: Path) -> None:
    """A few hundred mutations of the team's fixtures (fixed seed): each builds or fails with its line."""
    seeds = [p.read_bytes() for p in sorted(EXAMPLES.iterdir()) if p.is_file()]
    seeds.append(b"<html><body><nav>menu</nav><p>We share your e-mail with Stripe.</p></body></html>")
    rng = random.Random(20261202)
    specials = [b"\x00", b"\x0b", b"\x1f", b"\xff", b"\xfe", b"<", b">", b"</p>", b"<script>", b"&#0;", b"\xe2\x80"]
    out = tmp_path / "fuzz"
    out.mkdir()
    for i in range(240):
        data = bytearray(rng.choice(seeds))
        for _ in range(rng.randint(1, 12)):
            at = rng.randrange(len(data) + 1)
            op = rng.random()
            if op < 0.4:
                data[at:at] = rng.choice(specials)
            elif op < 0.7 and data:
                del data[at : at + rng.randint(1, 40)]
            else:
                data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        (out / f"doc{i:03}.{rng.choice(['html', 'txt', 'md'])}").write_bytes(bytes(data))
    db = str(tmp_path / "store")
    proc = subprocess.run(
        [sys.executable, "-m", "graphbuild", "build", str(out), "--db", db, "--jobs", "2"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert "Traceback" not in proc.stderr and proc.returncode in (0, 1), proc.stderr[-2000:]
    summary = proc.stderr.strip().splitlines()[-1]
    built = int(summary.split("built ")[1].split(",")[0])
    failed = int(summary.split("failed ")[1].split(";")[0])
    assert built + failed == 240 and built > 150, summary
    assert _graphs(db) == built


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_markup_that_breaks_parsers_still_reads(fmt: str) -> None:
    from graphbuild.ingest import parse_text

    text = "<p>\x0b\x0c" + GOOD + "</p>" if fmt == "html" else "<a id='x'>\x0b</a>\n" + GOOD
    doc = parse_text("x", text, fmt=fmt)
    assert "Stripe" in doc.text
