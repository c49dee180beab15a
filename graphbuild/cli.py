"""Command-line interface: each command parses, makes one library call, formats the result."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import shutil
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from graphbuild import __version__
from graphbuild.errors import GraphbuildError, QueryError, printable
from graphbuild.store import DEFAULT_LOCATION, GraphStore, Result, open_store, store_name

if TYPE_CHECKING:
    from graphbuild.pipeline import Outcome

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")


def _remember_endpoint(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    ctx.meta.setdefault("endpoints", {})[param.name] = value


def _db_option(f: F) -> F:
    for name, what in (
        ("store-url", "Graph Store Protocol URL (Fuseki: …/ds/data; none: updates use SPARQL Update)"),
        ("update-url", "SPARQL Update URL of a remote store, when it is not <db>/update"),
        ("query-url", "SPARQL query URL of a remote store, when it is not <db>/query"),
    ):
        f = click.option(f"--{name}", expose_value=False, callback=_remember_endpoint, help=what)(f)
    return click.option(
        "--db",
        default=DEFAULT_LOCATION,
        show_default=True,
        help="Store location: a folder (embedded Oxigraph) or the base URL of a SPARQL server "
        "(Oxigraph: http://host:7878, whose /query, /update and /store are found by themselves).",
    )(f)


def _open(db: str, read_only: bool = False) -> GraphStore:
    """Open the store named by --db and the endpoint options."""
    endpoints = click.get_current_context().meta.get("endpoints", {})
    return open_store(db, read_only=read_only, endpoints={k: v for k, v in endpoints.items() if v})


def _format_option(f: F) -> F:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["table", "csv", "json"]),
        default="table",
        show_default=True,
        help="Output format.",
    )(f)


def _wide_option(f: F) -> F:
    return click.option("--wide", is_flag=True, help="Show long cells whole (tables otherwise fit the terminal).")(f)


def _date(value: str) -> str:
    """A YYYY-MM-DD date, or a one-line usage error."""
    import datetime

    try:
        return datetime.date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.UsageError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def _fail(message: str) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


def _using_store(db: str, work: Callable[[GraphStore], T], read_only: bool = True) -> T:
    """Open the store named by --db, do ``work`` with it and close it; any error is the one-line message."""
    try:
        store = _open(db, read_only=read_only)
        try:
            return work(store)
        finally:
            store.close()
    except GraphbuildError as exc:
        _fail(str(exc))


def _print_result(result: Result, fmt: str, wide: bool = False) -> None:
    from graphbuild.queries import rows_as_dicts

    _print_rows(list(result.columns), rows_as_dicts(result), fmt, wide)


def _print_rows(columns: list[str], rows: list[dict[str, str | None]], fmt: str, wide: bool = False) -> None:
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: ("" if v is None else v) for k, v in r.items()} for r in rows)
        click.echo(buffer.getvalue(), nl=False)
    else:
        width = None if wide else shutil.get_terminal_size((120, 24)).columns
        click.echo(_table(columns, rows, width))


def _table(columns: list[str], rows: list[dict[str, str | None]], width: int | None = 120) -> str:
    """Rows as aligned text; long cells are shortened (…) so that a line fits ``width`` (None: never)."""
    cells = [[" ".join((r.get(c) or "").split()) for c in columns] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    if width is not None:
        budget = max(width - 2 * (len(columns) - 1), 8 * len(columns))
        while sum(widths) > budget:
            widest = max(range(len(widths)), key=lambda i: widths[i])
            if widths[widest] <= max(8, len(columns[widest])):
                break
            widths[widest] -= 1
    line = "  ".join(c.ljust(w)[:w] for c, w in zip(columns, widths, strict=True))
    out = [line.rstrip(), "  ".join("-" * w for w in widths)]
    for row in cells:
        fitted = [v if len(v) <= w else v[: w - 1] + "…" for v, w in zip(row, widths, strict=True)]
        out.append("  ".join(v.ljust(w) for v, w in zip(fitted, widths, strict=True)).rstrip())
    out.append(f"({len(rows)} row{'' if len(rows) == 1 else 's'})")
    return "\n".join(out)


class _OneLineErrors(click.Group):
    """Usage errors are one line like every other error ("error: … ; see 'graphbuild query --help'")."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        try:
            code = super().main(*args, **kwargs)
        except click.UsageError as exc:
            hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx else ""
            click.echo(f"error: {exc.format_message().rstrip('.')}{hint}", err=True)
            sys.exit(2)
        except click.ClickException as exc:
            click.echo(f"error: {exc.format_message()}", err=True)
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("error: aborted", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


@click.group(cls=_OneLineErrors, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="graphbuild")
def main() -> None:
    """Turn privacy policies into a knowledge graph of vendors and data flows."""


class _ProgressBar:
    """A one-line progress bar on a terminal's stderr; errors are printed as they come."""

    def __init__(self, total: int | None, show: bool) -> None:
        self.total, self.show, self.done = total, show, 0
        self.started = time.perf_counter()

    def __call__(self, outcome: Outcome) -> None:
        self.done += 1
        if outcome.status == "failed":
            self.clear()
            click.echo(f"error: {printable(outcome.source)}: {outcome.error}", err=True)
        if self.show and (self.done % 5 == 0 or self.done == self.total):
            rate = self.done / max(time.perf_counter() - self.started, 1e-6)
            if self.total:
                filled = int(30 * self.done / self.total)
                bar = f"[{'#' * filled}{'.' * (30 - filled)}] {self.done}/{self.total}"
            else:
                bar = f"{self.done} documents"
            click.echo(f"\r{bar}  {rate:.1f} docs/s", err=True, nl=False)

    def clear(self) -> None:
        if self.show:
            click.echo("\r\033[K", err=True, nl=False)


@main.command()
@click.argument("paths", nargs=-1)
@_db_option
@click.option("--jobs", type=int, default=None, help="Worker processes [default: the number of cores].")
@click.option("--force", is_flag=True, help="Rebuild every document, even those unchanged since the last build.")
@click.option("--company", default=None, help="The first party of every document of this call (you know better).")
@click.option(
    "--manifest",
    type=click.Path(dir_okay=False),
    default=None,
    help="CSV of source,company[,url,date]: each document's first party; its sources build when no PATH is given.",
)
@click.option(
    "--doc-timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=60.0,
    show_default=True,
    help="Seconds one document may take to read and extract before it fails.",
)
@click.option("--prune", is_flag=True, help="Drop stored documents whose file under the given folders is gone.")
@click.option(
    "--executor",
    type=click.Choice(["processes", "dask"]),
    default="processes",
    show_default=True,
    help="Where documents are read and extracted: worker processes here, or a Dask cluster (graphbuild[dask]).",
)
@click.option(
    "--scheduler", metavar="ADDRESS", default=None, help="Dask scheduler (tcp://host:8786); none: a local cluster."
)
@click.option(
    "--allow-private-urls",
    is_flag=True,
    help="Fetch URLs of this machine or a private network (refused by default: they are not policies on the web).",
)
def build(
    paths: tuple[str, ...],
    db: str,
    jobs: int | None,
    force: bool,
    company: str | None,
    manifest: str | None,
    doc_timeout: float,
    allow_private_urls: bool,
    prune: bool,
    executor: str,
    scheduler: str | None,
) -> None:
    """Build the graph from policy files, folders (recursive) or URLs.

    Unchanged documents (same text from the same source) are skipped; a changed one replaces its graph.
    A progress bar shows on a terminal; the last line sums up.

    Example: graphbuild build examples/ --db out/graph.oxigraph --jobs 4
    Example: graphbuild build --manifest crawl.csv   (lines like: pages/acme.html,Acme Inc.,https://acme.com/privacy,2024-05-01)
    """
    from graphbuild.ingest import expand_sources
    from graphbuild.manifest import read_manifest
    from graphbuild.pipeline import build as run_build

    try:
        hints = read_manifest(manifest) if manifest else None
    except GraphbuildError as exc:
        _fail(str(exc))
        return
    if not paths and hints:
        paths = tuple(hints)
    if not paths:
        raise click.UsageError("give PATH... or --manifest FILE")

    show = sys.stderr.isatty()
    total = None
    if show:
        try:
            total = sum(1 for _ in expand_sources(paths))
        except GraphbuildError:
            total = None
    progress = _ProgressBar(total, show)
    try:
        store = _open(db)
        try:
            report = run_build(
                paths,
                store,
                jobs=jobs,
                force=force,
                progress=progress,
                company=company,
                hints=hints,
                doc_timeout=doc_timeout,
                allow_private=allow_private_urls,
                prune=prune,
                executor=executor,
                scheduler=scheduler,
            )
        finally:
            store.close()
    except GraphbuildError as exc:
        progress.clear()
        _fail(str(exc))
        return
    progress.clear()
    click.echo(f"{report.summary()} → {store_name(db)}", err=True)
    if not report.ok:
        sys.exit(1)


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


@main.command()
@_db_option
@_format_option
@_wide_option
def documents(db: str, fmt: str, wide: bool) -> None:
    """List the stored documents: source, company, sha256, extractor versions, when built.

    Example: graphbuild documents --format csv
    """
    from graphbuild.documents import list_documents

    docs = _using_store(db, list_documents)
    columns = ("source", "company", "sha256", "extractor_versions", "built_at")
    rows = [{c: getattr(d, c) for c in columns} for d in docs]
    _print_rows(list(columns), rows, fmt, wide)


@main.command()
@click.argument("sources", nargs=-1, required=True)
@_db_option
def remove(sources: tuple[str, ...], db: str) -> None:
    """Remove the graphs of stored documents, named by their path, URL or stored source.

    Example: graphbuild remove policies/old-acme.html
    """
    from graphbuild.documents import remove_documents

    try:
        store = _open(db)
        try:
            removed, missing = remove_documents(store, sources)
        finally:
            store.close()
    except GraphbuildError as exc:
        _fail(str(exc))
        return
    click.echo(f"removed {len(removed)} document(s)", err=True)
    if missing:
        _fail(f"not stored: {', '.join(printable(m) for m in missing)}")


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
    from graphbuild.diff import diff_documents
    from graphbuild.ingest import load_document

    try:
        if new is not None:
            result = diff_documents(load_document(old), load_document(new))
        else:
            from graphbuild.versions import history, version_text

            store = _open(db, read_only=True)
            try:
                versions = history(store, old)
                if len(versions) < 2:
                    raise QueryError(f"{old}: only one version is stored")
                result = diff_documents(version_text(store, versions[-2]), version_text(store, versions[-1]))
            finally:
                store.close()
    except GraphbuildError as exc:
        _fail(str(exc))
        return
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
@click.argument("source")
@_db_option
@_format_option
def history(source: str, db: str, fmt: str) -> None:
    """List the stored versions of a document, oldest first, with the date each is dated by.

    Example: graphbuild history policies/acme.html
    """
    from graphbuild.versions import history as versions_of

    versions = _using_store(db, lambda store: versions_of(store, source))
    rows: list[dict[str, str | None]] = [
        {
            "date": v.date,
            "dated_by": v.dated_by,
            "sha256": v.sha256,
            "current": "yes" if v.current else "",
            "graph": v.graph,
        }
        for v in versions
    ]
    _print_rows(["date", "dated_by", "sha256", "current", "graph"], rows, fmt)


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
    """Write interactive HTML graph views (index.html links them all); they open offline.

    Example: graphbuild view --out out/
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
@click.option("--top", type=int, default=15, show_default=True, help="Rows per ranking.")
def analyze(db: str, fmt: str, vendor: str | None, top: int) -> None:
    """Vendor concentration, companies that share vendors, blast radius of a vendor breach, communities.

    Example: graphbuild analyze --vendor Google --format json
    """
    from graphbuild.analysis import analyse, blast_radius

    try:
        store = _open(db, read_only=True)
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
