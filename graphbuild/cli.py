"""Command-line interface: each command parses, makes one library call, formats the result."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from graphbuild import __version__
from graphbuild.errors import GraphbuildError, QueryError
from graphbuild.store import DEFAULT_LOCATION, Result, open_store

F = TypeVar("F", bound=Callable[..., Any])


def _db_option(f: F) -> F:
    return click.option(
        "--db",
        default=DEFAULT_LOCATION,
        show_default=True,
        help="Store location: a folder (embedded store) or an http(s) SPARQL endpoint.",
    )(f)


def _format_option(f: F) -> F:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["table", "csv", "json"]),
        default="table",
        show_default=True,
        help="Output format.",
    )(f)


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


def _print_result(result: Result, fmt: str) -> None:
    from graphbuild.queries import rows_as_dicts

    rows = rows_as_dicts(result)
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(result.columns), lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: ("" if v is None else v) for k, v in r.items()} for r in rows)
        click.echo(buffer.getvalue(), nl=False)
    else:
        click.echo(_table(list(result.columns), rows))


def _table(columns: list[str], rows: list[dict[str, str | None]], width: int = 60) -> str:
    def cell(v: str | None) -> str:
        s = "" if v is None else " ".join(v.split())
        return s if len(s) <= width else s[: width - 1] + "…"

    cells = [[cell(r[c]) for c in columns] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    line = "  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) for row in cells]
    out.append(f"({len(rows)} rows)")
    return "\n".join(out)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="graphbuild")
def main() -> None:
    """Turn privacy policies into a knowledge graph of vendors and data flows."""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@_db_option
@click.option("--jobs", type=int, default=1, show_default=True, help="Worker processes.")
def build(paths: tuple[str, ...], db: str, jobs: int) -> None:
    """Build the graph from policy files, folders (recursive) or URLs.

    Example: graphbuild build examples/ --db out/graph.oxigraph
    """
    from graphbuild.pipeline import build as run_build

    try:
        store = open_store(db)
    except GraphbuildError as exc:
        _fail(str(exc))
        return
    try:
        report = run_build(paths, store)
    finally:
        store.close()
    for source, reason in report.failed:
        click.echo(f"error: {source}: {reason}", err=True)
    click.echo(
        f"built {len(report.built)} document(s), failed {len(report.failed)}; "
        f"{report.facts} facts, {report.triples} triples in {report.seconds:.1f}s → {db}",
        err=True,
    )
    if not report.ok:
        sys.exit(1)


@main.command()
@click.argument("name")
@_db_option
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE", help="Query parameter (repeatable).")
@_format_option
def query(name: str, db: str, params: tuple[str, ...], fmt: str) -> None:
    """Run a named query (see 'graphbuild queries').

    Example: graphbuild query vendors -p company=Altoros --format csv
    """
    from graphbuild.queries import run_named

    values: dict[str, str] = {}
    for p in params:
        if "=" not in p:
            _fail(f"parameter {p!r} is not NAME=VALUE")
        key, value = p.split("=", 1)
        values[key.strip()] = value
    try:
        store = open_store(db, read_only=True)
        try:
            result = run_named(store, name, values)
        finally:
            store.close()
    except GraphbuildError as exc:
        _fail(str(exc))
        return
    _print_result(result, fmt)


@main.command()
@click.argument("sparql")
@_db_option
@_format_option
def sparql(sparql: str, db: str, fmt: str) -> None:
    """Run a raw SPARQL SELECT query: the text, @FILE, or - for standard input.

    Example: graphbuild sparql 'SELECT ?g WHERE { GRAPH ?g {} }'
    """
    if sparql == "-":
        text = sys.stdin.read()
    elif sparql.startswith("@"):
        try:
            with open(sparql[1:], encoding="utf-8") as fh:
                text = fh.read()
        except OSError as exc:
            _fail(f"{sparql[1:]}: {exc.strerror}")
            return
    else:
        text = sparql
    try:
        store = open_store(db, read_only=True)
        try:
            result = store.select(text)
        finally:
            store.close()
    except GraphbuildError as exc:
        _fail(str(exc))
        return
    _print_result(result, fmt)


@main.command("queries")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown"]), default="table", show_default=True)
def list_queries(fmt: str) -> None:
    """List the named queries with their parameters and columns (markdown: the README's table).

    Example: graphbuild queries --format json
    """
    from graphbuild.queries import markdown_table, named_queries

    if fmt == "markdown":
        click.echo(markdown_table(), nl=False)
        return

    items = [
        {
            "name": q.name,
            "title": q.title,
            "description": q.description,
            "params": [{"name": p.name, "default": p.default, "description": p.description} for p in q.params],
            "columns": list(q.columns),
        }
        for q in named_queries().values()
    ]
    if fmt == "json":
        click.echo(json.dumps(items, indent=2))
        return
    rows: list[dict[str, str | None]] = [
        {
            "name": q.name,
            "title": q.title,
            "params": ", ".join(p.name for p in q.params),
            "columns": ", ".join(q.columns),
        }
        for q in named_queries().values()
    ]
    click.echo(_table(["name", "title", "params", "columns"], rows, width=80))


@main.command()
@_db_option
@click.option("--out", default="out", show_default=True, help="Folder for the HTML views.")
@click.option(
    "--limit", type=int, default=100, show_default=True, help="At most this many company and vendor pages each."
)
def view(db: str, out: str, limit: int) -> None:
    """Write interactive HTML graph views (index.html links them all); they open offline.

    Example: graphbuild view --out out/
    """
    from graphbuild.view_pages import write_views

    try:
        store = open_store(db, read_only=True)
        try:
            files = write_views(store, out, limit=limit)
        finally:
            store.close()
    except GraphbuildError as exc:
        _fail(str(exc))
        return
    for f in files:
        click.echo(str(f))


@main.command()
@_db_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option(
    "--vendor", help="Only the blast radius of this organisation (as named by the vendors query's vendor_org)."
)
@click.option("--top", type=int, default=15, show_default=True, help="Rows per ranking.")
def analyze(db: str, fmt: str, vendor: str | None, top: int) -> None:
    """Vendor concentration, companies that share vendors, blast radius of a vendor breach, communities.

    Example: graphbuild analyze --vendor Google --format json
    """
    from graphbuild.analysis import analyse, blast_radius

    try:
        store = open_store(db, read_only=True)
        try:
            if vendor:
                radius = blast_radius(store, organisation=vendor)
                if not radius:
                    raise QueryError(
                        f"no organisation named {vendor!r} in the store (see: graphbuild query vendors_by_org)"
                    )
                report: dict[str, object] = {"blast_radius": [dataclasses.asdict(r) for r in radius]}
            else:
                report = analyse(store, top=top).as_dict()
        finally:
            store.close()
    except GraphbuildError as exc:
        _fail(str(exc))
        return
    if fmt == "json":
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
        return
    for section, items in report.items():
        click.echo(f"\n{section.replace('_', ' ')}")
        rows = [
            {
                k: ", ".join(map(str, v)) if isinstance(v, (list, tuple)) else str(v)
                for k, v in (item.items() if isinstance(item, dict) else {"members": item}.items())
            }
            for item in items  # type: ignore[attr-defined]
        ]
        if rows:
            click.echo(_table(list(rows[0]), rows, width=60))  # type: ignore[arg-type]


@main.command()
@_db_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["turtle", "trig", "nquads", "ntriples", "jsonld"]),
    default="trig",
    show_default=True,
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="File to write (default: stdout).")
def export(db: str, fmt: str, output: str | None) -> None:
    """Export the whole graph.

    Example: graphbuild export --format nquads -o out/graph.nq
    """
    try:
        store = open_store(db, read_only=True)
        try:
            if output:
                with open(output, "wb") as fh:
                    store.export(fh, fmt)
            else:
                store.export(sys.stdout.buffer, fmt)
        finally:
            store.close()
    except GraphbuildError as exc:
        _fail(str(exc))


@main.command()
@_db_option
def validate(db: str) -> None:
    """Validate the graph against the SHACL shapes in ontology/shapes.ttl.

    Example: graphbuild validate
    """
    from graphbuild.validate import validate_store

    try:
        store = open_store(db, read_only=True)
        try:
            conforms, report = validate_store(store)
        finally:
            store.close()
    except GraphbuildError as exc:
        _fail(str(exc))
        return
    click.echo(report)
    if not conforms:
        sys.exit(1)


@main.command()
@click.argument("path")
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="json", show_default=True)
def extract(path: str, fmt: str) -> None:
    """Print the findings of one policy with their evidence (no store).

    Example: graphbuild extract examples/acme.md
    """
    import dataclasses

    from graphbuild.extractors import extract as run_extractors
    from graphbuild.ingest import load_document

    try:
        doc = load_document(path)
    except GraphbuildError as exc:
        _fail(str(exc))
        return
    findings = run_extractors(doc)
    items = []
    for f in findings:
        data = dataclasses.asdict(f)
        data["type"] = type(f).__name__
        ev = data.pop("evidence")
        data["evidence"] = {k: ev[k] for k in ("start", "end", "quote", "extractor", "version")}
        if data["type"] == "DataFlow":  # the joined findings are listed in full elsewhere: name them only
            data["recipients"] = [r["name"] for r in data["recipients"]]
            data["retention"] = [r["duration"] or r["kind"] for r in data["retention"]]
        items.append(data)
    if fmt == "json":
        click.echo(
            json.dumps(
                {"source": path, "sha256": doc.sha256, "format": doc.format, "findings": items},
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        rows = [
            {
                "type": i["type"],
                "value": i.get("name") or i.get("duration") or i.get("country") or i.get("kind"),
                "evidence": i["evidence"]["quote"],
            }
            for i in items
        ]
        click.echo(_table(["type", "value", "evidence"], rows))
