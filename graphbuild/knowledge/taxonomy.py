"""Practice taxonomies (data categories, purposes, legal bases, rights, recipient categories) as data files."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

from graphbuild.knowledge.trie import trie_pattern
from graphbuild.vocab import PREFIXES

TAXONOMIES = ("data_categories", "purposes", "legal_bases", "rights", "recipients")


@dataclass(frozen=True)
class Term:
    """One taxonomy entry: a key, the vocabulary term it maps to, and the phrases that state it."""

    key: str
    term: str  # a CURIE such as pd:EmailAddress or eu-gdpr:A15
    parent: str | None
    label: str
    synonyms: tuple[str, ...]
    requires: re.Pattern[str] | None  # the sentence must also match this, when set

    @property
    def iri(self) -> str:
        """The term as a full IRI."""
        return expand(self.term)


def expand(curie: str) -> str:
    """``pd:EmailAddress`` → ``https://w3id.org/dpv/pd#EmailAddress``."""
    prefix, _, local = curie.partition(":")
    if prefix not in PREFIXES or not local:
        raise ValueError(f"unknown prefix in {curie!r}")
    return PREFIXES[prefix] + local


@dataclass(frozen=True)
class Match:
    """A synonym found in a text: where, and which term."""

    start: int
    end: int
    term: Term
    anchored: bool  # the synonym is only valid at the start of a list item or table cell


class Taxonomy:
    """The terms of one taxonomy and a matcher over all their synonyms (longest first)."""

    def __init__(self, name: str, terms: list[Term]) -> None:
        self.name = name
        self.terms = {t.key: t for t in terms}
        surface: dict[str, tuple[Term, bool]] = {}
        for t in terms:
            for syn in t.synonyms:
                anchored = syn.startswith("^")
                surface.setdefault(syn.lstrip("^").casefold(), (t, anchored))
        self._surface = surface
        alternation = trie_pattern(surface)
        self._pattern = re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])", re.I)

    def find(self, text: str) -> Iterator[Match]:
        """Every synonym in ``text``, without overlaps."""
        for m in self._pattern.finditer(text):
            term, anchored = self._surface[m.group(0).casefold()]
            yield Match(m.start(), m.end(), term, anchored)

    def ancestors(self, key: str) -> list[str]:
        """The keys above ``key``, nearest first."""
        out: list[str] = []
        parent = self.terms[key].parent
        while parent and parent not in out:
            out.append(parent)
            parent = self.terms[parent].parent
        return out


def _parse(name: str, text: str) -> list[Term]:
    terms = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("|", 5)
        if len(parts) < 5:
            raise ValueError(f"{name}.psv line {n}: expected at least 5 fields")
        key, term, parent, label, synonyms = (p.strip() for p in parts[:5])
        requires = re.compile(parts[5].strip(), re.I) if len(parts) > 5 and parts[5].strip() else None
        syns = tuple(s.strip() for s in synonyms.split(";") if s.strip())
        terms.append(Term(key, term, parent or None, label, syns, requires))
    return terms


@cache
def taxonomy(name: str) -> Taxonomy:
    """Load one of :data:`TAXONOMIES` from the package's data files."""
    if name not in TAXONOMIES:
        raise KeyError(name)
    text = resources.files("graphbuild.knowledge.taxonomies").joinpath(f"{name}.psv").read_text("utf-8")
    return Taxonomy(name, _parse(name, text))
