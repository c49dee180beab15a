"""Raw structural blocks that every format parser produces before segmentation."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from graphbuild.model import BlockKind

_SPACE = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")


@dataclass
class RawBlock:
    """A block of text before it is placed in the document."""

    kind: BlockKind
    text: str
    level: int = 0
    cells: list[str] = field(default_factory=list)


def clean_inline(text: str) -> str:
    """Collapse runs of spaces (keeping line breaks) and trim each line."""
    text = text.replace("&nbsp;", " ").replace("&nbsp", " ").replace("\u00ad", "")
    if "\n" not in text and "\r" not in text:
        return _SPACE.sub(" ", text).strip()  # the common case: one line
    lines = [_SPACE.sub(" ", line).strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


# What a format parser returns: the title, the blocks, and the (text, href) of each outbound link in order.
Parsed = tuple[str, list[RawBlock], list[tuple[str, str]]]
