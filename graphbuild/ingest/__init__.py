"""Ingest: read files, folders and URLs into Documents (text, sections, sentences, sha256)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from graphbuild.errors import IngestError
from graphbuild.ingest.html import html_to_blocks
from graphbuild.ingest.markup import markdown_to_blocks, rst_to_blocks, text_to_blocks
from graphbuild.ingest.preamble import split_front_matter, strip_template_tags
from graphbuild.ingest.read import decode, is_url, read_source
from graphbuild.ingest.segment import build_document, split_sentences
from graphbuild.ingest.sniff import sniff_format
from graphbuild.model import Document

__all__ = ["load_document", "parse_text", "expand_sources", "split_sentences", "sniff_format"]

_PARSERS = {"html": html_to_blocks, "markdown": markdown_to_blocks, "rst": rst_to_blocks, "text": text_to_blocks}
_SCHEME = re.compile(r"^[A-Za-z][\w+.-]*://")
_SKIP_DIRS = {".git", ".hg", ".svn", "__pycache__", "node_modules", ".venv"}


def parse_text(source: str, text: str, encoding: str = "utf-8", fmt: str | None = None) -> Document:
    """Make a Document from already-decoded text (format sniffed when not given)."""
    front_title, body = split_front_matter(text)
    body = strip_template_tags(body)
    fmt = fmt or sniff_format(body)
    title, blocks, links = _PARSERS[fmt](body)
    title = front_title or title
    if not blocks:
        raise IngestError(source, f"no text found in this {fmt} document")
    return build_document(source, text, fmt, encoding, title, blocks, links)


def load_document(source: str) -> Document:
    """Read, decode, sniff, clean and segment one file or URL."""
    raw = read_source(source)
    text, encoding = decode(raw)
    return parse_text(source, text, encoding)


def expand_sources(paths: Iterable[str]) -> Iterator[str]:
    """Yield files (directories walked recursively, sorted) and URLs; a missing path raises."""
    for given in paths:
        if is_url(given):
            yield given
            continue
        if _SCHEME.match(given):
            raise IngestError(given, "not an http(s) URL: only web pages are fetched")
        path = Path(given)
        if path.is_dir():
            found = 0
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
                        found += 1
                        yield str(Path(root) / name)
            if not found:
                raise IngestError(given, "no files in this folder")
        elif path.exists():
            yield str(path)
        else:
            raise IngestError(given, "no such file or directory")
