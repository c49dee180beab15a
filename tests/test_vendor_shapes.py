"""Vendors outside the knowledge base, found by structure, and the guards that keep non-vendors out."""

from __future__ import annotations

from graphbuild.extractors import extract
from graphbuild.ingest import parse_text
from graphbuild.model import Location, VendorMention

SUBPROCESSORS_HTML = """<html><head><title>Sub-processors | Zentrix</title>
<script>var x = "Evil Corp Inc.";</script></head>
<body><nav><a href="/">Home</a> <a href="/pricing">Pricing</a></nav>
<main><h1>Zentrix sub-processors</h1>
<p>Zentrix GmbH ("Zentrix", "we") engages the following sub-processors to provide the service.</p>
<table><thead><tr><th>Entity name</th><th>Processing activities</th><th>Corporate location</th></tr></thead>
<tbody>
<tr><td>Brightwave Hosting B.V.</td><td>Cloud hosting</td><td>Netherlands</td></tr>
<tr><td>Quorvia, Inc.</td><td>Transactional e-mail delivery</td><td>United States</td></tr>
<tr><td>Pellucid Labs</td><td>Customer support chat</td><td>Canada</td></tr>
<tr><td>Zentrix Inc.</td><td>Support (affiliate)</td><td>United States</td></tr>
</tbody></table>
<h2>Other tools</h2><p>We use the following third-party services:</p>
<ul><li>Tallyfox – survey software</li><li>Nimbleset (product analytics)</li><li>Google Chrome</li></ul>
</main><footer>© Zentrix</footer></body></html>"""


def _vendors(text: str, fmt: str) -> dict[str, VendorMention]:
    doc = parse_text("fixture", text, fmt=fmt)
    return {f.name: f for f in extract(doc, ["vendors"]) if isinstance(f, VendorMention)}


def test_subprocessor_table_rows_and_location_column() -> None:
    doc = parse_text("fixture", SUBPROCESSORS_HTML, fmt="html")
    found = extract(doc, ["vendors", "locations"])
    vendors = {f.name: f for f in found if isinstance(f, VendorMention)}
    assert {"Brightwave Hosting", "Quorvia", "Pellucid Labs", "Tallyfox", "Nimbleset"} <= set(vendors)
    assert vendors["Brightwave Hosting"].category == "hosting"
    assert vendors["Quorvia"].category == "email"
    assert vendors["Nimbleset"].category == "analytics"
    # the first party's own entity, the browser, the script and the header row are not vendors
    assert not {"Zentrix", "Google Chrome", "Evil Corp", "Entity name"} & set(vendors)
    assert {"NL", "US", "CA"} <= {f.country for f in found if isinstance(f, Location)}


def test_such_as_provided_by_we_use() -> None:
    text = (
        "Payments are processed by Kestrel Pay. We use Orbitly to schedule posts. "
        "We rely on providers such as Fennix, Lumio and Corvane for billing."
    )
    assert {"Kestrel Pay", "Orbitly", "Fennix", "Lumio", "Corvane"} <= set(_vendors(text, "text"))


def test_guards_laws_regulators_documents_generic_nouns() -> None:
    text = (
        "This Privacy Policy is provided by the General Data Protection Regulation. "
        "We use the EU-U.S. Data Privacy Framework to transfer data. We rely on partners such as Google Analytics "
        "and Hosting Providers. Complaints are handled by the Information Commissioner's Office. "
        "Data is processed by Standard Contractual Clauses. We use Cookies to remember you."
    )
    found = set(_vendors(text, "text"))
    assert found == {"Google Analytics"}


def test_search_engine_examples_are_not_recipients() -> None:
    text = "Search engines (e.g., Google, Yahoo, or Bing) may index our public pages."
    assert not _vendors(text, "text")


def test_negated_structural_vendor() -> None:
    found = _vendors("We do not use Orbitly to track you.", "text")
    assert found["Orbitly"].negated


def test_list_items_need_vendor_context() -> None:
    md = "# What we collect\n\nWe collect:\n\n- Contact Details\n- History of our communication\n- What do we collect it for?\n"  # noqa: E501 - a regex reads best on one line
    assert not _vendors(md, "markdown")


def test_such_as_lists_that_run_on_in_lower_case_are_not_names() -> None:
    text = (
        "We share data with third parties such as First name and last name holders. We may disclose data to "
        "third parties in these cases: Business Transfers."
    )
    assert not _vendors(text, "text")


FIXTURES = __import__("pathlib").Path(__file__).parent / "fixtures"


def test_generated_template_policy() -> None:
    """The capitalised defined terms of generated policies ('Service Provider', 'Usage Data') are not vendors."""
    from graphbuild.ingest import load_document
    from graphbuild.model import ChildAge, FirstParty

    doc = load_document(str(FIXTURES / "template-policy.md"))
    found = extract(doc)
    assert [f.name for f in found if isinstance(f, FirstParty)] == ["Acmeo Labs"]
    vendors = {f.name for f in found if isinstance(f, VendorMention)}
    assert {"Google Analytics", "Matomo", "Stripe", "PayPal", "Paddle"} <= vendors
    assert vendors <= {"Google Analytics", "Google", "Matomo", "Stripe", "PayPal", "Paddle"}
    assert [f.age for f in found if isinstance(f, ChildAge)] == [13]


LINKS_HTML = """<html><body><main><h1>Acme privacy policy</h1>
<p>Acme Inc. ("Acme", "we") runs acme.com. Read the <a href="https://acme.com/terms">Acme Terms</a>.</p>
<p>Chat is handled by Zephyrion (<a href="https://zephyrion.io/legal/privacy">Privacy Policy</a>).</p>
<p>Our CRM keeps your requests (<a href="https://legal.hubspot.com/privacy-policy">see our CRM's policy</a>).</p>
<p>Learn how to opt out at <a href="https://www.youronlinechoices.eu/">Your Online Choices</a> or
<a href="https://ico.org.uk/">Information Commissioner</a>.</p>
<ul><li><a href="https://quillby.com/privacy">Quillby</a> stores invoices.</li></ul>
</main></body></html>"""


def test_outbound_links_name_vendors() -> None:
    found = _vendors(LINKS_HTML, "html")
    assert {"Zephyrion", "HubSpot", "Quillby"} <= set(found)
    assert not {"Acme", "Acme Terms", "Your Online Choices", "Information Commissioner"} & set(found)
    assert found["HubSpot"].kb_key == "hubspot"


def test_browser_help_and_app_store_links_are_not_vendors() -> None:
    html = (
        "<html><body><main><h1>Cookies</h1><p>To block cookies see "
        "<a href='https://support.google.com/chrome/answer/95647'>this guide</a> or "
        "<a href='https://support.apple.com/guide/safari/sfri11471'>that one</a>. Get the app on "
        "<a href='https://play.google.com/store/apps/details?id=x'>the store</a>.</p></main></body></html>"
    )
    assert not _vendors(html, "html")
