"""Blocks → Document: drop repeated copies, lay out the text, find sections and sentences."""

from __future__ import annotations

import hashlib
import re

from graphbuild.ingest.blocks import RawBlock
from graphbuild.model import Block, Document, Link, Section, Sentence

_NUMBER_ONLY = re.compile(r"^\d+(?:\.\d+)*\.?$")
_NORM = re.compile(r"[\W_]+")

# Words that end with a period without ending a sentence ("Google Inc. is", "e.g. cookies").
_ABBREVIATIONS = {
    "inc",
    "ltd",
    "co",
    "corp",
    "llc",
    "plc",
    "gmbh",
    "ag",
    "sa",
    "sas",
    "srl",
    "bv",
    "nv",
    "ab",
    "oy",
    "as",
    "pty",
    "pte",
    "lp",
    "llp",
    "e.g",
    "i.e",
    "etc",
    "vs",
    "cf",
    "approx",
    "no",
    "nos",
    "mr",
    "mrs",
    "ms",
    "dr",
    "st",
    "str",
    "ave",
    "rd",
    "jr",
    "sr",
    "u.s",
    "u.k",
    "e.u",
    "a.s",
    "s.a",
    "b.v",
    "n.v",
    "s.r.l",
    "art",
    "sec",
    "para",
    "fig",
    "ref",
    "dept",
    "tel",
    "ph",
    "fax",
    "incl",
    "esp",
    "viz",
    "resp",
    "min",
    "max",
}
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9•])|[.!?]+[\"'”’)\]]*$|\n+")
_LAST_WORD = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")


def normalise(text: str) -> str:
    """Lower-case words only: the key used to recognise a repeated block."""
    return _NORM.sub(" ", text.lower()).strip()


def deduplicate(blocks: list[RawBlock]) -> list[RawBlock]:
    """Drop blocks repeated under the same heading, and headings whose whole section was a repeat.

    Policy pages often hold the policy several times (a side panel, the main column, a modal).
    A block is a repeat when its text was already seen under a heading with the same text; a
    section whose blocks are all repeats goes with its heading.
    """
    seen: set[tuple[str, str]] = set()
    seen_headings: set[str] = set()
    keep = [True] * len(blocks)
    context = ""
    heading_like: list[bool] = []
    for i, block in enumerate(blocks):
        norm = normalise(block.text)
        is_heading = block.kind == "heading" or (
            _NUMBER_ONLY.match(block.text.strip()) is not None and block.kind == "paragraph"
        )
        heading_like.append(is_heading)
        if is_heading:
            if _NUMBER_ONLY.match(block.text.strip()) and i + 1 < len(blocks):
                norm = normalise(block.text + " " + blocks[i + 1].text)  # "2.1." then its title
            context = norm
            keep[i] = norm not in seen_headings
            seen_headings.add(norm)
            continue
        key = (context, norm)
        if key in seen or (len(norm) >= 60 and ("", norm) in seen):
            keep[i] = False
        seen.add(key)
        if len(norm) >= 60:
            seen.add(("", norm))  # a long paragraph repeated anywhere is a repeat
    # A repeated heading stays when anything new follows it before the next heading.
    for i in range(len(blocks)):
        if heading_like[i] and not keep[i]:
            j = i + 1
            while j < len(blocks) and not heading_like[j]:
                if keep[j]:
                    keep[i] = True
                    break
                j += 1
    return [b for b, k in zip(blocks, keep, strict=True) if k]


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans in ``text[start:end]`` (a rule-based splitter aware of abbreviations)."""
    spans: list[tuple[int, int]] = []
    pos = start
    chunk = text[start:end]
    for match in _SENTENCE_END.finditer(chunk):
        cut = start + match.end()
        if match.group().startswith("."):
            word = _LAST_WORD.search(text[pos : start + match.start() + 1])
            if word and (word.group(1).lower() in _ABBREVIATIONS or len(word.group(1)) == 1):
                continue  # "Inc.", "e.g.", "A." do not end sentences
        _add_span(text, pos, cut, spans)
        pos = cut
    _add_span(text, pos, end, spans)
    return spans


def _add_span(text: str, a: int, b: int, spans: list[tuple[int, int]]) -> None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if b > a:
        spans.append((a, b))


def build_document(
    source: str,
    raw_text: str,
    fmt: str,
    encoding: str,
    title: str,
    raw: list[RawBlock],
    links: list[tuple[str, str]] | None = None,
) -> Document:
    """Lay out deduplicated blocks as one text and index its sections and sentences."""
    parts: list[str] = []
    blocks: list[Block] = []
    offset = 0
    for rb in deduplicate(raw):
        text = rb.text.strip()
        if not text:
            continue
        cells: tuple[tuple[int, int], ...] = ()
        if rb.kind == "row" and rb.cells:
            spans = []
            cursor = offset
            for cell in rb.cells:
                found = text.find(cell, cursor - offset) if cell else -1
                if found >= 0:
                    spans.append((offset + found, offset + found + len(cell)))
                    cursor = offset + found + len(cell)
                else:
                    spans.append((cursor, cursor))
            cells = tuple(spans)
        blocks.append(Block(rb.kind, offset, offset + len(text), rb.level, cells))
        parts.append(text)
        offset += len(text) + 2
    text = "\n\n".join(parts)
    sections = _sections(text, blocks)
    sentences: list[Sentence] = []
    for index, block in enumerate(blocks):
        if block.kind in ("heading", "row"):
            sentences.append(Sentence(block.start, block.end, index))
            continue
        for a, b in split_sentences(text, block.start, block.end):
            sentences.append(Sentence(a, b, index))
    sha = hashlib.sha256(raw_text.encode("utf-8")).hexdigest()
    return Document(
        source=source,
        text=text,
        sha256=sha,
        title=title.strip(),
        format=fmt,
        encoding=encoding,
        blocks=tuple(blocks),
        sections=tuple(sections),
        sentences=tuple(sentences),
        links=_place_links(text, links or []),
        _sentence_starts=tuple(s.start for s in sentences),
    )


def _place_links(text: str, links: list[tuple[str, str]]) -> tuple[Link, ...]:
    """Find each link's text in the laid-out text, in document order (links in removed chrome are dropped)."""
    placed: list[Link] = []
    cursor = 0
    for label, href in links:
        label = " ".join(label.split())
        at = text.find(label, cursor) if label else -1
        if at < 0:
            continue
        placed.append(Link(at, at + len(label), href))
        cursor = at + len(label)
    return tuple(placed)


def _sections(text: str, blocks: list[Block]) -> list[Section]:
    sections: list[Section] = []
    headings = [(i, b) for i, b in enumerate(blocks) if b.kind == "heading"]
    for n, (_, block) in enumerate(headings):
        end = len(text)
        for _, later in headings[n + 1 :]:
            if later.level <= block.level:
                end = later.start
                break
        sections.append(Section(text[block.start : block.end], block.level, block.start, end))
    return sections
