"""Markdown, reStructuredText and plain text → blocks."""

from __future__ import annotations

import re
from collections.abc import Callable

from graphbuild.ingest.blocks import Parsed, RawBlock, clean_inline

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^(\s*)(?:[-*+•●▪◦‣·]|\d{1,2}[.)]|[a-z][.)])\s+(.*)$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_MD_LINK_TARGET = re.compile(r"(?<!!)\[([^\]\n]+)\]\((https?://[^)\s]+)[^)\n]*\)")
_MD_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")
_MD_EMPH = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")
# Inline HTML inside Markdown ('<a id="sharing"></a>', '<a href="…">here</a>', '<br>'): the text stays, tags go.
_INLINE_TAG = re.compile(r"</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>")
_RST_UNDERLINE = re.compile(r"^([=\-~^\"'`#*+])\1{2,}\s*$")
_RST_LINK = re.compile(r"`([^`<]+?)\s*<[^>]+>`_{1,2}")
_RST_ROLE = re.compile(r":[\w-]+:`([^`]+)`")
_NUMBERED_HEADING = re.compile(r"^(?:\d+(?:\.\d+)*\.?|[IVX]+\.)\s+[A-Z][^.!?]{2,80}$")


def _md_inline(text: str) -> str:
    text = _MD_LINK.sub(r"\1", _INLINE_TAG.sub(" ", text))
    text = _MD_EMPH.sub(r"\2", text)
    return clean_inline(text)


def markdown_to_blocks(text: str) -> Parsed:
    """Parse Markdown into blocks (headings, paragraphs, list items, table rows)."""
    blocks: list[RawBlock] = []
    para: list[str] = []
    lines = text.splitlines()

    def flush() -> None:
        if para:
            joined = _md_inline(" ".join(para))
            if joined:
                blocks.append(RawBlock("paragraph", joined))
            para.clear()

    in_code = False
    for i, line in enumerate(lines):
        if line.strip().startswith("```"):
            flush()
            in_code = not in_code
            continue
        if in_code:
            continue
        heading = _MD_HEADING.match(line)
        if heading:
            flush()
            blocks.append(RawBlock("heading", _md_inline(heading.group(2)), len(heading.group(1))))
            continue
        if i + 1 < len(lines) and line.strip() and re.fullmatch(r"\s*(=+|-+)\s*", lines[i + 1]) and not para:
            blocks.append(RawBlock("heading", _md_inline(line), 1 if "=" in lines[i + 1] else 2))
            continue
        if re.fullmatch(r"\s*(=+|-+)\s*", line) and blocks and blocks[-1].kind == "heading":
            continue
        if (
            "|" in line
            and line.strip().startswith("|")
            or ("|" in line and i + 1 < len(lines) and _TABLE_RULE.match(lines[i + 1]))
        ):
            flush()
            if _TABLE_RULE.match(line):
                continue
            cells = [_md_inline(c) for c in line.strip().strip("|").split("|")]
            is_head = i + 1 < len(lines) and bool(_TABLE_RULE.match(lines[i + 1]))
            blocks.append(RawBlock("row", " | ".join(cells), 1 if is_head else 0, cells))
            continue
        if _TABLE_RULE.match(line):
            continue
        _line_block(line, blocks, para, flush)
    flush()
    title = next((b.text for b in blocks if b.kind == "heading"), "")
    return title, blocks, [(m.group(1), m.group(2)) for m in _MD_LINK_TARGET.finditer(text)]


