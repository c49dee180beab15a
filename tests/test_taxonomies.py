"""Invariants over the practice taxonomies, and the practice extractors on small fixtures."""

from __future__ import annotations

import re

import pytest

from graphbuild.extractors import extract
from graphbuild.ingest import parse_text
from graphbuild.knowledge.taxonomy import TAXONOMIES, expand, taxonomy
from graphbuild.model import ChildAge, Contact, DataFlow, EffectiveDate, TermMention


@pytest.mark.parametrize("name", TAXONOMIES)
def test_keys_terms_and_synonyms_are_unique_and_parents_exist(name: str) -> None:
    tax = taxonomy(name)
    terms = list(tax.terms.values())
    assert len({t.term for t in terms}) == len(terms), "two keys map to one term"
    seen: dict[str, str] = {}
    for t in terms:
        assert re.fullmatch(r"[a-z0-9-]+", t.key)
        assert t.parent is None or t.parent in tax.terms, f"{t.key}: parent {t.parent} missing"
        assert t.key not in tax.ancestors(t.key), f"{t.key}: parent cycle"
        assert t.label and t.synonyms
        expand(t.term)  # a known prefix
        for syn in t.synonyms:
            surface = syn.lstrip("^").casefold()
            assert surface not in seen, f"synonym {syn!r} of {t.key} already belongs to {seen.get(surface)}"
            seen[surface] = t.key


def test_taxonomy_sizes() -> None:
    assert len(taxonomy("data_categories").terms) >= 40
    rights = {t.term for t in taxonomy("rights").terms.values()}
    assert {f"eu-gdpr:A{n}" for n in (15, 16, 17, 18, 20, 21, 22, 77)} | {"eu-gdpr:A7-3"} <= rights
    assert {t.term for t in taxonomy("legal_bases").terms.values()} == {f"eu-gdpr:A6-1-{c}" for c in "abcdef"}


def _found(text: str, kind: str, fmt: str = "text") -> dict[str, TermMention]:
    doc = parse_text("fixture", text, fmt=fmt)
    return {f.key: f for f in extract(doc, [kind]) if isinstance(f, TermMention)}


def test_data_categories_with_negation_and_conditions() -> None:
    found = _found(
        "We collect your email address and IP address. We do not collect biometric data. "
        "With your consent we collect precise location.",
        "data_categories",
    )
    assert not found["email"].negated and not found["ip-address"].negated
    assert found["biometric"].negated
    assert found["precise-location"].condition == "With your consent"


def test_usage_and_content_as_policies_word_them() -> None:
    found = _found(
        "Trackly records user behavior and the pages they visit. Loggr collects the IP-address and technical "
        "information. We store content you upload and your support requests.",
        "data_categories",
    )
    assert {"browsing", "ip-address", "device", "user-content", "communications"} <= set(found)


def test_contact_channel_is_not_data() -> None:
    assert "email" not in _found("If you have questions, contact us by email or e-mail us.", "data_categories")


def test_generic_words_count_only_as_list_items() -> None:
    assert "professional" not in _found("We are in a position to help.", "data_categories")
    md = "# Forms\n\nWe collect:\n\n- Name\n- Position\n- Address\n"
    assert {"name", "professional", "postal-address"} <= set(_found(md, "data_categories", "markdown"))


def test_purposes_legal_bases_rights() -> None:
    assert {"personalised-advertising", "fraud"} <= set(
        _found("We use data for targeted advertising and to prevent fraud.", "purposes")
    )
    assert set(
        _found("We rely on our legitimate interests and on your consent as the legal basis.", "legal_bases")
    ) == {"legitimate-interests", "consent"}
    # consent without a legal-basis context is a condition, not a basis
    assert "consent" not in _found("We send newsletters with your consent.", "legal_bases")
    rights = _found(
        "You may request access to your personal data, withdraw your consent at any time and "
        "lodge a complaint with a supervisory authority. We will not discriminate against you.",
        "rights",
    )
    assert {"access", "withdraw-consent", "complaint", "ccpa-non-discrimination"} <= set(rights)
    assert not any(r.negated for r in rights.values())


