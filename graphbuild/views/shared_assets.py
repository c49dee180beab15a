"""The files every page shares, written once per output folder, and the record of what a run wrote (so
that the next run removes exactly its own pages and nothing else in the folder)."""

from __future__ import annotations

import json
import shutil
from importlib import resources
from pathlib import Path

_MANIFEST = ".graphbuild-views.json"
_ASSETS = ("graphbuild.css", "graphbuild.js", "vis-network.min.js", "LICENSES.md")


def clear_previous(folder: Path) -> None:
    """Remove what the last run wrote here (and only that: the folder may hold other files)."""
    manifest = folder / _MANIFEST
    if not manifest.exists():
        return
    try:
        names = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    for name in names:
        path = folder / name
        if path.parent == folder or path.parent == folder / "assets":
            path.unlink(missing_ok=True)


def write_assets(folder: Path) -> list[str]:
    """Copy the shared JavaScript, CSS and licences into ``folder/assets``; returns their names."""
    target = folder / "assets"
    target.mkdir(exist_ok=True)
    source = resources.files("graphbuild.views") / "assets"
    for name in _ASSETS:
        with resources.as_file(source / name) as path:
            shutil.copyfile(path, target / name)
    return [f"assets/{name}" for name in _ASSETS]


def record_written(folder: Path, names: list[str]) -> None:
    """Remember what this run wrote, for the next run to remove."""
    (folder / _MANIFEST).write_text(json.dumps(sorted(names), indent=0), encoding="utf-8")
