"""Versions: a changed text keeps the earlier version as its own graph; queries read the latest unless
asked for a date; history lists versions; diff compares the last two; prune and remove take them all."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from graphbuild.cli import main
from graphbuild.knowledge_triples import KNOWLEDGE_GRAPH

V1 = '# Acme Privacy Policy\n\nAcme Inc. ("we") keeps server logs for 30 days.\n\nWe use Stripe to process payments.\n'
V2 = '# Acme Privacy Policy\n\nAcme Inc. ("we") keeps server logs for 90 days.\n\nWe use Adyen to process payments.\n'


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args))


def _build(folder: Path, db: str, text: str, date: str) -> None:
    (folder / "acme.md").write_text(text)
    manifest = folder.parent / "crawl.csv"  # beside the folder, so that building the folder skips it
    manifest.write_text(f"{folder.name}/acme.md,,https://acme.example/privacy,{date}\n")
    r = run("build", "--manifest", str(manifest), "--db", db)
    assert r.exit_code == 0, r.output


def _vendors(db: str, *extra: str) -> set[str]:
    return {r["vendor"] for r in json.loads(run("query", "vendors", "--db", db, "--format", "json", *extra).stdout)}


def test_versions_history_as_of_diff_and_prune(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    db = str(tmp_path / "store")
    _build(docs, db, V1, "2024-01-10")
    _build(docs, db, V1, "2024-01-10")  # unchanged: skipped, no new version
    _build(docs, db, V2, "2025-03-01")
    source = str(docs / "acme.md")
    history = json.loads(run("history", source, "--db", db, "--format", "json").stdout)
    assert [(h["date"], h["current"]) for h in history] == [("2024-01-10", ""), ("2025-03-01", "yes")]
    assert _vendors(db) == {"Adyen"}  # the latest version only
    assert _vendors(db, "--as-of", "2024-06-30") == {"Stripe"}
    assert _vendors(db, "--as-of", "2023-01-01") == set()
    assert len(json.loads(run("documents", "--db", db, "--format", "json").stdout)) == 1
    assert "wasRevisionOf" in run("export", "--db", db, "--format", "nquads").output
    changes = json.loads(run("diff", source, "--db", db, "--format", "json").stdout)["changes"]
    kinds = {(c["kind"], c["what"]) for c in changes}
    assert ("vendor_added", "vendor adyen") in kinds and ("vendor_removed", "vendor stripe") in kinds
    assert any(c["kind"] == "retention_changed" for c in changes)
    assert run("query", "vendors", "--db", db, "--as-of", "last year").exit_code == 2
    (docs / "acme.md").unlink()
    assert "pruned 1" in run("build", str(docs), "--db", db, "--prune").output
    # every version went: what is left is the knowledge graph the documents pointed into
    left = run("export", "--db", db, "--format", "nquads").output.splitlines()
    assert left and all(line.endswith(f"<{KNOWLEDGE_GRAPH}> .") for line in left)
