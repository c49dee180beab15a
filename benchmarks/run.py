"""Measure graphbuild on corpora of several sizes: policies per second, per-document cost, peak RSS, store
size, named-query latency, and the parse floor (read + BeautifulSoup(lxml) + get_text) of the same files.

    python benchmarks/run.py --sizes 100 1000 10000 --jobs 2
    python benchmarks/run.py --from-dir path/to/policies --sizes 40 200 --jobs 2
    python benchmarks/run.py --sizes 100000 --plus-variants 2600 --of ../shared/policies ../shared/corpus

Prints one Markdown table row per size (the format of BENCHMARKS.md) and, with --json, the details.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bs4 import BeautifulSoup

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import synthetic, variants  # noqa: E402 - the sibling script

from graphbuild.queries import named_queries, rows_as_dicts, run_named  # noqa: E402
from graphbuild.store import GraphStore, open_store  # noqa: E402


def parse_floor(files: list[Path]) -> float:
    """Seconds to read every file and get its text with BeautifulSoup(lxml), in one process."""
    started = time.perf_counter()
    for f in files:
        BeautifulSoup(f.read_bytes(), "lxml").get_text()
    return time.perf_counter() - started


def build(corpus: Path, db: Path, jobs: int, executor: str = "processes") -> tuple[float, str]:
    """Seconds for 'graphbuild build' in a child process, and its summary line."""
    started = time.perf_counter()
    command = ["build", str(corpus), "--db", str(db), "--jobs", str(jobs), "--executor", executor]
    done = subprocess.run(
        [sys.executable, "-m", "graphbuild", *command],
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"build failed: {done.stderr}")
    return seconds, done.stderr.strip().splitlines()[-1]


def compact(db: Path) -> float:
    """Seconds for 'graphbuild compact' on the built store (after the latencies are measured)."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "graphbuild", "compact", "--db", str(db)], capture_output=True, check=True)
    return time.perf_counter() - started


def _examples(store: GraphStore, count: int) -> dict[str, list[str]]:
    """Real values for each kind of parameter, spread over the store (company, vendor, organisation …)."""
    vendors = rows_as_dicts(run_named(store, "vendors"))
    pick = {
        "company": sorted({r["company"] or "" for r in vendors}),
        "vendor": sorted({r["vendor"] or "" for r in vendors}),
        "organisation": sorted({r["vendor_org"] or "" for r in vendors}),
        "recipient": sorted({r["vendor"] or "" for r in vendors}),
        "kind": ["storage", "transfer", "office"],
        "extractor": ["vendors", "retention", "locations"],
    }
    step = {k: max(1, len(v) // count) for k, v in pick.items()}
    return {k: v[:: step[k]][:count] for k, v in pick.items()}


def query_latency(
    db: Path, samples: int = 15, full_scans: bool = True
) -> tuple[dict[str, tuple[float, float]], dict[str, float]]:
    """Per named query, p50 and p95 milliseconds over ``samples`` lookups with its first parameter bound to
    different real values (what an analyst runs: one company, one vendor); and, once, the same query with
    no parameter at all (every row of the store)."""
    store = open_store(str(db), read_only=True)
    values = _examples(store, samples)
    lookups, full = {}, {}
    for name, query in named_queries().items():
        times = []
        params = [{query.params[0].name: v} for v in values[query.params[0].name]] if query.params else [{}] * 5
        for p in params:
            started = time.perf_counter()
            run_named(store, name, p)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        lookups[name] = (statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))])
        if full_scans:
            started = time.perf_counter()
            run_named(store, name)
            full[name] = (time.perf_counter() - started) * 1000
    store.close()
    return lookups, full


