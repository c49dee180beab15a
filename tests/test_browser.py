"""The HTML views in a real headless Chromium with host-name resolution cut off: the graph is drawn,
the console stays clean, hostile names stay text. Screenshots are kept in out/screenshots/."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphbuild.cli import main
from graphbuild.ingest import parse_text
from graphbuild.model import FirstParty, VendorMention
from graphbuild.store import open_store
from graphbuild.triples import document_iri, document_quads

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "out" / "screenshots"
EVIL_VENDOR = "<img src=x onerror=alert(1)>"
EVIL_COMPANY = "<script>alert(2)</script>Evil Co"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--window-size=1280,800",
    "--virtual-time-budget=20000",
]


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.fail("headless Chromium is needed for the view tests (Debian package 'chromium'; .ci/run installs it)")
    return found


def _run(page: Path, profile: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    args = [
        _chromium(),
        *FLAGS,
        f"--user-data-dir={profile}",
        "--enable-logging=stderr",
        "--v=0",
        *extra,
        page.as_uri(),
    ]
    return subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)


def _console(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


def _pixels(png: bytes) -> list[tuple[int, int, int]]:
    """RGB pixels of an 8-bit, non-interlaced RGB or RGBA PNG (what Chromium writes)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    channels = 3
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos : pos + 8])
        body = png[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, _, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in (2, 6) and interlace == 0
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw, stride = zlib.decompress(idat), width * channels
    rows: list[bytearray] = []
    prev = bytearray(stride)
    for i in range(0, len(raw), stride + 1):
        kind, line = raw[i], bytearray(raw[i + 1 : i + 1 + stride])
        for x in range(stride):
            a = line[x - channels] if x >= channels else 0
            b, c = prev[x], prev[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + a) & 255
            elif kind == 2:
                line[x] = (line[x] + b) & 255
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return [tuple(r[x : x + 3]) for r in rows for x in range(0, stride, channels)]  # type: ignore[misc]


SAMPLES = ROOT.parent / "shared" / "policies"


@pytest.fixture(scope="module")
def views(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The five sample policies, the examples, and a document with hostile names, viewed."""
    if not SAMPLES.is_dir():
        pytest.fail(f"the sample policies are needed for the view tests: {SAMPLES} is missing")
    base = tmp_path_factory.mktemp("views")
    db = str(base / "store")
    r = CliRunner().invoke(main, ["build", str(SAMPLES), str(ROOT / "examples"), "--db", db])
    assert r.exit_code == 0, r.output
    text = f"# Policy\n\n{EVIL_COMPANY} shares data with {EVIL_VENDOR} for analytics.\n"
    doc = parse_text("evil.md", text, fmt="markdown")
    s = doc.sentences[-1]
    ev = doc.evidence(s.start, s.end, "vendors", "1")
    findings = [
        FirstParty(evidence=doc.evidence(s.start, s.end, "first_party", "1"), name=EVIL_COMPANY),
        VendorMention(evidence=ev, name=EVIL_VENDOR, org=EVIL_VENDOR, category="analytics"),
    ]
    store = open_store(db)
    store.replace_graph(document_iri(doc.source), document_quads(doc, findings))
    store.close()
    out = base / "html"
    r = CliRunner().invoke(main, ["view", "--db", db, "--out", str(out)])
    assert r.exit_code == 0, r.output
    return out


def _pages(out: Path) -> list[Path]:
    return sorted(out.glob("*.html"))


def _altoros(out: Path, prefix: str) -> Path:
    [page] = [p for p in out.glob(f"{prefix}-altoros-*.html")]
    return page


def test_pages_are_offline_small_and_escape_names(views: Path) -> None:
    pages = _pages(views)
    assert (views / "index.html").exists() and len(pages) > 20
    total = sum(p.stat().st_size for p in views.rglob("*") if p.is_file())
    assert total < 5_000_000, f"{total} bytes"
    for page in pages:
        source = page.read_text(encoding="utf-8")
        for ref in re.findall(r"<(?:script|link)\b[^>]*(?:src|href)=\"([^\"]+)\"", source):
            assert ref.startswith("assets/") and (views / ref).is_file(), (page.name, ref)
        assert EVIL_VENDOR not in source and "<script>alert(2)" not in source, page.name
    assert (views / "assets" / "vis-network.min.js").stat().st_size > 100_000  # written once, shared


def test_every_page_opens_with_a_clean_console(views: Path, tmp_path: Path) -> None:
    for n, page in enumerate(_pages(views)):
        result = _run(page, tmp_path / f"profile-{n}", "--dump-dom")
        assert "<body" in result.stdout, page.name
        assert not _console(result.stderr), f"{page.name}: {_console(result.stderr)}"
        assert '<img src="x"' not in result.stdout and 'onerror="alert' not in result.stdout, page.name
        if page.name.startswith("graph-") or page.name == "overview.html":
            assert 'data-drawn="yes"' in result.stdout and "<canvas" in result.stdout, page.name


def test_the_altoros_data_map_has_no_overlapping_labels(views: Path, tmp_path: Path) -> None:
    result = _run(_altoros(views, "map"), tmp_path / "profile", "--dump-dom")
    assert 'data-overlaps="0"' in result.stdout
    assert result.stdout.count('class="label"') > 60  # the whole map is drawn, not a stub


def test_index_and_reports_show_hostile_names_as_text(views: Path, tmp_path: Path) -> None:
    result = _run(views / "index.html", tmp_path / "profile", "--dump-dom")
    assert "&lt;img src=x onerror=alert(1)&gt;" in result.stdout
    assert "&lt;script&gt;alert(2)&lt;/script&gt;Evil Co" in result.stdout
    assert not _console(result.stderr)


def test_report_rows_link_to_their_sentence_in_the_policy(views: Path) -> None:
    report = _altoros(views, "company").read_text(encoding="utf-8")
    links = set(re.findall(r'href="(text-[0-9a-f]+\.html)#(at-\d+)"', report))
    assert len(links) > 20
    page, anchor = sorted(links)[0]
    assert f'id="{anchor}"' in (views / page).read_text(encoding="utf-8")


def test_screenshots_of_the_report_map_vendor_page_and_index(views: Path, tmp_path: Path) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    chosen = {
        "altoros-report.png": _altoros(views, "company"),
        "altoros-data-map.png": _altoros(views, "map"),
        "vendor-google.png": next(views.glob("vendor-google-*.html")),
        "index.png": views / "index.html",
    }
    for n, (name, page) in enumerate(chosen.items()):
        shot = SHOTS / name
        shot.unlink(missing_ok=True)
        _run(page, tmp_path / f"profile-{n}", f"--screenshot={shot}")
        pixels = _pixels(shot.read_bytes())
        ink = sum(1 for p in pixels if sum(p) < 600)
        assert ink > 2000, f"{name}: the page looks empty"
    pixels = _pixels((SHOTS / "altoros-data-map.png").read_bytes())
    purple = sum(1 for p in pixels if abs(p[0] - 0x94) < 12 and abs(p[1] - 0x67) < 12 and abs(p[2] - 0xBD) < 12)
    assert purple > 100, purple  # data-category dots are drawn
