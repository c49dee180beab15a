"""A build killed at any moment leaves every document whole, old version or new; its workers die with it;
readers and a writer never share the store."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import graphbuild.store.embedded
from graphbuild.cli import main
from graphbuild.errors import StoreInUseError
from graphbuild.store import EmbeddedStore
from graphbuild.store.summary import SUMMARY_SUFFIX, is_document_graph, summary_graph
from graphbuild.vocab import GB

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
COMPLETE = f"SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE {{ GRAPH ?g {{ ?g <{GB.sha256}> ?sha }} }}"


def _corpus(folder: Path, copies: int) -> int:
    folder.mkdir()
    sources = [p for p in sorted(EXAMPLES.iterdir()) if p.is_file()]
    for i in range(copies):
        for p in sources:
            text = p.read_text(encoding="utf-8")
            (folder / f"{i:03}-{p.name}").write_text(text + f"\n\nRevision {i}.\n", encoding="utf-8")
    return copies * len(sources)


def _complete_documents(db: str) -> tuple[int, int]:
    store = EmbeddedStore(db, read_only=True)
    try:
        (n,) = store.select(COMPLETE).rows[0]
        graphs = store.graphs()
        documents = [g for g in graphs if is_document_graph(g)]
        # every document graph comes with its summary graph, written and replaced in the same load
        summaries = sorted(g for g in graphs if g.endswith(SUMMARY_SUFFIX))
        assert sorted(summary_graph(g) for g in documents) == summaries
        return int(n.value) if n is not None else 0, len(documents)  # type: ignore[union-attr]
    finally:
        store.close()


def _descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
                children.setdefault(int(fields[1]), []).append(int(entry))
            except OSError:
                continue
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_kill_during_force_rebuild_keeps_every_document(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    total = _corpus(docs, 40)
    db = str(tmp_path / "store")
    command = [sys.executable, "-m", "graphbuild", "build", str(docs), "--db", db, "--jobs", "2"]
    assert subprocess.run(command, capture_output=True, timeout=300).returncode == 0
    assert _complete_documents(db) == (total, total)
    for delay in (0.4, 0.8, 1.2, 1.6, 2.0):
        proc = subprocess.Popen([*command, "--force"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        family = _descendants(proc.pid)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        deadline = time.monotonic() + 5
        while any(_alive(p) for p in family) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(_alive(p) for p in family), "workers outlived the killed build"
        assert _complete_documents(db) == (total, total), f"killed after {delay}s"
    # the next build finds nothing half-done: no staging graph, every document unchanged or rebuilt whole
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0 and "failed 0" in result.stderr
    assert _complete_documents(db) == (total, total)
    assert not [f for f in os.listdir(db) if f.startswith("bulk")]


def test_files_of_a_killed_bulk_load_are_removed_by_the_next_build(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    _corpus(docs, 60)
    db = str(tmp_path / "store")
    command = [sys.executable, "-m", "graphbuild", "build", str(docs), "--db", db, "--jobs", "2"]
    for delay in (0.9, 1.2, 1.5, 1.8):  # some kill lands inside a bulk load
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert subprocess.run(command, capture_output=True, timeout=300).returncode == 0
    assert not [f for f in os.listdir(db) if f.startswith("bulk-")]


def test_readers_and_a_writer_never_share_the_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = str(tmp_path / "store")
    runner = CliRunner()
    assert runner.invoke(main, ["build", str(EXAMPLES), "--db", db]).exit_code == 0
    writer = EmbeddedStore(db)
    try:
        r = runner.invoke(main, ["query", "vendors", "--db", db])
        assert r.exit_code == 1 and "being built" in r.output and len(r.output.strip().splitlines()) == 1
    finally:
        writer.close()
    monkeypatch.setattr(graphbuild.store.embedded, "_WRITER_WAIT", 0.3)
    reader = EmbeddedStore(db, read_only=True)
    try:
        with pytest.raises(StoreInUseError, match="a query or view reading it"):
            EmbeddedStore(db)
    finally:
        reader.close()
    assert runner.invoke(main, ["build", str(EXAMPLES), "--db", db]).exit_code == 0  # free again