def size_of(path: Path) -> int:
    """Bytes on disk under ``path``."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def measure(
    n: int,
    jobs: int,
    work: Path,
    from_dir: Path | None,
    plus: int = 0,
    of: list[Path] | None = None,
    executor: str = "processes",
) -> dict[str, object]:
    """Every figure for a corpus of ``n`` policies (and ``plus`` variants of the real policies in ``of``)."""
    full_scan_limit = 1000
    corpus = work / f"corpus-{n}"
    files = variants(from_dir, corpus, n) if from_dir else synthetic(corpus, n)
    if plus:
        files += variants(of or [], corpus / "variants", plus)
    floor = parse_floor(files)
    db = work / f"store-{n}"
    seconds, summary = build(corpus, db, jobs, executor)
    rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    stored = size_of(db)
    latency, full = query_latency(db, full_scans=n <= full_scan_limit)
    compact_s = compact(db)
    n = len(files)
    return {
        "policies": n,
        "variants_of_real_policies": plus,
        "executor": executor,
        "corpus_mb": round(size_of(corpus) / 1e6, 1),
        "build_s": round(seconds, 2),
        "policies_per_s": round(n / seconds, 1),
        "ms_per_policy": round(1000 * seconds / n, 1),
        "parse_floor_s": round(floor, 2),
        "ratio_to_floor": round(seconds / floor, 2),
        "peak_rss_mb": round(rss_mb),
        "store_mb": round(stored / 1e6, 1),
        "store_kb_per_policy": round(stored / 1e3 / n, 1),
        "compact_s": round(compact_s, 1),
        "store_mb_compacted": round(size_of(db) / 1e6, 1),
        "store_kb_per_policy_compacted": round(size_of(db) / 1e3 / n, 1),
        "query_p50_ms_max": round(max(p50 for p50, _ in latency.values()), 1),
        "query_p95_ms_max": round(max(p95 for _, p95 in latency.values()), 1),
        "slowest_query": max(latency, key=lambda q: latency[q][0]),
        "queries_p50_p95_ms": {k: [round(a, 1), round(b, 1)] for k, (a, b) in latency.items()},
        "queries_unparameterised_ms": {k: round(v, 1) for k, v in full.items()},
        "unparameterised_max_ms": round(max(full.values()), 1) if full else "—",
        "summary": summary,
    }


def main() -> None:
    """Command line: see the module docstring."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--from-dir", type=Path, help="distinct variants of these policies instead of synthetic ones")
    ap.add_argument("--plus-variants", type=int, default=0, help="add this many variants of the policies in --of")
    ap.add_argument("--of", type=Path, nargs="+", default=[], help="folders of real policies for --plus-variants")
    ap.add_argument("--executor", choices=["processes", "dask"], default="processes")
    ap.add_argument("--json", type=Path, help="also write every figure here")
    ap.add_argument("--keep", type=Path, help="build corpora and stores in this folder and keep them")
    a = ap.parse_args()
    print(
        f"# {platform.node()} · {platform.processor() or platform.machine()} · {os.cpu_count()} cores · "
        f"Python {platform.python_version()} · {time.strftime('%Y-%m-%d')} · --jobs {a.jobs} · {a.executor}"
    )
    print(
        "| policies | MB | build s | policies/s | ms/policy | parse floor s | × floor | peak RSS MB | store MB "
        "| compacted MB "
        "| lookup p50 max ms | lookup p95 max ms | slowest lookup | full-scan max ms |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    results = []
    with tempfile.TemporaryDirectory(prefix="graphbuild-bench-") as tmp:
        work = a.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        for n in a.sizes:
            r = measure(n, a.jobs, work, a.from_dir, a.plus_variants, a.of, a.executor)
            results.append(r)
            print(
                f"| {r['policies']} | {r['corpus_mb']} | {r['build_s']} | {r['policies_per_s']} | {r['ms_per_policy']} "
                f"| {r['parse_floor_s']} | {r['ratio_to_floor']} | {r['peak_rss_mb']} | {r['store_mb']} "
                f"| {r['store_mb_compacted']} "
                f"| {r['query_p50_ms_max']} | {r['query_p95_ms_max']} | {r['slowest_query']} "
                f"| {r['unparameterised_max_ms']} |",
                flush=True,
            )
    if a.json:
        a.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
