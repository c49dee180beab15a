"""Where GDPR transfer rules stand for a country: inside the EEA, a third country with an adequacy decision,
or a third country without one (regions.psv)."""

from __future__ import annotations

from functools import cache
from importlib import resources

# Region codes the extractors use for the EU as a whole.
_EU_REGIONS = {"EU", "EEA"}


@cache
def _regions() -> dict[str, str]:
    text = (resources.files("graphbuild.knowledge") / "regions.psv").read_text(encoding="utf-8")
    rows = [line.split("|") for line in text.splitlines() if line and not line.startswith("#")]
    return {code: region for code, region in rows[1:]}


def outside_eea(code: str) -> bool:
    """True for a third country (any country outside the EEA, adequacy or not)."""
    return code not in _EU_REGIONS and _regions().get(code) != "eea"


def needs_safeguard(code: str) -> bool:
    """True for a third country without an EU adequacy decision."""
    return outside_eea(code) and _regions().get(code) != "adequacy"
