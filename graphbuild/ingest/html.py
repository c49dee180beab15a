"""HTML → main-content blocks: drop chrome (scripts, menus, headers, footers), keep structure."""

from __future__ import annotations

import html as htmllib
import re

from lxml import etree
from lxml.html import HtmlElement, HTMLParser, document_fromstring

from graphbuild.ingest.blocks import Parsed, RawBlock, clean_inline

_DROP_TAGS = {
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "canvas",
    "iframe",
    "object",
    "embed",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "button",
    "select",
    "option",
    "input",
    "textarea",
    "head",
    "meta",
    "link",
    "dialog",
}
_DROP_ROLES = {"navigation", "banner", "contentinfo", "search", "menu", "menubar", "dialog", "alertdialog"}
# Class/id words of site chrome. Whole words only: "collapsible-header" wraps policy headings on
# real pages, so "header"/"footer" are left to the tags and roles above.
_CHROME_WORDS = {
    "menu",
    "menus",
    "nav",
    "navbar",
    "navigation",
    "sidenav",
    "dropdown",
    "breadcrumb",
    "breadcrumbs",
    "megamenu",
    "submenu",
    "topbar",
    "sidebar",
}
# Not "cookie", "share" or "social": ids are often slugs of policy headings ("how-we-share-data").
_WORD_SPLIT = re.compile(r"[-_\s]+")
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_BLOCK_TAGS = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "table",
    "tbody",
    "thead",
    "tfoot",
    "tr",
    "blockquote",
    "pre",
    "address",
    "figure",
    "figcaption",
    "details",
    "summary",
    "center",
    "hr",
    "body",
    "html",
    "caption",
} | set(_HEADINGS)


def html_to_blocks(html: str) -> Parsed:
    """Parse HTML and return ``(title, blocks, links)`` of its main content; a page the tree cannot hold
    (markup nested tens of thousands deep) is read as its text between tags."""
    try:
        parsed = _tree_blocks(html)
    except RecursionError:
        parsed = "", [], []
    if parsed[1] or not _TAG.sub(" ", html).strip():
        return parsed
    from graphbuild.ingest.markup import text_to_blocks

    title, blocks, links = text_to_blocks(htmllib.unescape(_TAG.sub("\n", _DROPPED_CONTENT.sub(" ", html))))
    return parsed[0] or title, blocks, links


_TAG = re.compile(r"<[^>]*>")
_DROPPED_CONTENT = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>", re.I | re.S)
# Characters XML trees cannot hold (C0 controls but tab and line ends, lone surrogates, non-characters): a
# page with one ("\x0b" after a dropped element) made lxml raise while it removed the menus.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _tree_blocks(html: str) -> Parsed:
    root = _parse(html)
    if root is None:
        return "", [], []
    title = clean_inline(root.findtext(".//title") or "")
    _strip_chrome(root)
    body = root.find("body")
    top = body if body is not None else root
    walker = _Walker()
    walker.walk(top, depth=0)
    walker.flush()
    if not title:
        first = next((b for b in walker.blocks if b.kind == "heading"), None)
        title = first.text if first else ""
    links = [
        (clean_inline(_text(a, " ")).replace("\n", " "), a.get("href", ""))
        for a in top.iter("a")
        if a.get("href", "").startswith(("http://", "https://"))
    ]
    return title, walker.blocks, [(t, h) for t, h in links if t]


def _parse(html: str) -> HtmlElement | None:
    """The document tree from libxml2's HTML parser (what BeautifulSoup's "lxml" builder drives, without
    building a second tree of Python objects: 20x faster). The text is already decoded, so it goes in as
    UTF-8 and a stale ``<meta charset>`` or XML declaration cannot re-decode it."""
    try:
        return document_fromstring(_NOT_XML.sub(" ", html).encode("utf-8"), parser=_PARSER)
    except etree.ParserError:  # nothing but comments or whitespace
        return None


_PARSER = HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)


def _text(el: HtmlElement, sep: str = "") -> str:
    """The text of an element and its descendants (not its tail)."""
    return sep.join(el.itertext())


def _is_chrome(tag: HtmlElement) -> bool:
    if tag.tag in _DROP_TAGS:
        return True
    attrs = tag.attrib
    if not attrs or tag.tag in ("html", "body"):
        return False  # classes on <body> describe the page ("has-navbar"), not a part of it
    if attrs.get("role", "").lower() in _DROP_ROLES:
        return True
    if "hidden" in attrs or attrs.get("aria-hidden", "").lower() == "true":
        return True
    style = attrs.get("style", "").replace(" ", "").lower()
    if "display:none" in style or "visibility:hidden" in style:
        return True
    words: set[str] = set()
    for name in (attrs.get("class", ""), attrs.get("id", "")):
        words.update(w for w in _WORD_SPLIT.split(name.lower()) if w)
    return bool(words & _CHROME_WORDS)


def _has_block(tag: HtmlElement) -> bool:
    """True when a block element sits anywhere inside ``tag``."""
    return any(d.tag in _BLOCK_TAGS for d in tag.iterdescendants())


