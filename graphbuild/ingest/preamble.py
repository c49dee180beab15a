"""What comes before or around a policy's text: YAML front matter and template tags.

Policies kept in site generators start with front matter ("---\\ntitle: Acme Privacy Policy\\n---") whose
title names the document better than its first heading, and pages kept as server templates carry Jinja,
Liquid or ERB tags ("{% block content %}", "{{ content_metadata(...) }}", "<% if ... %>") that are markup,
not text."""

from __future__ import annotations

import re

_FRONT_MATTER = re.compile(r"\A\ufeff?\s*---[ \t]*\r?\n((?:[^\n]*\n){0,60}?)---[ \t]*(?:\r?\n|\Z)")
_KEY_LINE = re.compile(r"^[\w-]+\s*:", re.M)
_TITLE = re.compile(r"^title\s*:\s*(.+?)\s*$", re.M | re.I)
# Template statements and expressions: "{% … %}", "{{ … }}", "{# … #}", "<% … %>" (possibly spanning lines).
_TEMPLATE = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}|<%.*?%>", re.S)


def split_front_matter(text: str) -> tuple[str, str]:
    """``(title, text without front matter)``; the title is '' when the front matter names none."""
    m = _FRONT_MATTER.match(text)
    if not m or not _KEY_LINE.search(m.group(1)):
        return "", text
    title = _TITLE.search(m.group(1))
    value = title.group(1).strip("\"' ") if title else ""
    # Keep the line count, so that the rest of the text lines up with the original for a reader.
    return value, "\n" * m.group(0).count("\n") + text[m.end() :]


def strip_template_tags(text: str) -> str:
    """Remove template tags, keeping line breaks ('{% block %}' lines become blank lines)."""
    if "{%" not in text and "{{" not in text and "<%" not in text and "{#" not in text:
        return text
    return _TEMPLATE.sub(lambda m: "\n" * m.group(0).count("\n"), text)
