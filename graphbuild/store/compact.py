"""Rewriting the embedded store into compressed files, swapped in for the old ones in one step.

Oxigraph's RocksDB leaves the first level under the newest data uncompressed, and a store smaller than
about 512 MB per index lives wholly in that level once its bulk-loaded files have been merged: such a store
takes 1.2 to 1.7 times the room of the same quads written in one bulk load into an empty store, whose
files stay compressed. ``graphbuild compact`` does that load: every quad goes into a new store beside the
old one, which then takes the old one's place if it is smaller. (A large store is mostly compressed
already, and the bulk loader, which works in chunks, merges part of it again: at 100,000 policies the
rewrite is larger, so the store is left as it was.)"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import shutil
from pathlib import Path
from typing import NamedTuple

import pyoxigraph as ox

_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100


class Compaction(NamedTuple):
    """Bytes on disk before and of the rewrite, and whether the rewrite took the store's place."""

    before: int
    after: int
    swapped: bool


def sibling(path: Path, tag: str) -> Path:
    """A hidden folder beside the store, named after it (``.store.compacting``)."""
    return path.parent / f".{path.name}.{tag}"


def disk_bytes(path: Path) -> int:
    """Bytes of the files under ``path``."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def copy_compactly(source: ox.Store, target: Path) -> None:
    """Every quad and named graph of ``source`` in a new store at ``target``, written by the bulk loader."""
    shutil.rmtree(target, ignore_errors=True)
    copy = ox.Store(str(target))
    copy.bulk_extend(source)
    for graph in source.named_graphs():  # a graph without quads exists only in the list of graphs
        if not copy.contains_named_graph(graph):
            copy.add_graph(graph)
    copy.flush()
    del copy  # closes the new store's files before it is moved


def exchange(new: Path, current: Path) -> None:
    """Put ``new`` in the place of ``current`` and ``current`` at ``new``'s old name: in one step where the
    system can (Linux renameat2), else in two renames that ``restore_interrupted`` undoes after a crash between them."""
    if _renameat2_exchange(new, current):
        return
    old = sibling(current, "compacted-old")
    shutil.rmtree(old, ignore_errors=True)
    os.rename(current, old)
    os.rename(new, current)
    os.rename(old, new)


def restore_interrupted(path: Path) -> None:
    """Undo a compaction stopped between the two renames of ``exchange``'s fallback: the store's folder is
    missing and the old store waits beside it. (Before the lock is taken: the lock file is in that folder.)"""
    old = sibling(path, "compacted-old")
    if old.is_dir() and not path.exists():
        os.rename(old, path)


def remove_leftovers(path: Path) -> None:
    """Folders a stopped compaction left beside the store (called by a writer, holding the store's lock)."""
    for leftover in (sibling(path, "compacted-old"), sibling(path, "compacting")):
        shutil.rmtree(leftover, ignore_errors=True)


def _renameat2_exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically; False where the C library or the file system cannot."""
    name = ctypes.util.find_library("c")
    libc = ctypes.CDLL(name, use_errno=True) if name else None
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))
