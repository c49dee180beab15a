"""`graphbuild compact`: the same quads in less room, the store whole whenever the rewrite stops."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphbuild.cli import main
from graphbuild.store import EmbeddedStore, compact
from tests.test_crash_consistency import _complete_documents, _corpus


def _export(db: str) -> str:
    result = CliRunner().invoke(main, ["export", "--db", db, "--format", "nquads"])
    assert result.exit_code == 0
    return result.output


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, int, str]:
    """A store built in several bulk loads (so merged, uncompressed files), its corpus and its export."""
    root = tmp_path_factory.mktemp("compact")
    total = _corpus(root / "docs", 30)
    db = str(root / "store")
    command = [sys.executable, "-m", "graphbuild", "build", str(root / "docs"), "--db", db, "--jobs", "2"]
    assert subprocess.run(command, capture_output=True, timeout=300).returncode == 0
    return root, db, total, _export(db)


def _copy(db: str, target: Path) -> str:
    subprocess.run(["cp", "-r", db, str(target)], check=True)
    return str(target)


def test_compact_keeps_every_quad_in_less_room(built: tuple[Path, str, int, str], tmp_path: Path) -> None:
    root, db, total, exported = built
    copy = _copy(db, tmp_path / "store")
    before = compact.disk_bytes(Path(copy))
    result = CliRunner().invoke(main, ["compact", "--db", copy])
    assert result.exit_code == 0, result.output
    assert "compacted" in result.output and "MB →" in result.output
    assert compact.disk_bytes(Path(copy)) < 0.9 * before
    assert _export(copy) == exported
    assert _complete_documents(copy) == (total, total)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no folder left beside it
    # still a store like any other: the next build finds every document unchanged
    again = subprocess.run(
        [sys.executable, "-m", "graphbuild", "build", str(root / "docs"), "--db", copy],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert again.returncode == 0 and f"skipped {total}" in again.stderr, again.stderr


def test_compact_by_two_renames_where_no_atomic_swap(
    built: tuple[Path, str, int, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, db, _, exported = built
    copy = _copy(db, tmp_path / "store")
    monkeypatch.setattr(compact, "_renameat2_exchange", lambda a, b: False)
    store = EmbeddedStore(copy)
    try:
        before, after, swapped = store.compact()
        assert swapped and after < before
    finally:
        store.close()
    assert _export(copy) == exported


def test_a_store_whose_compaction_stopped_between_renames_comes_back(
    built: tuple[Path, str, int, str], tmp_path: Path
) -> None:
    _, db, total, exported = built
    copy = Path(_copy(db, tmp_path / "store"))
    # the state a crash leaves between the fallback's two renames: the old store beside, none in its place
    os.rename(copy, compact.sibling(copy, "compacted-old"))
    (tmp_path / ".store.compacting").mkdir()
    EmbeddedStore(str(copy)).close()
    assert _complete_documents(str(copy)) == (total, total)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]
    assert _export(str(copy)) == exported


def test_killed_compaction_leaves_the_store_whole(built: tuple[Path, str, int, str], tmp_path: Path) -> None:
    _, db, total, exported = built
    copy = _copy(db, tmp_path / "store")
    command = [sys.executable, "-m", "graphbuild", "compact", "--db", copy]
    for delay in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9):  # a rewrite here takes under a second: kills land all over it
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert _complete_documents(copy) == (total, total), f"killed after {delay}s"
    assert subprocess.run(command, capture_output=True, timeout=300).returncode == 0
    assert _export(copy) == exported
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]


def test_compact_of_a_server_is_a_one_line_error() -> None:
    result = CliRunner().invoke(main, ["compact", "--db", "http://127.0.0.1:9/store"])
    assert result.exit_code == 1
    assert "keeps its own files" in result.output and len(result.output.strip().splitlines()) == 1


def test_a_rewrite_that_does_not_shrink_the_store_is_thrown_away(
    built: tuple[Path, str, int, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large store is mostly compressed already and the chunked rewrite can come out larger (100,000
    policies: 9.7 → 15.2 GB): the store is then left as it was."""
    _, db, total, exported = built
    copy = _copy(db, tmp_path / "store")
    real_copy = compact.copy_compactly

    def larger(source: object, target: Path) -> None:
        real_copy(source, target)  # type: ignore[arg-type]
        (target / "padding").write_bytes(b"\0" * (compact.disk_bytes(Path(copy)) + 1))

    monkeypatch.setattr(compact, "copy_compactly", larger)
    result = CliRunner().invoke(main, ["compact", "--db", copy])
    assert result.exit_code == 0 and "left as it was" in result.output, result.output
    assert not (Path(copy) / "padding").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]
    assert _export(copy) == exported and _complete_documents(copy) == (total, total)
