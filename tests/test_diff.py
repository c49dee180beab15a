"""`graphbuild diff` against real policy version pairs with their expected changes (../shared/versions), and
team-written pairs: a diff of practices, not of words.

Matching rule: a reported change matches an expected one when the kinds are equal and, on the old or the new
side, one quote contains the other or they share at least half the words of the shorter one."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphbuild.cli import main
from graphbuild.diff import CHANGED, NO_CHANGE, Change, diff_documents
from graphbuild.ingest import load_document, parse_text

VERSIONS = Path(__file__).resolve().parent.parent.parent / "shared" / "versions"


def _words(text: str | None) -> set[str]:
    return set(re.findall(r"\w+", (text or "").lower()))


def matches(expected: dict[str, str | None], got: Change) -> bool:
    if expected["kind"] != got.kind:
        return False
    for e, g in ((expected.get("old_quote"), got.old), (expected.get("new_quote"), got.new)):
        if e and g:
            we, wg = _words(e), _words(g)
            if e in g or g in e or len(we & wg) >= 0.5 * min(len(we), len(wg)):
                return True
    return False


def test_version_pairs_recall_and_precision() -> None:
    if not VERSIONS.is_dir():
        pytest.fail(f"the version pairs are needed for this test: {VERSIONS} is missing")
    expected_total = found = reported = right = 0
    for pair in sorted(p for p in VERSIONS.iterdir() if (p / "expected.json").exists()):
        expected = json.loads((pair / "expected.json").read_text(encoding="utf-8"))
        result = diff_documents(load_document(str(pair / "old.md")), load_document(str(pair / "new.md")))
        wanted = expected["practice_changes"]
        if expected["editorial_only"]:
            assert result.verdict == NO_CHANGE, (pair.name, result.changes)
        else:
            assert result.verdict == CHANGED, pair.name
        expected_total += len(wanted)
        found += sum(any(matches(e, g) for g in result.changes) for e in wanted)
        reported += len(result.changes)
        right += sum(any(matches(e, g) for e in wanted) for g in result.changes)
    recall, precision = found / expected_total, right / reported
    assert recall >= 0.8 and precision >= 0.8, (recall, precision)


def _doc(text: str):  # type: ignore[no-untyped-def]
    return parse_text("policy.md", text, fmt="markdown")


BASE = (
    "# Privacy\n\nWe collect your name and e-mail address to provide the service.\n\n"
    "## Providers\n\n- [Stripe](https://stripe.com). Payment processing.\n"
    "- [Zendesk](https://zendesk.com). Help desk.\n\n"
    "## Retention\n\nWe keep support tickets for 90 days.\n\nWe do not sell your personal data.\n"
)


def test_rewording_links_and_layout_are_no_change() -> None:
    reworded = (
        BASE.replace("We collect your name and e-mail address", "We collect your  name and e-mail address")
        .replace("https://stripe.com", "https://stripe.com/privacy")
        .replace("- [Zendesk]", "* [Zendesk]")
    )
    assert diff_documents(_doc(BASE), _doc(reworded)).verdict == NO_CHANGE


def test_practice_changes_have_their_kinds_and_sentences() -> None:
    changed = (
        BASE.replace(
            "- [Zendesk](https://zendesk.com). Help desk.\n", "- [Intercom](https://intercom.com). Live chat.\n"
        )
        .replace("90 days", "2 years")
        .replace("We do not sell your personal data.\n", "")
    )
    result = diff_documents(_doc(BASE), _doc(changed))
    kinds = {(c.kind, c.what) for c in result.changes}
    assert ("vendor_added", "vendor intercom") in kinds and ("vendor_removed", "vendor zendesk") in kinds
    retention = [c for c in result.changes if c.kind == "retention_changed"]
    assert retention and "90 days" in (retention[0].old or "") and "2 years" in (retention[0].new or "")
    assert any(c.kind == "negation_removed" and "do not sell" in (c.old or "") for c in result.changes)


def test_cli_diff_json_shape(tmp_path: Path) -> None:
    (tmp_path / "old.md").write_text(BASE)
    (tmp_path / "new.md").write_text(BASE.replace("Stripe", "Adyen").replace("stripe.com", "adyen.com"))
    r = CliRunner().invoke(main, ["diff", str(tmp_path / "old.md"), str(tmp_path / "new.md"), "--format", "json"])
    data = json.loads(r.stdout)
    assert data["verdict"] == CHANGED
    assert {"kind", "what", "old", "new"} == set(data["changes"][0])
    assert {c["kind"] for c in data["changes"]} >= {"vendor_added", "vendor_removed"}
    md = CliRunner().invoke(main, ["diff", str(tmp_path / "old.md"), str(tmp_path / "old.md"), "--format", "markdown"])
    assert md.output.strip() == f"**{NO_CHANGE}**"