def _strip_chrome(root: HtmlElement) -> None:
    doomed = [el for el in root.iter() if not isinstance(el.tag, str) or _is_chrome(el)]
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()  # keeps the text that follows the element


def _children(node: HtmlElement) -> list[HtmlElement | str]:
    """Child elements and text runs in document order (lxml keeps text as ``.text`` and ``.tail``)."""
    out: list[HtmlElement | str] = [node.text] if node.text else []
    for child in node:
        out.append(child)
        if child.tail:
            out.append(child.tail)
    return out


class _Walker:
    """Depth-first walk that turns block elements into blocks and inline runs into paragraphs."""

    def __init__(self) -> None:
        self.blocks: list[RawBlock] = []
        self._inline: list[str] = []
        self._list_depth = 0

    def flush(self, kind: str = "paragraph") -> None:
        text = clean_inline("".join(self._inline))
        self._inline = []
        if text:
            self.blocks.append(RawBlock("item" if kind == "item" else "paragraph", text, self._list_depth))

    def walk(self, node: HtmlElement, depth: int) -> None:
        if node.text:
            self._inline.append(node.text)
        for child in node:
            self._element(child, depth)
            if child.tail:
                self._inline.append(child.tail)

    def _element(self, tag: HtmlElement, depth: int) -> None:
        name = tag.tag
        if name == "br":
            self._inline.append("\n")
        elif name in _HEADINGS:
            self.flush()
            text = clean_inline(_text(tag, " ")).replace("\n", " ")
            if text:
                self.blocks.append(RawBlock("heading", text, _HEADINGS[name]))
        elif name == "table":
            self.flush()
            self._table(tag)
        elif name in ("ul", "ol", "dl"):
            self.flush()
            self._list_depth += 1
            self.walk(tag, depth + 1)
            self.flush()
            self._list_depth -= 1
        elif name in ("li", "dt", "dd"):
            self.flush()
            self._item(tag, depth)
        elif name in _BLOCK_TAGS:
            self.flush()
            self.walk(tag, depth + 1)
            self.flush()
        else:  # inline element: its text joins the current run, block children still split
            if _has_block(tag):
                self.walk(tag, depth + 1)
            else:
                self._inline.append(" ".join(_inline_texts(tag)) if len(_children(tag)) > 1 else _text(tag))

    def _item(self, tag: HtmlElement, depth: int) -> None:
        """A list item. Plain items become one item block; an item that wraps block content
        (collapsible panels: ``<li><span>2.4.</span><a>Data retention</a><div><p>…``) becomes a
        heading for its inline title followed by the blocks inside it."""
        children = _children(tag)
        block_children = [c for c in tag if c.tag in _BLOCK_TAGS]
        inline_text = "".join(
            c if isinstance(c, str) else _text(c) for c in children if isinstance(c, str) or c.tag not in _BLOCK_TAGS
        ).strip()
        if not block_children or (
            len(block_children) == 1
            and not inline_text
            and block_children[0].tag in ("p", "div")
            and not _has_block(block_children[0])
        ):
            self._inline.append(" ".join(_inline_texts(tag)))
            self.flush("item")
            return
        for child in children:
            if isinstance(child, str):
                self._inline.append(child)
            elif child.tag in _BLOCK_TAGS:
                self._flush_title()
                self._element(child, depth + 1)
            else:
                self._inline.append(" " + _text(child) + " " if child.tag != "br" else "\n")
        self.flush("item")

    def _flush_title(self) -> None:
        """Inline text ahead of an item's block content: a title when short, else an item."""
        text = clean_inline("".join(self._inline)).replace("\n", " ")
        if text and len(text) <= 100 and text[-1] not in ".;,":
            self._inline = []
            self.blocks.append(RawBlock("heading", text, min(6, 3 + self._list_depth)))
        else:
            self.flush("item")

    def _table(self, table: HtmlElement) -> None:
        for row in table.iter("tr"):
            if next(row.iterancestors("table"), None) is not table:
                continue  # rows of nested tables are read with their own table
            cell_tags = [c for c in row if c.tag in ("td", "th")]
            cells = [clean_inline(_text(c, " ")).replace("\n", " ") for c in cell_tags]
            if any(cells):
                heading_row = all(c.tag == "th" for c in cell_tags)
                self.blocks.append(RawBlock("row", " | ".join(cells), 1 if heading_row else 0, cells))


_SPACE_BEFORE_PUNCT = re.compile(r"[ \t]+([,.;:!?)\]])")
_SPACE_AFTER_OPEN = re.compile(r"([(\[])[ \t]+")


def _inline_texts(tag: HtmlElement) -> list[str]:
    """Text of a tag with adjacent elements kept apart (``<span>2.4.</span><a>Data…`` → "2.4. Data…")."""
    text = _text(tag, " ")
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    return [_SPACE_AFTER_OPEN.sub(r"\1", text)]
