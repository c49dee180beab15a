"""Store hygiene (documents, remove, build --prune) and a terminal that fits (width, names in any case with
suggestions, one-line usage errors)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from graphbuild.cli import _table, main

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def run(*args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return CliRunner(env=env).invoke(main, list(args))


def _companies(db: str) -> list[str]:
    return sorted(r["company"] for r in json.loads(run("query", "companies", "--db", db, "--format", "json").stdout))


def test_documents_remove_and_prune(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(EXAMPLES, docs)
    db = str(tmp_path / "store")
    assert run("build", str(docs), "--db", db).exit_code == 0
    listed = json.loads(run("documents", "--db", db, "--format", "json").stdout)
    assert len(listed) == 4 and {"source", "company", "sha256", "extractor_versions", "built_at"} <= set(listed[0])
    assert all(len(d["sha256"]) == 64 and d["built_at"].endswith("Z") for d in listed)
    # a renamed file: without --prune its company shows twice; with it, once
    (docs / "harbor-health.txt").rename(docs / "harbor-clinics.txt")
    assert run("build", str(docs), "--db", db).exit_code == 0
    assert _companies(db).count("Harbor Health Clinics") == 2
    r = run("build", str(docs), "--db", db, "--prune")
    assert r.exit_code == 0 and "pruned 1" in r.output
    assert _companies(db).count("Harbor Health Clinics") == 1
    # a deleted file outside the given folder is not pruned
    other = tmp_path / "other.md"
    other.write_text((EXAMPLES / "bluebird-apps.md").read_text() + "\nRevision.\n")
    assert run("build", str(other), "--db", db).exit_code == 0
    other.unlink()
    assert "pruned" not in run("build", str(docs), "--db", db, "--prune").output
    r = run("remove", str(other), str(tmp_path / "never-built.md"), "--db", db)
    assert r.exit_code == 1 and "removed 1 document" in r.output and "not stored:" in r.output
    assert len(json.loads(run("documents", "--db", db, "--format", "json").stdout)) == 4


def test_tables_fit_the_terminal_unless_wide() -> None:
    rows = [{"a": "x" * 200, "b": "short"}, {"a": "y", "b": "z" * 90}]
    fitted = _table(["a", "b"], rows, 80)
    assert all(len(line) <= 80 for line in fitted.splitlines()) and "…" in fitted
    assert fitted.endswith("(2 rows)")
    whole = _table(["a", "b"], rows, None)
    assert "x" * 200 in whole
    assert _table(["a"], [{"a": "one"}], 80).endswith("(1 row)")


def test_names_match_in_any_case_and_unknown_ones_get_suggestions(tmp_path: Path) -> None:
    db = str(tmp_path / "store")
    assert run("build", str(EXAMPLES), "--db", db).exit_code == 0
    rows = json.loads(run("query", "vendors", "--db", db, "-p", "company=quillpay", "--format", "json").stdout)
    assert rows and {r["company"] for r in rows} == {"QuillPay"}
    r = run("query", "vendors", "--db", db, "-p", "company=Quilpay")
    assert r.exit_code == 0 and "(0 rows)" in r.stdout
    assert r.stderr.strip() == "no company named 'Quilpay'; did you mean: QuillPay?"
    r = run("query", "vendors", "--db", db, "-p", "vendor=stripe", "--format", "json")
    assert {row["vendor"] for row in json.loads(r.stdout)} == {"Stripe"}


def test_usage_errors_are_one_line() -> None:
    for args in (["query", "vendors", "--format", "xml"], ["nope"], ["build"], ["remove"]):
        r = run(*args)
        lines = [line for line in r.output.splitlines() if line.strip()]
        assert r.exit_code == 2 and len(lines) == 1 and lines[0].startswith("error: "), (args, r.output)
    assert run("--help").exit_code == 0 and "Usage:" in run("--help").output


def test_extract_table_shows_kind_term_and_negation() -> None:
    r = run("extract", str(EXAMPLES / "harbor-health.txt"), "--format", "table", "--wide")
    header = r.output.splitlines()[0].split()
    assert header == ["type", "kind", "term", "negated", "evidence"]
    assert any("negated" in line.split() and "health" in line for line in r.output.splitlines()[2:])


def test_lists_inside_cells_are_sorted_and_every_listing_has_csv(tmp_path: Path) -> None:
    db = str(tmp_path / "store")
    assert run("build", str(EXAMPLES), "--db", db).exit_code == 0
    flows = json.loads(run("query", "data_flows", "--db", db, "--format", "json").stdout)
    lists = [f["data"].split(", ") for f in flows if f["data"] and ", " in f["data"]]
    assert lists and all(items == sorted(items, key=str.casefold) for items in lists)
    assert run("queries", "--format", "csv").output.startswith("name,title,params,columns")
    assert run("analyze", "--db", db, "--format", "csv").output.startswith("# ")
    assert run("documents", "--db", db, "--format", "csv").output.startswith("source,company,")
