"""Commands that ask questions: query, sparql, queries, check, diff."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

import click

from graphbuild.cli.common import (
    _date,
    _db_option,
    _fail,
    _format_option,
    _open,
    _print_result,
    _print_rows,
    _using_store,
    _wide_option,
    main,
)
from graphbuild.errors import GraphbuildError, QueryError, printable
from graphbuild.store import GraphStore, Result

if TYPE_CHECKING:
    pass


@main.command()
@click.argument("name")
@_db_option
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE", help="Query parameter (repeatable).")
@_format_option
@_wide_option
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", default=None, help="Read each policy as it stood on this date.")
def query(name: str, db: str, params: tuple[str, ...], fmt: str, wide: bool, as_of: str | None) -> None:
    """Run a named query (see 'graphbuild queries').

    Example: graphbuild query vendors -p company=Altoros --format csv
    """
    from graphbuild.queries import resolve_names, run_named

    values: dict[str, str] = {}
    for p in params:
        if "=" not in p:
            _fail(f"parameter {p!r} is not NAME=VALUE")
        key, value = p.split("=", 1)
        values[key.strip()] = value
    try:
        store = _open(db, read_only=True)
        try:
            values, notes = resolve_names(store, values)
            graphs = None
            if as_of:
                from graphbuild.versions import graphs_as_of

                graphs = graphs_as_of(store, _date(as_of))
            result = run_named(store, name, values, graphs=graphs)
        finally:
            store.close()
    except GraphbuildError as exc:
        _fail(str(exc))
        return
    for note in notes if not result.rows else []:
        click.echo(note, err=True)
    _print_result(result, fmt, wide)


@main.command()
@click.argument("sparql")
@_db_option
@_format_option
@click.option("--allow-service", is_flag=True, help="Let SERVICE call other endpoints (refused by default).")
@_wide_option
def sparql(sparql: str, db: str, fmt: str, allow_service: bool, wide: bool) -> None:
    """Run a raw SPARQL query: the text, @FILE, or - for standard input. SELECT prints rows, ASK true or
    false, CONSTRUCT and DESCRIBE N-Triples; updates are refused.

    Example: graphbuild sparql 'SELECT ?g WHERE { GRAPH ?g {} }'
    """
    from graphbuild.sparql_text import check_read_query

    try:
        text = _query_text(sparql)
        form = check_read_query(text, allow_service)
        store = _open(db, read_only=True)
        try:
            answer = store.select(text) if form not in ("ASK", "CONSTRUCT", "DESCRIBE") else _other_form(store, text)
        finally:
            store.close()
    except GraphbuildError as exc:
        _fail(str(exc))
        return
    if isinstance(answer, Result):
        _print_result(answer, fmt, wide)
    elif isinstance(answer, bool):
        click.echo(json.dumps({"boolean": answer}) if fmt == "json" else str(answer).lower())
    else:
        click.echo(answer.decode("utf-8"), nl=False)


def _query_text(arg: str) -> str:
    """The query named on the command line: the text itself, @FILE or - (standard input), as UTF-8 text."""
    if arg == "-":
        return sys.stdin.read()
    if not arg.startswith("@"):
        return arg
    name = arg[1:]
    try:
        with open(name, "rb") as fh:
            data = fh.read(1_000_001)
    except OSError as exc:
        raise GraphbuildError(f"{printable(name)}: {exc.strerror or exc}") from None
    if len(data) > 1_000_000:
        raise GraphbuildError(f"{printable(name)}: too large for a query (over 1 MB)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise GraphbuildError(f"{printable(name)}: not a UTF-8 text file, so not a SPARQL query") from None


def _other_form(store: GraphStore, text: str) -> bool | bytes:
    """An ASK answer, or the triples of a CONSTRUCT or DESCRIBE as N-Triples (embedded store)."""
    from graphbuild.store import EmbeddedStore

    if not isinstance(store, EmbeddedStore):
        raise QueryError("ASK, CONSTRUCT and DESCRIBE run on the embedded store; ask a SPARQL server directly")
    return store.answer(text)


@main.command("queries")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "csv", "json", "markdown"]), default="table", show_default=True
)
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
    _print_rows(["name", "title", "params", "columns"], rows, fmt)


@main.command()
@click.argument("paths", nargs=-1)
@_db_option
@_format_option
@_wide_option
def check(paths: tuple[str, ...], db: str, fmt: str, wide: bool) -> None:
    """Consistency checks: a practice stated and denied, "we do not sell" beside advertising partners that
    receive identifiers, a vendor abroad with no transfer safeguard, two periods for the same data,
    "non-personal" identifiers, data collected with no purpose. Checks the files given, else every stored
    document (from its stored text).

    Example: graphbuild check examples/harbor-health.txt
    """
    from graphbuild.check import check_document
    from graphbuild.documents import stored_texts
    from graphbuild.ingest import load_document

    rows: list[dict[str, str | None]] = []
    try:
        if paths:
            documents = [load_document(p) for p in paths]
        else:
            store = _open(db, read_only=True)
            try:
                documents = stored_texts(store)
            finally:
                store.close()
        for doc in documents:
            for issue in check_document(doc):
                rows.append({"document": printable(doc.source), **issue.as_dict()})
    except GraphbuildError as exc:
        _fail(str(exc))
        return
    _print_rows(["document", "code", "about", "first", "second"], rows, fmt, wide)


@main.command()
@click.argument("old")
@click.argument("new", required=False)
@_db_option
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown"]), default="table", show_default=True)
@_wide_option
def diff(old: str, new: str | None, db: str, fmt: str, wide: bool) -> None:
    """Compare the practices of two versions of a policy (not their words): vendors, data, purposes,
    retention, countries, safeguards, rights, legal bases and denials added, removed or changed. Two files;
    or one stored source, whose previous version is compared with its current one.

    Example: graphbuild diff policy-2023.md policy-2024.md --format markdown
    Example: graphbuild diff policies/acme.html --db out/graph.oxigraph
    """
    from graphbuild.diff import Diff, diff_documents
    from graphbuild.ingest import load_document
    from graphbuild.versions import history, version_text

    def stored(store: GraphStore) -> Diff:
        versions = history(store, old)
        if len(versions) < 2:
            raise QueryError(f"{old}: only one version is stored")
        return diff_documents(version_text(store, versions[-2]), version_text(store, versions[-1]))

    if new is None:
        result = _using_store(db, stored)
    else:
        try:
            result = diff_documents(load_document(old), load_document(new))
        except GraphbuildError as exc:
            _fail(str(exc))
    if fmt == "json":
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    elif fmt == "markdown":
        lines = [f"**{result.verdict}**", ""]
        if result.changes:
            lines += ["| kind | what | old | new |", "|---|---|---|---|"]
            cell = lambda v: (v or "—").replace("|", "\\|").replace("\n", " ")  # noqa: E731
            lines += [f"| {c.kind} | {cell(c.what)} | {cell(c.old)} | {cell(c.new)} |" for c in result.changes]
        click.echo("\n".join(lines))
    else:
        click.echo(result.verdict)
        if result.changes:
            rows = [c.as_dict() for c in result.changes]
            _print_rows(["kind", "what", "old", "new"], rows, "table", wide)
