"""Tell the format of a text from its content, not its file name."""

from __future__ import annotations

import re

_HTML_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)
_HTML_TAG = re.compile(r"</?(?:p|div|span|a|h[1-6]|ul|ol|li|table|tr|td|br|strong|em|section|article)\b[^>]*>", re.I)
# Block-level tags: inline ones (anchors, links, <br>, emphasis) are common inside Markdown too.
_HTML_BLOCK_TAG = re.compile(r"</?(?:p|div|h[1-6]|ul|ol|li|table|tr|td|section|article)\b[^>]*>", re.I)
_MD_HEADING = re.compile(r"^#{1,6} \S", re.M)
_MD_LIST = re.compile(r"^\s{0,3}(?:[-*+]|\d+\.) \S", re.M)
_MD_LINK = re.compile(r"\[[^\]\n]+\]\([^)\s]+\)")
_MD_TABLE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*\|", re.M)
_RST_UNDERLINE = re.compile(r"^(\S[^\n]*)\n([=\-~^\"'`#*+])\2{2,}\s*$", re.M)
_RST_MARKUP = re.compile(r"^\.\. [\w-]+::|`[^`]+ <[^>]+>`_", re.M)


def sniff_format(text: str) -> str:
    """Return ``html``, ``markdown``, ``rst`` or ``text``."""
    head = text[:20_000]
    if _HTML_START.search(head):
        return "html"
    tags = len(_HTML_BLOCK_TAG.findall(head)) if len(_HTML_TAG.findall(head)) >= 5 else 0
    rst = len(_RST_UNDERLINE.findall(head)) + 2 * len(_RST_MARKUP.findall(head))
    md = (
        2 * len(_MD_HEADING.findall(head))
        + len(_MD_LINK.findall(head))
        + 2 * len(_MD_TABLE.findall(head))
        + (1 if len(_MD_LIST.findall(head)) >= 2 else 0)
    )
    # Markdown may hold inline HTML (anchors, links): it is HTML only when block tags outweigh the Markdown.
    if tags >= 5 and tags > md:
        return "html"
    if rst >= 2 and rst > md:
        return "rst"
    if md >= 2:
        return "markdown"
    return "text"
