"""The worker pool: results in task order, and no task lost when a worker dies or is killed at its budget."""

from __future__ import annotations

import os
import time

from graphbuild.workers import Pool


def _square_or_die(n: int) -> int:
    """A task that kills its worker outright (as the out-of-memory killer would) for 2, and hangs for 5."""
    if n == 2:
        os._exit(9)
    if n == 5:
        time.sleep(60)
    return n * n


def _failed(task: tuple[object, ...], reason: str) -> str:
    return f"{task[0]}: {reason}"


def test_tasks_behind_a_dead_or_stuck_task_are_sent_again() -> None:
    # one worker holds two tasks at a time, so 3 and 6 wait in the pipe of the worker that dies or is killed
    with Pool(_square_or_die, jobs=1, budget=1.0, on_error=_failed) as pool:
        results = list(pool.map(iter([(n,) for n in range(1, 8)])))
    assert results == [
        1,
        "2: the worker reading it stopped (out of memory or a crash)",
        9,
        16,
        "5: took longer than 1 s (--doc-timeout)",
        36,
        49,
    ]
