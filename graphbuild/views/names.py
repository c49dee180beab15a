"""Stable, safe file names for pages about a company, organisation or document."""

from __future__ import annotations

import hashlib
import re


def page_name(prefix: str, name: str) -> str:
    """``prefix-slug-hash.html`` for a page about ``name`` (the hash keeps similar names apart)."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40] or "x"
    return f"{prefix}-{slug}-{hashlib.sha1(name.encode('utf-8', 'surrogateescape')).hexdigest()[:6]}.html"
