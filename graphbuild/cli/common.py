"""What every command shares: the group, the store and format options, output as tables, CSV or JSON, and
one-line errors."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from graphbuild import __version__
from graphbuild.errors import GraphbuildError, printable
from graphbuild.store import DEFAULT_LOCATION, GraphStore, Result, open_store

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