def test_recipient_categories_need_a_sharing_verb() -> None:
    assert {"payment-processors", "public-authorities"} <= set(
        _found(
            "We share payment data with payment processors and disclose it to law enforcement when required.",
            "recipients",
        )
    )
    assert "affiliates" not in _found("Our affiliates are listed on our website.", "recipients")
    found = _found("We do not sell your personal information to data brokers.", "recipients")
    assert found["data-brokers"].negated


def test_children_dates_contacts() -> None:
    text = (
        "Last updated: March 3, 2024. Our service is not directed to children under the age of 13. "
        "You can reach our Data Protection Officer at dpo@acme.example.org. "
        "Write to us at 12 Main Street, Springfield, USA. Contact privacy@acme.io for questions."
    )
    doc = parse_text("fixture", text, fmt="text")
    found = extract(doc, ["children", "dates", "contacts"])
    assert [f.age for f in found if isinstance(f, ChildAge)] == [13]
    assert [(f.kind, f.date) for f in found if isinstance(f, EffectiveDate)] == [("updated", "2024-03-03")]
    contacts = {(f.kind, f.value) for f in found if isinstance(f, Contact)}
    assert ("dpo-email", "dpo@acme.example.org") in contacts and ("email", "privacy@acme.io") in contacts
    assert any(k == "address" and v.startswith("12 Main Street") for k, v in contacts)


def test_no_dpo_when_denied() -> None:
    doc = parse_text("fixture", "We have not appointed a data protection officer.", fmt="text")
    assert not [f for f in extract(doc, ["contacts"]) if isinstance(f, Contact)]


def test_data_flow_joins_section_data_list_recipients_and_retention() -> None:
    md = (
        "# Contact forms\n\n## What we collect\n\nWhen you fill out a form you give us:\n\n- Name\n- Phone number\n- E-mail\n\n"  # noqa: E501 - a regex reads best on one line
        "## How we process it\n\nAll the information gathered via forms is processed by the following services:\n\n"
        "- HubSpot\n- Zendesk\n\n## Retention\n\nWe keep this data for 6 years.\n\n"
        "# Cookies\n\nWe use cookies. We share usage data with Google Analytics for analytics.\n\n"
        + "Filler sentence about nothing in particular. "
        * 200
    )
    doc = parse_text("fixture", md, fmt="markdown")
    flows = [f for f in extract(doc) if isinstance(f, DataFlow)]
    for vendor in ("HubSpot", "Zendesk"):  # each list item with the lead-in that refers to the form's data
        forms = next(f for f in flows if any(r.name == vendor for r in f.recipients))
        assert {"name", "phone", "email"} <= set(forms.data) and forms.basis == "referenced"
        assert [r.duration for r in forms.retention] == ["P6Y"]
    ga = next(f for f in flows if any(r.name == "Google Analytics" for r in f.recipients))
    assert "usage" in ga.data and "name" not in ga.data and not ga.retention
    assert "analytics" in ga.purposes


def test_right_of_access_needs_a_right_not_staff_access() -> None:
    staff = "Who has access to your personal data? Access to your personal data is limited to our support staff."
    assert "access" not in _found(staff, "rights")
    assert "access" in _found("You have the right to access your personal data.", "rights")
    assert "access" in _found("# Your rights\n\n- Access to your personal data\n- Erasure\n", "rights", "markdown")


def test_acquirers_need_a_corporate_transaction() -> None:
    firewalls = "We use high standards in the acquisition of firewalls to prevent data from being accessed."
    assert "acquirers" not in _found(firewalls, "recipients")
    assert "acquirers" in _found("In a merger or acquisition, we may transfer your data to the buyer.", "recipients")


def test_user_choices_and_disclaimers_are_not_negated_practices() -> None:
    assert not _found("If you do not wish to receive promotional emails, unsubscribe.", "purposes")["marketing"].negated
    assert not _found("We do not guarantee the absolute security of data.", "purposes")["security"].negated
    disclaimer = "We are not responsible for how service providers we share data with use it."
    assert not _found(disclaimer, "recipients")["service-providers"].negated
    assert _found("We do not use your data for marketing.", "purposes")["marketing"].negated
