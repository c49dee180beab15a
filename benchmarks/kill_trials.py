"""Crash consistency: kill -9 a ``build --force`` at random moments and check the store after each kill.

    python benchmarks/kill_trials.py [TRIALS] [COPIES]

Builds COPIES variants of each example policy, then runs TRIALS forced rebuilds, each killed after a random
delay within the rebuild's own duration. After every kill the store must still hold every document with
its completion mark (old or new version), and no worker of the killed build may outlive it."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from graphbuild.store import EmbeddedStore
from graphbuild.vocab import GB

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
COMPLETE = f"SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE {{ GRAPH ?g {{ ?g <{GB.sha256}> ?sha }} }}"


def _complete(db: str) -> tuple[int, int]:
    store = EmbeddedStore(db, read_only=True)
    try:
        (n,) = store.select(COMPLETE).rows[0]
        return int(n.value) if n is not None else 0, len(store.graphs())  # type: ignore[union-attr]
    finally:
        store.close()


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    if int(fh.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.add(int(entry))
            except OSError:
                continue
    return found | {g for c in found for g in _children(c)}


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def main(trials: int, copies: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        docs = Path(tmp) / "docs"
        docs.mkdir()
        for i in range(copies):
            for p in sorted(EXAMPLES.iterdir()):
                (docs / f"{i:04}-{p.name}").write_text(p.read_text() + f"\n\nRevision {i}.\n")
        total = copies * len(list(EXAMPLES.iterdir()))
        db = str(Path(tmp) / "store")
        command = [sys.executable, "-m", "graphbuild", "build", str(docs), "--db", db, "--jobs", "2"]
        subprocess.run(command, check=True, capture_output=True)
        started = time.perf_counter()
        subprocess.run([*command, "--force"], check=True, capture_output=True)
        rebuild = time.perf_counter() - started
        rng = random.Random(12)
        kept, orphans = 0, 0
        for trial in range(trials):
            delay = rng.uniform(0.1, rebuild)
            proc = subprocess.Popen([*command, "--force"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(delay)
            family = _children(proc.pid)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            time.sleep(2)
            orphans += sum(_alive(p) for p in family)
            complete, graphs = _complete(db)
            ok = complete == graphs == total
            kept += ok
            print(f"trial {trial + 1:2}: killed after {delay:.2f} s: {complete}/{total} complete, {graphs} graphs")
        print(
            f"\n{kept}/{trials} trials kept every document ({total} documents, rebuild {rebuild:.1f} s); "
            f"{orphans} workers outlived their build by 2 s"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20, int(sys.argv[2]) if len(sys.argv) > 2 else 75)
