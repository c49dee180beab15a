"""Worker processes that read and extract documents, each under a time budget.

A document that runs past its budget (a runaway regex on a pathological page, a parser stuck in C) cannot
be interrupted from inside Python, so its worker is killed and replaced, and the document fails with one
line. Workers die with the build: each asks the kernel to kill it when its parent goes (Linux), and stops
when its task pipe closes."""

from __future__ import annotations

import ctypes
import multiprocessing as mp
import signal
import time
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_PR_SET_PDEATHSIG = 1
_DEPTH = 2  # tasks sent to a worker at once: the one it runs and the next


def _die_with_parent() -> None:
    """Ask Linux to kill this process when its parent exits (elsewhere a closed pipe stops it)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def serve_tasks(conn: Connection, fn: Callable[..., Any]) -> None:
    """A worker's loop: receive a task, send back ``fn(*task)``, until told to stop or the parent goes."""
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        conn.send(fn(*task))


class _Worker:
    def __init__(self, ctx: Any, fn: Callable[..., Any]) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=serve_tasks, args=(child, fn), daemon=True)
        self.process.start()
        child.close()
        self.tasks: list[tuple[int, tuple[Any, ...]]] = []  # sent, in order; the first is the one running
        self.started = 0.0  # when the first began (as far as the parent saw)

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        else:
            try:
                self.conn.send(None)
            except (OSError, BrokenPipeError):
                pass
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


class Pool(Generic[R]):
    """``jobs`` worker processes running ``fn(*task)``; results in task order, each task within ``budget``
    seconds or replaced by ``on_error(task, reason)``."""

    def __init__(
        self, fn: Callable[..., R], jobs: int, budget: float | None, on_error: Callable[[tuple[Any, ...], str], R]
    ) -> None:
        self.fn, self.jobs, self.budget, self.on_error = fn, max(1, jobs), budget, on_error
        self.ctx = mp.get_context("forkserver")
        self.workers: list[_Worker] = []

    def __enter__(self) -> Pool[R]:
        self.workers = [_Worker(self.ctx, self.fn) for _ in range(self.jobs)]
        return self

    def __exit__(self, *exc: object) -> None:
        for w in self.workers:
            w.stop(kill=exc[0] is not None)
        self.workers = []

    def map(self, tasks: Iterator[tuple[Any, ...]], ahead: int = 16) -> Iterator[R]:
        """Results of ``tasks`` in their order; at most ``ahead`` per worker finished but not yet yielded."""
        done: dict[int, R] = {}
        queued: list[tuple[int, tuple[Any, ...]]] = []
        next_out, counter, exhausted = 0, 0, False
        while True:
            while not exhausted and len(queued) + len(done) < self.jobs * ahead:
                task = next(tasks, None)
                if task is None:
                    exhausted = True
                    break
                queued.append((counter, task))
                counter += 1
            for w in self.workers:
                # a second task waits in each worker's pipe, so that it goes on while results are written
                while len(w.tasks) < _DEPTH and queued:
                    if not w.tasks:
                        w.started = time.monotonic()
                    w.tasks.append(queued.pop(0))
                    w.conn.send(w.tasks[-1][1])
            while next_out in done:
                yield done.pop(next_out)
                next_out += 1
            busy = [w for w in self.workers if w.tasks]
            if not busy:
                if exhausted and not queued:
                    return
                continue
            for w in self._ready(busy):
                index, task = w.tasks[0]
                try:
                    done[index] = w.conn.recv()
                except (EOFError, OSError):
                    done[index] = self.on_error(task, "the worker reading it stopped (out of memory or a crash)")
                    queued[:0] = self._replace(w)
                    w.tasks = []
                    continue
                w.tasks.pop(0)
                w.started = time.monotonic()
            if self.budget is not None:
                now = time.monotonic()
                for w in busy:
                    if w.tasks and now - w.started > self.budget:
                        index, task = w.tasks[0]
                        done[index] = self.on_error(task, f"took longer than {self.budget:g} s (--doc-timeout)")
                        queued[:0] = self._replace(w)
                        w.tasks = []

    def _ready(self, busy: list[_Worker]) -> list[_Worker]:
        timeout = None
        if self.budget is not None:
            timeout = max(0.0, min(w.started + self.budget for w in busy) - time.monotonic()) + 0.01
        ready = set(wait([w.conn for w in busy], timeout=timeout))
        return [w for w in busy if w.conn in ready]

    def _replace(self, w: _Worker) -> list[tuple[int, tuple[Any, ...]]]:
        """Kill ``w`` and start a fresh worker in its place; the tasks ``w`` had not begun, to send again."""
        w.stop(kill=True)
        fresh = _Worker(self.ctx, self.fn)
        self.workers[self.workers.index(w)] = fresh
        return w.tasks[1:]
