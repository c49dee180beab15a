"""A diff of practices, not of words: what two versions of a policy say about vendors, data, purposes,
retention, countries, safeguards, rights, legal bases and denials, compared as sets of facts. A change in
wording, links or layout that leaves every fact as it was is "no change in practices"."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from graphbuild.extractors import extract
from graphbuild.extractors.common import DENIAL_OF_SALE, SAFEGUARD_MENTION
from graphbuild.knowledge.vendors import normalise_name
from graphbuild.model import Document, Finding, Location, Retention, TermMention, VendorMention

NO_CHANGE = "no change in practices"
CHANGED = "practices changed"
# kind of fact → (added kind, removed kind); the names are those of ../shared/versions/*/expected.json
_KINDS = {
    "vendor": ("vendor_added", "vendor_removed"),
    "data": ("data_added", "data_removed"),
    "purpose": ("purpose_added", "purpose_removed"),
    "country": ("country_added", "country_removed"),
    "right": ("right_added", "right_removed"),
    "legal_basis": ("legal_basis_added", "legal_basis_removed"),
    "recipient": ("recipient_added", "recipient_removed"),
    "negation": ("negation_added", "negation_removed"),
}


@dataclass(frozen=True)
class Change:
    """One changed practice, with the sentence that states it on each side (None where there is none)."""

    kind: str
    what: str
    old: str | None
    new: str | None

    def as_dict(self) -> dict[str, str | None]:
        """The JSON form: kind, what, old, new."""
        return {"kind": self.kind, "what": self.what, "old": self.old, "new": self.new}


@dataclass
class Diff:
    """The changes between two versions, and the verdict."""

    changes: list[Change] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        """'practices changed' or 'no change in practices'."""
        return CHANGED if self.changes else NO_CHANGE

    def as_dict(self) -> dict[str, object]:
        """``{"verdict": …, "changes": [{"kind", "what", "old", "new"}]}``."""
        return {"verdict": self.verdict, "changes": [c.as_dict() for c in self.changes]}


_RIGHT_SENTENCE = re.compile(
    r"\b(?:you\s+(?:also\s+)?(?:have|may\s+have)\s+(?:a|the)\s+right|right\s+to\s+(?:obtain|request|access|object|erasure|know|delete|opt))\b",
    re.I,
)
_SAME = 0.85  # word overlap above which two sentences say the same (punctuation, spacing, a link changed)
_KIN = 0.4  # word overlap above which a new sentence rewrites an old one
_REWORDED = 0.6  # share of a sentence's words found in one sentence of the other version: a rewording

Facts = dict[tuple[str, str], str]  # (kind of fact, key) → the first sentence stating it


def _first(facts: Facts, key: tuple[str, str], quote: str) -> None:
    facts.setdefault(key, quote)


def practices(findings: Iterable[Finding]) -> tuple[Facts, dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    """The facts of one version: simple facts, retention periods by data, and safeguards by country."""
    facts: Facts = {}
    retention: dict[str, dict[str, str]] = {}
    safeguards: dict[str, dict[str, str]] = {}
    for f in findings:
        quote = f.evidence.quote
        if isinstance(f, VendorMention):
            _first(facts, ("negation" if f.negated else "vendor", normalise_name(f.org) or f.org), quote)
        elif isinstance(f, TermMention):
            kind = {
                "data_categories": "data",
                "purposes": "purpose",
                "rights": "right",
                "legal_bases": "legal_basis",
                "recipients": "recipient",
            }[f.kind]
            if f.negated:
                _first(facts, ("negation", f"{kind}:{f.key}"), quote)
            else:
                _first(facts, (kind, f.key), quote)
        elif isinstance(f, Location) and not f.negated:
            _first(facts, ("country", f.country), quote)
            if f.safeguard:
                safeguards.setdefault(f.country, {}).setdefault(f.safeguard, quote)
        elif isinstance(f, Retention) and not f.negated:
            period = f.duration or f.condition or f.kind
            for key in f.data_keys or ("personal data",):
                retention.setdefault(key, {}).setdefault(period, quote)
    return facts, retention, safeguards


def _label(key: str) -> str:
    return key.replace("-", " ").replace(":", ": ")


def diff_findings(old: Iterable[Finding], new: Iterable[Finding]) -> Diff:
    """The practice changes from the findings of the old version to those of the new one."""
    old_facts, old_ret, old_safe = practices(old)
    new_facts, new_ret, new_safe = practices(new)
    changes: list[Change] = []
    for key in sorted(new_facts.keys() - old_facts.keys()):
        changes.append(Change(_KINDS[key[0]][0], f"{key[0].replace('_', ' ')} {_label(key[1])}", None, new_facts[key]))
    for key in sorted(old_facts.keys() - new_facts.keys()):
        changes.append(Change(_KINDS[key[0]][1], f"{key[0].replace('_', ' ')} {_label(key[1])}", old_facts[key], None))
    periods: dict[tuple[str | None, str | None], list[str]] = {}  # one change per pair of sentences
    for data in sorted(old_ret.keys() | new_ret.keys()):
        before, after = old_ret.get(data, {}), new_ret.get(data, {})
        if set(before) != set(after):
            gone, came = sorted(set(before) - set(after)), sorted(set(after) - set(before))
            quotes = (before[gone[0]] if gone else None, after[came[0]] if came else None)
            periods.setdefault(quotes, []).append(
                f"{_label(data)}: {', '.join(sorted(before)) or '—'} → {', '.join(sorted(after)) or '—'}"
            )
    for (old_quote, new_quote), items in periods.items():
        changes.append(Change("retention_changed", "retention of " + "; ".join(items), old_quote, new_quote))
    for country in sorted(old_safe.keys() | new_safe.keys()):
        before, after = old_safe.get(country, {}), new_safe.get(country, {})
        if set(before) != set(after):
            gone, came = sorted(set(before) - set(after)), sorted(set(after) - set(before))
            what = f"safeguard for {country}: {', '.join(sorted(before)) or '—'} → {', '.join(sorted(after)) or '—'}"
            changes.append(
                Change("safeguard_changed", what, before[gone[0]] if gone else None, after[came[0]] if came else None)
            )
    return Diff(changes)


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / max(1, min(len(a), len(b))) if a and b else 0.0


def _sentences(doc: Document, pattern: re.Pattern[str]) -> list[str]:
    return [doc.text[s.start : s.end].strip() for s in doc.sentences if pattern.search(doc.text, s.start, s.end)]


def sentence_changes(
    old: Document, new: Document, pattern: re.Pattern[str], kind: tuple[str, str, str]
) -> list[Change]:
    """Changes among the sentences ``pattern`` finds: a new sentence that no old one says the same way is
    a change (rewriting the old one it is closest to, if any); an old one no new one keeps is removed."""
    changed, added, removed = kind
    before, after = _sentences(old, pattern), _sentences(new, pattern)
    words_before = [_words(s) for s in before]
    kept: set[int] = set()
    changes: list[Change] = []
    for sentence in after:
        w = _words(sentence)
        scored = sorted(((_overlap(w, wb), i) for i, wb in enumerate(words_before)), reverse=True)
        best, at = scored[0] if scored else (0.0, -1)
        if best >= _SAME:
            kept.add(at)
            continue
        if best >= _KIN and changed:
            kept.add(at)
            changes.append(Change(changed, sentence[:120], before[at], sentence))
        else:
            changes.append(Change(added, sentence[:120], None, sentence))
    threshold = _KIN if changed else _SAME
    for i, sentence in enumerate(before):
        if i not in kept and not any(_overlap(words_before[i], _words(a)) >= threshold for a in after):
            changes.append(Change(removed, sentence[:120], sentence, None))
    return changes


def _novel(doc: Document, other: Document) -> set[int]:
    """Starts of the sentences of ``doc`` that no sentence of ``other`` comes close to (a new statement,
    not a rewording)."""
    theirs = [_words(other.text[s.start : s.end]) for s in other.sentences]
    index: dict[str, list[int]] = {}
    for i, w in enumerate(theirs):
        for word in w:
            index.setdefault(word, []).append(i)
    novel = set()
    for s in doc.sentences:
        w = _words(doc.text[s.start : s.end])
        candidates = {i for word in w for i in index.get(word, ())}
        # most of its own words must recur in one other sentence for it to be a rewording
        if not any(len(w & theirs[i]) >= _REWORDED * len(w) for i in candidates):
            novel.add(s.start)
    return novel


def _new_statements(
    old: Document, new: Document, old_findings: list[Finding], new_findings: list[Finding], found: list[Change]
) -> list[Change]:
    """Data and purposes stated in a wholly new sentence ("If you join the beta we collect your e-mail address
    to send you a log-in link") are added practices even when the same category is collected elsewhere; and
    the same for sentences that are gone."""
    reported = {(c.kind, c.what) for c in found}
    changes: list[Change] = []
    for findings, doc, other, side in ((new_findings, new, old, 0), (old_findings, old, new, 1)):
        novel = _novel(doc, other)
        for f in findings:
            if not isinstance(f, TermMention) or f.negated or f.kind not in ("data_categories", "purposes"):
                continue
            sentence = doc.sentence_at(f.evidence.start)
            if sentence is None or sentence.start not in novel or _RIGHT_SENTENCE.search(f.evidence.quote):
                continue  # data named in a right ("a right to obtain details of …") is not data collected
            kind = "data" if f.kind == "data_categories" else "purpose"
            label = _KINDS[kind][side]
            what = f"{kind} {_label(f.key)}"
            if (label, what) not in reported:
                reported.add((label, what))
                quote = f.evidence.quote
                changes.append(Change(label, what, None if side == 0 else quote, quote if side == 0 else None))
    return changes


def diff_documents(old: Document, new: Document) -> Diff:
    """The practice changes between two versions of a policy: facts compared as sets, transfer safeguards,
    denials and rights compared as sentences (what they say is not reduced to a key: "the DPA now includes
    the controller-to-controller module" changes the safeguard, not a country)."""
    old_findings, new_findings = extract(old), extract(new)
    result = diff_findings(old_findings, new_findings)
    result.changes += _new_statements(old, new, old_findings, new_findings, result.changes)
    known = {(c.kind, c.old, c.new) for c in result.changes}
    for change in [
        *sentence_changes(old, new, SAFEGUARD_MENTION, ("safeguard_changed", "safeguard_changed", "safeguard_changed")),
        # a denial is there or not: a reworded one is the old denial removed and a new one added
        *sentence_changes(old, new, DENIAL_OF_SALE, ("", "negation_added", "negation_removed")),
        *sentence_changes(old, new, _RIGHT_SENTENCE, ("", "right_added", "right_removed")),
    ]:
        if (change.kind, change.old, change.new) not in known:
            result.changes.append(change)
    result.changes = _fold_into_vendors(result.changes)
    return result


def _fold_into_vendors(changes: list[Change]) -> list[Change]:
    """A sub-processor row added or removed is one change: the purpose, data or country its own row states
    goes with the vendor ("Tines | Security management | United States" is not also a new purpose)."""
    rows = {c.new or c.old for c in changes if c.kind in ("vendor_added", "vendor_removed")}
    return [
        c
        for c in changes
        if c.kind in ("vendor_added", "vendor_removed")
        or not c.kind.startswith(("purpose", "data", "country"))
        or (c.new or c.old) not in rows
    ]
