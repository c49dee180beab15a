"""The CLI end to end with click's CliRunner: build, query, sparql, export, view, validate, extract."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphbuild.cli import main

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _inputs_only(nquads: str) -> str:
    """An export without gb:builtAt, the one triple that says when rather than what."""
    return "".join(line for line in nquads.splitlines(keepends=True) if "#builtAt>" not in line)


def run(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), input=input)


def test_build_query_formats(db: str) -> None:
    r = run("build", str(EXAMPLES), "--db", db)
    assert r.exit_code == 0, r.output
    rows = json.loads(run("query", "vendors", "--db", db, "--format", "json").output)
    assert {"company", "vendor", "vendor_org", "category", "evidence"} <= set(rows[0])
    assert {"Stripe", "Zendesk", "Google Analytics"} <= {r["vendor"] for r in rows}
    assert "Criteo" not in {r["vendor"] for r in rows}  # "We do not sell your personal data to Criteo"
    csv_out = run("query", "retention", "--db", db, "--format", "csv").output
    assert csv_out.splitlines()[0].startswith("company,data,duration")
    assert "P7Y" in csv_out
    table = run("query", "locations", "--db", db).output
    assert "country" in table.splitlines()[0] and "rows)" in table


def test_parameters_are_bound_not_formatted(db: str) -> None:
    assert run("build", str(EXAMPLES), "--db", db).exit_code == 0
    rows = json.loads(
        run("query", "vendors", "--db", db, "-p", "company=Northwind Analytics", "--format", "json").output
    )
    assert rows and {r["company"] for r in rows} == {"Northwind Analytics"}
    evil = 'x" } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o'
    r = run("query", "vendors", "--db", db, "-p", f"company={evil}", "--format", "json")
    assert r.exit_code == 0 and json.loads(r.stdout) == []
    assert r.stderr.startswith("no company named")  # the unknown name is said, on stderr
    after = json.loads(run("query", "vendors", "--db", db, "--format", "json").output)
    assert len(after) > 0


def test_unknown_query_and_bad_sparql(db: str) -> None:
    assert run("build", str(EXAMPLES), "--db", db).exit_code == 0
    r = run("query", "nope", "--db", db)
    assert r.exit_code == 1 and "unknown query" in r.output
    r = run("sparql", "SELECT WHERE {", "--db", db)
    assert r.exit_code == 1 and "malformed SPARQL" in r.output
    r = run(
        "sparql", "-", "--db", db, "--format", "json", input="SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    )
    assert int(json.loads(r.output)[0]["n"]) > 100


def test_bad_input_keeps_the_rest(tmp_path: Path, db: str) -> None:
    good = tmp_path / "good.md"
    good.write_text('# Zorbo Privacy Policy\n\nZorbo Inc. ("Zorbo", "we") uses Stripe for payments.\n')
    assert run("build", str(good), "--db", db).exit_code == 0
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(bytes(range(256)) * 10)
    other = tmp_path / "other.txt"
    other.write_text('Privacy Policy\n\nQuux Ltd ("Quux", "we") hosts data on Hetzner.\n')
    r = run("build", str(empty), str(binary), "/nonexistent/file.txt", str(other), "--db", db)
    assert r.exit_code == 1
    errors = [line for line in r.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 3 and any("empty file" in e for e in errors) and any("binary" in e for e in errors)
    vendors = {row["vendor"] for row in json.loads(run("query", "vendors", "--db", db, "--format", "json").output)}
    assert {"Stripe", "Hetzner"} <= vendors  # the earlier document survived and the good one built


def test_store_in_use(tmp_path: Path, db: str) -> None:
    from graphbuild.store import EmbeddedStore

    holder = EmbeddedStore(db)
    try:
        r = run("build", str(EXAMPLES), "--db", db)
        assert r.exit_code == 1 and "store in use" in r.output
    finally:
        holder.close()


def test_export_is_deterministic(tmp_path: Path) -> None:
    outputs = []
    for n in range(2):
        db = str(tmp_path / f"db{n}")
        assert run("build", str(EXAMPLES), "--db", db).exit_code == 0
        assert run("build", str(EXAMPLES), "--db", db).exit_code == 0  # rebuilding replaces, never duplicates
        out = tmp_path / f"g{n}.nq"
        assert run("export", "--db", db, "--format", "nquads", "-o", str(out)).exit_code == 0
        outputs.append(_inputs_only(out.read_text()))
    assert outputs[0] == outputs[1] and outputs[0].count("\n") > 500
    ttl = run("export", "--db", str(tmp_path / "db0"), "--format", "turtle").output
    assert "@prefix dpv:" in ttl


def test_view_validate_extract(tmp_path: Path, db: str) -> None:
    assert run("build", str(EXAMPLES), "--db", db).exit_code == 0
    out = tmp_path / "views"
    r = run("view", "--db", db, "--out", str(out))
    assert r.exit_code == 0
    overview = (out / "overview.html").read_text()
    assert 'id="graph-data"' in overview and "Zendesk" in overview
    # a second view into the folder replaces its own pages and leaves other files alone
    (out / "notes.txt").write_text("mine")
    before = {p.name for p in out.glob("company-*.html")}
    one = tmp_path / "one"
    one.mkdir()
    (one / "p.txt").write_text((EXAMPLES / "harbor-health.txt").read_text())
    assert run("build", str(one), "--db", str(tmp_path / "db-one")).exit_code == 0
    assert run("view", "--db", str(tmp_path / "db-one"), "--out", str(out)).exit_code == 0
    after = {p.name for p in out.glob("company-*.html")}
    assert len(before) == 4 and len(after) == 1 and (out / "notes.txt").read_text() == "mine"
    import re

    assert not re.search(r"<(?:script|link)\b[^>]*(?:src|href)\s*=\s*[\"']https?://", overview, re.I)
    assert (out / "index.html").exists()
    r = run("validate", "--db", db)
    assert r.exit_code == 0, r.output
    r = run("extract", str(EXAMPLES / "harbor-health.txt"))
    data = json.loads(r.output)
    types = {f["type"] for f in data["findings"]}
    assert {"FirstParty", "VendorMention", "Retention", "Location"} <= types
    assert all(f["evidence"]["quote"] for f in data["findings"])


def test_queries_lists_columns() -> None:
    items = json.loads(run("queries", "--format", "json").output)
    by_name = {i["name"]: i for i in items}
    assert by_name["vendors"]["columns"][:3] == ["company", "vendor", "vendor_org"]
    assert {"companies", "vendors", "retention", "locations"} <= set(by_name)


def test_analyze(db: str) -> None:
    assert run("build", str(EXAMPLES), "--db", db).exit_code == 0
    report = json.loads(run("analyze", "--db", db, "--format", "json").output)
    assert set(report) == {"concentration", "similarity", "blast_radius", "communities"}
    assert report["concentration"] and report["communities"]
    table = run("analyze", "--db", db).output
    assert "blast radius" in table and "concentration" in table
    r = run("analyze", "--db", db, "--vendor", "No Such Vendor")
    assert r.exit_code != 0 and "no organisation named" in r.output


def test_incremental_parallel_builds(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for f in EXAMPLES.iterdir():
        if f.is_file():
            (corpus / f.name).write_bytes(f.read_bytes())
    one, two = str(tmp_path / "one"), str(tmp_path / "two")
    r = run("build", str(corpus), "--db", one, "--jobs", "1")
    assert r.exit_code == 0 and "built 4, skipped 0 unchanged, failed 0" in r.output
    assert "\r" not in r.output  # no progress bar when stderr is not a terminal
    assert run("build", str(corpus), "--db", two, "--jobs", "2").exit_code == 0
    exports = [_inputs_only(run("export", "--db", db, "--format", "nquads").output) for db in (one, two)]
    assert exports[0] == exports[1]  # the same graph whatever the number of workers
    # unchanged → skipped; a changed file replaces its graph; --force rebuilds everything
    assert "built 0, skipped 4 unchanged" in run("build", str(corpus), "--db", one).output
    policy = corpus / "quillpay-subprocessors.md"
    policy.write_text(policy.read_text().replace("| Onfido | Identity verification | United Kingdom |\n", ""))
    r = run("build", str(corpus), "--db", one, "--jobs", "2")
    assert "built 1, skipped 3 unchanged" in r.output
    vendors = {row["vendor"] for row in json.loads(run("query", "vendors", "--db", one, "--format", "json").output)}
    assert "Onfido" not in vendors and "SendGrid" in vendors
    assert "built 4, skipped 0 unchanged" in run("build", str(corpus), "--db", one, "--force").output
    # a bad file among good ones: one line for it, the rest builds, exit code 1
    (corpus / "empty.txt").write_text("")
    r = run("build", str(corpus), "--db", one)
    assert r.exit_code == 1
    assert [line for line in r.output.splitlines() if line.startswith("error:")] == [
        f"error: {corpus / 'empty.txt'}: empty file"
    ]


def test_extract_json_names_each_flow_recipient_once(tmp_path: Path) -> None:
    policy = tmp_path / "flows.md"
    policy.write_text(
        "# Acme Privacy Policy\n\n## Widgets\n\n"
        "Our pages embed these widgets, which read cookie identifiers for analytics:\n\n"
        "- Disqus, for comments. Disqus sets its own cookies.\n- Wistia, for videos.\n",
        encoding="utf-8",
    )
    r = run("extract", str(policy))
    assert r.exit_code == 0, r.output
    flows = [f for f in json.loads(r.output)["findings"] if f["type"] == "DataFlow"]
    assert flows and all(len(f["recipients"]) == len(set(f["recipients"])) for f in flows)
    # each list item is its own clause, joined with the lead-in that names the data
    assert {r for f in flows for r in f["recipients"]} == {"Disqus", "Wistia"}
    assert all("cookie-id" in f["data"] for f in flows)


def test_new_extractor_versions_rebuild_unchanged_documents(
    tmp_path: Path, db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store built by older extractors is out of date even when no policy changed."""
    import graphbuild.pipeline
    import graphbuild.triples

    assert "built 4" in run("build", str(EXAMPLES), "--db", db, "--jobs", "1").output
    assert "built 0, skipped 4 unchanged" in run("build", str(EXAMPLES), "--db", db, "--jobs", "1").output
    newer = graphbuild.pipeline.versions().replace("retention@", "retention@9")
    for module in (graphbuild.pipeline, graphbuild.triples):
        monkeypatch.setattr(module, "versions", lambda: newer)
    assert "built 4, skipped 0 unchanged" in run("build", str(EXAMPLES), "--db", db, "--jobs", "1").output
    assert newer in run("export", "--db", db, "--format", "nquads").output
    assert "built 0, skipped 4 unchanged" in run("build", str(EXAMPLES), "--db", db, "--jobs", "1").output
