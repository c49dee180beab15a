"""The pairs of companies that share most of their vendors: exact top-k Jaccard similarity over the sets of
organisations each company reaches, without comparing every pair (5·10⁹ of them at 100,000 companies).

Each company's organisations are ordered rarest first. A pair with Jaccard similarity at least ``t`` shares at
least ``α = ⌈t·|x|⌉`` organisations, and then the first ``|x| − α + m`` of each set hold the ``m`` rarest
organisations they share (the pigeonhole argument behind prefix filtering). So every such pair meets under
one index key that both sets generate:

- the two rarest shared organisations (``m = 2``), for most pairs;
- the three rarest (``m = 3``) when those two are both common (Google with Microsoft: an index entry that
  would list a quarter of the corpus); a pair with only two shared then has sets small enough (at most
  ``2/t`` each) that small sets always generate the two-organisation keys as well;
- the one shared organisation (``m = 1``) between sets of at most ``1/t``.

The threshold ``t`` is the k-th best similarity found so far: it only rises, and a lower threshold only makes
the prefixes longer, so an index entry written earlier never misses a pair, and the result is exact."""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import compress, repeat
from operator import ge

# Two common organisations make a key of three when this many companies are expected to hold both.
_HEAVY_PAIR = 50.0


@dataclass(frozen=True)
class Similarity:
    """Two companies and the organisations they both share data with (Jaccard over organisations)."""

    company_a: str
    company_b: str
    jaccard: float
    shared: tuple[str, ...]


def _ceil(x: float) -> int:
    """Ceiling that forgives floating-point noise (0.6 × 5 is 3.0000000000000004)."""
    return int(-(-round(x, 9) // 1))


class _Keys:
    """The index keys of one set of organisation ranks (rarest first) at threshold ``t``."""

    def __init__(self, share: Sequence[float], companies: int) -> None:
        self.share, self.companies = share, companies

    def __call__(self, x: tuple[int, ...], t: float) -> list[tuple[int, ...]]:
        size = len(x)
        keys: list[tuple[int, ...]] = []
        if t == 0 or size <= 1 / t:
            keys += [(w,) for w in x]
        small = t == 0 or size <= 2 / t
        two = min(size, size - max(2, _ceil(t * size)) + 2)
        three = min(size, size - max(3, _ceil(t * size)) + 3)
        for i in range(two):
            for j in range(i + 1, two):
                a, b = x[i], x[j]
                heavy = self.share[a] * self.share[b] * self.companies > _HEAVY_PAIR
                if small or not heavy:
                    keys.append((a, b))
                if heavy:
                    keys += [(a, b, c) for c in x[j + 1 : three]]
        return keys


def top_pairs(reaches: dict[str, set[str]], top: int) -> list[Similarity]:
    """The ``top`` pairs of companies by Jaccard similarity of the organisations they reach (ties by number
    shared, then by name), exactly as comparing every pair would rank them."""
    sets = {company: frozenset(orgs) for company, orgs in reaches.items() if orgs}
    frequency: dict[str, int] = defaultdict(int)
    for orgs in sets.values():
        for org in orgs:
            frequency[org] += 1
    order = sorted(frequency, key=lambda o: (frequency[o], o))
    rank = {org: i for i, org in enumerate(order)}
    companies = sorted(sets)
    records = [tuple(sorted(rank[o] for o in sets[c])) for c in companies]
    tokens = [frozenset(r) for r in records]
    keys_of = _Keys([frequency[o] / len(sets) for o in order] if sets else [], len(sets))
    index: dict[tuple[int, ...], list[int]] = defaultdict(list)
    found: list[tuple[float, int, int]] = []
    best: list[float] = []  # the ``top`` best similarities so far (a min-heap): its least is the threshold
    t = 0.0
    for xi, x in enumerate(records):
        keys = keys_of(x, t)
        candidates: set[int] = set()
        for key in keys:
            if key in index:
                candidates.update(index[key])
        ys = list(candidates)
        # the intersections are counted in C; only pairs sharing at least t·|x| are looked at in Python
        overlaps = list(map(len, map(tokens[xi].intersection, map(tokens.__getitem__, ys))))
        for yi, shared in compress(
            zip(ys, overlaps, strict=True), map(ge, overlaps, repeat(max(1, _ceil(t * len(x)))))
        ):
            jaccard = shared / (len(x) + len(records[yi]) - shared)
            if jaccard >= t:
                found.append((jaccard, yi, xi))
                (heapq.heappush if len(best) < top else heapq.heappushpop)(best, jaccard)
                t = best[0] if len(best) >= top else 0.0
        for key in keys:
            index[key].append(xi)
    rows = []
    for jaccard, yi, xi in found:
        if jaccard >= t:
            a, b = companies[yi], companies[xi]
            rows.append(Similarity(a, b, round(jaccard, 4), tuple(sorted(sets[a] & sets[b]))))
    rows.sort(key=lambda r: (-r.jaccard, -len(r.shared), r.company_a, r.company_b))
    return rows[:top]
