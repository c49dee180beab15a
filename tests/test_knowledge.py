"""Invariants over the whole vendor knowledge base and country gazetteer."""

from __future__ import annotations

from collections import Counter

from graphbuild.extractors.locations import country_names
from graphbuild.knowledge.vendors import knowledge_base, normalise_name


def test_size() -> None:
    assert len(knowledge_base().vendors) >= 500


def test_unique_keys_and_aliases() -> None:
    kb = knowledge_base()
    counts: Counter[str] = Counter()
    for v in kb.vendors.values():
        for alias in {normalise_name(a) for a in (v.name, *v.aliases)}:
            counts[alias] += 1
    assert [a for a, n in counts.items() if n > 1] == []


def test_every_org_and_parent_exists_and_category_is_known() -> None:
    kb = knowledge_base()
    for v in kb.vendors.values():
        assert v.org in kb.vendors, v.key
        assert v.parent is None or v.parent in kb.vendors, v.key
        assert v.category in kb.categories, v.key
        assert v.country is None or (len(v.country) == 2 and v.country.isupper()), v.key
        assert kb.organisation(v).is_organisation, v.key  # an org of a product is an organisation


def test_parent_chains_end() -> None:
    kb = knowledge_base()
    for v in kb.vendors.values():
        seen = set()
        org = kb.organisation(v)
        while org.parent:
            assert org.key not in seen, f"cycle at {org.key}"
            seen.add(org.key)
            org = kb.get(org.parent)


def test_country_codes_are_iso_alpha2() -> None:
    names = country_names()
    assert names["United Kingdom"] == "GB" and names["USA"] == "US" and names["Belarus"] == "BY"
    assert all(len(code) == 2 and code.isupper() for code in names.values())


def test_regions_are_known_countries_each_once() -> None:
    """regions.psv: unique codes, two regions, every code a country of the gazetteer."""
    from importlib import resources

    from graphbuild.knowledge.regions import needs_safeguard, outside_eea

    text = (resources.files("graphbuild.knowledge") / "regions.psv").read_text(encoding="utf-8")
    rows = [line.split("|") for line in text.splitlines() if line and not line.startswith("#")][1:]
    codes = [code for code, _ in rows]
    countries = (resources.files("graphbuild.knowledge") / "countries.psv").read_text(encoding="utf-8")
    known = {line.split("|")[0] for line in countries.splitlines() if line and not line.startswith("#")}
    assert len(codes) == len(set(codes)) and {region for _, region in rows} == {"eea", "adequacy"}
    assert set(codes) <= known, sorted(set(codes) - known)
    assert not outside_eea("DE") and not outside_eea("EU") and outside_eea("GB") and outside_eea("US")
    assert not needs_safeguard("GB") and needs_safeguard("US") and needs_safeguard("IN")
