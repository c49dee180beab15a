"""Record of processing (GDPR Art. 30) as CSV and XLSX, and GraphML, from the development documents."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from graphbuild.cli import main
from graphbuild.ingest import load_document
from graphbuild.ropa import COLUMNS

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    if not (SHARED / "corpus").is_dir():
        pytest.fail(f"the development documents are needed for this test: {SHARED / 'corpus'} is missing")
    db = str(tmp_path_factory.mktemp("ropa") / "store")
    sources = [
        str(SHARED / "policies"),
        *[str(p) for p in sorted((SHARED / "corpus").iterdir()) if p.name != "SOURCES.md"],
    ]
    assert CliRunner().invoke(main, ["build", *sources, "--db", db]).exit_code == 0
    return db


def test_ropa_csv_has_the_article_30_columns_and_true_evidence(store: str, tmp_path: Path) -> None:
    out = tmp_path / "ropa.csv"
    assert CliRunner().invoke(main, ["export", "--db", store, "--format", "ropa-csv", "-o", str(out)]).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows and list(rows[0]) == [c for c, _ in COLUMNS]
    assert len({r["controller"] for r in rows}) >= 15
    texts: dict[str, str] = {}
    for row in rows:
        source = row["document"].removeprefix("file://")
        if source not in texts:
            texts[source] = load_document(source).text
        assert row["evidence"] and row["evidence"] in texts[source], row["evidence"][:80]
        assert bool(row["recipients"]) != bool(row["recipient_categories"])  # named or by category
    assert any(row["third_countries"] and row["safeguards"] for row in rows)


def test_ropa_xlsx_and_graphml(store: str, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    book_path = tmp_path / "ropa.xlsx"
    assert (
        CliRunner().invoke(main, ["export", "--db", store, "--format", "ropa-xlsx", "-o", str(book_path)]).exit_code
        == 0
    )
    book = load_workbook(book_path)
    sheet = book["Record of processing"]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert header == [c for c, _ in COLUMNS] and sheet.max_row > 50
    assert [r[0].value for r in book["Columns"].iter_rows(min_row=2)] == [c for c, _ in COLUMNS]
    r = CliRunner().invoke(main, ["export", "--db", store, "--format", "ropa-xlsx"])
    assert r.exit_code == 1 and "-o FILE.xlsx" in r.output
    graphml = tmp_path / "graph.graphml"
    assert CliRunner().invoke(main, ["export", "--db", store, "--format", "graphml", "-o", str(graphml)]).exit_code == 0
    g = nx.read_graphml(graphml)
    kinds = {d["kind"] for _, d in g.nodes(data=True)}
    assert kinds == {"company", "organisation"} and g.number_of_edges() > 50
