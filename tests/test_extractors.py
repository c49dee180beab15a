"""Extractors on small fixtures: first party, vendors, retention, locations, negation, guards."""

from __future__ import annotations

from graphbuild.extractors import extract
from graphbuild.extractors.first_party import first_party
from graphbuild.extractors.locations import locations
from graphbuild.extractors.retention import retention
from graphbuild.extractors.vendors import vendors
from graphbuild.ingest import parse_text
from graphbuild.model import FirstParty, Location, Retention, VendorMention, check_evidence


def doc(text: str, fmt: str = "text"):  # type: ignore[no-untyped-def]
    return parse_text("fixture.txt", text, fmt=fmt)


def test_first_party_from_refer_to_sentence() -> None:
    d = doc('Privacy Policy\n\n"Acme", "we" and "us" refer to Acme Widgets LLC and Acme Europe GmbH. We use Stripe.\n')
    [fp] = list(first_party(d))
    assert isinstance(fp, FirstParty)
    assert fp.name == "Acme"
    assert fp.legal_entities == ("Acme Widgets LLC", "Acme Europe GmbH")


def test_first_party_is_not_a_vendor_named_as_provider() -> None:
    d = doc(
        "Privacy Policy\n\nThis service is provided by Google Inc. Zorbo is committed to privacy. Zorbo uses cookies. Contact support@zorbo.io.\n"  # noqa: E501 - a regex reads best on one line
    )
    assert [f.name for f in first_party(d)] == ["Zorbo"]


def test_vendors_from_knowledge_base_and_structure() -> None:
    d = doc(
        "Privacy Policy\n\nWe use Google Analytics and hotjar to measure traffic. Payments go through Stripe. "
        "Surveys run on Fieldnote Survey (Fieldnote Labs Oy). Invoices are issued with Ledgerly Ltd.\n"
    )
    found = {(m.name, m.org) for m in vendors(d) if isinstance(m, VendorMention)}
    assert ("Google Analytics", "Google") in found
    assert ("Hotjar", "Hotjar") in found
    assert ("Stripe", "Stripe") in found
    assert ("Fieldnote Survey", "Fieldnote Labs") in found
    assert ("Ledgerly", "Ledgerly") in found


def test_vendor_negation_is_kept_as_negated() -> None:
    d = doc("Privacy Policy\n\nWe do not sell your personal data to Criteo. We use Mixpanel.\n")
    mentions = {m.name: m.negated for m in vendors(d)}
    assert mentions == {"Criteo": True, "Mixpanel": False}


def test_precision_guards() -> None:
    d = doc(
        "Privacy Policy\n\nTo block cookies in Google Chrome or Safari, open the settings. "
        "You can zoom in on the page. We comply with the GDPR and the EU-U.S. Privacy Shield. "
        'Acme Corp. ("we", "us") wrote this Privacy Policy.\n'
    )
    names = {m.name for m in vendors(d)}
    assert names == set(), names


def test_case_sensitive_names_need_their_case() -> None:
    d = doc("Privacy Policy\n\nA drift in the numbers is normal. Our support chat runs on Drift.\n")
    assert [m.name for m in vendors(d)] == ["Drift"]


def test_retention_periods_and_conditions() -> None:
    d = doc(
        "Privacy Policy\n\nWe keep log data up to 4 weeks after contract termination. "
        "Invoices are retained for six (6) years. We retain account data for as long as your account is active. "
        "Other data is kept only as long as necessary. We will respond to requests within 30 days. "
        "You must be at least 16 years old. "
        "We keep customer data for 10 years from the last event you have been registered for.\n"
    )
    found = [(r.duration, r.kind) for r in retention(d) if isinstance(r, Retention)]
    assert ("P4W", "until-event") in found and ("P6Y", "fixed") in found
    assert (None, "until-event") in found and (None, "indeterminate") in found
    assert all(r[0] not in ("P30D", "P16Y") for r in found)
    events = {r.duration: r.condition for r in retention(d) if isinstance(r, Retention)}
    assert events["P10Y"] == "from the last event you have been registered for"


def test_locations_with_kind_and_safeguard() -> None:
    d = doc(
        "Privacy Policy\n\nYour data is stored on servers in Ireland. We transfer data to the United States "
        "under standard contractual clauses. Our headquarters are in Norway. "
        "Residents of Brazil have rights under the laws of Brazil.\n"
    )
    found = {(loc.country, loc.kind, loc.safeguard) for loc in locations(d) if isinstance(loc, Location)}
    assert ("IE", "storage", None) in found
    assert ("US", "transfer", "SCC") in found
    assert ("NO", "office", None) in found
    assert not any(c == "BR" for c, _, _ in found)


def test_every_finding_quotes_the_document(samples) -> None:  # type: ignore[no-untyped-def]
    from graphbuild.ingest import load_document

    for path in sorted(samples.iterdir()):
        d = load_document(str(path))
        findings = extract(d)
        assert findings
        assert all(check_evidence(d, f.evidence) for f in findings)
