"""Facts to trust on real policies: the first party as a decision over signals, clause-level data flows,
retention tied to its data, vendor precision — each on a small team-written fixture of a real shape."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from graphbuild.cli import main
from graphbuild.extractors import extract
from graphbuild.extractors.first_party import first_party
from graphbuild.extractors.retention import retention
from graphbuild.extractors.vendors import vendors
from graphbuild.ingest import parse_text
from graphbuild.model import DataFlow, Document, FirstParty, TermMention


def md(text: str, source: str = "fixture.md") -> Document:
    return parse_text(source, text, fmt="markdown")


def flows(doc: Document) -> dict[str, set[str]]:
    """Recipient name → data keys, over every flow of the document."""
    out: dict[str, set[str]] = {}
    for f in extract(doc):
        if isinstance(f, DataFlow):
            for r in f.recipients:
                out.setdefault(r.name, set()).update(f.data)
    return out


# --- first party -------------------------------------------------------------------------------------------


def test_generic_words_regulators_and_vendors_are_not_the_first_party() -> None:
    text = (
        "# Privacy policy\n\nBelow is an overview of our practices. Consent matters to us. Can we help?\n\n"
        "You may complain to the ICO. This service is provided by Google Inc.\n\n"
        "The controller is Orbwell GmbH, Hauptstrasse 1, Berlin. Orbwell uses your data carefully.\n"
    )
    [fp] = list(first_party(md(text)))
    assert isinstance(fp, FirstParty) and fp.name == "Orbwell"
    assert "definition" in fp.reasons and fp.confidence == "high"


def test_title_and_source_name_name_a_sub_processor_list() -> None:
    text = (
        "---\ntitle: Quillby Subprocessors\n---\n\nQuillby engages these subprocessors.\n\n"
        "| Subprocessor | Purpose |\n|---|---|\n| Stripe | Payments |\n"
    )
    [fp] = list(first_party(md(text, "pages/quillby-subprocessors.md")))
    assert fp.name == "Quillby" and {"title", "source name"} <= set(fp.reasons)


def test_lower_case_brand_from_the_source_name() -> None:
    text = "# Privacy questions\n\nThis notice describes how zipple, Inc. collects data. zipple stores logs.\n"
    assert [f.name for f in first_party(md(text, "zipple-privacy-archived.md"))] == ["zipple"]


def test_build_company_and_manifest_name_the_first_party(tmp_path: Path) -> None:
    policy = tmp_path / "p.md"
    policy.write_text("# Privacy Policy\n\nWe use Stripe for payments.\n", encoding="utf-8")
    db = str(tmp_path / "db")
    run = CliRunner().invoke
    assert run(main, ["build", str(policy), "--db", db, "--company", "Plumtree Ltd"]).exit_code == 0
    r = run(main, ["query", "companies", "--db", db, "--format", "json"])
    assert '"company": "Plumtree Ltd"' in r.output and '"confidence": "given"' in r.output
    manifest = tmp_path / "m.csv"
    manifest.write_text("source,company,url,date\np.md,Sorrel Labs,https://sorrel.example/privacy,2024-05-01\n")
    r = run(main, ["build", "--manifest", str(manifest), "--db", db])
    assert r.exit_code == 0 and "built 1" in r.output, r.output  # a changed company rebuilds the document
    assert '"company": "Sorrel Labs"' in run(main, ["query", "companies", "--db", db, "--format", "json"]).output
    manifest.write_text("source,company\np.md\n")
    r = run(main, ["build", "--manifest", str(manifest), "--db", db])
    assert r.exit_code != 0 and "m.csv:2: expected source,company" in r.output


# --- data flows at the level of the clause -----------------------------------------------------------------


def test_a_section_heading_alone_joins_nothing() -> None:
    text = (
        "# Sharing\n\nWe collect your payment details, your location and your job title when you order.\n\n"
        "We advertise with Facebook, Google Ads and LinkedIn to reach new customers.\n"
    )
    found = flows(md(text))
    for platform in ("Facebook", "Google Ads", "LinkedIn"):
        assert not {"financial", "location", "professional"} & found.get(platform, set()), found


def test_sub_processor_rows_join_their_own_data_or_implied_data() -> None:
    text = (
        "# Subprocessors\n\n| Name | Purpose | Location |\n|---|---|---|\n"
        "| Postwick | Newsletter delivery | US |\n| Bugnest | Error tracking | DE |\n"
        "| Tallyfin | Payment processing; receives card details | IE |\n"
    )
    doc = md(text)
    found = flows(doc)
    assert found["Postwick"] == {"email"}
    assert {"usage", "ip-address"} <= found["Bugnest"]
    assert "payment-card" in found["Tallyfin"]
    basis = {r.name: f.basis for f in extract(doc) if isinstance(f, DataFlow) for r in f.recipients}
    assert basis["Postwick"] == "implied" and basis["Tallyfin"] == "stated"


def test_text_pasted_from_another_policy_is_not_a_flow_of_everything() -> None:
    text = (
        "# Messages\n\nWe collect your name, e-mail address, phone number, IP address and browsing history.\n\n"
        "By signing up you agree to receive text messages from Twitter.\n"
    )
    # the categories collected in the sentence before do not reach Twitter (at most what "text messages" implies)
    assert not {"name", "email", "ip-address", "browsing"} & flows(md(text)).get("Twitter", set())


def test_denied_data_is_never_a_positive_category() -> None:
    text = "# Security\n\nWe never access or store your passwords.\n"
    terms = [f for f in extract(md(text)) if isinstance(f, TermMention) and f.key == "password"]
    assert terms and all(t.negated for t in terms)


def test_role_notes_in_a_list_of_vendors_give_each_its_own_data() -> None:
    text = (
        "# What we collect\n\nWe collect your name, e-mail address and IP address.\n\n"
        "# Sharing\n\nWe may share your personal data with providers. In particular, Amazon Web Services (hosting "
        "services), Mailchimp (email and newsletters), Rollbar (error tracking), Skype (Privacy Policy) and Zoom.\n"
    )
    found = flows(md(text))
    assert {"name", "email", "ip-address"} <= found["Amazon Web Services"]  # hosting holds all data collected
    assert found["Mailchimp"] == {"email"}
    assert {"usage", "ip-address"} <= found["Rollbar"] and "name" not in found["Rollbar"]
    assert "name" not in found.get("Skype", set())  # a link to its policy is not a role


def test_a_general_reference_outside_hosting_stays_in_its_part() -> None:
    text = (
        "# Account\n\nWe collect your date of birth and payment card number.\n\n"
        "# Plug-ins\n\nSocial plug-ins of LinkedIn may access some of your personal data.\n\n"
        "# Hosting\n\nWe use Heroku for the purpose of hosting your data.\n"
    )
    found = flows(md(text))
    assert not found.get("LinkedIn")  # its part lists no data, and the whole policy is not its data
    assert {"date-of-birth", "payment-card"} <= found["Heroku"]


def test_legal_bases_qualifications_and_table_headers_are_not_data() -> None:
    def data(text: str) -> set[str]:
        return {f.key for f in extract(md(text)) if isinstance(f, TermMention) and f.kind == "data_categories"}

    assert "interests" not in data("# Basis\n\nWe process logs to protect our legitimate interests.\n")
    assert "education" not in data("# Careers\n\nWhen you apply, we check your qualifications.\n")
    assert "education" in data("# Careers\n\nWhen you apply, we collect your CV and education.\n")
    table = "# Cookies\n\n| Name | Location | Purpose |\n|---|---|---|\n| sid | Frankfurt | sign-in |\n"
    assert not {"name", "location"} & data(table)


def test_markdown_with_inline_html_anchors_stays_markdown() -> None:
    from graphbuild.ingest.sniff import sniff_format

    text = "".join(f'<a id="s{i}"></a>\n## Part {i}\n\nSee <a href="#s{i}">here</a>.\n\n' for i in range(6))
    assert sniff_format(text) == "markdown"
    doc = parse_text("policy.md", text)
    assert [s.heading for s in doc.sections][:2] == ["Part 0", "Part 1"] and "<a" not in doc.text


# --- retention tied to its data -----------------------------------------------------------------------------


def test_retention_names_the_data_of_its_clause_never_a_heading() -> None:
    text = (
        "# Data retention period\n\nWe keep server logs with IP addresses for 30 days.\n\n"
        "Support tickets are deleted within 90 days.\n\nWe respond to requests within 30 days.\n"
    )
    found = {(r.duration, r.data) for r in retention(md(text))}
    keys = {r.duration: set(r.data_keys) for r in retention(md(text))}
    assert ("P30D", "server logs, IP addresses") in found and keys["P30D"] == {"usage", "ip-address"}  # as worded
    assert any(d == "P90D" and "ticket" in data.lower() for d, data in found)
    assert all("retention period" not in data.lower() for _, data in found)
    assert len([d for d, _ in found if d == "P30D"]) == 1  # the response deadline is not retention


def test_this_data_refers_to_the_data_listed_in_its_part() -> None:
    text = (
        "# Contact forms\n\n## What we collect\n\n- Name\n- E-mail\n\n"
        "## Retention\n\nWe keep this data for 6 years.\n\n"
        "# Cookies\n\nWe use cookies.\n\n" + "Filler about other things. " * 100
    )
    [r] = [r for r in retention(md(text)) if r.duration == "P6Y"]
    assert {"name", "email"} <= set(r.data_keys)


# --- vendor precision ---------------------------------------------------------------------------------------


def test_policy_history_licences_and_reader_tools_are_not_vendors() -> None:
    text = (
        "# Changes\n\nYou can view the history of changes to this policy on GitHub.\n\n"
        "This policy is licensed under the Creative Commons Attribution ShareAlike License.\n\n"
        "If you install a browser extension such as Privacy Badger, trackers are blocked.\n\n"
        "We use Stripe to process payments.\n"
    )
    assert {m.name for m in vendors(md(text))} == {"Stripe"}


def test_parent_company_and_short_alias_inside_a_longer_name() -> None:
    text = (
        "# Providers\n\nOur code is hosted by Kettlebyte, an Idera, Inc. company.\n\n"
        "Donations in crypto go through The Giving Block.\n\nSee III above and VII below.\n"
    )
    found = {m.name: m.org for m in vendors(md(text))}
    assert found.get("Kettlebyte") == "Idera" and "An Idera" not in found and "Idera" not in found
    assert "Block" not in found and "The Giving Block" in found
    assert not {"III", "VII"} & set(found)


def test_pages_on_a_code_host_file_formats_and_policy_copies_are_not_vendors() -> None:
    text = (
        "# Notes\n\nRead the [Pendle documentation](https://github.com/pendle/docs) for details.\n\n"
        "Exports come in standard [JSON](https://www.json.org/) format.\n\n"
        "You can get a copy of this Privacy Policy on [GitHub](https://github.com/acme/legal).\n\n"
        "## Creative Commons Sharealike License\n\nWe use [Stripe](https://stripe.com) to process payments.\n"
    )
    assert {m.name for m in vendors(md(text))} == {"Stripe"}


def test_own_products_listed_by_the_first_party_are_not_vendors() -> None:
    text = (
        "# Privacy\n\nThis policy covers all products built and maintained by Fennix LLC including Drumroll, "
        'Hatchway and Ledgerline (together, "Fennix").\n\nYou can connect Drumroll to your Gmail account. '
        "Our vendors help us provide our services (like Stripe).\n"
    )
    names = {m.name for m in vendors(md(text))}
    assert not {"Drumroll", "Hatchway", "Ledgerline"} & names
    bought = "# Buying\n\nWhen you use our Services (like Quickpurse) to buy from a third party, we keep a receipt.\n"
    assert "Quickpurse" not in {m.name for m in vendors(md(bought))}
    assert {"Gmail", "Stripe"} <= names


def test_legal_entities_stay_on_one_line() -> None:
    text = '# Quillby Privacy Notice\n\nQuillby Inc. ("Quillby", "we") runs this service.\n'
    [fp] = list(first_party(md(text)))
    assert fp.name == "Quillby" and fp.legal_entities == ("Quillby Inc",)


def test_implied_data_reads_common_wordings_of_a_role() -> None:
    from graphbuild.knowledge.implied import implied_data

    assert "email" in implied_data("Postwick sends out the marketing emails you might receive from us.")
    assert "account" in implied_data("Facebook, LinkedIn and GitHub (social logins)")
    assert not implied_data("Postwick is a company in Oslo.")
