"""Commands that show or hand over the graph: view, serve, analyze, export, validate, extract."""

from __future__ import annotations

import dataclasses
import json
import sys
from typing import TYPE_CHECKING

import click

from graphbuild.cli.common import (
    _db_option,
    _fail,
    _open,
    _print_rows,
    _using_store,
    _wide_option,
    main,
)
from graphbuild.errors import GraphbuildError, QueryError
from graphbuild.store import DEFAULT_LOCATION, GraphStore

if TYPE_CHECKING:
    pass


@main.command()
@_db_option
@click.option(
    "--out",
    default="out/views",
    show_default=True,
    help="Folder for the HTML views (its own: each run replaces the pages of the last).",
)
@click.option(
    "--limit", type=int, default=100, show_default=True, help="At most this many company and vendor pages each."
)
def view(db: str, out: str, limit: int) -> None:
    """Write the HTML views into their own folder: a report, a data map and a graph per company, a page per
    vendor organisation, the policies' text, an overview and an index; they open offline.

    Example: graphbuild view --out out/views
    """
    from graphbuild.views import write_views

    files = _using_store(db, lambda store: write_views(store, out, limit=limit))
    for f in files:
        click.echo(str(f))


@main.command()
@click.option("--db", default=DEFAULT_LOCATION, show_default=True, help="Embedded store folder to serve.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=int, default=7879, show_default=True, help="Port to listen on.")
@click.option(
    "--query-timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=30.0,
    show_default=True,
    help="Seconds a query may run before it is cancelled.",
)
@click.option("--cors", metavar="ORIGIN", default=None, help="Allow browser pages from ORIGIN to read answers.")
@click.option("--allow-service", is_flag=True, help="Let SERVICE call other endpoints (refused by default).")
def serve(db: str, host: str, port: int, query_timeout: float, cors: str | None, allow_service: bool) -> None:
    """Serve a snapshot of the embedded store as a read-only SPARQL 1.1 endpoint (GET/POST /query) until
    interrupted. Builds may go on beside it; restart to serve what they wrote.

    Example: graphbuild serve --db out/graph.oxigraph --port 7879
    """
    from graphbuild.store.endpoint import Limits, is_loopback, make_endpoint

    limits = Limits(query_timeout=query_timeout, allow_service=allow_service, cors=cors)
    try:
        endpoint = make_endpoint(db, host, port, limits)
    except GraphbuildError as exc:
        _fail(str(exc))
        return
    except OSError as exc:
        _fail(f"{host}:{port}: cannot listen: {exc.strerror or exc}")
        return
    if not is_loopback(host):
        click.echo(f"warning: listening on {host}: other machines can query this store", err=True)
    click.echo(
        f"serving a snapshot of {db} taken {endpoint.taken_at}, read-only, at "
        f"http://{host}:{endpoint.port}/query (Ctrl-C stops)",
        err=True,
    )
    try:
        endpoint.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        endpoint.close()


@main.command()
@_db_option
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option(
    "--vendor", help="Only the blast radius of this organisation (as named by the vendors query's vendor_org)."
)
@click.option("--top", type=click.IntRange(min=1), default=15, show_default=True, help="Rows per ranking.")
def analyze(db: str, fmt: str, vendor: str | None, top: int) -> None:
    """Vendor concentration, companies that share vendors, blast radius of a vendor breach, communities.

    Example: graphbuild analyze --vendor Google --format json
    """
    from graphbuild.analysis import analyse, blast_radius

    def work(store: GraphStore) -> dict[str, object]:
        if not vendor:
            return analyse(store, top=top).as_dict()
        radius = blast_radius(store, organisation=vendor)
        if not radius:
            raise QueryError(f"no organisation named {vendor!r} in the store (see: graphbuild query vendors_by_org)")
        return {"blast_radius": [dataclasses.asdict(r) for r in radius]}

    report = _using_store(db, work)
    if fmt == "json":
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
        return
    for section, items in report.items():
        rows = [
            {
                k: ", ".join(map(str, v)) if isinstance(v, (list, tuple)) else str(v)
                for k, v in (item.items() if isinstance(item, dict) else {"members": item}.items())
            }
            for item in items  # type: ignore[attr-defined]
        ]
        if fmt == "csv":  # one CSV block per ranking, each with its own header, after a "# ranking" line
            click.echo(f"# {section}")
        else:
            click.echo(f"\n{section.replace('_', ' ')}")
        if rows:
            _print_rows(list(rows[0]), rows, fmt)  # type: ignore[arg-type]


@main.command()
@_db_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["turtle", "trig", "nquads", "ntriples", "jsonld", "ropa-csv", "ropa-xlsx", "graphml"]),
    default="trig",
    show_default=True,
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="File to write (default: stdout).")
def export(db: str, fmt: str, output: str | None) -> None:
    """Export the whole graph (RDF), a record of processing (GDPR Art. 30, ropa-csv or ropa-xlsx), or the
    company–organisation graph as GraphML.

    Example: graphbuild export --format nquads -o out/graph.nq
    Example: graphbuild export --format ropa-csv -o record-of-processing.csv
    """
    from graphbuild import ropa

    writers = {"ropa-csv": ropa.write_ropa_csv, "ropa-xlsx": ropa.write_ropa_xlsx, "graphml": ropa.write_graphml}
    if fmt == "ropa-xlsx" and not output:
        _fail("ropa-xlsx is a binary workbook: give -o FILE.xlsx")
    try:
        store = _open(db, read_only=True)
        try:
            write = writers.get(fmt) or (lambda st, fh: st.export(fh, fmt))
            if output:
                with open(output, "wb") as fh:
                    write(store, fh)
            else:
                write(store, sys.stdout.buffer)
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
        store = _open(db, read_only=True)
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
@click.option("--format", "fmt", type=click.Choice(["json", "table", "csv"]), default="json", show_default=True)
@_wide_option
def extract(path: str, fmt: str, wide: bool) -> None:
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
            data["recipients"] = list(dict.fromkeys(r["name"] for r in data["recipients"]))
            data["retention"] = list(dict.fromkeys(r["duration"] or r["kind"] for r in data["retention"]))
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
                "kind": i.get("kind") or "",
                "term": str(i.get("key") or i.get("name") or i.get("duration") or i.get("country") or ""),
                "negated": "negated" if i.get("negated") else "",
                "evidence": i["evidence"]["quote"],
            }
            for i in items
        ]
        _print_rows(["type", "kind", "term", "negated", "evidence"], rows, fmt, wide)
