"""Extraction on Dask: a LocalCluster of two workers gives the same N-Quads as the build on this machine,
skips unchanged documents the same way, and a cluster is reached by its scheduler address."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from distributed import LocalCluster

from graphbuild.cli import main

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [
    str(ROOT / "examples"),
    *([str(ROOT.parent / "shared" / "policies")] if (ROOT.parent / "shared").is_dir() else []),
]


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args))


def _nquads(db: str) -> str:
    export = run("export", "--db", db, "--format", "nquads").output
    return "".join(line for line in export.splitlines(keepends=True) if "#builtAt>" not in line)


def test_dask_build_matches_the_local_build(tmp_path: Path) -> None:
    serial, on_dask = str(tmp_path / "serial"), str(tmp_path / "dask")
    assert run("build", *SOURCES, "--db", serial, "--jobs", "1").exit_code == 0
    r = run("build", *SOURCES, "--db", on_dask, "--executor", "dask", "--jobs", "2")
    assert r.exit_code == 0, r.output
    assert _nquads(on_dask) == _nquads(serial) and _nquads(serial).count("\n") > 1000
    again = run("build", *SOURCES, "--db", on_dask, "--executor", "dask", "--jobs", "2")
    assert "built 0" in again.output and "failed 0" in again.output


def test_dask_build_on_a_cluster_given_by_address(tmp_path: Path) -> None:
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        db = str(tmp_path / "store")
        r = run(
            "build", str(ROOT / "examples"), "--db", db, "--executor", "dask", "--scheduler", cluster.scheduler_address
        )
        assert r.exit_code == 0 and "built 4" in r.output, r.output
    r = run(
        "build",
        str(ROOT / "examples"),
        "--db",
        str(tmp_path / "x"),
        "--executor",
        "dask",
        "--scheduler",
        "tcp://127.0.0.1:9",
    )
    assert r.exit_code == 1 and "Dask scheduler" in r.output and len(r.output.strip().splitlines()) == 1
