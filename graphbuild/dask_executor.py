"""Extraction on a Dask cluster: workers read and extract, the client writes the N-Quads they return into
the store, in source order (so the store is the same as after a build on this machine).

Without a scheduler address a LocalCluster of ``jobs`` single-threaded worker processes is started and
stopped with the build. A document past its time budget is marked failed and its task cancelled; Dask
cannot stop a running task, so a stuck one holds its worker until it ends."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from typing import Any

from graphbuild.errors import GraphbuildError


def run_on_dask(
    fn: Callable[..., Any],
    tasks: Iterator[tuple[Any, ...]],
    jobs: int,
    budget: float | None,
    on_error: Callable[[tuple[Any, ...], str], Any],
    scheduler: str | None = None,
    ahead: int = 16,
) -> Iterator[Any]:
    """``fn(*task)`` for every task on the cluster, results in task order, at most ``jobs × ahead`` in flight."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise GraphbuildError("--executor dask needs Dask: pip install 'graphbuild[dask]'") from None
    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout="10s")
        else:
            cluster = LocalCluster(n_workers=max(1, jobs), threads_per_worker=1, processes=True, dashboard_address=None)
            client = Client(cluster)
    except OSError as exc:
        raise GraphbuildError(f"cannot reach the Dask scheduler {scheduler or '(local)'}: {exc}") from None
    try:
        pending: deque[tuple[tuple[Any, ...], Any]] = deque()
        for task in tasks:
            pending.append((task, client.submit(fn, *task, pure=False)))
            if len(pending) >= max(1, jobs) * ahead:
                yield _result(pending.popleft(), budget, on_error)
        while pending:
            yield _result(pending.popleft(), budget, on_error)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _result(item: tuple[tuple[Any, ...], Any], budget: float | None, on_error: Callable[..., Any]) -> Any:
    from distributed import TimeoutError as DaskTimeout

    task, future = item
    try:
        return future.result(timeout=budget)
    except (DaskTimeout, TimeoutError):
        future.cancel()
        return on_error(task, f"took longer than {budget:g} s (--doc-timeout)")
    except Exception as exc:  # noqa: BLE001 - a worker lost or a task that could not run: that document's line
        return on_error(task, f"the Dask worker reading it failed ({type(exc).__name__}: {exc})")
