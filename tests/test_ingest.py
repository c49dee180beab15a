"""Ingest: format sniffing, encodings, HTML cleaning, segmentation and bad input."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from graphbuild.errors import IngestError
from graphbuild.ingest import expand_sources, load_document, parse_text, sniff_format, split_sentences


def test_sniff_by_content_not_extension() -> None:
    assert sniff_format("<!DOCTYPE html><html><body><p>x</p></body></html>") == "html"
    assert sniff_format("# Title\n\nSome text with a [link](http://x.example).\n\n## Part\n") == "markdown"
    assert sniff_format("Title\n=====\n\nText.\n\nPart\n----\n\n.. note:: hi\n") == "rst"
    assert sniff_format("Privacy Policy\n\nWe collect your name.\n") == "text"


def test_html_page_named_txt_is_read_as_html(samples: Path) -> None:
    doc = load_document(str(samples / "002_34080cc2245de10f.txt"))
    assert doc.format == "html"
    assert "Kubernetes Support" not in doc.text  # menus are dropped
    assert doc.text.count("Hotjar (Hotjar Ltd.)") == 1  # the policy is on the page three times
    assert 30_000 < len(doc.text) < 60_000
    assert any(s.heading.startswith("2.4") for s in doc.sections)


def test_html_drops_chrome_and_keeps_structure() -> None:
    page = (
        "<html><head><title>T</title><script>var x='Stripe';</script><style>p{}</style></head><body>"
        "<nav><a>Home</a><a>Zendesk login</a></nav><header>Site header</header>"
        "<h1>Policy</h1><p>We use <b>Stripe</b> for payments.</p><ul><li>Name</li><li>E-mail</li></ul>"
        "<table><tr><th>Vendor</th><th>Country</th></tr><tr><td>Intercom</td><td>Ireland</td></tr></table>"
        "<footer>Copyright</footer></body></html>"
    )
    doc = parse_text("t.html", page)
    assert "Site header" not in doc.text and "Home" not in doc.text and "Copyright" not in doc.text
    assert "var x" not in doc.text
    kinds = [b.kind for b in doc.blocks]
    assert kinds.count("item") == 2 and kinds.count("row") == 2 and kinds[0] == "heading"
    row = [b for b in doc.blocks if b.kind == "row"][1]
    assert [doc.text[a:b] for a, b in row.cells] == ["Intercom", "Ireland"]


def test_html_declarations_comments_and_page_classes() -> None:
    """An XML declaration naming another charset does not re-decode the text; comments split no words;
    a class on <body> describes the page, so the body is never taken for a menu."""
    page = (
        '<?xml version="1.0" encoding="iso-8859-1"?><html><head><meta charset="windows-1252"></head>'
        '<body class="has-navbar"><p>Caf\u00e9 data is kept by Gel<!-- x -->ato Ltd.</p>'
        '<div class="sidebar">Related posts</div></body></html>'
    )
    doc = parse_text("t.html", page)
    assert doc.text == "Caf\u00e9 data is kept by Gelato Ltd."
    with pytest.raises(IngestError, match="no text"):
        parse_text("c.html", "<html><!-- only a comment --></html>")


def test_sentences_do_not_split_on_abbreviations() -> None:
    text = "Hotjar Ltd. is used, e.g. for heat maps. See section 5.1.4 below. Altoros A.S. is our office. Done."
    spans = [text[a:b] for a, b in split_sentences(text, 0, len(text))]
    assert spans == [
        "Hotjar Ltd. is used, e.g. for heat maps.",
        "See section 5.1.4 below.",
        "Altoros A.S. is our office.",
        "Done.",
    ]


def test_sentences_are_offsets_into_text(samples: Path) -> None:
    for path in sorted(samples.iterdir()):
        doc = load_document(str(path))
        assert doc.sentences
        for s in doc.sentences:
            block = doc.blocks[s.block]
            assert block.start <= s.start < s.end <= block.end


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"])
def test_encodings(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "p.txt"
    path.write_bytes("Privacy Policy\n\nWe keep your café orders for 2 years.\n".encode(encoding))
    doc = load_document(str(path))
    assert "café orders" in doc.text


def test_utf16_without_bom(tmp_path: Path) -> None:
    path = tmp_path / "p.txt"
    path.write_bytes("Privacy Policy\n\nWe use Stripe.\n".encode("utf-16-le"))
    assert "We use Stripe." in load_document(str(path)).text
    assert codecs.BOM_UTF16_LE not in path.read_bytes()[:2]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b"   \n\n  ", "empty file"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        (bytes(range(256)) * 8, "binary"),
    ],
)
def test_bad_input_is_one_clear_error(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(IngestError) as err:
        load_document(str(path))
    assert reason in err.value.reason and str(path) in str(err.value)


def test_missing_path() -> None:
    with pytest.raises(IngestError, match="no such file"):
        list(expand_sources(["/nonexistent/policy.txt"]))


def test_directories_are_walked_recursively_and_sorted(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text("x")
    (tmp_path / "a.md").write_text("x")
    (tmp_path / ".hidden").write_text("x")
    assert [Path(p).name for p in expand_sources([str(tmp_path)])] == ["a.md", "z.txt"]


def test_markdown_and_rst_structure() -> None:
    md = parse_text("m.md", "# Acme Privacy\n\nIntro.\n\n## Vendors\n\n- **Stripe** for payments\n- Sentry\n")
    assert [s.heading for s in md.sections] == ["Acme Privacy", "Vendors"]
    assert "Stripe for payments" in md.text
    rst = parse_text(
        "r.rst",
        "Acme Privacy\n============\n\nIntro text here.\n\nVendors\n-------\n\nWe use `Stripe <https://stripe.com>`_.\n",
    )
    assert rst.format == "rst"
    assert [s.level for s in rst.sections] == [1, 2]
    assert "We use Stripe." in rst.text
