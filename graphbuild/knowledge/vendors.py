"""The vendor knowledge base (``vendors.psv``) and a matcher that finds its names in text."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from graphbuild.knowledge.trie import trie_pattern

_SUFFIX = re.compile(
    r"[\s,]+(?:inc|llc|ltd|limited|corp|corporation|co|gmbh|ag|sa|sas|sarl|srl|bv|b\.v|nv|n\.v|plc|ab|as|a\.s|oy|oyj|"
    r"pty|pte|kk|se|s\.a|s\.à r\.l|ulc|lp|llp)\.?$",
    re.I,
)


def normalise_name(name: str) -> str:
    """Lower-case name without legal suffixes or punctuation: the key aliases are compared by."""
    name = name.strip().replace("’", "'").replace("&", " and ")
    name = re.sub(r"'s$", "", name)
    previous = None
    while previous != name:
        previous = name
        name = _SUFFIX.sub("", name).strip(" ,.")
    return re.sub(r"[^a-z0-9]+", " ", name.lower()).strip()


@dataclass(frozen=True)
class Vendor:
    """One knowledge-base entry: a vendor, product or organisation."""

    key: str
    name: str
    aliases: tuple[str, ...]
    org: str  # key of the organisation providing it (its own key for organisations)
    parent: str | None
    category: str
    country: str | None
    domains: tuple[str, ...]
    case_sensitive: bool
    needs_context: bool

    @property
    def is_organisation(self) -> bool:
        """True when the entry is a company rather than one of its products."""
        return self.org == self.key


class KnowledgeBase:
    """Vendors by key, and a regex matcher over every name and alias."""

    def __init__(self, vendors: list[Vendor], categories: dict[str, str]) -> None:
        self.vendors = {v.key: v for v in vendors}
        self.categories = categories
        self._by_alias: dict[str, Vendor] = {}
        surface: dict[str, Vendor] = {}
        for v in vendors:
            for alias in (v.name, *v.aliases):
                self._by_alias.setdefault(normalise_name(alias), v)
                surface.setdefault(alias, v)
        self._surface = surface
        self._by_domain: dict[str, Vendor] = {}
        for v in vendors:  # a product's own domain wins over its organisation's
            for domain in v.domains:
                if domain not in self._by_domain or self._by_domain[domain].is_organisation:
                    self._by_domain[domain.lower()] = v
        self._surface_folded = {s.casefold(): v for s, v in surface.items()}
        body = trie_pattern(surface)
        # Not inside a longer word or domain: "Googlebot" and "drift.com.evil" are not matches.
        self._pattern = re.compile(rf"(?<![\w@/.-])(?:{body})(?![\w-]|\.[a-z])", re.I)

    def get(self, key: str) -> Vendor:
        """The entry with this key."""
        return self.vendors[key]

    def lookup(self, name: str) -> Vendor | None:
        """The entry one of whose names or aliases equals ``name`` (suffixes and case ignored)."""
        return self._by_alias.get(normalise_name(name))

    def by_domain(self, host: str) -> Vendor | None:
        """The entry owning a host name (``legal.hubspot.com`` → HubSpot), by its longest known domain suffix."""
        labels = host.lower().rstrip(".").split(".")
        for i in range(len(labels) - 1):
            vendor = self._by_domain.get(".".join(labels[i:]))
            if vendor is not None:
                return vendor
        return None

    def organisation(self, vendor: Vendor) -> Vendor:
        """The organisation behind a vendor (itself for organisations)."""
        return self.vendors[vendor.org]

    def ultimate_parent(self, vendor: Vendor) -> Vendor | None:
        """The top of the vendor's organisation's ``isSubsidiaryOf`` chain, if it has a parent."""
        org = self.organisation(vendor)
        seen = {org.key}
        parent = None
        while org.parent and org.parent not in seen:
            parent = org = self.vendors[org.parent]
            seen.add(org.key)
        return parent

    def find(self, text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int, Vendor]]:
        """Yield ``(start, end, vendor)`` for each knowledge-base name in ``text[start:end]``."""
        end = len(text) if end is None else end
        for m in self._pattern.finditer(text, start, end):
            found = m.group()
            exact = self._surface.get(found)
            vendor = exact or self._surface_folded.get(found.casefold())
            if vendor is None:
                continue
            if vendor.case_sensitive and exact is None:
                continue  # "zoom in", "heap of", "drift away" are not vendors
            yield m.start(), m.end(), vendor


def _split(cell: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in cell.split(";") if p.strip())


def parse_vendors(text: str) -> list[Vendor]:
    """Parse the pipe-separated knowledge-base file."""
    rows = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    header = [h.strip() for h in rows[0].split("|")]
    vendors = []
    for line in rows[1:]:
        cells = dict(zip(header, (c.strip() for c in line.split("|")), strict=True))
        flags = set(_split(cells["flags"]))
        vendors.append(
            Vendor(
                key=cells["key"],
                name=cells["name"],
                aliases=_split(cells["aliases"]),
                org=cells["org"] or cells["key"],
                parent=cells["parent"] or None,
                category=cells["category"],
                country=cells["country"] or None,
                domains=_split(cells["domains"]),
                case_sensitive="cs" in flags,
                needs_context="ctx" in flags,
            )
        )
    return vendors


@lru_cache(maxsize=1)
def knowledge_base() -> KnowledgeBase:
    """The packaged vendor knowledge base (loaded once per process)."""
    folder = resources.files("graphbuild.knowledge")
    vendors = parse_vendors(folder.joinpath("vendors.psv").read_text(encoding="utf-8"))
    categories = json.loads(folder.joinpath("categories.json").read_text(encoding="utf-8"))
    return KnowledgeBase(vendors, categories)
