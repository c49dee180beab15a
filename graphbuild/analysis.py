"""Graph analysis with networkx over the summary layer: vendor concentration, shared vendors, blast radius
of a vendor breach, communities."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field

import networkx as nx
from networkx.algorithms.community import greedy_modularity_communities, louvain_communities

from graphbuild.similarity import Similarity, top_pairs
from graphbuild.store import GraphStore
from graphbuild.store.summary import Summary, read_summary


@dataclass(frozen=True)
class Concentration:
    """How central an organisation is: companies reaching it, degree and betweenness centrality."""

    organisation: str
    parent: str | None
    companies: int
    degree: float
    betweenness: float | None  # None on graphs too large to estimate it in reasonable time


@dataclass(frozen=True)
class BlastRadius:
    """What a breach at an organisation (or any organisation under a parent) would expose."""

    organisation: str
    companies: tuple[str, ...]
    data: tuple[str, ...]
    countries: tuple[str, ...]
    through: tuple[str, ...]  # the organisations under it that the companies reach


@dataclass
class Analysis:
    """Everything ``graphbuild analyze`` reports."""

    concentration: list[Concentration] = field(default_factory=list)
    similarity: list[Similarity] = field(default_factory=list)
    blast_radius: list[BlastRadius] = field(default_factory=list)
    communities: list[list[str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        """Plain data for JSON output."""
        return asdict(self)


_EXACT_BETWEENNESS = 500  # nodes up to which betweenness is computed exactly
_BETWEENNESS_SAMPLE = 200  # at most this many source nodes sampled beyond that …
_BETWEENNESS_BUDGET = 1_000_000  # … so that sources × edges stays under this (about a second and a half) …
_BETWEENNESS_MIN_SAMPLE = 20  # … and none when fewer sources than this would fit (a rank from noise)
_BETWEENNESS_MAX_EDGES = _BETWEENNESS_BUDGET // _BETWEENNESS_MIN_SAMPLE
_EXACT_COMMUNITIES = 5_000  # nodes up to which communities come from greedy modularity …
_MAX_COMMUNITIES = 30_000  # … Louvain up to this many, none beyond


def company_vendor_graph(store: GraphStore, summary: Summary | None = None) -> nx.Graph:
    """Companies – organisations – parent organisations, from the summary layer."""
    summary = summary if summary is not None else read_summary(store)
    g = nx.Graph()
    for company in sorted(summary.reaches):
        for org in sorted(summary.reaches[company]):
            parent = summary.parents.get(org)
            g.add_node(f"company:{company}", kind="company", label=company)
            if f"org:{org}" not in g:
                g.add_node(f"org:{org}", kind="organisation", label=org, parent=None)
            g.add_edge(f"company:{company}", f"org:{org}")
            if parent and parent != org:
                # one node per organisation: Microsoft is both a vendor and LinkedIn's parent
                if f"org:{parent}" not in g:
                    g.add_node(f"org:{parent}", kind="organisation", label=parent, parent=None)
                g.nodes[f"org:{org}"]["parent"] = f"org:{parent}"
                g.add_edge(f"org:{org}", f"org:{parent}")
    return g


class _Reach:
    """Who reaches which organisation, directly or through a subsidiary, from the summary (no graph needed)."""

    def __init__(self, summary: Summary) -> None:
        self.direct: dict[str, set[str]] = defaultdict(set)  # organisation → companies
        for company, orgs in summary.reaches.items():
            for org in orgs:
                self.direct[org].add(company)
        self.parents = {o: p for o, p in summary.parents.items() if o in self.direct and p != o}
        self.subsidiaries: dict[str, list[str]] = defaultdict(list)
        for org, parent in sorted(self.parents.items()):
            self.subsidiaries[parent].append(org)
        self.organisations = sorted(set(self.direct) | set(self.parents.values()))
        self.nodes = len(summary.reaches) + len(self.organisations)
        self.edges = sum(len(c) for c in self.direct.values()) + len(self.parents)
        self._companies: dict[str, set[str]] = {}

    def under(self, org: str) -> list[str]:
        """The organisation itself and every organisation whose parent it is."""
        return [org, *self.subsidiaries.get(org, [])]

    def companies(self, org: str) -> set[str]:
        """Companies linked to an organisation directly or through its subsidiaries (worked out once: the
        concentration and the blast radius both ask, and a parent's set can hold most of the corpus)."""
        found = self._companies.get(org)
        if found is None:
            found = self._companies[org] = set().union(*(self.direct.get(o, set()) for o in self.under(org)))
        return found

    def degree(self, org: str) -> int:
        """Neighbours in the company–organisation graph: companies, parent, subsidiaries."""
        return len(self.direct.get(org, ())) + (org in self.parents) + len(self.subsidiaries.get(org, []))


def analyse(store: GraphStore, top: int = 20) -> Analysis:
    """Run every analysis; ``top`` limits the concentration and similarity lists."""
    summary = read_summary(store)
    result = Analysis()
    if not summary.reaches:
        return result
    reach = _Reach(summary)
    small = reach.nodes <= _MAX_COMMUNITIES
    g = company_vendor_graph(store, summary) if small or reach.edges <= _BETWEENNESS_MAX_EDGES else None
    result.concentration = _concentration(reach, g)[:top]
    result.similarity = top_pairs(summary.reaches, top)
    result.blast_radius = _blast_radius(reach, summary, top=top)
    result.communities = _communities(g) if g is not None and small else []
    return result


def _concentration(reach: _Reach, g: nx.Graph | None) -> list[Concentration]:
    # Exact betweenness is O(nodes × edges): 25 s at a thousand policies. Beyond a few hundred nodes it is
    # estimated from a fixed sample of sources (a fixed seed, so the same store gives the same figures), as
    # many as fit a fixed budget of edge visits; where too few fit, it is left out (None).
    betweenness: dict[str, float] = {}
    if g is not None and reach.edges <= _BETWEENNESS_MAX_EDGES:
        fits = min(_BETWEENNESS_SAMPLE, _BETWEENNESS_BUDGET // max(1, g.number_of_edges()))
        sample = None if g.number_of_nodes() <= _EXACT_BETWEENNESS else fits
        found = nx.betweenness_centrality(g, k=sample, normalized=True, seed=7 if sample else None)
        betweenness = {g.nodes[n]["label"]: v for n, v in found.items() if g.nodes[n]["kind"] != "company"}
    scale = max(1, reach.nodes - 1)
    rows = [
        Concentration(
            org,
            reach.parents.get(org),
            len(reach.companies(org)),
            round(reach.degree(org) / scale, 4),
            round(betweenness[org], 4) if org in betweenness else None,
        )
        for org in reach.organisations
    ]
    return sorted(rows, key=lambda r: (-r.companies, -(r.betweenness or 0.0), r.organisation))


def blast_radius(store: GraphStore, organisation: str | None = None) -> list[BlastRadius]:
    """For each organisation and parent (or just ``organisation``): the companies, data categories and
    countries a breach there would reach, following parent organisations down to their subsidiaries."""
    summary = read_summary(store)
    return _blast_radius(_Reach(summary), summary, organisation)


def _blast_radius(
    reach: _Reach, summary: Summary, organisation: str | None = None, top: int | None = None
) -> list[BlastRadius]:
    """Every organisation's blast radius (or ``organisation``'s), largest first; with ``top``, only the ``top``
    largest are worked out (at 100,000 policies the full list names every company thousands of times)."""
    orgs = [o for o in reach.organisations if organisation is None or o == organisation]
    # rank by companies first: data and countries are only gathered for the rows returned
    orgs.sort(key=lambda o: -len(reach.companies(o)))
    if top is not None:
        cut = len(reach.companies(orgs[top - 1])) if len(orgs) >= top > 0 else -1
        orgs = [o for o in orgs if len(reach.companies(o)) >= cut]  # keep ties at the cut: sorted below
    found = []
    for org in orgs:
        under = reach.under(org)
        found.append(
            BlastRadius(
                org,
                tuple(sorted(reach.companies(org))),
                tuple(sorted(set().union(*(summary.data.get(o, set()) for o in under)))),
                tuple(sorted(set().union(*(summary.countries.get(o, set()) for o in under)))),
                tuple(under),
            )
        )
    ranked = sorted(found, key=lambda r: (-len(r.companies), -len(r.data), r.organisation))
    return ranked if top is None else ranked[:top]


def _communities(g: nx.Graph) -> list[list[str]]:
    """Groups of companies and organisations more linked to each other than to the rest: greedy modularity,
    or on larger graphs (where it takes minutes) Louvain with a fixed seed."""
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(g.nodes(data=True)))
    ordered.add_edges_from(sorted(tuple(sorted(e)) for e in g.edges))
    if ordered.number_of_edges() == 0:
        return []
    if ordered.number_of_nodes() <= _EXACT_COMMUNITIES:
        groups = greedy_modularity_communities(ordered)
    else:
        groups = louvain_communities(ordered, seed=7)
    named = [sorted(ordered.nodes[n]["label"] for n in group) for group in groups]
    return sorted(named, key=lambda c: (-len(c), c))
