"""Compile a large set of phrases into one regex shaped like a trie, so matching costs one pass over the
text instead of one attempt per phrase at every position (Python's re does not factor alternations)."""

from __future__ import annotations

import re
from collections.abc import Iterable

_END = ""


def trie_pattern(phrases: Iterable[str]) -> str:
    """A regex source matching any of ``phrases`` (compare lower-cased; compile with re.I), preferring the
    longest phrase at a position, like an alternation sorted longest first."""
    root: dict[str, dict] = {}
    for phrase in phrases:
        if not phrase:
            continue
        node = root
        for ch in phrase.lower():
            node = node.setdefault(ch, {})
        node[_END] = {}
    return _emit(root) or "(?!)"


def _emit(node: dict[str, dict]) -> str:
    ends = _END in node
    branches = [re.escape(ch) + _emit(child) for ch, child in sorted(node.items()) if ch != _END]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends:  # a phrase may stop here, but a longer one is tried first (greedy ?)
        return f"(?:{body})?"
    return body
