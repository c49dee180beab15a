"""HTML → main-content blocks: drop chrome (scripts, menus, headers, footers), keep structure."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import Comment, Doctype, ProcessingInstruction

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
    """Parse HTML and return ``(title, blocks, links)`` of its main content."""
    soup = BeautifulSoup(html, "lxml")
    title = ""
    if soup.title and soup.title.string:
        title = clean_inline(soup.title.string)
    _strip_chrome(soup)
    root = soup.body or soup
    walker = _Walker()
    walker.walk(root, depth=0)
    walker.flush()
    if not title:
        first = next((b for b in walker.blocks if b.kind == "heading"), None)
        title = first.text if first else ""
    links = [
        (clean_inline(a.get_text(" ")).replace("\n", " "), str(a["href"]))
        for a in root.descendants
        if isinstance(a, Tag) and a.name == "a" and str(a.get("href", "")).startswith(("http://", "https://"))
    ]
    return title, walker.blocks, [(t, h) for t, h in links if t]


def _is_chrome(tag: Tag) -> bool:
    if tag.name in _DROP_TAGS:
        return True
    attrs = tag.attrs or {}
    if str(attrs.get("role", "")).lower() in _DROP_ROLES:
        return True
    if "hidden" in attrs or str(attrs.get("aria-hidden", "")).lower() == "true":
        return True
    style = str(attrs.get("style", "")).replace(" ", "").lower()
    if "display:none" in style or "visibility:hidden" in style:
        return True
    names: str | list[str] = attrs.get("class") or []
    if isinstance(names, str):
        names = [names]
    words: set[str] = set()
    for name in [*names, str(attrs.get("id", ""))]:
        words.update(w for w in _WORD_SPLIT.split(name.lower()) if w)
    return bool(words & _CHROME_WORDS)


def _has_block(tag: Tag) -> bool:
    """True when a block element sits anywhere inside ``tag`` (bs4's find() is much slower for this)."""
    return any(getattr(d, "name", None) in _BLOCK_TAGS for d in tag.descendants)


def _strip_chrome(soup: BeautifulSoup) -> None:
    nodes = list(soup.descendants)
    for node in nodes:
        if isinstance(node, (Comment, Doctype, ProcessingInstruction)):
            node.extract()
    doomed = [tag for tag in nodes if isinstance(tag, Tag) and _is_chrome(tag)]
    for tag in doomed:
        if tag.parent is not None:  # an ancestor may already be gone
            tag.decompose()


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

    def walk(self, node: Tag, depth: int) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                self._inline.append(str(child))
            elif isinstance(child, Tag):
                self._element(child, depth)

    def _element(self, tag: Tag, depth: int) -> None:
        name = tag.name
        if name == "br":
            self._inline.append("\n")
        elif name in _HEADINGS:
            self.flush()
            text = clean_inline(tag.get_text(" ")).replace("\n", " ")
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
                self._inline.append(" ".join(_inline_texts(tag)) if len(tag.contents) > 1 else tag.get_text())

    def _item(self, tag: Tag, depth: int) -> None:
        """A list item. Plain items become one item block; an item that wraps block content
        (collapsible panels: ``<li><span>2.4.</span><a>Data retention</a><div><p>…``) becomes a
        heading for its inline title followed by the blocks inside it."""
        block_children = [c for c in tag.children if isinstance(c, Tag) and c.name in _BLOCK_TAGS]
        inline_text = "".join(
            c.get_text() if isinstance(c, Tag) else str(c) for c in tag.children if c not in block_children
        ).strip()
        if not block_children or (
            len(block_children) == 1
            and not inline_text
            and block_children[0].name in ("p", "div")
            and not _has_block(block_children[0])
        ):
            self._inline.append(" ".join(_inline_texts(tag)))
            self.flush("item")
            return
        for child in tag.children:
            if isinstance(child, Tag) and child in block_children:
                self._flush_title()
                self._element(child, depth + 1)
            elif isinstance(child, Tag):
                self._inline.append(" " + child.get_text() + " " if child.name != "br" else "\n")
            elif isinstance(child, NavigableString):
                self._inline.append(str(child))
        self.flush("item")

    def _flush_title(self) -> None:
        """Inline text ahead of an item's block content: a title when short, else an item."""
        text = clean_inline("".join(self._inline)).replace("\n", " ")
        if text and len(text) <= 100 and text[-1] not in ".;,":
            self._inline = []
            self.blocks.append(RawBlock("heading", text, min(6, 3 + self._list_depth)))
        else:
            self.flush("item")

    def _table(self, table: Tag) -> None:
        for row in table.find_all("tr"):
            if row.find_parent("table") is not table:
                continue  # rows of nested tables are read with their own table
            cells = [
                clean_inline(c.get_text(" ")).replace("\n", " ") for c in row.find_all(["td", "th"], recursive=False)
            ]
            if any(cells):
                kind = (
                    "heading-row" if all(c.name == "th" for c in row.find_all(["td", "th"], recursive=False)) else "row"
                )
                self.blocks.append(RawBlock("row", " | ".join(cells), 1 if kind == "heading-row" else 0, cells))


_SPACE_BEFORE_PUNCT = re.compile(r"[ \t]+([,.;:!?)\]])")
_SPACE_AFTER_OPEN = re.compile(r"([(\[])[ \t]+")


def _inline_texts(tag: Tag) -> list[str]:
    """Text of a tag with adjacent elements kept apart (``<span>2.4.</span><a>Data…`` → "2.4. Data…")."""
    text = tag.get_text(" ")
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    return [_SPACE_AFTER_OPEN.sub(r"\1", text)]