def rst_to_blocks(text: str) -> Parsed:
    """Parse reStructuredText into blocks; heading levels follow the order underlines appear."""
    blocks: list[RawBlock] = []
    para: list[str] = []
    styles: list[str] = []
    lines = text.splitlines()

    def flush() -> None:
        if para:
            joined = clean_inline(_RST_ROLE.sub(r"\1", _RST_LINK.sub(r"\1", " ".join(para))).replace("**", ""))
            if joined:
                blocks.append(RawBlock("paragraph", joined))
            para.clear()

    skip = 0
    for i, line in enumerate(lines):
        if skip:
            skip -= 1
            continue
        if line.startswith(".. "):
            flush()
            continue
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if line.strip() and _RST_UNDERLINE.match(nxt) and len(nxt.strip()) >= len(line.strip()) - 1:
            flush()
            style = nxt.strip()[0]
            if style not in styles:
                styles.append(style)
            blocks.append(RawBlock("heading", clean_inline(line), min(styles.index(style) + 1, 6)))
            skip = 1
            continue
        if _RST_UNDERLINE.match(line):
            continue  # overline of a title
        _line_block(_RST_ROLE.sub(r"\1", _RST_LINK.sub(r"\1", line)).replace("**", ""), blocks, para, flush)
    flush()
    title = next((b.text for b in blocks if b.kind == "heading"), "")
    return title, blocks, []


def text_to_blocks(text: str) -> Parsed:
    """Plain text: blank lines separate paragraphs, bullets make items, short title-like lines headings."""
    blocks: list[RawBlock] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            joined = clean_inline(" ".join(para))
            if joined:
                blocks.append(RawBlock("paragraph", joined))
            para.clear()

    for line in text.splitlines():
        stripped = line.strip()
        # A heading may follow a paragraph directly when that paragraph is one long line (many
        # policies are saved one paragraph per line) or ends with punctuation; hard-wrapped text
        # (lines under ~90 characters) needs a blank line first.
        ends_para = not para or para[-1][-1:] in ".:;!?" or len(para[-1]) > 90 or "@" in para[-1][-40:]
        if stripped and ends_para and _looks_like_heading(stripped):
            flush()
            blocks.append(RawBlock("heading", clean_inline(stripped), 2))
            continue
        _line_block(line, blocks, para, flush, newline_ends_paragraph=True)
    flush()
    title = next((b.text for b in blocks if b.kind == "heading"), "")
    return title, blocks, []


def _looks_like_heading(line: str) -> bool:
    """A short line without closing punctuation, in title case or numbered, reads as a heading."""
    if len(line) > 80 or line[-1] in ".,;:!?)":
        return False
    if _NUMBERED_HEADING.match(line):
        return True
    if _BULLET.match(line):
        return False
    words = re.findall(r"[A-Za-z][\w'’-]*", line)
    if not words or len(words) > 12:
        return False
    if line.isupper():
        return True
    small = {
        "a",
        "an",
        "and",
        "as",
        "at",
        "by",
        "for",
        "from",
        "in",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
        "we",
        "you",
        "your",
        "our",
        "us",
        "do",
        "is",
        "how",
        "what",
        "who",
        "why",
        "when",
        "where",
        "which",
        "about",
        "has",
        "have",
    }
    capitalised = sum(1 for w in words if w[0].isupper() or w.lower() in small)
    return line[0].isupper() and (capitalised == len(words) or len(words) <= 7)


def _line_block(
    line: str, blocks: list[RawBlock], para: list[str], flush: Callable[[], None], newline_ends_paragraph: bool = False
) -> None:
    stripped = line.strip()
    if not stripped:
        flush()
        return
    bullet = _BULLET.match(line)
    if bullet:
        flush()
        depth = len(bullet.group(1).expandtabs(4)) // 2 + 1
        blocks.append(RawBlock("item", clean_inline(_md_inline(bullet.group(2))), depth))
        return
    if blocks and blocks[-1].kind == "item" and not para and line[:1].isspace():
        blocks[-1].text = f"{blocks[-1].text} {clean_inline(stripped)}"  # continuation of a list item
        return
    if newline_ends_paragraph and para and para[-1].rstrip()[-1:] in ".:;!?":
        flush()  # plain-text policies often put one paragraph per line with no blank line between
    para.append(stripped)
