"""The pairs of companies that share most of their vendors: exact top-k Jaccard similarity over the sets of
organisations each company reaches, without comparing every pair (5·10⁹ of them at 100,000 companies).

Each company's organisations are ordered rarest first. A pair with Jaccard similarity at least ``t`` shares at
least ``α = ⌈t·|x|⌉`` organisations, and then the first ``|x| − α + m`` of each set hold the ``m`` rarest
organisations they share (the pigeonhole argument behind prefix filtering). So every such pair meets under
one index key that both sets generate from their prefixes:

- the rarest shared organisation alone, when it is rare (an invented vendor a few companies name);
- else the two rarest shared, or the three rarest when those two are common together (Google with
  Microsoft: a key that would list a quarter of the corpus);
- a pair sharing fewer organisations than its key has can only reach ``t`` between sets of at most
  ``m/t`` organisations, so such small sets also generate the shorter keys.

Companies are taken smallest set first, and ``t`` is the k-th best similarity found so far: it rises early
and only rises, and a lower threshold only makes prefixes longer, so an index entry written earlier never
misses a pair: the result is exact, as the tests check against comparing every pair."""

from __future__ import annotations

import heapq
from bisect import bisect_left, bisect_right
from collections import defaultdict, deque
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain, compress, repeat
from operator import add, ge

# An organisation (or a pair of them) is common when more companies than this hold it (or are expected to
# hold both, by their frequencies as if independent): its keys then take one more organisation.
_COMMON = 10.0


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
    """The index keys of one set of organisation ranks (rarest first) at threshold ``t``, each a number: one
    organisation ``w`` is ``-1 - w``, a pair ``a·n + b``, a triple ``n² + (a·n + b)·n + c`` for ``n`` ranks
    (numbers hash and compare faster than tuples, and take half the memory)."""

    def __init__(self, share: Sequence[float], companies: int) -> None:
        self.n = n = len(share)
        self.rare = [f * companies <= _COMMON for f in share]
        # an organisation's pairs with organisations from this rank on are common (``share`` only grows)
        self.common_from = [bisect_right(share, _COMMON / (companies * f)) for f in share]
        self.pair_base = [a * n for a in range(n)]

    def __call__(self, x: tuple[int, ...], t: float) -> list[int]:
        size, n = len(x), self.n
        least = _ceil(t * size)
        one, two, three = (min(size, size - max(m, least) + m) for m in (1, 2, 3))
        small_one, small_two = (t == 0 or size <= m / t for m in (1, 2))
        keys: list[int] = []
        for i in range(one):
            a = x[i]
            if small_one or self.rare[a]:
                keys.append(-1 - a)
                if self.rare[a]:
                    continue
            split = bisect_left(x, self.common_from[a], i + 1, two)
            keys += map(add, repeat(self.pair_base[a]), x[i + 1 : two if small_two else split])
            for j in range(split, two):
                keys += map(add, repeat(n * n + (self.pair_base[a] + x[j]) * n), x[j + 1 : three])
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
    companies = sorted(sets, key=lambda c: (len(sets[c]), c))  # small sets first: the threshold rises sooner
    records = [tuple(sorted(rank[o] for o in sets[c])) for c in companies]
    tokens = [frozenset(r) for r in records]
    keys_of = _Keys([frequency[o] / len(sets) for o in order] if sets else [], len(sets))
    index: dict[int, list[int]] = defaultdict(list)
    found: list[tuple[float, int, int]] = []
    best: list[float] = []  # the ``top`` best similarities so far (a min-heap): its least is the threshold
    t = 0.0
    for xi, x in enumerate(records):
        keys = keys_of(x, t)
        # index lookups, counts and appends run in C (map, filter, chain): at 100,000 companies there are
        # millions of keys and few candidates
        ys = list(set(chain.from_iterable(filter(None, map(index.get, keys)))))
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
        deque(map(list.append, map(index.__getitem__, keys), repeat(xi)), maxlen=0)
    rows = []
    for jaccard, yi, xi in found:
        if jaccard >= t:
            a, b = sorted((companies[yi], companies[xi]))
            rows.append(Similarity(a, b, round(jaccard, 4), tuple(sorted(sets[a] & sets[b]))))
    rows.sort(key=lambda r: (-r.jaccard, -len(r.shared), r.company_a, r.company_b))
    return rows[:top]
