"""Commands that write or list the store: build, documents, remove, history, compact."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from graphbuild.cli.common import (
    _db_option,
    _fail,
    _format_option,
    _open,
    _print_rows,
    _ProgressBar,
    _using_store,
    _wide_option,
    main,
)
from graphbuild.errors import GraphbuildError, StoreError, printable
from graphbuild.store import store_name

if TYPE_CHECKING:
    from graphbuild.store import GraphStore


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


@main.command()
@_db_option
def compact(db: str) -> None:
    """Rewrite the embedded store into compressed files: the same quads in less room on disk.

    Worth it after a first build of a few hundred to tens of thousands of policies (about 40% smaller at a
    few hundred); a store the rewrite would not shrink is left as it is. The store is locked while it runs,
    about 13 seconds per million quads.

    Example: graphbuild compact --db out/graph.oxigraph
    """
    from graphbuild.store import EmbeddedStore
    from graphbuild.store.compact import Compaction

    def run(store: GraphStore) -> Compaction:
        if not isinstance(store, EmbeddedStore):
            raise StoreError(f"{store_name(db)}: a SPARQL server keeps its own files; compact the embedded store")
        return store.compact()

    done = _using_store(db, run, read_only=False)
    if done.swapped:
        click.echo(f"compacted {db}: {done.before / 1e6:.1f} MB → {done.after / 1e6:.1f} MB", err=True)
    else:
        click.echo(
            f"{db} left as it was: {done.before / 1e6:.1f} MB, a rewrite took {done.after / 1e6:.1f} MB "
            "(a large store is mostly compressed already)",
            err=True,
        )
